import { describe, it, expect } from 'vitest';
import type { z } from 'zod';
import { AuditDocumentSchema, type AuditDocument } from '../../../../src/lib/core/model/audit';
import { MonitoringContractSchema } from '../../../../src/lib/core/model/drift';
import { redactAudit } from '../../../../src/lib/core/redact';

/**
 * Every string field of the audit document's zod schema, drift, contract,
 * plan and deliverable included, is filled with planted personal data; the
 * redacted copy must hold none of it. A field the redactor forgot (or one
 * added later to the schema) fails this test without anyone listing it.
 */

const EMAIL = 'jane.doe@client.example';
const PHONE = '+44 7911 123456';
/** A value of a personal column that matches no pattern: only the known-value search can find it. */
const NAME = 'Zebulon Quartermaine';
const PLANTED = `from ${EMAIL}, call ${PHONE}, ask ${NAME}`;
const IDENTIFIER = `id ${EMAIL}`;

type Def = { type: string } & Record<string, unknown>;
const defOf = (schema: z.ZodType): Def => (schema as unknown as { _zod: { def: Def } })._zod.def;

let strings = 0;

/** A value of `schema` with every free string planted: one element per list, one key per record, every optional set. */
function sample(schema: z.ZodType, depth = 0): unknown {
  if (depth > 60) throw new Error('schema too deep');
  const def = defOf(schema);
  const next = (s: unknown): unknown => sample(s as z.ZodType, depth + 1);
  switch (def.type) {
    case 'object': {
      const out: Record<string, unknown> = {};
      for (const [k, v] of Object.entries(def.shape as Record<string, z.ZodType>)) out[k] = next(v);
      return out;
    }
    case 'array':
      return [next(def.element)];
    case 'optional':
    case 'nullable':
    case 'default':
    case 'prefault':
    case 'catch':
    case 'readonly':
    case 'nonoptional':
      return next(def.innerType);
    case 'pipe':
      return next(def.in);
    case 'lazy':
      return next((def.getter as () => z.ZodType)());
    case 'union': {
      const options = def.options as z.ZodType[];
      const text = options.find((o) => defOf(o).type === 'string');
      return next(text ?? options[0]);
    }
    case 'record':
      strings++;
      return { [PLANTED]: next(def.valueType) };
    case 'string': {
      for (const candidate of [PLANTED, '2026-01-01', 'a', '0'.repeat(64)]) {
        if (schema.safeParse(candidate).success) {
          if (candidate === PLANTED) strings++;
          return candidate;
        }
      }
      return '';
    }
    case 'number':
    case 'int':
      return [1, 0.5, 0, 100].find((n) => schema.safeParse(n).success) ?? 0;
    case 'boolean':
      return true;
    case 'null':
      return null;
    case 'unknown':
    case 'any':
      strings++;
      return PLANTED;
    case 'enum':
      return Object.values(def.entries as Record<string, string>)[0];
    case 'literal':
      return (def.values as unknown[])[0];
    default:
      throw new Error(`schema walk: unhandled zod type ${def.type}`);
  }
}

/** The planted document: identifiers (dataset ids, column names) carry only a pattern, as references must hold. */
function plantedAudit(): AuditDocument {
  strings = 0;
  const doc = sample(AuditDocumentSchema) as AuditDocument;
  const dataset = doc.datasets[0]!;
  dataset.id = IDENTIFIER;
  // Only a ClickHouse table names a server: plant one, so the server's strings are walked too.
  dataset.format = 'clickhouse';
  dataset.columns[0]!.name = 'customer_name';
  const profile = Object.values(doc.profiles)[0]!;
  doc.profiles = { [IDENTIFIER]: profile };
  profile.columns[0]!.name = 'customer_name';
  profile.columns[0]!.topK[0]!.value = NAME;
  return AuditDocumentSchema.parse(doc);
}

describe('redaction covers every string of the audit schema', () => {
  it('plants personal data in every string field, drift, contract, plan and deliverable included', () => {
    const doc = plantedAudit();
    const json = JSON.stringify(doc);
    // The planted document really holds the values everywhere (so the checks below can fail).
    expect(strings).toBeGreaterThan(150);
    expect(json.split(EMAIL).length - 1).toBeGreaterThan(150);
    expect(json).toContain(NAME);
    expect(JSON.stringify(doc.drift?.contract)).toContain(EMAIL);
    expect(JSON.stringify(doc.plan?.results)).toContain(NAME);
    expect(JSON.stringify(doc.deliverable)).toContain(PHONE);
  });

  it('leaves no e-mail, phone or personal name in any string or key in personal mode', () => {
    const { document } = redactAudit(plantedAudit(), 'personal');
    const json = JSON.stringify(document);
    expect(json).not.toContain(EMAIL);
    expect(json).not.toContain(PHONE);
    expect(json).not.toContain(NAME);
    expect(json).not.toMatch(/Zebulon|Quartermaine|jane\.doe|7911/);
    // Masked, not dropped: the shapes stay readable.
    expect(json).toContain('aaaa.aaa@aaaaaa.aaaaaaa');
    expect(AuditDocumentSchema.safeParse(document).success).toBe(true);
  });

  it('keeps references whole: dataset ids and column names are masked the same way everywhere', () => {
    const { document } = redactAudit(plantedAudit(), 'personal');
    const id = document.datasets[0]!.id;
    expect(id).not.toContain(EMAIL);
    expect(Object.keys(document.profiles)).toEqual([id]);
    expect(document.datasets[0]!.columns[0]!.name).toBe('customer_name');
  });

  it('leaves no planted value in strict mode either', () => {
    const { document } = redactAudit(plantedAudit(), 'strict');
    const json = JSON.stringify(document);
    expect(json).not.toMatch(/Zebulon|Quartermaine|jane\.doe|7911/);
  });

  it('covers the monitoring contract schema on its own', () => {
    strings = 0;
    const contract = MonitoringContractSchema.parse(sample(MonitoringContractSchema));
    expect(strings).toBeGreaterThan(10);
    const doc = plantedAudit();
    const { document } = redactAudit({ ...doc, drift: { contract } }, 'personal');
    expect(JSON.stringify(document.drift?.contract)).not.toMatch(/Zebulon|jane\.doe|7911/);
    expect(MonitoringContractSchema.safeParse(document.drift?.contract).success).toBe(true);
  });
});

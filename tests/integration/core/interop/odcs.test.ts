import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { engine } from '../../../support/engine';
import { analysedDemo } from '../../../support/demo';
import { odcsSchemaErrors, spokenRules } from '../../../support/odcs';
import type { Connector } from '../../../../src/lib/engine/connector';
import { nodeDecoders } from '../../../../src/lib/engine/node-decoders';
import { bytesSource } from '../../../../src/lib/engine/node-source';
import { newAudit } from '../../../../src/lib/core/model/document';
import { NO_ROLES, setRoles } from '../../../../src/lib/core/audit/edits';
import type { AuditDocument } from '../../../../src/lib/core/model/audit';
import { personalColumns } from '../../../../src/lib/core/redact/redact';
import { dateLiteral, ident } from '../../../../src/lib/core/sql/quote';
import { deriveCheckSpec } from '../../../../src/lib/core/interop/derive';
import type { CheckSpec } from '../../../../src/lib/core/interop/spec';
import {
  ODCS_OBJECT,
  ODCS_TODAY,
  readOdcs,
  writeOdcs,
  type OdcsRule,
} from '../../../../src/lib/core/interop/odcs';
import { AuditSession, memoryAuditStore } from '../../../../src/lib/session';
import {
  PLANTED_FILES,
  PLANTED_KEY,
  PLANTED_PARENT_TIME,
  PLANTED_TARGET,
  plantedRelations,
} from '../../../fixtures/relations/planted';

/**
 * The ODCS contract of real audits: the demo and the three planted related
 * extracts. It validates against the official v3.1.0 JSON Schema, reads back
 * to the same rules, every `type: sql` rule runs in DuckDB with ODCS's
 * placeholder bound to the loaded table and returns the audit's value, and no
 * personal value of the unmasked demo is written.
 */

interface Case {
  spec: CheckSpec;
  text: string;
  /** Loaded table per spec object name. */
  tables: Map<string, string>;
}

let conn: Connector;
let demoAudit: AuditDocument;
let demo: Case;
let related: Case;

function written(spec: CheckSpec, tables: Map<string, string>): Case {
  return { spec, text: writeOdcs(spec).text, tables };
}

async function plantedCase(): Promise<Case> {
  const planted = plantedRelations();
  const session = new AuditSession({
    engine: { connector: conn, decoders: nodeDecoders },
    store: memoryAuditStore(),
  });
  const doc = newAudit('churn extracts', 'odcs-relations');
  doc.context.asOf = '2026-11-01';
  session.open(doc);
  const outcome = await session.addSources(
    Object.entries(PLANTED_FILES).map(([key, file]) =>
      bytesSource(file, planted[key as keyof typeof PLANTED_FILES]),
    ),
    {},
    { analyse: false },
  );
  const [customers, subscriptions, tickets] = outcome.loaded as [string, string, string];
  await session.edit((d) =>
    setRoles(d, customers, { ...NO_ROLES, target: PLANTED_TARGET, eventTime: PLANTED_PARENT_TIME }),
  );
  await session.analyse({ suggestRoles: false, baselines: false, plan: false });
  for (const child of [subscriptions, tickets])
    await session.acceptRelation(
      { child: { dataset: child, column: PLANTED_KEY }, parent: { dataset: customers, column: PLANTED_KEY } },
      'user',
    );
  const spec = deriveCheckSpec(session.audit!);
  const tables = new Map(spec.objects.map((o) => [o.objectName, session.tableName(o.datasetId)!]));
  return written(spec, tables);
}

beforeAll(async () => {
  conn = await engine();
  const analysed = await analysedDemo(conn);
  demoAudit = analysed.audit;
  const spec = deriveCheckSpec(analysed.audit);
  demo = written(spec, new Map(spec.objects.map((o) => [o.objectName, analysed.tableName])));
  related = await plantedCase();
}, 300_000);

afterAll(async () => {
  await conn.close();
});

/** A written query bound back to the loaded tables and the audit's as-of date. */
function bound(rule: OdcsRule, c: Case): string {
  if (rule.construct.type !== 'sql') throw new Error(`${rule.id} is a library metric`);
  const table = c.tables.get(rule.object)!;
  let sql = rule.construct.query
    .replaceAll(ODCS_OBJECT, ident(table))
    .replaceAll(ODCS_TODAY, dateLiteral(c.spec.asOf));
  const parent = rule.params.parentObject;
  if (parent !== undefined) sql = sql.replaceAll(ident(parent), ident(c.tables.get(parent)!));
  return sql;
}

describe.each([
  ['the demo', () => demo],
  ['the planted related extracts', () => related],
])('the ODCS contract of %s', (_name, get) => {
  it('validates against the official ODCS v3.1.0 JSON Schema', () => {
    const errors = odcsSchemaErrors(get().text);
    expect(errors, JSON.stringify(errors.slice(0, 20), null, 2)).toEqual([]);
  });

  it('reads back to the same rules: ids, kinds, columns, thresholds, params, sources and SQL', () => {
    const { spec, text } = get();
    const back = readOdcs(text);
    expect(spec.rules.length).toBeGreaterThan(0);
    expect(spokenRules(back.rules)).toEqual(spokenRules(spec.rules));
    const bySpec = new Map(spec.rules.map((r) => [r.id, r]));
    for (const r of back.rules.filter((r) => r.construct.type === 'sql'))
      expect(r.sql, r.id).toBe(bySpec.get(r.id)!.sql);
    expect(back.relationships).toEqual(spec.relationships);
  });

  it('runs every type: sql rule in DuckDB with {object} bound to the loaded table, returning the audit’s value', async () => {
    const c = get();
    const sqlRules = readOdcs(c.text).rules.filter((r) => r.construct.type === 'sql');
    expect(sqlRules.length).toBeGreaterThan(0);
    for (const rule of sqlRules) {
      const rows = await conn.query(bound(rule, c));
      expect(rows, rule.id).toHaveLength(1);
      expect(Number(rows[0]!['value']), rule.id).toBeCloseTo(rule.observed, 9);
    }
  });
});

describe('the ODCS contract of related extracts', () => {
  it('declares both relations as foreign keys on their child, each with an executable orphan rule', () => {
    const back = readOdcs(related.text);
    expect(
      back.relationships.map(
        (r) => `${r.child.object}.${r.child.column} -> ${r.parent.object}.${r.parent.column}`,
      ),
    ).toEqual(
      related.spec.relationships.map(
        (r) => `${r.child.object}.${r.child.column} -> ${r.parent.object}.${r.parent.column}`,
      ),
    );
    expect(back.relationships).toHaveLength(2);
    const orphanRules = back.rules.filter((r) => r.kind === 'relationship');
    expect(orphanRules.map((r) => r.object).sort()).toEqual(['subscriptions', 'tickets']);
    for (const r of orphanRules)
      expect(r.construct.type === 'sql' && r.construct.query).toContain(ident('customers'));
  });
});

describe('the ODCS contract of the demo', () => {
  it('uses library metrics and SQL rules, in ODCS’s dimensions', () => {
    const back = readOdcs(demo.text);
    const library = back.rules.filter((r) => r.construct.type === 'library');
    expect(library.length).toBeGreaterThan(0);
    expect(back.rules.length - library.length).toBeGreaterThan(0);
  });

  it('holds no personal value of the unmasked demo', () => {
    const personal = personalColumns(demoAudit);
    expect(personal.length).toBeGreaterThan(0);
    const values = personal.flatMap((p) =>
      (demoAudit.profiles[p.datasetId]?.columns.find((c) => c.name === p.column)?.topK ?? [])
        .map((v) => String(v.value))
        // Values this short also spell ordinary words and numbers of the file.
        .filter((v) => v.length >= 5),
    );
    expect(values.length).toBeGreaterThan(0);
    const leaked = values.filter((v) => demo.text.includes(v));
    expect(leaked).toEqual([]);
    const classified = readOdcs(demo.text)
      .objects.flatMap((o) => o.columns)
      .filter((c) => c.classification)
      .map((c) => c.name);
    expect(classified.sort()).toEqual(personal.map((p) => p.column).sort());
  });
});

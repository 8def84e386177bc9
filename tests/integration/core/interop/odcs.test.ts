import { beforeAll, describe, expect, it } from 'vitest';
import { useEngine } from '../../../support/engine';
import { analysedDemo } from '../../../support/demo';
import { demoInteropCase, plantedInteropCase } from '../../../support/interop-cases';
import { odcsSchemaErrors, spokenRules } from '../../../support/odcs';
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

/**
 * The ODCS contract of real audits: the demo and the three planted related
 * extracts. It validates against the official v3.1.0 JSON Schema, reads back
 * to the same rules, every `type: sql` rule runs in DuckDB with ODCS's
 * placeholder bound to the loaded table and returns the audit's value, and no
 * personal value of the unmasked demo is written.
 */

/** The contract rounds a drift rule's reference shares to 6 digits, so on its own reference a statistic comes back within this. */
const DRIFT_TOLERANCE = 1e-5;

interface Case {
  spec: CheckSpec;
  text: string;
  /** Loaded table per spec object name. */
  tables: Map<string, string>;
}

const conn = useEngine();
let demoAudit: AuditDocument;
let demo: Case;
let related: Case;
let monitored: Case;
let strict: Case;

function written(spec: CheckSpec, tables: Map<string, string>): Case {
  return { spec, text: writeOdcs(spec).text, tables };
}

beforeAll(async () => {
  const analysed = await analysedDemo(conn);
  demoAudit = analysed.audit;
  const spec = deriveCheckSpec(analysed.audit);
  demo = written(spec, new Map(spec.objects.map((o) => [o.objectName, analysed.tableName])));
  strict = written(
    deriveCheckSpec(analysed.audit, { redaction: 'strict' }),
    new Map(spec.objects.map((o) => [o.objectName, analysed.tableName])),
  );
  const planted = await plantedInteropCase(conn, { id: 'odcs-relations' });
  related = written(planted.spec, planted.tables);
  // The demo with a monitoring contract whose reference is the demo itself: the drift rules' case.
  const withContract = await demoInteropCase(conn, { id: 'odcs-monitored' });
  monitored = written(withContract.spec, withContract.tables);
}, 300_000);

/** A written query bound back to the loaded tables and the audit's as-of date. */
function bound(rule: OdcsRule, c: Case): string {
  if (rule.construct.type !== 'sql') throw new Error(`${rule.id} is a library metric`);
  const table = c.tables.get(rule.object);
  if (table === undefined)
    throw new Error(
      `${rule.id}: object ${rule.object} is not among the loaded tables (${[...c.tables.keys()].join(', ')})`,
    );
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
  ['the demo with a monitoring contract', () => monitored],
  ['the demo in strict redaction', () => strict],
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
      const value = Number(rows[0]!['value']);
      if (rule.kind === 'drift')
        expect(Math.abs(value - rule.observed), rule.id).toBeLessThanOrEqual(DRIFT_TOLERANCE);
      else if (rule.measure === 'share' || rule.measure === 'statistic')
        expect(value, rule.id).toBeCloseTo(rule.observed, 12);
      else expect(value, rule.id).toBe(rule.observed);
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
  it('carries the monitoring contract’s drift statistics as SQL rules with their retrain level', () => {
    const drift = readOdcs(monitored.text).rules.filter((r) => r.kind === 'drift');
    expect(drift.length).toBeGreaterThan(0);
    expect(drift.length).toBe(monitored.spec.rules.filter((r) => r.kind === 'drift').length);
    for (const r of drift) {
      expect(r.construct.type, r.id).toBe('sql');
      expect(r.params.retrain, r.id).toBeGreaterThan(r.expect.threshold);
    }
  });

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

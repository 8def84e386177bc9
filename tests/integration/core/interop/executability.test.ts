import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { useEngine, loadBytes, loadFile } from '../../../support/engine';
import { DEMO_CSV } from '../../../support/demo';
import {
  demoInteropCase,
  loadCaseOn,
  plantedInteropCase,
  tablesByDataset,
  type PlantedInteropCase,
} from '../../../support/interop-cases';
import { createNativeConnector, type NativeConnector } from '../../../../src/lib/engine/native-connector';
import type { AuditDocument, Finding } from '../../../../src/lib/core/model/audit';
import { deriveCheckSpec } from '../../../../src/lib/core/interop/derive';
import { personalColumns } from '../../../../src/lib/core/redact';
import { outOfRangeSql } from '../../../../src/lib/core/sql/interop';
import { ident } from '../../../../src/lib/core/sql/quote';
import type { CheckSpec } from '../../../../src/lib/core/interop/spec';
import { PLANTED_DUPLICATE_CUSTOMERS, plantedRelations } from '../../../fixtures/relations/planted';
import {
  auditedTables,
  DRIFT_TOLERANCE,
  expectObserved,
  ruleOf,
  runRules,
  type AuditedTables,
} from './executability-support';

/**
 * Every rule of the check spec runs on DuckDB-WASM with its tokens bound to
 * the loaded tables and the as-of date, returns one `value` equal to the
 * rule's `observed`, and its failing rows number as many; and `observed` is
 * the audit's own figure (profile counts, finding evidence, relation counts).
 * The same specs run on native DuckDB (`@duckdb/node-api`, as the CLI's
 * `--engine native`) against the same files loaded through the production
 * loader, and give the values the WASM audit observed.
 */

const conn = useEngine();
let native: NativeConnector;
let demo: AuditedTables;
let plantedCase: PlantedInteropCase;
let planted: AuditedTables;

beforeAll(async () => {
  native = await createNativeConnector({ threads: 1 });
  // A history start inside the data, so the time-before-start check finds rows to count.
  demo = auditedTables(
    await demoInteropCase(conn, { id: 'interop-demo', context: { historyFrom: '2024-04-01' } }),
  );
  plantedCase = await plantedInteropCase(conn, { id: 'interop-planted' });
  planted = auditedTables(plantedCase);
}, 300_000);
afterAll(async () => {
  await native.close();
});

const evidenceOf = (audit: AuditDocument, check: string, column?: string): Finding['evidence'] => {
  const f = audit.findings.find(
    (x) => x.check === check && (column === undefined || x.columns[0] === column),
  );
  expect(f, check).toBeDefined();
  return f!.evidence;
};

describe('the demo’s check spec runs on DuckDB-WASM', () => {
  let spec: CheckSpec;
  beforeAll(() => {
    spec = deriveCheckSpec(demo.audit);
  });

  it('returns every rule’s observed value, and as many failing rows', async () => {
    const runs = await runRules(conn, spec, demo.tables);
    expect(runs.length).toBe(spec.rules.length);
    expectObserved(runs);
    const kinds = new Set(spec.rules.map((r) => r.kind));
    for (const kind of [
      'row-count',
      'not-null',
      'null-rate',
      'unique',
      'accepted-values',
      'range',
      'invalid-values',
      'duplicate-rows',
      'freshness',
      'sql',
      'drift',
    ] as const)
      expect(kinds, kind).toContain(kind);
  }, 120_000);

  it('observes what the audit itself counted', () => {
    const audit = demo.audit;
    const profile = audit.profiles[demo.audit.datasets[0]!.id]!;
    const o = spec.objects[0]!.objectName;
    expect(o).toBe('customer_churn');
    expect(ruleOf(spec, 'row-count', o).observed).toBe(12_000);
    expect(ruleOf(spec, 'duplicate-rows', o).observed).toBe(profile.duplicateRows);
    expect(profile.duplicateRows).toBe(evidenceOf(audit, 'quality-duplicates').duplicateRows);
    expect(ruleOf(spec, 'unique', o, 'customer_id').observed).toBe(
      evidenceOf(audit, 'leakage-split-duplicates', 'customer_id').repeatedIds,
    );
    expect(ruleOf(spec, 'freshness', o, 'snapshot_date').observed).toBe(
      evidenceOf(audit, 'coverage-recency', 'snapshot_date').ageDays,
    );
    const sql = spec.rules.filter((r) => r.kind === 'sql');
    expect(sql.find((r) => r.id.endsWith(':time-future'))!.observed).toBe(
      evidenceOf(audit, 'time-future', 'snapshot_date').future,
    );
    expect(sql.find((r) => r.id.endsWith(':time-outcome-before-event'))!.observed).toBe(
      evidenceOf(audit, 'time-outcome-before-event').before,
    );
    const before = sql.filter((r) => r.id.endsWith(':time-before-start'));
    expect(before.map((r) => r.columns[0])).toContain('snapshot_date');
    for (const r of before)
      expect(r.observed, r.id).toBe(evidenceOf(audit, 'time-before-start', r.columns[0]).early);
    const invalid = spec.rules.filter((r) => r.kind === 'invalid-values');
    expect(invalid.find((r) => r.columns[0] === 'monthly_fee')!.observed).toBe(
      evidenceOf(audit, 'quality-sentinels', 'monthly_fee').rows,
    );
    expect(invalid.find((r) => r.columns[0] === 'payment_method')!.observed).toBe(
      evidenceOf(audit, 'quality-missing-like', 'payment_method').rows,
    );
    expect(invalid.find((r) => r.columns[0] === 'signup_date')!.observed).toBe(
      evidenceOf(audit, 'time-sentinel', 'signup_date').sentinelRows,
    );
    const churn = profile.columns.find((c) => c.name === 'churn_date')!;
    expect(ruleOf(spec, 'null-rate', o, 'churn_date').observed).toBeCloseTo(churn.missing / profile.rows, 15);
  });

  it('drift statistics measured on their own reference come back near zero (missing rates: the reference rate)', async () => {
    const drift = spec.rules.filter((r) => r.kind === 'drift');
    const contract = demo.audit.drift!.contract!;
    expect(drift.length).toBeGreaterThan(0);
    const runs = await runRules(conn, { ...spec, rules: drift }, demo.tables);
    for (const { rule, value } of runs) {
      const stat = [...contract.columns, contract.label!]
        .find((c) => c.column === rule.columns[0])!
        .statistics.find((s) => s.name === rule.params.statistic)!;
      expect(rule.observed, rule.id).toBe(stat.reference);
      expect(rule.expect.threshold, rule.id).toBe(stat.review);
      if (rule.params.statistic !== 'missing-rate')
        expect(Math.abs(value), rule.id).toBeLessThan(DRIFT_TOLERANCE);
      else expect(Math.abs(value - stat.reference), rule.id).toBeLessThan(DRIFT_TOLERANCE);
    }
  }, 120_000);

  it('never carries a personal value of the unmasked demo: in no mode’s rules, nowhere in the default spec', () => {
    const personal = new Set(personalColumns(demo.audit).map((p) => p.column));
    expect([...personal]).toEqual(expect.arrayContaining(['email', 'phone', 'card_number']));
    const values = demo.audit.profiles[demo.audit.datasets[0]!.id]!.columns.filter((c) =>
      personal.has(c.name),
    )
      .flatMap((c) => c.topK.map((v) => String(v.value)))
      .filter((v) => v.length >= 6);
    expect(values.length).toBeGreaterThan(10);
    for (const mode of ['none', 'personal', 'strict'] as const) {
      const rules = JSON.stringify(deriveCheckSpec(demo.audit, { redaction: mode }).rules);
      for (const v of values) expect(rules.includes(v), `${mode}: ${v}`).toBe(false);
    }
    const whole = JSON.stringify(spec);
    for (const v of values) expect(whole.includes(v), v).toBe(false);
    expect(spec.objects[0]!.columns.filter((c) => c.personal).map((c) => c.name)).toEqual(
      expect.arrayContaining(['email', 'phone', 'card_number']),
    );
  });

  it('runs the same in strict mode, with no value list and no categorical drift', async () => {
    const strict = deriveCheckSpec(demo.audit, { redaction: 'strict' });
    expect(strict.rules.some((r) => r.params.values !== undefined)).toBe(false);
    expect(strict.rules.some((r) => r.kind === 'drift' && r.columns[0] === 'region')).toBe(false);
    expectObserved(await runRules(conn, strict, demo.tables));
  }, 120_000);
});

describe('the planted extracts’ check spec runs on DuckDB-WASM', () => {
  let spec: CheckSpec;
  beforeAll(() => {
    spec = deriveCheckSpec(planted.audit);
  });

  it('returns every rule’s observed value, with relations bound to their parent table', async () => {
    expectObserved(await runRules(conn, spec, planted.tables));
    expect(spec.objects.map((o) => o.objectName)).toEqual(['customers', 'subscriptions', 'tickets']);
    expect(spec.relationships.map((r) => [r.child.object, r.parent.object, r.comparedAsText])).toEqual([
      ['subscriptions', 'customers', false],
      ['tickets', 'customers', true],
    ]);
  }, 120_000);

  it('observes the generator’s planted counts', () => {
    const expected = plantedRelations().expected;
    const relationship = (child: string) => ruleOf(spec, 'relationship', child, 'customer_id');
    expect(relationship('subscriptions').observed).toBe(expected.subscriptions.orphanRows);
    expect(expected.subscriptions.orphanRows).toBe(109);
    expect(relationship('tickets').observed).toBe(expected.tickets.orphanRows);
    expect(relationship('tickets').params.comparedAsText).toBe(true);
    expect(ruleOf(spec, 'unique', 'customers', 'customer_id').observed).toBe(PLANTED_DUPLICATE_CUSTOMERS);
    const pit = spec.rules.find(
      (r) => r.kind === 'sql' && r.object === 'tickets' && r.id.endsWith(':point-in-time'),
    );
    expect(pit!.observed).toBe(expected.tickets.pointInTime.rowsAfterParentTime);
    expect(ruleOf(spec, 'null-rate', 'subscriptions', 'customer_id').observed).toBeCloseTo(
      expected.subscriptions.nullKeyShare,
      12,
    );
    // Keys are unique where the generator made them so, and not where it planted duplicates.
    const column = (o: string, c: string) =>
      spec.objects.find((x) => x.objectName === o)!.columns.find((x) => x.name === c)!;
    expect(column('subscriptions', 'subscription_id')).toMatchObject({ unique: true, primaryKey: true });
    expect(column('customers', 'customer_id')).toMatchObject({ unique: false, primaryKey: false });
  });
});

describe('rule SQL on awkward numbers', () => {
  it('keeps a float column’s own extremes inside its range (DuckDB reads long decimals as DECIMAL)', async () => {
    const loaded = await loadBytes(conn, 'extremes.csv', 'x\n0.8490000000000001\n7.617000000000001\n3.5\n');
    const [row] = await conn.query(`SELECT min(x) AS lo, max(x) AS hi FROM ${ident(loaded.tableName)}`);
    const range = { min: Number(row!.lo), max: Number(row!.hi), float: true };
    expect(range.min).toBe(0.8490000000000001);
    const rule = outOfRangeSql(ident(loaded.tableName), 'x', range);
    expect(Number((await conn.query(rule.sql))[0]!.value)).toBe(0);
    const narrower = outOfRangeSql(ident(loaded.tableName), 'x', { ...range, min: 0.8490000000000002 });
    expect(Number((await conn.query(narrower.sql))[0]!.value)).toBe(1);
  });
});

describe('check specs on native DuckDB', () => {
  it('the planted extracts’ rules return what the WASM audit observed', async () => {
    const spec = deriveCheckSpec(planted.audit);
    const files = plantedRelations();
    const tables = tablesByDataset(spec, await loadCaseOn(native, plantedCase));
    expect(Object.keys(tables).sort()).toEqual(Object.values(plantedCase.ids).sort());
    const runs = await runRules(native, spec, tables);
    expect(runs.filter((r) => r.rule.kind === 'relationship').map((r) => r.value)).toEqual([
      files.expected.subscriptions.orphanRows,
      files.expected.tickets.orphanRows,
    ]);
    expectObserved(runs);
  }, 300_000);

  it('the demo’s rules, drift statistics included, return what the WASM audit observed', async () => {
    const spec = deriveCheckSpec(demo.audit);
    const loaded = await loadFile(native, DEMO_CSV);
    expect(loaded.columns).toEqual(demo.audit.datasets[0]!.columns);
    expectObserved(await runRules(native, spec, { [demo.audit.datasets[0]!.id]: loaded.tableName }));
  }, 300_000);
});

import { beforeAll, describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { useEngine, FIXTURES, loadFile } from '../../../support/engine';
import { planQueries } from '../../../../src/lib/core/plan/compute';
import { computePlanResults } from '../../../../src/lib/session/plan';
import { QueryRunner } from '../../../../src/lib/session/query-runner';
import { rankRules, rulePoints } from '../../../../src/lib/core/plan/rules';
import { MetricPlanSchema, type PlanResults } from '../../../../src/lib/core/model/plan';
import {
  lastValueBaselineQuery,
  regressionBaselinesQuery,
  timeSplitQuery,
} from '../../../../src/lib/core/sql/plan';
import {
  categoricalRuleBucketsQuery,
  numericRuleBucketsQuery,
} from '../../../../src/lib/core/sql/plan-rules';
import type { ReadinessSetup } from '../../../../src/lib/core/readiness/types';
import { setupFor } from '../plan/plan-support';

interface RulesReference {
  totals: { n: number; positives: number; c_fp: number; c_fn: number; planted: number };
  numeric: Record<
    string,
    {
      rules?: number[][];
      bestF1: number;
      bestCost: number;
      bestF1Rule: { threshold: number; direction: string };
    }
  >;
  categorical: Record<
    string,
    { bestF1: number; bestF1Set: string[]; bestCost: number; bestCostSet: string[] }
  >;
}

const reference = JSON.parse(readFileSync(join(FIXTURES, 'plan/rules.json'), 'utf8')) as RulesReference;
const costs = {
  unit: 'relative' as const,
  falsePositive: reference.totals.c_fp,
  falseNegative: reference.totals.c_fn,
};

const conn = useEngine();
let setup: ReadinessSetup;
let results: PlanResults;

beforeAll(async () => {
  const loaded = await loadFile(conn, join(FIXTURES, 'plan/rules.csv'));
  setup = await setupFor(
    conn,
    loaded.tableName,
    loaded.columns,
    { target: 'churned', id: 'id' },
    { positiveClass: 'yes' },
  );
  results = await computePlanResults(new QueryRunner(conn), { setup, computedAt: '2026-11-26T00:00:00Z' });
}, 60_000);

describe('plan SQL on the seeded rules data', () => {
  it('counts labelled rows, positives and class shares', () => {
    expect(results.labelledRows).toBe(reference.totals.n);
    expect(results.totals?.positives).toBe(reference.totals.positives);
    const yes = results.classShares.find((c) => c.label === 'yes');
    expect(yes?.count).toBe(reference.totals.positives);
    expect(results.prevalence).toBeCloseTo(reference.totals.positives / reference.totals.n, 12);
    expect(results.majorityAccuracy).toBeCloseTo(1 - reference.totals.positives / reference.totals.n, 12);
  });

  it('gives every numeric threshold rule the same flagged rows and true positives as the brute force', () => {
    const search = results.ruleSearch.find((s) => s.feature === 'tenure_score')!;
    const byThreshold = new Map(reference.numeric.tenure_score!.rules!.map((r) => [r[0]!, r]));
    const points = rulePoints(search);
    expect(points.length).toBeGreaterThan(150);
    for (const p of points) {
      const ref = byThreshold.get(p.threshold!);
      expect(ref, `threshold ${p.threshold} is a value of the data`).toBeDefined();
      const [flagged, tp] = p.direction === '>=' ? [ref![1], ref![2]] : [ref![3], ref![4]];
      expect([p.flagged, p.truePositives]).toEqual([flagged, tp]);
    }
  });

  it('never beats, and on the planted feature comes within 1 % of, the exhaustive optimum over every threshold', () => {
    for (const feature of ['tenure_score', 'noise']) {
      const search = results.ruleSearch.filter((s) => s.feature === feature);
      const [bestF1] = rankRules(search, results.totals!, undefined, 1);
      const [bestCost] = rankRules(search, results.totals!, costs);
      const ref = reference.numeric[feature]!;
      expect(bestF1!.fBeta!).toBeLessThanOrEqual(ref.bestF1 + 1e-12);
      expect(bestF1!.fBeta!).toBeGreaterThan(ref.bestF1 * 0.99);
      expect(bestCost!.cost!).toBeGreaterThanOrEqual(ref.bestCost - 1e-9);
      // On pure noise the cost optimum flags all but the top value, beyond the 99 % cut point.
      if (feature === 'tenure_score') expect(bestCost!.cost!).toBeLessThan(ref.bestCost * 1.01);
    }
  });

  it('finds the exhaustive best category set by F1 and by expected cost (one-rule prefixes)', () => {
    for (const feature of ['plan', 'region']) {
      const search = results.ruleSearch.filter((s) => s.feature === feature);
      const ref = reference.categorical[feature]!;
      const all = rulePoints(search[0]!);
      const scored = (metric: 'f1' | 'cost'): number[] =>
        all.map((p) => {
          const tp = p.truePositives;
          const fp = p.flagged - tp;
          const fn = reference.totals.positives - tp;
          return metric === 'cost'
            ? fp * costs.falsePositive + fn * costs.falseNegative
            : (2 * tp) / (p.flagged + reference.totals.positives);
        });
      expect(Math.max(...scored('f1'))).toBeCloseTo(ref.bestF1, 12);
      expect(Math.min(...scored('cost'))).toBe(ref.bestCost);
      const bestF1Point = all[scored('f1').indexOf(Math.max(...scored('f1')))]!;
      expect([...bestF1Point.categories].sort()).toEqual(ref.bestF1Set);
    }
  });

  it('finds the planted feature and a threshold near the planted one', () => {
    const [best] = rankRules(results.ruleSearch, results.totals!);
    expect(best!.feature).toBe('tenure_score');
    expect(best!.direction).toBe('>=');
    expect(Math.abs(best!.threshold! - reference.totals.planted)).toBeLessThan(2);
  });

  it('leaves the ID out of the rule search and says why', () => {
    expect(results.ruleSearch.map((s) => s.feature)).not.toContain('id');
    expect(results.ruleSearch.map((s) => s.feature)).toEqual(
      expect.arrayContaining(['tenure_score', 'noise', 'plan', 'region', 'amount']),
    );
  });

  it('excludes columns named by leakage findings', () => {
    const leak = {
      id: 'x',
      check: 'leakage-target-proxy',
      area: 'leakage' as const,
      severity: 'blocker' as const,
      title: 't',
      datasetId: 'ds',
      columns: ['tenure_score'],
      evidence: {},
      sql: '',
      recommendation: '',
    };
    const queries = planQueries({ setup, findings: [leak], computedAt: '' });
    expect(Object.values(queries).some((q) => q.includes('"tenure_score"'))).toBe(false);
  });

  it('sums the value column over positives per bucket', async () => {
    const rows = await conn.query(numericRuleBucketsQuery(setup.sql, 'noise', 'amount'));
    const total = rows.reduce((s, r) => s + Number(r.positive_value ?? 0), 0);
    const [check] = await conn.query(
      `SELECT sum(amount) AS s FROM ${JSON.stringify(setup.sql.table)} WHERE churned = 'yes'`,
    );
    expect(total).toBeCloseTo(Number(check!.s), 6);
  });

  it('quotes hostile column names', async () => {
    await conn.exec(
      `CREATE TABLE "we""ird" AS SELECT range AS "a""; DROP TABLE x; --", CASE WHEN range % 4 = 0 THEN 'yes' ELSE 'no' END AS "lab el" FROM range(200)`,
    );
    const ctx = {
      table: 'we"ird',
      asOf: '2026-11-01',
      label: { column: 'lab el', kind: 'classes' as const, positive: 'yes' },
    };
    const numeric = await conn.query(numericRuleBucketsQuery(ctx, 'a"; DROP TABLE x; --'));
    expect(numeric.reduce((s, r) => s + Number(r.n), 0)).toBe(200);
    const categorical = await conn.query(categoricalRuleBucketsQuery(ctx, 'a"; DROP TABLE x; --'));
    expect(categorical.length).toBe(101);
  });

  it('splits by time at the holdout share and by ID hash', async () => {
    await conn.exec(`CREATE TABLE timed AS SELECT range AS id, TIMESTAMP '2025-01-01' + INTERVAL (range) DAY AS ts,
      CASE WHEN range % 5 = 0 THEN 'yes' ELSE 'no' END AS y FROM range(100)`);
    const ctx = {
      table: 'timed',
      asOf: '2026-11-01',
      id: 'id',
      time: { column: 'ts', type: 'TIMESTAMP' },
      label: { column: 'y', kind: 'classes' as const, positive: 'yes' },
    };
    const [row] = await conn.query(timeSplitQuery(ctx, 0.2));
    // quantile_disc(0.8) of 100 days is day 80 (0-based), so days 80..99 are the 20 % validation.
    expect(row!.split_at).toBe('2025-03-22T00:00:00');
    expect(Number(row!.validation_rows)).toBe(20);
    expect(Number(row!.train_rows)).toBe(80);
    expect(Number(row!.train_positives) + Number(row!.validation_positives)).toBe(20);
    const plan = MetricPlanSchema.parse({
      primaryMetric: 'recall',
      validation: { design: 'group', holdoutShare: 0.3 },
    });
    const s = await setupFor(
      conn,
      'timed',
      [
        { name: 'id', type: 'BIGINT' },
        { name: 'ts', type: 'TIMESTAMP' },
        { name: 'y', type: 'VARCHAR' },
      ],
      { target: 'y', id: 'id', eventTime: 'ts' },
      { positiveClass: 'yes' },
    );
    const grouped = await computePlanResults(new QueryRunner(conn), { setup: s, plan, computedAt: '' });
    expect(grouped.split?.design).toBe('group');
    expect(grouped.split!.trainRows + grouped.split!.validationRows).toBe(100);
    expect(grouped.split!.validationGroups).toBe(grouped.split!.validationRows);
    expect(grouped.split!.validationRows).toBeGreaterThan(15);
    expect(grouped.split!.validationRows).toBeLessThan(45);
    expect(grouped.rowsPerMonth).toBeCloseTo(100 / 4, 9);
  });

  it('computes mean, median and last-value-per-ID baselines and counts zero targets', async () => {
    // Two IDs, four days each; values chosen by hand, with one zero.
    const rows: [number, string, number][] = [
      [1, '2025-01-01', 10],
      [1, '2025-01-02', 12],
      [1, '2025-01-03', 0],
      [1, '2025-01-04', 14],
      [2, '2025-01-01', 100],
      [2, '2025-01-02', 90],
      [2, '2025-01-03', 95],
      [2, '2025-01-04', 99],
    ];
    await conn.exec(
      `CREATE TABLE amounts AS SELECT * FROM (VALUES ${rows.map(([i, d, y]) => `(${i}, TIMESTAMP '${d}', ${y}.0)`).join(', ')}) t(id, ts, y)`,
    );
    const ctx = {
      table: 'amounts',
      asOf: '2026-11-01',
      id: 'id',
      time: { column: 'ts', type: 'TIMESTAMP' },
      label: { column: 'y', kind: 'numeric' as const },
    };
    const ys = rows.map((r) => r[2]);
    const mean = ys.reduce((a, b) => a + b, 0) / ys.length;
    const sorted = [...ys].sort((a, b) => a - b);
    const median = (sorted[3]! + sorted[4]!) / 2;
    const mae = (p: number) => ys.reduce((a, y) => a + Math.abs(y - p), 0) / ys.length;
    const rmse = (p: number) => Math.sqrt(ys.reduce((a, y) => a + (y - p) ** 2, 0) / ys.length);
    const nonZero = ys.filter((y) => y !== 0);
    const mape = (p: number) => nonZero.reduce((a, y) => a + Math.abs((y - p) / y), 0) / nonZero.length;
    const [r] = await conn.query(regressionBaselinesQuery(ctx));
    expect(Number(r!.zeros)).toBe(1);
    expect(Number(r!.mean)).toBeCloseTo(mean, 12);
    expect(Number(r!.median)).toBeCloseTo(median, 12);
    expect(Number(r!.mae_mean)).toBeCloseTo(mae(mean), 12);
    expect(Number(r!.rmse_median)).toBeCloseTo(rmse(median), 12);
    expect(Number(r!.mape_mean)).toBeCloseTo(mape(mean), 12);
    // Last value: previous day's y of the same ID, scored on the 6 rows that have one.
    const pairs = [
      [12, 10],
      [0, 12],
      [14, 0],
      [90, 100],
      [95, 90],
      [99, 95],
    ] as const;
    const [l] = await conn.query(lastValueBaselineQuery(ctx));
    expect(Number(l!.n)).toBe(6);
    expect(Number(l!.mae)).toBeCloseTo(pairs.reduce((a, [y, p]) => a + Math.abs(y - p), 0) / 6, 12);
    const scored = pairs.filter(([y]) => y !== 0);
    expect(Number(l!.mape)).toBeCloseTo(
      scored.reduce((a, [y, p]) => a + Math.abs((y - p) / y), 0) / scored.length,
      12,
    );
  });
});

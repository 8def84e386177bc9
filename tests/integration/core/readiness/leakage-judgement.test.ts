import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { useEngine, FIXTURES, loadFile } from '../../../support/engine';
import { readinessInput, projectContext } from '../../../support/readiness';
import type { Connector } from '../../../../src/lib/engine/connector';
import type { LoadedDataset } from '../../../../src/lib/engine/load-dataset';
import { runReadiness } from '../../../../src/lib/session/readiness';
import type { ColumnRoles, Finding, ProjectContext } from '../../../../src/lib/core/model/audit';
import {
  determiningRule,
  isEarlierPeriod,
  oneRule,
  pairR2,
  seriesPeriod,
  uncertaintyCoefficient,
} from '../../../../src/lib/core/readiness/leakage-judgement';
import { computePlanResults } from '../../../../src/lib/session/plan';
import { QueryRunner } from '../../../../src/lib/session/query-runner';
import { evaluatePlan } from '../../../../src/lib/core/plan/evaluate';
import { MetricPlanSchema } from '../../../../src/lib/core/model/plan';
import { READINESS_THRESHOLDS } from '../../../../src/lib/core/thresholds';
import { featureBinsQuery } from '../../../../src/lib/core/sql/readiness-leakage';
import { setupFor } from '../plan/plan-support';

/**
 * Leakage that matters, ranked by how sure we are (issue 17 §1). Planted data and reference values
 * come from tests/fixtures/leakage/make_leakage_fixtures.py (NumPy, SciPy, scikit-learn); the
 * corpus files are public datasets where the checks must stay quiet.
 */

interface OneRuleReference {
  rows: number;
  correct: number;
  commonest: number;
  accuracy: number;
  lambda: number;
  entropyShare: number;
  intervals: number;
}

const reference = JSON.parse(readFileSync(join(FIXTURES, 'leakage/reference.json'), 'utf8')) as {
  loans: {
    rows: number;
    chargedOff: number;
    auc: Record<string, number>;
    recoveriesNonZero: { rows: number; chargedOff: number; precision: number; recall: number };
  };
  species: Record<string, OneRuleReference> & { markerOneVsRestAuc: number };
  regions: { spearman: Record<string, number>; pearsonR2: Record<string, number>; grossDeductionsR2: number };
  trend: { rhoWithTime: Record<string, number>; rhoWithTarget: Record<string, number> };
  corpus: {
    penguinsFlipper: OneRuleReference;
    iris: Record<string, OneRuleReference>;
    wine: Record<string, OneRuleReference>;
  };
};

const LEAKAGE = ['leakage-single-feature', 'leakage-strong-features', 'leakage-derived', 'leakage-id-like'];
const t = READINESS_THRESHOLDS;

const conn = useEngine();
const loaded: Record<string, LoadedDataset> = {};

beforeAll(async () => {
  for (const file of ['loans.csv', 'species.csv', 'regions.csv', 'trend.csv'])
    loaded[file] = await loadFile(conn, join(FIXTURES, 'leakage', file));
  for (const file of [
    'iris.csv',
    'wine.csv',
    'breast_cancer.csv',
    'engel.csv',
    'elnino.csv',
    'macrodata.csv',
    'diabetes.csv',
    'longley.csv',
  ])
    loaded[file] = await loadFile(conn, join(FIXTURES, 'corpus', file));
}, 120_000);

async function audit(
  file: string,
  roles: Partial<ColumnRoles>,
  ctx: Partial<ProjectContext>,
): Promise<Finding[]> {
  return runReadiness(conn, { ...readinessInput(loaded[file]!, file, roles, ctx), only: LEAKAGE });
}

const serious = (findings: Finding[]): string[] =>
  findings.filter((f) => f.severity === 'blocker' || f.severity === 'major').map((f) => f.id);

function find(findings: Finding[], id: string): Finding {
  const f = findings.find((x) => x.id === id);
  expect(f, `missing ${id}; have ${findings.map((x) => x.id).join(', ')}`).toBeDefined();
  return f!;
}

function summaryRow(findings: Finding[], file: string, column: string): Record<string, unknown> {
  const row = find(findings, `leakage-single-feature:${file}:summary`).details?.find(
    (d) => d.column === column,
  );
  expect(row, `no summary row for ${column}`).toBeDefined();
  return row!;
}

describe('the loan book: a column recorded after the outcome', () => {
  const loans = (): Promise<Finding[]> =>
    audit('loans.csv', { target: 'status' }, { positiveClass: 'Charged Off' });

  it('blocks on recoveries, non-zero only for charged-off loans, although its AUC (0.92) is below any near-perfect line', async () => {
    const findings = await loans();
    const f = find(findings, 'leakage-single-feature:loans.csv:recoveries');
    expect(f.severity).toBe('blocker');
    expect(f.title).toMatch(/non-zero almost only for “Charged Off” rows/);
    const r = reference.loans.recoveriesNonZero;
    expect(f.evidence).toMatchObject({ rowsWhere: r.rows, rowsOfClass: r.chargedOff, precision: 1 });
    expect(Number(f.evidence.recall)).toBeCloseTo(r.recall, 4);
    expect(Number(f.evidence.valueAuc)).toBeCloseTo(reference.loans.auc.recoveries!, 4);
    expect(reference.loans.auc.recoveries!).toBeLessThan(t.strongAuc);
    // Its SQL reproduces the counts by class.
    const rows = await conn.query(f.sql);
    expect(rows.find((x) => x.class === 'charged off')?.nonzero).toBe(r.chargedOff);
    expect(rows.find((x) => x.class === 'fully paid')?.nonzero).toBe(0);
  });

  it('blocks on a column that determines the label (AUC ≥ 0.99) and groups the strong one (0.95–0.99) in one minor', async () => {
    const findings = await loans();
    const dpd = find(findings, 'leakage-single-feature:loans.csv:final_days_past_due');
    expect(dpd.severity).toBe('blocker');
    expect(Number(dpd.evidence.auc)).toBeCloseTo(reference.loans.auc.final_days_past_due!, 4);
    const strong = find(findings, 'leakage-strong-features:loans.csv:summary');
    expect(strong.severity).toBe('minor');
    expect(strong.columns).toEqual(['payment_stress']);
    expect(Number(strong.details?.[0]?.value)).toBeCloseTo(reference.loans.auc.payment_stress!, 4);
    expect(strong.title).toMatch(/confirm when each value becomes known/);
    expect(serious(findings).sort()).toEqual([
      'leakage-single-feature:loans.csv:final_days_past_due',
      'leakage-single-feature:loans.csv:recoveries',
    ]);
    for (const c of ['amount', 'income'])
      expect(Number(summaryRow(findings, 'loans.csv', c).auc)).toBeCloseTo(reference.loans.auc[c]!, 4);
  });

  it('keeps the suspects out of the metric plan’s rule baseline, with the reason, and keeps the plausible one in', async () => {
    const findings = await loans();
    const d = loaded['loans.csv']!;
    const setup = await setupFor(
      conn,
      d.tableName,
      d.columns,
      { target: 'status' },
      { positiveClass: 'Charged Off' },
    );
    const plan = MetricPlanSchema.parse({
      primaryMetric: 'precision',
      targets: { metricThreshold: 0.5 },
      validation: { design: 'random', holdoutShare: 0.2 },
    });
    const results = await computePlanResults(new QueryRunner(conn), {
      setup,
      plan,
      findings,
      computedAt: '2026-12-03T00:00:00Z',
    });
    expect(results.excludedColumns).toContainEqual({ column: 'recoveries', reason: 'leakage finding' });
    expect(results.excludedColumns).toContainEqual({
      column: 'final_days_past_due',
      reason: 'leakage finding',
    });
    const searched = results.ruleSearch.map((s) => s.feature);
    expect(searched).not.toContain('recoveries');
    expect(searched).toContain('payment_stress');
    const best = evaluatePlan(plan, results).bestRule;
    expect(best?.feature).not.toBe('recoveries');
    // Without the findings, the leak is the baseline a model "must beat".
    const naive = await computePlanResults(new QueryRunner(conn), {
      setup,
      plan,
      computedAt: '2026-12-03T00:00:00Z',
    });
    expect(naive.ruleSearch.map((s) => s.feature)).toContain('recoveries');
  });
});

describe('multiclass: the whole label, never one class against the rest', () => {
  it('blocks on a feature whose one-rule gives every class away, and groups the strong one', async () => {
    const findings = await audit('species.csv', { target: 'species' }, { task: 'multiclass' });
    const code = find(findings, 'leakage-single-feature:species.csv:code_reading');
    expect(code.severity).toBe('blocker');
    expect(code.evidence).toMatchObject({ accuracy: 1, lambda: 1, intervals: 3 });
    const strong = find(findings, 'leakage-strong-features:species.csv:summary');
    expect(strong.columns).toEqual(['width']);
    const w = reference.species.width!;
    expect(w.lambda).toBeGreaterThanOrEqual(t.strongOneRule);
    expect(w.lambda).toBeLessThan(t.nearPerfectOneRule);
    expect(serious(findings)).toEqual(['leakage-single-feature:species.csv:code_reading']);
  });

  it('computes the one-rule and its entropy share as the Python reference (1R, scikit-learn mutual_info_score)', async () => {
    const findings = await audit('species.csv', { target: 'species' }, { task: 'multiclass' });
    for (const c of ['code_reading', 'width', 'marker', 'noise']) {
      const row = summaryRow(findings, 'species.csv', c);
      const ref = reference.species[c]!;
      expect(Number(row.accuracy), c).toBeCloseTo(ref.accuracy, 4);
      expect(Number(row.strength), c).toBeCloseTo(ref.lambda, 4);
      expect(Number(row.entropyShare), c).toBeCloseTo(ref.entropyShare, 4);
    }
  });

  it('says nothing of a marker that separates one class perfectly (one-vs-rest AUC 1) but not the others', async () => {
    const findings = await audit('species.csv', { target: 'species' }, { task: 'multiclass' });
    expect(reference.species.markerOneVsRestAuc).toBe(1);
    expect(findings.filter((f) => f.columns.includes('marker') && f.severity !== 'info')).toEqual([]);
  });

  it.each([
    ['iris.csv', 'species'],
    ['wine.csv', 'cultivar'],
  ] as const)('stays quiet on %s, whose measurements separate one class each', async (file, target) => {
    const findings = await audit(file, { target }, { task: 'multiclass' });
    expect(findings.filter((f) => f.severity !== 'info').map((f) => f.id)).toEqual([]);
    const refs = file === 'iris.csv' ? reference.corpus.iris : reference.corpus.wine;
    for (const [column, ref] of Object.entries(refs)) {
      const row = summaryRow(findings, file, column);
      expect(Number(row.strength), column).toBeCloseTo(ref.lambda, 4);
      expect(Number(row.entropyShare), column).toBeCloseTo(ref.entropyShare, 4);
    }
  });
});

describe('binary: strong but plausible measurements', () => {
  it('puts breast cancer’s five strongest measurements (AUC 0.96–0.98) in one minor finding, with no blocker', async () => {
    const findings = await audit(
      'breast_cancer.csv',
      { target: 'diagnosis' },
      { positiveClass: 'malignant' },
    );
    expect(serious(findings)).toEqual([]);
    const strong = find(findings, 'leakage-strong-features:breast_cancer.csv:summary');
    expect(strong.severity).toBe('minor');
    expect([...strong.columns].sort()).toEqual(
      ['mean concave points', 'worst area', 'worst concave points', 'worst perimeter', 'worst radius'].sort(),
    );
    // The grouped finding carries each feature's own statement, and they run.
    const statements = strong.sql.split(';\n').filter((x) => x.trim() !== '');
    expect(statements).toHaveLength(5);
    for (const column of strong.columns)
      expect(statements.filter((x) => x.includes(`"${column}"`))).toHaveLength(1);
    for (const statement of statements) expect((await conn.query(statement)).length).toBeGreaterThan(0);
    // High-precision cut points exist (worst perimeter ≥ 120.4: 99.4 % malignant), but no column is
    // filled in or non-zero almost only for one class.
    expect(findings.some((f) => f.check === 'leakage-single-feature' && f.severity === 'blocker')).toBe(
      false,
    );
  });
});

describe('regression: derived targets, series and shared trends', () => {
  const regions = (): Promise<Finding[]> =>
    audit('regions.csv', { target: 'sales_2023' }, { task: 'regression' });

  it('blocks on two columns that reproduce the target exactly (gross − deductions), as leakage-derived', async () => {
    const findings = await regions();
    const f = find(findings, 'leakage-derived:regions.csv:gross+deductions');
    expect(f.severity).toBe('blocker');
    expect(Number(f.evidence.r2)).toBeCloseTo(reference.regions.grossDeductionsR2, 6);
    const [row] = await conn.query(f.sql);
    expect(Number(row?.r2)).toBeCloseTo(reference.regions.grossDeductionsR2, 6);
  });

  it('blocks on a monotone transform of the target (ρ = 1) and groups the strong feature (ρ 0.92)', async () => {
    const findings = await regions();
    const index = find(findings, 'leakage-single-feature:regions.csv:sales_index');
    expect(index.severity).toBe('blocker');
    expect(Number(index.evidence.strength)).toBeCloseTo(reference.regions.spearman.sales_index!, 6);
    const strong = find(findings, 'leakage-strong-features:regions.csv:summary');
    expect(strong.columns).toEqual(['store_size']);
    expect(Number(strong.details?.[0]?.value)).toBeCloseTo(reference.regions.spearman.store_size!, 4);
  });

  it('says the earlier years of the same series are the series carrying on, not leakage', async () => {
    const findings = await regions();
    const f = find(findings, 'leakage-single-feature:regions.csv:series');
    expect(f.severity).toBe('info');
    expect(f.columns).toEqual(['sales_2019', 'sales_2020', 'sales_2021', 'sales_2022', 'sales_2023']);
    expect(serious(findings).sort()).toEqual([
      'leakage-derived:regions.csv:gross+deductions',
      'leakage-single-feature:regions.csv:sales_index',
    ]);
  });

  it('reports a shared trend with time as info, not leakage; an untrended feature is left alone', async () => {
    const findings = await audit(
      'trend.csv',
      { target: 'employment', eventTime: 'year' },
      { task: 'regression' },
    );
    expect(reference.trend.rhoWithTarget.gnp!).toBeGreaterThanOrEqual(t.strongRho);
    expect(findings.filter((f) => f.severity !== 'info').map((f) => f.id)).toEqual([]);
    const f = find(findings, 'leakage-single-feature:trend.csv:trend');
    expect(f.columns).toEqual(['gnp', 'employment', 'year']);
    expect(Number(f.evidence.targetRhoWithTime)).toBeCloseTo(reference.trend.rhoWithTime.employment!, 4);
    expect(Number(f.details?.[0]?.rhoWithTime)).toBeCloseTo(reference.trend.rhoWithTime.gnp!, 4);
  });

  it('finds macrodata’s realint = tbilrate − infl (R² 0.9963 with its placeholder first quarter)', async () => {
    const findings = await audit('macrodata.csv', { target: 'infl' }, { task: 'regression' });
    const f = find(findings, 'leakage-derived:macrodata.csv:tbilrate+realint');
    expect(f.severity).toBe('blocker');
    expect(Number(f.evidence.r2)).toBeGreaterThan(t.derivedR2);
    expect(Number(f.evidence.r2)).toBeLessThan(0.999);
    expect(serious(findings)).toEqual(['leakage-derived:macrodata.csv:tbilrate+realint']);
  });

  it.each([
    ['engel.csv', 'foodexp', undefined, ['leakage-strong-features:engel.csv:summary']],
    ['elnino.csv', 'DEC', 'YEAR', ['leakage-single-feature:elnino.csv:series']],
    ['diabetes.csv', 'progression', undefined, []],
    ['longley.csv', 'TOTEMP', 'YEAR', ['leakage-single-feature:longley.csv:trend']],
  ] as const)('raises no blocker or major on %s', async (file, target, time, expected) => {
    const findings = await audit(
      file,
      { target, ...(time ? { eventTime: time } : {}) },
      { task: 'regression' },
    );
    expect(serious(findings)).toEqual([]);
    const notable = findings.filter(
      (f) => !f.id.endsWith(':summary') || f.check === 'leakage-strong-features',
    );
    expect(notable.map((f) => f.id)).toEqual(expected);
  });

  it('needs 30 complete rows before calling a pair of columns a derivation', async () => {
    await conn.exec(
      `CREATE TABLE short_pair AS SELECT range AS i, (range * 7919 % 101) / 10.0 AS a, (range * 104729 % 97) / 10.0 AS b, (range * 7919 % 101) / 10.0 - (range * 104729 % 97) / 10.0 AS y FROM range(${t.derivedMinRows - 1})`,
    );
    const columns = [
      { name: 'a', type: 'DOUBLE' },
      { name: 'b', type: 'DOUBLE' },
      { name: 'y', type: 'DOUBLE' },
    ];
    const run = (table: string): Promise<Finding[]> =>
      runReadiness(conn, {
        tableName: table,
        datasetId: table,
        columns,
        roles: { target: 'y', segments: [], excluded: [] },
        context: projectContext({ task: 'regression' }),
        only: ['leakage-derived'],
      });
    expect(await run('short_pair')).toEqual([]);
    await conn.exec(
      `CREATE TABLE long_pair AS SELECT range AS i, (range * 7919 % 101) / 10.0 AS a, (range * 104729 % 97) / 10.0 AS b, (range * 7919 % 101) / 10.0 - (range * 104729 % 97) / 10.0 AS y FROM range(${t.derivedMinRows})`,
    );
    expect((await run('long_pair')).map((f) => f.id)).toEqual(['leakage-derived:long_pair:a+b']);
  });
});

describe('statements', () => {
  it('bins a feature with more distinct values than bins by midpoint rank, ties in one bin', async () => {
    await conn.exec(
      `CREATE TABLE many AS SELECT CASE WHEN range < 300 THEN 7.0 ELSE range / 3.0 END AS x, ['a', 'b', 'c'][range % 3 + 1] AS y FROM range(5000)`,
    );
    const ctx = { table: 'many', label: { column: 'y', kind: 'classes' as const }, asOf: '2026-01-01' };
    const rows = await conn.query(
      featureBinsQuery(ctx, [{ method: 'rank', expression: 'CAST(x AS DOUBLE)' }], 100),
    );
    const bins = new Set(rows.map((r) => Number(r.bin)));
    expect(bins.size).toBeLessThanOrEqual(100);
    expect(rows.reduce((a, r) => a + Number(r.rows), 0)).toBe(5000);
    // The 300 tied rows at 7.0 share one bin: 300 of 5000 rows is 6 of 100 equal bins.
    const tied = rows.filter((r) => r.lo === '7.0' && r.hi === '7.0');
    expect(tied.reduce((a, r) => a + Number(r.rows), 0)).toBe(300);
    expect(new Set(tied.map((r) => r.bin)).size).toBe(1);
  });

  it('runs leakage-single-feature’s statements once for it and leakage-strong-features', async () => {
    const d = loaded['loans.csv']!;
    const sql: string[] = [];
    const recording: Connector = { ...conn, query: (s: string) => (sql.push(s), conn.query(s)) };
    await runReadiness(recording, {
      tableName: d.tableName,
      datasetId: 'loans',
      columns: d.columns,
      roles: { target: 'status', segments: [], excluded: [] },
      context: projectContext({ positiveClass: 'Charged Off' }),
      only: ['leakage-single-feature', 'leakage-strong-features'],
    });
    expect(sql.filter((s) => s.includes('rz_f IN')).length).toBe(1);
    expect(sql.filter((s) => s.includes('nonzero_0')).length).toBe(1);
  });
});

describe('the judgement, on small tables', () => {
  it('gives each category of a categorical feature its own rule', () => {
    const r = oneRule(
      [
        { bin: 0, cls: 'x', rows: 8 },
        { bin: 0, cls: 'y', rows: 2 },
        { bin: 1, cls: 'y', rows: 5 },
      ],
      false,
      6,
    );
    expect(r).toMatchObject({ rows: 15, correct: 13, commonest: 8 });
    expect(r.lambda).toBeCloseTo(5 / 7, 12);
  });

  it('grows an interval until its majority has the minimum bucket, then merges neighbours predicting the same class', () => {
    const units = [
      ['a', 'a', 'b', 'a', 'a', 'a', 'a'],
      ['b', 'b', 'b', 'b', 'b', 'b'],
    ]
      .flat()
      .map((cls, bin) => ({ bin, cls, rows: 1 }));
    const r = oneRule(units, true, 6);
    expect(r.intervals.map((x) => [x.firstBin, x.lastBin, x.cls])).toEqual([
      [0, 6, 'a'],
      [7, 12, 'b'],
    ]);
    expect(r.correct).toBe(12);
  });

  it('computes the entropy share as mutual_info_score ÷ entropy', () => {
    // Independent: no information. Identical: all of it.
    expect(
      uncertaintyCoefficient(
        [
          [5, 5],
          [5, 5],
        ],
        [10, 10],
      ),
    ).toBeCloseTo(0, 12);
    expect(
      uncertaintyCoefficient(
        [
          [10, 0],
          [0, 10],
        ],
        [10, 10],
      ),
    ).toBeCloseTo(1, 12);
  });

  it('asks "almost only in one class" at precision ≥ 0.99 as counted and balanced, recall ≥ 0.2, over ≥ 100 rows', () => {
    const rule = (hitsIn: number, rowsIn: number, hitsOut: number, rowsOut: number): boolean =>
      determiningRule(
        [
          { cls: 'p', rows: rowsIn, hits: hitsIn },
          { cls: 'n', rows: rowsOut, hits: hitsOut },
        ],
        0.99,
        0.2,
      )?.cls === 'p';
    expect(rule(120, 150, 0, 850)).toBe(true);
    expect(rule(99, 150, 0, 850)).toBe(false); // fewer than 100 rows cannot show 99 %
    expect(rule(120, 700, 0, 300)).toBe(false); // recall 0.17
    expect(rule(120, 150, 2, 850)).toBe(false); // precision 0.984
    // A class of 99.5 % of the rows: "filled ⇒ that class" is 99.5 % precise by its size alone.
    expect(
      determiningRule(
        [
          { cls: 'big', rows: 9950, hits: 4975 },
          { cls: 'small', rows: 50, hits: 25 },
        ],
        0.99,
        0.2,
      ),
    ).toBeNull();
  });

  it('gives the R² of a pair from three correlations', () => {
    expect(pairR2(0.6, 0.8, 0)).toBeCloseTo(1, 12);
    expect(pairR2(0.5, 0.5, 1)).toBeNull();
  });

  it('reads column names as periods of a series', () => {
    expect(isEarlierPeriod('2012', '2013')).toBe(true);
    expect(isEarlierPeriod('2014', '2013')).toBe(false); // a later period is future information
    expect(isEarlierPeriod('NOV', 'DEC')).toBe(true);
    expect(isEarlierPeriod('sales_2022', 'sales_2023')).toBe(true);
    expect(isEarlierPeriod('cost_2022', 'sales_2023')).toBe(false);
    expect(isEarlierPeriod('sales_lag1', 'sales')).toBe(true);
    expect(isEarlierPeriod('sales_t-2', 'sales')).toBe(true);
    expect(isEarlierPeriod('q3_2012', 'q4_2012')).toBe(true);
    expect(seriesPeriod('pixel_4_4')).toBeNull();
    expect(seriesPeriod('income')).toBeNull();
  });
});

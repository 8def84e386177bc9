import {
  MetricPlanSchema,
  type MetricPlanInput,
  type PlanResults,
} from '../../../../src/lib/core/model/plan';

/** Hand-made results: 10 % prevalence, 1,000 rows a month, a 20 % time split. */
export function results(overrides: Partial<PlanResults> = {}): PlanResults {
  return {
    datasetId: 'ds',
    computedAt: '2026-11-26T00:00:00Z',
    task: 'binary',
    target: 'y',
    rows: 12_000,
    labelledRows: 12_000,
    positiveClass: 'yes',
    classShares: [
      { label: 'no', count: 10_800, share: 0.9 },
      { label: 'yes', count: 1_200, share: 0.1 },
    ],
    prevalence: 0.1,
    majorityLabel: 'no',
    majorityAccuracy: 0.9,
    excludedColumns: [],
    totals: { n: 12_000, positives: 1_200, positiveValue: null, positivesWithoutValue: 0 },
    ruleSearch: [
      {
        feature: 'score',
        kind: 'numeric',
        // Below 10: 6,000 rows, 120 positives; 10–20: 4,000 / 480; 20 and up: 2,000 / 600.
        buckets: [
          { key: null, missing: false, lumped: false, n: 6_000, positives: 120, positiveValue: null },
          { key: 10, missing: false, lumped: false, n: 4_000, positives: 480, positiveValue: null },
          { key: 20, missing: false, lumped: false, n: 2_000, positives: 600, positiveValue: null },
        ],
      },
    ],
    rowsPerWeek: 230,
    rowsPerMonth: 1_000,
    split: {
      design: 'time',
      holdoutShare: 0.2,
      splitAt: '2026-01-01T00:00:00',
      trainRows: 9_600,
      validationRows: 2_400,
      trainPositives: 960,
      validationPositives: 240,
      trainGroups: null,
      validationGroups: null,
      sharedGroups: null,
    },
    sql: { classes: 'SELECT 1', periods: 'SELECT 2', split: 'SELECT 3', 'rule:0': 'SELECT 4' },
    ...overrides,
  };
}

export function plan(input: Partial<MetricPlanInput> = {}) {
  return MetricPlanSchema.parse({
    primaryMetric: 'recall',
    costs: { unit: 'money', currency: 'EUR', falsePositive: 10, falseNegative: 100 },
    capacity: { cases: 300, per: 'month' },
    targets: { minPrecision: 0.5, minRecall: 0.6 },
    validation: { design: 'time', holdoutShare: 0.2 },
    ...input,
  });
}

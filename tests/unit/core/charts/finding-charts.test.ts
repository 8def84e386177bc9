import { describe, expect, it } from 'vitest';
import { compile, type TopLevelSpec } from 'vega-lite';
import { parse, View } from 'vega';
import type { Finding } from '../../../../src/lib/core/model/audit';
import { READINESS_THRESHOLDS } from '../../../../src/lib/core/thresholds';
import {
  categoryBarSpec,
  classSharesSpec,
  featureStrengthSpec,
  labelRateByMonthSpec,
  labelRateBySourceSpec,
  rowsByHourSpec,
  rowsByMonthSpec,
} from '../../../../src/lib/core/charts/finding-charts';
import { findingChart } from '../../../../src/lib/core/deliverable/presentation';

function finding(
  check: string,
  details: Record<string, unknown>[] | undefined,
  evidence: Finding['evidence'] = {},
): Finding {
  return {
    id: `${check}:ds:k`,
    check,
    area: 'labels',
    severity: 'info',
    title: `${check} finding`,
    datasetId: 'ds',
    columns: [],
    evidence,
    ...(details ? { details } : {}),
    sql: 'SELECT 1',
    recommendation: '',
  };
}

/** Compile with vega-lite (throws on invalid specs), then run the Vega dataflow headless. */
async function render(spec: TopLevelSpec): Promise<View> {
  const { spec: vg } = compile(spec);
  const view = new View(parse(vg), { renderer: 'none' });
  await view.runAsync();
  return view;
}

/** Rows of every named dataset that carries source values. */
function allValues(view: View, spec: TopLevelSpec): Record<string, unknown>[] {
  const { spec: vg } = compile(spec);
  return (vg.data ?? [])
    .filter((d) => 'values' in d)
    .flatMap((d) => view.data(d.name) as Record<string, unknown>[]);
}

const months = [
  { month: '2024-03', rows: 413, labelled: 413, positives: 98, rate: 0.2373 },
  { month: '2024-04', rows: 0, labelled: 0, positives: 0, rate: null },
  { month: '2024-05', rows: 399, labelled: 399, positives: 105, rate: 0.2632 },
];

const bySource = [
  {
    source: 'crm_eu',
    rows: 5443,
    positiveRate: 0.1936,
    residual: -9.94,
    'share:No': 0.8064,
    'share:Yes': 0.1936,
  },
  {
    source: 'legacy_billing',
    rows: 1747,
    positiveRate: 0.4854,
    residual: 26.57,
    'share:No': 0.5146,
    'share:Yes': 0.4854,
  },
];

describe('finding chart specs', () => {
  it('plots rows per month including empty months, so gaps are visible', async () => {
    const spec = rowsByMonthSpec(months)!;
    const view = await render(spec);
    const values = allValues(view, spec);
    expect(values).toHaveLength(3);
    expect(values.find((v) => v.value === 0)).toBeDefined();
  });

  it('plots the label rate by month with the overall rate as a reference, breaking the line at missing months', async () => {
    const withGap = [...months, { month: '2024-07', rows: 420, labelled: 420, positives: 100, rate: 0.2381 }];
    const spec = labelRateByMonthSpec(withGap, 0.2364)!;
    const view = await render(spec);
    const values = allValues(view, spec);
    expect(values.filter((v) => 'month' in v).map((v) => [v.month, v.value])).toEqual([
      ['2024-03-01', 0.2373],
      ['2024-04-01', null],
      ['2024-05-01', 0.2632],
      ['2024-06-01', null],
      ['2024-07-01', 0.2381],
    ]);
    expect(values.find((v) => v.reference === 0.2364)).toBeDefined();
  });

  it('leaves months out of a bar chart when they have no value', () => {
    const spec = rowsByMonthSpec([{ month: '2024-01', rows: 3 }, { month: '2024-02' }]) as {
      layer: { data?: { values?: unknown[] } }[];
    };
    expect(spec.layer[0]!.data?.values).toEqual([{ month: '2024-01-01', value: 3 }]);
  });

  it('plots the label rate by source', async () => {
    const spec = labelRateBySourceSpec(bySource, 0.2359)!;
    const view = await render(spec);
    expect(allValues(view, spec).filter((v) => v.group === 'legacy_billing')).toHaveLength(1);
  });

  it('keeps class names out of field names: a hostile class name travels as data', async () => {
    const hostile = [{ source: 'a', 'share:x.y["z"]': 0.4, 'share:ok': 0.6 }];
    const spec = classSharesSpec(hostile, 'source', {
      title: 'Class shares',
      groupTitle: 'Source',
      prefix: 'share:',
    })!;
    const view = await render(spec);
    const parts = allValues(view, spec).map((v) => v.part);
    expect(parts).toEqual(expect.arrayContaining(['x.y["z"]', 'ok']));
    expect(JSON.stringify((spec as { encoding?: unknown }).encoding)).not.toContain('x.y');
  });

  it('draws the line at which a feature determines the label next to single-feature AUCs', async () => {
    const spec = featureStrengthSpec([
      { column: 'cancellation_reason', method: 'AUC of category rate', auc: 0.9929 },
      { column: 'contract_type', method: 'AUC of category rate', auc: 0.6582 },
    ])!;
    const view = await render(spec);
    const values = allValues(view, spec);
    expect(READINESS_THRESHOLDS.nearPerfectAuc).toBe(0.99);
    expect(values.find((v) => v.reference === READINESS_THRESHOLDS.nearPerfectAuc)).toBeDefined();
    expect(values.filter((v) => 'group' in v)).toHaveLength(2);
  });

  it('plots rows per hour on a fixed 0–23 axis', async () => {
    const spec = rowsByHourSpec([
      { hour: 0, rows: 10 },
      { hour: 9, rows: 300 },
    ])!;
    await render(spec);
    expect(JSON.stringify(spec)).toContain('"domain":[0,1,2,3');
  });

  it('returns null for empty inputs instead of an empty chart', () => {
    expect(rowsByMonthSpec([])).toBeNull();
    expect(categoryBarSpec([], { title: 't', valueTitle: 'v' })).toBeNull();
    expect(featureStrengthSpec([{ column: 'a' }])).toBeNull();
  });
});

describe('findingChart', () => {
  const cases: [string, Finding][] = [
    ['volume-months', finding('volume-months', months)],
    [
      'coverage-gaps',
      finding(
        'coverage-gaps',
        months.map(({ month, rows }) => ({ month, rows })),
      ),
    ],
    ['labels-over-time', finding('labels-over-time', months, { overallRate: 0.24 })],
    [
      'labels-over-time (numeric target)',
      finding('labels-over-time', [{ month: '2024-01', rows: 5, labelled: 5, mean: 3.2 }]),
    ],
    ['labels-by-source', finding('labels-by-source', bySource, { overallPositiveRate: 0.2359 })],
    [
      'labels-by-source (multiclass)',
      finding('labels-by-source', [{ source: 'a', rows: 9, 'share:x': 0.3, 'share:y': 0.7 }]),
    ],
    [
      'coverage-class-balance',
      finding('coverage-class-balance', [
        { period: '2024-Q1', No: 300, Yes: 100 },
        { period: '2024-Q2', No: 280, Yes: 130 },
      ]),
    ],
    [
      'volume-classes',
      finding('volume-classes', [
        { class: 'No', canonical: 'no', rows: 9169, share: 0.76 },
        { class: 'Yes', canonical: 'yes', rows: 2831, share: 0.24 },
      ]),
    ],
    [
      'volume-segments',
      finding('volume-segments', [
        { segment: 'North', rows: 1827 },
        { segment: null, rows: 12 },
      ]),
    ],
    [
      'consistency-nulls',
      finding('consistency-nulls', [
        { source: 'a', rows: 10, nulls: 5, nullRate: 0.5 },
        { source: 'b', rows: 10, nulls: 0, nullRate: 0 },
      ]),
    ],
    [
      'consistency-scale',
      finding('consistency-scale', [
        { source: 'a', rows: 10, median: 57.5 },
        { source: 'b', rows: 10, median: 5853 },
      ]),
    ],
    [
      'leakage-single-feature',
      finding('leakage-single-feature', [{ column: 'x', method: 'Spearman ρ', strength: -0.93 }]),
    ],
    [
      'time-of-day (hours)',
      finding('time-of-day', [
        { hour: 3, rows: 40 },
        { hour: 4, rows: 2 },
      ]),
    ],
    ['time-of-day (by source)', finding('time-of-day', [{ source: 'a', rows: 10, midnight: 10, share: 1 }])],
  ];

  it.each(cases)('builds a chart that compiles and runs for %s', async (_name, f) => {
    const chart = findingChart(f);
    expect(chart).not.toBeNull();
    expect(chart!.label).toContain(f.title);
    const view = await render(chart!.spec);
    expect(allValues(view, chart!.spec).length).toBeGreaterThan(0);
  });

  it('charts stacked class shares per period from class-named fields', () => {
    const chart = findingChart(cases[6]![1])!;
    const spec = chart.spec as { data?: { values?: { group: string; part: string; value: number }[] } };
    expect(spec.data?.values).toEqual(
      expect.arrayContaining([expect.objectContaining({ group: '2024-Q1', part: 'Yes', value: 100 })]),
    );
  });

  it('has no chart for findings whose table says it all or that have no details', () => {
    expect(findingChart(finding('quality-missing-like', [{ value: 'N/A', rows: 45 }]))).toBeNull();
    expect(findingChart(finding('volume-months', undefined))).toBeNull();
    expect(
      findingChart(finding('leakage-single-feature', [{ class: 'Yes', rows: 10, filled: 10 }])),
    ).toBeNull();
  });
});

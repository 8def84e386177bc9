import { describe, expect, it } from 'vitest';
import { compile, type TopLevelSpec } from 'vega-lite';
import { parse, View } from 'vega';
import {
  conceptDriftSpec,
  driftDistributionSpec,
  driftHistorySpec,
  labelDriftSpec,
} from '../../../../src/lib/core/charts/drift-charts';
import type { ColumnDrift, DriftHistory } from '../../../../src/lib/core/model/drift';
import { rankConceptSegments } from '../../../../src/lib/core/drift/concept';
import { DRIFT_THRESHOLDS } from '../../../../src/lib/core/thresholds';

/** Compile with vega-lite (throws on invalid specs), run the dataflow headless, return the source rows. */
async function rows(spec: TopLevelSpec): Promise<Record<string, unknown>[]> {
  const { spec: vg } = compile(spec);
  const view = new View(parse(vg), { renderer: 'none' });
  await view.runAsync();
  return (vg.data ?? [])
    .filter((d) => 'values' in d)
    .flatMap((d) => view.data(d.name) as Record<string, unknown>[]);
}

const HOSTILE = 'a.b["c"] + datum.x';

const column: ColumnDrift = {
  column: HOSTILE,
  kind: 'categorical',
  status: 'drift',
  method: 'jensen-shannon',
  methodOverridden: false,
  statistic: 0.2,
  threshold: 0.1,
  rule: 'Jensen–Shannon distance ≥ 0.1',
  nReference: 100,
  nCurrent: 100,
  jensenShannon: 0.2,
  psi: 0.3,
  psiLevel: 'major',
  missing: { reference: 0, current: 0, change: 0, drift: false },
  shares: [
    { label: 'web', reference: 0.6, current: 0.3 },
    { label: "shop'); alert(1)", reference: 0.4, current: 0.5 },
    { label: '(other)', reference: 0, current: 0.2 },
  ],
  categories: ['web', "shop'); alert(1)"],
  newCategories: [],
  goneCategories: [],
  sql: 'SELECT 1',
};

describe('drift charts', () => {
  it('overlays reference and current shares per bucket, with names kept as data', async () => {
    const data = await rows(driftDistributionSpec(column)!);
    expect(data).toHaveLength(6);
    expect(data.filter((r) => r.side === 'Current').map((r) => r.share)).toEqual([0.3, 0.5, 0.2]);
    expect(data.some((r) => r.bucket === "shop'); alert(1)")).toBe(true);
    expect(driftDistributionSpec({ ...column, shares: [] })).toBeNull();
  });

  it('draws the history heatmap with capped colours and reference months marked', async () => {
    const history: DriftHistory = {
      timeColumn: 't',
      referenceMonths: ['2024-01'],
      months: ['2024-01', '2024-02'],
      cells: [
        { column: HOSTILE, month: '2024-01', rows: 50, psi: 0, missingRate: 0 },
        { column: HOSTILE, month: '2024-02', rows: 50, psi: 2.5, missingRate: 0.1 },
        { column: 'y', month: '2024-02', rows: 5, psi: null, missingRate: 0 },
      ],
      columns: [],
    };
    const data = await rows(driftHistorySpec(history)!);
    expect(data.find((r) => r.month === '2024-02' && r.column === HOSTILE)).toMatchObject({
      psi: 2.5,
      shown: 0.5,
    });
    expect(data.filter((r) => r.reference === true)).toHaveLength(1);
    expect(driftHistorySpec({ ...history, cells: [] })).toBeNull();
  });

  it('compiles the label and concept panels', async () => {
    const label = await rows(
      labelDriftSpec({
        column: 'churned',
        status: 'drift',
        jensenShannon: 0.2,
        psi: 0.3,
        threshold: 0.15,
        classes: [
          { label: 'no', reference: 0.9, current: 0.7 },
          { label: 'yes', reference: 0.1, current: 0.3 },
        ],
        sql: 'SELECT 1',
      })!,
    );
    expect(label).toHaveLength(4);
    const segments = rankConceptSegments(
      [
        { feature: 'region', segment: 'north', side: 0, n: 500, positives: 50 },
        { feature: 'region', segment: 'north', side: 1, n: 500, positives: 150 },
        { feature: 'region', segment: 'south', side: 0, n: 500, positives: 50 },
        { feature: 'region', segment: 'south', side: 1, n: 500, positives: 55 },
        { feature: 'region', segment: 'tiny', side: 0, n: 5, positives: 0 },
        { feature: 'region', segment: 'tiny', side: 1, n: 5, positives: 5 },
      ],
      DRIFT_THRESHOLDS,
    );
    expect(segments.map((s) => [s.segment, s.moved])).toEqual([
      ['north', true],
      ['south', false],
    ]);
    const concept = await rows(conceptDriftSpec(segments)!);
    expect(concept).toHaveLength(4);
    expect(concept.find((r) => r.segment === 'region = north' && r.side === 'Current')!.rate).toBe(0.3);
    expect(conceptDriftSpec([])).toBeNull();
  });
});

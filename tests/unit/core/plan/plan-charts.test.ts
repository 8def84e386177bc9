import { describe, expect, it } from 'vitest';
import { compile, type TopLevelSpec } from 'vega-lite';
import { parse, View } from 'vega';
import {
  costVsShareSpec,
  rulePrCurveSpec,
  targetBandSpec,
} from '../../../../src/lib/core/charts/plan-charts';
import { evaluatePlan } from '../../../../src/lib/core/plan/evaluate';
import { plan, results } from './plan-fixtures';

/** Compile with vega-lite (throws on invalid specs), then run the Vega dataflow headless. */
async function render(spec: TopLevelSpec): Promise<View> {
  const view = new View(parse(compile(spec).spec), { renderer: 'none' });
  await view.runAsync();
  return view;
}

function values(spec: TopLevelSpec): Record<string, unknown>[] {
  const layers = 'layer' in spec ? spec.layer : [];
  const own = spec.data && 'values' in spec.data ? (spec.data.values as Record<string, unknown>[]) : [];
  return [
    ...own,
    ...layers.flatMap((l) =>
      l.data && 'values' in l.data ? (l.data.values as Record<string, unknown>[]) : [],
    ),
  ];
}

describe('plan chart specs', () => {
  const p = plan();
  const r = results();
  const e = evaluatePlan(p, r);

  it('draws the best rule’s precision–recall steps with the target point', async () => {
    const chart = rulePrCurveSpec(e, p)!;
    await render(chart.spec);
    const rows = values(chart.spec);
    // score ≥ 20 (P 0.3, R 0.5), score ≥ 10 (P 0.18, R 0.9) and the target (P 0.5, R 0.6).
    expect(rows).toContainEqual(expect.objectContaining({ recall: 0.5, precision: 0.3 }));
    expect(rows).toContainEqual(expect.objectContaining({ kind: 'Target', recall: 0.6, precision: 0.5 }));
    expect(chart.label).toContain('score');
  });

  it('plots expected cost per month against share flagged, with nothing, everything and the target', async () => {
    const chart = costVsShareSpec(e, p, r)!;
    await render(chart.spec);
    const rows = values(chart.spec);
    const at = (kind: string) => rows.find((x) => x.kind === kind)!;
    expect([at('Do nothing').share, at('Flag everything').share]).toEqual([0, 1]);
    expect(at('Do nothing').cost).toBeCloseTo(10_000, 9);
    expect(at('Flag everything').cost).toBeCloseTo(9_000, 9);
    const target = rows.find((x) => x.kind === 'Target')!;
    expect(target.cost).toBeCloseTo(4_600, 9);
    // score ≥ 20 flags 1/6 of rows: (1,400·10 + 600·100) / 12 a month.
    const rule = rows.find((x) => x.kind === 'Best rule' && Math.abs(Number(x.share) - 1 / 6) < 1e-12)!;
    expect(rule.cost).toBeCloseTo(74_000 / 12, 9);
    expect(rows).toContainEqual(expect.objectContaining({ share: 0.3, label: 'Capacity' }));
  });

  it('shows the Wilson band of recall and precision at the target', async () => {
    const chart = targetBandSpec(e)!;
    await render(chart.spec);
    const rows = values(chart.spec);
    const recall = rows.find((x) => x.metric === 'Recall')!;
    expect(recall.lower).toBeCloseTo(e.verification!.recallInterval!.lower, 15);
    expect(recall.n).toBe(240);
    expect(chart.label).toMatch(/Recall target 60.0 %, 95 % interval/);
  });

  it('draws nothing without a rule, costs or a verification', () => {
    const bare = results({ ruleSearch: [], split: null });
    const e2 = evaluatePlan(plan({ costs: { unit: 'relative' } }), bare);
    expect(rulePrCurveSpec(e2)).toBeNull();
    expect(costVsShareSpec(e2, plan({ costs: { unit: 'relative' } }), bare)).toBeNull();
    expect(targetBandSpec(e2)).toBeNull();
  });

  it('keeps column names out of field names', () => {
    const hostile = results({
      ruleSearch: [{ ...results().ruleSearch[0]!, feature: 'x"]; alert(1); //' }],
    });
    const chart = rulePrCurveSpec(evaluatePlan(p, hostile), p)!;
    const fields = JSON.stringify(chart.spec).match(/"field":"[^"]*"/g) ?? [];
    expect(fields.every((f) => /"field":"(recall|precision|share|rule|kind|label)"/.test(f))).toBe(true);
  });
});

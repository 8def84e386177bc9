import { describe, expect, it } from 'vitest';
import { compile, type TopLevelSpec } from 'vega-lite';
import { parse, View } from 'vega';
import {
  calibrationSpec,
  gainBandText,
  learningCurveSpec,
  LEARNING_CURVE_MIN_SPAN,
  learningFitValue,
  prCurveSpec,
  rocCurveSpec,
  signed,
} from '../../../../src/lib/core/charts/feasibility-charts';
import { FeasibilitySchema } from '../../../../src/lib/core/model/feasibility';
import { sampleFeasibility as f } from '../../../fixtures/feasibility/sample-feasibility';

/** Compile with vega-lite (throws on an invalid spec), run the dataflow headless and draw the SVG. */
async function render(spec: TopLevelSpec): Promise<{ view: View; svg: string }> {
  const { spec: vg } = compile(spec);
  const view = new View(parse(vg), { renderer: 'none' });
  view.width(480);
  await view.runAsync();
  return { view, svg: await view.toSVG() };
}

/** Rows of every named dataset that carries source values. */
function allValues(view: View, spec: TopLevelSpec): Record<string, unknown>[] {
  const { spec: vg } = compile(spec);
  return (vg.data ?? [])
    .filter((d) => 'values' in d)
    .flatMap((d) => view.data(d.name) as Record<string, unknown>[]);
}

const logistic = f.baselines[0]!;

describe('feasibility chart specs', () => {
  it('the fixture is a valid audit.feasibility', () => {
    expect(FeasibilitySchema.safeParse(f).success).toBe(true);
  });

  it('draws the ROC curve as SVG with the no-signal diagonal from (0,0) to (1,1)', async () => {
    const chart = rocCurveSpec(f.roc, { model: 'logistic', auc: logistic.auc, testRows: 2_400 })!;
    const { view, svg } = await render(chart.spec);
    expect(svg).toMatch(/^<svg/);
    const values = allValues(view, chart.spec);
    expect(values.filter((v) => v.label === 'No signal (AUC 0.5)').map((v) => [v.x, v.y])).toEqual([
      [0, 0],
      [1, 1],
    ]);
    expect(values.filter((v) => v.label === undefined)).toHaveLength(f.roc.length);
    expect(chart.label).toBe(
      'ROC curve of the logistic regression baseline on 2,400 held-out rows: AUC 0.781 (95 % interval 0.76 to 0.802). The dashed diagonal is a model with no signal (AUC 0.5).',
    );
  });

  it('draws the precision–recall curve with the prevalence as the no-signal line', async () => {
    const chart = prCurveSpec(f.pr, { model: 'logistic', prAuc: logistic.prAuc, prevalence: 566 / 2_400 })!;
    const { view, svg } = await render(chart.spec);
    expect(svg).toContain('<svg');
    expect(allValues(view, chart.spec).find((v) => v.label)?.y).toBeCloseTo(0.2358, 4);
    expect(chart.label).toContain('the positive rate, 23.6 %');
    expect(chart.label).toContain('PR-AUC) 0.472 (95 % interval 0.439 to 0.51)');
  });

  it('leaves the prevalence line out when it is unknown', () => {
    const chart = prCurveSpec(f.pr, { model: 'naive-bayes', prAuc: null, prevalence: null })!;
    expect((chart.spec as { layer: unknown[] }).layer).toHaveLength(1);
    expect(chart.label).toContain('not computed');
  });

  it('draws the calibration bins against the diagonal of perfect calibration, with the largest gap', async () => {
    const chart = calibrationSpec(f.calibration, 'logistic')!;
    const { view, svg } = await render(chart.spec);
    expect(svg).toContain('<svg');
    const values = allValues(view, chart.spec);
    expect(values.filter((v) => v.rows === 240)).toHaveLength(10);
    expect(values.filter((v) => v.label === 'Perfect calibration')).toHaveLength(2);
    // The largest |observed − predicted| of the fixture is 0.02 (0.24 → 0.26, 0.46 → 0.44…).
    expect(chart.label).toContain('largest gap between predicted and observed is 2 pp');
  });

  it('draws the learning curve: measured points, the fitted power law and its projection to twice the rows', async () => {
    const chart = learningCurveSpec(f.learningCurve, f.learningFit, 'auc')!;
    const { view, svg } = await render(chart.spec);
    expect(svg).toContain('<svg');
    const values = allValues(view, chart.spec);
    const fitted = values.filter((v) => v.part === 'Fitted power law');
    const projected = values.filter((v) => v.part === 'Projected to twice the rows');
    expect(fitted[0]!.rows).toBeCloseTo(960, 6);
    expect(fitted.at(-1)!.rows).toBeCloseTo(9_600, 6);
    expect(projected.at(-1)!.rows).toBeCloseTo(19_200, 6);
    for (const p of [...fitted, ...projected])
      expect(p.score).toBeCloseTo(0.8 - 1.83 * (p.rows as number) ** -0.5, 12);
    const band = values.find((v) => v.label === 'Projected at twice the rows (band)')!;
    const atLast = learningFitValue(f.learningFit!, 9_600);
    expect(band.lower).toBeCloseTo(atLast + 0.0021, 12);
    expect(band.upper).toBeCloseTo(atLast + 0.0094, 12);
    expect(values.filter((v) => v.part === undefined && v.label === undefined)).toHaveLength(5);
    expect(chart.label).toBe(
      'Learning curve on 5 training sizes: AUC 0.741 at 960 rows to 0.781 at 9,600 rows. The fitted power law projects +0.006 AUC at 19,200 rows (band +0.002 to +0.009).',
    );
  });

  it('draws a flat learning curve on at least a 0.05 span, so noise does not read as a climb, and never above 1', () => {
    const domainOf = (chart: ReturnType<typeof learningCurveSpec>) =>
      (chart!.spec as { layer: { encoding: { y: { scale: { domain: number[] } } } }[] }).layer.at(-1)!
        .encoding.y.scale.domain;
    const flat = [960, 1_920, 3_840, 6_720, 9_600].map((rows, i) => ({ rows, auc: 0.77 + 0.001 * i }));
    const [lo, hi] = domainOf(learningCurveSpec(flat, null, 'auc'));
    expect(hi! - lo!).toBeCloseTo(LEARNING_CURVE_MIN_SPAN, 12);
    expect((lo! + hi!) / 2).toBeCloseTo(0.772, 12);
    const high = flat.map((p) => ({ ...p, auc: p.auc + 0.225 }));
    expect(domainOf(learningCurveSpec(high, null, 'auc'))[1]).toBe(1);
    // A curve that spans more keeps its own span, band included.
    const [lo2, hi2] = domainOf(
      learningCurveSpec(
        f.learningCurve,
        { ...f.learningFit!, doublingGain: { estimate: 0.01, lower: -0.05, upper: 0.08 } },
        'auc',
      ),
    );
    expect(lo2).toBeCloseTo(learningFitValue(f.learningFit!, 9_600) - 0.05, 12);
    expect(hi2).toBeCloseTo(learningFitValue(f.learningFit!, 9_600) + 0.08, 12);
  });

  it('draws the measured points alone without a fit, and nothing with fewer than two sizes', async () => {
    const chart = learningCurveSpec(f.learningCurve, null, 'auc')!;
    expect((chart.spec as { layer: unknown[] }).layer).toHaveLength(1);
    expect(chart.label).toContain('No power law could be fitted.');
    await render(chart.spec);
    expect(learningCurveSpec(f.learningCurve.slice(0, 1), f.learningFit, 'auc')).toBeNull();
    expect(learningCurveSpec(f.learningCurve, f.learningFit, 'r2')).toBeNull();
  });

  it('has no chart without points', () => {
    expect(rocCurveSpec([], { model: 'logistic', auc: null, testRows: 0 })).toBeNull();
    expect(prCurveSpec([], { model: 'logistic', prAuc: null, prevalence: 0.2 })).toBeNull();
    expect(calibrationSpec([], 'logistic')).toBeNull();
  });

  it('writes metric differences with their sign and never in e-notation', () => {
    expect(signed(0.0055)).toBe('+0.006');
    expect(signed(-0.2287)).toBe('-0.229');
    expect(signed(0)).toBe('0');
    expect(signed(1e-7)).toBe('<0.001');
    expect(gainBandText({ estimate: 0.0055, lower: 0.0021, upper: 0.0094 })).toBe(' (band +0.002 to +0.009)');
    // A band with no width (three sizes leave nothing to leave out) is not written.
    expect(gainBandText({ estimate: 0.0055, lower: 0.0055, upper: 0.0055 })).toBe('');
    expect(gainBandText({ estimate: 0.0055, lower: null, upper: null })).toBe('');
  });

  it('keeps every label free of e-notation and ISO stamps', () => {
    const labels = [
      rocCurveSpec(f.roc, { model: 'logistic', auc: { estimate: 1e-7, lower: 0, upper: 1 }, testRows: 1e7 }),
      learningCurveSpec(
        [
          { rows: 10, auc: 1e-9 },
          { rows: 1e9, auc: 0.5 },
        ],
        f.learningFit,
        'auc',
      ),
    ].map((c) => c!.label);
    for (const label of labels) {
      expect(label).not.toMatch(/\de[-+]?\d/);
      expect(label).not.toMatch(/\d{4}-\d\d-\d\dT/);
    }
    expect(labels[0]).toContain('10,000,000 held-out rows');
  });
});

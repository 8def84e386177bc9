import { BASELINE_LABELS } from '../feasibility/names';
import type { TopLevelSpec } from 'vega-lite';
import type {
  BaselineModel,
  CalibrationBin,
  CurvePoint,
  Interval,
  LearningFit,
  LearningPoint,
} from '../model/feasibility';
import { formatCount, formatNumber, formatPercentPoints, formatShare } from '../format';

/**
 * Vega-Lite specs for the feasibility step (issue 21): the best baseline's ROC
 * and precision–recall curves, its calibration, and the learning curve with
 * its fitted power law. Data goes into `data.values` under fixed field names
 * (`x`, `y`, `rows`, `score`, `part`…); nothing from a client file reaches a
 * field name or an expression.
 */

/** A chart with the text a screen reader announces for it. */
export interface FeasibilityChart {
  spec: TopLevelSpec;
  label: string;
}

/** Re-exported for the view and the report, which read the names from here; the home is core/feasibility/names. */
export { BASELINE_LABELS };

type Layers = NonNullable<Extract<TopLevelSpec, { layer: unknown }>['layer']>;

const BASE = {
  $schema: 'https://vega.github.io/schema/vega-lite/v6.json',
  width: 'container',
  height: 240,
  config: { view: { stroke: null }, axis: { labelLimit: 160 } },
} as const;

const PERCENT = { format: '.0%' } as const;
const UNIT: { domain: number[] } = { domain: [0, 1] };
const REFERENCE = { type: 'line' as const, strokeDash: [4, 4], color: '#888' };

const metric3 = (x: number | null | undefined): string => formatNumber(x, { digits: 3 });

/** `0.781 (95 % interval 0.760 to 0.802)`, or the estimate alone without bounds. */
function intervalWords(i: Interval | null, show: (x: number) => string = metric3): string {
  if (!i) return 'not computed';
  return i.lower === null || i.upper === null
    ? show(i.estimate)
    : `${show(i.estimate)} (95 % interval ${show(i.lower)} to ${show(i.upper)})`;
}

/** A two-point dashed reference line from (0, 0) to (1, 1) on fields `x` and `y`. */
function diagonal(label: string): Layers[number] {
  return {
    data: {
      values: [
        { x: 0, y: 0, label },
        { x: 1, y: 1, label },
      ],
    },
    mark: REFERENCE,
    encoding: {
      x: { field: 'x', type: 'quantitative' },
      y: { field: 'y', type: 'quantitative' },
      tooltip: [{ field: 'label', type: 'nominal', title: 'Reference' }],
    },
  };
}

export interface RocOptions {
  model: BaselineModel;
  auc: Interval | null;
  testRows: number;
}

/** ROC curve (false-positive rate against true-positive rate) with the no-signal diagonal. Null without points. */
export function rocCurveSpec(points: readonly CurvePoint[], options: RocOptions): FeasibilityChart | null {
  if (points.length === 0) return null;
  const name = BASELINE_LABELS[options.model];
  const values = [...points].sort((a, b) => a.x - b.x || a.y - b.y).map((p) => ({ x: p.x, y: p.y }));
  return {
    spec: {
      ...BASE,
      title: 'ROC curve (held-out rows)',
      layer: [
        {
          data: { values },
          mark: { type: 'line', interpolate: 'linear', point: false },
          encoding: {
            x: { field: 'x', type: 'quantitative', title: 'False-positive rate', scale: UNIT, axis: PERCENT },
            y: {
              field: 'y',
              type: 'quantitative',
              title: 'True-positive rate (recall)',
              scale: UNIT,
              axis: PERCENT,
            },
            tooltip: [
              { field: 'x', type: 'quantitative', format: '.1%', title: 'False-positive rate' },
              { field: 'y', type: 'quantitative', format: '.1%', title: 'True-positive rate' },
            ],
          },
        },
        diagonal('No signal (AUC 0.5)'),
      ],
    },
    label: `ROC curve of the ${name.toLowerCase()} baseline on ${formatCount(options.testRows)} held-out rows: AUC ${intervalWords(options.auc)}. The dashed diagonal is a model with no signal (AUC 0.5).`,
  };
}

export interface PrOptions {
  model: BaselineModel;
  prAuc: Interval | null;
  /** Positive share of the held-out rows: a random model's precision. */
  prevalence: number | null;
}

/** Precision against recall, with the prevalence as the no-signal line. Null without points. */
export function prCurveSpec(points: readonly CurvePoint[], options: PrOptions): FeasibilityChart | null {
  if (points.length === 0) return null;
  const name = BASELINE_LABELS[options.model];
  const values = [...points].sort((a, b) => a.x - b.x).map((p) => ({ x: p.x, y: p.y }));
  const layers: Layers = [
    {
      data: { values },
      mark: { type: 'line', interpolate: 'step-after' },
      encoding: {
        x: { field: 'x', type: 'quantitative', title: 'Recall', scale: UNIT, axis: PERCENT },
        y: { field: 'y', type: 'quantitative', title: 'Precision', scale: UNIT, axis: PERCENT },
        tooltip: [
          { field: 'x', type: 'quantitative', format: '.1%', title: 'Recall' },
          { field: 'y', type: 'quantitative', format: '.1%', title: 'Precision' },
        ],
      },
    },
  ];
  if (options.prevalence !== null)
    layers.push({
      data: { values: [{ y: options.prevalence, label: 'No signal (the positive rate)' }] },
      mark: { type: 'rule', strokeDash: [4, 4], color: '#888' },
      encoding: {
        y: { field: 'y', type: 'quantitative' },
        tooltip: [
          { field: 'label', type: 'nominal', title: 'Reference' },
          { field: 'y', type: 'quantitative', format: '.1%', title: 'Precision' },
        ],
      },
    });
  const reference =
    options.prevalence === null
      ? ''
      : ` The dashed line is a model with no signal: precision equal to the positive rate, ${formatShare(options.prevalence)}.`;
  return {
    spec: { ...BASE, title: 'Precision and recall (held-out rows)', layer: layers },
    label: `Precision against recall of the ${name.toLowerCase()} baseline on the held-out rows: average precision (PR-AUC) ${intervalWords(options.prAuc)}.${reference}`,
  };
}

/** Mean predicted probability against the observed positive rate per bin, with the diagonal of perfect calibration. */
export function calibrationSpec(
  bins: readonly CalibrationBin[],
  model: BaselineModel,
): FeasibilityChart | null {
  if (bins.length === 0) return null;
  const name = BASELINE_LABELS[model];
  const values = [...bins]
    .sort((a, b) => a.predicted - b.predicted)
    .map((b) => ({ x: b.predicted, y: b.observed, rows: b.rows }));
  const worst = values.reduce((m, v) => Math.max(m, Math.abs(v.y - v.x)), 0);
  return {
    spec: {
      ...BASE,
      title: 'Calibration (held-out rows)',
      layer: [
        {
          data: { values },
          mark: { type: 'line', point: { filled: true, size: 50 } },
          encoding: {
            x: {
              field: 'x',
              type: 'quantitative',
              title: 'Mean predicted probability',
              scale: UNIT,
              axis: PERCENT,
            },
            y: {
              field: 'y',
              type: 'quantitative',
              title: 'Observed positive rate',
              scale: UNIT,
              axis: PERCENT,
            },
            tooltip: [
              { field: 'x', type: 'quantitative', format: '.1%', title: 'Predicted' },
              { field: 'y', type: 'quantitative', format: '.1%', title: 'Observed' },
              { field: 'rows', type: 'quantitative', format: ',d', title: 'Rows' },
            ],
          },
        },
        diagonal('Perfect calibration'),
      ],
    },
    label: `Calibration of the ${name.toLowerCase()} baseline in ${bins.length} bins of held-out rows: mean predicted probability against the observed positive rate; the dashed diagonal is perfect calibration. The largest gap between predicted and observed is ${formatPercentPoints(worst, { signed: false })}.`,
  };
}

/**
 * The learning curve's vertical span drawn at least this wide (in AUC or R²),
 * so a flat curve looks flat: zoomed to its own noise, five points within
 * 0.005 of each other would read as a steep climb (team default).
 */
export const LEARNING_CURVE_MIN_SPAN = 0.05;

/** The score axis: every value drawn (points, fitted line, the band at 2×), widened to the minimum span. */
function scoreDomain(
  measured: readonly { rows: number; score: number }[],
  fit: LearningFit | null,
  last: number,
): number[] {
  const values = measured.map((p) => p.score);
  if (fit) {
    const first = learningFitValue(fit, measured[0]?.rows ?? last);
    const atLast = learningFitValue(fit, last);
    const g = fit.doublingGain;
    values.push(
      first,
      atLast + g.estimate,
      atLast + (g.lower ?? g.estimate),
      atLast + (g.upper ?? g.estimate),
    );
  }
  const finite = values.filter(Number.isFinite);
  let lo = Math.min(...finite);
  let hi = Math.max(...finite);
  if (hi - lo < LEARNING_CURVE_MIN_SPAN) {
    const mid = (lo + hi) / 2;
    lo = mid - LEARNING_CURVE_MIN_SPAN / 2;
    hi = mid + LEARNING_CURVE_MIN_SPAN / 2;
  }
  // AUC and R² end at 1.
  if (hi > 1) [lo, hi] = [lo - (hi - 1), 1];
  return [lo, hi];
}

/** The fitted learning curve a − b·n^(−c) at `rows` training rows. */
export function learningFitValue(fit: Pick<LearningFit, 'a' | 'b' | 'c'>, rows: number): number {
  return fit.a - fit.b * rows ** -fit.c;
}

/** Points of the fitted curve, evenly spaced on a log scale from `from` to `to` rows. */
function fittedLine(
  fit: LearningFit,
  from: number,
  to: number,
  steps = 40,
): { rows: number; score: number }[] {
  const lo = Math.log(from);
  const hi = Math.log(to);
  return Array.from({ length: steps + 1 }, (_, i) => {
    const rows = Math.exp(lo + ((hi - lo) * i) / steps);
    return { rows, score: learningFitValue(fit, rows) };
  });
}

/**
 * The learning curve: the held-out metric at each training size (points),
 * the fitted power law over the sizes tried (solid) and projected to twice
 * the rows (dashed), and the doubling gain's band at 2× (a vertical bar).
 * Null with fewer than two points.
 */
export function learningCurveSpec(
  points: readonly LearningPoint[],
  fit: LearningFit | null,
  metric: 'auc' | 'r2',
): FeasibilityChart | null {
  const measured = points
    .map((p) => ({ rows: p.rows, score: metric === 'auc' ? p.auc : p.r2 }))
    .filter((p): p is { rows: number; score: number } => typeof p.score === 'number' && p.rows > 0)
    .sort((a, b) => a.rows - b.rows);
  if (measured.length < 2) return null;
  const metricName = metric === 'auc' ? 'AUC' : 'R²';
  const first = measured[0]!.rows;
  const last = measured[measured.length - 1]!.rows;
  // The domain ends just past the sizes drawn (2× the rows with a fit): a nice log domain spans decades.
  const domain: number[] = [first / 1.25, (fit ? 2 * last : last) * 1.25];
  const rowsAxis = {
    field: 'rows',
    type: 'quantitative' as const,
    title: 'Training rows',
    scale: { type: 'log' as const, domain, nice: false },
    axis: { format: ',d', tickCount: 6 },
  };
  const scoreAxis = {
    field: 'score',
    type: 'quantitative' as const,
    title: `Held-out ${metricName}`,
    scale: { domain: scoreDomain(measured, fit, last), nice: true },
  };
  const layers: Layers = [];
  if (fit) {
    layers.push(
      {
        data: { values: fittedLine(fit, first, last).map((p) => ({ ...p, part: 'Fitted power law' })) },
        mark: { type: 'line', color: '#4c78a8' },
        encoding: { x: rowsAxis, y: scoreAxis },
      },
      {
        data: {
          values: fittedLine(fit, last, 2 * last, 10).map((p) => ({
            ...p,
            part: 'Projected to twice the rows',
          })),
        },
        mark: { type: 'line', color: '#4c78a8', strokeDash: [5, 4] },
        encoding: {
          x: rowsAxis,
          y: scoreAxis,
          tooltip: [{ field: 'part', type: 'nominal', title: 'Line' }],
        },
      },
    );
    const g = fit.doublingGain;
    const atLast = learningFitValue(fit, last);
    if (g.lower !== null && g.upper !== null)
      layers.push({
        data: {
          values: [
            {
              rows: 2 * last,
              score: atLast + g.estimate,
              lower: atLast + g.lower,
              upper: atLast + g.upper,
              label: 'Projected at twice the rows (band)',
            },
          ],
        },
        layer: [
          {
            mark: { type: 'rule', color: '#4c78a8', strokeWidth: 2 },
            encoding: { x: rowsAxis, y: { ...scoreAxis, field: 'lower' }, y2: { field: 'upper' } },
          },
          {
            mark: { type: 'point', shape: 'diamond', filled: true, size: 90, color: '#4c78a8' },
            encoding: {
              x: rowsAxis,
              y: scoreAxis,
              tooltip: [
                { field: 'label', type: 'nominal', title: 'Point' },
                { field: 'rows', type: 'quantitative', format: ',d', title: 'Training rows' },
                { field: 'score', type: 'quantitative', format: '.3f', title: metricName },
                { field: 'lower', type: 'quantitative', format: '.3f', title: 'Lower' },
                { field: 'upper', type: 'quantitative', format: '.3f', title: 'Upper' },
              ],
            },
          },
        ],
      });
  }
  layers.push({
    data: { values: measured },
    mark: { type: 'point', filled: true, size: 70, color: '#e45756' },
    encoding: {
      x: rowsAxis,
      y: scoreAxis,
      tooltip: [
        { field: 'rows', type: 'quantitative', format: ',d', title: 'Training rows' },
        { field: 'score', type: 'quantitative', format: '.3f', title: `Held-out ${metricName}` },
      ],
    },
  });
  const measuredText = `${metricName} ${metric3(measured[0]!.score)} at ${formatCount(first)} rows to ${metric3(measured[measured.length - 1]!.score)} at ${formatCount(last)} rows`;
  const fitText = fit
    ? ` The fitted power law projects ${signed(fit.doublingGain.estimate)} ${metricName} at ${formatCount(2 * last)} rows${gainBandText(fit.doublingGain)}.`
    : ' No power law could be fitted.';
  return {
    spec: { ...BASE, title: `Learning curve: held-out ${metricName}`, layer: layers },
    label: `Learning curve on ${measured.length} training sizes: ${measuredText}.${fitText}`,
  };
}

/** A metric difference with its sign: `+0.006`, `-0.012`, `0`. */
export function signed(x: number): string {
  const text = metric3(x);
  return x > 0 && !text.startsWith('<') ? `+${text}` : text;
}

/** ` (band +0.002 to +0.009)` after a projected gain; empty when the band has no width worth writing. */
export function gainBandText(g: Interval): string {
  if (g.lower === null || g.upper === null) return '';
  const lower = signed(g.lower);
  const upper = signed(g.upper);
  return lower === upper ? '' : ` (band ${lower} to ${upper})`;
}

import type { Row } from '../pipeline/stage';
import type { CalibrationBin, CurvePoint, Interval } from '../model/feasibility';
import { toNumber } from '../profile/decode';
import { dialect as d } from '../sql/dialect';
import { ident, num, str } from '../sql/quote';
import { intervalFromVariance } from './intervals';
import { HASH_RANGE, POISSON_CDF } from './bootstrap';

/**
 * Held-out metrics of the baselines, as SQL over the predictions table
 * (`PREDICTION_COLUMNS` in predictions.ts; binary: y is 1 for the
 * positive class and 0 otherwise, p the predicted probability; regression: p
 * the predicted value). Each statement reads the table once; rows with a
 * missing label or a non-finite score are left out. Checked against
 * scikit-learn in tests/fixtures/feasibility/make_metrics_reference.py.
 */

/** Built per statement: the active dialect is chosen after this module loads. */
const usable = (): string => `y IS NOT NULL AND p IS NOT NULL AND ${d.isFinite('p')} AND ${d.isFinite('y')}`;

function rowsOf(predTable: string, model?: string): string {
  const which = model === undefined ? '' : `model = ${str(model)} AND `;
  return `SELECT model, rid, y, p FROM ${ident(predTable)} WHERE ${which}${usable()}`;
}

/**
 * Per model: `model, n, positives, auc, auc_var, brier`. The AUC counts tied
 * scores as half (the trapezoid of `roc_auc_score`), and its variance is
 * DeLong's (DeLong, DeLong & Clarke-Pearson 1988) from placement values: a
 * positive's placement is the share of negatives scored below it (ties half),
 * a negative's the share of positives scored above it, which is what the
 * mid-ranks of Sun & Xu (2014) compute. var = S₁₀/m + S₀₁/n with S the sample
 * variances (ddof 1) of the m positive and n negative placements. One scan:
 * rows collapse to distinct scores before the one sorted window.
 */
export function binaryMetricsQuery(predTable: string): string {
  const byScore = 'PARTITION BY model ORDER BY p ROWS UNBOUNDED PRECEDING';
  return `WITH fm_scores AS (
  SELECT model, p, sum(y) AS pos, count(*) - sum(y) AS neg, sum((p - y) * (p - y)) AS sq
  FROM (${rowsOf(predTable)}) AS fm_rows GROUP BY model, p
), fm_cum AS (
  SELECT model, pos, neg, sq, sum(pos) OVER (${byScore}) AS pos_upto, sum(neg) OVER (${byScore}) AS neg_upto,
    sum(pos) OVER (PARTITION BY model) AS m, sum(neg) OVER (PARTITION BY model) AS n
  FROM fm_scores
), fm_placed AS (
  SELECT model, pos, neg, sq, m, n,
    (neg_upto - neg + 0.5 * neg) / nullif(n, 0) AS v10,
    (m - pos_upto + 0.5 * pos) / nullif(m, 0) AS v01
  FROM fm_cum
), fm_auc AS (
  SELECT *, sum(pos * v10) OVER (PARTITION BY model) / nullif(m, 0) AS auc FROM fm_placed
)
SELECT model, CAST(max(m) + max(n) AS BIGINT) AS n, CAST(max(m) AS BIGINT) AS positives, max(auc) AS auc,
  sum(pos * (v10 - auc) * (v10 - auc)) / nullif(max(m) - 1, 0) / nullif(max(m), 0)
    + sum(neg * (v01 - auc) * (v01 - auc)) / nullif(max(n) - 1, 0) / nullif(max(n), 0) AS auc_var,
  sum(sq) / (max(m) + max(n)) AS brier
FROM fm_auc GROUP BY model ORDER BY model`;
}

/** A model's held-out binary metrics, the AUC with its 95 % DeLong interval clipped to [0, 1]. */
export interface BinaryMetrics {
  model: string;
  n: number;
  positives: number;
  auc: Interval | null;
  brier: number | null;
}

/** The rows of `binaryMetricsQuery`, typed. */
export function readBinaryMetrics(rows: readonly Row[]): BinaryMetrics[] {
  return rows.map((row) => {
    const auc = toNumber(row.auc);
    return {
      model: String(row.model),
      n: toNumber(row.n) ?? 0,
      positives: toNumber(row.positives) ?? 0,
      auc: auc === null ? null : intervalFromVariance(auc, toNumber(row.auc_var), { lower: 0, upper: 1 }),
      brier: toNumber(row.brier),
    };
  });
}

/**
 * Score levels a bootstrap replicate is computed on (team default, for the
 * time budget): each replicate sorts its levels instead of its rows, about
 * 8× faster on 20,000 held-out rows; with 20 rows a level the coarsening
 * moves an average precision by about 3·10⁻⁴, and that shift is removed
 * (see `bootstrapQuery`). A model with at most this many distinct scores is
 * bootstrapped exactly.
 */
export const BOOTSTRAP_SCORE_LEVELS = 1_000;

/** A statistic over thresholds: its SQL over rows holding `tp`, `wt`, `total` and a threshold's positives. */
type ThresholdStatistic = (positives: string, higherFirst: string) => string;

/**
 * One row `estimate, lower, upper`: a statistic of one model's thresholds,
 * exactly on the held-out rows, with a Poisson-bootstrap 95 % percentile
 * interval (Hanley & MacGibbon 2006).
 *
 * Replicate r = 1..`replicates` weighs each row by a Poisson(1) draw from a
 * seeded hash of (replicate, row id, seed), so every model gets the same
 * resamples (a paired bootstrap) and a re-run gives the same interval. The
 * varying values come first: with the constant seed first, DuckDB's combined
 * hash left one row's draws correlated across replicates (measured: the
 * replicates' spread 1.6× too wide).
 *
 * Replicates are computed on score levels: the distinct scores when there are
 * at most `levels` of them, else `levels` equal-count levels of the rank
 * (ties always share a level). Replicate 0, every weight 1, is the statistic
 * on those levels; the interval is the replicates' 2.5 and 97.5 percentiles
 * moved by (exact − replicate 0), so coarsening shifts no end, then clipped
 * to [0, 1]. `tp` and `wt` are the weighted positives and rows scored at or
 * above a threshold, `total` the positives.
 */
function bootstrapQuery(
  predTable: string,
  model: string,
  replicates: number,
  seed: number,
  levels: number,
  statistic: ThresholdStatistic,
): string {
  const draws = POISSON_CDF.map((cut, k) => `WHEN u < ${num(cut)} THEN ${k}`).join(' ');
  const l = num(Math.max(1, Math.floor(levels)));
  const rows = rowsOf(predTable, model);
  // Replicate numbers typed: ClickHouse types a recursive column by its parts (UInt8, then UInt16) as a Variant.
  return `WITH RECURSIVE fm_rep(r) AS (
  SELECT CAST(0 AS INTEGER) UNION ALL SELECT CAST(r + 1 AS INTEGER) FROM fm_rep WHERE r < ${num(Math.max(0, Math.floor(replicates)))}
), fm_ranked AS (
  SELECT rid, y, rank() OVER fm_desc AS rk, dense_rank() OVER fm_desc AS dr, count(*) OVER () AS n
  FROM (${rows}) AS fm_rows WINDOW fm_desc AS (ORDER BY p DESC)
), fm_levelled AS (
  SELECT rid, y, CAST(CASE WHEN max(dr) OVER () <= ${l} THEN dr ELSE floor((rk - 1) * ${l} / n) END AS BIGINT) AS g FROM fm_ranked
), fm_u AS (
  SELECT r, y, g, CAST(${d.hash(['fm_rep.r', 'fm_levelled.rid', num(seed)])} AS DOUBLE) / ${HASH_RANGE} AS u
  FROM fm_levelled, fm_rep
), fm_w AS (
  SELECT r, y, g, CASE WHEN r = 0 THEN 1 ${draws} ELSE ${POISSON_CDF.length} END AS w FROM fm_u
), fm_level AS (
  SELECT r, g, sum(w * y) AS pos, sum(w) AS k FROM fm_w WHERE w > 0 GROUP BY r, g
), fm_boot AS (
  SELECT r, g, pos, sum(pos) OVER fm_down AS tp, sum(k) OVER fm_down AS wt, sum(pos) OVER (PARTITION BY r) AS total
  FROM fm_level WINDOW fm_down AS (PARTITION BY r ORDER BY g ROWS UNBOUNDED PRECEDING)
), fm_exact AS (
  SELECT y, p, sum(y) OVER fm_threshold AS tp, count(*) OVER fm_threshold AS wt, sum(y) OVER () AS total
  FROM (${rows}) AS fm_rows WINDOW fm_threshold AS (ORDER BY p DESC RANGE BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW)
), fm_replicates AS (
  SELECT r, ${statistic('pos', '-g')} AS m FROM fm_boot GROUP BY r
), fm_ends AS (
  SELECT max(m) FILTER (WHERE r = 0) AS m0, ${d.quantileCont('m', '0.025')} FILTER (WHERE r > 0) AS lo,
    ${d.quantileCont('m', '0.975')} FILTER (WHERE r > 0) AS hi
  FROM fm_replicates
), fm_point AS (
  SELECT ${statistic('y', 'p')} AS estimate FROM fm_exact
)
SELECT estimate, greatest(0, least(1, estimate + lo - m0)) AS lower, greatest(0, least(1, estimate + hi - m0)) AS upper
FROM fm_point, fm_ends`;
}

/**
 * One row `ap, estimate, lower, upper` for one model: the average precision
 * exactly as scikit-learn's `average_precision_score` (Σ over thresholds of
 * the recall gained times the precision there, tied scores one threshold),
 * with its Poisson-bootstrap 95 % interval (see `bootstrapQuery`).
 */
export function prAucBootstrapQuery(
  predTable: string,
  model: string,
  replicates: number,
  seed: number,
  levels = BOOTSTRAP_SCORE_LEVELS,
): string {
  const ap: ThresholdStatistic = (positives) => `sum(${positives} * tp / wt) / nullif(max(total), 0)`;
  return `SELECT estimate AS ap, * FROM (${bootstrapQuery(predTable, model, replicates, seed, levels, ap)}) AS fm_ap`;
}

/** An `estimate, lower, upper` row as an interval, or null without an estimate. */
export function readInterval(rows: readonly Row[]): Interval | null {
  const row = rows[0];
  const estimate = row ? toNumber(row.estimate) : null;
  if (!row || estimate === null) return null;
  return { estimate, lower: toNumber(row.lower), upper: toNumber(row.upper) };
}

/** The row of `prAucBootstrapQuery` as the PR-AUC with its bootstrap interval. */
export function readPrAuc(rows: readonly Row[]): Interval | null {
  return readInterval(rows);
}

/**
 * One row `estimate, lower, upper` for one model: the precision at the
 * highest threshold whose recall reaches `recall` (what a team tuned to that
 * recall would get), with its Poisson-bootstrap 95 % interval (see
 * `bootstrapQuery`). Null estimate when no threshold reaches it.
 */
export function precisionAtRecallQuery(
  predTable: string,
  model: string,
  recall: number,
  replicates: number,
  seed: number,
  levels = BOOTSTRAP_SCORE_LEVELS,
): string {
  const precision: ThresholdStatistic = (_, higherFirst) =>
    `${d.argMax('tp / wt', higherFirst)} FILTER (WHERE tp / total >= ${num(recall)})`;
  return bootstrapQuery(predTable, model, replicates, seed, levels, precision);
}

/** A curve over the thresholds: its point at a threshold, its point above every score, and where it ends. */
interface CurveSpec {
  x: string;
  y: string;
  start: { x: number; y: number };
  /** Rows scored at or above the curve's last threshold (`upto` of that threshold), over the whole partition. */
  lastRows: string;
}

/**
 * The cumulative counts at each distinct score, highest first, up to the
 * curve's last threshold, thinned to at most `maxPoints − 1` thresholds at
 * evenly spaced row quantiles (a threshold is kept when it crosses the next
 * multiple of L/(maxPoints − 1) rows, L the rows down to the last threshold,
 * which is always kept), after the curve's start point.
 */
function curveQuery(predTable: string, model: string, maxPoints: number, spec: CurveSpec): string {
  const steps = Math.max(1, Math.floor(maxPoints) - 1);
  const down = 'ORDER BY p DESC ROWS UNBOUNDED PRECEDING';
  return `WITH fm_scores AS (
  SELECT p, sum(y) AS pos, count(*) - sum(y) AS neg, count(*) AS k FROM (${rowsOf(predTable, model)}) AS fm_rows GROUP BY p
), fm_cum AS (
  SELECT sum(pos) OVER (${down}) AS tp, sum(neg) OVER (${down}) AS fp, sum(k) OVER (${down}) AS upto, k,
    sum(pos) OVER () AS npos, sum(neg) OVER () AS nneg, sum(k) OVER () AS total
  FROM fm_scores
), fm_last AS (
  SELECT *, ${spec.lastRows} AS last FROM fm_cum
)
SELECT 0 AS upto, ${num(spec.start.x)} AS x, ${num(spec.start.y)} AS y
UNION ALL
SELECT upto, ${spec.x} AS x, ${spec.y} AS y FROM fm_last
WHERE upto <= last AND floor(upto * ${steps} / last) > floor((upto - k) * ${steps} / last)
ORDER BY upto`;
}

/**
 * The ROC curve (x false-positive rate, y true-positive rate) from (0, 0) to
 * (1, 1), at most `maxPoints` points: the points of scikit-learn's
 * `roc_curve(drop_intermediate=False)`, thinned.
 */
export function rocCurveQuery(predTable: string, model: string, maxPoints: number): string {
  return curveQuery(predTable, model, maxPoints, {
    x: 'fp / nullif(nneg, 0)',
    y: 'tp / nullif(npos, 0)',
    start: { x: 0, y: 0 },
    lastRows: 'total',
  });
}

/**
 * The precision–recall curve (x recall, y precision), at most `maxPoints`
 * points: the points of scikit-learn's `precision_recall_curve`, thinned,
 * from (0, 1) to the highest threshold reaching recall 1.
 */
export function prCurveQuery(predTable: string, model: string, maxPoints: number): string {
  return curveQuery(predTable, model, maxPoints, {
    x: 'tp / nullif(npos, 0)',
    y: 'tp / (tp + fp)',
    start: { x: 0, y: 1 },
    lastRows: 'min(CASE WHEN tp >= npos THEN upto END) OVER ()',
  });
}

/** The rows of `rocCurveQuery` or `prCurveQuery` as points, in order; points without a value are dropped. */
export function readCurve(rows: readonly Row[]): CurvePoint[] {
  return rows.flatMap((row) => {
    const x = toNumber(row.x);
    const y = toNumber(row.y);
    return x === null || y === null ? [] : [{ x, y }];
  });
}

/**
 * Calibration table of one model: `bins` equal-count bins of p (ties split
 * by row id, so every bin holds its share), each with the mean predicted
 * probability, the observed positive rate and its rows.
 */
export function calibrationQuery(predTable: string, model: string, bins: number): string {
  return `SELECT bin, avg(p) AS predicted, avg(y) AS observed, count(*) AS n FROM (
  SELECT p, y, ntile(${num(Math.max(1, Math.floor(bins)))}) OVER (ORDER BY p, rid) AS bin FROM (${rowsOf(predTable, model)}) AS fm_rows
) AS fm_binned GROUP BY bin ORDER BY bin`;
}

/** The rows of `calibrationQuery` as calibration bins. */
export function readCalibration(rows: readonly Row[]): CalibrationBin[] {
  return rows.flatMap((row) => {
    const predicted = toNumber(row.predicted);
    const observed = toNumber(row.observed);
    return predicted === null || observed === null
      ? []
      : [{ predicted, observed, rows: toNumber(row.n) ?? 0 }];
  });
}

/**
 * Per model: `model, n, r2, mae`. R² as scikit-learn's `r2_score`:
 * 1 − Σ(y − p)² / Σ(y − ȳ)², and when every y is equal 1 for a perfect fit,
 * 0 otherwise; MAE as `mean_absolute_error`.
 */
export function regressionMetricsQuery(predTable: string): string {
  return `SELECT model, count(*) AS n,
  CASE WHEN var_pop(y) > 0 THEN 1 - sum((y - p) * (y - p)) / (var_pop(y) * count(*))
    WHEN sum((y - p) * (y - p)) = 0 THEN 1 ELSE 0 END AS r2,
  avg(abs(y - p)) AS mae
FROM (${rowsOf(predTable)}) AS fm_rows GROUP BY model ORDER BY model`;
}

/** A model's held-out regression metrics. */
export interface RegressionMetrics {
  model: string;
  n: number;
  r2: number | null;
  mae: number | null;
}

/** The rows of `regressionMetricsQuery`, typed. */
export function readRegressionMetrics(rows: readonly Row[]): RegressionMetrics[] {
  return rows.map((row) => ({
    model: String(row.model),
    n: toNumber(row.n) ?? 0,
    r2: toNumber(row.r2),
    mae: toNumber(row.mae),
  }));
}

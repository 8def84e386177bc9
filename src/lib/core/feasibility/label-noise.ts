import type { Row } from '../pipeline/stage';
import type { ReviewRow } from '../model/feasibility';
import { toNumber } from '../profile/decode';
import { dialect as d } from '../sql/dialect';
import { ident, num, str } from '../sql/quote';
import { wilsonInterval } from '../stats/wilson';
import { HASH_RANGE, POISSON_CDF } from './bootstrap';

/**
 * The label-error rate by confident learning (Northcutt, Jiang & Chuang 2021,
 * "Confident learning: estimating uncertainty in dataset labels", JAIR
 * 70:1373), binary case, as SQL over the predictions table (`model, rid, y,
 * p`: y 1 for the positive class, p the out-of-fold probability of it).
 * Follows cleanlab's `compute_confident_joint` and `calibrate_confident_joint`
 * (cleanlab/count.py); checked against a numpy port of them in
 * tests/fixtures/feasibility/make_noise_reference.py.
 */

/**
 * cleanlab's slack on the thresholds (`pred_probs >= thresholds - 1e-6`), so
 * a row exactly at its class's mean still counts as confident.
 */
const THRESHOLD_SLACK = 1e-6;

function usableRows(predTable: string, model: string): string {
  return `SELECT rid, CASE WHEN y = 1 THEN 1 ELSE 0 END AS y, p FROM ${ident(predTable)}
  WHERE model = ${str(model)} AND y IS NOT NULL AND p IS NOT NULL AND ${d.isFinite('p')}`;
}

/**
 * The class a row confidently belongs to, given the per-class thresholds
 * `t1` (positive) and `t0` (negative), already lowered by the slack: the one
 * class whose probability reaches its threshold, the likelier one when both
 * do (numpy's argmax, so a tie goes to class 0), NULL when neither does.
 */
function confidentClass(p: string, t1: string, t0: string): string {
  return `CASE WHEN ${p} >= ${t1} AND 1 - ${p} >= ${t0} THEN CASE WHEN ${p} > 1 - ${p} THEN 1 ELSE 0 END
    WHEN ${p} >= ${t1} THEN 1 WHEN 1 - ${p} >= ${t0} THEN 0 END`;
}

/** Per-class thresholds: the mean probability of class j over rows labelled j, minus the slack. */
function thresholds(weighted: string): string {
  return `sum(w * y * p) / nullif(sum(w * y), 0) - ${num(THRESHOLD_SLACK)} AS t1,
    sum(w * (1 - y) * (1 - p)) / nullif(sum(w * (1 - y)), 0) - ${num(THRESHOLD_SLACK)} AS t0,
    sum(w * y) AS n1, sum(w * (1 - y)) AS n0 FROM ${weighted}`;
}

/**
 * One row `estimate, lower, upper, rows`: the estimated share of wrong labels
 * and its 95 % Poisson-bootstrap percentile interval.
 *
 * Confident joint C[i][j]: rows labelled i whose confident class is j.
 * cleanlab lifts each diagonal count to at least 1, then calibrates each row
 * of C to the label counts (C[i][j] / Σⱼ C[i][j] · count(label i)), so the
 * off-diagonal mass over n estimates the share mislabelled. cleanlab then
 * rounds the calibrated counts to integers preserving row totals; we keep them
 * unrounded (at most 1/n apart) so the bootstrap is not stepped.
 *
 * Replicate 0 is the sample itself; replicates 1..`replicates` weigh each row
 * by a Poisson(1) draw from a seeded hash of (replicate, row id) (Hanley &
 * MacGibbon 2006), and the thresholds are recomputed on each. The varying
 * values come first in the hash, as in metrics.ts: with the constant seed
 * first DuckDB's combined hash correlates a row's draws across replicates.
 */
export function confidentLearningQuery(
  predTable: string,
  model: string,
  replicates: number,
  seed: number,
  bootstrapRows: number = Number.POSITIVE_INFINITY,
): string {
  const draws = POISSON_CDF.map((cut, k) => `WHEN u < ${num(cut)} THEN ${k}`).join(' ');
  const joint = (label: number, guess: number) =>
    `coalesce(sum(w) FILTER (WHERE y = ${label} AND g = ${guess}), 0)`;
  // Replicate 0 is the estimate on every row; -1 the same on the bootstrap's subsample; 1… the replicates.
  const cap = Number.isFinite(bootstrapRows) ? num(Math.max(1, Math.floor(bootstrapRows))) : undefined;
  const sub = cap ? `k <= ${cap}` : 'TRUE';
  // Replicate numbers typed: ClickHouse types a recursive column by its parts (UInt8, then UInt16) as a Variant.
  return `WITH RECURSIVE cl_rep(r) AS (
  SELECT CAST(-1 AS INTEGER) UNION ALL SELECT CAST(r + 1 AS INTEGER) FROM cl_rep WHERE r < ${num(Math.max(0, Math.floor(replicates)))}
), cl_rows AS (
  SELECT rid, y, p, ${sub} AS in_sub, n_all, ${cap ? `least(${cap}, n_all)` : 'n_all'} AS n_sub
  -- The subsample's size is least(cap, n), not a filtered window count: DuckDB 1.5 takes quadratic time on that.
  FROM (SELECT *, row_number() OVER (ORDER BY ${d.hash(['rid', num(seed)])}, rid) AS k, count(*) OVER () AS n_all
    FROM (${usableRows(predTable, model)}) AS cl_usable) AS cl_ranked
), cl_u AS (
  SELECT r, y, p, n_all, n_sub, CAST(${d.hash(['cl_rep.r', 'cl_rows.rid', num(seed)])} AS DOUBLE) / ${HASH_RANGE} AS u
  FROM cl_rows, cl_rep WHERE r = 0 OR in_sub
), cl_w AS (
  -- Rows drawn zero times are dropped here: a third fewer rows to keep for the two passes below.
  SELECT * FROM (SELECT r, y, p, n_all, n_sub, CASE WHEN r <= 0 THEN 1 ${draws} ELSE ${POISSON_CDF.length} END AS w FROM cl_u) AS cl_drawn
  WHERE w > 0
), cl_t AS (
  SELECT r, any_value(n_all) AS n_all, any_value(n_sub) AS n_sub, ${thresholds('cl_w')} GROUP BY r
), cl_joint AS (
  SELECT r, ${joint(0, 0)} AS c00, ${joint(0, 1)} AS c01, ${joint(1, 0)} AS c10, ${joint(1, 1)} AS c11
  FROM (SELECT cl_w.r, y, w, ${confidentClass('p', 't1', 't0')} AS g FROM cl_w JOIN cl_t ON cl_w.r = cl_t.r) AS cl_g
  GROUP BY r
), cl_est AS (
  SELECT cl_t.r, n0 + n1 AS n, n_all, n_sub,
    (c01 / greatest(greatest(c00, 1) + c01, 1) * n0 + c10 / greatest(c10 + greatest(c11, 1), 1) * n1)
      / nullif(n0 + n1, 0) AS e
  FROM cl_t JOIN cl_joint ON cl_t.r = cl_joint.r
), cl_sum AS (
  SELECT max(e) FILTER (WHERE r = 0) AS estimate, max(e) FILTER (WHERE r = -1) AS sub_estimate,
    ${d.quantileCont('e', '0.025')} FILTER (WHERE r > 0) AS sub_lower,
    ${d.quantileCont('e', '0.975')} FILTER (WHERE r > 0) AS sub_upper,
    sqrt(max(n_sub) / max(n_all)) AS scale, max(n) FILTER (WHERE r = 0) AS n
  FROM cl_est
)
-- On a subsample of m of n rows the replicates spread √(n/m) times too wide (m-out-of-n bootstrap):
-- their deviations from the subsample's own estimate are scaled by √(m/n) around the full estimate.
-- greatest/least skip NULLs, so the clamps are spelled out: no replicate, no interval.
SELECT estimate,
  CASE WHEN sub_lower IS NOT NULL THEN greatest(0, estimate - (sub_estimate - sub_lower) * scale) END AS lower,
  CASE WHEN sub_upper IS NOT NULL THEN least(1, estimate + (sub_upper - sub_estimate) * scale) END AS upper,
  CAST(n AS BIGINT) AS rows
FROM cl_sum`;
}

/** A confident-learning estimate of the label-error rate, with its bootstrap interval and the rows judged. */
export interface ConfidentLearning {
  estimate: number;
  lower: number | null;
  upper: number | null;
  rows: number;
}

/** The row of `confidentLearningQuery`, or null when no row was judged. */
export function readConfidentLearning(rows: readonly Row[]): ConfidentLearning | null {
  const row = rows[0];
  const estimate = row ? toNumber(row.estimate) : null;
  const judged = row ? (toNumber(row.rows) ?? 0) : 0;
  if (!row || estimate === null || judged <= 0) return null;
  return { estimate, lower: toNumber(row.lower), upper: toNumber(row.upper), rows: judged };
}

const valueAlias = (i: number) => `__sz_review_v${i}`;

/**
 * The rows most likely mislabelled: those in the off-diagonal of the
 * (unweighted) confident joint, whose confident class is not their label,
 * the lowest out-of-fold probability of the given label first (ties by row
 * id), with their raw columns from the design table. Columns:
 * `__sz_review_rid, __sz_review_y, __sz_review_p` and `__sz_review_v<i>` for
 * `rawColumns[i]` (aliased, so a client column cannot collide with ours).
 */
export function reviewSampleQuery(
  predTable: string,
  designTable: string,
  model: string,
  rawColumns: readonly string[],
  limit: number,
): string {
  const raw = rawColumns.map((c, i) => `rv_design.${ident(c)} AS ${valueAlias(i)}`);
  return `WITH rv_rows AS (${usableRows(predTable, model)}), rv_t AS (
  SELECT ${thresholds('(SELECT 1 AS w, y, p FROM rv_rows) AS rv_w')}
), rv_off AS (
  SELECT rid, y, CASE WHEN y = 1 THEN p ELSE 1 - p END AS given
  FROM rv_rows, rv_t WHERE ${confidentClass('p', 't1', 't0')} <> y
)
SELECT rv_off.rid AS __sz_review_rid, rv_off.y AS __sz_review_y, rv_off.given AS __sz_review_p${raw.map((r) => `, ${r}`).join('')}
FROM rv_off JOIN ${ident(designTable)} AS rv_design ON rv_design.__sz_rid = rv_off.rid
ORDER BY rv_off.given, rv_off.rid LIMIT ${num(Math.max(0, Math.floor(limit)))}`;
}

function reviewValue(value: unknown): ReviewRow['values'][string] {
  if (value === null || value === undefined) return null;
  if (typeof value === 'number' || typeof value === 'boolean' || typeof value === 'string') return value;
  if (typeof value === 'bigint') return Number(value);
  if (value instanceof Date) return value.toISOString();
  return String(value);
}

/** The rows of `reviewSampleQuery` as review rows, labels named by `labelOf` (1 the positive class). */
export function readReviewSample(
  rows: readonly Row[],
  rawColumns: readonly string[],
  labelOf: (y: number) => string,
): ReviewRow[] {
  return rows.flatMap((row) => {
    const y = toNumber(row.__sz_review_y);
    const given = toNumber(row.__sz_review_p);
    if (y === null || given === null) return [];
    const values: ReviewRow['values'] = {};
    rawColumns.forEach((column, i) => {
      values[column] = reviewValue(row[valueAlias(i)]);
    });
    return [{ values, givenLabel: labelOf(y), givenLabelProbability: given }];
  });
}

/**
 * What a hand review of each size would show if the estimate held: the
 * Wilson 95 % interval around it on that many reviewed rows.
 */
export function reviewSizes(
  estimate: number,
  sizes: readonly number[],
): { rows: number; lower: number; upper: number }[] {
  const share = Math.min(1, Math.max(0, estimate));
  return sizes.flatMap((rows) => {
    const interval = wilsonInterval(share * rows, rows);
    return interval ? [{ rows, lower: interval.lower, upper: interval.upper }] : [];
  });
}

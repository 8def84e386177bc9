import { dialect as d } from './dialect';
import { dateLiteral, ident, num, str, sqlList } from './quote';
import { timeSql, type TimeRef } from './readiness-common';
import { isNumericType } from './types';

/**
 * SQL for drift: every sort, count and cumulative sum runs in DuckDB, and only
 * small aggregates (distinct values with counts, bin counts, category counts)
 * come back to `core/stats/drift.ts`. A comparison has two sides, each a table
 * and an optional filter, so one builder serves two tables, one table split at
 * a date and one table split by a source column.
 */

/** Which rows of a table form one side of a comparison. Built only from values, never from SQL text. */
export type SideFilter =
  /** Rows whose time is before `date` (ISO `YYYY-MM-DD`). */
  | { kind: 'before'; time: TimeRef; date: string }
  /** Rows whose time is on or after `date`. */
  | { kind: 'from'; time: TimeRef; date: string }
  /** Rows whose time is in [from, to). */
  | { kind: 'between'; time: TimeRef; from: string; to: string }
  /** Rows whose column, as text, is one of `values`. */
  | { kind: 'in'; column: string; values: readonly string[] }
  /** Rows whose column, as text, is none of `values` (missing included). */
  | { kind: 'not-in'; column: string; values: readonly string[] };

/** One side of a drift comparison. */
export interface DriftSide {
  table: string;
  filter?: SideFilter;
}

/** The WHERE predicate of a side (`TRUE` for the whole table). */
export function sidePredicate(side: DriftSide): string {
  const f = side.filter;
  if (!f) return 'TRUE';
  switch (f.kind) {
    case 'before':
      return `(${timeSql(f.time)} < ${dateLiteral(f.date)})`;
    case 'from':
      return `(${timeSql(f.time)} >= ${dateLiteral(f.date)})`;
    case 'between':
      return `(${timeSql(f.time)} >= ${dateLiteral(f.from)} AND ${timeSql(f.time)} < ${dateLiteral(f.to)})`;
    case 'in':
      return f.values.length === 0
        ? 'FALSE'
        : `(CAST(${ident(f.column)} AS VARCHAR) IN (${f.values.map(str).join(', ')}))`;
    case 'not-in':
      return f.values.length === 0
        ? 'TRUE'
        : `(CAST(${ident(f.column)} AS VARCHAR) IS NULL OR CAST(${ident(f.column)} AS VARCHAR) NOT IN (${f.values.map(str).join(', ')}))`;
  }
}

/** `FROM table WHERE predicate` for a side. */
export function sideFrom(side: DriftSide): string {
  return `FROM ${ident(side.table)} WHERE ${sidePredicate(side)}`;
}

/** A column as DOUBLE for numeric drift; booleans and text never take this path. */
export function numericValueSql(column: string): string {
  return `CAST(${ident(column)} AS DOUBLE)`;
}

/** A column as a category label (text); booleans become 'true'/'false'. */
export function categoryValueSql(column: string): string {
  return `CAST(${ident(column)} AS VARCHAR)`;
}

/** Whether a column's DuckDB type is compared as a number (booleans count as categories); the one type classifier decides. */
export function isNumericDriftType(type: string): boolean {
  return isNumericType(type);
}

/** Both sides stacked with a `side` tag (0 = reference, 1 = current) and the selected expressions. */
function stacked(reference: DriftSide, current: DriftSide, select: string): string {
  return `SELECT 0 AS side, ${select} ${sideFrom(reference)} UNION ALL SELECT 1 AS side, ${select} ${sideFrom(current)}`;
}

/**
 * Rows and non-missing counts of each column, per side. Columns are aliased
 * by position (`c0`, `c1`…) because their names are client data.
 * Result: `side`, `rows`, `c0`…`cN`.
 */
export function sideCountsQuery(
  reference: DriftSide,
  current: DriftSide,
  columns: readonly string[],
): string {
  const counts = columns.map((c, i) => `CAST(count(${ident(c)}) AS BIGINT) AS c${i}`).join(', ');
  const part = (side: DriftSide, tag: number): string =>
    `SELECT ${tag} AS side, CAST(count(*) AS BIGINT) AS rows${counts ? `, ${counts}` : ''} ${sideFrom(side)}`;
  return `${part(reference, 0)} UNION ALL ${part(current, 1)} ORDER BY side`;
}

/**
 * The two-sample KS statistic and the Wasserstein-1 distance of a numeric
 * column, from a merged table of distinct values with cumulative counts
 * (window functions), plus the reference mean and population std.
 * Result (one row): `n_ref`, `n_cur`, `ks_numerator` (max |C_ref·n_cur − C_cur·n_ref|,
 * exact in BIGINT while n_ref·n_cur < 9.2e18, so D = ks_numerator / (n_ref·n_cur)), `wasserstein`, `ref_mean`,
 * `ref_std`, `cur_mean`, `cur_std`, `distinct_values`.
 * Non-finite values are left out, as missing values are.
 */
export function numericDriftQuery(reference: DriftSide, current: DriftSide, column: string): string {
  const v = numericValueSql(column);
  const grouped = (side: DriftSide): string =>
    `SELECT v, CAST(count(*) AS BIGINT) AS n FROM (SELECT ${v} AS v ${sideFrom(side)}) WHERE v IS NOT NULL AND ${d.isFinite('v')} GROUP BY v`;
  return `WITH r AS (${grouped(reference)}),
c AS (${grouped(current)}),
m AS (SELECT coalesce(r.v, c.v) AS v, coalesce(r.n, 0) AS rn, coalesce(c.n, 0) AS cn FROM r FULL OUTER JOIN c ON r.v = c.v),
t AS (SELECT CAST(sum(rn) AS BIGINT) AS nr, CAST(sum(cn) AS BIGINT) AS nc,
  sum(v * rn) / nullif(sum(rn), 0) AS mr, sum(v * cn) / nullif(sum(cn), 0) AS mc, count(*) AS k FROM m),
e AS (SELECT v, rn, cn, CAST(sum(rn) OVER w AS BIGINT) AS cr, CAST(sum(cn) OVER w AS BIGINT) AS cc, lead(v) OVER (ORDER BY v) AS nxt
  FROM m WINDOW w AS (ORDER BY v ROWS BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW))
SELECT CAST(t.nr AS BIGINT) AS n_ref, CAST(t.nc AS BIGINT) AS n_cur,
  CAST(max(abs(e.cr * t.nc - e.cc * t.nr)) AS DOUBLE) AS ks_numerator,
  coalesce(sum(abs(CAST(e.cr AS DOUBLE) / CAST(t.nr AS DOUBLE) - CAST(e.cc AS DOUBLE) / CAST(t.nc AS DOUBLE)) * (e.nxt - e.v)), 0) AS wasserstein,
  t.mr AS ref_mean, sqrt(sum(e.rn * (e.v - t.mr) * (e.v - t.mr)) / CAST(t.nr AS DOUBLE)) AS ref_std,
  t.mc AS cur_mean, sqrt(sum(e.cn * (e.v - t.mc) * (e.v - t.mc)) / CAST(t.nc AS DOUBLE)) AS cur_std,
  CAST(t.k AS BIGINT) AS distinct_values
FROM e, t GROUP BY t.nr, t.nc, t.mr, t.mc, t.k`;
}

/**
 * Distinct values with their counts on each side, ascending: what the KS
 * p-value needs when the statistic alone is not enough (tests, small data).
 * Result: `v`, `rn`, `cn`.
 */
export function numericValueCountsQuery(reference: DriftSide, current: DriftSide, column: string): string {
  return `SELECT v, CAST(count(*) FILTER (WHERE side = 0) AS BIGINT) AS rn, CAST(count(*) FILTER (WHERE side = 1) AS BIGINT) AS cn
FROM (${stacked(reference, current, `${numericValueSql(column)} AS v`)}) WHERE v IS NOT NULL AND ${d.isFinite('v')} GROUP BY v ORDER BY v`;
}

/**
 * Reference quantiles of a numeric column (linear interpolation), the edges
 * of the PSI bins. Result: one row per level, `level`, `edge`.
 */
export function referenceQuantilesQuery(
  reference: DriftSide,
  column: string,
  levels: readonly number[],
): string {
  const list = sqlList(levels.map(num));
  return `SELECT unnest(${list}) AS level, unnest(${d.quantileCont('v', list)}) AS edge
FROM (SELECT ${numericValueSql(column)} AS v ${sideFrom(reference)}) WHERE v IS NOT NULL AND ${d.isFinite('v')}`;
}

/**
 * The bin of a numeric value for sorted, distinct `edges`: bin i holds
 * (edgeᵢ₋₁, edgeᵢ], the first bin (−∞, edge₀] and the last (edgeₖ₋₁, +∞).
 * NULL stays NULL.
 */
export function binSql(valueSql: string, edges: readonly number[]): string {
  if (edges.length === 0) return `(CASE WHEN ${valueSql} IS NULL THEN NULL ELSE 0 END)`;
  const whens = edges.map((e, i) => `WHEN ${valueSql} <= ${num(e)} THEN ${i}`).join(' ');
  return `(CASE WHEN ${valueSql} IS NULL OR NOT ${d.isFinite(valueSql)} THEN NULL ${whens} ELSE ${edges.length} END)`;
}

/** Counts per bin and side. Result: `side`, `bin`, `n` (empty bins absent). */
export function binCountsQuery(
  reference: DriftSide,
  current: DriftSide,
  column: string,
  edges: readonly number[],
): string {
  return `SELECT side, bin, CAST(count(*) AS BIGINT) AS n
FROM (${stacked(reference, current, `${binSql(numericValueSql(column), edges)} AS bin`)}) WHERE bin IS NOT NULL GROUP BY side, bin ORDER BY side, bin`;
}

/**
 * Category counts on both sides. The `maxCategories` most frequent (both
 * sides together) are listed by value; the rest fold into one row with
 * `other = true`, which also counts how many of them are new (absent from the
 * reference) or gone (absent from the current side) and their rows.
 * Result: `value`, `other`, `ref`, `cur`, `new_categories`, `new_rows`,
 * `gone_categories`, `gone_rows`, `categories` (how many values the row stands for). `valueSql` replaces the plain text of the
 * column, e.g. by the canonical label.
 */
export function categoryCountsQuery(
  reference: DriftSide,
  current: DriftSide,
  column: string,
  maxCategories: number,
  valueSql: string = categoryValueSql(column),
): string {
  const k = Math.max(1, Math.floor(maxCategories));
  return `WITH s AS (${stacked(reference, current, `${valueSql} AS v`)}),
g AS (SELECT v, count(*) FILTER (WHERE side = 0) AS rn, count(*) FILTER (WHERE side = 1) AS cn FROM s WHERE v IS NOT NULL GROUP BY v),
k AS (SELECT *, row_number() OVER (ORDER BY rn + cn DESC, v) AS rk FROM g)
SELECT CASE WHEN rk <= ${k} THEN v END AS value, rk > ${k} AS other,
  CAST(sum(rn) AS BIGINT) AS ref, CAST(sum(cn) AS BIGINT) AS cur,
  CAST(count(*) FILTER (WHERE rn = 0) AS BIGINT) AS new_categories, CAST(coalesce(sum(cn) FILTER (WHERE rn = 0), 0) AS BIGINT) AS new_rows,
  CAST(count(*) FILTER (WHERE cn = 0) AS BIGINT) AS gone_categories, CAST(coalesce(sum(rn) FILTER (WHERE cn = 0), 0) AS BIGINT) AS gone_rows,
  CAST(count(*) AS BIGINT) AS categories
FROM k ${d.groupByAll()} ORDER BY other, ref + cur DESC, value`;
}

/**
 * The label rate per segment on each side: the concept-drift proxy. `segment`
 * is an expression from `categoryValueSql` or `binSql`; `positive` yields 1,
 * 0 or NULL (unlabelled rows are left out).
 * Result: `side`, `segment` (text), `n`, `positives`.
 */
export function segmentRateQuery(
  reference: DriftSide,
  current: DriftSide,
  segment: string,
  positive: string,
): string {
  // The inner name differs from the output's: ClickHouse reads ORDER BY segment as the inner column.
  return `SELECT side, CAST(seg AS VARCHAR) AS segment, CAST(count(*) AS BIGINT) AS n, CAST(sum(pos) AS BIGINT) AS positives
FROM (${stacked(reference, current, `${segment} AS seg, ${positive} AS pos`)}) WHERE pos IS NOT NULL
${d.groupByAll()} ORDER BY segment, side`;
}

/** `YYYY-MM` of a time column (TIMESTAMP, no time zone: no ICU needed). */
export function monthSql(time: TimeRef): string {
  return d.formatTime(`date_trunc('month', ${timeSql(time)})`, '%Y-%m');
}

/**
 * Counts per month and bucket for the drift-in-history heatmap. `bucket` is a
 * bin or category expression; NULL buckets are counted too (missing values),
 * so the missing rate per month comes from the same scan.
 * Result: `month`, `bucket` (text or NULL), `n`.
 */
export function monthlyBucketCountsQuery(side: DriftSide, time: TimeRef, bucket: string): string {
  // The inner name differs from the output's: ClickHouse reads ORDER BY bucket as the inner column.
  return `SELECT month, CAST(b AS VARCHAR) AS bucket, CAST(count(*) AS BIGINT) AS n
FROM (SELECT ${monthSql(time)} AS month, ${bucket} AS b ${sideFrom(side)}) WHERE month IS NOT NULL
${d.groupByAll()} ORDER BY month, bucket`;
}

/** The first months with data on a time axis, ascending. Result: `month`, `n`. */
export function monthsQuery(side: DriftSide, time: TimeRef): string {
  return `SELECT month, CAST(count(*) AS BIGINT) AS n FROM (SELECT ${monthSql(time)} AS month ${sideFrom(side)})
WHERE month IS NOT NULL GROUP BY month ORDER BY month`;
}

/** Text values of a column on one side, most frequent first, for picking split values. Result: `value`, `n`. */
export function sideValuesQuery(side: DriftSide, column: string, limit: number): string {
  return `SELECT ${categoryValueSql(column)} AS value, CAST(count(*) AS BIGINT) AS n ${sideFrom(side)}
${d.groupByAll()} ORDER BY n DESC, value LIMIT ${Math.max(1, Math.floor(limit))}`;
}

/** SQL that recomputes a monitored column's current shares over its reference buckets (missing values left out). */
function currentSharesCte(table: string, bucket: string): string {
  return `cur AS (SELECT ${bucket} AS bucket, count(*) AS n FROM ${ident(table)} ${d.groupByAll()}),
c AS (SELECT bucket, n / sum(n) OVER () AS share FROM cur WHERE bucket IS NOT NULL)`;
}

/** `(0, share₀), (1, share₁)…`: reference shares keyed by bucket index. */
function referenceValues(shares: readonly number[]): string {
  return shares.map((s, i) => `(${i}, ${num(s)})`).join(', ');
}

/** What a monitored column is bucketed by: reference quantile edges, or listed categories. */
export type BucketSpec =
  { kind: 'numeric'; edges: readonly number[] } | { kind: 'categorical'; categories: readonly string[] };

/**
 * The bucket index of a monitored column: its PSI bin (0…edges.length), or
 * the position of its category in `categories` with every unlisted value in
 * one "other" bucket (index categories.length). Missing stays NULL.
 */
export function bucketSql(column: string, spec: BucketSpec): string {
  if (spec.kind === 'numeric') return binSql(numericValueSql(column), spec.edges);
  const v = categoryValueSql(column);
  const whens = spec.categories.map((c, i) => `WHEN ${v} = ${str(c)} THEN ${i}`).join(' ');
  return `(CASE WHEN ${v} IS NULL THEN NULL ${whens} ELSE ${spec.categories.length} END)`;
}

/** The number of buckets `bucketSql` produces. */
export function bucketCount(spec: BucketSpec): number {
  return spec.kind === 'numeric' ? spec.edges.length + 1 : spec.categories.length + 1;
}

/**
 * Self-contained SQL returning the PSI of `table` against stored reference
 * shares (one per bucket index), with the same epsilon for empty buckets, so
 * a client team can run it in its own pipeline. Result: `psi`.
 */
export function psiAgainstReferenceSql(
  table: string,
  bucket: string,
  shares: readonly number[],
  epsilon: number,
): string {
  const eps = num(epsilon);
  return `WITH ${currentSharesCte(table, bucket)},
r AS (SELECT * FROM (VALUES ${referenceValues(shares)}) t(bucket, share)),
j AS (SELECT coalesce(nullif(r.share, 0), ${eps}) AS rs, coalesce(nullif(c.share, 0), ${eps}) AS cs
  FROM r FULL OUTER JOIN c ON r.bucket = c.bucket)
SELECT sum((cs - rs) * ln(cs / rs)) AS psi FROM j`;
}

/**
 * Self-contained SQL returning the Jensen–Shannon distance (base 2) of
 * `table` against stored reference shares. Result: `jensen_shannon`.
 */
export function jensenShannonAgainstReferenceSql(
  table: string,
  bucket: string,
  shares: readonly number[],
): string {
  return `WITH ${currentSharesCte(table, bucket)},
r AS (SELECT * FROM (VALUES ${referenceValues(shares)}) t(bucket, share)),
j AS (SELECT coalesce(r.share, 0) AS p, coalesce(c.share, 0) AS q FROM r FULL OUTER JOIN c ON r.bucket = c.bucket),
d AS (SELECT p, q, (p + q) / 2 AS m FROM j)
SELECT sqrt(greatest(0, sum(CASE WHEN p > 0 THEN p * ln(p / m) ELSE 0 END + CASE WHEN q > 0 THEN q * ln(q / m) ELSE 0 END) / 2 / ln(2))) AS jensen_shannon FROM d`;
}

/** SQL returning the missing rate of a column in `table`. Result: `missing_rate`. */
export function missingRateSql(table: string, column: string): string {
  return `SELECT avg(CASE WHEN ${ident(column)} IS NULL THEN 1.0 ELSE 0.0 END) AS missing_rate FROM ${ident(table)}`;
}

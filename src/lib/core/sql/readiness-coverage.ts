import { dateLiteral, ident, num } from './quote';
import { type ReadinessSqlContext, fromTable, labelSql, timeSql, validTimeSql } from './readiness-common';

/** The text form of times in the coverage results. */
export const TIMESTAMP_TEXT = `'%Y-%m-%d %H:%M:%S'`;

function time(ctx: ReadinessSqlContext): { t: string; valid: string } {
  if (!ctx.time) throw new RangeError('this query needs an event time');
  const t = timeSql(ctx.time);
  return { t, valid: validTimeSql(t, ctx.asOf, { from: ctx.validFrom, granularity: ctx.time.granularity }) };
}

/**
 * First and last valid event time, the span in days and the rows they cover;
 * also the first and last of every readable value (`earliest`, `latest`,
 * `readable`), so the span can always report the real extremes.
 */
export function timeSpanQuery(ctx: ReadinessSqlContext): string {
  const { t, valid } = time(ctx);
  const v = (e: string): string => `${e} FILTER (WHERE ${valid})`;
  return `SELECT strftime(${v(`min(${t})`)}, ${TIMESTAMP_TEXT}) AS first, strftime(${v(`max(${t})`)}, ${TIMESTAMP_TEXT}) AS last, datediff('day', ${v(`min(${t})`)}, ${v(`max(${t})`)}) AS days, ${v('count(*)')} AS rows, strftime(min(${t}), ${TIMESTAMP_TEXT}) AS earliest, strftime(max(${t}), ${TIMESTAMP_TEXT}) AS latest, count(${t}) AS readable, count(*) AS total ${fromTable(ctx.table)}`;
}

/**
 * Every calendar month (or year) between the first and last valid event
 * time, with its row count (0 for gaps); the period is in column `month`
 * (`2024-03`, or `2024` for years).
 */
export function monthGapsQuery(ctx: ReadinessSqlContext, unit: 'month' | 'year' = 'month'): string {
  const { t, valid } = time(ctx);
  const step = unit === 'year' ? 'INTERVAL 1 YEAR' : 'INTERVAL 1 MONTH';
  const label = unit === 'year' ? `'%Y'` : `'%Y-%m'`;
  return `WITH rz_months AS MATERIALIZED (SELECT date_trunc('${unit}', ${t}) AS month, count(*) AS n ${fromTable(ctx.table)} WHERE ${valid} GROUP BY 1), rz_range AS (SELECT min(month) AS lo, max(month) AS hi FROM rz_months), rz_series AS (SELECT unnest(generate_series(rz_range.lo, rz_range.hi, ${step})) AS month FROM rz_range WHERE rz_range.lo IS NOT NULL) SELECT strftime(rz_series.month, ${label}) AS month, coalesce(rz_months.n, 0) AS rows FROM rz_series LEFT JOIN rz_months ON rz_months.month = rz_series.month ORDER BY 1`;
}

/** Newest valid event time, its age in days at the as-of date, and rows in the last N days. */
export function recencyQuery(ctx: ReadinessSqlContext, windows: readonly number[]): string {
  const { t, valid } = time(ctx);
  const asOf = dateLiteral(ctx.asOf);
  const counts = windows.map(
    (days) =>
      `count(*) FILTER (WHERE CAST(${t} AS DATE) > ${asOf} - ${num(Math.round(days))}) AS last_${Math.round(days)}`,
  );
  return `SELECT strftime(max(${t}), ${TIMESTAMP_TEXT}) AS newest, datediff('day', max(${t}), ${asOf}) AS age_days, count(*) AS rows, ${counts.join(', ')} ${fromTable(ctx.table)} WHERE ${valid}`;
}

/**
 * `timeSpanQuery`, `monthGapsQuery` and `recencyQuery` in one pass: rows
 * tagged `part` (`span`, `months`, `recency`) and `ord`, each part's rows
 * those of its query, in its order. Counts rows per day first (a day is valid
 * or not as a whole), then answers each query from the day counts.
 */
export function timeCoverageQuery(
  ctx: ReadinessSqlContext,
  unit: 'month' | 'year',
  windows: readonly number[],
): string {
  const { t, valid } = time(ctx);
  const asOf = dateLiteral(ctx.asOf);
  const step = unit === 'year' ? 'INTERVAL 1 YEAR' : 'INTERVAL 1 MONTH';
  const label = unit === 'year' ? `'%Y'` : `'%Y-%m'`;
  const ok = (e: string, also = ''): string => `${e} FILTER (WHERE ok${also})`;
  const total = (e: string): string => `CAST(coalesce(${e}, 0) AS BIGINT)`;
  const counts = windows.map(
    (days) =>
      `${total(ok('sum(n)', ` AND day > ${asOf} - ${num(Math.round(days))}`))} AS last_${Math.round(days)}`,
  );
  const ctes = [
    `rz_days AS MATERIALIZED (SELECT CAST(${t} AS DATE) AS day, ${valid} AS ok, min(${t}) AS lo, max(${t}) AS hi, count(${t}) AS readable, count(*) AS n ${fromTable(ctx.table)} GROUP BY ALL)`,
    `rz_months AS (SELECT date_trunc('${unit}', CAST(day AS TIMESTAMP)) AS month, sum(n) AS n FROM rz_days WHERE ok GROUP BY 1)`,
    `rz_range AS (SELECT min(month) AS lo, max(month) AS hi FROM rz_months)`,
    `rz_series AS (SELECT unnest(generate_series(rz_range.lo, rz_range.hi, ${step})) AS month FROM rz_range WHERE rz_range.lo IS NOT NULL)`,
  ];
  const parts = [
    `SELECT 'span' AS part, 1 AS ord, strftime(${ok('min(lo)')}, ${TIMESTAMP_TEXT}) AS first, strftime(${ok('max(hi)')}, ${TIMESTAMP_TEXT}) AS last, datediff('day', ${ok('min(lo)')}, ${ok('max(hi)')}) AS days, ${total(ok('sum(n)'))} AS rows, strftime(min(lo), ${TIMESTAMP_TEXT}) AS earliest, strftime(max(hi), ${TIMESTAMP_TEXT}) AS latest, ${total('sum(readable)')} AS readable, ${total('sum(n)')} AS total FROM rz_days`,
    `SELECT 'months' AS part, row_number() OVER (ORDER BY strftime(rz_series.month, ${label})) AS ord, strftime(rz_series.month, ${label}) AS month, ${total('rz_months.n')} AS rows FROM rz_series LEFT JOIN rz_months ON rz_months.month = rz_series.month`,
    `SELECT 'recency' AS part, 1 AS ord, strftime(${ok('max(hi)')}, ${TIMESTAMP_TEXT}) AS newest, datediff('day', ${ok('max(hi)')}, ${asOf}) AS age_days, ${total(ok('sum(n)'))} AS rows${counts.length ? ', ' + counts.join(', ') : ''} FROM rz_days`,
  ];
  return `WITH ${ctes.join(', ')} ${parts.join(' UNION ALL BY NAME ')} ORDER BY part, ord`;
}

/** Labelled rows per calendar year or quarter (`2024` / `2024-Q3`) and class. */
export function classByPeriodQuery(ctx: ReadinessSqlContext, grain: 'year' | 'quarter'): string {
  if (!ctx.label) throw new RangeError('classByPeriodQuery needs a target');
  const { t, valid } = time(ctx);
  const label = labelSql(ctx.label);
  const period =
    grain === 'year'
      ? `CAST(year(${t}) AS VARCHAR)`
      : `CAST(year(${t}) AS VARCHAR) || '-Q' || CAST(quarter(${t}) AS VARCHAR)`;
  return `SELECT ${period} AS period, ${label} AS label, count(*) AS rows ${fromTable(ctx.table)} WHERE ${valid} AND ${label} IS NOT NULL GROUP BY ALL ORDER BY 1, 2`;
}

/**
 * `classByPeriodQuery` for both grains in one pass: rows `grain` (`year` or
 * `quarter`), `period`, `label`, `rows`, each grain's rows in that query's order.
 */
export function classByPeriodsQuery(ctx: ReadinessSqlContext): string {
  if (!ctx.label) throw new RangeError('classByPeriodsQuery needs a target');
  const { t, valid } = time(ctx);
  const label = labelSql(ctx.label);
  // Count by year and quarter number, and spell the periods out per group rather than per row.
  return `WITH rz_quarters AS MATERIALIZED (SELECT year(${t}) AS y, quarter(${t}) AS q, ${label} AS label, count(*) AS rows ${fromTable(ctx.table)} WHERE ${valid} AND ${label} IS NOT NULL GROUP BY ALL) SELECT 'year' AS grain, CAST(y AS VARCHAR) AS period, label, CAST(sum(rows) AS BIGINT) AS rows FROM rz_quarters GROUP BY ALL UNION ALL SELECT 'quarter' AS grain, CAST(y AS VARCHAR) || '-Q' || CAST(q AS VARCHAR) AS period, label, rows FROM rz_quarters ORDER BY grain, period, label`;
}

/**
 * Values of a categorical column present in only one period: the "recent"
 * period is the last `recentShare` of the valid rows by event time.
 */
export function categoryPeriodsQuery(
  ctx: ReadinessSqlContext,
  column: string,
  recentShare: number,
  minRows: number,
): string {
  const { t, valid } = time(ctx);
  const c = ident(column);
  return `WITH rz_cut AS MATERIALIZED (SELECT quantile_disc(${t}, ${num(1 - recentShare)}) AS cutoff ${fromTable(ctx.table)} WHERE ${valid}), rz_values AS (SELECT CAST(${c} AS VARCHAR) AS value, count(*) FILTER (WHERE ${t} < rz_cut.cutoff) AS old, count(*) FILTER (WHERE ${t} >= rz_cut.cutoff) AS recent ${fromTable(ctx.table)}, rz_cut WHERE ${valid} AND ${c} IS NOT NULL GROUP BY 1) SELECT rz_values.value, rz_values.old, rz_values.recent, (SELECT strftime(cutoff, ${TIMESTAMP_TEXT}) FROM rz_cut) AS cutoff FROM rz_values WHERE (rz_values.old >= ${num(minRows)} AND rz_values.recent = 0) OR (rz_values.recent >= ${num(minRows)} AND rz_values.old = 0) ORDER BY rz_values.old + rz_values.recent DESC, rz_values.value LIMIT 50`;
}

import { dialect as d } from './dialect';
import { dateLiteral, ident, num } from './quote';
import { READINESS_RESULT_CAPS as CAPS } from '../thresholds';
import {
  type ReadinessSqlContext,
  TIMESTAMP_FORMAT,
  fromTable,
  labelSql,
  timeSql,
  unionAllByName,
  validTimeSql,
} from './readiness-common';

/** The calendar unit coverage is counted in: months, or the column's own quarters or years. */
export type CoverageUnit = 'month' | 'quarter' | 'year';

const UNIT_STEP: Record<CoverageUnit, string> = {
  month: 'INTERVAL 1 MONTH',
  quarter: 'INTERVAL 3 MONTH',
  year: 'INTERVAL 1 YEAR',
};

/** A period start as its label: `2024-03`, `2024-Q1` or `2024`. */
function periodLabelSql(unit: CoverageUnit, expression: string): string {
  if (unit === 'year') return d.formatTime(expression, '%Y');
  if (unit === 'quarter')
    return `${d.formatTime(expression, '%Y')} || '-Q' || CAST(quarter(${expression}) AS VARCHAR)`;
  return d.formatTime(expression, '%Y-%m');
}

/**
 * The length of one value of the event time, when a value stands for a whole
 * period (a year, a quarter, a month): a day of that period counts as recent
 * when the period ends inside the window. NULL for days and instants.
 */
function periodLengthSql(ctx: ReadinessSqlContext): string | undefined {
  const g = ctx.time?.granularity;
  if (g === 'year') return 'INTERVAL 1 YEAR';
  if (g === 'quarter') return 'INTERVAL 3 MONTH';
  if (g === 'month') return 'INTERVAL 1 MONTH';
  return undefined;
}

/** True when a day (of a row, or the start of its period) is within `days` of the as-of date. */
function inWindowSql(ctx: ReadinessSqlContext, day: string, days: number): string {
  const length = periodLengthSql(ctx);
  const since = `${dateLiteral(ctx.asOf)} - ${num(Math.round(days))}`;
  return length ? `${day} + ${length} > ${since}` : `${day} > ${since}`;
}

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
  return `SELECT ${d.formatTime(v(`min(${t})`), TIMESTAMP_FORMAT)} AS first, ${d.formatTime(v(`max(${t})`), TIMESTAMP_FORMAT)} AS last, datediff('day', ${v(`min(${t})`)}, ${v(`max(${t})`)}) AS days, ${v('count(*)')} AS rows, ${d.formatTime(`min(${t})`, TIMESTAMP_FORMAT)} AS earliest, ${d.formatTime(`max(${t})`, TIMESTAMP_FORMAT)} AS latest, count(${t}) AS readable, count(*) AS total ${fromTable(ctx.table)}`;
}

/**
 * Every calendar month (or quarter, or year) between the first and last valid
 * event time, with its row count (0 for gaps); the period is in column `month`
 * (`2024-03`, `2024-Q1` or `2024`).
 */
export function monthGapsQuery(ctx: ReadinessSqlContext, unit: CoverageUnit = 'month'): string {
  const { t, valid } = time(ctx);
  return `WITH rz_months AS MATERIALIZED (SELECT date_trunc('${unit}', ${t}) AS month, count(*) AS n ${fromTable(ctx.table)} WHERE ${valid} GROUP BY 1), rz_range AS (SELECT min(month) AS lo, max(month) AS hi FROM rz_months), rz_series AS (SELECT ${d.timeSeries('rz_range.lo', 'rz_range.hi', UNIT_STEP[unit])} AS month FROM rz_range WHERE rz_range.lo IS NOT NULL) SELECT ${periodLabelSql(unit, 'rz_series.month')} AS month, coalesce(rz_months.n, 0) AS rows FROM rz_series LEFT JOIN rz_months ON rz_months.month = rz_series.month ORDER BY rz_series.month`;
}

/**
 * Newest valid event time, its age in days at the as-of date, the first valid
 * day, the day by which half the valid rows have occurred (`median_day`), and
 * rows in the last N days (`last_N`). A value that stands for a whole period
 * (a year, a quarter, a month) is in the window when its period ends in it.
 */
export function recencyQuery(ctx: ReadinessSqlContext, windows: readonly number[]): string {
  const { t, valid } = time(ctx);
  const days = `SELECT ${d.cast(t, 'DATE')} AS day, min(${t}) AS lo, max(${t}) AS hi, count(*) AS n ${fromTable(ctx.table)} WHERE ${valid} GROUP BY 1`;
  return `WITH rz_days AS MATERIALIZED (${days}) ${recencySelect(ctx, windows, 'true')}`;
}

/** The recency answer from `rz_days(day, ok, lo, hi, n)`, keeping the days where `ok` holds. */
function recencySelect(ctx: ReadinessSqlContext, windows: readonly number[], ok: string): string {
  const asOf = dateLiteral(ctx.asOf);
  const total = (e: string): string => `CAST(coalesce(${e}, 0) AS BIGINT)`;
  const counts = windows.map(
    (days) =>
      `${total(`sum(n) FILTER (WHERE ${inWindowSql(ctx, 'day', days)})`)} AS last_${Math.round(days)}`,
  );
  // Half the rows by this day: one running sum over the distinct days.
  const median = `(SELECT ${d.formatTime('min(day)', '%Y-%m-%d')} FROM (SELECT day, sum(n) OVER (ORDER BY day) AS rz_cum, sum(n) OVER () AS rz_all FROM rz_days WHERE ${ok}) WHERE 2 * rz_cum >= rz_all)`;
  return `SELECT ${d.formatTime('max(hi)', TIMESTAMP_FORMAT)} AS newest, datediff('day', max(hi), ${asOf}) AS age_days, ${d.formatTime('min(day)', '%Y-%m-%d')} AS first_day, ${median} AS median_day, ${total('sum(n)')} AS rows${counts.length ? ', ' + counts.join(', ') : ''} FROM rz_days WHERE ${ok}`;
}

/**
 * `timeSpanQuery`, `monthGapsQuery` and `recencyQuery` in one pass: rows
 * tagged `part` (`span`, `months`, `recency`) and `ord`, each part's rows
 * those of its query, in its order. Counts rows per day first (a day is valid
 * or not as a whole), then answers each query from the day counts.
 */
export function timeCoverageQuery(
  ctx: ReadinessSqlContext,
  unit: CoverageUnit,
  windows: readonly number[],
): string {
  const { t, valid } = time(ctx);
  const ok = (e: string): string => `${e} FILTER (WHERE ok)`;
  const total = (e: string): string => `CAST(coalesce(${e}, 0) AS BIGINT)`;
  const ctes = [
    `rz_days AS MATERIALIZED (SELECT ${d.cast(t, 'DATE')} AS day, ${valid} AS ok, min(${t}) AS lo, max(${t}) AS hi, count(${t}) AS readable, count(*) AS n ${fromTable(ctx.table)} ${d.groupByAll()})`,
    `rz_months AS (SELECT date_trunc('${unit}', ${d.cast('day', 'TIMESTAMP')}) AS month, sum(n) AS n FROM rz_days WHERE ok GROUP BY 1)`,
    `rz_range AS (SELECT min(month) AS lo, max(month) AS hi FROM rz_months)`,
    `rz_series AS (SELECT ${d.timeSeries('rz_range.lo', 'rz_range.hi', UNIT_STEP[unit])} AS month FROM rz_range WHERE rz_range.lo IS NOT NULL)`,
  ];
  const recencyColumns = [
    ...['newest', 'age_days', 'first_day', 'median_day', 'rows'],
    ...windows.map((days) => `last_${Math.round(days)}`),
  ];
  const parts = [
    `SELECT 'span' AS part, 1 AS ord, ${d.formatTime(ok('min(lo)'), TIMESTAMP_FORMAT)} AS first, ${d.formatTime(ok('max(hi)'), TIMESTAMP_FORMAT)} AS last, datediff('day', ${ok('min(lo)')}, ${ok('max(hi)')}) AS days, ${total(ok('sum(n)'))} AS rows, ${d.formatTime('min(lo)', TIMESTAMP_FORMAT)} AS earliest, ${d.formatTime('max(hi)', TIMESTAMP_FORMAT)} AS latest, ${total('sum(readable)')} AS readable, ${total('sum(n)')} AS total FROM rz_days`,
    `SELECT 'months' AS part, row_number() OVER (ORDER BY rz_series.month) AS ord, ${periodLabelSql(unit, 'rz_series.month')} AS month, ${total('rz_months.n')} AS rows FROM rz_series LEFT JOIN rz_months ON rz_months.month = rz_series.month`,
    `SELECT 'recency' AS part, 1 AS ord, * FROM (${recencySelect(ctx, windows, 'ok')})`,
  ];
  const [span, months, recency] = parts as [string, string, string];
  const union = unionAllByName([
    {
      sql: span,
      columns: ['part', 'ord', 'first', 'last', 'days', 'rows', 'earliest', 'latest', 'readable', 'total'],
    },
    { sql: months, columns: ['part', 'ord', 'month', 'rows'] },
    { sql: recency, columns: ['part', 'ord', ...recencyColumns] },
  ]);
  return `WITH ${ctes.join(', ')} SELECT * FROM (${union}) ORDER BY part, ord`;
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
  return `SELECT ${period} AS period, ${label} AS label, count(*) AS rows ${fromTable(ctx.table)} WHERE ${valid} AND ${label} IS NOT NULL ${d.groupByAll()} ORDER BY 1, 2`;
}

/**
 * `classByPeriodQuery` for both grains in one pass: rows `grain` (`year` or
 * `quarter`), `period`, `label`, `rows`, each grain's rows in that query's order.
 */
export function classByPeriodsQuery(ctx: ReadinessSqlContext): string {
  if (!ctx.label) throw new RangeError('classByPeriodsQuery needs a target');
  const { t, valid } = time(ctx);
  const label = labelSql(ctx.label);
  // Count by year and quarter number, and spell the periods out per group rather than per row;
  // unioned in a subquery, as ClickHouse binds a trailing ORDER BY to the last SELECT alone.
  return `WITH rz_quarters AS MATERIALIZED (SELECT year(${t}) AS y, quarter(${t}) AS q, ${label} AS label, count(*) AS rows ${fromTable(ctx.table)} WHERE ${valid} AND ${label} IS NOT NULL ${d.groupByAll()}) SELECT * FROM (SELECT 'year' AS grain, CAST(y AS VARCHAR) AS period, label, CAST(sum(rows) AS BIGINT) AS rows FROM rz_quarters ${d.groupByAll()} UNION ALL SELECT 'quarter' AS grain, CAST(y AS VARCHAR) || '-Q' || CAST(q AS VARCHAR) AS period, label, rows FROM rz_quarters) ORDER BY grain, period, label`;
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
  return `WITH rz_cut AS MATERIALIZED (SELECT ${d.quantileDisc(t, num(1 - recentShare))} AS cutoff ${fromTable(ctx.table)} WHERE ${valid}), rz_values AS (SELECT CAST(${c} AS VARCHAR) AS value, count(*) FILTER (WHERE ${t} < rz_cut.cutoff) AS old, count(*) FILTER (WHERE ${t} >= rz_cut.cutoff) AS recent ${fromTable(ctx.table)}, rz_cut WHERE ${valid} AND ${c} IS NOT NULL GROUP BY 1) SELECT rz_values.value, rz_values.old, rz_values.recent, (SELECT ${d.formatTime('cutoff', TIMESTAMP_FORMAT)} FROM rz_cut) AS cutoff FROM rz_values WHERE (rz_values.old >= ${num(minRows)} AND rz_values.recent = 0) OR (rz_values.recent >= ${num(minRows)} AND rz_values.old = 0) ORDER BY rz_values.old + rz_values.recent DESC, rz_values.value LIMIT ${CAPS.categoryChanges}`;
}

import { dateLiteral, ident, num, str } from './quote';
import {
  type ReadinessSqlContext,
  type TimeRef,
  DATE_LIKE_REGEX,
  fromTable,
  isDateType,
  isTemporalType,
  sentinelDateList,
  timeSql,
} from './readiness-common';

const TS = `'%Y-%m-%d %H:%M:%S'`;

/** Rows whose date is after the as-of date (sentinel dates are counted separately). */
export function futureDatesQuery(ctx: ReadinessSqlContext, ref: TimeRef): string {
  const t = timeSql(ref);
  const future = `CAST(${t} AS DATE) > ${dateLiteral(ctx.asOf)} AND CAST(${t} AS DATE) NOT IN (${sentinelDateList()})`;
  return `SELECT count(${t}) AS nonnull, count(*) FILTER (WHERE ${future}) AS future, strftime(max(${t}) FILTER (WHERE ${future}), ${TS}) AS latest ${fromTable(ctx.table)}`;
}

/**
 * Known placeholder dates, and single days holding at least `spikeFactor` times
 * the median rows per day and 1 % of the rows (a default date).
 */
export function sentinelDatesQuery(ctx: ReadinessSqlContext, ref: TimeRef, spikeFactor: number): string {
  const t = timeSql(ref);
  return `WITH rz_days AS MATERIALIZED (SELECT CAST(${t} AS DATE) AS day, count(*) AS n ${fromTable(ctx.table)} WHERE ${t} IS NOT NULL GROUP BY 1), rz_stats AS (SELECT median(n) AS median_per_day, sum(n) AS total, count(*) AS days FROM rz_days) SELECT strftime(rz_days.day, '%Y-%m-%d') AS day, rz_days.n AS rows, rz_days.day IN (${sentinelDateList()}) AS known, rz_stats.median_per_day, rz_stats.total, rz_stats.days FROM rz_days, rz_stats WHERE rz_days.day IN (${sentinelDateList()}) OR (rz_stats.days >= 30 AND rz_days.n >= 10 AND rz_days.n >= ${num(spikeFactor)} * rz_stats.median_per_day AND rz_days.n >= 0.01 * rz_stats.total) ORDER BY rz_days.n DESC LIMIT 20`;
}

/** Rows dated before the plausible start (sentinels excluded). */
export function beforeStartQuery(ctx: ReadinessSqlContext, ref: TimeRef): string {
  const t = timeSql(ref);
  const early = `CAST(${t} AS DATE) < ${dateLiteral(ctx.plausibleStart)} AND CAST(${t} AS DATE) NOT IN (${sentinelDateList()})`;
  return `SELECT count(${t}) AS nonnull, count(*) FILTER (WHERE ${early}) AS early, strftime(min(${t}) FILTER (WHERE ${early}), ${TS}) AS earliest ${fromTable(ctx.table)}`;
}

/**
 * Shapes of date-like text: four-digit runs become Y, other digit runs n and
 * letter runs a, so "2024-01-05" is `Y-n-n` and "5/1/2024" is `n/n/Y`.
 * Values that look like no date at all are counted under the shape `(not a date)`.
 */
export function dateFormatsQuery(ctx: ReadinessSqlContext, column: string): string {
  const c = `trim(${ident(column)})`;
  const shape = `regexp_replace(regexp_replace(regexp_replace(${c}, '[0-9]{4}', 'Y', 'g'), '[0-9]+', 'n', 'g'), '[A-Za-z]+', 'a', 'g')`;
  return `SELECT CASE WHEN regexp_matches(${c}, ${str(DATE_LIKE_REGEX)}) THEN ${shape} ELSE '(not a date)' END AS shape, count(*) AS rows, min(${c}) AS example ${fromTable(ctx.table)} WHERE ${ident(column)} IS NOT NULL GROUP BY 1 ORDER BY rows DESC LIMIT 12`;
}

/** Rows per clock hour, and how many sit at exactly 00:00:00. */
export function timeOfDayQuery(ctx: ReadinessSqlContext, ref: TimeRef): string {
  const t = timeSql(ref);
  return `SELECT hour(${t}) AS hour, count(*) AS rows, count(*) FILTER (WHERE CAST(${t} AS TIME) = TIME '00:00:00') AS midnight ${fromTable(ctx.table)} WHERE ${t} IS NOT NULL GROUP BY 1 ORDER BY 1`;
}

/** Timestamps at exactly midnight per source system. */
export function midnightBySourceQuery(ctx: ReadinessSqlContext, ref: TimeRef): string {
  if (!ctx.source) throw new RangeError('midnightBySourceQuery needs a source column');
  const t = timeSql(ref);
  return `SELECT CAST(${ident(ctx.source)} AS VARCHAR) AS source, count(${t}) AS rows, count(*) FILTER (WHERE CAST(${t} AS TIME) = TIME '00:00:00') AS midnight ${fromTable(ctx.table)} GROUP BY 1 ORDER BY rows DESC`;
}

/**
 * Per ID, in file order (DuckDB's `rowid`), the steps where the event time goes
 * backwards; also how many IDs have more than one row.
 */
export function outOfOrderQuery(ctx: ReadinessSqlContext): string {
  if (!ctx.id || !ctx.time) throw new RangeError('outOfOrderQuery needs an ID and an event time');
  const id = ident(ctx.id);
  const t = timeSql(ctx.time);
  return `WITH rz_seq AS MATERIALIZED (SELECT ${id} AS id, ${t} AS t, lag(${t}) OVER (PARTITION BY ${id} ORDER BY rowid) AS prev ${fromTable(ctx.table)} WHERE ${id} IS NOT NULL AND ${t} IS NOT NULL), rz_repeated AS (SELECT id FROM rz_seq GROUP BY id HAVING count(*) > 1) SELECT (SELECT count(*) FROM rz_repeated) AS repeated_ids, count(DISTINCT id) FILTER (WHERE prev > t) AS ids_out_of_order, count(*) FILTER (WHERE prev > t) AS backward_steps, CAST(min(id) FILTER (WHERE prev > t) AS VARCHAR) AS example_id FROM rz_seq`;
}

/** True when two time columns should be compared by calendar day (either is a date or text). */
export function comparesByDay(a: TimeRef, b: TimeRef): boolean {
  return isDateType(a.type) || isDateType(b.type) || !isTemporalType(a.type) || !isTemporalType(b.type);
}

/** Rows whose outcome time is earlier than their event time. */
export function outcomeBeforeEventQuery(ctx: ReadinessSqlContext): string {
  if (!ctx.time || !ctx.outcome)
    throw new RangeError('outcomeBeforeEventQuery needs event and outcome times');
  const e = timeSql(ctx.time);
  const o = timeSql(ctx.outcome);
  const byDay = comparesByDay(ctx.time, ctx.outcome);
  const [ce, co] = byDay ? [`CAST(${e} AS DATE)`, `CAST(${o} AS DATE)`] : [e, o];
  const sentinel = `CAST(${o} AS DATE) NOT IN (${sentinelDateList()}) AND CAST(${e} AS DATE) NOT IN (${sentinelDateList()})`;
  const before = `${co} < ${ce} AND ${sentinel}`;
  return `SELECT count(*) FILTER (WHERE ${e} IS NOT NULL AND ${o} IS NOT NULL) AS compared, count(*) FILTER (WHERE ${before}) AS before, min(datediff('day', ${e}, ${o})) FILTER (WHERE ${before}) AS worst_days ${fromTable(ctx.table)}`;
}

import { dialect as d } from './dialect';
import { dateLiteral, ident, literal, num } from './quote';
import { sentinelDatesSql, timeSql, type TimeRef } from './readiness-common';
import { dateOnlySql, keySql, timeComparisonSql, timeValueSql, type TimeColumn } from './relations';
import { comparableTimesSql } from './readiness-time';

/**
 * The SQL of the exported checks (issue 23): for each rule, one statement
 * returning a single `value` (violations, rows, a share, days or a
 * statistic) and, for row-level rules, one selecting the violating rows.
 * `table`, `parent` and `today` are SQL fragments the caller passes (the
 * check spec's tokens, or a quoted table and a DATE literal), so the same
 * builder serves the spec and a direct run. Values are literals through
 * `core/sql/quote`; identifiers through `ident`.
 */

/** A statement returning the violating rows, and the one counting them as `value`. */
export interface RowRuleSql {
  sql: string;
  failingRowsSql: string;
}

/** Where clause rows → `{ sql: count of them, failingRowsSql: the rows }`. */
function rowRule(table: string, where: string): RowRuleSql {
  return {
    sql: `SELECT count(*) AS value FROM ${table} WHERE ${where}`,
    failingRowsSql: `SELECT * FROM ${table} WHERE ${where}`,
  };
}

/** The number of rows. */
export function rowCountSql(table: string): string {
  return `SELECT count(*) AS value FROM ${table}`;
}

/** Rows where the column is null. */
export function nullRowsSql(table: string, column: string): RowRuleSql {
  return rowRule(table, `${ident(column)} IS NULL`);
}

/** The column's null share (0 on an empty table). */
export function nullShareSql(table: string, column: string): string {
  return `SELECT coalesce(avg(CASE WHEN ${ident(column)} IS NULL THEN 1.0 ELSE 0.0 END), 0) AS value FROM ${table}`;
}

/**
 * Values (or combinations) seen on more than one row, nulls left out, as
 * dbt's `unique` counts them; the failing rows are those values with their
 * number of rows (`spec_rows`).
 */
export function duplicateValuesSql(table: string, columns: readonly string[]): RowRuleSql {
  const list = columns.map(ident).join(', ');
  const notNull = columns.map((c) => `${ident(c)} IS NOT NULL`).join(' AND ');
  const groups = `SELECT ${list}, count(*) AS spec_rows FROM ${table} WHERE ${notNull} GROUP BY ${list} HAVING count(*) > 1`;
  return {
    sql: `SELECT count(*) AS value FROM (${groups}) AS spec_duplicates`,
    failingRowsSql: groups,
  };
}

/** Non-null rows whose value is not one of `values` (compared as stored). */
export function notAcceptedSql(
  table: string,
  column: string,
  values: readonly (string | number | boolean)[],
): RowRuleSql {
  const c = ident(column);
  if (values.length === 0) return rowRule(table, `${c} IS NOT NULL`);
  return rowRule(table, `${c} IS NOT NULL AND ${c} NOT IN (${values.map(literal).join(', ')})`);
}

/**
 * Rows whose value is one of `values` (sentinels, placeholder tokens); with
 * `asDate`, rows whose day is one of `values` (ISO dates), as the time checks
 * compare placeholder dates.
 */
export function invalidValuesSql(
  table: string,
  column: string,
  values: readonly (string | number | boolean)[],
  options: { asDate?: boolean } = {},
): RowRuleSql {
  if (options.asDate)
    return rowRule(
      table,
      `CAST(${ident(column)} AS DATE) IN (${values.map((v) => dateLiteral(String(v))).join(', ')})`,
    );
  return rowRule(table, `${ident(column)} IN (${values.map(literal).join(', ')})`);
}

/**
 * Non-null numbers outside [min, max]. Infinite and NaN values are left to
 * the profile (they are not "out of range" in the rule's sense) when `float`.
 */
export function outOfRangeSql(
  table: string,
  column: string,
  range: { min: number; max: number; float: boolean },
): RowRuleSql {
  const c = ident(column);
  const finite = range.float ? ` AND ${d.isFinite(c)}` : '';
  // DuckDB reads 0.84900000000000009 as a DECIMAL, whose conversion to DOUBLE can miss the
  // column's own minimum by one ulp; exponent notation is read as the DOUBLE itself.
  const bound = (x: number): string => (range.float && Number.isFinite(x) ? x.toExponential(16) : num(x));
  return rowRule(
    table,
    `${c} IS NOT NULL${finite} AND (${c} < ${bound(range.min)} OR ${c} > ${bound(range.max)})`,
  );
}

/** Rows beyond the first copy of each whole row (nulls equal, as GROUP BY treats them). */
export function duplicateRowsSql(table: string, columns: readonly string[]): RowRuleSql {
  const list = columns.map(ident).join(', ');
  return {
    sql: `SELECT coalesce(sum(spec_copies - 1), 0) AS value FROM (SELECT count(*) AS spec_copies FROM ${table} GROUP BY ${list}) AS spec_groups`,
    failingRowsSql: `SELECT * FROM (SELECT *, row_number() OVER (PARTITION BY ${list}) AS spec_copy FROM ${table}) AS spec_rows WHERE spec_copy > 1`,
  };
}

/**
 * Days from the newest usable event time to `today`: times after `today` and
 * placeholder dates left out, as the coverage-recency check reads them.
 */
export function freshnessSql(table: string, time: TimeRef, today: string): string {
  const t = timeSql(time);
  const day = `CAST(${t} AS DATE)`;
  return `SELECT datediff('day', max(${t}), ${today}) AS value FROM ${table} WHERE ${t} IS NOT NULL AND ${day} <= ${today} AND ${day} NOT IN (${sentinelDatesSql(time.granularity)})`;
}

/**
 * Child rows whose non-null key has no parent row, as dbt's `relationships`
 * counts them. Keys of different types are compared as text (`keySql`), as
 * the relation's measurement compared them.
 */
export function orphanRowsSql(
  child: { table: string; column: string },
  parent: { table: string; column: string },
  comparedAsText: boolean,
): RowRuleSql {
  const cc = `spec_c.${ident(child.column)}`;
  const match = `SELECT 1 FROM ${parent.table} AS spec_p WHERE ${keySql(`spec_p.${ident(parent.column)}`, comparedAsText)} = ${keySql(cc, comparedAsText)}`;
  const where = `${cc} IS NOT NULL AND NOT EXISTS (${match})`;
  return {
    sql: `SELECT count(*) AS value FROM ${child.table} AS spec_c WHERE ${where}`,
    failingRowsSql: `SELECT spec_c.* FROM ${child.table} AS spec_c WHERE ${where}`,
  };
}

/** Rows dated after `today`, placeholder dates left out (the time-future check). */
export function futureRowsSql(table: string, time: TimeRef, today: string): RowRuleSql {
  const day = `CAST(${timeSql(time)} AS DATE)`;
  return rowRule(table, `${day} > ${today} AND ${day} NOT IN (${sentinelDatesSql(time.granularity)})`);
}

/** Rows dated before `from` (an ISO date), placeholder dates left out (the time-before-start check). */
export function beforeDateRowsSql(table: string, time: TimeRef, from: string): RowRuleSql {
  const day = `CAST(${timeSql(time)} AS DATE)`;
  return rowRule(
    table,
    `${day} < ${dateLiteral(from)} AND ${day} NOT IN (${sentinelDatesSql(time.granularity)})`,
  );
}

/**
 * Rows whose outcome time is before their event time, at the coarser of the
 * two granularities, placeholder dates left out (the time-outcome-before-event check).
 */
export function outcomeBeforeEventSql(table: string, event: TimeRef, outcome: TimeRef): RowRuleSql {
  const e = timeSql(event);
  const o = timeSql(outcome);
  const [ce, co] = comparableTimesSql(event, outcome, e, o);
  const where =
    `${co} < ${ce} AND CAST(${o} AS DATE) NOT IN (${sentinelDatesSql(outcome.granularity)}) ` +
    `AND CAST(${e} AS DATE) NOT IN (${sentinelDatesSql(event.granularity)})`;
  return rowRule(table, where);
}

/**
 * A monitoring-contract statement over `placeholder` rebound to `table`, its
 * one output column (`output`) returned as `value`.
 */
export function statisticSql(sql: string, placeholder: string, output: string, table: string): string {
  return `SELECT ${ident(output)} AS value FROM (${sql.replaceAll(ident(placeholder), table)}) AS spec_statistic`;
}

/** One end of a relation for the point-in-time rule: a table fragment, its key and time columns. */
export interface TimedEnd {
  table: string;
  column: string;
  time: TimeColumn;
}

/**
 * Child rows dated after their parent's earliest event time (at DATE
 * granularity when either side is a date only), as the relation's
 * point-in-time check counts them: features built from them leak the future.
 */
export function afterParentTimeRowsSql(
  child: TimedEnd,
  parent: TimedEnd,
  comparedAsText: boolean,
): RowRuleSql {
  const pc = ident(parent.column);
  const pt = ident(parent.time.column);
  const parentDateOnly = dateOnlySql(pt, parent.time.type);
  const ct = `spec_c.${ident(child.time.column)}`;
  const childTime = timeValueSql(ct, child.time.type);
  const parents =
    `SELECT ${keySql(pc, comparedAsText)} AS k, min(${timeValueSql(pt, parent.time.type)}) AS t, ` +
    `max(CASE WHEN ${parentDateOnly} THEN 1 ELSE 0 END) = 1 AS dd FROM ${parent.table} WHERE ${pc} IS NOT NULL GROUP BY 1`;
  const after = timeComparisonSql(
    '>',
    { time: childTime, dateOnly: dateOnlySql(ct, child.time.type) },
    {
      time: 'spec_p.t',
      dateOnly: parentDateOnly === 'TRUE' || parentDateOnly === 'FALSE' ? parentDateOnly : 'spec_p.dd',
    },
  );
  const from =
    `FROM ${child.table} AS spec_c JOIN (${parents}) AS spec_p ON ${keySql(`spec_c.${ident(child.column)}`, comparedAsText)} = spec_p.k ` +
    `WHERE ${childTime} IS NOT NULL AND spec_p.t IS NOT NULL AND ${after}`;
  return { sql: `SELECT count(*) AS value ${from}`, failingRowsSql: `SELECT spec_c.* ${from}` };
}

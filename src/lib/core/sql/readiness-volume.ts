import { dialect as d } from './dialect';
import { ident } from './quote';
import {
  type ReadinessSqlContext,
  fromTable,
  labelSql,
  positiveSql,
  timeSql,
  validTimeSql,
} from './readiness-common';

/**
 * Rows in the table (named apart from the profile's `rowCountQuery`, which
 * takes a table name); with `labelled`, also the rows whose label is usable.
 */
export function totalRowsQuery(ctx: ReadinessSqlContext, labelled = false): string {
  if (labelled && ctx.label)
    return `SELECT count(*) AS rows, count(${labelSql(ctx.label)}) AS labelled ${fromTable(ctx.table)}`;
  return `SELECT count(*) AS rows ${fromTable(ctx.table)}`;
}

/**
 * Distinct non-missing values of each candidate feature, one column each
 * under its own name: what tells a constant or ID-like column apart.
 */
export function candidateFeaturesQuery(ctx: ReadinessSqlContext, columns: readonly string[]): string {
  const counts = columns.map((c) => `, count(DISTINCT ${ident(c)}) AS ${ident(c)}`).join('');
  return `SELECT count(*) AS rows${counts} ${fromTable(ctx.table)}`;
}

/** Rows per canonical class; unlabelled rows form the NULL class. */
export function classCountsQuery(ctx: ReadinessSqlContext): string {
  if (!ctx.label) throw new RangeError('classCountsQuery needs a target');
  return `SELECT ${labelSql(ctx.label)} AS label, count(*) AS rows ${fromTable(ctx.table)} GROUP BY 1 ORDER BY rows DESC, label NULLS LAST`;
}

/** Rows per segment value and class (the class is NULL for unlabelled rows). */
export function segmentClassCountsQuery(ctx: ReadinessSqlContext, segment: string, limit = 10_000): string {
  const order = `ORDER BY segment NULLS LAST, label NULLS LAST LIMIT ${limit}`;
  if (!ctx.label || ctx.label.kind === 'numeric')
    return `SELECT CAST(${ident(segment)} AS VARCHAR) AS segment, CAST(NULL AS VARCHAR) AS label, count(*) AS rows ${fromTable(ctx.table)} ${d.groupByAll()} ${order}`;
  // Count per segment and raw label first, then read the raw spellings as classes once per group.
  const raw = { ...ctx.label, column: 'rz_raw' };
  const counts = `SELECT ${ident(segment)} AS rz_segment, ${ident(ctx.label.column)} AS rz_raw, count(*) AS rz_n ${fromTable(ctx.table)} ${d.groupByAll()}`;
  return `SELECT CAST(rz_segment AS VARCHAR) AS segment, ${labelSql(raw)} AS label, CAST(sum(rz_n) AS BIGINT) AS rows FROM (${counts}) ${d.groupByAll()} ${order}`;
}

/**
 * Rows, labelled rows and positives (or the target mean for regression) per
 * calendar month of the event time, over valid times only.
 */
export function monthlyCountsQuery(ctx: ReadinessSqlContext): string {
  if (!ctx.time) throw new RangeError('monthlyCountsQuery needs an event time');
  const t = timeSql(ctx.time);
  const valid = validTimeSql(t, ctx.asOf, { from: ctx.validFrom, granularity: ctx.time.granularity });
  const month = `date_trunc('month', ${t})`;
  if (!ctx.label || ctx.label.kind === 'numeric') {
    const label = ctx.label ? labelSql(ctx.label) : 'NULL';
    const outcome = ctx.label ? `avg(${label}) AS target_mean` : 'sum(NULL) AS positives';
    return `SELECT ${d.formatTime(month, '%Y-%m')} AS month, count(*) AS rows, count(${label}) AS labelled, ${outcome} ${fromTable(ctx.table)} WHERE ${valid} GROUP BY ${month} ORDER BY 1`;
  }
  // Count per month and raw label first, then read the few raw spellings as classes:
  // formatting and labelling once per group instead of once per row.
  const raw = { ...ctx.label, column: 'rz_raw' };
  const counts = `SELECT ${month} AS rz_month, ${ident(ctx.label.column)} AS rz_raw, count(*) AS rz_n ${fromTable(ctx.table)} WHERE ${valid} ${d.groupByAll()}`;
  return `SELECT ${d.formatTime('rz_month', '%Y-%m')} AS month, CAST(sum(rz_n) AS BIGINT) AS rows, CAST(coalesce(sum(rz_n) FILTER (WHERE ${labelSql(raw)} IS NOT NULL), 0) AS BIGINT) AS labelled, CAST(sum(rz_n * ${positiveSql(raw)}) AS BIGINT) AS positives FROM (${counts}) GROUP BY rz_month ORDER BY 1`;
}

import { ident } from './quote';
import {
  type ReadinessSqlContext,
  fromTable,
  labelSql,
  positiveSql,
  timeSql,
  validTimeSql,
} from './readiness-common';

/** Rows in the table (named apart from the profile's `rowCountQuery`, which takes a table name). */
export function totalRowsQuery(ctx: ReadinessSqlContext): string {
  return `SELECT count(*) AS rows ${fromTable(ctx.table)}`;
}

/** Rows per canonical class; unlabelled rows form the NULL class. */
export function classCountsQuery(ctx: ReadinessSqlContext): string {
  if (!ctx.label) throw new RangeError('classCountsQuery needs a target');
  return `SELECT ${labelSql(ctx.label)} AS label, count(*) AS rows ${fromTable(ctx.table)} GROUP BY 1 ORDER BY rows DESC, label NULLS LAST`;
}

/** Rows per segment value and class (the class is NULL for unlabelled rows). */
export function segmentClassCountsQuery(ctx: ReadinessSqlContext, segment: string, limit = 10_000): string {
  const label = ctx.label
    ? ctx.label.kind === 'numeric'
      ? `CAST(NULL AS VARCHAR)`
      : labelSql(ctx.label)
    : `CAST(NULL AS VARCHAR)`;
  return `SELECT CAST(${ident(segment)} AS VARCHAR) AS segment, ${label} AS label, count(*) AS rows ${fromTable(ctx.table)} GROUP BY ALL ORDER BY segment NULLS LAST, label NULLS LAST LIMIT ${limit}`;
}

/**
 * Rows, labelled rows and positives (or the target mean for regression) per
 * calendar month of the event time, over valid times only.
 */
export function monthlyCountsQuery(ctx: ReadinessSqlContext): string {
  if (!ctx.time) throw new RangeError('monthlyCountsQuery needs an event time');
  const t = timeSql(ctx.time);
  const label = ctx.label ? labelSql(ctx.label) : 'NULL';
  const outcome =
    ctx.label?.kind === 'numeric'
      ? `avg(${label}) AS target_mean`
      : `sum(${ctx.label ? positiveSql(ctx.label) : 'NULL'}) AS positives`;
  return `SELECT strftime(date_trunc('month', ${t}), '%Y-%m') AS month, count(*) AS rows, count(${label}) AS labelled, ${outcome} ${fromTable(ctx.table)} WHERE ${validTimeSql(t, ctx.asOf, { from: ctx.validFrom, granularity: ctx.time.granularity })} GROUP BY 1 ORDER BY 1`;
}

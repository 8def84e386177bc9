import { ident } from './quote';
import { type LabelRef, type ReadinessSqlContext, fromTable, identList, labelSql } from './readiness-common';

function requireLabel(ctx: ReadinessSqlContext): LabelRef {
  if (!ctx.label) throw new RangeError('this query needs a target');
  return ctx.label;
}

function label(ctx: ReadinessSqlContext): string {
  return labelSql(requireLabel(ctx));
}

/** Unlabelled rows by their literal target value (NULL, "", "N/A", …). */
export function missingLabelsQuery(ctx: ReadinessSqlContext): string {
  return `SELECT CAST(${ident(requireLabel(ctx).column)} AS VARCHAR) AS raw, count(*) AS rows ${fromTable(ctx.table)} WHERE ${label(ctx)} IS NULL GROUP BY 1 ORDER BY rows DESC LIMIT 50`;
}

/** Literal spellings of each canonical label, per source system when one is set. */
export function labelVariantsQuery(ctx: ReadinessSqlContext): string {
  const target = ident(requireLabel(ctx).column);
  const source = ctx.source ? `CAST(${ident(ctx.source)} AS VARCHAR)` : 'CAST(NULL AS VARCHAR)';
  return `SELECT ${label(ctx)} AS label, CAST(${target} AS VARCHAR) AS raw, ${source} AS source, count(*) AS rows ${fromTable(ctx.table)} WHERE ${label(ctx)} IS NOT NULL GROUP BY ALL ORDER BY label, rows DESC LIMIT 2000`;
}

/**
 * Groups of labelled rows with identical feature vectors: how many groups carry
 * more than one label, how many rows they hold, and all labelled rows.
 */
export function conflictingLabelsQuery(ctx: ReadinessSqlContext, features: readonly string[]): string {
  if (features.length === 0) throw new RangeError('conflictingLabelsQuery needs features');
  return `WITH rz_groups AS (SELECT count(*) AS n, count(DISTINCT ${label(ctx)}) AS labels ${fromTable(ctx.table)} WHERE ${label(ctx)} IS NOT NULL GROUP BY ${identList(features)}) SELECT count(*) FILTER (WHERE labels > 1) AS groups, coalesce(sum(n) FILTER (WHERE labels > 1), 0) AS rows, coalesce(sum(n), 0) AS labelled FROM rz_groups`;
}

/** The largest conflicting groups: the feature values, the group size and its labels. */
export function conflictingExamplesQuery(
  ctx: ReadinessSqlContext,
  features: readonly string[],
  limit = 3,
): string {
  if (features.length === 0) throw new RangeError('conflictingExamplesQuery needs features');
  const l = label(ctx);
  return `SELECT ${identList(features)}, count(*) AS rz_rows, string_agg(DISTINCT ${l}, ' | ' ORDER BY ${l}) AS rz_labels ${fromTable(ctx.table)} WHERE ${l} IS NOT NULL GROUP BY ${identList(features)} HAVING count(DISTINCT ${l}) > 1 ORDER BY rz_rows DESC LIMIT ${limit}`;
}

/** Labelled rows per source system and class (classification) or target summary per source (regression). */
export function labelBySourceQuery(ctx: ReadinessSqlContext): string {
  if (!ctx.source) throw new RangeError('labelBySourceQuery needs a source column');
  const source = `CAST(${ident(ctx.source)} AS VARCHAR)`;
  if (ctx.label?.kind === 'numeric')
    return `SELECT ${source} AS source, count(${label(ctx)}) AS rows, avg(${label(ctx)}) AS mean, median(${label(ctx)}) AS median ${fromTable(ctx.table)} GROUP BY 1 ORDER BY rows DESC`;
  return `SELECT ${source} AS source, ${label(ctx)} AS label, count(*) AS rows ${fromTable(ctx.table)} WHERE ${label(ctx)} IS NOT NULL GROUP BY ALL ORDER BY source NULLS LAST, label`;
}

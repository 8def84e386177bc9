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
 * Groups of labelled rows with identical feature vectors that carry more than
 * one label: the largest `limit` groups with their feature values, size
 * (`rz_rows`) and two of their labels (`rz_labels`, lowest | highest), plus on
 * every row the totals `rz_group_count`, `rz_conflict_rows` and `rz_labelled`.
 * No row means no conflict.
 */
export function conflictingLabelsQuery(
  ctx: ReadinessSqlContext,
  features: readonly string[],
  limit = 3,
): string {
  if (features.length === 0) throw new RangeError('conflictingLabelsQuery needs features');
  const l = label(ctx);
  const f = identList(features);
  return `WITH rz_groups AS MATERIALIZED (SELECT ${f}, count(${l}) AS rz_n, min(${l}) AS rz_lo, max(${l}) AS rz_hi ${fromTable(ctx.table)} GROUP BY ${f}), rz_conflicts AS (SELECT * FROM rz_groups WHERE rz_lo <> rz_hi) SELECT ${f}, rz_n AS rz_rows, rz_lo || ' | ' || rz_hi AS rz_labels, (SELECT count(*) FROM rz_conflicts) AS rz_group_count, (SELECT sum(rz_n) FROM rz_conflicts) AS rz_conflict_rows, (SELECT sum(rz_n) FROM rz_groups) AS rz_labelled FROM rz_conflicts ORDER BY rz_n DESC LIMIT ${limit}`;
}

/** Labelled rows per source system and class (classification) or target summary per source (regression). */
export function labelBySourceQuery(ctx: ReadinessSqlContext): string {
  if (!ctx.source) throw new RangeError('labelBySourceQuery needs a source column');
  const source = `CAST(${ident(ctx.source)} AS VARCHAR)`;
  if (ctx.label?.kind === 'numeric')
    return `SELECT ${source} AS source, count(${label(ctx)}) AS rows, avg(${label(ctx)}) AS mean, median(${label(ctx)}) AS median ${fromTable(ctx.table)} GROUP BY 1 ORDER BY rows DESC`;
  return `SELECT ${source} AS source, ${label(ctx)} AS label, count(*) AS rows ${fromTable(ctx.table)} WHERE ${label(ctx)} IS NOT NULL GROUP BY ALL ORDER BY source NULLS LAST, label`;
}

import { dialect as d } from './dialect';
import { ident } from './quote';
import { type LabelRef, type ReadinessSqlContext, fromTable, identList, labelSql } from './readiness-common';

function requireLabel(ctx: ReadinessSqlContext): LabelRef {
  if (!ctx.label) throw new RangeError('this query needs a target');
  return ctx.label;
}

function label(ctx: ReadinessSqlContext): string {
  return labelSql(requireLabel(ctx));
}

/** The source system as text, NULL without one. */
function sourceSql(ctx: ReadinessSqlContext): string {
  return ctx.source ? `CAST(${ident(ctx.source)} AS VARCHAR)` : 'CAST(NULL AS VARCHAR)';
}

/** Unlabelled spellings listed at most. */
const MISSING_LIMIT = 50;
/** (label, spelling, source) rows listed at most. */
const VARIANTS_LIMIT = 2000;

/** Unlabelled rows by their literal target value (NULL, "", "N/A", …). */
export function missingLabelsQuery(ctx: ReadinessSqlContext): string {
  return `SELECT CAST(${ident(requireLabel(ctx).column)} AS VARCHAR) AS raw, count(*) AS rows ${fromTable(ctx.table)} WHERE ${label(ctx)} IS NULL GROUP BY 1 ORDER BY rows DESC, raw LIMIT ${MISSING_LIMIT}`;
}

/** Literal spellings of each canonical label, per source system when one is set. */
export function labelVariantsQuery(ctx: ReadinessSqlContext): string {
  const target = ident(requireLabel(ctx).column);
  return `SELECT ${label(ctx)} AS label, CAST(${target} AS VARCHAR) AS raw, ${sourceSql(ctx)} AS source, count(*) AS rows ${fromTable(ctx.table)} WHERE ${label(ctx)} IS NOT NULL ${d.groupByAll()} ORDER BY label, rows DESC, raw, source LIMIT ${VARIANTS_LIMIT}`;
}

/** The parts of `labelCountsQuery`, each the rows of one standalone statement. */
export type LabelCountsPart = 'missing' | 'variants' | 'by-source';

/**
 * `missingLabelsQuery`, `labelVariantsQuery` and (classes) `labelBySourceQuery`
 * in one pass, with the same rows: the table is grouped once by the target's
 * text and the source, and each group is labelled once. Rows carry `part`
 * (`LabelCountsPart`), `ord` (their place in that statement's order) and that
 * statement's columns among `label`, `raw`, `source`, `rows`.
 */
export function labelCountsQuery(ctx: ReadinessSqlContext): string {
  const ref = requireLabel(ctx);
  // A label is a function of the target's text, so it is read once per (text, source) group.
  const y = labelSql({ ...ref, column: 'rz_raw' });
  return (
    `WITH rz_counts AS MATERIALIZED (SELECT rz_raw, rz_source, ${y} AS rz_label, rz_rows FROM (SELECT CAST(${ident(ref.column)} AS VARCHAR) AS rz_raw, ${sourceSql(ctx)} AS rz_source, count(*) AS rz_rows ${fromTable(ctx.table)} ${d.groupByAll()})), ` +
    `rz_missing AS (SELECT rz_raw AS raw, CAST(sum(rz_rows) AS BIGINT) AS rows FROM rz_counts WHERE rz_label IS NULL GROUP BY 1 ORDER BY rows DESC, raw LIMIT ${MISSING_LIMIT}), ` +
    `rz_variants AS (SELECT rz_label AS label, rz_raw AS raw, rz_source AS source, rz_rows AS rows FROM rz_counts WHERE rz_label IS NOT NULL ORDER BY label, rows DESC, raw, source LIMIT ${VARIANTS_LIMIT}), ` +
    `rz_by_source AS (SELECT rz_source AS source, rz_label AS label, CAST(sum(rz_rows) AS BIGINT) AS rows FROM rz_counts WHERE rz_label IS NOT NULL ${d.groupByAll()}) ` +
    // Unioned in a subquery: ClickHouse binds a trailing ORDER BY to the last SELECT alone.
    `SELECT * FROM (SELECT 'missing' AS part, row_number() OVER (ORDER BY rows DESC, raw) AS ord, CAST(NULL AS VARCHAR) AS label, raw, CAST(NULL AS VARCHAR) AS source, rows FROM rz_missing ` +
    `UNION ALL SELECT 'variants', row_number() OVER (ORDER BY label, rows DESC, raw, source), label, raw, source, rows FROM rz_variants ` +
    `UNION ALL SELECT 'by-source', row_number() OVER (ORDER BY source NULLS LAST, label), label, CAST(NULL AS VARCHAR), source, rows FROM rz_by_source) ` +
    `ORDER BY part, ord`
  );
}

/**
 * Groups of labelled rows with identical feature vectors that carry more than
 * one label: the largest `limit` groups with their feature values, size
 * (`rz_rows`) and two of their labels (`rz_labels`, lowest | highest), plus on
 * every row the totals `rz_group_count`, `rz_conflict_rows` and `rz_labelled`.
 * Groups of one size come in the order of their feature values. No row means
 * no conflict.
 */
export function conflictingLabelsQuery(
  ctx: ReadinessSqlContext,
  features: readonly string[],
  limit = 3,
): string {
  if (features.length === 0) throw new RangeError('conflictingLabelsQuery needs features');
  const l = label(ctx);
  const f = identList(features);
  return `WITH rz_groups AS MATERIALIZED (SELECT ${f}, count(${l}) AS rz_n, min(${l}) AS rz_lo, max(${l}) AS rz_hi ${fromTable(ctx.table)} GROUP BY ${f}), rz_conflicts AS (SELECT * FROM rz_groups WHERE rz_lo <> rz_hi) SELECT ${f}, rz_n AS rz_rows, rz_lo || ' | ' || rz_hi AS rz_labels, (SELECT count(*) FROM rz_conflicts) AS rz_group_count, (SELECT sum(rz_n) FROM rz_conflicts) AS rz_conflict_rows, (SELECT sum(rz_n) FROM rz_groups) AS rz_labelled FROM rz_conflicts ORDER BY rz_n DESC, ${f} LIMIT ${limit}`;
}

/** Labelled rows per source system and class (classification) or target summary per source (regression). */
export function labelBySourceQuery(ctx: ReadinessSqlContext): string {
  if (!ctx.source) throw new RangeError('labelBySourceQuery needs a source column');
  const source = `CAST(${ident(ctx.source)} AS VARCHAR)`;
  if (ctx.label?.kind === 'numeric')
    return `SELECT ${source} AS source, count(${label(ctx)}) AS rows, avg(${label(ctx)}) AS mean, ${d.median(label(ctx))} AS median ${fromTable(ctx.table)} GROUP BY 1 ORDER BY rows DESC`;
  return `SELECT ${source} AS source, ${label(ctx)} AS label, count(*) AS rows ${fromTable(ctx.table)} WHERE ${label(ctx)} IS NOT NULL ${d.groupByAll()} ORDER BY source NULLS LAST, label`;
}

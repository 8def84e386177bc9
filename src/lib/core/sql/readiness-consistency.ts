import { ident, num } from './quote';
import { type ReadinessSqlContext, fromTable, normalisedTextSql, spellingKeySql } from './readiness-common';

function source(ctx: ReadinessSqlContext): string {
  if (!ctx.source) throw new RangeError('this query needs a source column');
  return `CAST(${ident(ctx.source)} AS VARCHAR)`;
}

/** Rows and non-null counts `nn_i` of each column (by position) per source system. */
export function nullRatesBySourceQuery(ctx: ReadinessSqlContext, columns: readonly string[]): string {
  const counts = columns.map((c, i) => `count(${ident(c)}) AS nn_${i}`);
  return `SELECT ${source(ctx)} AS source, count(*) AS rows${counts.length ? ', ' + counts.join(', ') : ''} ${fromTable(ctx.table)} GROUP BY 1 ORDER BY rows DESC LIMIT 200`;
}

/**
 * Smoothed PSI (add ½ per bin) and total-variation distance between every pair
 * of sources with at least `minRows` values, from binned counts.
 */
function pairwiseShift(prefix: string, minRows: number): string {
  return `${prefix}, rz_cells AS MATERIALIZED (SELECT source, bin, count(*) AS n FROM rz_binned GROUP BY ALL), rz_sources AS (SELECT source, sum(n) AS total FROM rz_cells GROUP BY ALL HAVING sum(n) >= ${num(minRows)}), rz_bins AS (SELECT DISTINCT bin FROM rz_cells), rz_nbins AS (SELECT count(*) AS bins FROM rz_bins), rz_grid AS (SELECT rz_sources.source, rz_sources.total, rz_bins.bin, coalesce(rz_cells.n, 0) AS n FROM rz_sources CROSS JOIN rz_bins LEFT JOIN rz_cells ON rz_cells.source IS NOT DISTINCT FROM rz_sources.source AND rz_cells.bin = rz_bins.bin), rz_pairs AS (SELECT rz_a.source AS source, rz_b.source AS other, rz_a.total AS rows, rz_b.total AS other_rows, rz_a.n AS n_a, rz_b.n AS n_b FROM rz_grid AS rz_a JOIN rz_grid AS rz_b ON rz_a.bin = rz_b.bin AND rz_a.source IS DISTINCT FROM rz_b.source), rz_p AS (SELECT rz_pairs.*, (n_a + 0.5) / (rows + 0.5 * rz_nbins.bins) AS p, (n_b + 0.5) / (other_rows + 0.5 * rz_nbins.bins) AS q FROM rz_pairs, rz_nbins) SELECT source, other, any_value(rows) AS rows, any_value(other_rows) AS other_rows, sum((p - q) * ln(p / q)) AS psi, 0.5 * sum(abs(n_a / rows - n_b / other_rows)) AS tvd FROM rz_p GROUP BY source, other ORDER BY source NULLS LAST, other NULLS LAST`;
}

/** A numeric column binned at its pooled deciles; PSI and TVD between every pair of sources. */
export function numericShiftBySourceQuery(ctx: ReadinessSqlContext, column: string, minRows: number): string {
  const x = `CAST(${ident(column)} AS DOUBLE)`;
  const cases = Array.from({ length: 9 }, (_, i) => `WHEN ${x} <= rz_cuts.q[${i + 1}] THEN ${i + 1}`).join(
    ' ',
  );
  const prefix = `WITH rz_cuts AS (SELECT quantile_cont(${x}, [0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9]) AS q ${fromTable(ctx.table)} WHERE ${x} IS NOT NULL), rz_binned AS (SELECT ${source(ctx)} AS source, CASE ${cases} ELSE 10 END AS bin ${fromTable(ctx.table)}, rz_cuts WHERE ${x} IS NOT NULL)`;
  return pairwiseShift(prefix, minRows);
}

/** A categorical column (trimmed, lower-cased; the top `maxCategories` values, the rest pooled); PSI and TVD between every pair of sources. */
export function categoricalShiftBySourceQuery(
  ctx: ReadinessSqlContext,
  column: string,
  maxCategories: number,
  minRows: number,
): string {
  const prefix = `WITH rz_values AS MATERIALIZED (SELECT ${source(ctx)} AS source, ${normalisedTextSql(ident(column))} AS v ${fromTable(ctx.table)} WHERE ${ident(column)} IS NOT NULL), rz_top AS (SELECT v FROM rz_values GROUP BY v ORDER BY count(*) DESC, v LIMIT ${num(maxCategories)}), rz_binned AS (SELECT source, CASE WHEN v IN (SELECT v FROM rz_top) THEN v ELSE '(other)' END AS bin FROM rz_values)`;
  return pairwiseShift(prefix, minRows);
}

/** Each literal value of a column per source, with a loose spelling key (letters and digits, lower-case). */
export function vocabularyBySourceQuery(ctx: ReadinessSqlContext, column: string): string {
  const c = ident(column);
  return `SELECT ${source(ctx)} AS source, CAST(${c} AS VARCHAR) AS value, ${spellingKeySql(c)} AS key, count(*) AS rows ${fromTable(ctx.table)} WHERE ${c} IS NOT NULL GROUP BY ALL ORDER BY key, value, source LIMIT 5000`;
}

/** Per source: rows, the median and the median of non-zero absolute values of a numeric column. */
export function scaleBySourceQuery(ctx: ReadinessSqlContext, column: string): string {
  const x = `CAST(${ident(column)} AS DOUBLE)`;
  return `SELECT ${source(ctx)} AS source, count(${x}) AS rows, median(${x}) AS median, median(abs(${x})) FILTER (WHERE ${x} <> 0) AS median_abs ${fromTable(ctx.table)} GROUP BY 1 ORDER BY rows DESC LIMIT 200`;
}

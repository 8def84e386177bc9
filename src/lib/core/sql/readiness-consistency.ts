import { dialect as d } from './dialect';
import { ident, num } from './quote';
import { READINESS_RESULT_CAPS as CAPS } from '../thresholds';
import { type ReadinessSqlContext, fromTable, normalisedTextSql, spellingKeySql } from './readiness-common';

/** The source system of a row, as text. */
export function sourceSql(ctx: ReadinessSqlContext): string {
  if (!ctx.source) throw new RangeError('this query needs a source column');
  return `CAST(${ident(ctx.source)} AS VARCHAR)`;
}

/** The nine cut points of the numeric shift's ten bins, as quantile levels. */
export const DECILES = '[0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9]';

/** The bin (1–10) of a value against a list of nine ascending cut points: the first cut it does not exceed. */
export function decileBinSql(value: string, cuts: string): string {
  const whens = Array.from({ length: 9 }, (_, i) => `WHEN ${value} <= ${cuts}[${i + 1}] THEN ${i + 1}`);
  return `CASE ${whens.join(' ')} ELSE 10 END`;
}

/** Rows and non-null counts `nn_i` of each column (by position) per source system. */
export function nullRatesBySourceQuery(ctx: ReadinessSqlContext, columns: readonly string[]): string {
  const counts = columns.map((c, i) => `count(${ident(c)}) AS nn_${i}`);
  return `SELECT ${sourceSql(ctx)} AS source, count(*) AS rows${counts.length ? ', ' + counts.join(', ') : ''} ${fromTable(ctx.table)} GROUP BY 1 ORDER BY rows DESC, source NULLS LAST LIMIT ${CAPS.sourcesPerColumn}`;
}

/**
 * The CTEs and final SELECT of the pairwise shift, from a CTE `rz_cells`
 * (`keys…, source, bin, n` with `n` a BIGINT count): smoothed PSI (add ½ per
 * bin) and total-variation distance between every pair of sources with at
 * least `minRows` values, per combination of `keys` (plain column names of
 * `rz_cells`; none for one column's cells).
 */
export function pairwiseShiftSql(keys: readonly string[], minRows: number): { ctes: string; select: string } {
  const list = (): string => keys.map((k) => `${k}, `).join('');
  // ClickHouse names a qualified column `alias.k` in a CTE's output, so each is named again.
  const named = (alias: string): string => keys.map((k) => `${alias}.${k} AS ${k}, `).join('');
  const same = (a: string, b: string): string[] => keys.map((k) => `${a}.${k} = ${b}.${k}`);
  const on = (conditions: string[]): string => (conditions.length ? conditions.join(' AND ') : 'TRUE');
  const ctes = [
    `rz_sources AS (SELECT ${list()}source, sum(n) AS total FROM rz_cells ${d.groupByAll()} HAVING sum(n) >= ${num(minRows)})`,
    `rz_bins AS (SELECT DISTINCT ${list()}bin FROM rz_cells)`,
    `rz_nbins AS (SELECT ${list()}count(*) AS bins FROM rz_bins${keys.length ? ` ${d.groupByAll()}` : ''})`,
    `rz_grid AS (SELECT ${named('rz_sources')}rz_sources.source AS source, rz_sources.total AS total, rz_bins.bin AS bin, coalesce(rz_cells.n, 0) AS n FROM rz_sources JOIN rz_bins ON ${on(same('rz_bins', 'rz_sources'))} LEFT JOIN rz_cells ON ${on([...same('rz_cells', 'rz_sources'), 'rz_cells.source IS NOT DISTINCT FROM rz_sources.source', 'rz_cells.bin = rz_bins.bin'])})`,
    `rz_pairs AS (SELECT ${named('rz_a')}rz_a.source AS source, rz_b.source AS other, rz_a.total AS rows, rz_b.total AS other_rows, rz_a.n AS n_a, rz_b.n AS n_b FROM rz_grid AS rz_a JOIN rz_grid AS rz_b ON ${on([...same('rz_a', 'rz_b'), 'rz_a.bin = rz_b.bin', 'rz_a.source IS DISTINCT FROM rz_b.source'])})`,
    `rz_p AS (SELECT ${named('rz_pairs')}source, other, rows, other_rows, n_a, n_b, (n_a + 0.5) / (rows + 0.5 * rz_nbins.bins) AS p, (n_b + 0.5) / (other_rows + 0.5 * rz_nbins.bins) AS q FROM rz_pairs JOIN rz_nbins ON ${on(same('rz_nbins', 'rz_pairs'))})`,
  ].join(', ');
  const select = `SELECT ${list()}source, other, any_value(rows) AS rows, any_value(other_rows) AS other_rows, sum((p - q) * ln(p / q)) AS psi, 0.5 * sum(abs(n_a / rows - n_b / other_rows)) AS tvd FROM rz_p GROUP BY ${list()}source, other ORDER BY ${list()}source NULLS LAST, other NULLS LAST`;
  return { ctes, select };
}

function pairwiseShift(prefix: string, minRows: number): string {
  const { ctes, select } = pairwiseShiftSql([], minRows);
  return `${prefix}, rz_cells AS MATERIALIZED (SELECT source, bin, count(*) AS n FROM rz_binned ${d.groupByAll()}), ${ctes} ${select}`;
}

/** A numeric column binned at its pooled deciles; PSI and TVD between every pair of sources. */
export function numericShiftBySourceQuery(ctx: ReadinessSqlContext, column: string, minRows: number): string {
  const x = `CAST(${ident(column)} AS DOUBLE)`;
  const prefix = `WITH rz_cuts AS (SELECT ${d.quantileCont(x, DECILES)} AS q ${fromTable(ctx.table)} WHERE ${x} IS NOT NULL), rz_binned AS (SELECT ${sourceSql(ctx)} AS source, ${decileBinSql(x, 'rz_cuts.q')} AS bin ${fromTable(ctx.table)}, rz_cuts WHERE ${x} IS NOT NULL)`;
  return pairwiseShift(prefix, minRows);
}

/** A categorical column (trimmed, lower-cased; the top `maxCategories` values, the rest pooled); PSI and TVD between every pair of sources. */
export function categoricalShiftBySourceQuery(
  ctx: ReadinessSqlContext,
  column: string,
  maxCategories: number,
  minRows: number,
): string {
  const prefix = `WITH rz_values AS MATERIALIZED (SELECT ${sourceSql(ctx)} AS source, ${normalisedTextSql(ident(column))} AS v ${fromTable(ctx.table)} WHERE ${ident(column)} IS NOT NULL), rz_top AS (SELECT v FROM rz_values GROUP BY v ORDER BY count(*) DESC, v LIMIT ${num(maxCategories)}), rz_binned AS (SELECT source, CASE WHEN v IN (SELECT v FROM rz_top) THEN v ELSE '(other)' END AS bin FROM rz_values)`;
  return pairwiseShift(prefix, minRows);
}

/** Each literal value of a column per source, with a loose spelling key (letters and digits, lower-case). */
export function vocabularyBySourceQuery(ctx: ReadinessSqlContext, column: string): string {
  const c = ident(column);
  return `SELECT ${sourceSql(ctx)} AS source, CAST(${c} AS VARCHAR) AS value, ${spellingKeySql(c)} AS key, count(*) AS rows ${fromTable(ctx.table)} WHERE ${c} IS NOT NULL ${d.groupByAll()} ORDER BY key, value, source LIMIT ${CAPS.vocabularyRows}`;
}

/** Per source: rows, the median and the median of non-zero absolute values of a numeric column. */
export function scaleBySourceQuery(ctx: ReadinessSqlContext, column: string): string {
  const x = `CAST(${ident(column)} AS DOUBLE)`;
  return `SELECT ${sourceSql(ctx)} AS source, count(${x}) AS rows, ${d.median(x)} AS median, ${d.median(`CASE WHEN ${x} <> 0 THEN abs(${x}) END`)} AS median_abs ${fromTable(ctx.table)} GROUP BY 1 ORDER BY rows DESC, source NULLS LAST LIMIT ${CAPS.sourcesPerColumn}`;
}

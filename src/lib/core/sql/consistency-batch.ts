import { dialect as d } from './dialect';
import { ident, num, str } from './quote';
import { READINESS_RESULT_CAPS as CAPS } from '../thresholds';
import {
  type ReadinessSqlContext,
  TIMESTAMP_FORMAT,
  fromTable,
  normalisedTextSql,
  spellingKeySql,
  timeSql,
  unionAllByName,
  validEventTimeSql,
} from './readiness-common';
import { DECILES, decileBinSql, pairwiseShiftSql, sourceSql } from './readiness-consistency';

/**
 * Batches: one statement answers a per-column query for many columns, so the
 * table is scanned once per batch instead of once per column. Each batch
 * returns rows tagged with `part` (which per-column query they answer), `col`
 * (the column's name) and `ord` (the row's position in that query's order), in
 * that order. The rows of one part and column are the rows the per-column
 * query returns: that query, not the batch, is what a finding shows.
 */

/** A numeric column of `sourceBatchQuery`. */
export interface SourceBatchColumn {
  name: string;
  /**
   * Count each distinct value per source first, and take the deciles and
   * medians from those counts: far cheaper than sorting every row when the
   * column has few distinct values, far dearer when nearly every value differs.
   */
  counted: boolean;
}

/** What `sourceBatchQuery` compares across sources. */
export interface SourceBatchOptions {
  /** Columns whose non-null counts per source are wanted (`nullRatesBySourceQuery`). */
  nullColumns: readonly string[];
  /** Numeric columns compared across sources (`scaleBySourceQuery`, `numericShiftBySourceQuery`). */
  numeric: readonly SourceBatchColumn[];
  /** Sources with fewer values are left out of the shift. */
  minRows: number;
}

/**
 * Weighted `quantile_cont`: the quantiles `levels` (a list literal) of `x`
 * over a CTE of distinct values and their counts (`keys…, x, n`), per
 * combination of `keys`, as rows `keys…, p, q`. Interpolates as DuckDB's own
 * `quantile_cont` does (`lo·(1−d) + hi·d` at rank `(N−1)·p`), so the result is
 * the same number, not merely a close one.
 */
export function weightedQuantilesSql(values: string, keys: readonly string[], levels: string): string {
  const k = keys.join(', ');
  const match = keys.map((key) => `rz_wq_cum.${key} IS NOT DISTINCT FROM rz_wq_at.${key}`).join(' AND ');
  return `(WITH rz_wq_cum AS (SELECT ${k}, x, sum(n) OVER (PARTITION BY ${k} ORDER BY x ROWS UNBOUNDED PRECEDING) AS upto, n FROM ${values}), rz_wq_at AS (SELECT ${k}, p, CAST(total - 1 AS DOUBLE) * p AS h FROM (SELECT ${k}, sum(n) AS total FROM ${values} ${d.groupByAll()}) AS rz_wq_totals, (${levelRowsSql(levels)}) AS rz_wq_levels), rz_wq_span AS (SELECT ${keys.map((key) => `rz_wq_at.${key} AS ${key}`).join(', ')}, rz_wq_at.p AS p, any_value(rz_wq_at.h) AS h, min(rz_wq_cum.x) AS lo, max(rz_wq_cum.x) AS hi FROM rz_wq_at JOIN rz_wq_cum ON ${match} AND rz_wq_cum.upto - rz_wq_cum.n <= ceil(rz_wq_at.h) AND rz_wq_cum.upto > floor(rz_wq_at.h) ${d.groupByAll()}) SELECT ${k}, p, CASE WHEN floor(h) = ceil(h) THEN lo ELSE lo * (1 - (h - floor(h))) + hi * (h - floor(h)) END AS q FROM rz_wq_span)`;
}

/** The fractions of a list literal (`[0.1, 0.5]`), validated as numbers. */
function levelValues(levels: string): string[] {
  const values = levels
    .trim()
    .replace(/^\[|\]$/g, '')
    .split(',')
    .map((v) => v.trim());
  if (values.some((v) => !/^(0|1)?\.\d+$|^[01]$/.test(v)))
    throw new RangeError(`Not a list of fractions: ${levels}`);
  return values;
}

/** One row `p` per level of a list literal: UNION ALL, as both engines spell it (no unnest of a literal). */
function levelRowsSql(levels: string): string {
  return levelValues(levels)
    .map((v) => `SELECT ${v} AS p`)
    .join(' UNION ALL ');
}

/**
 * The `q` of a `weightedQuantilesSql` result per `col`, as a list ordered by
 * level: a list literal of one aggregate per level (not an ordered list
 * aggregate, which the engines spell differently).
 */
function quantileListSql(levels: string): string {
  return `[${levelValues(levels)
    .map((v) => `max(CASE WHEN p = ${v} THEN q END)`)
    .join(', ')}]`;
}

/** `CASE WHEN grouping(v_0) = 0 THEN <0> …`: which grouping set (column) a grouped row belongs to. */
function bySet(count: number, each: (k: number) => string): string {
  return `CASE ${Array.from({ length: count }, (_, k) => `WHEN grouping(v_${k}) = 0 THEN ${each(k)}`).join(' ')} END`;
}

function names(columns: readonly string[]): string {
  return columns.map(str).join(', ');
}

/**
 * Everything the consistency checks compare per source, in one statement:
 * `nulls` rows (`nullRatesBySourceQuery`, unpivoted: `col, source, rows, nn`),
 * and per numeric column `scale` rows (`scaleBySourceQuery`) and `shift` rows
 * (`numericShiftBySourceQuery`). Two passes over the table, plus one for the
 * deciles of columns that are not `counted`.
 */
export function sourceBatchQuery(ctx: ReadinessSqlContext, options: SourceBatchOptions): string {
  const { nullColumns, numeric, minRows } = options;
  const table = fromTable(ctx.table);
  const src = sourceSql(ctx);
  const x = (column: string): string => `CAST(${ident(column)} AS DOUBLE)`;
  const counted = numeric.filter((c) => c.counted).map((c) => c.name);
  const sorted = numeric.filter((c) => !c.counted).map((c) => c.name);
  const ctes: string[] = [];
  const parts: BatchPart[] = [];

  if (sorted.length)
    ctes.push(
      `rz_cuts AS MATERIALIZED (SELECT ${sorted.map((c, j) => `${d.quantileCont(x(c), DECILES)} AS q_${j}`).join(', ')} ${table})`,
    );
  const perSource = [
    'count(*) AS rows',
    ...nullColumns.map((c, i) => `count(${ident(c)}) AS nn_${i}`),
    ...sorted.flatMap((c, j) => [
      `count(${x(c)}) AS n_${j}`,
      `${d.median(x(c))} AS m_${j}`,
      `${d.median(`CASE WHEN ${x(c)} <> 0 THEN abs(${x(c)}) END`)} AS a_${j}`,
    ]),
  ];
  if (nullColumns.length || sorted.length)
    ctes.push(
      `rz_by_source AS MATERIALIZED (SELECT ${src} AS source, ${perSource.join(', ')} ${table} GROUP BY 1)`,
    );
  // Counts are cast to BIGINT where parts meet: ClickHouse's count is UInt64, and UInt64 with Int64 has no common type.
  const nulls = nullColumns.map(
    (c, i) =>
      `SELECT ${str(c)} AS col, source, CAST(rows AS BIGINT) AS rows, CAST(nn_${i} AS BIGINT) AS nn FROM rz_by_source`,
  );

  if (numeric.length) {
    // One grouping set per column: its values (counted) or its decile bins (sorted), per source.
    const all = [...counted, ...sorted];
    const projected = all.map((c, k) =>
      k < counted.length
        ? `${x(c)} AS v_${k}`
        : `CASE WHEN ${x(c)} IS NULL THEN NULL ELSE ${decileBinSql(x(c), `rz_cuts.q_${k - counted.length}`)} END AS v_${k}`,
    );
    ctes.push(
      `rz_counts AS MATERIALIZED (SELECT ${bySet(all.length, (k) => str(all[k]!))} AS col, source, ${bySet(all.length, (k) => `CAST(v_${k} AS DOUBLE)`)} AS v, count(*) AS n FROM (SELECT ${src} AS source, ${projected.join(', ')} ${table}${sorted.length ? ', rz_cuts' : ''}) GROUP BY GROUPING SETS (${all.map((_, k) => `(source, v_${k})`).join(', ')}))`,
    );
    const cells: string[] = [];
    const scale: string[] = [];
    if (counted.length) {
      ctes.push(
        `rz_values AS MATERIALIZED (SELECT col, source, v AS x, n FROM rz_counts WHERE col IN (${names(counted)}) AND v IS NOT NULL)`,
        `rz_pooled AS (SELECT col, x, sum(n) AS n FROM rz_values ${d.groupByAll()})`,
        `rz_deciles AS (SELECT col, ${quantileListSql(DECILES)} AS q FROM ${weightedQuantilesSql('rz_pooled', ['col'], DECILES)} GROUP BY col)`,
        `rz_abs AS (SELECT col, source, abs(x) AS x, sum(n) AS n FROM rz_values WHERE x <> 0 ${d.groupByAll()})`,
        `rz_medians AS (SELECT col, source, q FROM ${weightedQuantilesSql('rz_values', ['col', 'source'], '[0.5]')})`,
        `rz_abs_medians AS (SELECT col, source, q FROM ${weightedQuantilesSql('rz_abs', ['col', 'source'], '[0.5]')})`,
      );
      cells.push(
        `SELECT rz_values.col AS col, rz_values.source AS source, ${decileBinSql('rz_values.x', 'rz_deciles.q')} AS bin, CAST(sum(rz_values.n) AS BIGINT) AS n FROM rz_values JOIN rz_deciles ON rz_deciles.col = rz_values.col ${d.groupByAll()}`,
      );
      scale.push(
        `SELECT rz_v.col AS col, rz_v.source AS source, rz_v.rows AS rows, rz_medians.q AS median, rz_abs_medians.q AS median_abs FROM (SELECT col, source, CAST(sum(n) AS BIGINT) AS rows FROM rz_values ${d.groupByAll()}) AS rz_v LEFT JOIN rz_medians ON rz_medians.col = rz_v.col AND rz_medians.source IS NOT DISTINCT FROM rz_v.source LEFT JOIN rz_abs_medians ON rz_abs_medians.col = rz_v.col AND rz_abs_medians.source IS NOT DISTINCT FROM rz_v.source`,
      );
    }
    if (sorted.length) {
      cells.push(
        `SELECT col, source, CAST(v AS INTEGER) AS bin, CAST(n AS BIGINT) AS n FROM rz_counts WHERE col IN (${names(sorted)}) AND v IS NOT NULL`,
      );
      scale.push(
        ...sorted.map(
          (c, j) =>
            `SELECT ${str(c)} AS col, source, CAST(n_${j} AS BIGINT) AS rows, m_${j} AS median, a_${j} AS median_abs FROM rz_by_source`,
        ),
      );
    }
    nulls.push(
      `SELECT col, source, CAST(sum(n) AS BIGINT) AS rows, CAST(coalesce(sum(n) FILTER (WHERE v IS NOT NULL), 0) AS BIGINT) AS nn FROM rz_counts GROUP BY col, source`,
    );
    const shift = pairwiseShiftSql(['col'], minRows);
    ctes.push(
      `rz_scale AS (${scale.join(' UNION ALL ')})`,
      `rz_cells AS MATERIALIZED (${cells.join(' UNION ALL ')})`,
      shift.ctes,
      `rz_shift AS (${shift.select})`,
    );
    parts.push(
      {
        sql: `SELECT 'scale' AS part, col, source, rows, median, median_abs, row_number() OVER (PARTITION BY col ORDER BY rows DESC, source NULLS LAST) AS ord FROM rz_scale ${d.qualify(`ord <= ${CAPS.sourcesPerColumn}`)}`,
        columns: ['part', 'col', 'source', 'rows', 'median', 'median_abs', 'ord'],
      },
      shiftPart(),
    );
  }
  if (nulls.length) {
    ctes.push(`rz_nulls AS (${nulls.join(' UNION ALL ')})`);
    parts.push(nullsPart('rz_nulls'));
  }
  return batchSql(ctes, parts);
}

/** A batch's parts, one kind of row each, their columns by name. */
type BatchPart = { sql: string; columns: readonly string[] };

/** The statement of a batch: its parts' rows in one result, ordered by part, column and order within. */
function batchSql(ctes: readonly string[], parts: readonly BatchPart[]): string {
  return `WITH ${ctes.join(', ')} SELECT * FROM (${unionAllByName(parts)}) ORDER BY part, col, ord`;
}

/** The `shift` part from a CTE `rz_shift` (`pairwiseShiftSql`). */
function shiftPart(): BatchPart {
  return {
    sql: `SELECT 'shift' AS part, col, source, other, rows, other_rows, psi, tvd, row_number() OVER (PARTITION BY col ORDER BY source NULLS LAST, other NULLS LAST) AS ord FROM rz_shift`,
    columns: ['part', 'col', 'source', 'other', 'rows', 'other_rows', 'psi', 'tvd', 'ord'],
  };
}

/** The `nulls` part from a CTE of `col, source, rows, nn`: the 200 largest sources, as `nullRatesBySourceQuery`. */
function nullsPart(cte: string): BatchPart {
  return {
    columns: ['part', 'col', 'source', 'rows', 'nn', 'ord'],
    sql: `SELECT 'nulls' AS part, col, source, rows, nn, row_number() OVER (PARTITION BY col ORDER BY rows DESC, source NULLS LAST) AS ord FROM ${cte} ${d.qualify(`ord <= ${CAPS.sourcesPerColumn}`)}`,
  };
}

/** What `categoryBatchQuery` counts. */
export interface CategoryBatchOptions {
  /** Columns compared across sources, read as text (needs a source). */
  bySource: readonly string[];
  /** Of `bySource`, the columns whose literal spellings are compared (`vocabularyBySourceQuery`). */
  vocabulary: readonly string[];
  /** `categoricalShiftBySourceQuery`'s parameters for every `bySource` column. */
  maxCategories: number;
  minRows: number;
  /** Columns whose values are compared between old and recent rows (needs an event time). */
  periods: readonly string[];
  /** `categoryPeriodsQuery`'s parameters for every `periods` column. */
  recentShare: number;
  minCategoryRows: number;
  /**
   * Count every combination of the columns' values first, and the grouping
   * sets over those counts: one hash table instead of one per column, and a
   * third cheaper at 1M rows, but only when the combinations are known to be
   * few (at worst the product of the columns' distinct values).
   */
  combined?: boolean;
}

/**
 * Value counts of many categorical columns in one pass (one grouping set per
 * column, by source and old/recent period where wanted), and from them
 * `vocabulary` rows (`vocabularyBySourceQuery`), `shift` and `nulls` rows
 * (`categoricalShiftBySourceQuery`, `nullRatesBySourceQuery`) of the `bySource`
 * columns, and `periods` rows (`categoryPeriodsQuery`).
 * Text is normalised per distinct value after counting, not per row.
 */
export function categoryBatchQuery(ctx: ReadinessSqlContext, options: CategoryBatchOptions): string {
  const { bySource, vocabulary, periods } = options;
  if (bySource.length && !ctx.source) throw new RangeError('comparing columns across sources needs a source');
  const table = fromTable(ctx.table);
  const all = [...bySource, ...periods.filter((c) => !bySource.includes(c))];
  const ctes: string[] = [];
  const parts: BatchPart[] = [];
  const projected: string[] = [];
  const keys = (k: number): string[] => [
    ...(bySource.includes(all[k]!) ? ['source'] : []),
    ...(periods.length ? ['is_recent'] : []),
    `v_${k}`,
  ];
  if (bySource.length) projected.push(`${sourceSql(ctx)} AS source`);
  if (periods.length) {
    if (!ctx.time) throw new RangeError('comparing old and recent rows needs an event time');
    const t = timeSql(ctx.time);
    ctes.push(
      `rz_cut AS MATERIALIZED (SELECT ${d.quantileDisc(t, num(1 - options.recentShare))} AS cutoff ${table} WHERE ${validEventTimeSql(ctx)})`,
    );
    projected.push(`CASE WHEN ${validEventTimeSql(ctx)} THEN ${t} >= rz_cut.cutoff END AS is_recent`);
  }
  projected.push(...all.map((c, k) => `${ident(c)} AS v_${k}`));
  const each = `SELECT ${projected.join(', ')} ${table}${periods.length ? ', rz_cut' : ''}`;
  const rows = options.combined ? `SELECT *, count(*) AS rz_n FROM (${each}) ${d.groupByAll()}` : each;
  ctes.push(
    `rz_counts AS MATERIALIZED (SELECT ${bySet(all.length, (k) => str(all[k]!))} AS col, ${bySource.length ? 'source' : 'NULL AS source'}, ${periods.length ? 'is_recent' : 'NULL AS is_recent'}, ${bySet(all.length, (k) => `CAST(v_${k} AS VARCHAR)`)} AS value, ${options.combined ? 'sum(rz_n)' : 'count(*)'} AS n FROM (${rows}) GROUP BY GROUPING SETS (${all.map((_, k) => `(${keys(k).join(', ')})`).join(', ')}))`,
  );
  if (vocabulary.length) {
    ctes.push(
      `rz_vocabulary AS (SELECT col, source, value, ${spellingKeySql('value')} AS key, CAST(sum(n) AS BIGINT) AS rows FROM rz_counts WHERE col IN (${names(vocabulary)}) AND value IS NOT NULL GROUP BY col, source, value)`,
    );
    parts.push({
      sql: `SELECT 'vocabulary' AS part, col, source, value, key, rows, row_number() OVER (PARTITION BY col ORDER BY key, value, source) AS ord FROM rz_vocabulary ${d.qualify(`ord <= ${CAPS.vocabularyRows}`)}`,
      columns: ['part', 'col', 'source', 'value', 'key', 'rows', 'ord'],
    });
  }
  if (bySource.length) {
    const shift = pairwiseShiftSql(['col'], options.minRows);
    ctes.push(
      `rz_normalised AS (SELECT col, source, ${normalisedTextSql('value')} AS v, sum(n) AS n FROM rz_counts WHERE col IN (${names(bySource)}) AND value IS NOT NULL ${d.groupByAll()})`,
      `rz_top AS (SELECT col, v FROM rz_normalised GROUP BY col, v ${d.qualify(`row_number() OVER (PARTITION BY col ORDER BY sum(n) DESC, v) <= ${num(options.maxCategories)}`)})`,
      `rz_cells AS MATERIALIZED (SELECT rz_normalised.col AS col, rz_normalised.source AS source, CASE WHEN rz_top.v IS NULL THEN '(other)' ELSE rz_normalised.v END AS bin, CAST(sum(rz_normalised.n) AS BIGINT) AS n FROM rz_normalised LEFT JOIN rz_top ON rz_top.col = rz_normalised.col AND rz_top.v = rz_normalised.v ${d.groupByAll()})`,
      shift.ctes,
      `rz_shift AS (${shift.select})`,
    );
    parts.push(shiftPart());
    ctes.push(
      `rz_nulls AS (SELECT col, source, CAST(sum(n) AS BIGINT) AS rows, CAST(coalesce(sum(n) FILTER (WHERE value IS NOT NULL), 0) AS BIGINT) AS nn FROM rz_counts WHERE col IN (${names(bySource)}) GROUP BY col, source)`,
    );
    parts.push(nullsPart('rz_nulls'));
  }
  if (periods.length) {
    const min = num(options.minCategoryRows);
    ctes.push(
      `rz_periods AS (SELECT col, value, CAST(coalesce(sum(n) FILTER (WHERE NOT is_recent), 0) AS BIGINT) AS old, CAST(coalesce(sum(n) FILTER (WHERE is_recent), 0) AS BIGINT) AS recent FROM rz_counts WHERE col IN (${names(periods)}) AND value IS NOT NULL AND is_recent IS NOT NULL GROUP BY col, value)`,
    );
    parts.push({
      sql: `SELECT 'periods' AS part, col, value, old, recent, (SELECT ${d.formatTime('cutoff', TIMESTAMP_FORMAT)} FROM rz_cut) AS cutoff, row_number() OVER (PARTITION BY col ORDER BY old + recent DESC, value) AS ord FROM rz_periods WHERE (old >= ${min} AND recent = 0) OR (recent >= ${min} AND old = 0) ${d.qualify(`ord <= ${CAPS.categoryChanges}`)}`,
      columns: ['part', 'col', 'value', 'old', 'recent', 'cutoff', 'ord'],
    });
  }
  return batchSql(ctes, parts);
}

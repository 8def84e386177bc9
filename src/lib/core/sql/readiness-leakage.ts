import { dialect as d } from './dialect';
import { dateLiteral, ident, num, str } from './quote';
import {
  type LabelRef,
  type ReadinessSqlContext,
  type TimeRef,
  fromTable,
  identList,
  labelSql,
  sentinelDatesSql,
  timeSql,
} from './readiness-common';
import { comparableTimesSql } from './readiness-time';
import { unorderedPairsSum } from './pairs';

function label(ctx: ReadinessSqlContext): { ref: LabelRef; sql: string } {
  if (!ctx.label) throw new RangeError('this query needs a target');
  return { ref: ctx.label, sql: labelSql(ctx.label) };
}

/**
 * `rz_cy(v, y, k)`: rows per (value, canonical class). The table is grouped on the
 * raw label first, so the label's canonicalising CASE runs once per distinct
 * (value, raw label) pair instead of once per row: 3–4× faster in DuckDB-WASM.
 */
function valueClassCounts(ctx: ReadinessSqlContext, value: string, where?: string): string {
  const { ref } = label(ctx);
  const canonical = labelSql({ ...ref, column: 'rz_y_raw' });
  return (
    `rz_raw AS MATERIALIZED (SELECT ${value} AS v, ${ident(ref.column)} AS rz_y_raw, count(*) AS k ${fromTable(ctx.table)}${where ? ` WHERE ${where}` : ''} GROUP BY 1, 2), ` +
    `rz_cy AS MATERIALIZED (SELECT v, ${canonical} AS y, sum(k) AS k FROM rz_raw GROUP BY 1, 2)`
  );
}

/** Options of `rankAucQuery`. */
export interface RankAucOptions {
  /**
   * Rank the rows themselves instead of (value, class) counts: one sort of the
   * rows, no grouping. Cheaper when most values are distinct (an ID), where
   * grouping would keep nearly every row; dearer when values repeat.
   */
  rowLevel?: boolean;
}

/**
 * One-vs-rest Mann–Whitney AUC of an orderable expression for every class:
 * AUC = (R − n₁(n₁+1)/2) / (n₁ n₀), with R the sum of the class's average ranks
 * (ties share their mean rank). Rows where the expression or the label is NULL
 * are left out. The table is scanned once, into (value, class) counts ranked
 * by one window (rows up to and including the value's ties, minus half the
 * ties), or, with `rowLevel`, into ranked rows.
 */
export function rankAucQuery(
  ctx: ReadinessSqlContext,
  expression: string,
  options: RankAucOptions = {},
): string {
  const final = `rz_n AS (SELECT sum(n_y) AS total FROM rz_c) SELECT CAST(rz_c.y AS VARCHAR) AS class, CAST(rz_c.n_y AS BIGINT) AS positives, CAST(rz_n.total - rz_c.n_y AS BIGINT) AS negatives, CASE WHEN rz_c.n_y > 0 AND rz_n.total > rz_c.n_y THEN (rz_c.rank_sum - rz_c.n_y * (rz_c.n_y + 1) / 2.0) / (rz_c.n_y * (rz_n.total - rz_c.n_y)) END AS auc FROM rz_c, rz_n ORDER BY class`;
  if (options.rowLevel) {
    const { sql: y } = label(ctx);
    // rank() is 1 + the rows before the value, count(*) the rows up to its last tie: their mean is the tie's mean rank.
    return `WITH rz_l AS (SELECT v, y FROM (SELECT ${expression} AS v, ${y} AS y ${fromTable(ctx.table)}) WHERE v IS NOT NULL AND y IS NOT NULL), rz_r AS (SELECT y, (rank() OVER (ORDER BY v) + count(*) OVER (ORDER BY v)) / 2.0 AS avg_rank FROM rz_l), rz_c AS (SELECT y, count(*) AS n_y, sum(avg_rank) AS rank_sum FROM rz_r GROUP BY y), ${final}`;
  }
  return `WITH ${valueClassCounts(ctx, expression, `(${expression}) IS NOT NULL`)}, rz_l AS (SELECT v, y, k FROM rz_cy WHERE y IS NOT NULL), rz_r AS (SELECT y, k, sum(k) OVER (ORDER BY v) - (sum(k) OVER (ORDER BY v RANGE BETWEEN CURRENT ROW AND CURRENT ROW) - 1) / 2.0 AS avg_rank FROM rz_l), rz_c AS (SELECT y, sum(k) AS n_y, sum(k * avg_rank) AS rank_sum FROM rz_r GROUP BY y), ${final}`;
}

/**
 * One-vs-rest AUC of the per-category class rate, for every class: each row is
 * scored by the share of its category (NULL is a category) that has the class,
 * then ranked as in `rankAucQuery`. In-sample, so callers guard against
 * high-cardinality (ID-like) columns. Also returns the number of categories.
 */
export function categoryAucQuery(ctx: ReadinessSqlContext, expression: string): string {
  return `WITH ${valueClassCounts(ctx, `CAST(${expression} AS VARCHAR)`)}, rz_l AS (SELECT v, y, k FROM rz_cy WHERE y IS NOT NULL), rz_cat AS (SELECT v, sum(k) AS n FROM rz_l GROUP BY v), rz_cls AS (SELECT y, sum(k) AS n_y FROM rz_l GROUP BY y), rz_grid AS (SELECT rz_cls.y AS y, rz_cls.n_y AS n_y, rz_cat.n AS n, coalesce(rz_l.k, 0) AS k FROM rz_cat CROSS JOIN rz_cls LEFT JOIN rz_l ON rz_l.v IS NOT DISTINCT FROM rz_cat.v AND rz_l.y = rz_cls.y), rz_s AS (SELECT y, n_y, k / n AS score, sum(k) AS pos, sum(n) AS n FROM rz_grid GROUP BY 1, 2, 3), rz_r AS (SELECT y, n_y, pos, sum(n) OVER (PARTITION BY y ORDER BY score) - n + (n + 1) / 2.0 AS avg_rank FROM rz_s), rz_n AS (SELECT sum(k) AS total, (SELECT count(*) FROM rz_cat) AS categories FROM rz_l) SELECT CAST(rz_r.y AS VARCHAR) AS class, CAST(any_value(rz_r.n_y) AS BIGINT) AS positives, CAST(any_value(rz_n.total) - any_value(rz_r.n_y) AS BIGINT) AS negatives, CASE WHEN any_value(rz_n.total) > any_value(rz_r.n_y) THEN (sum(rz_r.pos * rz_r.avg_rank) - any_value(rz_r.n_y) * (any_value(rz_r.n_y) + 1) / 2.0) / (any_value(rz_r.n_y) * (any_value(rz_n.total) - any_value(rz_r.n_y))) END AS auc, any_value(rz_n.categories) AS categories FROM rz_r, rz_n GROUP BY rz_r.y ORDER BY class`;
}

/** One feature of `featureAucsQuery`: what `rankAucQuery` or `categoryAucQuery` would read. */
export interface AucFeature {
  method: 'rank' | 'category';
  expression: string;
  /** A rank expression that is a TIMESTAMP (else a number, read as DOUBLE). */
  time?: boolean;
}

/**
 * One `SELECT` per feature counting rows by (value, raw label): numbers, times and categories
 * in their own typed column, so the branches stack with UNION ALL. Shared by the AUC and the
 * one-rule statements.
 */
function valueCountBranches(
  ctx: ReadinessSqlContext,
  labelColumn: string,
  features: readonly AucFeature[],
): string[] {
  return features.map((f, i) => {
    const e = f.expression;
    const num = f.method === 'rank' && !f.time ? `CAST(${e} AS DOUBLE)` : 'CAST(NULL AS DOUBLE)';
    const ts = f.method === 'rank' && f.time ? `${d.cast(e, 'TIMESTAMP')}` : d.cast('NULL', 'TIMESTAMP');
    const cat = f.method === 'category' ? `CAST(${e} AS VARCHAR)` : 'CAST(NULL AS VARCHAR)';
    const where = f.method === 'rank' ? ` WHERE (${e}) IS NOT NULL` : '';
    return `SELECT ${i} AS rz_f, ${num} AS rz_num, ${ts} AS rz_ts, ${cat} AS rz_cat, ${ident(labelColumn)} AS rz_y_raw, count(*) AS k ${fromTable(ctx.table)}${where} ${d.groupByAll()}`;
  });
}

/**
 * `rankAucQuery` (by counts) and `categoryAucQuery` for several features in
 * one statement, with the same rows plus `feature` (the index in `features`).
 * Each feature is still grouped in its own pass; the (value, class) counts of
 * all of them then go through one labelling, one ranking window partitioned
 * by feature and one category grid, instead of one statement each.
 */
export function featureAucsQuery(ctx: ReadinessSqlContext, features: readonly AucFeature[]): string {
  if (features.length === 0) throw new RangeError('featureAucsQuery needs features');
  const { ref } = label(ctx);
  const canonical = labelSql({ ...ref, column: 'rz_y_raw' });
  const branches = valueCountBranches(ctx, ref.column, features);
  const ids = (method: AucFeature['method']): string =>
    features.flatMap((f, i) => (f.method === method ? [String(i)] : [])).join(', ');
  const parts: string[] = [];
  const ctes = [
    `rz_raw AS MATERIALIZED (${branches.join(' UNION ALL ')})`,
    `rz_cy AS MATERIALIZED (SELECT rz_f, rz_num, rz_ts, rz_cat, ${canonical} AS y, sum(k) AS k FROM rz_raw ${d.groupByAll()})`,
    `rz_l AS MATERIALIZED (SELECT * FROM rz_cy WHERE y IS NOT NULL)`,
  ];
  if (ids('rank')) {
    ctes.push(
      `rz_rr AS (SELECT rz_f, y, k, sum(k) OVER (PARTITION BY rz_f ORDER BY rz_num, rz_ts) - (sum(k) OVER (PARTITION BY rz_f ORDER BY rz_num, rz_ts RANGE BETWEEN CURRENT ROW AND CURRENT ROW) - 1) / 2.0 AS avg_rank FROM rz_l WHERE rz_f IN (${ids('rank')}))`,
      `rz_rc AS (SELECT rz_f, y, sum(k) AS n_y, sum(k * avg_rank) AS rank_sum FROM rz_rr GROUP BY rz_f, y)`,
      `rz_rn AS (SELECT rz_f, sum(n_y) AS total FROM rz_rc GROUP BY rz_f)`,
    );
    parts.push(
      `SELECT rz_rc.rz_f AS feature, CAST(rz_rc.y AS VARCHAR) AS class, CAST(rz_rc.n_y AS BIGINT) AS positives, CAST(rz_rn.total - rz_rc.n_y AS BIGINT) AS negatives, CASE WHEN rz_rc.n_y > 0 AND rz_rn.total > rz_rc.n_y THEN (rz_rc.rank_sum - rz_rc.n_y * (rz_rc.n_y + 1) / 2.0) / (rz_rc.n_y * (rz_rn.total - rz_rc.n_y)) END AS auc, CAST(NULL AS BIGINT) AS categories FROM rz_rc JOIN rz_rn ON rz_rc.rz_f = rz_rn.rz_f`,
    );
  }
  if (ids('category')) {
    // The grid's columns named (`rz_cls.y AS y`): ClickHouse keeps a join's qualifier in the name.
    ctes.push(
      `rz_cl AS (SELECT rz_f, rz_cat AS v, y, k FROM rz_l WHERE rz_f IN (${ids('category')}))`,
      `rz_cat AS (SELECT rz_f, v, sum(k) AS n FROM rz_cl GROUP BY rz_f, v)`,
      `rz_cls AS (SELECT rz_f, y, sum(k) AS n_y FROM rz_cl GROUP BY rz_f, y)`,
      `rz_grid AS (SELECT rz_cls.rz_f AS rz_f, rz_cls.y AS y, rz_cls.n_y AS n_y, rz_cat.n AS n, coalesce(rz_cl.k, 0) AS k FROM rz_cat JOIN rz_cls ON rz_cat.rz_f = rz_cls.rz_f LEFT JOIN rz_cl ON rz_cl.rz_f = rz_cat.rz_f AND rz_cl.v IS NOT DISTINCT FROM rz_cat.v AND rz_cl.y = rz_cls.y)`,
      `rz_s AS (SELECT rz_f, y, n_y, k / n AS score, sum(k) AS pos, sum(n) AS n FROM rz_grid GROUP BY 1, 2, 3, 4)`,
      `rz_r AS (SELECT rz_f, y, n_y, pos, sum(n) OVER (PARTITION BY rz_f, y ORDER BY score) - n + (n + 1) / 2.0 AS avg_rank FROM rz_s)`,
      `rz_n AS (SELECT rz_f, sum(k) AS total FROM rz_cl GROUP BY rz_f)`,
      `rz_nc AS (SELECT rz_f, count(*) AS categories FROM rz_cat GROUP BY rz_f)`,
    );
    parts.push(
      `SELECT rz_r.rz_f AS feature, CAST(rz_r.y AS VARCHAR) AS class, CAST(any_value(rz_r.n_y) AS BIGINT) AS positives, CAST(any_value(rz_n.total) - any_value(rz_r.n_y) AS BIGINT) AS negatives, CASE WHEN any_value(rz_n.total) > any_value(rz_r.n_y) THEN (sum(rz_r.pos * rz_r.avg_rank) - any_value(rz_r.n_y) * (any_value(rz_r.n_y) + 1) / 2.0) / (any_value(rz_r.n_y) * (any_value(rz_n.total) - any_value(rz_r.n_y))) END AS auc, any_value(rz_nc.categories) AS categories FROM rz_r JOIN rz_n ON rz_r.rz_f = rz_n.rz_f JOIN rz_nc ON rz_r.rz_f = rz_nc.rz_f GROUP BY rz_r.rz_f, rz_r.y`,
    );
  }
  // Unioned in a subquery: ClickHouse binds a trailing ORDER BY to the last SELECT alone.
  return `WITH ${ctes.join(', ')} SELECT * FROM (${parts.join(' UNION ALL ')}) ORDER BY feature, class`;
}

/** Labelled rows per class and how many of them have the column filled in. */
export function presenceByClassQuery(ctx: ReadinessSqlContext, column: string): string {
  const { ref } = label(ctx);
  const canonical = labelSql({ ...ref, column: 'rz_y_raw' });
  // Grouped on the raw label first, so the canonicalising CASE runs once per spelling.
  return `SELECT CAST(y AS VARCHAR) AS class, sum(rows) AS rows, sum(filled) AS filled FROM (SELECT ${canonical} AS y, rows, filled FROM (SELECT ${ident(ref.column)} AS rz_y_raw, count(*) AS rows, count(${ident(column)}) AS filled ${fromTable(ctx.table)} GROUP BY 1)) WHERE y IS NOT NULL GROUP BY 1 ORDER BY 1`;
}

/**
 * `presenceByClassQuery` for several columns in one pass: labelled rows per
 * class (`rows`) and how many of them have column i filled in (`filled_i`);
 * with `nonZero`, also how many have its column j filled and not zero
 * (`nonzero_j`, as `nonZeroByClassQuery`).
 */
export function presenceCountsQuery(
  ctx: ReadinessSqlContext,
  columns: readonly string[],
  nonZero: readonly string[] = [],
): string {
  if (columns.length + nonZero.length === 0) throw new RangeError('presenceCountsQuery needs columns');
  const { ref } = label(ctx);
  const canonical = labelSql({ ...ref, column: 'rz_y_raw' });
  const filled = columns.map((_, i) => `filled_${i}`);
  const nonzero = nonZero.map((_, i) => `nonzero_${i}`);
  const names = [...filled, ...nonzero];
  const counts = [
    ...columns.map((c, i) => `count(${ident(c)}) AS ${filled[i]}`),
    ...nonZero.map((c, i) => `${nonZeroCountSql(c)} AS ${nonzero[i]}`),
  ];
  return `SELECT CAST(y AS VARCHAR) AS class, sum(rows) AS rows, ${names.map((f) => `sum(${f}) AS ${f}`).join(', ')} FROM (SELECT ${canonical} AS y, rows, ${names.join(', ')} FROM (SELECT ${ident(ref.column)} AS rz_y_raw, count(*) AS rows, ${counts.join(', ')} ${fromTable(ctx.table)} GROUP BY 1)) WHERE y IS NOT NULL GROUP BY 1 ORDER BY 1`;
}

/**
 * `presenceByClassQuery` for "is non-zero": labelled rows per class and how
 * many of them have the numeric (or boolean) column filled and not zero.
 */
export function nonZeroByClassQuery(ctx: ReadinessSqlContext, column: string): string {
  const { ref } = label(ctx);
  const canonical = labelSql({ ...ref, column: 'rz_y_raw' });
  return `SELECT CAST(y AS VARCHAR) AS class, sum(rows) AS rows, sum(nonzero) AS nonzero FROM (SELECT ${canonical} AS y, rows, nonzero FROM (SELECT ${ident(ref.column)} AS rz_y_raw, count(*) AS rows, ${nonZeroCountSql(column)} AS nonzero ${fromTable(ctx.table)} GROUP BY 1)) WHERE y IS NOT NULL GROUP BY 1 ORDER BY 1`;
}

/** Rows whose numeric or boolean column is filled and not zero. */
function nonZeroCountSql(column: string): string {
  return `count(*) FILTER (WHERE CAST(${ident(column)} AS DOUBLE) <> 0)`;
}

/**
 * Per feature, the labelled rows of each (bin, class): the small table a
 * one-rule (Holte 1993) and the mutual information are computed from. A
 * `category` feature's bins are its categories (NULL one of them, as in
 * `categoryAucQuery`), numbered in text order. A `rank` feature's bins are its
 * distinct values in order when it has at most `maxBins` of them, else
 * `maxBins` equal-frequency bins by the midpoint rank of each value, so ties
 * always share a bin; NULL values are left out. Bins are numbered from 0 in
 * value order (`bin`), with the bin's lowest and highest value as text.
 */
export function featureBinsQuery(
  ctx: ReadinessSqlContext,
  features: readonly AucFeature[],
  maxBins: number,
): string {
  if (features.length === 0) throw new RangeError('featureBinsQuery needs features');
  const { ref } = label(ctx);
  const canonical = labelSql({ ...ref, column: 'rz_y_raw' });
  const bins = Math.max(1, Math.floor(maxBins));
  const branches = valueCountBranches(ctx, ref.column, features);
  return (
    `WITH rz_raw AS MATERIALIZED (${branches.join(' UNION ALL ')}), ` +
    `rz_l AS MATERIALIZED (SELECT * FROM (SELECT rz_f, rz_num, rz_ts, rz_cat, ${canonical} AS y, sum(k) AS k FROM rz_raw ${d.groupByAll()}) WHERE y IS NOT NULL), ` +
    `rz_v AS (SELECT rz_f, rz_num, rz_ts, rz_cat, sum(k) AS n FROM rz_l ${d.groupByAll()}), ` +
    `rz_p AS (SELECT *, dense_rank() OVER (PARTITION BY rz_f ORDER BY rz_num, rz_ts, rz_cat) - 1 AS rz_i, count(*) OVER (PARTITION BY rz_f) AS rz_d, sum(n) OVER (PARTITION BY rz_f ORDER BY rz_num, rz_ts, rz_cat) - n / 2.0 AS rz_mid, sum(n) OVER (PARTITION BY rz_f) AS rz_total FROM rz_v), ` +
    `rz_b AS (SELECT rz_f, rz_num, rz_ts, rz_cat, CASE WHEN rz_d <= ${bins} THEN rz_i ELSE least(${bins - 1}, CAST(floor(${bins} * rz_mid / rz_total) AS BIGINT)) END AS bin FROM rz_p) ` +
    `SELECT rz_l.rz_f AS feature, CAST(rz_b.bin AS BIGINT) AS bin, CAST(rz_l.y AS VARCHAR) AS class, CAST(sum(rz_l.k) AS BIGINT) AS rows, CAST(min(coalesce(CAST(rz_l.rz_num AS VARCHAR), CAST(rz_l.rz_ts AS VARCHAR), rz_l.rz_cat)) AS VARCHAR) AS lo, CAST(max(coalesce(CAST(rz_l.rz_num AS VARCHAR), CAST(rz_l.rz_ts AS VARCHAR), rz_l.rz_cat)) AS VARCHAR) AS hi ` +
    `FROM rz_l JOIN rz_b ON rz_l.rz_f = rz_b.rz_f AND rz_l.rz_num IS NOT DISTINCT FROM rz_b.rz_num AND rz_l.rz_ts IS NOT DISTINCT FROM rz_b.rz_ts AND rz_l.rz_cat IS NOT DISTINCT FROM rz_b.rz_cat ` +
    `GROUP BY 1, 2, 3 ORDER BY feature, bin, class`
  );
}

/**
 * The aggregates the R² of a numeric target on one or two numeric columns
 * needs, in one pass over the labelled rows: for every column its Pearson
 * correlation with the target over the rows where both are filled (`r_i`,
 * `n_i`); and over the rows where the target and every column of `complete`
 * are filled (`n`), the covariance of each pair among the target and those
 * columns (`cov_a_b`, with 0 the target and i + 1 the i-th of `complete`).
 */
export function targetCovarianceQuery(
  ctx: ReadinessSqlContext,
  columns: readonly string[],
  complete: readonly string[],
): string {
  const { sql: y } = label(ctx);
  const x = (c: string): string => `CAST(${ident(c)} AS DOUBLE)`;
  // count over both-present rows, not regr_count, which ClickHouse lacks.
  const parts = columns.map(
    (c, i) => `corr(${y}, ${x(c)}) AS r_${i}, count(*) FILTER (WHERE ${x(c)} IS NOT NULL) AS n_${i}`,
  );
  if (complete.length > 0) {
    const all = complete.map((c) => `${ident(c)} IS NOT NULL`).join(' AND ');
    const terms = [y, ...complete.map(x)];
    parts.push(`count(*) FILTER (WHERE ${all}) AS n`);
    for (let a = 0; a < terms.length; a++)
      for (let b = a; b < terms.length; b++)
        parts.push(`covar_pop(${terms[a]}, ${terms[b]}) FILTER (WHERE ${all}) AS cov_${a}_${b}`);
  }
  if (parts.length === 0) parts.push('count(*) AS n');
  return `SELECT ${parts.join(', ')} ${fromTable(ctx.table)} WHERE ${y} IS NOT NULL`;
}

/**
 * R² of the numeric target on one column, or on two together
 * ((r₁² + r₂² − 2 r₁ r₂ r₁₂) ÷ (1 − r₁₂²)), over the rows where all are filled:
 * the figure `targetCovarianceQuery` gives, as one readable statement.
 */
export function derivedR2Query(ctx: ReadinessSqlContext, columns: readonly string[]): string {
  const { sql: y } = label(ctx);
  const x = (c: string): string => `CAST(${ident(c)} AS DOUBLE)`;
  const [a, b] = columns;
  if (a === undefined || columns.length > 2) throw new RangeError('derivedR2Query needs one or two columns');
  if (b === undefined)
    // regr_r2, regr_slope and regr_intercept spelled out (ClickHouse has none): NULL without
    // spread in x, R² 1 for a constant y, as DuckDB's.
    return `WITH rz_m AS (SELECT var_pop(rz_x) AS vx, var_pop(rz_y) AS vy, covar_pop(rz_y, rz_x) AS cxy, corr(rz_y, rz_x) AS r, avg(rz_x) AS mx, avg(rz_y) AS my, count(*) AS n FROM (SELECT ${x(a)} AS rz_x, ${y} AS rz_y ${fromTable(ctx.table)}) AS rz_xy WHERE rz_x IS NOT NULL AND rz_y IS NOT NULL) SELECT CASE WHEN vx > 0 THEN CASE WHEN vy > 0 THEN r * r ELSE 1 END END AS r2, CASE WHEN vx > 0 THEN cxy / vx END AS slope, CASE WHEN vx > 0 THEN my - cxy / vx * mx END AS intercept, n FROM rz_m`;
  return `WITH rz_c AS (SELECT corr(${y}, ${x(a)}) AS r1, corr(${y}, ${x(b)}) AS r2, corr(${x(a)}, ${x(b)}) AS r12, count(*) AS n ${fromTable(ctx.table)} WHERE ${y} IS NOT NULL AND ${ident(a)} IS NOT NULL AND ${ident(b)} IS NOT NULL) SELECT (r1 * r1 + r2 * r2 - 2 * r1 * r2 * r12) / (1 - r12 * r12) AS r2, r1 * r1 AS r2_first, r2 * r2 AS r2_second, n FROM rz_c`;
}

/** A time as a number in the same order (microseconds since 1970), for ranking it with numbers. */
export function timeRankSql(time: string): string {
  return d.epochMicros(time);
}

/** Average rank (ties share their mean rank) of `expression` among the rows of its `partition`. */
function averageRankSql(expression: string, partition: string): string {
  return `rank() OVER (PARTITION BY ${partition} ORDER BY ${expression}) + (count(*) OVER (PARTITION BY ${partition}, ${expression}) - 1) / 2.0`;
}

/**
 * Spearman's ρ of the numeric target and of each expression with a time
 * expression, in one statement: `rho_target` and `rho_i`, each over the rows
 * where both of its pair are filled (as `spearmanQuery` would give).
 */
export function trendRhoQuery(
  ctx: ReadinessSqlContext,
  time: string,
  expressions: readonly string[],
): string {
  const { sql: y } = label(ctx);
  const pairs = [y, ...expressions];
  const cols = pairs.map((e, i) => `${e} AS rz_x${i}`);
  const ranks = pairs.flatMap((_, i) => {
    const part = `(rz_x${i} IS NULL OR rz_t IS NULL)`;
    return [
      `${averageRankSql(`rz_x${i}`, part)} AS rz_rx${i}`,
      `${averageRankSql('rz_t', part)} AS rz_rt${i}`,
    ];
  });
  const out = pairs.map(
    (_, i) =>
      `corr(rz_rx${i}, rz_rt${i}) FILTER (WHERE rz_x${i} IS NOT NULL AND rz_t IS NOT NULL) AS ${i === 0 ? 'rho_target' : `rho_${i - 1}`}`,
  );
  return `WITH rz_d AS (SELECT ${time} AS rz_t, ${cols.join(', ')} ${fromTable(ctx.table)}), rz_r AS (SELECT rz_x0, rz_t, ${pairs.map((_, i) => `rz_x${i}`).join(', ')}, ${ranks.join(', ')} FROM rz_d) SELECT ${out.join(', ')} FROM rz_r`;
}

/** Spearman's ρ between an orderable expression and a numeric target (Pearson on average ranks). */
export function spearmanQuery(ctx: ReadinessSqlContext, expression: string): string {
  const { sql: y } = label(ctx);
  return `WITH rz_d AS (SELECT ${expression} AS x, ${y} AS y ${fromTable(ctx.table)} WHERE (${expression}) IS NOT NULL AND ${y} IS NOT NULL), rz_r AS (SELECT rank() OVER (ORDER BY x) + (count(*) OVER (PARTITION BY x) - 1) / 2.0 AS rx, rank() OVER (ORDER BY y) + (count(*) OVER (PARTITION BY y) - 1) / 2.0 AS ry FROM rz_d) SELECT corr(rx, ry) AS rho, count(*) AS n FROM rz_r`;
}

/** Correlation ratio η² of a numeric target on a categorical expression (NULL is a category). */
export function etaSquaredQuery(ctx: ReadinessSqlContext, expression: string): string {
  const { sql: y } = label(ctx);
  return `WITH rz_d AS MATERIALIZED (SELECT CAST(${expression} AS VARCHAR) AS v, ${y} AS y ${fromTable(ctx.table)} WHERE ${y} IS NOT NULL), rz_g AS (SELECT v, count(*) AS n, avg(y) AS m FROM rz_d GROUP BY v), rz_all AS (SELECT avg(y) AS m, var_pop(y) * count(*) AS ss, count(*) AS n FROM rz_d) SELECT CASE WHEN any_value(rz_all.ss) > 0 THEN sum(rz_g.n * pow(rz_g.m - rz_all.m, 2)) / any_value(rz_all.ss) END AS eta_squared, count(*) AS categories, any_value(rz_all.n) AS n FROM rz_g, rz_all`;
}

/**
 * The shape of an ID-like value: its first character, then its text with digit
 * runs as `9`, letter runs as `a` and whitespace runs as one space
 * (`C123456` → `C:a9`, `4000 1234` → `4:9 9`). Letters and digits in the
 * Unicode sense, so the shape follows from the profile's shapes (`idShapeBody`).
 */
export function idShapeSql(column: string): string {
  const text = `CAST(${ident(column)} AS VARCHAR)`;
  const digits = d.regexReplace(text, `'\\p{Nd}+'`, `'9'`, true);
  const letters = d.regexReplace(digits, `'\\p{L}+'`, `'a'`, true);
  return `(left(${text}, 1) || ':' || ${d.regexReplace(letters, `'\\s+'`, `' '`, true)})`;
}

/**
 * `idShapeSql` of a column whose values all have the same shape text `body`
 * (from `idShapeBody`), so only the first character varies: no regular
 * expression per row.
 */
export function idShapeWithBodySql(column: string, body: string): string {
  return `(left(CAST(${ident(column)} AS VARCHAR), 1) || ${str(`:${body}`)})`;
}

/** `idShapeSql` of an integer column: its first character, then `9` (or `-9` below zero). */
export function integerIdShapeSql(column: string): string {
  const c = ident(column);
  return `(left(CAST(${c} AS VARCHAR), 1) || CASE WHEN ${c} < 0 THEN ':-9' ELSE ':9' END)`;
}

/**
 * The shape text of `idShapeSql` (after `first character:`), in TypeScript. Applied to
 * a profile shape (`Aa 9`: capitals, lower case and digit runs already
 * replaced) it gives the same text as on any value of that shape, since the
 * profile's letters and digits are letters and digits here too.
 */
export function idShapeBody(text: string): string {
  // RE2's \s is [\t\n\f\r ], narrower than JavaScript's.
  return text
    .replace(/\p{Nd}+/gu, '9')
    .replace(/\p{L}+/gu, 'a')
    .replace(/[\t\n\f\r ]+/g, ' ');
}

/**
 * How many rows have a feature timestamp later than the reference (the event
 * time, or a fixed prediction date) and later than the outcome time.
 */
export function timestampsAfterQuery(
  ctx: ReadinessSqlContext,
  feature: TimeRef,
  reference: { kind: 'column'; ref: TimeRef } | { kind: 'date'; iso: string },
): string {
  const f = timeSql(feature);
  const notSentinel = `${d.cast(f, 'DATE')} NOT IN (${sentinelDatesSql(feature.granularity)})`;
  const compare = (other: TimeRef): [string, string] => {
    return comparableTimesSql(feature, other, f, timeSql(other));
  };
  let vsReference: string;
  if (reference.kind === 'column') {
    const [a, b] = compare(reference.ref);
    vsReference = `count(*) FILTER (WHERE ${f} IS NOT NULL AND ${b} IS NOT NULL AND ${notSentinel}) AS compared, count(*) FILTER (WHERE ${a} > ${b} AND ${notSentinel}) AS after_reference`;
  } else {
    const day = dateLiteral(reference.iso);
    vsReference = `count(*) FILTER (WHERE ${f} IS NOT NULL AND ${notSentinel}) AS compared, count(*) FILTER (WHERE ${d.cast(f, 'DATE')} > ${day} AND ${notSentinel}) AS after_reference`;
  }
  let vsOutcome = `0 AS compared_outcome, 0 AS after_outcome`;
  if (ctx.outcome && ctx.outcome.column !== feature.column) {
    const [a, b] = compare(ctx.outcome);
    vsOutcome = `count(*) FILTER (WHERE ${f} IS NOT NULL AND ${b} IS NOT NULL AND ${notSentinel}) AS compared_outcome, count(*) FILTER (WHERE ${a} > ${b} AND ${notSentinel}) AS after_outcome`;
  }
  return `SELECT ${vsReference}, ${vsOutcome} ${fromTable(ctx.table)}`;
}

/**
 * Groups of rows identical in features and label, and how many such groups a
 * random split with `testShare` in the test set is expected to cut in two:
 * Σ (1 − (1−s)ⁿ − sⁿ). With `group` (a grouping column, one entity per value)
 * the split is group-aware: a duplicate group can only be cut between its m
 * entities, Σ (1 − (1−s)ᵐ − sᵐ) (`expected_group_straddling`), and
 * `cross_groups` / `cross_rows` count the duplicate groups spanning several
 * entities.
 */
export function splitDuplicatesQuery(
  ctx: ReadinessSqlContext,
  features: readonly string[],
  testShare: number,
  group?: string,
): string {
  if (features.length === 0) throw new RangeError('splitDuplicatesQuery needs features');
  const { sql: y } = label(ctx);
  const straddle = (n: string): string =>
    `coalesce(sum(1 - pow(${num(1 - testShare)}, ${n}) - pow(${num(testShare)}, ${n})), 0)`;
  const entities = group !== undefined ? `, count(DISTINCT ${ident(group)}) AS m` : '';
  const byGroup =
    group !== undefined
      ? `, ${straddle('m')} AS expected_group_straddling, count(*) FILTER (WHERE m > 1) AS cross_groups, coalesce(sum(n) FILTER (WHERE m > 1), 0) AS cross_rows`
      : '';
  return `WITH rz_groups AS (SELECT count(*) AS n${entities} ${fromTable(ctx.table)} GROUP BY ${identList(features)}, ${y} HAVING count(*) > 1) SELECT count(*) AS groups, coalesce(sum(n), 0) AS rows, ${straddle('n')} AS expected_straddling${byGroup}, (SELECT count(*) ${fromTable(ctx.table)}) AS total FROM rz_groups`;
}

/** Options of `rowGroupsQuery`. */
export interface RowGroupsOptions {
  /** The expected test-set share of a random split (`splitDuplicatesQuery`). */
  testShare: number;
  /** How many conflicting groups to return with their feature values (`conflictingLabelsQuery`). */
  examples: number;
  /**
   * A grouping column (one entity per value): each duplicate group also counts
   * its entities, so the straddling expected under a group-aware split can be
   * told apart from a random one.
   */
  group?: string;
}

/**
 * `splitDuplicatesQuery` and `conflictingLabelsQuery` (classes) in one
 * statement, with the same results. Rows are first grouped by a hash of their
 * features, a key of one number; only rows whose hash is shared by another row
 * are then grouped exactly by their features and label, so a hash collision
 * can add candidates but never a false group. One row always comes back:
 * `rz_dup_groups`, `rz_dup_rows`, `rz_dup_expected`, `rz_total` as the
 * duplicates query's columns, `rz_group_count`, `rz_conflict_rows`,
 * `rz_labelled` as the conflicts query's, and, when labels conflict, the
 * largest conflicting groups (features, `rz_rows`, `rz_labels`), one a row.
 * For the comparison with chance it also returns pairs: `rz_dup_pairs` (rows
 * identical in features and label), `rz_conflict_pairs` (labelled rows with
 * identical features and different labels), and over feature vectors alone
 * `rz_vector_pairs`, `rz_vector_groups` and `rz_vector_rows` (rows whose
 * vector repeats). With `group`: `rz_dup_group_expected` (groups a split by
 * that column is expected to cut: Σ (1 − (1−s)ᵐ − sᵐ) over the m entities of
 * each duplicate group) and `rz_dup_cross_groups` / `rz_dup_cross_rows`
 * (duplicate groups spanning several entities).
 */
export function rowGroupsQuery(
  ctx: ReadinessSqlContext,
  features: readonly string[],
  options: RowGroupsOptions,
): string {
  if (features.length === 0) throw new RangeError('rowGroupsQuery needs features');
  const { sql: y } = label(ctx);
  const f = identList(features);
  const s = options.testShare;
  const g = options.group !== undefined ? ident(options.group) : undefined;
  return (
    `WITH rz_hashed AS MATERIALIZED (SELECT ${d.hash([f])} AS rz_hash, count(*) AS rz_n, count(${y}) AS rz_nl ${fromTable(ctx.table)} GROUP BY 1), ` +
    `rz_exact AS MATERIALIZED (SELECT ${f}, ${y} AS rz_y, count(*) AS rz_n${g ? `, count(DISTINCT ${g}) AS rz_m` : ''} ${fromTable(ctx.table)} WHERE ${d.hash([f])} IN (SELECT rz_hash FROM rz_hashed WHERE rz_n > 1) ${d.groupByAll()}), ` +
    `rz_dup AS (SELECT count(*) AS rz_dup_groups, coalesce(sum(rz_n), 0) AS rz_dup_rows, coalesce(sum(1 - pow(${num(1 - s)}, rz_n) - pow(${num(s)}, rz_n)), 0) AS rz_dup_expected, coalesce(${unorderedPairsSum('rz_n')}, 0) AS rz_dup_pairs${g ? `, coalesce(sum(1 - pow(${num(1 - s)}, rz_m) - pow(${num(s)}, rz_m)), 0) AS rz_dup_group_expected, count(*) FILTER (WHERE rz_m > 1) AS rz_dup_cross_groups, coalesce(sum(rz_n) FILTER (WHERE rz_m > 1), 0) AS rz_dup_cross_rows` : ''} FROM rz_exact WHERE rz_n > 1), ` +
    `rz_groups AS (SELECT ${f}, coalesce(sum(rz_n) FILTER (WHERE rz_y IS NOT NULL), 0) AS rz_n, min(rz_y) AS rz_lo, max(rz_y) AS rz_hi, sum(rz_n) AS rz_all, coalesce(sum(CAST(rz_n AS DOUBLE) * rz_n) FILTER (WHERE rz_y IS NOT NULL), 0) AS rz_sq FROM rz_exact ${d.groupByAll()}), ` +
    `rz_conflicts AS MATERIALIZED (SELECT * FROM rz_groups WHERE rz_lo <> rz_hi), ` +
    `rz_summary AS (SELECT rz_dup.*, (SELECT sum(rz_n) FROM rz_hashed) AS rz_total, (SELECT count(*) FROM rz_conflicts) AS rz_group_count, (SELECT sum(rz_n) FROM rz_conflicts) AS rz_conflict_rows, (SELECT sum(rz_nl) FROM rz_hashed) AS rz_labelled, (SELECT coalesce(sum((CAST(rz_n AS DOUBLE) * rz_n - rz_sq) / 2), 0) FROM rz_conflicts) AS rz_conflict_pairs, (SELECT coalesce(${unorderedPairsSum('rz_all')}, 0) FROM rz_groups) AS rz_vector_pairs, (SELECT count(*) FROM rz_groups WHERE rz_all > 1) AS rz_vector_groups, (SELECT coalesce(sum(rz_all) FILTER (WHERE rz_all > 1), 0) FROM rz_groups) AS rz_vector_rows FROM rz_dup), ` +
    `rz_examples AS (SELECT ${f}, rz_n AS rz_rows, CAST(rz_lo AS VARCHAR) || ' | ' || CAST(rz_hi AS VARCHAR) AS rz_labels FROM rz_conflicts ORDER BY rz_n DESC, ${f} LIMIT ${Math.max(1, Math.floor(options.examples))}) ` +
    `SELECT rz_summary.*, rz_examples.* FROM rz_summary LEFT JOIN rz_examples ON true ORDER BY rz_rows DESC, ${features.map((c) => `rz_examples.${ident(c)}`).join(', ')}`
  );
}

/** IDs that occur on more than one row. */
export function repeatedIdsQuery(ctx: ReadinessSqlContext): string {
  if (!ctx.id) throw new RangeError('repeatedIdsQuery needs an ID column');
  const id = ident(ctx.id);
  return `WITH rz_ids AS (SELECT count(*) AS n ${fromTable(ctx.table)} WHERE ${id} IS NOT NULL GROUP BY ${id} HAVING count(*) > 1) SELECT count(*) AS ids, coalesce(sum(n), 0) AS rows, coalesce(max(n), 0) AS max_rows, (SELECT count(*) ${fromTable(ctx.table)}) AS total FROM rz_ids`;
}

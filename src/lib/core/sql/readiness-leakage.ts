import { dateLiteral, ident, num } from './quote';
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

/**
 * One-vs-rest Mann–Whitney AUC of an orderable expression for every class:
 * AUC = (R − n₁(n₁+1)/2) / (n₁ n₀), with R the sum of the class's average ranks
 * (ties share their mean rank). Rows where the expression or the label is NULL
 * are left out. The table is scanned once, into (value, class) counts.
 */
export function rankAucQuery(ctx: ReadinessSqlContext, expression: string): string {
  return `WITH ${valueClassCounts(ctx, expression, `(${expression}) IS NOT NULL`)}, rz_l AS (SELECT v, y, k FROM rz_cy WHERE y IS NOT NULL), rz_g AS (SELECT v, sum(k) AS n FROM rz_l GROUP BY v), rz_r AS (SELECT v, sum(n) OVER (ORDER BY v) - n + (n + 1) / 2.0 AS avg_rank FROM rz_g), rz_c AS (SELECT rz_l.y, sum(rz_l.k) AS n_y, sum(rz_l.k * rz_r.avg_rank) AS rank_sum FROM rz_l JOIN rz_r ON rz_l.v = rz_r.v GROUP BY rz_l.y), rz_n AS (SELECT sum(k) AS total FROM rz_l) SELECT CAST(rz_c.y AS VARCHAR) AS class, CAST(rz_c.n_y AS BIGINT) AS positives, CAST(rz_n.total - rz_c.n_y AS BIGINT) AS negatives, CASE WHEN rz_c.n_y > 0 AND rz_n.total > rz_c.n_y THEN (rz_c.rank_sum - rz_c.n_y * (rz_c.n_y + 1) / 2.0) / (rz_c.n_y * (rz_n.total - rz_c.n_y)) END AS auc FROM rz_c, rz_n ORDER BY class`;
}

/**
 * One-vs-rest AUC of the per-category class rate, for every class: each row is
 * scored by the share of its category (NULL is a category) that has the class,
 * then ranked as in `rankAucQuery`. In-sample, so callers guard against
 * high-cardinality (ID-like) columns. Also returns the number of categories.
 */
export function categoryAucQuery(ctx: ReadinessSqlContext, expression: string): string {
  return `WITH ${valueClassCounts(ctx, `CAST(${expression} AS VARCHAR)`)}, rz_l AS (SELECT v, y, k FROM rz_cy WHERE y IS NOT NULL), rz_cat AS (SELECT v, sum(k) AS n FROM rz_l GROUP BY v), rz_cls AS (SELECT y, sum(k) AS n_y FROM rz_l GROUP BY y), rz_grid AS (SELECT rz_cls.y, rz_cls.n_y, rz_cat.n, coalesce(rz_l.k, 0) AS k FROM rz_cat CROSS JOIN rz_cls LEFT JOIN rz_l ON rz_l.v IS NOT DISTINCT FROM rz_cat.v AND rz_l.y = rz_cls.y), rz_s AS (SELECT y, n_y, k / n AS score, sum(k) AS pos, sum(n) AS n FROM rz_grid GROUP BY 1, 2, 3), rz_r AS (SELECT y, n_y, pos, sum(n) OVER (PARTITION BY y ORDER BY score) - n + (n + 1) / 2.0 AS avg_rank FROM rz_s), rz_n AS (SELECT sum(k) AS total, (SELECT count(*) FROM rz_cat) AS categories FROM rz_l) SELECT CAST(rz_r.y AS VARCHAR) AS class, CAST(any_value(rz_r.n_y) AS BIGINT) AS positives, CAST(any_value(rz_n.total) - any_value(rz_r.n_y) AS BIGINT) AS negatives, CASE WHEN any_value(rz_n.total) > any_value(rz_r.n_y) THEN (sum(rz_r.pos * rz_r.avg_rank) - any_value(rz_r.n_y) * (any_value(rz_r.n_y) + 1) / 2.0) / (any_value(rz_r.n_y) * (any_value(rz_n.total) - any_value(rz_r.n_y))) END AS auc, any_value(rz_n.categories) AS categories FROM rz_r, rz_n GROUP BY rz_r.y ORDER BY class`;
}

/** Labelled rows per class and how many of them have the column filled in. */
export function presenceByClassQuery(ctx: ReadinessSqlContext, column: string): string {
  const { ref } = label(ctx);
  const canonical = labelSql({ ...ref, column: 'rz_y_raw' });
  // Grouped on the raw label first, so the canonicalising CASE runs once per spelling.
  return `SELECT CAST(y AS VARCHAR) AS class, sum(rows) AS rows, sum(filled) AS filled FROM (SELECT ${canonical} AS y, rows, filled FROM (SELECT ${ident(ref.column)} AS rz_y_raw, count(*) AS rows, count(${ident(column)}) AS filled ${fromTable(ctx.table)} GROUP BY 1)) WHERE y IS NOT NULL GROUP BY 1 ORDER BY 1`;
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

/** The shape of an ID-like value: first character, then digit runs as 9 and letter runs as a (`C123456` → `CA9`… → `Ca9`). */
export function idShapeSql(column: string): string {
  const text = `CAST(${ident(column)} AS VARCHAR)`;
  return `(left(${text}, 1) || ':' || regexp_replace(regexp_replace(regexp_replace(${text}, '[0-9]+', '9', 'g'), '[A-Za-z]+', 'a', 'g'), '\\s+', ' ', 'g'))`;
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
  const notSentinel = `CAST(${f} AS DATE) NOT IN (${sentinelDatesSql(feature.granularity)})`;
  const compare = (other: TimeRef): [string, string] => {
    return comparableTimesSql(feature, other, f, timeSql(other));
  };
  let vsReference: string;
  if (reference.kind === 'column') {
    const [a, b] = compare(reference.ref);
    vsReference = `count(*) FILTER (WHERE ${f} IS NOT NULL AND ${b} IS NOT NULL AND ${notSentinel}) AS compared, count(*) FILTER (WHERE ${a} > ${b} AND ${notSentinel}) AS after_reference`;
  } else {
    const day = dateLiteral(reference.iso);
    vsReference = `count(*) FILTER (WHERE ${f} IS NOT NULL AND ${notSentinel}) AS compared, count(*) FILTER (WHERE CAST(${f} AS DATE) > ${day} AND ${notSentinel}) AS after_reference`;
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
 * Σ (1 − (1−s)ⁿ − sⁿ).
 */
export function splitDuplicatesQuery(
  ctx: ReadinessSqlContext,
  features: readonly string[],
  testShare: number,
): string {
  if (features.length === 0) throw new RangeError('splitDuplicatesQuery needs features');
  const { sql: y } = label(ctx);
  return `WITH rz_groups AS (SELECT count(*) AS n ${fromTable(ctx.table)} GROUP BY ${identList(features)}, ${y} HAVING count(*) > 1) SELECT count(*) AS groups, coalesce(sum(n), 0) AS rows, coalesce(sum(1 - pow(${num(1 - testShare)}, n) - pow(${num(testShare)}, n)), 0) AS expected_straddling, (SELECT count(*) ${fromTable(ctx.table)}) AS total FROM rz_groups`;
}

/** IDs that occur on more than one row. */
export function repeatedIdsQuery(ctx: ReadinessSqlContext): string {
  if (!ctx.id) throw new RangeError('repeatedIdsQuery needs an ID column');
  const id = ident(ctx.id);
  return `WITH rz_ids AS (SELECT count(*) AS n ${fromTable(ctx.table)} WHERE ${id} IS NOT NULL GROUP BY ${id} HAVING count(*) > 1) SELECT count(*) AS ids, coalesce(sum(n), 0) AS rows, coalesce(max(n), 0) AS max_rows, (SELECT count(*) ${fromTable(ctx.table)}) AS total FROM rz_ids`;
}

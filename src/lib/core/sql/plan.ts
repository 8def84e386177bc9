import { ident, num, str } from './quote';
import {
  fromTable,
  labelSql,
  timeSql,
  validTimeSql,
  type ReadinessSqlContext,
  type ValidTimeOptions,
} from './readiness-common';

/**
 * SQL for the metric plan: class shares, the rule-baseline search, regression
 * baselines, the validation split and rows per period. Every statement
 * aggregates in DuckDB and returns a few hundred rows at most; the plan's
 * evaluation (core/plan) works on those. No statement reads a clock: the
 * as-of date arrives as a literal through the context.
 */

/**
 * Quantile levels whose values are the numeric rule search's cut points: every
 * percent, plus finer tails (0.1 %, 0.2 %, 0.5 % and their mirrors) so a rule can
 * flag as few rows as a small capacity allows.
 */
export const RULE_CUT_LEVELS: readonly number[] = [
  0.001,
  0.002,
  0.005,
  ...Array.from({ length: 99 }, (_, i) => (i + 1) / 100),
  0.995,
  0.998,
  0.999,
];

/** Categories kept per categorical feature in the rule search; the rest are one `(other)` bucket. */
export const RULE_MAX_CATEGORIES = 100;

/** The context's history bound and time granularity, for `validTimeSql`. */
function validOptions(ctx: ReadinessSqlContext): ValidTimeOptions {
  return { from: ctx.validFrom, granularity: ctx.time?.granularity };
}

/**
 * The labelled rows of the table, through a map from each raw label spelling
 * to its canonical class and positive flag: the canonicalising CASE runs once
 * per distinct spelling instead of once per row (the same lesson as the
 * leakage queries: several times faster in DuckDB-WASM). Start a statement
 * with `WITH ${labelled.cte}, …` and read from `labelled.from`, where the
 * class is `__sz_label` and the positive flag `__sz_y` (names no client
 * column is likely to have).
 */
function labelled(ctx: ReadinessSqlContext): { cte: string; from: string } {
  if (!ctx.label) throw new RangeError('The plan queries need a target (label) role.');
  const raw = { ...ctx.label, column: '__sz_raw' };
  // The canonicalising CASE appears once: planning each copy of it costs DuckDB-WASM about 0.1 s.
  const y =
    ctx.label.positive === undefined
      ? 'NULL'
      : `CASE WHEN __sz_label = ${str(ctx.label.positive)} THEN 1 ELSE 0 END`;
  return {
    cte: `__sz_labels AS (SELECT __sz_raw, __sz_label, ${y} AS __sz_y FROM (SELECT __sz_raw, ${labelSql(raw)} AS __sz_label FROM (SELECT DISTINCT ${ident(ctx.label.column)} AS __sz_raw ${fromTable(ctx.table)})) WHERE __sz_label IS NOT NULL)`,
    from: `${fromTable(ctx.table)} JOIN __sz_labels ON ${ident(ctx.label.column)} = __sz_labels.__sz_raw`,
  };
}

/**
 * `per_value(x, n, positives, positive_value, positives_without_value)`: labelled
 * rows per value of a feature expression. The table is grouped on (value, raw
 * label) first and the label map joined to those groups, so no per-row join or
 * CASE runs.
 */
function perValueCtes(ctx: ReadinessSqlContext, feature: string, valueColumn?: string): string {
  const l = labelled(ctx);
  const label = ident(ctx.label!.column);
  const value = valueColumn ? `TRY_CAST(${ident(valueColumn)} AS DOUBLE)` : 'CAST(NULL AS DOUBLE)';
  return `${l.cte},
__sz_groups AS (SELECT ${feature} AS x, ${label} AS __sz_raw, count(*) AS n, sum(${value}) AS sv, count(${value}) AS nv ${fromTable(ctx.table)} GROUP BY 1, 2),
per_value AS (SELECT x, sum(n) AS n, sum(n * __sz_y) AS positives, sum(CASE WHEN __sz_y = 1 THEN sv END) AS positive_value,
  sum(CASE WHEN __sz_y = 1 THEN n - nv ELSE 0 END) AS positives_without_value
  FROM __sz_groups JOIN __sz_labels ON __sz_groups.__sz_raw = __sz_labels.__sz_raw WHERE __sz_y IS NOT NULL GROUP BY x)`;
}

/**
 * Rows per canonical class of the target, most frequent first (classification),
 * with the NULL label (missing, or missing-like text) excluded.
 * Columns: `label`, `n`.
 */
export function classSharesQuery(ctx: ReadinessSqlContext): string {
  if (!ctx.label) throw new RangeError('The class shares need a target (label) role.');
  const l = labelled(ctx);
  const label = ident(ctx.label.column);
  return `WITH ${l.cte}, __sz_groups AS (SELECT ${label} AS __sz_raw, count(*) AS n ${fromTable(ctx.table)} GROUP BY 1)
SELECT __sz_label AS label, sum(n) AS n FROM __sz_groups JOIN __sz_labels ON __sz_groups.__sz_raw = __sz_labels.__sz_raw
GROUP BY 1 ORDER BY n DESC, label`;
}

/**
 * The numeric rule search, aggregated by bucket: the cut points are the
 * feature's quantiles at `RULE_CUT_LEVELS` over the labelled rows (inverted
 * CDF, so each is a value of the data), and each labelled row falls in the bucket of the
 * greatest cut point at or below it (an ASOF join of the distinct values,
 * grouped first, so the join sees thousands of rows, not millions), or in the bucket below
 * the lowest cut (`cut` NULL, `missing` false), or among the missing and
 * non-finite values (`missing` true). Cumulating the buckets gives every
 * rule `x >= cut` and `x < cut` exactly.
 * Columns: `cut`, `missing`, `n`, `positives`, `positive_value` (sum of the
 * value column over positives, when one is given).
 */
export function numericRuleBucketsQuery(
  ctx: ReadinessSqlContext,
  column: string,
  valueColumn?: string,
): string {
  const raw = `TRY_CAST(${ident(column)} AS DOUBLE)`;
  const x = `(CASE WHEN isfinite(${raw}) THEN ${raw} END)`;
  const levels = `[${RULE_CUT_LEVELS.map(num).join(', ')}]`;
  // Cut points: for each level q, the smallest value whose cumulative row count exceeds q·N (the
  // inverted-CDF quantile, a value of the data), read from the grouped values instead of sorting rows.
  return `WITH ${perValueCtes(ctx, x, valueColumn)},
cumulative AS (SELECT x, sum(n) OVER (ORDER BY x) AS c, sum(n) OVER () AS total FROM per_value WHERE x IS NOT NULL),
cuts AS (SELECT DISTINCT min(x) AS c FROM cumulative, (SELECT unnest(${levels}) AS q) AS levels WHERE cumulative.c > levels.q * cumulative.total GROUP BY levels.q),
bucketed AS (SELECT per_value.x IS NULL AS missing, cuts.c AS cut, per_value.* FROM per_value ASOF LEFT JOIN cuts ON per_value.x >= cuts.c)
SELECT cut, missing, sum(n) AS n, sum(positives) AS positives, sum(positive_value) AS positive_value
FROM bucketed GROUP BY cut, missing ORDER BY missing, cut NULLS FIRST`;
}

/**
 * The categorical rule search, aggregated by category: rows and positives per
 * value (NULL is a category of its own), the `RULE_MAX_CATEGORIES` most
 * frequent kept and the rest lumped into one bucket (`lumped` true,
 * `category` NULL).
 * Columns: `category`, `lumped`, `n`, `positives`, `positive_value`.
 */
export function categoricalRuleBucketsQuery(
  ctx: ReadinessSqlContext,
  column: string,
  valueColumn?: string,
): string {
  const x = `CAST(${ident(column)} AS VARCHAR)`;
  return `WITH ${perValueCtes(ctx, x, valueColumn)},
ranked AS (SELECT *, row_number() OVER (ORDER BY n DESC, x NULLS LAST) AS r FROM per_value)
SELECT CASE WHEN r <= ${RULE_MAX_CATEGORIES} THEN x END AS category,
  r > ${RULE_MAX_CATEGORIES} AS lumped, sum(n) AS n, sum(positives) AS positives, sum(positive_value) AS positive_value
FROM ranked GROUP BY 1, 2 ORDER BY n DESC, category NULLS LAST`;
}

/** Totals for the plan: labelled rows, positives, and the value column's sum over positives. */
export function planTotalsQuery(ctx: ReadinessSqlContext, valueColumn?: string): string {
  return `WITH ${perValueCtes(ctx, 'NULL', valueColumn)}
SELECT sum(n) AS n, sum(positives) AS positives, sum(positive_value) AS positive_value,
  sum(positives_without_value) AS positives_without_value FROM per_value`;
}

/**
 * Regression baselines on the numeric target (finite values only): predicting
 * the mean and the median of all rows (in-sample, so optimistic), their MAE,
 * RMSE and MAPE, and how many targets are zero (MAPE divides by the target,
 * so zero rows are left out of it and counted).
 * Columns: `n`, `zeros`, `mean`, `median`, `mae_mean`, `rmse_mean`,
 * `mape_mean`, `mae_median`, `rmse_median`, `mape_median`.
 */
export function regressionBaselinesQuery(ctx: ReadinessSqlContext): string {
  if (!ctx.label || ctx.label.kind !== 'numeric')
    throw new RangeError('Regression baselines need a numeric target.');
  const y = labelSql(ctx.label);
  const metrics = (prediction: string, name: string): string =>
    `avg(abs(y - ${prediction})) AS mae_${name}, sqrt(avg((y - ${prediction}) ^ 2)) AS rmse_${name}, ` +
    `avg(CASE WHEN y <> 0 THEN abs((y - ${prediction}) / y) END) AS mape_${name}`;
  return `WITH base AS (SELECT ${y} AS y ${fromTable(ctx.table)} WHERE isfinite(${y})),
s AS (SELECT avg(y) AS m, median(y) AS md FROM base)
SELECT count(*) AS n, count_if(y = 0) AS zeros, any_value(s.m) AS mean, any_value(s.md) AS median,
  ${metrics('s.m', 'mean')}, ${metrics('s.md', 'median')}
FROM base, s`;
}

/**
 * The last-value-per-ID baseline: each row is predicted by the previous
 * target of the same ID in event-time order (rows without a previous value
 * are not scored). Needs the ID and event-time roles.
 * Columns: `n`, `mae`, `rmse`, `mape`.
 */
export function lastValueBaselineQuery(ctx: ReadinessSqlContext): string {
  if (!ctx.label || ctx.label.kind !== 'numeric' || !ctx.id || !ctx.time)
    throw new RangeError('The last-value baseline needs a numeric target, an ID and an event time.');
  const y = labelSql(ctx.label);
  const t = timeSql(ctx.time);
  return `WITH base AS (SELECT ${ident(ctx.id)} AS id, ${t} AS t, ${y} AS y ${fromTable(ctx.table)}
  WHERE isfinite(${y}) AND ${ident(ctx.id)} IS NOT NULL AND ${validTimeSql(t, ctx.asOf, validOptions(ctx))}),
lagged AS (SELECT y, lag(y) OVER (PARTITION BY id ORDER BY t, y) AS prev FROM base)
SELECT count(*) AS n, avg(abs(y - prev)) AS mae, sqrt(avg((y - prev) ^ 2)) AS rmse,
  avg(CASE WHEN y <> 0 THEN abs((y - prev) / y) END) AS mape
FROM lagged WHERE prev IS NOT NULL`;
}

/**
 * Rows per week and per month over the weeks and months that have any row
 * with a valid event time (missing, sentinel, future and implausible times
 * are left out, so one 9999-12-31 does not stretch the span).
 * Columns: `n`, `weeks`, `months`.
 */
export function rowsPerPeriodQuery(ctx: ReadinessSqlContext): string {
  if (!ctx.time) throw new RangeError('Rows per period need an event-time role.');
  const t = timeSql(ctx.time);
  return `WITH base AS (SELECT ${t} AS t ${fromTable(ctx.table)})
SELECT count(*) AS n, count(DISTINCT date_trunc('week', t)) AS weeks, count(DISTINCT date_trunc('month', t)) AS months
FROM base WHERE ${validTimeSql('t', ctx.asOf, validOptions(ctx))}`;
}

/**
 * A time-based split at the holdout share: the split time is the
 * (1 − holdout) quantile of the valid event times of labelled rows
 * (`quantile_disc`); validation is every row at or after it. Reports rows and
 * positives per side and, with an ID role, IDs per side and IDs on both.
 * Columns: `split_at`, `train_rows`, `validation_rows`, `train_positives`,
 * `validation_positives`, `train_groups`, `validation_groups`, `shared_groups`.
 */
export function timeSplitQuery(ctx: ReadinessSqlContext, holdoutShare: number): string {
  if (!ctx.label || !ctx.time) throw new RangeError('A time-based split needs a target and an event time.');
  const t = timeSql(ctx.time);
  const l = labelled(ctx);
  const id = ctx.id ? ident(ctx.id) : 'NULL';
  return `WITH ${l.cte}, base AS (SELECT ${t} AS t, __sz_y AS y, ${id} AS g ${l.from}
  WHERE ${validTimeSql(t, ctx.asOf, validOptions(ctx))}),
cut AS (SELECT quantile_disc(t, ${num(1 - holdoutShare)}) AS s FROM base),
sides AS (SELECT base.*, base.t >= cut.s AS validation FROM base, cut),
shared AS (SELECT count(*) AS k FROM (SELECT g FROM sides WHERE g IS NOT NULL GROUP BY g HAVING bool_or(validation) AND bool_or(NOT validation)))
SELECT strftime(any_value(cut.s), '%Y-%m-%dT%H:%M:%S') AS split_at,
  count_if(NOT validation) AS train_rows, count_if(validation) AS validation_rows,
  sum(y) FILTER (WHERE NOT validation) AS train_positives, sum(y) FILTER (WHERE validation) AS validation_positives,
  count(DISTINCT g) FILTER (WHERE NOT validation) AS train_groups, count(DISTINCT g) FILTER (WHERE validation) AS validation_groups,
  any_value(shared.k) AS shared_groups
FROM sides, cut, shared`;
}

/**
 * A group-based split by ID: an ID goes to validation when its hash falls in
 * the holdout share (deterministic, so every run splits alike), with all its
 * rows. Reports rows, positives and IDs per side.
 * Columns as `timeSplitQuery` (`split_at` and `shared_groups` NULL / 0).
 */
export function groupSplitQuery(ctx: ReadinessSqlContext, holdoutShare: number): string {
  if (!ctx.label || !ctx.id) throw new RangeError('A group-based split needs a target and an ID.');
  const l = labelled(ctx);
  const g = ident(ctx.id);
  const buckets = 10_000;
  return `WITH ${l.cte}, base AS (SELECT __sz_y AS y, ${g} AS g,
  (hash(CAST(${g} AS VARCHAR)) % ${buckets}) < ${num(Math.round(holdoutShare * buckets))} AS validation
  ${l.from})
SELECT NULL AS split_at, count_if(NOT validation) AS train_rows, count_if(validation) AS validation_rows,
  sum(y) FILTER (WHERE NOT validation) AS train_positives, sum(y) FILTER (WHERE validation) AS validation_positives,
  count(DISTINCT g) FILTER (WHERE NOT validation) AS train_groups, count(DISTINCT g) FILTER (WHERE validation) AS validation_groups,
  0 AS shared_groups
FROM base`;
}

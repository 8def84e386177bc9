import { dialect as d } from './dialect';
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
 *
 * Each statement is built as a `PlanPart` (named CTEs and a final SELECT) and
 * runs as the readable statement a finding shows (`planPartQuery`); the
 * rule search's statements are in `plan-rules.ts`.
 */

/** One plan statement: CTEs in dependency order and a final SELECT, with the ORDER BY of its rows apart. */
export interface PlanPart {
  ctes: PlanCte[];
  select: string;
  /** ORDER BY over the select's output columns. */
  order?: string;
}

/** A named CTE of a plan part. */
export interface PlanCte {
  name: string;
  sql: string;
  /** Computed once although read more than once (DuckDB otherwise inlines it at every read). */
  materialized?: boolean;
}

export function cteSql(name: string, sql: string, materialized: boolean | undefined): string {
  return `${name} AS ${materialized ? 'MATERIALIZED ' : ''}(${sql})`;
}

/** The label map's CTE: one row per labelled raw spelling of the target. */
const LABELS = '__sz_labels';

/** The standalone statement of a part. */
export function planPartQuery(part: PlanPart): string {
  const ctes = part.ctes.map((c) => cteSql(c.name, c.sql, c.materialized)).join(',\n');
  // Ordered outside the select: ClickHouse reads a name in ORDER BY as the input's column
  // before the select's alias (`sum(n) AS n … ORDER BY n` would order by the inner n).
  const select = part.order
    ? `SELECT * FROM (${part.select}) AS __sz_ordered\nORDER BY ${part.order}`
    : part.select;
  return `${ctes ? `WITH ${ctes}\n` : ''}${select}`;
}

/**
 * A quantile level as the exact decimal of its literal, on every engine:
 * DuckDB reads `0.80000000000000004` as that DECIMAL and takes the rank
 * ceil(n·q) exactly, ClickHouse reads it as a double and rounds n·q first,
 * a rank lower wherever n·0.8 is whole.
 */
export function exactLevel(level: number): string {
  const text = num(level);
  const fraction = text.split('.')[1] ?? '';
  if (!fraction || /e/i.test(text)) return text;
  // Width 38: ClickHouse keeps the level's type for count × level, which must hold n.
  return `CAST(${str(text)} AS DECIMAL(38, ${fraction.length}))`;
}

/** The context's history bound and time granularity, for `validTimeSql`. */
function validOptions(ctx: ReadinessSqlContext): ValidTimeOptions {
  return { from: ctx.validFrom, granularity: ctx.time?.granularity };
}

function labelOf(ctx: ReadinessSqlContext, what: string): NonNullable<ReadinessSqlContext['label']> {
  if (!ctx.label) throw new RangeError(`${what} need a target (label) role.`);
  return ctx.label;
}

/**
 * The label map `__sz_labels(__sz_raw, __sz_label, __sz_y)`: each raw spelling
 * of the target (as text) with a canonical class, and the positive flag (1, 0,
 * or NULL without a positive class); unlabelled spellings are left out.
 * Statements join it to rows grouped on the raw target, so no statement
 * canonicalises rows. With the spellings the setup saw (all of them, and
 * their canonical classes), the map is a literal list: no scan, nothing to
 * canonicalise. Otherwise it is read from the table's distinct values
 * through `labelSql`.
 */
export function labelMapCtes(ctx: ReadinessSqlContext): PlanCte[] {
  const label = labelOf(ctx, 'The plan queries');
  const positive = label.positive;
  const spellings = label.spellings;
  if (spellings && spellings.length > 0) {
    const rows = spellings
      .filter((s) => s.label !== null)
      .map((s) => {
        const y = positive === undefined ? 'NULL' : s.label === positive ? '1' : '0';
        return `(${str(s.raw)}, ${str(s.label!)}, ${y})`;
      });
    const values = rows.length ? rows.join(', ') : `(NULL, NULL, NULL)`;
    return [
      {
        name: LABELS,
        sql: `SELECT CAST(__sz_raw AS VARCHAR) AS __sz_raw, CAST(__sz_label AS VARCHAR) AS __sz_label, CAST(__sz_y AS INTEGER) AS __sz_y FROM (VALUES ${values}) AS spellings(__sz_raw, __sz_label, __sz_y) WHERE __sz_label IS NOT NULL`,
      },
    ];
  }
  const canonical = labelSql({ ...label, column: '__sz_raw' });
  const y = positive === undefined ? 'NULL' : `CASE WHEN __sz_label = ${str(positive)} THEN 1 ELSE 0 END`;
  // OFFSET 0 keeps DuckDB from pushing the label filter below DISTINCT, which would
  // canonicalise every row of the table instead of each distinct value.
  return [
    {
      name: LABELS,
      sql: `SELECT __sz_raw, __sz_label, CAST(${y} AS INTEGER) AS __sz_y FROM (SELECT __sz_raw, ${canonical} AS __sz_label FROM (SELECT DISTINCT CAST(__sz_raw AS VARCHAR) AS __sz_raw FROM (SELECT DISTINCT ${ident(label.column)} AS __sz_raw ${fromTable(ctx.table)}) OFFSET 0)) WHERE __sz_label IS NOT NULL`,
    },
  ];
}

/** `JOIN __sz_labels` to a relation whose `__sz_raw` is the target's raw value. */
export function joinLabels(relation: string): string {
  return `JOIN ${LABELS} ON CAST(${relation}.__sz_raw AS VARCHAR) = ${LABELS}.__sz_raw`;
}

/** `per_value`'s columns (see `perValueCtes`), for a select that names them: ClickHouse resolves no `per_value.*` over a materialised CTE. */
export const PER_VALUE_COLUMNS = [
  'x',
  'n',
  'positives',
  'positive_value',
  'positives_without_value',
] as const;

/**
 * `groups` and `per_value(x, n, positives, positive_value, positives_without_value)`:
 * labelled rows per value of a feature. The table is grouped on (raw value,
 * raw label) first; the feature expression (`feature` of the raw value) and
 * the label map then apply to those groups, not to every row.
 */
export function perValueCtes(
  ctx: ReadinessSqlContext,
  column: string | undefined,
  feature: (raw: string) => string,
  valueColumn?: string,
  materialized = false,
): PlanCte[] {
  const label = ident(labelOf(ctx, 'The plan queries').column);
  const value = valueColumn ? d.tryCast(ident(valueColumn), 'DOUBLE') : 'CAST(NULL AS DOUBLE)';
  const groups = 'groups';
  return [
    ...labelMapCtes(ctx),
    {
      name: groups,
      sql: `SELECT ${column ? ident(column) : 'NULL'} AS v, ${label} AS __sz_raw, count(*) AS n, sum(${value}) AS sv, count(${value}) AS nv ${fromTable(ctx.table)} GROUP BY 1, 2`,
    },
    {
      name: 'per_value',
      materialized,
      sql: `SELECT ${feature('v')} AS x, sum(n) AS n, sum(n * __sz_y) AS positives, sum(CASE WHEN __sz_y = 1 THEN sv END) AS positive_value,
  sum(CASE WHEN __sz_y = 1 THEN n - nv ELSE 0 END) AS positives_without_value
  FROM ${groups} ${joinLabels(groups)} WHERE __sz_y IS NOT NULL GROUP BY 1`,
    },
  ];
}

/** Rows per canonical class of the target (see `classSharesQuery`). */
function classSharesPart(ctx: ReadinessSqlContext): PlanPart {
  const label = ident(labelOf(ctx, 'The class shares').column);
  const groups = 'groups';
  return {
    ctes: [
      ...labelMapCtes(ctx),
      { name: groups, sql: `SELECT ${label} AS __sz_raw, count(*) AS n ${fromTable(ctx.table)} GROUP BY 1` },
    ],
    select: `SELECT __sz_label AS label, sum(n) AS n FROM ${groups} ${joinLabels(groups)} GROUP BY 1`,
    order: 'n DESC, label',
  };
}

/**
 * Rows per canonical class of the target, most frequent first (classification),
 * with the NULL label (missing, or missing-like text) excluded.
 * Columns: `label`, `n`.
 */
export function classSharesQuery(ctx: ReadinessSqlContext): string {
  return planPartQuery(classSharesPart(ctx));
}

/** Totals for the plan (see `planTotalsQuery`). */
function planTotalsPart(ctx: ReadinessSqlContext, valueColumn?: string): PlanPart {
  const perValue = 'per_value';
  return {
    ctes: perValueCtes(ctx, undefined, () => 'NULL', valueColumn),
    select: `SELECT sum(n) AS n, sum(positives) AS positives, sum(positive_value) AS positive_value,
  sum(positives_without_value) AS positives_without_value FROM ${perValue}`,
  };
}

/** Totals for the plan: labelled rows, positives, and the value column's sum over positives. */
export function planTotalsQuery(ctx: ReadinessSqlContext, valueColumn?: string): string {
  return planPartQuery(planTotalsPart(ctx, valueColumn));
}

/** Regression baselines (see `regressionBaselinesQuery`). */
function regressionBaselinesPart(ctx: ReadinessSqlContext): PlanPart {
  if (!ctx.label || ctx.label.kind !== 'numeric')
    throw new RangeError('Regression baselines need a numeric target.');
  const y = labelSql(ctx.label);
  const [base, s] = ['base', 's'];
  const metrics = (prediction: string, suffix: string): string =>
    `avg(abs(y - ${prediction})) AS mae_${suffix}, sqrt(avg((y - ${prediction}) ^ 2)) AS rmse_${suffix}, ` +
    `avg(CASE WHEN y <> 0 THEN abs((y - ${prediction}) / y) END) AS mape_${suffix}`;
  return {
    ctes: [
      { name: base, sql: `SELECT ${y} AS y ${fromTable(ctx.table)} WHERE ${d.isFinite(y)}` },
      { name: s, sql: `SELECT avg(y) AS m, ${d.median('y')} AS md FROM ${base}` },
    ],
    select: `SELECT count(*) AS n, ${d.countIf('y = 0')} AS zeros, any_value(${s}.m) AS mean, any_value(${s}.md) AS median,
  ${metrics(`${s}.m`, 'mean')}, ${metrics(`${s}.md`, 'median')}
FROM ${base}, ${s}`,
  };
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
  return planPartQuery(regressionBaselinesPart(ctx));
}

/** The last-value-per-ID baseline (see `lastValueBaselineQuery`). */
function lastValueBaselinePart(ctx: ReadinessSqlContext): PlanPart {
  if (!ctx.label || ctx.label.kind !== 'numeric' || !ctx.id || !ctx.time)
    throw new RangeError('The last-value baseline needs a numeric target, an ID and an event time.');
  const y = labelSql(ctx.label);
  const t = timeSql(ctx.time);
  const [base, lagged] = ['base', 'lagged'];
  return {
    ctes: [
      {
        name: base,
        sql: `SELECT ${ident(ctx.id)} AS id, ${t} AS t, ${y} AS y ${fromTable(ctx.table)}
  WHERE ${d.isFinite(y)} AND ${ident(ctx.id)} IS NOT NULL AND ${validTimeSql(t, ctx.asOf, validOptions(ctx))}`,
      },
      { name: lagged, sql: `SELECT y, lag(y) OVER (PARTITION BY id ORDER BY t, y) AS prev FROM ${base}` },
    ],
    select: `SELECT count(*) AS n, avg(abs(y - prev)) AS mae, sqrt(avg((y - prev) ^ 2)) AS rmse,
  avg(CASE WHEN y <> 0 THEN abs((y - prev) / y) END) AS mape
FROM ${lagged} WHERE prev IS NOT NULL`,
  };
}

/**
 * The last-value-per-ID baseline: each row is predicted by the previous
 * target of the same ID in event-time order (rows without a previous value
 * are not scored). Needs the ID and event-time roles.
 * Columns: `n`, `mae`, `rmse`, `mape`.
 */
export function lastValueBaselineQuery(ctx: ReadinessSqlContext): string {
  return planPartQuery(lastValueBaselinePart(ctx));
}

/** Rows per week and month (see `rowsPerPeriodQuery`), from rows per day. */
function rowsPerPeriodPart(ctx: ReadinessSqlContext): PlanPart {
  if (!ctx.time) throw new RangeError('Rows per period need an event-time role.');
  const days = 'days';
  return {
    ctes: [
      {
        name: days,
        sql: `SELECT CAST(t AS DATE) AS d, count(*) AS n FROM (SELECT ${timeSql(ctx.time)} AS t ${fromTable(ctx.table)})
  WHERE ${validTimeSql('t', ctx.asOf, validOptions(ctx))} GROUP BY 1`,
      },
    ],
    select: `SELECT CAST(coalesce(sum(n), 0) AS BIGINT) AS n, count(DISTINCT date_trunc('week', d)) AS weeks, count(DISTINCT date_trunc('month', d)) AS months
FROM ${days}`,
  };
}

/**
 * Rows per week and per month over the weeks and months that have any row
 * with a valid event time (missing, sentinel, future and implausible times
 * are left out, so one 9999-12-31 does not stretch the span).
 * Columns: `n`, `weeks`, `months`.
 */
export function rowsPerPeriodQuery(ctx: ReadinessSqlContext): string {
  return planPartQuery(rowsPerPeriodPart(ctx));
}

/** The time-based split (see `timeSplitQuery`). */
function timeSplitPart(ctx: ReadinessSqlContext, holdoutShare: number): PlanPart {
  if (!ctx.label || !ctx.time) throw new RangeError('A time-based split needs a target and an event time.');
  const [base, cut, ids] = ['base', 'cut', 'ids'] as [string, string, string];
  const g = ctx.id ? ident(ctx.id) : 'NULL';
  const side = (validation: boolean): string => `FILTER (WHERE t ${validation ? '>=' : '<'} ${cut}.s)`;
  return {
    ctes: [
      ...labelMapCtes(ctx),
      {
        name: base,
        materialized: true,
        sql: `SELECT t, __sz_y AS y, g FROM (SELECT ${timeSql(ctx.time)} AS t, ${ident(ctx.label.column)} AS __sz_raw, ${g} AS g ${fromTable(ctx.table)}) AS r
  ${joinLabels('r')} WHERE ${validTimeSql('t', ctx.asOf, validOptions(ctx))}`,
      },
      { name: cut, sql: `SELECT ${d.quantileDisc('t', exactLevel(1 - holdoutShare))} AS s FROM ${base}` },
      // Rows and positives per side for each ID (one group for rows without an ID), so IDs are counted in one pass.
      {
        name: ids,
        sql: `SELECT g, count(*) ${side(false)} AS train_rows, count(*) ${side(true)} AS validation_rows,
  sum(y) ${side(false)} AS train_positives, sum(y) ${side(true)} AS validation_positives FROM ${base}, ${cut} GROUP BY g`,
      },
    ],
    // Rows per side are NULL without any labelled row, as count_if over no rows.
    select: `SELECT ${d.formatTime(`any_value(${cut}.s)`, '%Y-%m-%dT%H:%M:%S')} AS split_at,
  sum(train_rows) AS train_rows, sum(validation_rows) AS validation_rows,
  sum(train_positives) AS train_positives, sum(validation_positives) AS validation_positives,
  count(g) FILTER (WHERE train_rows > 0) AS train_groups, count(g) FILTER (WHERE validation_rows > 0) AS validation_groups,
  CASE WHEN any_value(${cut}.s) IS NOT NULL THEN count(g) FILTER (WHERE train_rows > 0 AND validation_rows > 0) END AS shared_groups
FROM ${ids}, ${cut}`,
  };
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
  return planPartQuery(timeSplitPart(ctx, holdoutShare));
}

/** The group-based split (see `groupSplitQuery`). */
function groupSplitPart(ctx: ReadinessSqlContext, holdoutShare: number): PlanPart {
  if (!ctx.label || !ctx.id) throw new RangeError('A group-based split needs a target and an ID.');
  const g = ident(ctx.id);
  const buckets = 10_000;
  const ids = 'ids';
  return {
    ctes: [
      ...labelMapCtes(ctx),
      // Rows and positives per ID: the side is a function of the ID, so each ID is counted once.
      {
        name: ids,
        sql: `SELECT g, (${d.hash(['CAST(g AS VARCHAR)'])} % ${buckets}) < ${num(Math.round(holdoutShare * buckets))} AS validation,
  count(*) AS n, sum(__sz_y) AS positives
  FROM (SELECT ${g} AS g, ${ident(ctx.label.column)} AS __sz_raw ${fromTable(ctx.table)}) AS r ${joinLabels('r')} GROUP BY g`,
      },
    ],
    // Rows per side are NULL without any labelled row, as count_if over no rows.
    select: `SELECT NULL AS split_at,
  CASE WHEN count(*) > 0 THEN CAST(coalesce(sum(n) FILTER (WHERE NOT validation), 0) AS BIGINT) END AS train_rows,
  CASE WHEN count(*) > 0 THEN CAST(coalesce(sum(n) FILTER (WHERE validation), 0) AS BIGINT) END AS validation_rows,
  sum(positives) FILTER (WHERE NOT validation) AS train_positives, sum(positives) FILTER (WHERE validation) AS validation_positives,
  count(g) FILTER (WHERE NOT validation) AS train_groups, count(g) FILTER (WHERE validation) AS validation_groups,
  0 AS shared_groups
FROM ${ids}`,
  };
}

/**
 * A group-based split by ID: an ID goes to validation when its hash falls in
 * the holdout share (deterministic, so every run splits alike), with all its
 * rows. Reports rows, positives and IDs per side.
 * Columns as `timeSplitQuery` (`split_at` NULL, `shared_groups` 0).
 */
export function groupSplitQuery(ctx: ReadinessSqlContext, holdoutShare: number): string {
  return planPartQuery(groupSplitPart(ctx, holdoutShare));
}

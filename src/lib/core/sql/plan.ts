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
 * Each statement is built as a `PlanPart` (named CTEs and a final SELECT), so
 * it runs alone as the readable statement a finding shows (`planPartQuery`),
 * and one-row parts also run together as one statement (`fusedOneRowQuery`).
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

/**
 * One plan statement: CTEs in dependency order and a final SELECT, with the
 * ORDER BY of its rows apart. CTEs named `__sz_…` are shared: parts that need
 * the same one carry the same text, and a fused statement computes it once.
 */
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

function cteSql(name: string, sql: string, materialized: boolean | undefined): string {
  return `${name} AS ${materialized ? 'MATERIALIZED ' : ''}(${sql})`;
}

/** Names of a part's own CTEs: plain when the part runs alone, prefixed when fused. */
export type CteNamer = (name: string) => string;

const plain: CteNamer = (name) => name;

/** The label map's CTE: one row per labelled raw spelling of the target. */
const LABELS = '__sz_labels';

/** The standalone statement of a part. */
export function planPartQuery(part: PlanPart): string {
  const ctes = part.ctes.map((c) => cteSql(c.name, c.sql, c.materialized)).join(',\n');
  return `${ctes ? `WITH ${ctes}\n` : ''}${part.select}${part.order ? `\nORDER BY ${part.order}` : ''}`;
}

/** A one-row part and its output columns, for `fusedOneRowQuery`. */
export interface OneRowPart {
  part: PlanPart;
  columns: readonly string[];
}

/**
 * Several one-row parts as one statement: shared CTEs once (materialised when
 * more than one part reads them), each part's select a one-row subquery, all
 * cross-joined. Column `c` of part `i` comes out as `c__i`; read a part's row
 * back with `fusedRowPart`.
 */
export function fusedOneRowQuery(parts: readonly OneRowPart[]): string {
  const seen = new Map<string, PlanCte & { uses: number }>();
  for (const { part } of parts)
    for (const cte of part.ctes) {
      const known = seen.get(cte.name);
      if (known && known.sql !== cte.sql) throw new RangeError(`Fused plan parts define ${cte.name} twice`);
      if (known) known.uses++;
      else seen.set(cte.name, { ...cte, uses: 1 });
    }
  const ctes = [...seen.values()].map((c) => cteSql(c.name, c.sql, c.materialized || c.uses > 1));
  const outputs = parts.flatMap(({ columns }, i) =>
    columns.map((c) => `__sz_part_${i}.${ident(c)} AS ${ident(`${c}__${i}`)}`),
  );
  const selects = parts.map(({ part }, i) => `(${part.select}) AS __sz_part_${i}`);
  return `${ctes.length ? `WITH ${ctes.join(',\n')}\n` : ''}SELECT ${outputs.join(', ')}\nFROM ${selects.join(',\n  ')}`;
}

/** Part `index` of a `fusedOneRowQuery` row, under its own column names. */
export function fusedRowPart(
  row: Readonly<Record<string, unknown>> | undefined,
  index: number,
  columns: readonly string[],
): Record<string, unknown> {
  return Object.fromEntries(columns.map((c) => [c, row?.[`${c}__${index}`] ?? null]));
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
function labelMapCtes(ctx: ReadinessSqlContext): PlanCte[] {
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
function joinLabels(relation: string): string {
  return `JOIN ${LABELS} ON CAST(${relation}.__sz_raw AS VARCHAR) = ${LABELS}.__sz_raw`;
}

/**
 * `groups` and `per_value(x, n, positives, positive_value, positives_without_value)`:
 * labelled rows per value of a feature. The table is grouped on (raw value,
 * raw label) first; the feature expression (`feature` of the raw value) and
 * the label map then apply to those groups, not to every row.
 */
function perValueCtes(
  ctx: ReadinessSqlContext,
  name: CteNamer,
  column: string | undefined,
  feature: (raw: string) => string,
  valueColumn?: string,
  materialized = false,
): PlanCte[] {
  const label = ident(labelOf(ctx, 'The plan queries').column);
  const value = valueColumn ? `TRY_CAST(${ident(valueColumn)} AS DOUBLE)` : 'CAST(NULL AS DOUBLE)';
  const groups = name('groups');
  return [
    ...labelMapCtes(ctx),
    {
      name: groups,
      sql: `SELECT ${column ? ident(column) : 'NULL'} AS v, ${label} AS __sz_raw, count(*) AS n, sum(${value}) AS sv, count(${value}) AS nv ${fromTable(ctx.table)} GROUP BY 1, 2`,
    },
    {
      name: name('per_value'),
      materialized,
      sql: `SELECT ${feature('v')} AS x, sum(n) AS n, sum(n * __sz_y) AS positives, sum(CASE WHEN __sz_y = 1 THEN sv END) AS positive_value,
  sum(CASE WHEN __sz_y = 1 THEN n - nv ELSE 0 END) AS positives_without_value
  FROM ${groups} ${joinLabels(groups)} WHERE __sz_y IS NOT NULL GROUP BY 1`,
    },
  ];
}

/** Rows per canonical class of the target (see `classSharesQuery`). */
export function classSharesPart(ctx: ReadinessSqlContext, name: CteNamer = plain): PlanPart {
  const label = ident(labelOf(ctx, 'The class shares').column);
  const groups = name('groups');
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

/** The numeric rule search (see `numericRuleBucketsQuery`). */
export function numericRuleBucketsPart(
  ctx: ReadinessSqlContext,
  column: string,
  valueColumn?: string,
  name: CteNamer = plain,
): PlanPart {
  const x = (v: string): string =>
    `(CASE WHEN isfinite(TRY_CAST(${v} AS DOUBLE)) THEN TRY_CAST(${v} AS DOUBLE) END)`;
  const levels = `[${RULE_CUT_LEVELS.map(num).join(', ')}]`;
  const [perValue, cumulative, bounds, ranks, cuts, bucketed] = [
    'per_value',
    'cumulative',
    'bounds',
    'ranks',
    'cuts',
    'bucketed',
  ].map(name) as [string, string, string, string, string, string];
  // Only hash joins and windows: DuckDB plans an ASOF or range join of the values with the
  // levels as a nested loop when its row estimates are low (they are, after the join to the
  // label map), which pairs every distinct value with every level.
  return {
    ctes: [
      ...perValueCtes(ctx, name, column, x, valueColumn, true),
      {
        name: cumulative,
        materialized: true,
        sql: `SELECT x, n, sum(n) OVER (ORDER BY x) AS c FROM ${perValue} WHERE x IS NOT NULL`,
      },
      // The cut point of level q is the smallest value whose cumulative row count exceeds q·N (the
      // inverted-CDF quantile, a value of the data): the value whose rows span rank floor(q·N) + 1.
      {
        name: bounds,
        sql: `SELECT CAST(floor(levels.q * totals.total) AS BIGINT) + 1 AS r FROM (SELECT unnest(${levels}) AS q) AS levels, (SELECT max(c) AS total FROM ${cumulative}) AS totals`,
      },
      // Each value's first rank, and the levels' ranks, in one ordered list: a level's cut is the
      // last value at or before it.
      {
        name: ranks,
        sql: `SELECT c - n + 1 AS rank, x FROM ${cumulative} UNION ALL SELECT r AS rank, NULL AS x FROM ${bounds}`,
      },
      {
        name: cuts,
        sql: `SELECT DISTINCT owner AS c FROM (SELECT x IS NULL AS level, last_value(x IGNORE NULLS) OVER (ORDER BY rank, x IS NULL ROWS BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW) AS owner FROM ${ranks}) WHERE level`,
      },
      {
        name: bucketed,
        sql: `SELECT ${perValue}.x IS NULL AS missing,
  CASE WHEN ${perValue}.x IS NOT NULL THEN max(${cuts}.c) OVER (ORDER BY ${perValue}.x ROWS BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW) END AS cut,
  ${perValue}.* FROM ${perValue} LEFT JOIN ${cuts} ON ${perValue}.x = ${cuts}.c`,
      },
    ],
    select: `SELECT cut, missing, sum(n) AS n, sum(positives) AS positives, sum(positive_value) AS positive_value
FROM ${bucketed} GROUP BY cut, missing`,
    order: 'missing, cut NULLS FIRST',
  };
}

/**
 * The numeric rule search, aggregated by bucket: the cut points are the
 * feature's quantiles at `RULE_CUT_LEVELS` over the labelled rows (inverted
 * CDF, so each is a value of the data), and each labelled row falls in the bucket of the
 * greatest cut point at or below it (a running maximum over the distinct values,
 * grouped first, so it sees thousands of rows, not millions), or in the bucket below
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
  return planPartQuery(numericRuleBucketsPart(ctx, column, valueColumn));
}

/** The categorical rule search (see `categoricalRuleBucketsQuery`). */
export function categoricalRuleBucketsPart(
  ctx: ReadinessSqlContext,
  column: string,
  valueColumn?: string,
  name: CteNamer = plain,
): PlanPart {
  const x = (v: string): string => `CAST(${v} AS VARCHAR)`;
  const ranked = name('ranked');
  return {
    ctes: [
      ...perValueCtes(ctx, name, column, x, valueColumn),
      {
        name: ranked,
        sql: `SELECT *, row_number() OVER (ORDER BY n DESC, x NULLS LAST) AS r FROM ${name('per_value')}`,
      },
    ],
    select: `SELECT CASE WHEN r <= ${RULE_MAX_CATEGORIES} THEN x END AS category,
  r > ${RULE_MAX_CATEGORIES} AS lumped, sum(n) AS n, sum(positives) AS positives, sum(positive_value) AS positive_value
FROM ${ranked} GROUP BY 1, 2`,
    order: 'n DESC, category NULLS LAST, lumped',
  };
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
  return planPartQuery(categoricalRuleBucketsPart(ctx, column, valueColumn));
}

/** Output columns of `planTotalsPart`. */
export const PLAN_TOTALS_COLUMNS = ['n', 'positives', 'positive_value', 'positives_without_value'] as const;

/** Totals for the plan (see `planTotalsQuery`). */
export function planTotalsPart(
  ctx: ReadinessSqlContext,
  valueColumn?: string,
  name: CteNamer = plain,
): PlanPart {
  const perValue = name('per_value');
  return {
    ctes: perValueCtes(ctx, name, undefined, () => 'NULL', valueColumn),
    select: `SELECT sum(n) AS n, sum(positives) AS positives, sum(positive_value) AS positive_value,
  sum(positives_without_value) AS positives_without_value FROM ${perValue}`,
  };
}

/** Totals for the plan: labelled rows, positives, and the value column's sum over positives. */
export function planTotalsQuery(ctx: ReadinessSqlContext, valueColumn?: string): string {
  return planPartQuery(planTotalsPart(ctx, valueColumn));
}

/** Output columns of `regressionBaselinesPart`. */
export const REGRESSION_COLUMNS = [
  'n',
  'zeros',
  'mean',
  'median',
  'mae_mean',
  'rmse_mean',
  'mape_mean',
  'mae_median',
  'rmse_median',
  'mape_median',
] as const;

/** Regression baselines (see `regressionBaselinesQuery`). */
export function regressionBaselinesPart(ctx: ReadinessSqlContext, name: CteNamer = plain): PlanPart {
  if (!ctx.label || ctx.label.kind !== 'numeric')
    throw new RangeError('Regression baselines need a numeric target.');
  const y = labelSql(ctx.label);
  const [base, s] = [name('base'), name('s')];
  const metrics = (prediction: string, suffix: string): string =>
    `avg(abs(y - ${prediction})) AS mae_${suffix}, sqrt(avg((y - ${prediction}) ^ 2)) AS rmse_${suffix}, ` +
    `avg(CASE WHEN y <> 0 THEN abs((y - ${prediction}) / y) END) AS mape_${suffix}`;
  return {
    ctes: [
      { name: base, sql: `SELECT ${y} AS y ${fromTable(ctx.table)} WHERE isfinite(${y})` },
      { name: s, sql: `SELECT avg(y) AS m, median(y) AS md FROM ${base}` },
    ],
    select: `SELECT count(*) AS n, count_if(y = 0) AS zeros, any_value(${s}.m) AS mean, any_value(${s}.md) AS median,
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

/** Output columns of `lastValueBaselinePart`. */
export const LAST_VALUE_COLUMNS = ['n', 'mae', 'rmse', 'mape'] as const;

/** The last-value-per-ID baseline (see `lastValueBaselineQuery`). */
export function lastValueBaselinePart(ctx: ReadinessSqlContext, name: CteNamer = plain): PlanPart {
  if (!ctx.label || ctx.label.kind !== 'numeric' || !ctx.id || !ctx.time)
    throw new RangeError('The last-value baseline needs a numeric target, an ID and an event time.');
  const y = labelSql(ctx.label);
  const t = timeSql(ctx.time);
  const [base, lagged] = [name('base'), name('lagged')];
  return {
    ctes: [
      {
        name: base,
        sql: `SELECT ${ident(ctx.id)} AS id, ${t} AS t, ${y} AS y ${fromTable(ctx.table)}
  WHERE isfinite(${y}) AND ${ident(ctx.id)} IS NOT NULL AND ${validTimeSql(t, ctx.asOf, validOptions(ctx))}`,
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

/** Output columns of `rowsPerPeriodPart`. */
export const PERIOD_COLUMNS = ['n', 'weeks', 'months'] as const;

/** Rows per week and month (see `rowsPerPeriodQuery`), from rows per day. */
export function rowsPerPeriodPart(ctx: ReadinessSqlContext, name: CteNamer = plain): PlanPart {
  if (!ctx.time) throw new RangeError('Rows per period need an event-time role.');
  const days = name('days');
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

/** Output columns of the split parts. */
export const SPLIT_COLUMNS = [
  'split_at',
  'train_rows',
  'validation_rows',
  'train_positives',
  'validation_positives',
  'train_groups',
  'validation_groups',
  'shared_groups',
] as const;

/** The time-based split (see `timeSplitQuery`). */
export function timeSplitPart(
  ctx: ReadinessSqlContext,
  holdoutShare: number,
  name: CteNamer = plain,
): PlanPart {
  if (!ctx.label || !ctx.time) throw new RangeError('A time-based split needs a target and an event time.');
  const [base, cut, ids] = ['base', 'cut', 'ids'].map(name) as [string, string, string];
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
      { name: cut, sql: `SELECT quantile_disc(t, ${num(1 - holdoutShare)}) AS s FROM ${base}` },
      // Rows and positives per side for each ID (one group for rows without an ID), so IDs are counted in one pass.
      {
        name: ids,
        sql: `SELECT g, count(*) ${side(false)} AS train_rows, count(*) ${side(true)} AS validation_rows,
  sum(y) ${side(false)} AS train_positives, sum(y) ${side(true)} AS validation_positives FROM ${base}, ${cut} GROUP BY g`,
      },
    ],
    // Rows per side are NULL without any labelled row, as count_if over no rows.
    select: `SELECT strftime(any_value(${cut}.s), '%Y-%m-%dT%H:%M:%S') AS split_at,
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
export function groupSplitPart(
  ctx: ReadinessSqlContext,
  holdoutShare: number,
  name: CteNamer = plain,
): PlanPart {
  if (!ctx.label || !ctx.id) throw new RangeError('A group-based split needs a target and an ID.');
  const g = ident(ctx.id);
  const buckets = 10_000;
  const ids = name('ids');
  return {
    ctes: [
      ...labelMapCtes(ctx),
      // Rows and positives per ID: the side is a function of the ID, so each ID is counted once.
      {
        name: ids,
        sql: `SELECT g, (hash(CAST(g AS VARCHAR)) % ${buckets}) < ${num(Math.round(holdoutShare * buckets))} AS validation,
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

import { dialect as d } from './dialect';
import { num, sqlList } from './quote';
import type { ReadinessSqlContext } from './readiness-common';
import { PER_VALUE_COLUMNS, perValueCtes, planPartQuery, type PlanPart } from './plan';

/**
 * SQL for the metric plan's rule search: per feature, labelled rows and
 * positives per bucket (numeric cut points or categories), from which
 * core/plan ranks every single-feature rule.
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

/** The numeric rule search (see `numericRuleBucketsQuery`). */
function numericRuleBucketsPart(ctx: ReadinessSqlContext, column: string, valueColumn?: string): PlanPart {
  const x = (v: string): string =>
    `(CASE WHEN ${d.isFinite(d.tryCast(v, 'DOUBLE'))} THEN ${d.tryCast(v, 'DOUBLE')} END)`;
  // Levels in per mille: floor(q·N) in integers is exact on every engine (a decimal literal
  // such as 0.059999999999999998 is a DECIMAL in DuckDB and a DOUBLE in ClickHouse).
  const perMille = sqlList(RULE_CUT_LEVELS.map((q) => num(Math.round(q * 1000))));
  const [perValue, cumulative, bounds, ranks, cuts, bucketed] = [
    'per_value',
    'cumulative',
    'bounds',
    'ranks',
    'cuts',
    'bucketed',
  ];
  // Only hash joins and windows: DuckDB plans an ASOF or range join of the values with the
  // levels as a nested loop when its row estimates are low (they are, after the join to the
  // label map), which pairs every distinct value with every level.
  return {
    ctes: [
      ...perValueCtes(ctx, column, x, valueColumn, true),
      {
        name: cumulative,
        materialized: true,
        sql: `SELECT x, n, sum(n) OVER (ORDER BY x) AS c FROM ${perValue} WHERE x IS NOT NULL`,
      },
      // The cut point of level q is the smallest value whose cumulative row count exceeds q·N (the
      // inverted-CDF quantile, a value of the data): the value whose rows span rank floor(q·N) + 1.
      {
        name: bounds,
        sql: `SELECT CAST(${d.intDiv('levels.m * totals.total', '1000')} AS BIGINT) + 1 AS r FROM (SELECT unnest(${perMille}) AS m) AS levels, (SELECT max(c) AS total FROM ${cumulative}) AS totals`,
      },
      // Each value's first rank, and the levels' ranks, in one ordered list: a level's cut is the
      // last value at or before it, which is the running max, since values rise with their rank
      // (max skips NULLs on every engine; ClickHouse has no `IGNORE NULLS`).
      {
        name: ranks,
        sql: `SELECT c - n + 1 AS rank, x FROM ${cumulative} UNION ALL SELECT r AS rank, NULL AS x FROM ${bounds}`,
      },
      {
        name: cuts,
        sql: `SELECT DISTINCT owner AS c FROM (SELECT x IS NULL AS level, max(x) OVER (ORDER BY rank, x IS NULL ROWS BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW) AS owner FROM ${ranks}) WHERE level`,
      },
      {
        name: bucketed,
        sql: `SELECT ${perValue}.x IS NULL AS missing,
  CASE WHEN ${perValue}.x IS NOT NULL THEN max(${cuts}.c) OVER (ORDER BY ${perValue}.x ROWS BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW) END AS cut,
  ${PER_VALUE_COLUMNS.map((c) => `${perValue}.${c}`).join(', ')} FROM ${perValue} LEFT JOIN ${cuts} ON ${perValue}.x = ${cuts}.c`,
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
function categoricalRuleBucketsPart(
  ctx: ReadinessSqlContext,
  column: string,
  valueColumn?: string,
): PlanPart {
  const x = (v: string): string => `CAST(${v} AS VARCHAR)`;
  return {
    ctes: [
      ...perValueCtes(ctx, column, x, valueColumn),
      {
        name: 'ranked',
        sql: `SELECT *, row_number() OVER (ORDER BY n DESC, x NULLS LAST) AS r FROM per_value`,
      },
    ],
    select: `SELECT CASE WHEN r <= ${RULE_MAX_CATEGORIES} THEN x END AS category,
  r > ${RULE_MAX_CATEGORIES} AS lumped, sum(n) AS n, sum(positives) AS positives, sum(positive_value) AS positive_value
FROM ranked GROUP BY 1, 2`,
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

import { z } from 'zod';

/**
 * The success-metric plan: what "good enough" means, fixed before any model
 * exists. Part of the audit document (`plan.plan`) and, on its own, the file
 * the CLI reads with `--plan` (schema/metric-plan.schema.json). Every string
 * and list has a limit, because plan files come from outside.
 */

export const PLAN_FORMAT = 'sprint-zero-metric-plan';
export const PLAN_VERSION = 1;

/** Metrics that fit a binary task. Accuracy is listed so the paradox warning has something to catch. */
export const BINARY_METRICS = [
  'precision',
  'recall',
  'f-beta',
  'pr-auc',
  'precision-at-capacity',
  'expected-cost',
  'accuracy',
] as const;
export const MULTICLASS_METRICS = ['macro-f1', 'weighted-f1', 'per-class-recall', 'accuracy'] as const;
export const REGRESSION_METRICS = ['mae', 'rmse', 'mape'] as const;

// Built from the task lists so a metric is named once; accuracy already comes with the binary list.
export const MetricNameSchema = z.enum([
  ...BINARY_METRICS,
  'macro-f1',
  'weighted-f1',
  'per-class-recall',
  ...REGRESSION_METRICS,
]);

export type MetricName = z.infer<typeof MetricNameSchema>;
export const METRICS: readonly MetricName[] = MetricNameSchema.options;

/** Metrics where lower is better (errors and costs). */
export const LOWER_IS_BETTER: ReadonlySet<MetricName> = new Set(['mae', 'rmse', 'mape', 'expected-cost']);

const text = (max: number) => z.string().max(max);
const share = z.number().min(0).max(1);

export const PlanCostsSchema = z.object({
  /** Money in `currency`, or relative units (e.g. "a missed churner costs 5 calls"). */
  unit: z.enum(['money', 'relative']).default('relative'),
  /** ISO 4217 code or a symbol, shown beside money amounts. */
  currency: text(8).optional(),
  /** Cost of acting on a case that was not positive (e.g. one retention call). */
  falsePositive: z.number().min(0).max(1e12).optional(),
  /** Cost of missing a positive (e.g. a churner's lost margin). */
  falseNegative: z.number().min(0).max(1e12).optional(),
  /** Value of acting on a true positive, net of the action's own cost. */
  truePositiveValue: z.number().min(0).max(1e12).optional(),
  /**
   * A numeric column carrying each row's value (e.g. the transaction amount):
   * a missed positive then costs that row's value instead of `falseNegative`.
   */
  valueColumn: text(300).optional(),
});

export const PlanCapacitySchema = z.object({
  /** Cases the team can act on per period. */
  cases: z.number().int().min(1).max(1e9),
  per: z.enum(['week', 'month']),
});

export const PlanTargetsSchema = z.object({
  /** Minimum precision among flagged cases (binary). */
  minPrecision: share.optional(),
  /** Minimum recall among positives (binary). */
  minRecall: share.optional(),
  /** A threshold on the primary metric: a minimum for scores, a maximum for errors and costs. */
  metricThreshold: z.number().min(-1e12).max(1e12).optional(),
  /**
   * Required relative lift over the best baseline on the primary metric:
   * 0.2 means "20 % better" (×1.2 for scores, ×0.8 for errors and costs).
   */
  requiredLift: z.number().min(0).max(100).default(0),
});

export const ValidationDesignSchema = z.object({
  design: z.enum(['random', 'time', 'group']),
  /** Share of rows (or groups) held out for validation. */
  holdoutShare: z.number().min(0.01).max(0.9).default(0.2),
});

export const MetricPlanSchema = z.object({
  format: z.literal(PLAN_FORMAT).default(PLAN_FORMAT),
  version: z.literal(PLAN_VERSION).default(PLAN_VERSION),
  decision: z
    .object({
      /** What a positive prediction triggers. */
      action: text(500).default(''),
      /** Who acts on it. */
      actor: text(200).default(''),
    })
    .default({ action: '', actor: '' }),
  costs: PlanCostsSchema.default({ unit: 'relative' }),
  capacity: PlanCapacitySchema.optional(),
  primaryMetric: MetricNameSchema,
  secondaryMetrics: z.array(MetricNameSchema).max(12).default([]),
  /** β of F-beta: above 1 weighs recall more. */
  fBeta: z.number().min(0.01).max(100).default(1),
  targets: PlanTargetsSchema.default({ requiredLift: 0 }),
  validation: ValidationDesignSchema,
  /** Free text: assumptions, who signed the plan off. */
  notes: text(4000).optional(),
});

export type MetricPlan = z.infer<typeof MetricPlanSchema>;
export type MetricPlanInput = z.input<typeof MetricPlanSchema>;
export type PlanCosts = z.infer<typeof PlanCostsSchema>;
export type PlanCapacity = z.infer<typeof PlanCapacitySchema>;
export type PlanTargets = z.infer<typeof PlanTargetsSchema>;
export type ValidationDesign = z.infer<typeof ValidationDesignSchema>;

/** The metrics that fit a task, in the order the editor offers them. */
export function metricsForTask(task: 'binary' | 'multiclass' | 'regression'): readonly MetricName[] {
  if (task === 'binary') return BINARY_METRICS;
  if (task === 'multiclass') return MULTICLASS_METRICS;
  return REGRESSION_METRICS;
}

// ---- Computed results, saved beside the plan -------------------------------------------------

const num = z.number().nullable();

/**
 * One bucket of the rule search, aggregated in SQL. Numeric: the rows at or
 * above cut point `key` and below the next one (`key` null: below the lowest
 * cut; `missing`: missing or non-finite). Categorical: one category (`key`
 * null: the NULL category, or, with `lumped`, the rarer categories together).
 */
export const RuleBucketSchema = z.object({
  key: z.union([z.number(), z.string().max(1000), z.null()]),
  missing: z.boolean().default(false),
  lumped: z.boolean().default(false),
  n: z.number(),
  positives: z.number(),
  /** Sum of the plan's value column over the bucket's positives. */
  positiveValue: z.number().nullable().default(null),
});

export const RuleSearchSchema = z.object({
  feature: text(1000),
  kind: z.enum(['numeric', 'categorical']),
  buckets: z.array(RuleBucketSchema).max(202),
});

export const SplitSummarySchema = z.object({
  design: z.enum(['random', 'time', 'group']),
  holdoutShare: z.number(),
  /** Time-based: the first validation timestamp (ISO). */
  splitAt: z.string().nullable(),
  trainRows: z.number(),
  validationRows: z.number(),
  trainPositives: z.number().nullable(),
  validationPositives: z.number().nullable(),
  trainGroups: z.number().nullable(),
  validationGroups: z.number().nullable(),
  /** Groups (IDs) that appear on both sides of a time split. */
  sharedGroups: z.number().nullable(),
});

export const PlanResultsSchema = z.object({
  datasetId: text(1000),
  computedAt: z.string(),
  task: z.enum(['binary', 'multiclass', 'regression']),
  target: text(1000),
  rows: z.number(),
  labelledRows: z.number(),
  positiveClass: z.string().nullable(),
  classShares: z
    .array(z.object({ label: z.string().nullable(), count: z.number(), share: z.number() }))
    .max(200),
  prevalence: num,
  majorityLabel: z.string().nullable(),
  majorityAccuracy: num,
  /** Columns left out of the rule search (leakage findings, roles, excluded). */
  excludedColumns: z.array(z.object({ column: text(1000), reason: text(200) })).max(2000),
  /** Labelled rows, positives and the value column's sum over positives (binary). */
  totals: z
    .object({
      n: z.number(),
      positives: z.number(),
      positiveValue: z.number().nullable(),
      positivesWithoutValue: z.number(),
    })
    .nullable(),
  ruleSearch: z.array(RuleSearchSchema).max(2000),
  regression: z
    .object({
      zeros: z.number(),
      baselines: z
        .array(z.object({ name: text(100), mae: num, rmse: num, mape: num, rows: z.number() }))
        .max(10),
    })
    .optional(),
  /** Rows per week and per month over the weeks/months that have data (from the event-time role). */
  rowsPerWeek: num,
  rowsPerMonth: num,
  split: SplitSummarySchema.nullable(),
  sql: z.record(z.string(), z.string()),
});

export const PlanStateSchema = z.object({
  plan: MetricPlanSchema.optional(),
  results: PlanResultsSchema.optional(),
});

export type RuleBucket = z.infer<typeof RuleBucketSchema>;
export type RuleSearch = z.infer<typeof RuleSearchSchema>;
export type SplitSummary = z.infer<typeof SplitSummarySchema>;
export type PlanResults = z.infer<typeof PlanResultsSchema>;
export type PlanState = z.infer<typeof PlanStateSchema>;

/** The plan's own JSON Schema, published as schema/metric-plan.schema.json for the CLI's `--plan` file. */
export function metricPlanJsonSchema(): Record<string, unknown> {
  return {
    $id: 'https://sprint-zero.local/schema/metric-plan.schema.json',
    title: 'Sprint Zero metric plan',
    ...z.toJSONSchema(MetricPlanSchema, { io: 'input', unrepresentable: 'any' }),
  };
}

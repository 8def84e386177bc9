import { z } from 'zod';

/**
 * Drift results and the monitoring contract: zod schemas that define their
 * TypeScript types, validate imports and feed the audit's JSON Schema. This
 * file imports nothing from the audit schema, so the audit can embed it.
 */

const num = z.number().nullable();
const text = z.string().max(10_000);

export const DRIFT_METHODS = ['ks', 'wasserstein', 'psi', 'chi-square', 'jensen-shannon'] as const;
export const DriftMethodSchema = z.enum(DRIFT_METHODS);

/** `not-enough-data`: too few values on a side for a verdict; `skipped`: not compared (type, role). */
export const DriftStatusSchema = z.enum(['drift', 'no-drift', 'not-enough-data', 'skipped']);

/** How the two sides were chosen. */
export const DriftComparisonSchema = z.object({
  kind: z.enum(['datasets', 'date-split', 'source-split']),
  referenceDatasetId: text,
  currentDatasetId: text,
  /** Human-readable names of the sides, e.g. "before 2025-07-01". */
  referenceLabel: text,
  currentLabel: text,
  /** The time column (date split) or source column (source split). */
  splitColumn: text.optional(),
  /** ISO date of a date split. */
  splitAt: z
    .string()
    .regex(/^\d{4}-\d{2}-\d{2}$/)
    .optional(),
  /** Source values forming the reference of a source split. */
  referenceValues: z.array(text).max(1000).optional(),
});

export const ShareRowSchema = z.object({
  /** Bin "(a, b]" or category; "(other)" for folded categories. */
  label: text,
  reference: z.number(),
  current: z.number(),
});

export const CategoryShareSchema = z.object({ value: text, share: z.number(), rows: z.number() });

export const ColumnDriftSchema = z.object({
  column: text,
  kind: z.enum(['numeric', 'categorical']),
  status: DriftStatusSchema,
  /** The method whose result decides the status, and its threshold. */
  method: DriftMethodSchema,
  /** Whether the user chose the method rather than the size rule. */
  methodOverridden: z.boolean(),
  statistic: num,
  threshold: z.number(),
  /** The rule in words, e.g. "normalised Wasserstein ≥ 0.1 (reference > 1,000 rows)". */
  rule: text,
  reason: text.optional(),
  nReference: z.number(),
  nCurrent: z.number(),
  ks: z
    .object({ statistic: z.number(), pValue: z.number(), pValueMethod: z.enum(['exact', 'asymptotic']) })
    .optional(),
  wasserstein: z
    .object({ distance: z.number(), normalised: z.number(), referenceStd: z.number() })
    .optional(),
  chiSquare: z.object({ statistic: z.number(), df: z.number(), pValue: z.number() }).optional(),
  jensenShannon: num,
  psi: num,
  psiLevel: z.enum(['none', 'moderate', 'major']).nullable(),
  missing: z.object({ reference: z.number(), current: z.number(), change: z.number(), drift: z.boolean() }),
  /** Reference and current shares per PSI bin or category (missing values left out). */
  shares: z.array(ShareRowSchema).max(1000),
  /** Reference quantile edges of the PSI bins (numeric columns). */
  edges: z.array(z.number()).max(1000).optional(),
  /** Listed categories in bucket order (categorical columns); the last bucket is "other". */
  categories: z.array(text).max(1000).optional(),
  newCategories: z.array(CategoryShareSchema).max(1000),
  goneCategories: z.array(CategoryShareSchema).max(1000),
  /** New / gone categories beyond the listed ones, folded into "other". */
  newOther: z.object({ categories: z.number(), share: z.number() }).optional(),
  goneOther: z.object({ categories: z.number(), share: z.number() }).optional(),
  /** The DuckDB SQL behind the deciding statistic. */
  sql: text,
});

export const RateSchema = z.object({
  n: z.number(),
  positives: z.number(),
  rate: z.number(),
  lower: z.number(),
  upper: z.number(),
});

export const ConceptSegmentSchema = z.object({
  feature: text,
  segment: text,
  reference: RateSchema,
  current: RateSchema,
  change: z.number(),
  /** True when the Wilson intervals do not overlap and |change| reaches the threshold. */
  moved: z.boolean(),
  /** Raw spellings merged into this segment (same canonical key), most frequent first; absent when only one. */
  variants: z.array(text).max(100).optional(),
});

/** One class's rate (one against the rest), reference against current, and whether it drifted. */
export const ClassRateSchema = z.object({
  label: text,
  reference: RateSchema,
  current: RateSchema,
  /** The larger rate over the smaller; null when one side is zero (unbounded). */
  ratio: num,
  /** Cohen's h, current against reference (signed). */
  cohensH: z.number(),
  /** True when the Wilson intervals do not overlap. */
  separated: z.boolean(),
  /** False when a side has too few labelled rows or the class is too rare to judge (expected count). */
  judged: z.boolean(),
  drift: z.boolean(),
});

export const LabelDriftSchema = z.object({
  column: text,
  status: DriftStatusSchema,
  jensenShannon: num,
  psi: num,
  chiSquare: z.object({ statistic: z.number(), df: z.number(), pValue: z.number() }).optional(),
  threshold: z.number(),
  classes: z.array(ShareRowSchema).max(1000),
  positive: text.optional(),
  positiveRate: z.object({ reference: RateSchema, current: RateSchema }).optional(),
  /** Every class's rate judged by the class-rate rule (absent in reports made before it). */
  classRates: z.array(ClassRateSchema).max(1000).optional(),
  /** The label-drift rule in words. */
  rule: text.optional(),
  /** Why the label drifts, in words (the deciding class rate or distance). */
  reason: text.optional(),
  sql: text,
});

export const HistoryCellSchema = z.object({
  column: text,
  month: z.string(),
  rows: z.number(),
  psi: num,
  missingRate: z.number(),
  /** The label row only: whether the month's class rates drift from the reference window (the label-drift rule). */
  labelDrift: z.boolean().optional(),
  /** The label row only: the deciding class rate, in words. */
  labelReason: text.optional(),
});

export const DriftHistorySchema = z.object({
  timeColumn: text,
  referenceMonths: z.array(z.string()).max(600),
  months: z.array(z.string()).max(600),
  cells: z.array(HistoryCellSchema).max(200_000),
  /** Per column: months compared, months over the PSI thresholds, and the worst month. */
  columns: z
    .array(
      z.object({
        column: text,
        compared: z.number(),
        moderate: z.number(),
        major: z.number(),
        worstMonth: z.string().nullable(),
        worstPsi: num,
        /** The label row: `major` counts months where the label-drift rule fires, and this states it. */
        rule: text.optional(),
      }),
    )
    .max(5000),
});

export const DatasetDriftSchema = z.object({
  compared: z.number(),
  drifted: z.number(),
  notEnoughData: z.number(),
  share: z.number(),
  threshold: z.number(),
  drift: z.boolean(),
});

export const DriftReportSchema = z.object({
  comparison: DriftComparisonSchema,
  computedAt: z.string(),
  /** The thresholds used (defaults merged with the audit's overrides). */
  thresholds: z.record(z.string(), z.number()),
  columns: z.array(ColumnDriftSchema).max(5000),
  dataset: DatasetDriftSchema,
  label: LabelDriftSchema.optional(),
  concept: z.array(ConceptSegmentSchema).max(1000).optional(),
  durationMs: z.number(),
});

export const MONITORING_CONTRACT_FORMAT = 'sprint-zero-monitoring-contract';

export const MonitoredStatisticSchema = z.object({
  name: z.enum(['psi', 'jensen-shannon', 'missing-rate']),
  /** The value on the reference (0 for PSI and JS; the reference rate for missing values). */
  reference: z.number(),
  review: z.number(),
  retrain: z.number(),
  /** Self-contained DuckDB SQL over the table named by `tablePlaceholder`. */
  sql: text,
});

export const MonitoredColumnSchema = z.object({
  column: text,
  kind: z.enum(['numeric', 'categorical']),
  /** Bucket labels with their reference shares, in bucket order (the SQL's bucket index). */
  bins: z.array(z.object({ label: text, share: z.number() })).max(1000),
  edges: z.array(z.number()).max(1000).optional(),
  categories: z.array(text).max(1000).optional(),
  /** The SQL expression mapping a value to its bucket index. */
  bucketSql: text,
  statistics: z.array(MonitoredStatisticSchema).max(10),
});

export const MonitoringContractSchema = z.object({
  format: z.literal(MONITORING_CONTRACT_FORMAT),
  version: z.literal(1),
  createdAt: z.string(),
  /** What the reference was, in words. */
  reference: text,
  referenceRows: z.number(),
  /** Replace this table name in every statement with the table to monitor. */
  tablePlaceholder: text,
  /** Share of monitored columns whose statistic crosses `review` at which the dataset needs review. */
  datasetDriftShare: z.number(),
  columns: z.array(MonitoredColumnSchema).max(5000),
  label: MonitoredColumnSchema.optional(),
  notes: z.array(text).max(50),
});

/** What the audit document keeps about drift. */
export const DriftStateSchema = z.object({
  report: DriftReportSchema.optional(),
  history: DriftHistorySchema.optional(),
  contract: MonitoringContractSchema.optional(),
  /** Per-audit threshold overrides (merged over `DRIFT_THRESHOLDS`). */
  thresholds: z.record(z.string(), z.number()).optional(),
});

export type DriftMethod = z.infer<typeof DriftMethodSchema>;
export type DriftStatus = z.infer<typeof DriftStatusSchema>;
export type DriftComparison = z.infer<typeof DriftComparisonSchema>;
export type ShareRow = z.infer<typeof ShareRowSchema>;
export type ColumnDrift = z.infer<typeof ColumnDriftSchema>;
export type Rate = z.infer<typeof RateSchema>;
export type ConceptSegment = z.infer<typeof ConceptSegmentSchema>;
export type LabelDrift = z.infer<typeof LabelDriftSchema>;
export type ClassRate = z.infer<typeof ClassRateSchema>;
export type HistoryCell = z.infer<typeof HistoryCellSchema>;
export type DriftHistory = z.infer<typeof DriftHistorySchema>;
export type DatasetDrift = z.infer<typeof DatasetDriftSchema>;
export type DriftReport = z.infer<typeof DriftReportSchema>;
export type MonitoredStatistic = z.infer<typeof MonitoredStatisticSchema>;
export type MonitoredColumn = z.infer<typeof MonitoredColumnSchema>;
export type MonitoringContract = z.infer<typeof MonitoringContractSchema>;
export type DriftState = z.infer<typeof DriftStateSchema>;

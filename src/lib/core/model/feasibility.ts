import { z } from 'zod';

/**
 * Feasibility from honest baselines (issue 21): baseline models trained in the
 * engine on an honest split, a learning curve, a label-noise estimate and the
 * Data Readiness Level band. `audit.feasibility` in the document; its shape is
 * the scriptable JSON the CLI prints. This file imports nothing from the audit
 * schema, so the audit can embed it.
 */

const num = z.number().nullable();
const shortText = z.string().max(10_000);
const text = z.string().max(200_000);
const list = <T extends z.ZodType>(item: T, max = 10_000) => z.array(item).max(max);

/** An estimate with its 95 % interval (bounds null when no interval could be computed). */
export const IntervalSchema = z.object({ estimate: z.number(), lower: num, upper: num });

export const SplitDesignSchema = z.enum(['time', 'group', 'random']);

export const BaselineSplitSchema = z.object({
  design: SplitDesignSchema,
  /** The time column (time split) or the ID column (group split); null for a hash split. */
  column: shortText.nullable(),
  /** The first held-out time (time split), as ISO text; null otherwise. */
  cut: shortText.nullable(),
});

export const BaselineModelSchema = z.enum(['logistic', 'naive-bayes', 'ridge', 'prevalence', 'mean']);

export const BaselineSchema = z.object({
  model: BaselineModelSchema,
  task: z.enum(['binary', 'regression']),
  /** Original columns the model used. */
  features: list(shortText),
  split: BaselineSplitSchema,
  /** Held-out ROC AUC with its 95 % DeLong interval (binary). */
  auc: IntervalSchema.nullable(),
  /** Held-out average precision (PR-AUC) with its Poisson-bootstrap 95 % interval (binary). */
  prAuc: IntervalSchema.nullable(),
  brier: num,
  /** Held-out R² (regression). */
  r2: num,
  mae: num,
  n: z.object({ train: z.number(), test: z.number() }),
  /** Positive rows on each side (binary). */
  positives: z.object({ train: z.number(), test: z.number() }).nullable(),
  /** Newton iterations to converge (logistic), or null. */
  iterations: num,
  converged: z.boolean(),
});

export const CurvePointSchema = z.object({ x: z.number(), y: z.number() });

export const CalibrationBinSchema = z.object({
  /** Mean predicted probability in the bin. */
  predicted: z.number(),
  /** Observed positive rate in the bin. */
  observed: z.number(),
  rows: z.number(),
});

export const LearningPointSchema = z.object({
  /** Training rows used. */
  rows: z.number(),
  auc: num.optional(),
  r2: num.optional(),
});

export const LearningFitSchema = z.object({
  /** AUC(n) = a − b·n^(−c) (or R²). */
  a: z.number(),
  b: z.number(),
  c: z.number(),
  /** Projected gain in the metric from doubling the training rows, with a band. */
  doublingGain: IntervalSchema,
  trend: z.enum(['flat', 'rising', 'unclear']),
});

export const ReviewRowSchema = z.object({
  /** The row's values (redacted like every example), keyed by column. */
  values: z.record(shortText, z.union([z.number(), text, z.boolean(), z.null()])),
  givenLabel: shortText,
  /** Out-of-fold probability of the given label. */
  givenLabelProbability: z.number(),
});

export const LabelNoiseSchema = z.object({
  /** Estimated share of wrong labels, with its bootstrap 95 % interval. */
  estimate: z.number(),
  lower: num,
  upper: num,
  method: z.literal('confident-learning'),
  rows: z.number(),
  /** The same estimate from k nearest neighbours on a sample (cleanlab's no-model route). */
  knn: z
    .object({ estimate: z.number(), lower: num, upper: num, sampleRows: z.number(), k: z.number() })
    .nullable(),
  /** Rows most likely mislabelled, for a hand review. */
  reviewSample: list(ReviewRowSchema, 200),
  /** What a hand review of that many rows would give: the Wilson interval around the estimate. */
  reviewSizes: list(z.object({ rows: z.number(), lower: z.number(), upper: z.number() }), 10),
  /** Whether the baseline separates the classes well enough to read disagreement as label error. */
  interpretable: z.boolean(),
});

export const DropColumnSchema = z.object({
  column: shortText,
  /** Held-out AUC of the baseline without this column. */
  aucWithout: z.number(),
  /** AUC with every column minus AUC without this one. */
  drop: z.number(),
});

export const FeasibilityStatusSchema = z.enum(['done', 'not-run']);

export const FeasibilitySchema = z.object({
  /** Data Readiness Level band (Lawrence 2017): C loads, B valid, A appropriate for the question. */
  band: z.enum(['A', 'B', 'C']),
  /** One sentence on why that band. */
  bandReason: text,
  status: FeasibilityStatusSchema,
  /** Why the baselines did not run (no target, no feature, multiclass, too few rows, `--no-baseline`). */
  reason: text.optional(),
  task: z.enum(['binary', 'multiclass', 'regression']).optional(),
  /** The canonical positive class (binary). */
  positiveClass: shortText.optional(),
  /** Columns left out of every baseline, with why (leakage suspect, ID, time role, excluded, personal data…). */
  excluded: list(z.object({ column: shortText, reason: shortText })),
  /** Design columns after encoding (numeric, missing indicators, one-hot levels). */
  designColumns: z.number(),
  /** Rows capped for the fit, so the step stays within its time budget. */
  sample: z.object({ capped: z.boolean(), trainRows: z.number(), testRows: z.number() }),
  baselines: list(BaselineSchema, 20),
  /** The model the findings and charts use. */
  best: BaselineModelSchema.nullable(),
  /** ROC and precision–recall curves of the best baseline (binary), and its calibration. */
  roc: list(CurvePointSchema, 1_000),
  pr: list(CurvePointSchema, 1_000),
  calibration: list(CalibrationBinSchema, 100),
  learningCurve: list(LearningPointSchema, 20),
  learningFit: LearningFitSchema.nullable(),
  labelNoise: LabelNoiseSchema.nullable(),
  /**
   * The metric plan's targets against the best baseline (binary, with a
   * minimum recall): the precision it reaches at the target recall.
   */
  targetCheck: z
    .object({ recall: z.number(), precision: IntervalSchema, targetPrecision: num })
    .nullable()
    .optional(),
  /**
   * How the label disagreement is spread (binary): the disagreement among the
   * 10 % and the 20 % of rows the baseline is surest of. Errors spread evenly
   * keep both near the estimate; class overlap makes the first much lower.
   */
  noiseShape: z
    .object({ surest10: z.number(), surest20: z.number(), rows: z.number() })
    .nullable()
    .optional(),
  /** Drop-column importance, run when the baseline looks too good (AUC ≥ the leak line). */
  dropColumn: list(DropColumnSchema, 100),
  /** The SELECT that reproduces the split the baselines were scored on (rows and positives per side). */
  splitSql: text.optional(),
  computedAt: shortText,
  durationMs: z.number(),
});

export type Interval = z.infer<typeof IntervalSchema>;
export type BaselineSplit = z.infer<typeof BaselineSplitSchema>;
export type BaselineModel = z.infer<typeof BaselineModelSchema>;
export type Baseline = z.infer<typeof BaselineSchema>;
export type CurvePoint = z.infer<typeof CurvePointSchema>;
export type CalibrationBin = z.infer<typeof CalibrationBinSchema>;
export type LearningPoint = z.infer<typeof LearningPointSchema>;
export type LearningFit = z.infer<typeof LearningFitSchema>;
export type ReviewRow = z.infer<typeof ReviewRowSchema>;
export type LabelNoise = z.infer<typeof LabelNoiseSchema>;
export type DropColumn = z.infer<typeof DropColumnSchema>;
export type Feasibility = z.infer<typeof FeasibilitySchema>;
/** What the baselines analysis computes; the band is the session's, from the whole audit. */
export type FeasibilityResult = Omit<Feasibility, 'band' | 'bandReason'>;

import type { Finding } from '../model/audit';
import type { CalibrationBin, CurvePoint, Interval, ReviewRow } from '../model/feasibility';
import type { MetricPlan } from '../model/plan';
import type { Row } from '../pipeline/stage';
import type { ReadinessInput, ReadinessSetup } from '../readiness/types';
import type { DesignColumn, EncodingStats, FeatureChoice } from './design';
import type { FitModel, HessianBlocks } from './irls';
import type { ConfidentLearning } from './label-noise';
import type { BinaryMetrics, RegressionMetrics } from './metrics';
import type { NaiveBayesCounts, NaiveBayesCuts, NaiveBayesFeature } from './naive-bayes';
import type { NoiseShape } from './noise-shape';

/** What the feasibility analysis starts from, like the plan's input. */
export type FeasibilityInput = ({ readiness: ReadinessInput } | { setup: ReadinessSetup }) & {
  findings: readonly Finding[];
  plan?: MetricPlan;
  personalColumns?: readonly string[];
  computedAt: string;
  seed?: number;
  /**
   * Create no table: the rows, design and predictions are CTEs of the
   * statements that read them (`in-place.ts`). Default: the dialect's
   * `readsInPlace` (ClickHouse, whose read-only users may create nothing).
   */
  inPlace?: boolean;
};

export type FeasibilityTask = 'binary' | 'regression';

/** The analysis's state, filled stage by stage; run it from `{}`. */
export interface FeasibilityState {
  setup?: ReadinessSetup;
  /** Why the baselines don't run (set by the choice stage); the later stages then skip. */
  notRun?: { reason: string; task?: 'binary' | 'multiclass' | 'regression' };
  task?: FeasibilityTask;
  choice?: FeatureChoice;
  split?: { design: 'time' | 'group' | 'random'; column: string | null; holdoutShare: number };
  stats?: EncodingStats & { trainAvailable: number; testAvailable: number };
  /** The rows table dropped rows beyond the caps before ranking them: the sample is capped. */
  prefiltered?: boolean;
  /** The query that reproduces the split's counts (what every finding quotes). */
  splitSql?: string;
  numericStats?: Row;
  levelStats?: Row[];
  columns?: DesignColumn[];
  /** Features whose design columns would pass the column limit. */
  dropped?: { column: string; reason: string }[];
  models?: FitModel[];
  /** X'WX by block at the baseline's latest coefficients (see `hessianQuery`). */
  hessian?: HessianBlocks;
  naiveBayes?: { features: NaiveBayesFeature[]; cuts?: NaiveBayesCuts };
  naiveBayesCounts?: NaiveBayesCounts;
  computedAt?: string;
  binary?: BinaryMetrics[];
  regression?: RegressionMetrics[];
  prAuc?: Interval | null;
  roc?: CurvePoint[];
  pr?: CurvePoint[];
  calibration?: CalibrationBin[];
  noise?: ConfidentLearning | null;
  knnNoise?: ConfidentLearning | null;
  knnSampleRows?: number;
  review?: ReviewRow[];
  noiseShape?: NoiseShape | null;
  /** Drop-column models' features, once the best AUC reaches the leak line. */
  dropFeatures?: string[];
}

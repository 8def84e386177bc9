import type { ProportionInterval } from '../stats/wilson';
import type { MetricName, PlanResults } from '../model/plan';
import type { RankedRule } from './rules';

/** What `evaluatePlan` returns: the plan checked against the data (see evaluate.ts for the formulas). */

export interface OperatingPoint {
  precision: number;
  recall: number;
  prevalence: number;
  /** How the recall was set: by the target, or implied by flagging exactly the capacity. */
  recallFrom: 'target' | 'capacity';
  flaggedShare: number;
  /** Per the capacity's period (week or month), when rows per period are known. */
  period: 'week' | 'month' | null;
  rowsPerPeriod: number | null;
  flaggedPerPeriod: number | null;
  truePositivesPerPeriod: number | null;
  falsePositivesPerPeriod: number | null;
  falseNegativesPerPeriod: number | null;
  capacity: number | null;
  overCapacity: boolean;
}

export interface CostComparison {
  unit: 'money' | 'relative';
  currency: string | null;
  atTarget: number | null;
  doNothing: number | null;
  flagAll: number | null;
  bestRule: number | null;
  /** Elkan's cost-optimal threshold for calibrated scores. */
  optimalThreshold: number | null;
}

export interface Verification {
  validationRows: number;
  validationPositives: number | null;
  /** Validation rows the target would flag: s · validation rows. */
  validationFlagged: number | null;
  recallInterval: ProportionInterval | null;
  precisionInterval: ProportionInterval | null;
  recallHalfWidth: number | null;
  precisionHalfWidth: number | null;
  /** Baseline values the target is compared with (the best rule at the other target). */
  baselineRecall: number | null;
  baselinePrecision: number | null;
  /** Validation positives / flagged rows needed to tell the target from the baseline. */
  neededPositives: number | null;
  neededFlagged: number | null;
  /** Validation rows needed for both (the larger), and whether the design has them. */
  neededValidationRows: number | null;
  enoughRows: boolean | null;
  verifiable: boolean | null;
}

export interface BaselineComparison {
  metric: MetricName;
  target: number | null;
  /** Best value among the baselines (majority, random, rules, regression predictors). */
  baseline: number | null;
  baselineName: string | null;
  /** Value the target must reach with the required lift. */
  required: number | null;
  /** True when the target is not better than the required value. */
  notAbove: boolean | null;
  lowerIsBetter: boolean;
}

export interface PlanEvaluation {
  task: PlanResults['task'];
  prevalence: number | null;
  majorityAccuracy: number | null;
  imbalanced: boolean;
  /** Precision of flagging at random: the prevalence (any recall). */
  randomPrecision: number | null;
  rules: RankedRule[];
  bestRule: RankedRule | null;
  bestRuleCurve: RankedRule[];
  bestRulePrAuc: number | null;
  operatingPoint: OperatingPoint | null;
  costs: CostComparison | null;
  verification: Verification | null;
  comparison: BaselineComparison | null;
  /** Targets stated in the plan but not evaluable (with why). */
  gaps: string[];
}

/** Defaults of the metric plan's checks and computations. Each has its source. */
export const PLAN_THRESHOLDS = {
  /**
   * A minority class below this share makes the data "imbalanced" for the
   * accuracy-paradox warning (Google ML Crash Course, "Imbalanced datasets":
   * mild 20–40 %, moderate 1–20 %, extreme < 1 %).
   */
  imbalancedMinorityShare: 0.2,
  /** Confidence level of the Wilson intervals at the target (the statsmodels default alpha = 0.05). */
  confidence: 0.95,
  /** One-sided significance level of the sample-size calculation (Cohen 1988 convention). */
  powerAlpha: 0.05,
  /** Wanted power of the sample-size calculation (Cohen 1988 convention: 0.8). */
  power: 0.8,
  /** A target whose Wilson 95 % half-width on the validation data exceeds this is "not verifiable" (team default: ±10 points). */
  maxTargetHalfWidth: 0.1,
  /** Holdout share pre-filled in a new plan (common practice: 80/20). */
  defaultHoldoutShare: 0.2,
  /** Features searched for single-feature rules, most at once (keeps the search a few statements on wide tables). */
  maxRuleFeatures: 200,
  /** Rules listed as baselines. */
  topRules: 10,
} as const;

export type PlanThresholds = typeof PLAN_THRESHOLDS;

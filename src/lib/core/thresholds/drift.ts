/**
 * Defaults of the drift comparison, the drift-in-history findings and the
 * monitoring contract. Each names its source in `DRIFT_THRESHOLD_SOURCES`;
 * an audit may override any of them, and the overrides are saved with it.
 */
export const DRIFT_THRESHOLDS = {
  /** Normalised Wasserstein distance (numeric, large samples) at which a column drifts. */
  wasserstein: 0.1,
  /** Jensen–Shannon distance, base 2 (categorical, large samples) at which a column drifts. */
  jensenShannon: 0.1,
  /** p-value below which the KS or chi-square test (small samples) calls drift. */
  pValue: 0.05,
  /** PSI at which a shift is moderate (review). */
  psiModerate: 0.1,
  /** PSI at which a shift is major (retrain). */
  psiMajor: 0.25,
  /** Reference rows up to which tests (p-values) decide; above, effect sizes (distances) decide. */
  testsMaxReferenceRows: 1000,
  /** Fewer non-missing values than this on either side: "not enough data", no verdict. */
  minSampleSize: 30,
  /** Share of drifted columns at which the dataset drifts. */
  datasetDriftShare: 0.5,
  /** Per-feature drift score (PSI or distance) Deepchecks flags; shown as a reference. */
  deepchecksFeature: 0.2,
  /** Jensen–Shannon distance of the class prior at which the label drifts (one route; the class rates below are the other). */
  label: 0.15,
  /**
   * Label drift by class rate: a class's rate drifts when its Wilson intervals
   * (at `labelRateConfidence`) do not overlap and it moves by this ratio
   * (larger rate ÷ smaller), or by `labelCohensH`. A rare class that doubles
   * keeps the Jensen–Shannon distance small; its ratio does not.
   */
  labelRateRatio: 1.5,
  /** Label drift by class rate: |Cohen's h| = |2·asin√p₁ − 2·asin√p₂| at which a class's rate moved (with separate intervals). */
  labelCohensH: 0.2,
  /** Confidence of the Wilson intervals that must not overlap for a class rate to drift. */
  labelRateConfidence: 0.95,
  /** A class rate is judged only when its expected count (pooled rate × labelled rows) reaches this on each side. */
  labelRateMinExpected: 5,
  /** Change in a column's missing rate (absolute, in share points) reported as drift. */
  missingRateChange: 0.05,
  /** Quantile bins of the reference for PSI (deciles). */
  psiBins: 10,
  /** Categories listed one by one; the rest fold into "other". */
  maxCategories: 50,
  /** Concept proxy: minimum labelled rows per segment and side before its label rate is compared. */
  conceptMinRows: 30,
  /** Concept proxy: absolute change in the label rate at which a segment moved. */
  conceptRateChange: 0.05,
  /** Concept proxy: segments listed, most moved first. */
  conceptTopSegments: 10,
  /** History: months at the start that form the reference window. */
  historyReferenceMonths: 3,
  /** History: a month needs this many rows to be compared. */
  historyMinMonthRows: 30,
  /** History: share of compared months over `psiMajor` at which the column's drift is major rather than minor. */
  historyMajorMonthShare: 0.25,
} as const;

export type DriftThresholds = { readonly [K in keyof typeof DRIFT_THRESHOLDS]: number };

/** Where each drift default comes from. */
export const DRIFT_THRESHOLD_SOURCES: Record<keyof DriftThresholds, string> = {
  wasserstein:
    'Evidently data drift preset: normalised Wasserstein threshold 0.1 for numeric columns with > 1,000 reference rows.',
  jensenShannon:
    'Evidently data drift preset: Jensen–Shannon threshold 0.1 for categorical columns with > 1,000 reference rows.',
  pValue:
    'Evidently: KS (numeric) and chi-square (categorical) at p < 0.05 for samples of ≤ 1,000 reference rows.',
  psiModerate:
    'PSI practice (Siddiqi 2006, Credit Risk Scorecards; Yurdakul 2018): 0.1–0.25 is a moderate shift.',
  psiMajor: 'PSI practice (Siddiqi 2006; Yurdakul 2018): ≥ 0.25 is a major shift.',
  testsMaxReferenceRows:
    'Evidently chooses tests up to 1,000 reference rows and distances above (its issues #50 and #69: with a million rows every p-value is tiny).',
  minSampleSize: "Deepchecks' min_samples idea; n ≥ 30 as elsewhere in the audit (team default).",
  datasetDriftShare: 'Evidently: the dataset drifts when ≥ 50 % of its columns drift.',
  deepchecksFeature: 'Deepchecks FeatureDrift: 0.2 per feature (PSI or Earth Mover’s distance).',
  label: 'Deepchecks LabelDrift: 0.15.',
  labelRateRatio:
    'Rate ratio scale of epidemiology (Monson 1990, Occupational Epidemiology, 2nd ed.): 1.2–1.5 is a weak association, 1.5–3.0 moderate; a class rate that moves by a factor of 1.5 is a moderate change.',
  labelCohensH:
    "Cohen 1988, Statistical Power Analysis for the Behavioral Sciences, §6.2: h = 0.2 is a small effect, 0.5 medium; the smallest effect Cohen calls worth noticing (statsmodels' proportion_effectsize).",
  labelRateConfidence:
    "Wilson 1927 score interval at 95 %, statsmodels' proportion_confint(method='wilson') default alpha 0.05. Two 95 % intervals apart is a conservative test (about p < 0.006 for equal widths), which keeps false alarms low when every class of a multiclass label is judged.",
  labelRateMinExpected:
    'Cochran 1954 (Biometrics 10:417–451): expected counts of at least 5 per cell for the normal and chi-square approximations; below it a class is too rare to judge.',
  missingRateChange: 'Team default: five share points of newly missing (or newly filled) values.',
  psiBins: 'Common PSI practice: ten bins on reference deciles.',
  maxCategories: 'Team default, as the profile’s categorical limit (ydata-profiling uses 50).',
  conceptMinRows: 'Common practice (n ≥ 30), as `minGroupRows` in the readiness checks.',
  conceptRateChange: 'Team default, as `labelRateDiffMajor` in the readiness checks.',
  conceptTopSegments: 'Team default.',
  historyReferenceMonths: 'Team default: the first quarter of the history is the reference window.',
  historyMinMonthRows: 'Common practice (n ≥ 30).',
  historyMajorMonthShare: 'Team default.',
};

/** The drift defaults with some entries replaced (per-audit overrides). */
export function resolveDriftThresholds(overrides: Partial<DriftThresholds> = {}): DriftThresholds {
  return { ...DRIFT_THRESHOLDS, ...overrides };
}

/**
 * Every threshold used by profile alerts and readiness checks, in one place.
 * The UI, the reports and the README read them from here. Each has its source.
 */
export const THRESHOLDS = {
  // Profile alerts (in the spirit of ydata-profiling's defaults)
  /** Share of missing values above which a column is flagged (ydata-profiling: 0.2 for "MISSING"). */
  highMissingShare: 0.2,
  /** Distinct share above which a text column looks like an ID (ydata-profiling "UNIQUE"/"HIGH_CARDINALITY"). */
  highCardinalityShare: 0.5,
  /** Absolute skewness above which a numeric column is flagged (ydata-profiling: 20 is lenient; we use 2, a common textbook cut). */
  highSkewness: 2,
  /** Share of zeros above which a numeric column is flagged (ydata-profiling "ZEROS": 0.1). */
  zerosShare: 0.1,
  /** Top value's share above which a column is "imbalanced" (ydata-profiling "IMBALANCE" uses entropy; we use share). */
  dominantValueShare: 0.95,
  /** |Pearson| or Cramér's V above which two columns are "highly correlated" (ydata-profiling: 0.9). */
  highCorrelation: 0.9,
  /**
   * Pairs seen together on fewer rows are not alerted on: a mostly-empty column
   * is "perfectly associated" with anything over a dozen rows (team default).
   */
  associationMinRows: 50,
  /** A numeric value counts as a sentinel when it is a known code and sits beyond this many IQRs outside the quartiles. */
  sentinelIqrMultiplier: 3,
  /** Share of values matching a PII pattern for the column to be flagged. */
  piiShare: 0.05,
  /** Share of text values that parse as numbers or dates for "stored as text" alerts. */
  typedAsTextShare: 0.9,
  /** Share of timestamps at exactly 00:00:00 for "date-only timestamp" alerts. */
  midnightShare: 0.9,
  /** Rows above which heavy statistics run on a uniform sample. Measured: see README "Profiling huge tables". */
  sampleAboveRows: 2_000_000,
  /** Sample size for heavy statistics on huge tables. */
  sampleRows: 500_000,
  /** Distinct counts are exact up to this many rows, approximate (HyperLogLog) above. */
  exactDistinctMaxRows: 2_000_000,
  /**
   * Above this many rows, duplicate rows are found by row hash rather than by grouping
   * on every column, which copies the table and ran out of wasm memory at 10M × 20 (measured).
   */
  exactDuplicatesMaxRows: 2_000_000,
  /** Columns compared pairwise for correlations (the strongest are kept). */
  maxCorrelationColumns: 30,
  /** Categorical columns with at most this many distinct values enter Cramér's V. */
  cramersMaxDistinct: 30,
  /** Top values listed per column. */
  topK: 10,
  /** Histogram bins. */
  histogramBins: 20,

  // Profile definitions and limits added with the SQL profile (issue #3)
  /** Quantile levels reported per numeric column (linear interpolation, like NumPy's default). */
  quantileLevels: [0.01, 0.05, 0.25, 0.5, 0.75, 0.95, 0.99],
  /** Tukey's fences: values beyond this many IQRs outside the quartiles are `iqrOutliers` (Tukey 1977). */
  iqrOutlierMultiplier: 1.5,
  /** Numeric codes that often stand for "unknown"; flagged only beyond `sentinelIqrMultiplier` IQRs. */
  sentinelValues: [-1, -9, -99, -999, -9999, 999, 9999, 99999, 999999],
  /** Placeholder dates written by systems for "unknown" (Unix epoch, Excel/SQL Server/Oracle epochs, "end of time"). */
  defaultDates: [
    '1900-01-01',
    '1899-12-30',
    '1899-12-31',
    '1970-01-01',
    '1753-01-01',
    '0001-01-01',
    '9999-12-31',
    '2099-12-31',
  ],
  /** Text values that mean "missing" (compared trimmed and case-insensitively); whitespace-only values count too. */
  missingTokens: ['', 'na', 'n/a', 'null', 'none', '-', '?', 'nan'],
  /** A text column with at most this many distinct values is `categorical`, otherwise `text` (ydata-profiling uses 50 for "categorical" in its type inference). */
  categoricalMaxDistinct: 50,
  /** …or when its distinct values are at most this share of its non-missing values (254 airport codes in 3M flights). Team default. */
  categoricalMaxDistinctShare: 0.05,
  /** Case/whitespace/punctuation variants are searched only in text columns with at most this many distinct values. Team default. */
  variantMaxDistinct: 1000,
  /** Variant groups listed per column. */
  variantMaxGroups: 20,
  /** Value shapes (`Aa9` patterns) listed per column. */
  topShapes: 10,
  /** A column with at most this many distinct non-missing values is constant (and flagged). */
  constantMaxDistinct: 1,
  /** Share of missing rows at which a column is "all missing". */
  allMissingShare: 1,
  /** Spelling-variant groups (case/whitespace/punctuation) above which a column is flagged. Team default: any. */
  variantGroups: 0,
  /** Share of non-null text values that look missing ("NA", "null", "   "…) above which a column is flagged. Team default. */
  missingLikeShare: 0,
  /** Share of non-null text values with leading/trailing whitespace above which a column is flagged. Team default. */
  untrimmedShare: 0,
  /** Share of rows that repeat an earlier row above which the dataset is flagged. Team default: any exact duplicate. */
  duplicateRowShare: 0,
  /** Share of non-null dates on a placeholder date (`defaultDates`) above which a column is flagged. Team default: any. */
  defaultDateShare: 0,
  /** Share of non-null numeric values that are NaN or ±Infinity above which a column is flagged. */
  nonFiniteShare: 0,
  /** Spearman ranks and Cramér's V tables use at most this many rows (a uniform sample beyond): each rank is a sort, each pair a GROUP BY. Sampling error ≈ 1/√n ≈ 0.003. Measured: 10 rank sorts of 1M rows took 13–28 s in DuckDB-WASM. */
  pairwiseMaxRows: 100_000,
  /** Spearman ranks each pair with missing values over its own complete rows (exact, like SciPy on `dropna()`) while rows × such pairs stays below this; above it, each column is ranked over its own non-missing rows (approximate for those pairs). Measured: ~1 s per million stacked rows in DuckDB-WASM. */
  spearmanExactMaxCells: 2_000_000,
  /** Columns with missing values compared pairwise for missingness co-occurrence (most-missing first). */
  maxMissingCooccurrenceColumns: 30,
} as const;

type Widen<T> = T extends number
  ? number
  : T extends string
    ? string
    : T extends readonly (infer U)[]
      ? readonly Widen<U>[]
      : T;

/** The shape of `THRESHOLDS` with literal types widened, so callers can override any entry. */
export type Thresholds = { readonly [K in keyof typeof THRESHOLDS]: Widen<(typeof THRESHOLDS)[K]> };

/** The defaults with some entries replaced, e.g. a lower sampling limit in a test. */
export function resolveThresholds(overrides: Partial<Thresholds> = {}): Thresholds {
  return { ...THRESHOLDS, ...overrides };
}

// ---- Drift (issue 11) -------------------------------------------------------------------------

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
  /** Label drift score at which the label drifts (Jensen–Shannon on the class prior). */
  label: 0.15,
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
  wasserstein: 'Evidently data drift preset: normalised Wasserstein threshold 0.1 for numeric columns with > 1,000 reference rows.',
  jensenShannon: 'Evidently data drift preset: Jensen–Shannon threshold 0.1 for categorical columns with > 1,000 reference rows.',
  pValue: 'Evidently: KS (numeric) and chi-square (categorical) at p < 0.05 for samples of ≤ 1,000 reference rows.',
  psiModerate: 'PSI practice (Siddiqi 2006, Credit Risk Scorecards; Yurdakul 2018): 0.1–0.25 is a moderate shift.',
  psiMajor: 'PSI practice (Siddiqi 2006; Yurdakul 2018): ≥ 0.25 is a major shift.',
  testsMaxReferenceRows: 'Evidently chooses tests up to 1,000 reference rows and distances above (its issues #50 and #69: with a million rows every p-value is tiny).',
  minSampleSize: "Deepchecks' min_samples idea; n ≥ 30 as elsewhere in the audit (team default).",
  datasetDriftShare: 'Evidently: the dataset drifts when ≥ 50 % of its columns drift.',
  deepchecksFeature: 'Deepchecks FeatureDrift: 0.2 per feature (PSI or Earth Mover’s distance).',
  label: 'Deepchecks LabelDrift: 0.15.',
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

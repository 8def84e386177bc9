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
  /** Columns compared pairwise for correlations (the strongest are kept). */
  maxCorrelationColumns: 30,
  /** Categorical columns with at most this many distinct values enter Cramér's V. */
  cramersMaxDistinct: 30,
  /** Top values listed per column. */
  topK: 10,
  /** Histogram bins. */
  histogramBins: 20,
} as const;

export type Thresholds = typeof THRESHOLDS;

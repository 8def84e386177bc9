/** Profile alert thresholds and the lists the profile and the checks share (placeholder dates, missing-like tokens). */

/** Placeholder dates that systems write when the real date is unknown. */
export const SENTINEL_DATES: readonly string[] = [
  '0001-01-01',
  '1753-01-01', // SQL Server datetime minimum
  '1899-12-30', // Excel / OLE automation day zero
  '1899-12-31',
  '1900-01-01', // Excel day one, common default
  '1970-01-01', // Unix epoch
  '2038-01-19', // 32-bit Unix time maximum
  '2099-12-31',
  '2999-12-31',
  '3000-01-01',
  '9999-01-01',
  '9999-12-31', // "open-ended" validity
];

/** Label or value texts that mean "unknown"; compared lower-cased and trimmed. */
export const MISSING_TOKENS: readonly string[] = [
  '',
  'na',
  'n/a',
  'nan',
  'null',
  'none',
  'nil',
  '-',
  '--',
  '?',
  '.',
  '#n/a',
  'missing',
];

/** Spellings folded together when comparing labels (after lower-casing and trimming). */
export const LABEL_SYNONYMS: Readonly<Record<string, readonly string[]>> = {
  yes: ['y', 'yes', 'true', 't'],
  no: ['n', 'no', 'false', 'f'],
};

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
  /**
   * Cramér's V is not judged ("too few values to judge") when its table has
   * fewer rows than this per combination of values, rows in common / (levels of
   * one × levels of the other): on near-empty cells χ², and V with it, means
   * nothing, and a column of 12 unique values is "perfectly associated" with
   * every other (Cochran 1954).
   */
  associationMinRowsPerCell: 5,
  /** A numeric value counts as a sentinel when it is a known code and sits beyond this many IQRs outside the quartiles. */
  sentinelIqrMultiplier: 3,
  /** Share of values matching a PII pattern for the column to be flagged. */
  piiShare: 0.05,
  /**
   * Share of a text column's values shaped like a person's name (two capitalised
   * words, `Aa Aa`) or a postal address (`9 Aa Aa`) for it to count as personal
   * data (issue 18). Higher than `piiShare`: a shape is weaker evidence than an
   * e-mail pattern, and titles or places also come as two capitalised words.
   */
  personalNameShare: 0.5,
  /**
   * Distinct values over non-missing values above which name- or address-shaped
   * values count as personal: people's names mostly differ, while a region or a
   * product line ("New England") repeats.
   */
  personalNameDistinctShare: 0.5,
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
  /** Placeholder dates written by systems for "unknown": the one list, `SENTINEL_DATES`. */
  defaultDates: SENTINEL_DATES,
  /** Text values that mean "missing" (compared trimmed and case-insensitively): the one list, `MISSING_TOKENS`. */
  missingTokens: MISSING_TOKENS,
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

/** Where each profile threshold comes from, for the UI's "why?" and the report's appendix. */
export const PROFILE_THRESHOLD_SOURCES: Record<keyof Thresholds, string> = {
  highMissingShare: 'ydata-profiling MISSING alert (20 %).',
  highCardinalityShare: 'ydata-profiling UNIQUE / HIGH_CARDINALITY alerts.',
  highSkewness: 'Common textbook cut (|skewness| > 2); ydata-profiling uses a lenient 20.',
  zerosShare: 'ydata-profiling ZEROS alert (10 %).',
  dominantValueShare: 'After ydata-profiling IMBALANCE (we use the top value share).',
  highCorrelation: 'ydata-profiling HIGH_CORRELATION (0.9).',
  associationMinRows: 'Team default (a near-empty column is "associated" with anything over a dozen rows).',
  associationMinRowsPerCell:
    'Cochran 1954, "Some methods for strengthening the common χ² tests", Biometrics 10:417–451: expected counts of about 5 per cell for the χ² approximation.',
  sentinelIqrMultiplier: 'Tukey 1977, Exploratory Data Analysis: the "far out" fence at 3 IQR.',
  piiShare: 'Team default.',
  personalNameShare:
    'Team default (issue 18): a majority of values shaped like a name; a shape is weaker evidence than an e-mail pattern.',
  personalNameDistinctShare:
    'Team default (issue 18): names and addresses are mostly distinct, categories such as regions repeat.',
  typedAsTextShare: 'Team default.',
  midnightShare: 'Team default.',
  sampleAboveRows: 'Measured: README "Profiling huge tables".',
  sampleRows: 'Measured: README "Profiling huge tables".',
  exactDistinctMaxRows:
    'Measured: exact distinct counts above 2M rows cost more than HyperLogLog error is worth.',
  exactDuplicatesMaxRows: 'Measured: grouping on every column ran out of wasm memory at 10M × 20.',
  maxCorrelationColumns: 'Team default (pairwise cost grows with the square).',
  cramersMaxDistinct: 'Team default.',
  topK: 'Team default.',
  histogramBins: 'Team default.',
  quantileLevels: 'Common reporting levels; linear interpolation as NumPy and pandas.',
  iqrOutlierMultiplier: 'Tukey 1977, Exploratory Data Analysis: inner fences at 1.5 IQR.',
  sentinelValues: 'Common "unknown" codes in survey and legacy systems.',
  defaultDates: 'System epochs and "end of time" dates (Unix, Excel, SQL Server, 32-bit time, 9999-12-31).',
  missingTokens: 'Common spellings of missing values (pandas na_values, R NA, spreadsheet exports).',
  categoricalMaxDistinct: 'ydata-profiling type inference (50 distinct values for categorical).',
  categoricalMaxDistinctShare: 'Team default (254 airport codes in 3M flights are categorical).',
  variantMaxDistinct: 'Team default.',
  variantMaxGroups: 'Team default.',
  topShapes: 'Team default.',
  constantMaxDistinct: 'ydata-profiling CONSTANT alert.',
  allMissingShare: 'Definition (every row missing).',
  variantGroups: 'Team default: any spelling-variant group.',
  missingLikeShare: 'Team default: any missing-like token.',
  untrimmedShare: 'Team default: any untrimmed value.',
  duplicateRowShare: 'Team default: any exact duplicate row.',
  defaultDateShare: 'Team default: any placeholder date.',
  nonFiniteShare: 'Team default: any NaN or infinity.',
  pairwiseMaxRows: 'Measured: 10 rank sorts of 1M rows took 13–28 s in DuckDB-WASM; sampling error ≈ 1/√n.',
  spearmanExactMaxCells: 'Measured: about 1 s per million stacked rows in DuckDB-WASM.',
  maxMissingCooccurrenceColumns: 'Team default (pairwise cost grows with the square).',
};

/** The defaults with some entries replaced, e.g. a lower sampling limit in a test. */
export function resolveThresholds(overrides: Partial<Thresholds> = {}): Thresholds {
  return { ...THRESHOLDS, ...overrides };
}

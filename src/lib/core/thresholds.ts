/**
 * Every threshold and shared list used by the profile alerts and the readiness
 * checks, in one module. The UI, the reports and the README read them from
 * here, and each default names its source: `PROFILE_THRESHOLD_SOURCES`,
 * `THRESHOLD_SOURCES` (readiness) and the drift and plan records.
 *
 * "Team default" marks a value chosen by us from common practice rather than
 * taken from a publication; change it here and every check follows.
 */

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

// ---- Readiness checks ---------------------------------------------------------------------------

/**
 * Default thresholds of the readiness audit, in one place. The checks, the UI
 * and the reports read them from here; `THRESHOLD_SOURCES` says where each one
 * comes from, so the closing note and the report can cite it.
 *
 * "Team default" marks a value chosen by us from common practice rather than
 * taken from a publication; change it here and every check follows.
 */
export const READINESS_THRESHOLDS = {
  // ---- Volume ------------------------------------------------------------
  /** Seed guidance shown as a reference point, never a rule: "a straightforward binary classification on tabular data might train adequately with about 10,000 records". */
  seedGuidanceRows: 10_000,
  /**
   * Labelled rows below which any model is a blocker, whatever the task: too
   * few to both fit and honestly evaluate a model. scikit-learn's "Choosing the
   * right estimator" map starts with "> 50 samples? no → get more data";
   * Varoquaux 2018 (NeuroImage 180:68) shows cross-validation error bars of
   * ±10 points even at 100 samples. Rows per feature is not judged below it.
   */
  labelledRowsFloor: 50,
  /**
   * Binary events per variable (minority rows ÷ candidate features) below which
   * the finding is minor, a caution: Peduzzi et al. 1996 (J Clin Epidemiol
   * 49:1373)'s rule of 10 comes from unpenalised logistic regression, and van
   * Smeden et al. 2016 (BMC Med Res Methodol 16:163) find no strong rationale
   * for it; regularised and tree models are not bound by it.
   */
  epvMinor: 10,
  /**
   * Binary events per variable below which the finding is major, never a
   * blocker on its own: Vittinghoff & McCulloch 2007 (Am J Epidemiol 165:710),
   * "Relaxing the rule of ten": problems became frequent below 5 EPV.
   */
  epvMajor: 5,
  /**
   * Multiclass: smallest-class rows per candidate feature below which the
   * finding is minor (never more). Pate et al. 2023 (Stat Methods Med Res
   * 32:555): the rows a multinomial model needs depend on how well each pair
   * of classes separates (the one-to-one sub-models' R²), which a count cannot
   * know; the smallest class per feature is only a caution.
   */
  multiclassEpvMinor: 5,
  /**
   * Multiclass: smallest-class rows per candidate feature below which the
   * finding is major: fewer rows of that class than features, so its own
   * one-to-one sub-model has more parameters than examples and can fit them
   * perfectly by chance. Team default, after Pate et al. 2023's sub-model view.
   */
  multiclassEpvMajor: 1,
  /** EPV that flexible ML learners needed for stable performance; shown as a reference. van der Ploeg, Austin & Steyerberg 2014 (BMC Med Res Methodol 14:137). */
  epvMlReference: 200,
  /** Rows per candidate variable for regression targets below which a finding is major. Harrell, Regression Modeling Strategies (2015), the "m/15" rule. */
  subjectsPerVariableMajor: 15,
  /**
   * Rows per candidate variable for regression targets below which the finding
   * is a blocker. Riley et al. 2019 (Stat Med 38:1262), criterion (i), n =
   * p ÷ ((S − 1) ln(1 − R²/S)): with 5 rows per predictor the expected
   * shrinkage stays at 0.9 only if the model will explain ≥ 78 % of the
   * variance (R² ≥ 0.78), which a readiness audit cannot assume.
   */
  subjectsPerVariableBlocker: 5,
  /** Minority-class share below which the class balance is reported as a minor finding (plan stratified splits, PR-AUC). Team default; cf. He & Garcia 2009 (IEEE TKDE) on imbalance. */
  minorityShareMinor: 0.05,

  // ---- Labels ------------------------------------------------------------
  /** Share of rows without a usable label above which "missing labels" is major. Mirrors ydata-profiling's 20 % "MISSING" alert. */
  labelMissingMajor: 0.2,
  /** Share of labelled rows in a non-dominant spelling above which label variants are major (below: minor). Team default. */
  labelVariantMajor: 0.001,
  /** Share of labelled rows inside conflicting groups above which conflicts are major (below: minor). Team default; Frénay & Verleysen 2014 (IEEE TNNLS) show a few percent label noise already degrades classifiers. */
  conflictShareMajor: 0.005,
  /** Significance level for chi-square homogeneity tests (label rate by source, class balance over time). Team default: strict, because many tests run per audit. */
  chiSquareAlpha: 0.001,
  /** |Adjusted standardized residual| at which a cell deviates. Agresti, Categorical Data Analysis (2013), §2.4.5: values beyond 2–3 indicate lack of fit. */
  residualThreshold: 3,
  /** Minimum absolute difference in a class's share before a significant deviation is reported as major (practical significance). Team default. */
  labelRateDiffMajor: 0.05,
  /** Minimum rows in a group (source, month, quarter, segment) before its rate is judged. Common practice (n ≥ 30). */
  minGroupRows: 30,
  /** Recent months whose positive rate falls below this fraction of the overall rate suggest immature labels. Team default. */
  immatureLabelRatio: 0.5,

  // ---- Timestamps --------------------------------------------------------
  /**
   * Early dates are judged against the column's own distribution, never a fixed
   * year: a date is implausibly early when it lies below Q1 − k × IQR of the
   * column's days (Tukey's far-out fence, k = 3; Tukey 1977) **and** a gap of at
   * least `earlyDateMinGapDays` (and at least one IQR) separates it from the
   * bulk. A continuous long history is never cut.
   */
  earlyDateFenceIqr: 3,
  /** Smallest gap, in days, that isolates early dates from the bulk of the data. Team default: one year. */
  earlyDateMinGapDays: 365,
  /** Share of a time column's values on 1 January (or on the 1st of a month) above which the column is year- (month-) granular. Team default. */
  granularityShare: 0.99,
  /** A column given a time role is refused when fewer of its non-null values than this share can be read as time. Team default. */
  timeRoleMinReadShare: 0.5,
  /** Share of rows with future / sentinel dates above which the finding is major (below: minor). Team default. */
  dateProblemShareMajor: 0.01,
  /** A single day holding this many times the median rows per day (and ≥ 1 % of rows) is a default-date spike. Team default. */
  daySpikeFactor: 20,
  /** Share of timestamps at exactly 00:00:00 above which a column is treated as date-only (info). Same as the profile's `midnightShare` (core/thresholds). */
  midnightDateOnlyShare: THRESHOLDS.midnightShare as number,
  /** Share at exactly 00:00:00 above which mixed precision is flagged (minor); by chance it would be ≈ 1/86,400. Team default. */
  midnightMixedShare: 0.01,
  /** One clock hour holding at least this share of timestamps is a spike. Team default (uniform over 24 h would be 4 %). */
  hourSpikeShare: 0.25,
  /** Share of outcome-before-event rows above which the finding is major (below: minor). Team default. */
  outcomeBeforeEventMajor: 0.01,
  /** Share of rows in a date-like text column's second format above which mixed formats are major (below: minor). Team default. */
  mixedFormatShareMajor: 0.01,
  /** Share of values that must look like dates for a text column to be treated as dates. Same as the profile's `typedAsTextShare`. */
  dateLikeShare: THRESHOLDS.typedAsTextShare as number,

  // ---- Coverage ----------------------------------------------------------
  /** Age of the newest record (days before the as-of date) above which recency is minor: one quarter. Common practice for retraining cadence. */
  recencyMinorDays: 90,
  /** Age above which recency is major: two quarters. Common practice. */
  recencyMajorDays: 180,
  /** Windows for "share of rows in the last N days". */
  recencyWindows: [90, 180, 365] as readonly number[],
  /**
   * Recency by share: the last `recencyMinorDays` (and `recencyMajorDays`) are
   * thin when they hold fewer rows than this fraction of what the history's
   * usual rate (valid rows ÷ days from the first row to the as-of date) would
   * put there; thin recent windows make recency minor (major) however fresh the
   * newest row. Team default: the same fraction as `sparseMonthRatio`.
   */
  recencyShareRatio: 0.25,
  /** The share rule judges a window only when the usual rate would put at least this many rows in it (fewer: one row decides). Team default, as `minMedianMonthRows`. */
  recencyShareMinRows: 10,
  /** A month with fewer rows than this fraction of the median month is sparse. Team default. */
  sparseMonthRatio: 0.25,
  /** Below this median rows per month, month-level gaps are not judged (too sparse). Team default. */
  minMedianMonthRows: 10,
  /** Share of rows (by time) forming the "recent" period for new / discontinued categories: the last quarter of the rows. Team default. */
  recentRowShare: 0.25,
  /** Minimum rows for a category to count as present in one period and absent in the other. Team default. */
  minCategoryRows: 10,

  // ---- Consistency across sources ----------------------------------------
  /** Population Stability Index above which a column's distribution differs between sources. Credit-scoring practice: < 0.1 stable, 0.1–0.25 moderate, > 0.25 significant (Siddiqi 2006; Yurdakul 2018). */
  psiShift: 0.25,
  /** Absolute difference in a column's null rate between a source and the rest. Team default, in the spirit of ydata-profiling's 20 % missing alert. */
  nullRateDiff: 0.2,
  /** Median ratio between sources that signals a unit or scale difference (cents vs units, g vs kg). Team default (≈ 50×). */
  scaleRatio: 50,
  /** Minimum rows a value needs in a source to be "only in that source". Team default. */
  vocabularyMinRows: 5,
  /** Categorical columns with at most this many distinct values are compared across sources and periods. Team default. */
  maxCategories: 50,

  // ---- Leakage -----------------------------------------------------------
  /** Single-feature AUC (max of AUC, 1 − AUC; binary targets) at or above which a feature determines the label (blocker). Issue 17 §1; Kaufman et al. 2012 (ACM TKDD) on leakage detection. */
  nearPerfectAuc: 0.99,
  /** Single-feature AUC from which a feature is strong but plausible: listed in one grouped minor finding that asks when each value becomes known. Issue 17 §1. */
  strongAuc: 0.95,
  /** |Spearman ρ| (or η, regression targets) at or above which a feature determines the target (blocker). Issue 17 §1. */
  nearPerfectRho: 0.99,
  /** |Spearman ρ| (or η) from which a feature is strong but plausible (grouped minor); ID-like columns tracking the target this much are major. Schober, Boer & Schwarte 2018 (Anesth Analg 126:1763): 0.90–1.00 is a "very strong" correlation. */
  strongRho: 0.9,
  /**
   * Multiclass targets: the one-rule's (Holte 1993) error reduction over always
   * guessing the commonest class, Goodman–Kruskal λ = (correct − commonest) ÷
   * (rows − commonest), at or above which a feature determines the label
   * (blocker). The whole label is judged, never one class against the rest.
   * Issue 17 §1 (the 0.99 of the AUC rule, on the accuracy scale).
   */
  nearPerfectOneRule: 0.99,
  /** One-rule λ from which a feature is strong but plausible (grouped minor). Issue 17 §1 (0.95, as the AUC). */
  strongOneRule: 0.95,
  /** Smallest count of its majority class a one-rule interval must hold. Holte 1993 (Machine Learning 11:63), Weka OneR's default `-B 6`. */
  oneRuleMinBucket: 6,
  /**
   * A column filled in (or non-zero) "almost only in one class": among the rows
   * where it is, at least this share belong to the class, both as counted and
   * as if the classes were equally common (so a class of 99 % of the rows does
   * not qualify by its size), over at least 1 ÷ (1 − this) rows. Issue 17 §1.
   */
  determiningPrecision: 0.99,
  /** …and those rows hold at least this share of the class. Issue 17 §1. */
  determiningRecall: 0.2,
  /**
   * Regression targets with an event time: when the target and a feature both
   * have |Spearman ρ| with time at or above this, their correlation is
   * reported as a shared trend (info), not leakage. Schober, Boer & Schwarte
   * 2018: 0.90–1.00 is "very strong"; Granger & Newbold 1974 (J Econometrics
   * 2:111) on correlations between trending series.
   */
  sharedTrendRho: 0.9,
  /**
   * R² of a numeric target on one or two numeric features at or above which
   * the target is (almost) a linear function of them: derived from, or
   * deriving, the target (blocker). Team default: √(1 − R²) = 0.1, residuals a
   * tenth of the target's spread; 0.999 would miss macrodata's realint =
   * tbilrate − infl, whose placeholder first quarter (0, 0) alone holds R² at 0.9963.
   */
  derivedR2: 0.99,
  /** Fewest complete rows for the derived-target R². Common practice (n ≥ 30); below it two columns can fit a short series by chance. */
  derivedMinRows: 30,
  /** AUC of "value is filled in" at or above which presence determines the label (blocker). Team default. */
  presenceAuc: 0.95,
  /** AUC at or above which an ID-like column predicts the label (major). Team default: random IDs give 0.5 ± a few hundredths. */
  idLikeAuc: 0.65,
  /** Distinct share above which a column is ID-like. Same spirit as ydata-profiling "UNIQUE"; core/thresholds uses 0.5 for high cardinality. */
  idLikeDistinctShare: 0.9,
  /** Categorical AUC is computed only when categories average at least this many rows (guards against memorising ID-like columns). Common practice (≥ 10 per cell). */
  aucMinRowsPerCategory: 10,
  /** Share of rows in duplicated feature vectors above which split-straddling duplicates are major. Team default; Allamanis 2019 (Onward!) on duplicates inflating test scores. */
  splitDuplicateShareMajor: 0.01,
  /** Share of feature timestamps later than the prediction point above which the finding is major (below: minor). Team default. */
  afterPredictionShareMajor: 0.05,
  /** Test share assumed when estimating how many duplicate groups straddle a random split. Common practice (80/20). */
  testShare: 0.2,

  // ---- Quality and privacy (lifted from the profile) ---------------------
  /** Duplicate-row share above which the quality finding is major (below: minor). Team default. */
  duplicateShareMajor: 0.05,
  /** Share of values matching a PII pattern for a column to be flagged. Same as the profile's `piiShare`. */
  piiShare: THRESHOLDS.piiShare as number,
  /** Share of a text column that parses as numbers or dates, between these bounds, is "mixed types". Team default. */
  mixedTypeLow: 0.05,
  mixedTypeHigh: 0.95,
  /** Sentinel values above this share of a column make the finding major (below: minor). Team default. */
  sentinelShareMajor: 0.01,

  // ---- Structure (issue 17 §4) -------------------------------------------
  /**
   * Identical rows (or identical feature vectors with different labels) count as
   * more than chance only when at least this many times as many pairs match as
   * independent columns would give (expected pairs = C(n,2)·Π_f P(two rows match
   * on f)). Team default: below it, coarse values explain at least a third of the
   * matches.
   */
  chanceMatchRatio: 3,
  /** Duplicate groups a split is expected to cut in two below which split duplicates stay minor whatever their share. Team default: a handful of copies across the split moves a test score by less than its own noise. */
  splitDuplicateMinStraddling: 10,
  /** Fewest entities for a column to be read as a grouping (repeated entity). After scikit-learn's GroupKFold, which needs at least n_splits groups: ten gives two per fold of its default five. */
  groupMinEntities: 10,
  /** Share of rows whose whole feature vector repeats (beyond chance) at which the rows are read as the same entities observed several times without an ID. Team default: most rows. */
  repeatedVectorShare: 0.5,
  /** …provided fewer than this share of the pairs with one feature vector also share the target (otherwise they are copies). Team default. */
  repeatedVectorSameTarget: 0.5,
  /** A run of consecutive integers inside these years (1950..2010 in a yearly series) is read as time, not as an ID, unless named like an ID. Team default: four-digit calendar years. */
  idLikeYearRange: [1500, 2100] as readonly [number, number],

  // ---- Role suggestions (issue 17) ---------------------------------------
  /** Most distinct values a column may hold to be suggested as a classification target (2 to this many). Team default from issue 17: beyond about 20 classes a label is rarely one a client states up front, and a name such as “grade” is more often a feature. */
  targetMaxClasses: 20,
};

export type ReadinessThresholds = typeof READINESS_THRESHOLDS;

/** Where each threshold comes from, for the UI's "why?" and the report's appendix. */
export const THRESHOLD_SOURCES: Record<keyof ReadinessThresholds, string> = {
  seedGuidanceRows:
    'Seed guidance for a straightforward binary classification on tabular data; a reference point, not a rule.',
  labelledRowsFloor:
    'scikit-learn, "Choosing the right estimator" (ml_map): fewer than 50 samples → get more data; Varoquaux 2018, NeuroImage 180:68 (cross-validation error bars of ±10 points at n = 100).',
  epvMinor:
    'Peduzzi et al. 1996, J Clin Epidemiol 49:1373 (10 events per variable, unpenalised logistic regression); a caution only: van Smeden et al. 2016, BMC Med Res Methodol 16:163; Riley et al. 2020, BMJ 368:m441.',
  epvMajor:
    'Vittinghoff & McCulloch 2007, Am J Epidemiol 165:710 ("Relaxing the rule of ten": problems frequent below 5 EPV). Major at most: never a blocker on its own.',
  multiclassEpvMinor:
    'Pate et al. 2023, Stat Methods Med Res 32:555 (multinomial sample size depends on the separability of each pair of classes); a minor caution below 5 smallest-class rows per feature.',
  multiclassEpvMajor:
    'Team default: fewer rows of the smallest class than candidate features, so the one-to-one sub-model for that class (Pate et al. 2023, Stat Methods Med Res 32:555) has more parameters than examples.',
  epvMlReference:
    'van der Ploeg, Austin & Steyerberg 2014, BMC Med Res Methodol 14:137 (modern ML needed > 200 EPV).',
  subjectsPerVariableMajor: 'Harrell, Regression Modeling Strategies, 2nd ed. 2015 (m/15 rule of thumb).',
  subjectsPerVariableBlocker:
    'Riley et al. 2019, Stat Med 38:1262, criterion (i): at 5 rows per predictor, shrinkage ≥ 0.9 needs R² ≥ 0.78. (Austin & Steyerberg 2015, J Clin Epidemiol 68:627: 2 rows per variable suffice for the coefficients alone, not for a prediction that holds.)',
  minorityShareMinor: 'Team default; imbalance literature (He & Garcia 2009, IEEE TKDE).',
  labelMissingMajor: 'ydata-profiling MISSING alert (20 %).',
  labelVariantMajor: 'Team default.',
  conflictShareMajor: 'Team default; Frénay & Verleysen 2014, IEEE TNNLS 25:845 (label noise).',
  chiSquareAlpha: 'Team default (strict α for many tests).',
  residualThreshold:
    'Agresti, Categorical Data Analysis, 3rd ed. 2013, §2.4.5 (adjusted residuals beyond 2–3).',
  labelRateDiffMajor: 'Team default (practical significance: 5 percentage points).',
  minGroupRows: 'Common practice (n ≥ 30 per group).',
  immatureLabelRatio: 'Team default.',
  earlyDateFenceIqr: 'Tukey 1977, Exploratory Data Analysis: the "far out" fence at 3 IQR.',
  earlyDateMinGapDays: 'Team default (one year).',
  granularityShare: 'Team default.',
  timeRoleMinReadShare: 'Team default.',
  dateProblemShareMajor: 'Team default.',
  daySpikeFactor: 'Team default.',
  midnightDateOnlyShare: 'Same as the profile threshold midnightShare.',
  midnightMixedShare: 'Team default (chance level is 1/86,400).',
  hourSpikeShare: 'Team default (uniform over 24 hours is ≈ 4 %).',
  outcomeBeforeEventMajor: 'Team default.',
  mixedFormatShareMajor: 'Team default.',
  dateLikeShare: 'Same as the profile threshold typedAsTextShare.',
  recencyMinorDays: 'Common practice (one quarter).',
  recencyMajorDays: 'Common practice (two quarters).',
  recencyWindows: 'Issue 4: share of rows in the last 90/180/365 days.',
  recencyShareRatio:
    'Team default (issue 17: recency by share, not by the newest row); the same fraction as sparseMonthRatio.',
  recencyShareMinRows:
    'Team default: below 10 expected rows the window is decided by a row or two (as minMedianMonthRows).',
  sparseMonthRatio: 'Team default.',
  minMedianMonthRows: 'Team default.',
  recentRowShare: 'Team default (last quarter of the rows by time).',
  minCategoryRows: 'Team default.',
  psiShift: 'Credit-scoring practice: PSI > 0.25 is a significant shift (Siddiqi 2006; Yurdakul 2018).',
  nullRateDiff: 'Team default, after ydata-profiling MISSING (20 %).',
  scaleRatio: 'Team default (≈ 50× median ratio).',
  vocabularyMinRows: 'Team default.',
  maxCategories: 'Team default.',
  nearPerfectAuc:
    'Issue 17 §1 (a feature that determines the label); Kaufman et al. 2012, ACM TKDD 6(4) on leakage.',
  strongAuc: 'Issue 17 §1 (strong but plausible: one grouped minor finding).',
  nearPerfectRho: 'Issue 17 §1 (a feature that determines the target).',
  strongRho:
    'Schober, Boer & Schwarte 2018, Anesth Analg 126:1763 (|r| 0.90–1.00 is a very strong correlation).',
  nearPerfectOneRule:
    'Issue 17 §1 (0.99, on the scale of one-rule accuracy); Goodman & Kruskal 1954, JASA 49:732 (λ).',
  strongOneRule: 'Issue 17 §1 (0.95, as the AUC).',
  oneRuleMinBucket: 'Holte 1993, Machine Learning 11:63 (1R); Weka OneR default -B 6.',
  determiningPrecision: 'Issue 17 §1 (precision ≥ 0.99).',
  determiningRecall: 'Issue 17 §1 (recall ≥ 0.2).',
  sharedTrendRho:
    'Schober, Boer & Schwarte 2018 (very strong |ρ| ≥ 0.9); Granger & Newbold 1974, J Econometrics 2:111 (spurious correlation of trending series).',
  derivedR2:
    'Team default: residual spread a tenth of the target’s; 0.999 would miss macrodata’s realint = tbilrate − infl (one placeholder row).',
  derivedMinRows: 'Common practice (n ≥ 30).',
  presenceAuc: 'Team default.',
  idLikeAuc: 'Team default (random IDs give AUC ≈ 0.5).',
  idLikeDistinctShare: 'After ydata-profiling UNIQUE / HIGH_CARDINALITY.',
  aucMinRowsPerCategory: 'Common practice (≥ 10 rows per cell).',
  splitDuplicateShareMajor: 'Team default; Allamanis 2019, Onward! (duplicates inflate test scores).',
  afterPredictionShareMajor: 'Team default.',
  testShare: 'Common practice (80/20 split).',
  duplicateShareMajor: 'Team default.',
  piiShare: 'Same as the profile threshold piiShare.',
  mixedTypeLow: 'Team default.',
  mixedTypeHigh: 'Team default.',
  sentinelShareMajor: 'Team default.',
  chanceMatchRatio:
    'Team default: observed matching pairs at least 3× those expected under independence (expected pairs from Simpson’s index per column, Simpson 1949, Nature 163:688).',
  splitDuplicateMinStraddling: 'Team default (fewer copies across the split than a test score’s own noise).',
  groupMinEntities:
    'After scikit-learn GroupKFold (needs at least n_splits groups; 10 = two per fold of the default 5).',
  repeatedVectorShare: 'Team default (most rows repeat their whole feature vector).',
  repeatedVectorSameTarget: 'Team default (most pairs with one feature vector differ in the target).',
  idLikeYearRange: 'Team default: four-digit calendar years (1500–2100) are time, not IDs.',
  targetMaxClasses:
    'Team default (issue 17): 2–20 classes. The task itself follows scikit-learn’s type_of_target: two values binary, more whole-number or text values multiclass, non-integral numbers continuous.',
};

/** Defaults merged with per-audit overrides. */
export function resolveReadinessThresholds(
  overrides: Partial<ReadinessThresholds> = {},
): ReadinessThresholds {
  return { ...READINESS_THRESHOLDS, ...overrides };
}

// ---- Success-metric plan (issue 10) ------------------------------------------------------------

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

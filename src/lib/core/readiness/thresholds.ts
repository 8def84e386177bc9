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
  /** Events per variable below which a finding is major. Peduzzi et al. 1996 (J Clin Epidemiol 49:1373); discussed by Riley et al. 2019/2020 (Stat Med; BMJ 368:m441). */
  epvMajor: 10,
  /** Events per variable below which a finding is a blocker. Vittinghoff & McCulloch 2007 (Am J Epidemiol 165:710): problems become frequent below 5. */
  epvBlocker: 5,
  /** EPV that flexible ML learners needed for stable performance; shown as a reference. van der Ploeg, Austin & Steyerberg 2014 (BMC Med Res Methodol 14:137). */
  epvMlReference: 200,
  /** Rows per candidate variable for regression targets below which a finding is major. Harrell, Regression Modeling Strategies (2015), the "m/15" rule. */
  subjectsPerVariableMajor: 15,
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
  /** Earliest plausible date; earlier values are flagged. Team default (ISO date), editable per audit. */
  plausibleStart: '1990-01-01',
  /** Share of rows with future / sentinel dates above which the finding is major (below: minor). Team default. */
  dateProblemShareMajor: 0.01,
  /** A single day holding this many times the median rows per day (and ≥ 1 % of rows) is a default-date spike. Team default. */
  daySpikeFactor: 20,
  /** Share of timestamps at exactly 00:00:00 above which a column is treated as date-only (info). Same as the profile's `midnightShare` (core/thresholds). */
  midnightDateOnlyShare: 0.9,
  /** Share at exactly 00:00:00 above which mixed precision is flagged (minor); by chance it would be ≈ 1/86,400. Team default. */
  midnightMixedShare: 0.01,
  /** One clock hour holding at least this share of timestamps is a spike. Team default (uniform over 24 h would be 4 %). */
  hourSpikeShare: 0.25,
  /** Share of outcome-before-event rows above which the finding is major (below: minor). Team default. */
  outcomeBeforeEventMajor: 0.01,
  /** Share of rows in a date-like text column's second format above which mixed formats are major (below: minor). Team default. */
  mixedFormatShareMajor: 0.01,
  /** Share of values that must look like dates for a text column to be treated as dates. Same as the profile's `typedAsTextShare`. */
  dateLikeShare: 0.9,

  // ---- Coverage ----------------------------------------------------------
  /** Age of the newest record (days before the as-of date) above which recency is minor: one quarter. Common practice for retraining cadence. */
  recencyMinorDays: 90,
  /** Age above which recency is major: two quarters. Common practice. */
  recencyMajorDays: 180,
  /** Windows for "share of rows in the last N days". */
  recencyWindows: [90, 180, 365] as readonly number[],
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
  /** Single-feature AUC (max of AUC, 1 − AUC) at or above which a feature is a near-perfect predictor (major). Team default; Kaufman et al. 2012 (ACM TKDD) on leakage detection. */
  nearPerfectAuc: 0.95,
  /** |Spearman ρ| (regression targets) at or above which a feature is a near-perfect predictor. Team default. */
  nearPerfectRho: 0.9,
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
  piiShare: 0.05,
  /** Share of a text column that parses as numbers or dates, between these bounds, is "mixed types". Team default. */
  mixedTypeLow: 0.05,
  mixedTypeHigh: 0.95,
  /** Sentinel values above this share of a column make the finding major (below: minor). Team default. */
  sentinelShareMajor: 0.01,
};

export type ReadinessThresholds = typeof READINESS_THRESHOLDS;

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
export const MISSING_LABEL_TOKENS: readonly string[] = [
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

/** Where each threshold comes from, for the UI's "why?" and the report's appendix. */
export const THRESHOLD_SOURCES: Record<keyof ReadinessThresholds, string> = {
  seedGuidanceRows:
    'Seed guidance for a straightforward binary classification on tabular data; a reference point, not a rule.',
  epvMajor:
    'Peduzzi et al. 1996, J Clin Epidemiol 49:1373 (10 events per variable); see Riley et al. 2020, BMJ 368:m441.',
  epvBlocker: 'Vittinghoff & McCulloch 2007, Am J Epidemiol 165:710 (problems frequent below 5 EPV).',
  epvMlReference:
    'van der Ploeg, Austin & Steyerberg 2014, BMC Med Res Methodol 14:137 (modern ML needed > 200 EPV).',
  subjectsPerVariableMajor: 'Harrell, Regression Modeling Strategies, 2nd ed. 2015 (m/15 rule of thumb).',
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
  plausibleStart: 'Team default; editable per audit.',
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
  sparseMonthRatio: 'Team default.',
  minMedianMonthRows: 'Team default.',
  recentRowShare: 'Team default (last quarter of the rows by time).',
  minCategoryRows: 'Team default.',
  psiShift: 'Credit-scoring practice: PSI > 0.25 is a significant shift (Siddiqi 2006; Yurdakul 2018).',
  nullRateDiff: 'Team default, after ydata-profiling MISSING (20 %).',
  scaleRatio: 'Team default (≈ 50× median ratio).',
  vocabularyMinRows: 'Team default.',
  maxCategories: 'Team default.',
  nearPerfectAuc: 'Team default; Kaufman et al. 2012, ACM TKDD 6(4) on leakage.',
  nearPerfectRho: 'Team default.',
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
};

/** Defaults merged with per-audit overrides. */
export function resolveThresholds(overrides: Partial<ReadinessThresholds> = {}): ReadinessThresholds {
  return { ...READINESS_THRESHOLDS, ...overrides };
}

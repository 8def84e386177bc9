import { THRESHOLDS } from './profile';

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
  /** A day spike is judged only in a history of at least this many distinct days, so a median per day means something. Team default: a month. */
  daySpikeMinDays: 30,
  /** …and only on a day holding at least this many rows, so a few rows on a quiet day are no default date. Team default. */
  daySpikeMinRows: 10,
  /** …and at least this share of all rows. Team default. */
  daySpikeMinShare: 0.01,
  /** Share of timestamps at exactly 00:00:00 above which a column is treated as date-only (info). Same as the profile's `midnightShare` (core/thresholds). */
  midnightDateOnlyShare: THRESHOLDS.midnightShare as number,
  /** Share at exactly 00:00:00 above which mixed precision is flagged (minor); by chance it would be ≈ 1/86,400. Team default. */
  midnightMixedShare: 0.01,
  /** One clock hour holding at least this share of timestamps is a spike. Team default (uniform over 24 h would be 4 %). */
  hourSpikeShare: 0.25,
  /** Fewest distinct clock hours (besides midnight) before one hour can be a spike. Team default. */
  hourSpikeMinHours: 3,
  /** Share of outcome-before-event rows above which the finding is major (below: minor). Team default. */
  outcomeBeforeEventMajor: 0.01,
  /** Share of rows in a date-like text column's second format above which mixed formats are major (below: minor). Team default. */
  mixedFormatShareMajor: 0.01,
  /** Share of values that must look like dates for a text column to be treated as dates. Same as the profile's `typedAsTextShare`. */
  dateLikeShare: THRESHOLDS.typedAsTextShare as number,
  /** A text column is categorical by the profile's rule (`isCategorical`, core/sql/types): at most this many distinct values… */
  categoricalMaxDistinct: THRESHOLDS.categoricalMaxDistinct as number,
  /** …or distinct values at most this share of its non-missing values. Same as the profile's `categoricalMaxDistinctShare`. */
  categoricalMaxDistinctShare: THRESHOLDS.categoricalMaxDistinctShare as number,

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
  /** Fewest periods (months, quarters, years) in which gaps and a reading cadence are judged; three readings make the first step that can repeat. Team default. */
  minGapPeriods: 3,
  /** Fewest years with rows for class balance to be compared year by year; fewer are compared by quarter. Team default. */
  minBalanceYears: 3,
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
  /** Fewest non-missing values for a column to be called ID-like at all. Team default: below it any short column is mostly unique. */
  idLikeMinValues: 20,
  /** Distinct share at which an integer column named like an ID (`customer_id`, `order_no`) is ID-like. Team default: all but 1 % unique. */
  idLikeNamedDistinctShare: 0.99,
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
  daySpikeMinDays: 'Team default (a month of days before a median per day is judged).',
  daySpikeMinRows: 'Team default.',
  daySpikeMinShare: 'Team default (1 % of the rows).',
  midnightDateOnlyShare: 'Same as the profile threshold midnightShare.',
  midnightMixedShare: 'Team default (chance level is 1/86,400).',
  hourSpikeShare: 'Team default (uniform over 24 hours is ≈ 4 %).',
  hourSpikeMinHours: 'Team default.',
  outcomeBeforeEventMajor: 'Team default.',
  mixedFormatShareMajor: 'Team default.',
  dateLikeShare: 'Same as the profile threshold typedAsTextShare.',
  categoricalMaxDistinct:
    'Same as the profile threshold categoricalMaxDistinct (ydata-profiling type inference, 50).',
  categoricalMaxDistinctShare: 'Same as the profile threshold categoricalMaxDistinctShare (team default).',
  recencyMinorDays: 'Common practice (one quarter).',
  recencyMajorDays: 'Common practice (two quarters).',
  recencyWindows: 'Issue 4: share of rows in the last 90/180/365 days.',
  recencyShareRatio:
    'Team default (issue 17: recency by share, not by the newest row); the same fraction as sparseMonthRatio.',
  recencyShareMinRows:
    'Team default: below 10 expected rows the window is decided by a row or two (as minMedianMonthRows).',
  sparseMonthRatio: 'Team default.',
  minMedianMonthRows: 'Team default.',
  minGapPeriods: 'Team default (three readings: the first step that can repeat).',
  minBalanceYears: 'Team default.',
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
  idLikeMinValues: 'Team default (below 20 values any column is mostly unique by chance).',
  idLikeNamedDistinctShare: 'Team default: a column named like an ID with at most 1 % repeats.',
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

/**
 * The most rows a readiness statement returns, so a result stays small
 * whatever the data. Not judgements: the checks see every group up to here.
 * The batched statements (sql/consistency-batch) cap as the standalone ones
 * (sql/readiness-consistency, sql/readiness-coverage) do, so both read alike.
 */
export const READINESS_RESULT_CAPS = {
  /** Sources per column in the null-rate and scale checks. Team default: far more than any extract has systems. */
  sourcesPerColumn: 200,
  /** Value × source spellings of the vocabulary check. Team default. */
  vocabularyRows: 5000,
  /** Categories new or gone over time, per column (coverage-categories). Team default. */
  categoryChanges: 50,
} as const;

/** When a column is suggested for a role (readiness/roles). Each is a team default. */
export const ROLE_SUGGESTION_THRESHOLDS = {
  /** Distinct share of its non-missing values from which a text or integer column reads as an ID. Team default. */
  idDistinctShare: 0.95,
  /** An ID has at least half as many distinct values as there are rows, up to this many rows (25 distinct values). Team default. */
  idDistinctRows: 50,
  idDistinctRowsShare: 0.5,
  /** Most distinct values of a source-system or segment column. Team default: a handful of systems or regions. */
  groupMaxValues: 20,
} as const;

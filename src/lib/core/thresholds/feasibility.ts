/**
 * Defaults of the feasibility step (issue 21): the baselines, their split,
 * the learning curve and the label-noise estimate. Each has its source;
 * "team default" marks a value we chose, usually for the time budget.
 */
export const FEASIBILITY_THRESHOLDS = {
  /** Inverse L2 strength of the logistic baseline (scikit-learn's `LogisticRegression` default, C = 1). */
  logisticC: 1,
  /** L2 strength of the ridge baseline (scikit-learn's `Ridge` default, alpha = 1). */
  ridgeAlpha: 1,
  /** Newton steps at most; IRLS on a ridge-penalised logistic loss converges in well under 20 (Hastie et al. 2009, §4.4.1). */
  maxNewtonSteps: 25,
  /** Converged when no coefficient moves by more than this in a Newton step (team default). */
  newtonTolerance: 1e-6,
  /** Design columns at most: the Hessian is one aggregate of p(p+1)/2 sums (issue 21: ≤ 60). */
  maxDesignColumns: 60,
  /** Levels one-hot encoded per categorical feature, the rest folded into "other" (issue 21: top 15). */
  topLevels: 15,
  /** Training rows fitted at most (team default: the time budget; an AUC's standard error at 50,000 rows is below 0.005). */
  maxTrainRows: 50_000,
  /** Held-out rows scored at most (team default: the time budget; DeLong's interval at 20,000 rows is about ±0.01). */
  maxTestRows: 20_000,
  /** Held-out share when no metric plan sets one (the metric plan's own default). */
  holdoutShare: 0.2,
  /** Folds of the out-of-fold predictions behind the label-noise estimate (Northcutt et al. 2021 use 5-fold cross-validation). */
  folds: 5,
  /** Shares of the training side the learning curve trains on (issue 21). */
  curveShares: [0.1, 0.2, 0.4, 0.7, 1] as readonly number[],
  /** Replicates of the Poisson bootstraps (PR-AUC, noise): a percentile interval's ends settle by 200 (Efron & Tibshirani 1993, §19.3, team default within). */
  bootstrapReplicates: 200,
  /** Seed of every hash split and bootstrap, so a re-run gives the same numbers. */
  seed: 20_211,
  /** Rows of the kNN label-consistency sample (issue 21: at most 5,000; team default for the time budget). */
  knnSampleRows: 2_000,
  /** Neighbours per row of the kNN estimate (cleanlab's `find_label_issues` example, k = 10). */
  knnNeighbours: 10,
  /** Points of the ROC and precision–recall curves shown. */
  curvePoints: 50,
  /** Bins of the calibration table (deciles, as scikit-learn's `calibration_curve` examples). */
  calibrationBins: 10,

  /** Held-out rows below which a baseline is not judged: too few for an interval worth reading (team default). */
  minTestRows: 30,
  /** Held-out rows of each class below which an AUC is not judged (team default: DeLong's variance needs both). */
  minTestClassRows: 10,
  /**
   * "No signal" needs the AUC interval to contain 0.5 and to end below this:
   * at best poor discrimination (Hosmer, Lemeshow & Sturdivant 2013, *Applied
   * Logistic Regression*, 3rd ed., §5.2.4: 0.5–0.7 poor). A wider interval
   * is inconclusive, not "no signal".
   */
  noSignalUpperAuc: 0.7,
  /** R² at or below this on the held-out side is no signal (issue 21). */
  noSignalR2: 0.01,
  /** Held-out rows a regression baseline needs before its R² is read as "no signal" (team default: R² has no interval here, so ask for more rows). */
  noSignalMinTestRows: 100,
  /** An AUC at or above this is suspicious in itself (issue 21; leakage literature, Kaufman et al. 2012). */
  leakAuc: 0.98,
  /** Drop-column importance: a column whose removal costs at least this much AUC carries the near-perfect score (team default). */
  leakDrop: 0.05,
  /** Features tried by drop-column importance, largest standardised coefficients first (team default: the time budget). */
  dropColumnFeatures: 5,
  /** Label-noise estimate above which a major finding is raised (issue 21). */
  noiseMajor: 0.05,
  /** Label-noise estimate above which a blocker is raised (issue 21). */
  noiseBlocker: 0.15,
  /**
   * The noise estimate is read as label error only when the baseline's AUC
   * interval starts at or above this: confident learning assumes the model's
   * confident predictions are right (Northcutt, Jiang & Chuang 2021, JAIR 70,
   * §4), so with weaker separation class overlap and label error can't be
   * told apart (team default: Hosmer–Lemeshow's "excellent", 0.8).
   */
  noiseInterpretableAuc: 0.8,
  /**
   * Out-of-fold rows the noise reading needs: each tenth of rows the model is
   * surest of then holds at least 50 (team default).
   */
  noiseMinRows: 500,
  /**
   * Errors spread evenly show the same disagreement among the 20 % of rows the
   * baseline is surest of as among the surest 10 %; class overlap makes it
   * grow toward the boundary. At most this ratio reads as label error (team
   * default, measured: planted flips 0.9–1.1, real overlap 1.45–2.3).
   */
  noiseFlatRatio: 1.25,
  /** Projected AUC (or R²) gain from doubling the data below which the curve is flat (team default: one point). */
  flatGain: 0.01,
  /** Hand-review sizes suggested for the label sample (issue 21: 100–200 rows). */
  reviewSizes: [100, 200] as readonly number[],
  /** Rows shown in the label-review sample. */
  reviewRows: 20,
} as const;

export type FeasibilityThresholds = typeof FEASIBILITY_THRESHOLDS;

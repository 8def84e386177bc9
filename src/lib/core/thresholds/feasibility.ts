/**
 * Defaults of the feasibility step (issue 21): the baselines, their split,
 * the learning curve and the label-noise estimate. Each names its source in
 * `FEASIBILITY_THRESHOLD_SOURCES`; "team default" marks a value we chose,
 * usually for the time budget.
 */
export const FEASIBILITY_THRESHOLDS = {
  logisticC: 1,
  ridgeAlpha: 1,
  maxNewtonSteps: 25,
  newtonTolerance: 1e-6,
  maxDesignColumns: 60,
  topLevels: 15,
  maxTrainRows: 25_000,
  maxTestRows: 10_000,
  holdoutShare: 0.2,
  folds: 5,
  curveShares: [0.1, 0.2, 0.4, 0.7, 1] as readonly number[],
  bootstrapReplicates: 200,
  seed: 20_211,
  noiseBootstrapRows: 20_000,
  knnSampleRows: 2_000,
  knnNeighbours: 10,
  curvePoints: 50,
  calibrationBins: 10,
  minTestRows: 30,
  minTestClassRows: 10,
  noSignalUpperAuc: 0.7,
  noSignalR2: 0.01,
  noSignalMinTestRows: 100,
  leakAuc: 0.98,
  leakDrop: 0.1,
  dropColumnFeatures: 5,
  noiseMajor: 0.05,
  noiseBlocker: 0.15,
  noiseInterpretableAuc: 0.8,
  noiseMinRows: 500,
  noiseFlatRatio: 1.25,
  flatGain: 0.01,
  reviewSizes: [100, 200] as readonly number[],
  reviewRows: 20,
} as const;

export type FeasibilityThresholds = typeof FEASIBILITY_THRESHOLDS;

/** What each feasibility default means and where it comes from (the README prints them). */
export const FEASIBILITY_THRESHOLD_SOURCES: Record<keyof FeasibilityThresholds, string> = {
  logisticC:
    'Inverse L2 strength of the logistic baseline (scikit-learn’s `LogisticRegression` default, C = 1).',
  ridgeAlpha: 'L2 strength of the ridge baseline (scikit-learn’s `Ridge` default, alpha = 1).',
  maxNewtonSteps:
    'Newton steps at most; IRLS on a ridge-penalised logistic loss converges in well under 20 (Hastie et al. 2009, §4.4.1).',
  newtonTolerance: 'Converged when no coefficient moves by more than this in a Newton step (team default).',
  maxDesignColumns: 'Design columns at most: the Hessian is one aggregate of p(p+1)/2 sums (issue 21: ≤ 60).',
  topLevels:
    'Levels one-hot encoded per categorical feature, the rest folded into "other" (issue 21: top 15).',
  maxTrainRows:
    'Training rows fitted at most (team default: the time budget of ≤ 1× the profile at 1M rows; a linear baseline with ≤ 60 design columns has long converged by 25,000 rows, and a curve still rising there says so).',
  maxTestRows:
    'Held-out rows scored at most (team default: the time budget; DeLong’s 95 % interval at 10,000 rows is about ±0.01).',
  holdoutShare: 'Held-out share when no metric plan sets one (the metric plan’s own default).',
  folds:
    'Folds of the out-of-fold predictions behind the label-noise estimate (Northcutt et al. 2021 use 5-fold cross-validation).',
  curveShares: 'Shares of the training side the learning curve trains on (issue 21).',
  bootstrapReplicates:
    'Replicates of the Poisson bootstraps (PR-AUC, noise): a percentile interval’s ends settle by 200 (Efron & Tibshirani 1993, §19.3, team default within).',
  seed: 'Seed of every hash split and bootstrap, so a re-run gives the same numbers.',
  noiseBootstrapRows:
    'Rows the label-noise bootstrap resamples at most; on more, its spread is scaled by √(m/n) (the m-out-of-n bootstrap, Bickel, Götze & van Zwet 1997; team default: the time budget). The estimate itself uses every row.',
  knnSampleRows:
    'Rows of the kNN label-consistency sample (issue 21: at most 5,000). Its bootstrap holds the sample’s kNN shares fixed, so it misses how they move with the sample: on the demo, at 1,000 rows the estimate moved from sample to sample (sd 0.040) twice as far as the interval allowed (95 % intervals covered the mean of 200 samples’ estimates 85 % of the time); at 2,000, sd 0.014 and 96 % (scikit-learn, tests/fixtures/feasibility/make_knn_spread_reference.py). The sample’s pairs cost four times as much (0.24 → 0.88 s CPU on the demo in DuckDB-WASM).',
  knnNeighbours: 'Neighbours per row of the kNN estimate (cleanlab’s `find_label_issues` example, k = 10).',
  curvePoints: 'Points of the ROC and precision–recall curves shown.',
  calibrationBins: 'Bins of the calibration table (deciles, as scikit-learn’s `calibration_curve` examples).',
  minTestRows:
    'Held-out rows below which a baseline is not judged: too few for an interval worth reading (team default).',
  minTestClassRows:
    'Held-out rows of each class below which an AUC is not judged (team default: DeLong’s variance needs both).',
  noSignalUpperAuc:
    '"No signal" needs the AUC interval to contain 0.5 and to end below this: at best poor discrimination (Hosmer, Lemeshow & Sturdivant 2013, *Applied Logistic Regression*, 3rd ed., §5.2.4: 0.5–0.7 poor). A wider interval is inconclusive, not "no signal".',
  noSignalR2: 'R² at or below this on the held-out side is no signal (issue 21).',
  noSignalMinTestRows:
    'Held-out rows a regression baseline needs before its R² is read as "no signal" (team default: R² has no interval here, so ask for more rows).',
  leakAuc:
    'An AUC at or above this is suspicious in itself (issue 21’s line; Kaufman, Rosset & Perlich 2012, “Leakage in data mining”, ACM TKDD 6(4): a score too good to be true is the first sign of a leak).',
  leakDrop:
    'Drop-column importance: a column whose removal costs at least this much AUC carries the near-perfect score (team default, measured: on the 1996 US election survey party identification costs 0.05, a strong honest predictor; a planted post-outcome column costs over 0.2).',
  dropColumnFeatures:
    'Features tried by drop-column importance, largest standardised coefficients first (team default: the time budget).',
  noiseMajor: 'Label-noise estimate above which a major finding is raised (issue 21).',
  noiseBlocker: 'Label-noise estimate above which a blocker is raised (issue 21).',
  noiseInterpretableAuc:
    'The noise estimate is read as label error only when the baseline’s AUC is at least this: confident learning assumes the model’s confident predictions are right (Northcutt, Jiang & Chuang 2021, JAIR 70, §4), so with weaker separation class overlap and label error can’t be told apart (team default: Hosmer–Lemeshow’s "excellent", 0.8).',
  noiseMinRows:
    'Out-of-fold rows the noise reading needs: each tenth of rows the model is surest of then holds at least 50 (team default).',
  noiseFlatRatio:
    'Errors spread evenly show the same disagreement among the 20 % of rows the baseline is surest of as among the surest 10 %; class overlap makes it grow toward the boundary. At most this ratio reads as label error (team default, measured: planted flips 0.9–1.1, real overlap 1.45–2.3).',
  flatGain:
    'Projected AUC (or R²) gain from doubling the data below which the curve is flat (team default: one point).',
  reviewSizes: 'Hand-review sizes suggested for the label sample (issue 21: 100–200 rows).',
  reviewRows: 'Rows shown in the label-review sample.',
};

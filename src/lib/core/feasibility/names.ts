import type { BaselineModel, Feasibility } from '../model/feasibility';

/** Short names of the baseline models, for titles and tables. */
export const BASELINE_LABELS: Readonly<Record<BaselineModel, string>> = {
  logistic: 'Logistic regression',
  'naive-bayes': 'Naive Bayes',
  ridge: 'Ridge regression',
  prevalence: 'Positive rate',
  mean: 'Mean',
};

/** What each baseline is, in a sentence's words ("Tried … and …"). */
export const BASELINE_DESCRIPTIONS: Readonly<Record<BaselineModel, string>> = {
  logistic: 'regularised logistic regression',
  'naive-bayes': 'naive Bayes on binned columns',
  ridge: 'ridge regression',
  prevalence: 'the positive rate',
  mean: 'the mean',
};

/** Lawrence's (2017) names of the Data Readiness Level bands, as `band.ts` maps them onto the audit. */
export const BAND_NAMES: Readonly<Record<Feasibility['band'], string>> = {
  A: 'appropriate for the question',
  B: 'valid',
  C: 'accessible: the data loads',
};

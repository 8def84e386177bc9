import { formatCount } from '../format';
import type { DriftThresholds } from '../thresholds';
import type { DriftMethod } from '../model/drift';

/** Which statistic decides a column's drift, and how. */
export interface MethodChoice {
  method: DriftMethod;
  threshold: number;
  /** p-value methods call drift below the threshold; distances at or above it. */
  direction: 'below' | 'at-or-above';
  overridden: boolean;
  rule: string;
}

const METHODS_BY_KIND: Record<'numeric' | 'categorical', readonly DriftMethod[]> = {
  numeric: ['ks', 'wasserstein', 'psi'],
  categorical: ['chi-square', 'jensen-shannon', 'psi'],
};

/** Display names of the methods. */
export const METHOD_LABELS: Record<DriftMethod, string> = {
  ks: 'Kolmogorov–Smirnov test',
  wasserstein: 'Wasserstein distance (normalised)',
  psi: 'Population stability index',
  'chi-square': 'Chi-square test',
  'jensen-shannon': 'Jensen–Shannon distance',
};

const fmt = formatCount;

/**
 * The method for a column, as Evidently chooses: tests (KS for numbers,
 * chi-square for categories) while the reference has at most
 * `testsMaxReferenceRows` values, distances (normalised Wasserstein,
 * Jensen–Shannon) above, because with large samples every p-value is tiny.
 * A user override wins when it fits the column's kind.
 */
export function chooseMethod(
  kind: 'numeric' | 'categorical',
  referenceRows: number,
  t: DriftThresholds,
  override?: DriftMethod,
): MethodChoice {
  const small = referenceRows <= t.testsMaxReferenceRows;
  const size = small
    ? `reference ≤ ${fmt(t.testsMaxReferenceRows)} values`
    : `reference > ${fmt(t.testsMaxReferenceRows)} values`;
  const overridden = override !== undefined && METHODS_BY_KIND[kind].includes(override);
  const method: DriftMethod = overridden
    ? override!
    : kind === 'numeric'
      ? small
        ? 'ks'
        : 'wasserstein'
      : small
        ? 'chi-square'
        : 'jensen-shannon';
  const why = overridden ? 'chosen by the user' : size;
  switch (method) {
    case 'ks':
    case 'chi-square':
      return {
        method,
        threshold: t.pValue,
        direction: 'below',
        overridden,
        rule: `${METHOD_LABELS[method]}: p < ${t.pValue} (${why})`,
      };
    case 'wasserstein':
      return {
        method,
        threshold: t.wasserstein,
        direction: 'at-or-above',
        overridden,
        rule: `${METHOD_LABELS[method]} ≥ ${t.wasserstein} reference standard deviations (${why})`,
      };
    case 'jensen-shannon':
      return {
        method,
        threshold: t.jensenShannon,
        direction: 'at-or-above',
        overridden,
        rule: `${METHOD_LABELS[method]} ≥ ${t.jensenShannon} (${why})`,
      };
    case 'psi':
      return {
        method,
        threshold: t.psiModerate,
        direction: 'at-or-above',
        overridden,
        rule: `${METHOD_LABELS[method]} ≥ ${t.psiModerate} (${why})`,
      };
  }
}

/** Whether a statistic crosses its method's threshold. */
export function crosses(choice: MethodChoice, statistic: number): boolean {
  return choice.direction === 'below' ? statistic < choice.threshold : statistic >= choice.threshold;
}

/** The PSI reading: below moderate, moderate, or major. */
export function psiLevel(value: number, t: DriftThresholds): 'none' | 'moderate' | 'major' {
  return value >= t.psiMajor ? 'major' : value >= t.psiModerate ? 'moderate' : 'none';
}

/**
 * How far a proportion moved between two samples: the Wilson score intervals
 * of both sides (Wilson 1927), whether they overlap, the rate ratio and
 * Cohen's h (Cohen 1988). Checked against statsmodels' `proportion_confint(
 * method='wilson')` and `proportion_effectsize` in
 * tests/fixtures/drift/make_label_rate_reference.py.
 */
import { cohensH, wilsonInterval, type ProportionInterval } from './wilson';

export interface RateShift {
  reference: ProportionInterval;
  current: ProportionInterval;
  /**
   * The larger rate over the smaller (≥ 1, whichever direction it moved);
   * null when exactly one side is zero (the ratio is unbounded); 1 when both are.
   */
  ratio: number | null;
  /** Cohen's h of current against reference: 2·asin√p_cur − 2·asin√p_ref (signed). */
  cohensH: number;
  /** True when the two Wilson intervals do not overlap. */
  separated: boolean;
}

/**
 * The shift of a rate from `xRef` of `nRef` to `xCur` of `nCur`, with Wilson
 * intervals at confidence 1 − alpha. Null when a side has no trials.
 */
export function rateShift(
  xRef: number,
  nRef: number,
  xCur: number,
  nCur: number,
  alpha = 0.05,
): RateShift | null {
  const reference = wilsonInterval(xRef, nRef, alpha);
  const current = wilsonInterval(xCur, nCur, alpha);
  if (!reference || !current) return null;
  const pRef = reference.estimate;
  const pCur = current.estimate;
  const low = Math.min(pRef, pCur);
  const high = Math.max(pRef, pCur);
  return {
    reference,
    current,
    ratio: high === 0 ? 1 : low === 0 ? null : high / low,
    cohensH: cohensH(pCur, pRef),
    separated: current.lower > reference.upper || current.upper < reference.lower,
  };
}

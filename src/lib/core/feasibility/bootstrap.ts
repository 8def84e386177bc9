/**
 * The Poisson bootstrap's shared pieces (Hanley & MacGibbon 2006): each row's
 * weight in a replicate is a Poisson(1) draw, made in SQL from a seeded hash
 * of (replicate, row id), so the metrics and the label-noise estimate resample
 * alike and a re-run gives the same interval.
 */

/**
 * P(W ≤ k) for W ~ Poisson(1), k = 0, 1, … until the tail is below 1e-12:
 * the cut points that turn a uniform draw into a Poisson(1) weight.
 */
export const POISSON_CDF: readonly number[] = (() => {
  const cdf: number[] = [];
  let term = Math.exp(-1);
  let total = 0;
  for (let k = 0; 1 - total > 1e-12; k++) {
    total += term;
    cdf.push(total);
    term /= k + 1;
  }
  return cdf;
})();

/** 2⁶⁴: a 64-bit hash divided by it is a uniform draw in [0, 1). */
export const HASH_RANGE = '18446744073709551616.0';

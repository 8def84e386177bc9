/** Sums of powers of deviations from the mean: Σd², Σd³, Σd⁴ over n values. */
export interface CentralSums {
  n: number;
  m2: number;
  m3: number;
  m4: number;
}

/**
 * Sample skewness, the adjusted Fisher–Pearson G1 (pandas `Series.skew`):
 * sqrt(n(n−1)) / (n−2) · m3 / m2^1.5 with m_k = Σd^k / n. Null for n < 3;
 * 0 for a constant column, as pandas.
 */
export function skewness({ n, m2, m3 }: CentralSums): number | null {
  if (n < 3) return null;
  const v2 = m2 / n;
  const v3 = m3 / n;
  if (v2 <= 0 || !Number.isFinite(v2)) return 0;
  // Like pandas, treat a variance lost in rounding as zero.
  if (v2 < 1e-14 * 1e-14) return 0;
  return ((Math.sqrt(n * (n - 1)) / (n - 2)) * v3) / v2 ** 1.5;
}

/**
 * Sample excess kurtosis, bias-corrected G2 (pandas `Series.kurt`):
 * n(n+1)(n−1)·Σd⁴ / ((n−2)(n−3)·(Σd²)²) − 3(n−1)² / ((n−2)(n−3)).
 * Null for n < 4; 0 for a constant column, as pandas.
 */
export function kurtosis({ n, m2, m4 }: CentralSums): number | null {
  if (n < 4) return null;
  const denominator = (n - 2) * (n - 3) * m2 * m2;
  if (denominator <= 0 || !Number.isFinite(denominator)) return 0;
  const adjustment = (3 * (n - 1) ** 2) / ((n - 2) * (n - 3));
  return (n * (n + 1) * (n - 1) * m4) / denominator - adjustment;
}

/**
 * Confidence intervals for proportions and sample sizes for comparing them.
 *
 * - Wilson score interval (Wilson 1927), the same formula as statsmodels'
 *   `proportion_confint(count, nobs, alpha, method='wilson')`.
 * - Power of a test that one proportion exceeds another, on Cohen's
 *   arcsine effect size h = 2·asin(√p₁) − 2·asin(√p₂) (Cohen 1988, §6.2),
 *   as statsmodels' `proportion_effectsize` and `NormalIndPower`.
 *
 * Checked against statsmodels/SciPy in tests/fixtures/plan/make_plan_reference.py.
 */
import { regularizedGammaQ } from './chi-square';

/** Standard normal CDF Φ(z), from erfc(x) = Q(½, x²) (the regularized upper incomplete gamma). */
export function normalCdf(z: number): number {
  if (Number.isNaN(z)) return Number.NaN;
  if (z === Infinity) return 1;
  if (z === -Infinity) return 0;
  const tail = 0.5 * regularizedGammaQ(0.5, (z * z) / 2);
  return z < 0 ? tail : 1 - tail;
}

// Acklam's rational approximation of the normal quantile (relative error 1.15e-9),
// then one Halley step on the accurate CDF brings it to double precision.
const A = [
  -3.969683028665376e1, 2.209460984245205e2, -2.759285104469687e2, 1.38357751867269e2, -3.066479806614716e1,
  2.506628277459239,
];
const B = [
  -5.447609879822406e1, 1.615858368580409e2, -1.556989798598866e2, 6.680131188771972e1, -1.328068155288572e1,
];
const C = [
  -7.784894002430293e-3, -3.223964580411365e-1, -2.400758277161838, -2.549732539343734, 4.374664141464968,
  2.938163982698783,
];
const D = [7.784695709041462e-3, 3.224671290700398e-1, 2.445134137142996, 3.754408661907416];
const P_LOW = 0.02425;

function acklam(p: number): number {
  const [a0, a1, a2, a3, a4, a5] = A as [number, number, number, number, number, number];
  const [b0, b1, b2, b3, b4] = B as [number, number, number, number, number];
  const [c0, c1, c2, c3, c4, c5] = C as [number, number, number, number, number, number];
  const [d0, d1, d2, d3] = D as [number, number, number, number];
  if (p < P_LOW) {
    const q = Math.sqrt(-2 * Math.log(p));
    return (
      (((((c0 * q + c1) * q + c2) * q + c3) * q + c4) * q + c5) /
      ((((d0 * q + d1) * q + d2) * q + d3) * q + 1)
    );
  }
  if (p > 1 - P_LOW) {
    const q = Math.sqrt(-2 * Math.log(1 - p));
    return (
      -(((((c0 * q + c1) * q + c2) * q + c3) * q + c4) * q + c5) /
      ((((d0 * q + d1) * q + d2) * q + d3) * q + 1)
    );
  }
  const q = p - 0.5;
  const r = q * q;
  return (
    ((((((a0 * r + a1) * r + a2) * r + a3) * r + a4) * r + a5) * q) /
    (((((b0 * r + b1) * r + b2) * r + b3) * r + b4) * r + 1)
  );
}

/** Standard normal quantile Φ⁻¹(p), like `scipy.stats.norm.ppf`. */
export function normalQuantile(p: number): number {
  if (!(p >= 0 && p <= 1)) return Number.NaN;
  if (p === 0) return -Infinity;
  if (p === 1) return Infinity;
  let x = acklam(p);
  // Halley refinement; the error term uses the smaller tail to keep precision near 1.
  for (let i = 0; i < 2; i++) {
    const e = x < 0 ? normalCdf(x) - p : 1 - p - normalCdf(-x);
    const u = e * Math.sqrt(2 * Math.PI) * Math.exp((x * x) / 2);
    x = x - u / (1 + (x * u) / 2);
  }
  return x;
}

export interface ProportionInterval {
  /** The point estimate count / n. */
  estimate: number;
  lower: number;
  upper: number;
}

/**
 * Wilson score interval for `successes` out of `n` at confidence 1 − alpha
 * (default 95 %):
 *
 *   centre = (x + z²/2) / (n + z²),
 *   half   = z / (n + z²) · √(x(n − x)/n + z²/4),  z = Φ⁻¹(1 − α/2),
 *
 * as statsmodels' `proportion_confint(method='wilson')`. Returns null for n ≤ 0.
 */
export function wilsonInterval(successes: number, n: number, alpha = 0.05): ProportionInterval | null {
  if (!(n > 0) || !(successes >= 0) || successes > n) return null;
  const z = normalQuantile(1 - alpha / 2);
  const z2 = z * z;
  const denominator = n + z2;
  const centre = (successes + z2 / 2) / denominator;
  const half = (z / denominator) * Math.sqrt((successes * (n - successes)) / n + z2 / 4);
  return {
    estimate: successes / n,
    lower: Math.max(0, centre - half),
    upper: Math.min(1, centre + half),
  };
}

/**
 * Half the width of the Wilson interval for an expected proportion `p` on `n`
 * trials, treating n·p as the observed count (a planning figure: "recall 0.8 ±
 * 0.19 on 17 validation positives"). Null for n ≤ 0.
 */
export function wilsonHalfWidth(p: number, n: number, alpha = 0.05): number | null {
  const interval = wilsonInterval(p * n, n, alpha);
  return interval ? (interval.upper - interval.lower) / 2 : null;
}

/** Cohen's h = 2·asin(√p₁) − 2·asin(√p₂), as statsmodels' `proportion_effectsize(p1, p2)`. */
export function cohensH(p1: number, p2: number): number {
  return 2 * Math.asin(Math.sqrt(p1)) - 2 * Math.asin(Math.sqrt(p2));
}

export interface PowerOptions {
  /** One-sided significance level (default 0.05). */
  alpha?: number;
  /** Wanted power 1 − β (default 0.8). */
  power?: number;
  /** n₂ / n₁ (default 1: both measured on samples of the same size). */
  ratio?: number;
}

/**
 * Power of the one-sided z-test that the first proportion exceeds the second,
 * with n₁ trials in the first sample and ratio·n₁ in the second:
 * 1 − Φ(z₁₋α − h·√(n₁ / (1 + 1/ratio))), as statsmodels'
 * `NormalIndPower().power(h, n1, alpha, ratio, alternative='larger')`.
 */
export function proportionTestPower(h: number, n1: number, options: PowerOptions = {}): number {
  const alpha = options.alpha ?? 0.05;
  const ratio = options.ratio ?? 1;
  const zAlpha = normalQuantile(1 - alpha);
  return 1 - normalCdf(zAlpha - h * Math.sqrt(n1 / (1 + 1 / ratio)));
}

/**
 * Trials needed in the first sample for the one-sided test above to reach the
 * wanted power: n₁ = (1 + 1/ratio) · ((z₁₋α + z₁₋β) / h)², the closed form of
 * statsmodels' `NormalIndPower().solve_power(h, alpha, power, ratio,
 * alternative='larger')`. Not rounded. Null when h ≤ 0 (the target does not
 * exceed the baseline, so no sample size can show that it does).
 */
export function proportionSampleSize(p1: number, p2: number, options: PowerOptions = {}): number | null {
  const h = cohensH(p1, p2);
  if (!(h > 0)) return null;
  const alpha = options.alpha ?? 0.05;
  const power = options.power ?? 0.8;
  const ratio = options.ratio ?? 1;
  const z = normalQuantile(1 - alpha) + normalQuantile(power);
  return (1 + 1 / ratio) * (z / h) ** 2;
}

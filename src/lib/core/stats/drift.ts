/**
 * Drift statistics on small, already aggregated result sets: the two-sample
 * Kolmogorov–Smirnov test, the Wasserstein-1 distance, the population stability
 * index, Jensen–Shannon distance and the chi-square test of two count vectors.
 *
 * The heavy work (sorting, counting, cumulating) happens in DuckDB
 * (`core/sql/drift.ts`); these functions take distinct values with their
 * counts, or bin counts, and finish the arithmetic. Every formula is checked
 * against SciPy in tests/fixtures/drift (script and fixtures committed).
 */
import { chiSquareHomogeneity, logGamma } from './chi-square';

/** A distinct value with how often it occurs in the reference and the current sample. */
export interface ValueCounts {
  value: number;
  reference: number;
  current: number;
}

/** How a KS p-value was obtained, as SciPy's `ks_2samp(method='auto')` would. */
export type KsPValueMethod = 'exact' | 'asymptotic';

export interface KsResult {
  /** sup |F_ref − F_cur| over all values. */
  statistic: number;
  pValue: number;
  method: KsPValueMethod;
  nReference: number;
  nCurrent: number;
}

/** SciPy's `ks_2samp` tries the exact distribution while both samples have at most this many values. */
export const KS_EXACT_MAX_N = 10_000;

/** Greatest common divisor of two non-negative integers. */
function gcd(a: number, b: number): number {
  while (b) [a, b] = [b, a % b];
  return a;
}

/**
 * sup |F_ref − F_cur| from distinct values and counts, in any order. Computed
 * on integer cumulative counts, so `h = D · lcm(n₁, n₂)` is exact.
 */
export function ksStatisticFromCounts(rows: readonly ValueCounts[]): {
  statistic: number;
  nReference: number;
  nCurrent: number;
} {
  const sorted = [...rows].sort((a, b) => a.value - b.value);
  const n1 = sorted.reduce((s, r) => s + r.reference, 0);
  const n2 = sorted.reduce((s, r) => s + r.current, 0);
  let c1 = 0;
  let c2 = 0;
  let best = 0;
  for (const r of sorted) {
    c1 += r.reference;
    c2 += r.current;
    // |c1/n1 − c2/n2| · n1·n2, as an integer while the product fits 2^53.
    best = Math.max(best, Math.abs(c1 * n2 - c2 * n1));
  }
  return { statistic: n1 > 0 && n2 > 0 ? best / n1 / n2 : Number.NaN, nReference: n1, nCurrent: n2 };
}

/**
 * P(D ≥ d) under the null for samples of sizes m and n, by counting lattice
 * paths that leave the band |x/m − y/n| < d (Hodges 1958), computing the
 * leaving proportion directly so small p-values keep their precision
 * (Viehmann 2021, arXiv:2102.08037), as SciPy does.
 * Returns null when the statistic is not a multiple of 1/lcm(m, n).
 */
export function ksExactPValue(d: number, m: number, n: number): number {
  if (m < n) [m, n] = [n, m];
  const g = gcd(m, n);
  const mg = m / g;
  const ng = n / g;
  const lcm = mg * n;
  const h = Math.round(d * lcm);
  if (h === 0) return 1;
  // Inside the band iff |x·ng − y·mg| < h. q[y] = share of paths to (x, y) that left the band.
  const q = new Float64Array(n + 1).fill(1);
  let hi = Math.min(n, Math.ceil(h / mg) - 1);
  for (let y = 0; y <= hi; y++) q[y] = 0;
  let lo = 0;
  for (let x = 1; x <= m; x++) {
    const newLo = Math.max(0, Math.floor((x * ng - h) / mg) + 1);
    const newHi = Math.min(n, Math.ceil((x * ng + h) / mg) - 1);
    if (newLo > newHi) return 1;
    for (let y = lo; y < Math.min(newLo, n + 1); y++) q[y] = 1;
    for (let y = newLo; y <= newHi; y++) {
      const fromLeft = q[y]!;
      const fromBelow = y > 0 ? q[y - 1]! : 0;
      q[y] = (x * fromLeft + y * fromBelow) / (x + y);
    }
    lo = newLo;
    hi = newHi;
  }
  return Math.min(1, Math.max(0, q[n]!));
}

/** ln C(n, k). */
function logChoose(n: number, k: number): number {
  if (k === 0 || k === n) return 0;
  return logGamma(n + 1) - logGamma(k + 1) - logGamma(n - k + 1);
}

/**
 * One-sided Smirnov survival P(D⁺ₙ ≥ x), exact by the Birnbaum–Tingey sum
 * (terms in log space; all terms are positive, so nothing cancels).
 */
export function smirnovSurvival(n: number, x: number): number {
  if (x <= 0) return 1;
  if (x >= 1) return 0;
  const top = Math.floor(n * (1 - x) + 1e-12);
  let sum = 0;
  for (let j = 0; j <= top; j++) {
    const a = 1 - x - j / n;
    const b = x + j / n;
    if (a <= 0 && n - j > 0) continue;
    const logTerm = logChoose(n, j) + (n - j > 0 ? (n - j) * Math.log(a) : 0) + (j - 1) * Math.log(b);
    sum += Math.exp(logTerm);
  }
  return Math.min(1, x * sum);
}

/**
 * The Pelz–Good (1976) asymptotic series for the Kolmogorov CDF P(Dₙ ≤ x),
 * including its 1/√n, 1/n and 1/n^1.5 corrections, in the form SciPy uses.
 */
function kolmogorovPelzGoodCdf(n: number, x: number): number {
  const PI2 = Math.PI ** 2;
  const PI4 = PI2 * PI2;
  const PI6 = PI4 * PI2;
  const SQRT2PI = Math.sqrt(2 * Math.PI);
  const z = Math.sqrt(n) * x;
  const z2 = z * z;
  const z3 = z2 * z;
  const z4 = z2 * z2;
  const z6 = z4 * z2;
  const qlog = -PI2 / 8 / z2;
  if (qlog < -708) return 0;
  let q = Math.exp(qlog);
  const k1a = -z2;
  const k1b = PI2 / 4;
  const k2a = 6 * z6 + 2 * z4;
  const k2b = ((2 * z4 - 5 * z2) * PI2) / 4;
  const k2c = (PI4 * (1 - 2 * z2)) / 16;
  const k3d = (PI6 * (5 - 30 * z2)) / 64;
  const k3c = (PI4 * (-60 * z2 + 212 * z4)) / 16;
  const k3b = (PI2 * (135 * z4 - 96 * z6)) / 4;
  const k3a = -30 * z6 - 90 * z4 * z4;
  const K = [0, 0, 0, 0];
  const maxk = Math.ceil((16 * z) / Math.PI);
  for (let k = maxk; k >= 1; k--) {
    const m = 2 * k - 1;
    const m2 = m * m;
    const m4 = m2 * m2;
    const m6 = m4 * m2;
    const qpower = q ** (8 * k);
    const coeffs = [1, k1a + k1b * m2, k2a + k2b * m2 + k2c * m4, k3a + k3b * m2 + k3c * m4 + k3d * m6];
    for (let i = 0; i < 4; i++) K[i] = K[i]! * qpower + coeffs[i]!;
  }
  const denominators = [z, 6 * z4, 72 * z6 * z, 6480 * z6 * z4];
  for (let i = 0; i < 4; i++) K[i] = (K[i]! * q * SQRT2PI) / denominators[i]!;
  q = Math.exp(-PI2 / 2 / z2);
  let k2extra = 0;
  let k3extra = 0;
  const sqrt3z = Math.sqrt(3) * z;
  for (let k = maxk; k >= 1; k--) {
    const k2 = k * k;
    const qp = q ** k2;
    k2extra += k2 * qp;
    k3extra += (sqrt3z + Math.PI * k) * (sqrt3z - Math.PI * k) * k2 * qp;
  }
  K[2] = K[2]! + (k2extra * PI2 * SQRT2PI) / (-36 * z3);
  K[3] = K[3]! + (k3extra * PI2 * SQRT2PI) / (216 * z6);
  return K.reduce((s, v, i) => s + v / n ** (i / 2), 0);
}

/**
 * Survival P(Dₙ ≥ x) of the two-sided one-sample Kolmogorov statistic, by the
 * branch choice of Simard & L'Ecuyer (2011) as SciPy's `kstwo.sf` makes it for
 * n > 140: Ruben–Gambino at the ends, 2·Smirnov (Miller) in the tail, and the
 * Pelz–Good series elsewhere. For n ≤ 140 SciPy uses the Durbin matrix there;
 * Pelz–Good differs from it by less than 1e-3, and `ksTwoSample` only reaches
 * this with n = round(m·n/(m+n)) when a sample exceeds 10,000 values.
 */
export function kolmogorovSurvival(n: number, x: number): number {
  if (x >= 1) return 0;
  if (x <= 0) return 1;
  const t = n * x;
  if (t <= 1) {
    if (t <= 0.5) return 1;
    // Ruben–Gambino: P(Dₙ ≤ x) = n!/nⁿ (2t − 1)ⁿ.
    let logCdf = n * Math.log(2 * t - 1);
    for (let i = 1; i <= n; i++) logCdf += Math.log(i / n);
    return 1 - Math.exp(logCdf);
  }
  if (t >= n - 1) return Math.min(1, 2 * (1 - x) ** n);
  if (x >= 0.5) return Math.min(1, 2 * smirnovSurvival(n, x));
  const nx2 = t * x;
  if (nx2 >= 370) return 0;
  if (nx2 >= 2.2) return Math.min(1, 2 * smirnovSurvival(n, x));
  return Math.min(1, Math.max(0, 1 - kolmogorovPelzGoodCdf(n, x)));
}

/**
 * Two-sided p-value of a two-sample KS statistic, with the method SciPy's
 * `ks_2samp(method='auto')` picks: exact path counting while both samples have
 * at most `KS_EXACT_MAX_N` values, otherwise the Kolmogorov distribution with
 * n = round(m·n/(m+n)).
 */
export function ksPValue(d: number, m: number, n: number): { pValue: number; method: KsPValueMethod } {
  if (Math.max(m, n) <= KS_EXACT_MAX_N) {
    const p = ksExactPValue(d, m, n);
    if (Number.isFinite(p)) return { pValue: p, method: 'exact' };
  }
  const en = Math.round((m * n) / (m + n));
  return { pValue: Math.min(1, Math.max(0, kolmogorovSurvival(en, d))), method: 'asymptotic' };
}

/** The two-sample KS test from distinct values and their counts. */
export function ksTwoSampleFromCounts(rows: readonly ValueCounts[]): KsResult {
  const { statistic, nReference, nCurrent } = ksStatisticFromCounts(rows);
  if (!(nReference > 0 && nCurrent > 0))
    return { statistic: Number.NaN, pValue: Number.NaN, method: 'exact', nReference, nCurrent };
  return { statistic, nReference, nCurrent, ...ksPValue(statistic, nReference, nCurrent) };
}

/** Distinct values with counts from two raw samples (for tests and tiny inputs). */
export function countValues(reference: readonly number[], current: readonly number[]): ValueCounts[] {
  const map = new Map<number, ValueCounts>();
  const add = (v: number, side: 'reference' | 'current'): void => {
    const row = map.get(v) ?? { value: v, reference: 0, current: 0 };
    row[side] += 1;
    map.set(v, row);
  };
  for (const v of reference) add(v, 'reference');
  for (const v of current) add(v, 'current');
  return [...map.values()];
}

/**
 * Wasserstein-1 distance ∫ |F_ref − F_cur| dx between the two empirical
 * distributions (SciPy's `wasserstein_distance` with unit weights).
 */
export function wassersteinFromCounts(rows: readonly ValueCounts[]): number {
  const sorted = [...rows].sort((a, b) => a.value - b.value);
  const n1 = sorted.reduce((s, r) => s + r.reference, 0);
  const n2 = sorted.reduce((s, r) => s + r.current, 0);
  if (!(n1 > 0 && n2 > 0)) return Number.NaN;
  let c1 = 0;
  let c2 = 0;
  let total = 0;
  for (let i = 0; i < sorted.length - 1; i++) {
    c1 += sorted[i]!.reference;
    c2 += sorted[i]!.current;
    total += Math.abs(c1 / n1 - c2 / n2) * (sorted[i + 1]!.value - sorted[i]!.value);
  }
  return total;
}

/**
 * Evidently floors the reference standard deviation before dividing, so a
 * constant reference column does not divide by zero
 * (`norm = max(np.std(reference_data), 0.001)`, population std).
 */
export const WASSERSTEIN_STD_FLOOR = 0.001;

/** Wasserstein distance in units of the reference's population standard deviation, floored. */
export function normalisedWasserstein(distance: number, referenceStd: number): number {
  return distance / Math.max(referenceStd, WASSERSTEIN_STD_FLOOR);
}

/**
 * Empty bins would make PSI infinite; a share of exactly zero is replaced by
 * this value on either side, as Evidently's `psi` does (0.0001).
 */
export const PSI_EPSILON = 0.0001;

/** Shares of a count vector (zeros when the total is zero). */
export function shares(counts: readonly number[]): number[] {
  const total = counts.reduce((a, b) => a + b, 0);
  return counts.map((c) => (total > 0 ? c / total : 0));
}

/**
 * Population stability index Σ (cᵢ − rᵢ)·ln(cᵢ / rᵢ) over matching bins of
 * reference and current counts; a zero share on either side becomes `epsilon`.
 */
export function psi(
  referenceCounts: readonly number[],
  currentCounts: readonly number[],
  epsilon = PSI_EPSILON,
): number {
  if (referenceCounts.length !== currentCounts.length)
    throw new RangeError('PSI needs the same bins on both sides');
  const r = shares(referenceCounts);
  const c = shares(currentCounts);
  let total = 0;
  for (let i = 0; i < r.length; i++) {
    const ri = r[i]! === 0 ? epsilon : r[i]!;
    const ci = c[i]! === 0 ? epsilon : c[i]!;
    total += (ci - ri) * Math.log(ci / ri);
  }
  return total;
}

/**
 * Jensen–Shannon distance in base 2 (0 = same, 1 = disjoint) between two count
 * or probability vectors, each normalised to sum 1, as
 * `scipy.spatial.distance.jensenshannon(p, q, base=2)`.
 */
export function jensenShannon(p: readonly number[], q: readonly number[]): number {
  if (p.length !== q.length) throw new RangeError('Jensen–Shannon needs vectors of the same length');
  const a = shares(p);
  const b = shares(q);
  let divergence = 0;
  for (let i = 0; i < a.length; i++) {
    const m = (a[i]! + b[i]!) / 2;
    if (a[i]! > 0) divergence += a[i]! * Math.log(a[i]! / m);
    if (b[i]! > 0) divergence += b[i]! * Math.log(b[i]! / m);
  }
  return Math.sqrt(Math.max(0, divergence / 2 / Math.LN2));
}

export interface ChiSquareDrift {
  statistic: number;
  df: number;
  pValue: number;
}

/**
 * Pearson's chi-square test that reference and current counts over the same
 * categories come from one distribution (`chi2_contingency([ref, cur],
 * correction=False)`; categories empty on both sides are dropped). Null when
 * fewer than two categories or sides are non-empty.
 */
export function chiSquareDrift(
  referenceCounts: readonly number[],
  currentCounts: readonly number[],
): ChiSquareDrift | null {
  const test = chiSquareHomogeneity([referenceCounts, currentCounts]);
  return test ? { statistic: test.statistic, df: test.df, pValue: test.pValue } : null;
}

/** Population standard deviation of values with counts. */
export function populationStd(rows: readonly { value: number; count: number }[]): number {
  const n = rows.reduce((s, r) => s + r.count, 0);
  if (!(n > 0)) return Number.NaN;
  const mean = rows.reduce((s, r) => s + r.value * r.count, 0) / n;
  return Math.sqrt(rows.reduce((s, r) => s + r.count * (r.value - mean) ** 2, 0) / n);
}

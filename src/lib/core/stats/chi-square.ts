/**
 * Chi-square distribution and the test of homogeneity for contingency tables.
 * The survival function is the regularized upper incomplete gamma function
 * Q(k/2, x/2), evaluated by its series or its continued fraction (Numerical
 * Recipes, 3rd ed., §6.2); checked against SciPy in tests/fixtures/reference.
 */

const EPS = 1e-16;
const FPMIN = 1e-300;
const MAX_ITERATIONS = 10_000;

// Lanczos approximation, g = 7, n = 9 (Godfrey's coefficients): ~1e-15 relative accuracy.
const LANCZOS = [
  0.99999999999980993, 676.5203681218851, -1259.1392167224028, 771.32342877765313, -176.61502916214059,
  12.507343278686905, -0.13857109526572012, 9.9843695780195716e-6, 1.5056327351493116e-7,
];

/** ln Γ(x) for x > 0. */
export function logGamma(x: number): number {
  if (!(x > 0)) throw new RangeError(`logGamma needs x > 0, got ${x}`);
  if (x < 0.5) return Math.log(Math.PI / Math.sin(Math.PI * x)) - logGamma(1 - x);
  const z = x - 1;
  let sum = LANCZOS[0]!;
  for (let i = 1; i < LANCZOS.length; i++) sum += LANCZOS[i]! / (z + i);
  const t = z + 7.5;
  return 0.5 * Math.log(2 * Math.PI) + (z + 0.5) * Math.log(t) - t + Math.log(sum);
}

/** Series for P(a, x), valid for x < a + 1. */
function lowerSeries(a: number, x: number): number {
  let ap = a;
  let term = 1 / a;
  let sum = term;
  for (let n = 0; n < MAX_ITERATIONS; n++) {
    ap += 1;
    term *= x / ap;
    sum += term;
    if (Math.abs(term) < Math.abs(sum) * EPS) break;
  }
  return sum * Math.exp(-x + a * Math.log(x) - logGamma(a));
}

/** Continued fraction (modified Lentz) for Q(a, x), valid for x ≥ a + 1. */
function upperFraction(a: number, x: number): number {
  let b = x + 1 - a;
  let c = 1 / FPMIN;
  let d = 1 / b;
  let h = d;
  for (let i = 1; i < MAX_ITERATIONS; i++) {
    const an = -i * (i - a);
    b += 2;
    d = an * d + b;
    if (Math.abs(d) < FPMIN) d = FPMIN;
    c = b + an / c;
    if (Math.abs(c) < FPMIN) c = FPMIN;
    d = 1 / d;
    const delta = d * c;
    h *= delta;
    if (Math.abs(delta - 1) < EPS) break;
  }
  return Math.exp(-x + a * Math.log(x) - logGamma(a)) * h;
}

/** Regularized upper incomplete gamma Q(a, x) = Γ(a, x) / Γ(a). */
export function regularizedGammaQ(a: number, x: number): number {
  if (!(a > 0)) throw new RangeError(`regularizedGammaQ needs a > 0, got ${a}`);
  if (Number.isNaN(x)) return Number.NaN;
  if (x <= 0) return 1;
  if (x === Infinity) return 0;
  return x < a + 1 ? 1 - lowerSeries(a, x) : upperFraction(a, x);
}

/** Regularized lower incomplete gamma P(a, x) = 1 − Q(a, x). */
export function regularizedGammaP(a: number, x: number): number {
  if (!(a > 0)) throw new RangeError(`regularizedGammaP needs a > 0, got ${a}`);
  if (x <= 0) return 0;
  if (x === Infinity) return 1;
  return x < a + 1 ? lowerSeries(a, x) : 1 - upperFraction(a, x);
}

/** P(X ≥ x) for X ~ χ²(df): the p-value of a chi-square statistic. */
export function chiSquareSurvival(x: number, df: number): number {
  if (!(df > 0)) throw new RangeError(`chi-square needs df > 0, got ${df}`);
  return regularizedGammaQ(df / 2, x / 2);
}

/** P(X ≤ x) for X ~ χ²(df). */
export function chiSquareCdf(x: number, df: number): number {
  if (!(df > 0)) throw new RangeError(`chi-square needs df > 0, got ${df}`);
  return regularizedGammaP(df / 2, x / 2);
}

/** The result of Pearson's chi-square test of homogeneity (no continuity correction). */
export interface ChiSquareTest {
  statistic: number;
  df: number;
  pValue: number;
  /** Expected counts under homogeneity, same shape as the table. */
  expected: number[][];
  /**
   * Adjusted standardized residuals (Haberman 1973; Agresti 2013 §2.4.5):
   * (O − E) / √(E (1 − rowᵢ/N)(1 − colⱼ/N)). Roughly N(0, 1) under homogeneity.
   */
  adjustedResiduals: number[][];
  /** Rows and columns that had a zero total and were dropped before testing. */
  droppedRows: number[];
  droppedColumns: number[];
}

/**
 * Pearson's chi-square test that every row of `table` (e.g. a source system)
 * has the same distribution over the columns (e.g. classes). Rows or columns
 * whose total is zero are dropped, as SciPy would reject them.
 * Returns `null` when fewer than two rows or columns remain.
 */
export function chiSquareHomogeneity(table: readonly (readonly number[])[]): ChiSquareTest | null {
  const width = Math.max(0, ...table.map((r) => r.length));
  const rowTotals = table.map((r) => r.reduce((a, b) => a + b, 0));
  const colTotalsAll = Array.from({ length: width }, (_, j) => table.reduce((a, r) => a + (r[j] ?? 0), 0));
  const keepRows = rowTotals.map((t, i) => (t > 0 ? i : -1)).filter((i) => i >= 0);
  const keepCols = colTotalsAll.map((t, j) => (t > 0 ? j : -1)).filter((j) => j >= 0);
  if (keepRows.length < 2 || keepCols.length < 2) return null;
  const n = keepRows.reduce((a, i) => a + rowTotals[i]!, 0);
  const expected: number[][] = table.map(() => new Array<number>(width).fill(0));
  const residuals: number[][] = table.map(() => new Array<number>(width).fill(0));
  let statistic = 0;
  for (const i of keepRows) {
    for (const j of keepCols) {
      const ri = rowTotals[i]!;
      const cj = colTotalsAll[j]!;
      const e = (ri * cj) / n;
      const o = table[i]![j] ?? 0;
      expected[i]![j] = e;
      statistic += ((o - e) * (o - e)) / e;
      const variance = e * (1 - ri / n) * (1 - cj / n);
      residuals[i]![j] = variance > 0 ? (o - e) / Math.sqrt(variance) : 0;
    }
  }
  const df = (keepRows.length - 1) * (keepCols.length - 1);
  return {
    statistic,
    df,
    pValue: chiSquareSurvival(statistic, df),
    expected,
    adjustedResiduals: residuals,
    droppedRows: table.map((_, i) => i).filter((i) => !keepRows.includes(i)),
    droppedColumns: colTotalsAll.map((_, j) => j).filter((j) => !keepCols.includes(j)),
  };
}

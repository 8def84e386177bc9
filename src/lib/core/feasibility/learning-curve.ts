import type { LearningFit } from '../model/feasibility';
import { FEASIBILITY_THRESHOLDS } from '../thresholds/feasibility';

/**
 * The learning curve's power law, score(n) = a − b·n^(−c) with b ≥ 0: the
 * usual shape of held-out AUC or R² against training rows (Hestness et al.
 * 2017; Figueroa et al. 2012 for clinical classifiers). Checked against
 * SciPy's `curve_fit` in tests/fixtures/feasibility/make_noise_reference.py.
 */

/** A point of the curve: training rows and the held-out score they reached. */
export interface LearningCurveSample {
  rows: number;
  score: number;
}

/**
 * Exponents the fit may take. Below 0.02 the law is a straight line in log n
 * (any steeper decay is absorbed by b); above 3 the curve is flat after its
 * first point, which five points cannot tell from a step.
 */
const C_MIN = 0.02;
const C_MAX = 3;
const C_GRID = 240;

/** Neither AUC nor R² can exceed 1, so no projection does. */
const CEILING: Record<'auc' | 'r2', number> = { auc: 1, r2: 1 };

interface PowerLaw {
  a: number;
  b: number;
  c: number;
  sse: number;
}

/**
 * For a fixed c the law is linear in x = (n/N)^(−c): ordinary least squares
 * for a and −b in closed form, b clipped at 0 (a falling curve is read as
 * flat, a = the mean). Rows are scaled by the largest N so x stays near 1.
 */
function fitAtExponent(xs: readonly number[], ys: readonly number[], c: number): PowerLaw {
  const x = xs.map((n) => n ** -c);
  const k = x.length;
  const mx = x.reduce((s, v) => s + v, 0) / k;
  const my = ys.reduce((s, v) => s + v, 0) / k;
  let sxx = 0;
  let sxy = 0;
  for (let i = 0; i < k; i++) {
    sxx += ((x[i] as number) - mx) ** 2;
    sxy += ((x[i] as number) - mx) * ((ys[i] as number) - my);
  }
  const b = sxx > 0 ? Math.max(0, -sxy / sxx) : 0;
  const a = my + b * mx;
  let sse = 0;
  for (let i = 0; i < k; i++) sse += ((ys[i] as number) - (a - b * (x[i] as number))) ** 2;
  return { a, b, c, sse };
}

/**
 * Least squares over (a, b, c): the residual profiled over c on a log grid,
 * then refined by golden-section search between the best grid point's
 * neighbours (the profile is smooth, and with five points it has few dips).
 */
function fitPowerLaw(xs: readonly number[], ys: readonly number[]): PowerLaw {
  const ratio = (C_MAX / C_MIN) ** (1 / (C_GRID - 1));
  const grid = Array.from({ length: C_GRID }, (_, i) => (i === C_GRID - 1 ? C_MAX : C_MIN * ratio ** i));
  let best = 0;
  const fits = grid.map((c) => fitAtExponent(xs, ys, c));
  fits.forEach((fit, i) => {
    if (fit.sse < (fits[best] as PowerLaw).sse) best = i;
  });
  let lo = grid[Math.max(0, best - 1)] as number;
  let hi = grid[Math.min(C_GRID - 1, best + 1)] as number;
  const golden = (Math.sqrt(5) - 1) / 2;
  let u = hi - golden * (hi - lo);
  let v = lo + golden * (hi - lo);
  let fu = fitAtExponent(xs, ys, u);
  let fv = fitAtExponent(xs, ys, v);
  for (let i = 0; i < 100 && hi - lo > 1e-12 * hi; i++) {
    if (fu.sse <= fv.sse) {
      hi = v;
      v = u;
      fv = fu;
      u = hi - golden * (hi - lo);
      fu = fitAtExponent(xs, ys, u);
    } else {
      lo = u;
      u = v;
      fu = fv;
      v = lo + golden * (hi - lo);
      fv = fitAtExponent(xs, ys, v);
    }
  }
  return [fits[best] as PowerLaw, fu, fv].reduce((m, f) => (f.sse < m.sse ? f : m));
}

/** score(2N) − score(N) of a fit on rows scaled by N, the projection capped at the ceiling. */
function doublingGain(fit: PowerLaw, ceiling: number): number {
  const now = fit.a - fit.b;
  const doubled = Math.min(ceiling, fit.a - fit.b * 2 ** -fit.c);
  return Math.max(0, doubled - now);
}

/**
 * Fit score(n) = a − b·n^(−c) to the learning curve and project the gain
 * from doubling the largest training size N: score(2N) − score(N).
 *
 * The band is the range of that gain over the fit on every point and the
 * fits leaving one point out (a jackknife range). Five points and three
 * parameters leave two degrees of freedom, too few for a residual-based
 * standard error to mean much; what makes a projection untrustworthy is that
 * it hangs on one noisy point, and leaving each out shows exactly that. With
 * three points there is nothing to leave out and the band is the estimate.
 *
 * Trend: 'flat' when even the band's top is below `flatGain`, 'rising' when
 * its bottom reaches it, 'unclear' otherwise. Null with fewer than three
 * distinct sizes.
 */
export function fitLearningCurve(
  points: readonly LearningCurveSample[],
  metric: 'auc' | 'r2',
  flatGain: number = FEASIBILITY_THRESHOLDS.flatGain,
): LearningFit | null {
  const usable = points
    .filter((p) => Number.isFinite(p.rows) && p.rows > 0 && Number.isFinite(p.score))
    .slice()
    .sort((p, q) => p.rows - q.rows);
  if (new Set(usable.map((p) => p.rows)).size < 3) return null;
  const largest = (usable[usable.length - 1] as LearningCurveSample).rows;
  const xs = usable.map((p) => p.rows / largest);
  const ys = usable.map((p) => p.score);
  const ceiling = CEILING[metric];
  const full = fitPowerLaw(xs, ys);
  const gain = doublingGain(full, ceiling);
  const gains = [gain];
  if (usable.length > 3) {
    for (let i = 0; i < usable.length; i++) {
      const keepX = xs.filter((_, j) => j !== i);
      const keepY = ys.filter((_, j) => j !== i);
      if (new Set(keepX).size < 3) continue;
      // Still projected from the same N: the question is the gain beyond today's rows.
      gains.push(doublingGain(fitPowerLaw(keepX, keepY), ceiling));
    }
  }
  const lower = Math.min(...gains);
  const upper = Math.max(...gains);
  return {
    a: full.a,
    // Back to raw rows: b·(n/N)^(−c) = b·N^c·n^(−c).
    b: full.b * largest ** full.c,
    c: full.c,
    doublingGain: { estimate: gain, lower, upper },
    trend: upper < flatGain ? 'flat' : lower >= flatGain ? 'rising' : 'unclear',
  };
}

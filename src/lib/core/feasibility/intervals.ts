import type { Interval } from '../model/feasibility';
import { normalQuantile } from '../stats/wilson';

/**
 * Small interval helpers for the feasibility metrics: a normal (Wald)
 * interval from a variance, as DeLong's AUC interval is read, and a
 * percentile, as a bootstrap's ends are. Checked against SciPy and numpy in
 * tests/fixtures/feasibility/make_metrics_reference.py.
 */

// The normal quantile has one home (core/stats/wilson.ts); re-exported so feasibility code finds it here.
export { normalQuantile };

/** Bounds an interval is clipped to, e.g. [0, 1] for an AUC. */
export interface IntervalBounds {
  lower?: number;
  upper?: number;
}

/**
 * The two-sided normal interval estimate ± z·√variance at `confidence`
 * (default 0.95), z = Φ⁻¹(1 − α/2), like `scipy.stats.norm.interval(confidence,
 * loc=estimate, scale=√variance)`, then clipped to `bounds`. A missing or
 * negative variance gives null bounds, not a zero-width interval.
 */
export function intervalFromVariance(
  estimate: number,
  variance: number | null,
  bounds: IntervalBounds = {},
  confidence = 0.95,
): Interval {
  if (variance === null || !Number.isFinite(variance) || variance < 0) {
    return { estimate, lower: null, upper: null };
  }
  const half = normalQuantile(1 - (1 - confidence) / 2) * Math.sqrt(variance);
  return {
    estimate,
    lower: clip(estimate - half, bounds),
    upper: clip(estimate + half, bounds),
  };
}

function clip(value: number, bounds: IntervalBounds): number {
  return Math.min(bounds.upper ?? Infinity, Math.max(bounds.lower ?? -Infinity, value));
}

/**
 * The `q`-th quantile (0–1) of `values` with linear interpolation between
 * order statistics, numpy's default `np.percentile(values, 100 q)` (and
 * DuckDB's `quantile_cont`). NaN values are ignored; null when none is left.
 */
export function percentile(values: readonly number[], q: number): number | null {
  const sorted = values.filter((v) => !Number.isNaN(v)).sort((a, b) => a - b);
  if (sorted.length === 0 || !(q >= 0 && q <= 1)) return null;
  const h = (sorted.length - 1) * q;
  const lo = Math.floor(h);
  const hi = Math.ceil(h);
  const a = sorted[lo] as number;
  const b = sorted[hi] as number;
  return a + (b - a) * (h - lo);
}

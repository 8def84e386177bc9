import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { FIXTURES } from '../../../support/paths';
import {
  intervalFromVariance,
  normalQuantile,
  percentile,
} from '../../../../src/lib/core/feasibility/intervals';

interface IntervalReference {
  ppf: [number, number][];
  fromVariance: { estimate: number; variance: number; confidence: number; interval: [number, number] }[];
  percentile: { values: number[]; q: number[]; expected: number[] }[];
}

// Written by tests/fixtures/feasibility/make_metrics_reference.py (SciPy / numpy).
const reference = (
  JSON.parse(readFileSync(join(FIXTURES, 'feasibility/metrics-reference.json'), 'utf8')) as {
    intervals: IntervalReference;
  }
).intervals;

describe('feasibility interval helpers match SciPy and numpy', () => {
  it('gives the normal quantile of scipy.stats.norm.ppf', () => {
    expect(reference.ppf.length).toBeGreaterThan(10);
    for (const [q, expected] of reference.ppf) {
      expect(Math.abs(normalQuantile(q) - expected)).toBeLessThan(1e-9 * Math.max(1, Math.abs(expected)));
    }
  });

  it('gives the normal interval of scipy.stats.norm.interval from an estimate and a variance', () => {
    for (const { estimate, variance, confidence, interval } of reference.fromVariance) {
      const got = intervalFromVariance(estimate, variance, {}, confidence);
      expect(got.estimate).toBe(estimate);
      expect(got.lower!).toBeCloseTo(interval[0], 12);
      expect(got.upper!).toBeCloseTo(interval[1], 12);
    }
  });

  it('clips the interval to its bounds, and leaves the bounds out without a usable variance', () => {
    const auc = intervalFromVariance(0.98, 0.0009, { lower: 0, upper: 1 });
    expect(auc.upper).toBe(1);
    expect(auc.lower!).toBeCloseTo(0.98 - 1.959963984540054 * 0.03, 12);
    expect(intervalFromVariance(0.7, null)).toEqual({ estimate: 0.7, lower: null, upper: null });
    expect(intervalFromVariance(0.7, -1e-3)).toEqual({ estimate: 0.7, lower: null, upper: null });
    expect(intervalFromVariance(1, 0, { lower: 0, upper: 1 })).toEqual({ estimate: 1, lower: 1, upper: 1 });
  });

  it('gives the percentile of np.percentile (linear interpolation)', () => {
    for (const { values, q, expected } of reference.percentile) {
      q.forEach((level, i) => expect(percentile(values, level)!).toBeCloseTo(expected[i]!, 12));
    }
    expect(percentile([], 0.5)).toBeNull();
    expect(percentile([Number.NaN, 2], 0.5)).toBe(2);
    expect(percentile([1, 2], 1.5)).toBeNull();
  });
});

import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { FIXTURES } from '../../../support/paths';
import { fitLearningCurve } from '../../../../src/lib/core/feasibility/learning-curve';
import { FEASIBILITY_THRESHOLDS } from '../../../../src/lib/core/thresholds/feasibility';

interface CurveReference {
  rows: number[];
  scores: number[];
  a: number;
  b: number;
  c: number;
  sse: number;
  doublingGain: number;
}

// SciPy curve_fit, written by tests/fixtures/feasibility/make_noise_reference.py.
const reference = JSON.parse(readFileSync(join(FIXTURES, 'feasibility', 'noise-reference.json'), 'utf8')) as {
  curves: Record<'rising' | 'flat', CurveReference>;
};

const SHARES = [0.1, 0.2, 0.4, 0.7, 1];
const law = (a: number, b: number, c: number) => (n: number) => a - b * n ** -c;
const pointsOf = (rows: readonly number[], scores: readonly number[]) =>
  rows.map((n, i) => ({ rows: n, score: scores[i] as number }));
const sse = (ref: CurveReference, fit: { a: number; b: number; c: number }) =>
  ref.rows.reduce((s, n, i) => s + ((ref.scores[i] as number) - law(fit.a, fit.b, fit.c)(n)) ** 2, 0);

describe('learning-curve power law', () => {
  it('recovers a, b and c of an exact rising curve and calls it rising', () => {
    const score = law(0.88, 1.5, 0.5);
    const rows = SHARES.map((s) => s * 1000);
    const fit = fitLearningCurve(pointsOf(rows, rows.map(score)), 'auc');
    expect(fit).not.toBeNull();
    expect(fit!.a).toBeCloseTo(0.88, 6);
    expect(fit!.b).toBeCloseTo(1.5, 5);
    expect(fit!.c).toBeCloseTo(0.5, 6);
    const gain = score(2000) - score(1000);
    expect(fit!.doublingGain.estimate).toBeCloseTo(gain, 8);
    // Every leave-one-out fit is exact too, so the band collapses on the estimate.
    expect(fit!.doublingGain.lower).toBeCloseTo(gain, 6);
    expect(fit!.doublingGain.upper).toBeCloseTo(gain, 6);
    expect(gain).toBeGreaterThan(FEASIBILITY_THRESHOLDS.flatGain);
    expect(fit!.trend).toBe('rising');
  });

  it('calls a curve that has levelled off flat', () => {
    const ref = reference.curves.flat;
    const fit = fitLearningCurve(pointsOf(ref.rows, ref.scores), 'auc')!;
    expect(fit.doublingGain.upper!).toBeLessThan(FEASIBILITY_THRESHOLDS.flatGain);
    expect(fit.trend).toBe('flat');
  });

  it('reads a falling curve as flat: no gain from more rows of the same kind', () => {
    const fit = fitLearningCurve(pointsOf([100, 200, 400, 700, 1000], [0.8, 0.79, 0.78, 0.775, 0.77]), 'r2')!;
    expect(fit.b).toBe(0);
    expect(fit.doublingGain.estimate).toBe(0);
    expect(fit.trend).toBe('flat');
  });

  it('calls a curve whose projection hangs on one point unclear', () => {
    // The last point jumps: without it the curve is flat, with it steep.
    const fit = fitLearningCurve(
      pointsOf([100, 200, 400, 700, 1000], [0.7, 0.701, 0.702, 0.703, 0.74]),
      'auc',
    )!;
    expect(fit.doublingGain.lower!).toBeLessThan(FEASIBILITY_THRESHOLDS.flatGain);
    expect(fit.doublingGain.upper!).toBeGreaterThanOrEqual(FEASIBILITY_THRESHOLDS.flatGain);
    expect(fit.trend).toBe('unclear');
  });

  it('matches SciPy curve_fit on a noisy rising curve', () => {
    const ref = reference.curves.rising;
    const fit = fitLearningCurve(pointsOf(ref.rows, ref.scores), 'auc')!;
    // The same least-squares problem: no worse a fit than SciPy's, and the same parameters.
    expect(sse(ref, fit)).toBeLessThanOrEqual(ref.sse * (1 + 1e-6));
    expect(Math.abs(fit.a - ref.a) / ref.a).toBeLessThan(1e-4);
    expect(Math.abs(fit.b - ref.b) / ref.b).toBeLessThan(1e-3);
    expect(Math.abs(fit.c - ref.c) / ref.c).toBeLessThan(1e-3);
    expect(fit.doublingGain.estimate).toBeCloseTo(ref.doublingGain, 5);
    expect(fit.doublingGain.lower!).toBeLessThanOrEqual(fit.doublingGain.estimate);
    expect(fit.doublingGain.upper!).toBeGreaterThanOrEqual(fit.doublingGain.estimate);
  });

  it('matches SciPy curve_fit on the flat curve, at the exponent bound', () => {
    const ref = reference.curves.flat;
    const fit = fitLearningCurve(pointsOf(ref.rows, ref.scores), 'auc')!;
    expect(sse(ref, fit)).toBeLessThanOrEqual(ref.sse * (1 + 1e-6));
    expect(fit.a).toBeCloseTo(ref.a, 6);
    expect(fit.c).toBeCloseTo(ref.c, 4);
    expect(fit.doublingGain.estimate).toBeCloseTo(ref.doublingGain, 6);
  });

  it('needs three distinct training sizes', () => {
    expect(fitLearningCurve([], 'auc')).toBeNull();
    expect(
      fitLearningCurve(
        [
          { rows: 100, score: 0.7 },
          { rows: 200, score: 0.75 },
        ],
        'auc',
      ),
    ).toBeNull();
    expect(
      fitLearningCurve(
        [
          { rows: 100, score: 0.7 },
          { rows: 100, score: 0.71 },
          { rows: 200, score: 0.75 },
          { rows: Number.NaN, score: 0.8 },
        ],
        'auc',
      ),
    ).toBeNull();
    expect(
      fitLearningCurve(
        [
          { rows: 100, score: 0.7 },
          { rows: 200, score: 0.75 },
          { rows: 400, score: 0.77 },
        ],
        'auc',
      ),
    ).not.toBeNull();
  });

  it('never projects past the ceiling of 1', () => {
    // Rising by 0.045 a doubling in log rows: uncapped, the next doubling would pass 1.
    const fit = fitLearningCurve(pointsOf([100, 200, 400], [0.9, 0.95, 0.995]), 'auc')!;
    const fitted = law(fit.a, fit.b, fit.c);
    expect(fitted(800)).toBeGreaterThan(1);
    expect(fit.doublingGain.estimate).toBeGreaterThan(0);
    expect(fitted(400) + fit.doublingGain.estimate).toBeCloseTo(1, 12);
  });
});

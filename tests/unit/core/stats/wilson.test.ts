import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { FIXTURES } from '../../../support/paths';
import {
  cohensH,
  normalCdf,
  normalQuantile,
  proportionSampleSize,
  proportionTestPower,
  wilsonHalfWidth,
  wilsonInterval,
} from '../../../../src/lib/core/stats/wilson';

interface Reference {
  quantiles: { p: number; z: number }[];
  cdf: { z: number; p: number }[];
  wilson: { count: number; nobs: number; alpha: number; lower: number; upper: number }[];
  effectSize: { p1: number; p2: number; h: number }[];
  sampleSize: { p1: number; p2: number; alpha: number; power: number; ratio: number; n1: number }[];
  power: { h: number; n1: number; alpha: number; ratio: number; power: number }[];
}

const reference = JSON.parse(readFileSync(join(FIXTURES, 'plan/stats.json'), 'utf8')) as Reference;

function close(actual: number, expected: number, tolerance = 1e-9): boolean {
  return Math.abs(actual - expected) <= tolerance * Math.max(Math.abs(expected), 1e-300);
}

describe('normal distribution', () => {
  it.each(reference.quantiles)('matches scipy norm.ppf($p)', ({ p, z }) => {
    expect(close(normalQuantile(p), z, 1e-10), `${normalQuantile(p)} vs ${z}`).toBe(true);
  });
  it.each(reference.cdf)('matches scipy norm.cdf($z)', ({ z, p }) => {
    expect(close(normalCdf(z), p, 1e-10), `${normalCdf(z)} vs ${p}`).toBe(true);
  });
  it('returns NaN outside [0, 1] and infinities at the ends', () => {
    expect(normalQuantile(1.2)).toBeNaN();
    expect(normalQuantile(0)).toBe(-Infinity);
    expect(normalQuantile(1)).toBe(Infinity);
  });
});

describe('Wilson interval', () => {
  it.each(reference.wilson)(
    'matches statsmodels proportion_confint($count, $nobs, alpha=$alpha, wilson)',
    ({ count, nobs, alpha, lower, upper }) => {
      const interval = wilsonInterval(count, nobs, alpha);
      expect(interval).not.toBeNull();
      expect(Math.abs(interval!.lower - lower), `lower ${interval!.lower} vs ${lower}`).toBeLessThan(1e-12);
      expect(Math.abs(interval!.upper - upper), `upper ${interval!.upper} vs ${upper}`).toBeLessThan(1e-12);
      expect(interval!.estimate).toBeCloseTo(count / nobs, 15);
    },
  );
  it('has no interval without trials or with more successes than trials', () => {
    expect(wilsonInterval(0, 0)).toBeNull();
    expect(wilsonInterval(5, 4)).toBeNull();
  });
  it('gives "recall 0.8 ± about 0.18" on 17 validation positives', () => {
    const row = reference.wilson.find((w) => w.count === 13.6 && w.nobs === 17)!;
    expect(wilsonHalfWidth(0.8, 17)).toBeCloseTo((row.upper - row.lower) / 2, 12);
    expect(wilsonHalfWidth(0.8, 17)!).toBeGreaterThan(0.15);
  });
});

describe('two-proportion power (Cohen h, one-sided)', () => {
  it.each(reference.effectSize)('matches proportion_effectsize($p1, $p2)', ({ p1, p2, h }) => {
    expect(close(cohensH(p1, p2), h, 1e-12)).toBe(true);
  });
  it.each(reference.sampleSize)(
    'matches NormalIndPower.solve_power for $p1 vs $p2 (alpha $alpha, power $power, ratio $ratio)',
    ({ p1, p2, alpha, power, ratio, n1 }) => {
      const n = proportionSampleSize(p1, p2, { alpha, power, ratio });
      expect(n).not.toBeNull();
      // solve_power is a numerical root search; its own tolerance is about 1e-8 relative.
      expect(close(n!, n1, 1e-6), `${n} vs ${n1}`).toBe(true);
    },
  );
  it.each(reference.power)('matches NormalIndPower.power(h=$h, n1=$n1)', ({ h, n1, alpha, ratio, power }) => {
    expect(close(proportionTestPower(h, n1, { alpha, ratio }), power, 1e-10)).toBe(true);
  });
  it('has no sample size when the target does not exceed the baseline', () => {
    expect(proportionSampleSize(0.4, 0.5)).toBeNull();
    expect(proportionSampleSize(0.4, 0.4)).toBeNull();
  });
});

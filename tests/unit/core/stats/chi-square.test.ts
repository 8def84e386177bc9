import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { FIXTURES } from '../../../support/paths';
import {
  chiSquareCdf,
  chiSquareHomogeneity,
  chiSquareSurvival,
  logGamma,
  regularizedGammaQ,
} from '../../../../src/lib/core/stats/chi-square';

interface Reference {
  survival: { x: number; df: number; p: number }[];
  cdf: { x: number; df: number; p: number }[];
  homogeneity: {
    name: string;
    table: number[][];
    statistic: number;
    df: number;
    pValue: number;
    expected: number[][];
    adjustedResiduals: number[][];
  }[];
}

const reference = JSON.parse(readFileSync(join(FIXTURES, 'reference/chi-square.json'), 'utf8')) as Reference;

/** Within 1e-9 relative (absolute for values near 0). */
function close(actual: number, expected: number, tolerance = 1e-9): boolean {
  return (
    Math.abs(actual - expected) <= tolerance * Math.max(Math.abs(expected), 1e-300) ||
    Math.abs(actual - expected) <= 1e-300
  );
}

describe('chi-square distribution', () => {
  it.each(reference.survival)('matches SciPy chi2.sf($x, $df) to 1e-9', ({ x, df, p }) => {
    const actual = chiSquareSurvival(x, df);
    expect(close(actual, p), `sf(${x}, ${df}) = ${actual}, SciPy ${p}`).toBe(true);
  });

  it.each(reference.cdf)('matches SciPy chi2.cdf($x, $df) to 1e-9', ({ x, df, p }) => {
    const actual = chiSquareCdf(x, df);
    expect(close(actual, p), `cdf(${x}, ${df}) = ${actual}, SciPy ${p}`).toBe(true);
  });

  it('computes ln Γ exactly at integers and half-integers', () => {
    expect(logGamma(1)).toBeCloseTo(0, 14);
    expect(logGamma(5)).toBeCloseTo(Math.log(24), 13);
    expect(logGamma(0.5)).toBeCloseTo(Math.log(Math.sqrt(Math.PI)), 14);
  });

  it('returns 1 at x = 0 and 0 at infinity, and rejects a non-positive shape', () => {
    expect(regularizedGammaQ(3, 0)).toBe(1);
    expect(regularizedGammaQ(3, Infinity)).toBe(0);
    expect(() => chiSquareSurvival(1, 0)).toThrow(RangeError);
  });
});

describe('chi-square test of homogeneity', () => {
  it.each(reference.homogeneity)('matches SciPy chi2_contingency on $name', (ref) => {
    const test = chiSquareHomogeneity(ref.table);
    expect(test).not.toBeNull();
    expect(test!.df).toBe(ref.df);
    expect(close(test!.statistic, ref.statistic)).toBe(true);
    expect(close(test!.pValue, ref.pValue), `p = ${test!.pValue}, SciPy ${ref.pValue}`).toBe(true);
    ref.expected.forEach((row, i) =>
      row.forEach((e, j) => expect(close(test!.expected[i]![j]!, e)).toBe(true)),
    );
    ref.adjustedResiduals.forEach((row, i) =>
      row.forEach((e, j) => expect(Math.abs(test!.adjustedResiduals[i]![j]! - e)).toBeLessThan(1e-9)),
    );
  });

  it('drops empty rows and columns, and needs two of each', () => {
    const test = chiSquareHomogeneity([
      [10, 0, 5],
      [0, 0, 0],
      [4, 0, 9],
    ]);
    expect(test?.df).toBe(1);
    expect(test?.droppedRows).toEqual([1]);
    expect(test?.droppedColumns).toEqual([1]);
    expect(chiSquareHomogeneity([[3, 4]])).toBeNull();
  });
});

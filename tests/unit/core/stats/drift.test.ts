import { describe, expect, it } from 'vitest';
import { driftReference, rowsOf } from '../../../fixtures/drift/reference';
import {
  PSI_EPSILON,
  chiSquareDrift,
  countValues,
  jensenShannon,
  kolmogorovSurvival,
  ksExactPValue,
  ksTwoSampleFromCounts,
  normalisedWasserstein,
  populationStd,
  psi,
  smirnovSurvival,
  wassersteinFromCounts,
} from '../../../../src/lib/core/stats/drift';

function relClose(actual: number, expected: number, rel: number, abs = 1e-300): boolean {
  return Math.abs(actual - expected) <= Math.max(rel * Math.abs(expected), abs);
}

describe('two-sample Kolmogorov–Smirnov', () => {
  it.each(driftReference.numeric)('matches SciPy ks_2samp on $name', (c) => {
    const result = ksTwoSampleFromCounts(rowsOf(c));
    expect(result.statistic).toBeCloseTo(c.ks.statistic, 12);
    expect(result.method).toBe(c.ks.method);
    expect(
      relClose(result.pValue, c.ks.pValue, 1e-6, 1e-12),
      `p = ${result.pValue}, SciPy ${c.ks.pValue}`,
    ).toBe(true);
  });

  it.each(driftReference.ksExact)(
    'exact p-value for m=$m, n=$n, d=$d matches SciPy',
    ({ m, n, d, pValue }) => {
      const p = ksExactPValue(d, m, n);
      expect(relClose(p, pValue, 1e-8, 1e-15), `p = ${p}, SciPy ${pValue}`).toBe(true);
    },
  );

  it.each(driftReference.kstwo)('kstwo.sf(d=$d, n=$n) matches SciPy', ({ n, d, sf }) => {
    const p = kolmogorovSurvival(n, d);
    // Pelz–Good stands in for SciPy's Durbin matrix where n·d^1.5 ≤ 1.4; both are near 1 there.
    expect(relClose(p, sf, 1e-6, 2e-5), `sf = ${p}, SciPy ${sf}`).toBe(true);
  });

  it.each(driftReference.kstwo.filter((k) => k.smirnov > 0))(
    'one-sided Smirnov survival (n=$n, d=$d) matches scipy.special.smirnov',
    ({ n, d, smirnov }) => {
      expect(relClose(smirnovSurvival(n, d), smirnov, 1e-9, 1e-15)).toBe(true);
    },
  );

  it('gives p = 1 and D = 0 for identical samples', () => {
    const result = ksTwoSampleFromCounts(countValues([1, 2, 3, 4], [4, 3, 2, 1]));
    expect(result.statistic).toBe(0);
    expect(result.pValue).toBe(1);
  });
});

describe('Wasserstein-1', () => {
  it.each(driftReference.numeric)('matches SciPy wasserstein_distance on $name', (c) => {
    expect(relClose(wassersteinFromCounts(rowsOf(c)), c.wasserstein, 1e-9, 1e-12)).toBe(true);
  });

  it.each(driftReference.numeric)('reference population std matches np.std on $name', (c) => {
    const std = populationStd(c.values.map((value, i) => ({ value, count: c.reference[i]! })));
    expect(relClose(std, c.referenceStd, 1e-9, 1e-12)).toBe(true);
  });

  it('floors the reference std at 0.001 as Evidently does', () => {
    const constant = driftReference.numeric.find((c) => c.name === 'constant-reference')!;
    expect(constant.referenceStd).toBe(0);
    expect(normalisedWasserstein(constant.wasserstein, 0)).toBeCloseTo(constant.wasserstein / 0.001, 9);
    expect(normalisedWasserstein(2, 4)).toBe(0.5);
  });
});

describe('categorical drift', () => {
  it.each(driftReference.categorical)('chi-square matches SciPy chi2_contingency on $name', (c) => {
    const test = chiSquareDrift(c.reference, c.current)!;
    expect(test.df).toBe(c.chiSquare.df);
    expect(relClose(test.statistic, c.chiSquare.statistic, 1e-9)).toBe(true);
    expect(relClose(test.pValue, c.chiSquare.pValue, 1e-8, 1e-300)).toBe(true);
  });

  it.each(driftReference.categorical)('Jensen–Shannon (base 2) matches SciPy on $name', (c) => {
    expect(jensenShannon(c.reference, c.current)).toBeCloseTo(c.jensenShannon, 12);
  });

  it('Jensen–Shannon is 1 for disjoint and 0 for proportional distributions', () => {
    expect(jensenShannon([10, 0], [0, 5])).toBeCloseTo(1, 12);
    expect(jensenShannon([10, 20], [1, 2])).toBe(0);
  });
});

describe('population stability index', () => {
  it('matches a hand computation', () => {
    // shares: ref 0.5 / 0.3 / 0.2, cur 0.4 / 0.3 / 0.3
    const expected = (0.4 - 0.5) * Math.log(0.4 / 0.5) + 0 + (0.3 - 0.2) * Math.log(0.3 / 0.2);
    expect(psi([50, 30, 20], [40, 30, 30])).toBeCloseTo(expected, 14);
    expect(expected).toBeCloseTo(0.0628609, 6);
  });

  it('replaces empty bins by the documented epsilon', () => {
    // ref 0.5 / 0.5 / 0, cur 0.25 / 0.25 / 0.5
    const expected =
      (0.25 - 0.5) * Math.log(0.25 / 0.5) * 2 + (0.5 - PSI_EPSILON) * Math.log(0.5 / PSI_EPSILON);
    expect(psi([2, 2, 0], [1, 1, 2])).toBeCloseTo(expected, 12);
    expect(PSI_EPSILON).toBe(0.0001);
  });

  it('is zero for identical shares and rejects mismatched bins', () => {
    expect(psi([1, 2, 3], [2, 4, 6])).toBe(0);
    expect(() => psi([1, 2], [1, 2, 3])).toThrow(RangeError);
  });
});

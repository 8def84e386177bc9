import { describe, it, expect } from 'vitest';
import { luhnValid } from '../../../../src/lib/core/stats/luhn';
import { ibanValid } from '../../../../src/lib/core/stats/iban';
import { cramersV } from '../../../../src/lib/core/stats/cramers-v';
import { binEdges, binIndex, niceBins } from '../../../../src/lib/core/stats/bins';
import { kurtosis, skewness } from '../../../../src/lib/core/stats/moments';
import { columnFamily, sqlKind } from '../../../../src/lib/core/sql/types';
import { isoDay, monthLabel } from '../../../../src/lib/core/profile/assemble';

describe('Luhn check', () => {
  it('accepts valid card numbers with or without separators and rejects altered ones', () => {
    expect(luhnValid('4539 1488 0343 6467')).toBe(true);
    expect(luhnValid('4539-1488-0343-6467')).toBe(true);
    expect(luhnValid('79927398713')).toBe(true);
    expect(luhnValid('4539148803436468')).toBe(false);
    expect(luhnValid('4539x48803436467')).toBe(false);
  });
});

describe('IBAN check digits', () => {
  it('accepts the textbook IBANs and rejects a changed check digit', () => {
    expect(ibanValid('GB82 WEST 1234 5698 7654 32')).toBe(true);
    expect(ibanValid('de89370400440532013000')).toBe(true);
    expect(ibanValid('DE88370400440532013000')).toBe(false);
    expect(ibanValid('DE89')).toBe(false);
  });
});

describe("Cramér's V", () => {
  it('matches SciPy chi2_contingency(correction=False)', () => {
    const cells = [
      { row: 'a', col: 'x', count: 12 },
      { row: 'a', col: 'y', count: 5 },
      { row: 'a', col: 'z', count: 3 },
      { row: 'b', col: 'x', count: 4 },
      { row: 'b', col: 'y', count: 10 },
      { row: 'b', col: 'z', count: 9 },
    ];
    const result = cramersV(cells);
    expect(result.chi2).toBeCloseTo(8.498731884057971, 12);
    expect(result.v).toBeCloseTo(0.44457274718119183, 12);
    expect(result.n).toBe(43);
  });

  it('is null when one side has a single level', () => {
    expect(
      cramersV([
        { row: 'a', col: 'x', count: 3 },
        { row: 'a', col: 'y', count: 4 },
      ]).v,
    ).toBeNull();
  });
});

describe('nice histogram bins', () => {
  it('covers the range with at most the requested bins on round edges', () => {
    const bins = niceBins(32.1, 59.6, 20);
    expect(bins).toEqual({ start: 32, step: 2, count: 14 });
    expect(binEdges(bins).at(-1)).toBe(60);
  });

  it('keeps integer data on integer steps and puts the maximum in the last bin', () => {
    const bins = niceBins(0, 5, 20, true);
    expect(bins.step).toBe(1);
    expect(binIndex(5, bins)).toBe(bins.count - 1);
    expect(binIndex(0, bins)).toBe(0);
  });

  it('gives a constant column one bin and survives float noise', () => {
    expect(niceBins(7, 7, 20).count).toBe(1);
    const bins = niceBins(0, 0.3, 3);
    expect(binIndex(0.3 - 1e-17, bins)).toBe(bins.count - 1);
    expect(binEdges(niceBins(0.1, 0.7, 20)).every((e) => String(e).length < 8)).toBe(true);
  });
});

describe('moments', () => {
  it('matches pandas skew and kurt from central sums', () => {
    const xs = [1, 2, 3, 4, 10];
    const mean = xs.reduce((s, x) => s + x, 0) / xs.length;
    const sum = (k: number): number => xs.reduce((s, x) => s + (x - mean) ** k, 0);
    const sums = { n: xs.length, m2: sum(2), m3: sum(3), m4: sum(4) };
    expect(skewness(sums)).toBeCloseTo(1.697056274847714, 12);
    expect(kurtosis(sums)).toBeCloseTo(3.1519999999999992, 12);
    expect(skewness({ n: 2, m2: 1, m3: 0, m4: 1 })).toBeNull();
    expect(kurtosis({ n: 5, m2: 0, m3: 0, m4: 0 })).toBe(0);
  });
});

describe('column families', () => {
  it('classifies DuckDB types', () => {
    expect(sqlKind('DECIMAL(18,3)')).toBe('decimal');
    expect(sqlKind('TIMESTAMP_NS')).toBe('timestamp');
    expect(sqlKind('TIMESTAMP WITH TIME ZONE')).toBe('other');
    expect(sqlKind("ENUM('a', 'b')")).toBe('string');
    const t = { categoricalMaxDistinct: 50, categoricalMaxDistinctShare: 0.05 };
    expect(columnFamily('VARCHAR', 3, 10, t)).toBe('categorical');
    expect(columnFamily('VARCHAR', 51, 100, t)).toBe('text');
    expect(columnFamily('VARCHAR', 254, 3_000_000, t)).toBe('categorical');
    expect(columnFamily('INTEGER[]', 3, 10, t)).toBe('other');
    expect(columnFamily('UBIGINT', 3, 10, t)).toBe('numeric');
  });

  it('formats month indexes and epoch days', () => {
    expect(monthLabel(2001 * 12 + 0)).toBe('2001-01');
    expect(monthLabel(1999 * 12 + 11)).toBe('1999-12');
    expect(isoDay(0)).toBe('1970-01-01');
    expect(isoDay(-25567)).toBe('1900-01-01');
  });
});

import { describe, expect, it } from 'vitest';
import {
  formatBytes,
  formatCount,
  formatCountShare,
  formatDistinct,
  formatMoney,
  formatNumber,
  formatPercentPoints,
  formatPValue,
  formatShare,
} from '../../../../src/lib/core/format';

describe('formatCount', () => {
  it('groups thousands and rounds to a whole count', () => {
    expect(formatCount(0)).toBe('0');
    expect(formatCount(1)).toBe('1');
    expect(formatCount(12345)).toBe('12,345');
    expect(formatCount(1e12)).toBe('1,000,000,000,000');
    expect(formatCount(-2831)).toBe('-2,831');
    expect(formatCount(2.6)).toBe('3');
  });

  it('reads a missing count as a dash and an infinite one as ∞', () => {
    expect(formatCount(Number.NaN)).toBe('—');
    expect(formatCount(null)).toBe('—');
    expect(formatCount(Infinity)).toBe('∞');
    expect(formatCount(-Infinity)).toBe('-∞');
    expect(formatCount(-0.2)).toBe('0');
  });
});

describe('formatNumber', () => {
  it('keeps about three significant digits, at most three decimals', () => {
    expect(formatNumber(0)).toBe('0');
    expect(formatNumber(1)).toBe('1');
    expect(formatNumber(0.9859)).toBe('0.986');
    expect(formatNumber(0.0234)).toBe('0.023');
    expect(formatNumber(1.2345)).toBe('1.23');
    expect(formatNumber(12.345)).toBe('12.3');
    expect(formatNumber(1234.56)).toBe('1,235');
    expect(formatNumber(-3.14159)).toBe('-3.14');
  });

  it('never writes e-notation', () => {
    expect(formatNumber(6e-4)).toBe('<0.001');
    expect(formatNumber(1e-7)).toBe('<0.001');
    expect(formatNumber(-1e-7)).toBe('>-0.001');
    expect(formatNumber(1e12)).toBe('1,000,000,000,000');
    expect(formatNumber(1.5e21)).toBe('1,500,000,000,000,000,000,000');
    expect(formatNumber(1e-7)).not.toMatch(/e/i);
  });

  it('honours explicit digits, with the floor at that precision', () => {
    expect(formatNumber(0.12345, { digits: 2 })).toBe('0.12');
    expect(formatNumber(0.004, { digits: 2 })).toBe('<0.01');
    expect(formatNumber(0.0006, { digits: 4 })).toBe('0.0006');
    expect(formatNumber(2, { digits: 2 })).toBe('2');
  });

  it('keeps significant digits of a data value without e-notation', () => {
    expect(formatNumber(0.000123456, { significant: 4 })).toBe('0.0001235');
    expect(formatNumber(1234567.891, { significant: 6 })).toBe('1,234,568');
    expect(formatNumber(-2.5, { significant: 6 })).toBe('-2.5');
    expect(formatNumber(1e-7, { significant: 3 })).toBe('0.0000001');
  });

  it('reads missing and infinite values', () => {
    expect(formatNumber(Number.NaN)).toBe('—');
    expect(formatNumber(undefined)).toBe('—');
    expect(formatNumber(Infinity)).toBe('∞');
    expect(formatNumber(-Infinity)).toBe('-∞');
  });
});

describe('formatShare', () => {
  it('writes a share as a percentage with one decimal at most', () => {
    expect(formatShare(0.9859)).toBe('98.6 %');
    expect(formatShare(0.123)).toBe('12.3 %');
    expect(formatShare(0.5)).toBe('50 %');
    expect(formatShare(0)).toBe('0 %');
    expect(formatShare(1)).toBe('100 %');
    expect(formatShare(0.12345, { digits: 2 })).toBe('12.35 %');
  });

  it('never rounds a non-zero share to 0 % or a partial one to 100 %', () => {
    expect(formatShare(1e-7)).toBe('<0.1 %');
    expect(formatShare(0.0004)).toBe('<0.1 %');
    expect(formatShare(0.0005)).toBe('0.1 %');
    expect(formatShare(0.99995)).toBe('>99.9 %');
    expect(formatShare(0.9994)).toBe('99.9 %');
  });

  it('clamps and flags a value that cannot be a share', () => {
    expect(formatShare(3.3)).toBe('100 % (out of range: 3.3)');
    expect(formatShare(-0.2)).toBe('0 % (out of range: -0.2)');
  });

  it('reads a missing share as a dash', () => {
    expect(formatShare(Number.NaN)).toBe('—');
    expect(formatShare(Infinity)).toBe('—');
    expect(formatShare(null)).toBe('—');
  });
});

describe('formatPValue', () => {
  it('writes a p-value with its relation, never in e-notation', () => {
    expect(formatPValue(4.9e-154)).toBe('p < 0.0001');
    expect(formatPValue(0.0234)).toBe('p = 0.0234');
    expect(formatPValue(1)).toBe('p = 1');
  });
});

describe('formatPercentPoints', () => {
  it('signs a change between shares', () => {
    expect(formatPercentPoints(0.032)).toBe('+3.2 pp');
    expect(formatPercentPoints(-0.005)).toBe('-0.5 pp');
    expect(formatPercentPoints(0)).toBe('0 pp');
    expect(formatPercentPoints(-0.0001)).toBe('0 pp');
    expect(formatPercentPoints(Number.NaN)).toBe('—');
    expect(formatPercentPoints(0.05, { signed: false, words: true })).toBe('5 percentage points');
    expect(formatPercentPoints(0.01, { signed: false, words: true })).toBe('1 percentage point');
    expect(formatPercentPoints(0.034, { signed: false })).toBe('3.4 pp');
  });
});

describe('formatMoney', () => {
  it('says costs and savings in words, with currency and period', () => {
    expect(formatMoney(-5896, { currency: 'EUR', period: 'month', signWords: true })).toBe(
      'saves €5,896 a month',
    );
    expect(formatMoney(1200, { currency: 'EUR', period: 'month', signWords: true })).toBe(
      'costs €1,200 a month',
    );
    expect(formatMoney(0.2, { currency: 'EUR', signWords: true })).toBe('breaks even');
    expect(
      formatMoney(300, {
        currency: 'GBP',
        period: 'year',
        signWords: { positive: 'earns', negative: 'loses' },
      }),
    ).toBe('earns £300 a year');
  });

  it('writes codes, symbols and unit words where a reader expects them', () => {
    expect(formatMoney(5896.4, { currency: 'CHF' })).toBe('CHF 5,896');
    expect(formatMoney(5896, { currency: '€' })).toBe('€5,896');
    expect(formatMoney(5, { currency: 'calls', period: '1,000 cases' })).toBe('5 calls per 1,000 cases');
    expect(formatMoney(-300, { currency: 'usd' })).toBe('-$300');
    expect(formatMoney(1234.5, { currency: 'EUR', digits: 2 })).toBe('€1,234.5');
    expect(formatMoney(1234)).toBe('1,234');
    expect(formatMoney(Number.NaN, { currency: 'EUR' })).toBe('—');
  });
});

describe('counts with context', () => {
  it('writes a count with its share, a distinct estimate and a size', () => {
    expect(formatCountShare(2831, 200000)).toBe('2,831 (1.4 %)');
    expect(formatCountShare(3, 0)).toBe('3');
    expect(formatDistinct({ value: 12000, approximate: true })).toBe('≈12,000');
    expect(formatBytes(512)).toBe('512 B');
    expect(formatBytes(1536)).toBe('1.5 KB');
    expect(formatBytes(12 * 1024 * 1024)).toBe('12 MB');
  });
});

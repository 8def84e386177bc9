import { describe, expect, it } from 'vitest';
import { formatCell, formatDate, formatDuration, formatTimestamp } from '../../../../src/lib/core/format';

describe('formatDate', () => {
  it('shows a date at its granularity', () => {
    const value = '2023-11-03T00:00:00.000Z';
    expect(formatDate(value, 'day')).toBe('3 Nov 2023');
    expect(formatDate(value, 'month')).toBe('Nov 2023');
    expect(formatDate(value, 'quarter')).toBe('2023 Q4');
    expect(formatDate(value, 'year')).toBe('2023');
    expect(formatDate(value, 'week')).toBe('week of 3 Nov 2023');
    expect(formatDate('2023-11-03 15:01:07', 'hour')).toBe('3 Nov 2023, 15:01');
    expect(formatDate('2023-11-03 15:01:07', 'second')).toBe('3 Nov 2023, 15:01:07');
    expect(formatDate('2023-11-03 15:01:07', 'instant')).toBe('3 Nov 2023, 15:01:07');
    expect(formatDate('2023-11-03 15:01:00', 'instant')).toBe('3 Nov 2023, 15:01');
  });

  it('reads dates as UTC whatever their form', () => {
    expect(formatDate('2023-09-30')).toBe('30 Sep 2023');
    expect(formatDate(Date.UTC(2024, 1, 29))).toBe('29 Feb 2024');
    expect(formatDate(new Date(Date.UTC(1999, 11, 31, 23, 59)), 'minute')).toBe('31 Dec 1999, 23:59');
    expect(formatDate('2024-Q1', 'quarter')).toBe('2024 Q1');
    expect(formatDate('2024-03', 'month')).toBe('Mar 2024');
    expect(formatDate('1970', 'year')).toBe('1970');
    expect(formatDate('2023-11-03T23:30:00+02:00', 'minute')).toBe('3 Nov 2023, 21:30');
  });

  it('returns text that is not a date unchanged, and a dash for nothing', () => {
    expect(formatDate('not a date')).toBe('not a date');
    expect(formatDate('2023-13-45')).toBe('2023-13-45');
    expect(formatDate(null)).toBe('—');
    expect(formatDate(Number.NaN)).toBe('NaN');
  });
});

describe('formatTimestamp', () => {
  it('writes when something was generated, in UTC', () => {
    expect(formatTimestamp('2026-12-03T15:01:42.123Z')).toBe('3 Dec 2026, 15:01 UTC');
    expect(formatTimestamp('garbage')).toBe('—');
  });
});

describe('formatDuration', () => {
  it('counts in the data unit with its plural', () => {
    expect(formatDuration(729, 'day')).toBe('729 days');
    expect(formatDuration(1, 'year')).toBe('1 year');
    expect(formatDuration(24, 'months')).toBe('24 months');
    expect(formatDuration(2.5, 'month')).toBe('2.5 months');
    expect(formatDuration(0, 'quarter')).toBe('0 quarters');
    expect(formatDuration(1.04, 'day')).toBe('1 day');
    expect(formatDuration(12345.6, 'second')).toBe('12,346 seconds');
    expect(formatDuration(Number.NaN, 'day')).toBe('—');
  });
});

describe('formatCell', () => {
  it('shows DATE values at the column granularity instead of ISO text', () => {
    expect(formatCell('2023-11-03T00:00:00.000Z', { type: 'DATE' })).toBe('3 Nov 2023');
    expect(formatCell('2023-11-01T00:00:00.000Z', { type: 'DATE', granularity: 'month' })).toBe('Nov 2023');
    expect(formatCell('2023-11-03T15:01:07.000Z', { type: 'TIMESTAMP' })).toBe('3 Nov 2023, 15:01:07');
    expect(formatCell('2023-11-03T15:01:07.000Z', { type: 'TIMESTAMP WITH TIME ZONE' })).toBe(
      '3 Nov 2023, 15:01:07',
    );
  });

  it('keeps numbers as written in the data, never in e-notation', () => {
    expect(formatCell(2023)).toBe('2023');
    expect(formatCell(1e-7)).toBe('0.0000001');
    expect(formatCell(0.1 + 0.2)).toBe('0.3');
    expect(formatCell(1e21)).toBe('1000000000000000000000');
    expect(formatCell(12345678901234567890n)).toBe('12345678901234567890');
    expect(formatCell(Number.NaN)).toBe('NaN');
    expect(formatCell('a<b>')).toBe('a<b>');
    expect(formatCell(null)).toBe('');
    expect(formatCell(true)).toBe('true');
  });
});

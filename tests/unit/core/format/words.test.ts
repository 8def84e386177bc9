import { describe, expect, it } from 'vitest';
import {
  formatEvidenceValue,
  formatList,
  keyWords,
  plural,
  pluralWord,
} from '../../../../src/lib/core/format';

describe('plural', () => {
  it('is singular for exactly one', () => {
    expect(plural(1, 'blocker')).toBe('1 blocker');
    expect(plural(2, 'blocker')).toBe('2 blockers');
    expect(plural(0, 'blocker')).toBe('0 blockers');
    expect(plural(12345, 'row')).toBe('12,345 rows');
  });

  it('knows regular and irregular English plurals', () => {
    expect(pluralWord(2, 'class')).toBe('classes');
    expect(pluralWord(2, 'category')).toBe('categories');
    expect(pluralWord(2, 'day')).toBe('days');
    expect(pluralWord(2, 'analysis')).toBe('analyses');
    expect(pluralWord(2, 'person')).toBe('people');
    expect(pluralWord(1.5, 'year')).toBe('years');
    expect(plural(3, 'cactus', 'cacti')).toBe('3 cacti');
  });
});

describe('formatList and keyWords', () => {
  it('joins items as prose', () => {
    expect(formatList([])).toBe('');
    expect(formatList(['a'])).toBe('a');
    expect(formatList(['a', 'b'])).toBe('a and b');
    expect(formatList(['a', 'b', 'c'], 'or')).toBe('a, b or c');
  });

  it('reads a key as words when nothing better is known', () => {
    expect(keyWords('minorityRows')).toBe('minority rows');
    expect(keyWords('belowSeedGuidance')).toBe('below seed guidance');
    expect(keyWords('PSIValue')).toBe('PSI value');
    expect(keyWords('presenceAuc')).toBe('presence AUC');
    expect(keyWords('share:Yes rate')).toBe('share: Yes rate');
    expect(keyWords('rows_per_feature')).toBe('rows per feature');
  });
});

describe('formatEvidenceValue', () => {
  it('reads each kind of evidence as its label says', () => {
    expect(formatEvidenceValue({ label: 'Minority rows', kind: 'count', unit: 'row' }, 2831)).toBe(
      '2,831 rows',
    );
    expect(formatEvidenceValue({ label: 'Minority rows', kind: 'count', unit: 'row' }, 1)).toBe('1 row');
    expect(formatEvidenceValue({ label: 'Filled share', kind: 'share' }, 0.9859)).toBe('98.6 %');
    expect(formatEvidenceValue({ label: 'Below guidance', kind: 'boolean' }, false)).toBe('no');
    expect(formatEvidenceValue({ label: 'First date', kind: 'date' }, '2023-11-03T00:00:00.000Z')).toBe(
      '3 Nov 2023',
    );
    expect(
      formatEvidenceValue({ label: 'First period', kind: 'date', granularity: 'quarter' }, '2023-11-01'),
    ).toBe('2023 Q4');
    expect(formatEvidenceValue({ label: 'Span', kind: 'duration', unit: 'day' }, 729)).toBe('729 days');
    expect(formatEvidenceValue({ label: 'Ratio', kind: 'number' }, 6e-4)).toBe('<0.001');
    expect(formatEvidenceValue({ label: 'Shift', kind: 'number', unit: 'σ' }, 2.345)).toBe('2.35 σ');
    expect(formatEvidenceValue({ label: 'Cost', kind: 'money', unit: 'EUR' }, 1200)).toBe('€1,200');
    expect(formatEvidenceValue({ label: 'Columns', kind: 'list' }, '["a","b","c"]')).toBe('a, b and c');
    expect(formatEvidenceValue({ label: 'Columns', kind: 'list' }, '[]')).toBe('none');
  });

  it('shows a value without a label plainly', () => {
    expect(formatEvidenceValue(undefined, 12345)).toBe('12,345');
    expect(formatEvidenceValue(undefined, 0.00012)).toBe('<0.001');
    expect(formatEvidenceValue(undefined, true)).toBe('yes');
    expect(formatEvidenceValue(undefined, null)).toBe('—');
    expect(formatEvidenceValue(undefined, 'text')).toBe('text');
  });
});

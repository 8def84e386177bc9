import { describe, expect, it } from 'vitest';
import { summaryBatches } from '../../../../src/lib/core/profile/choices';
import { columnBatches, type ProfileColumn } from '../../../../src/lib/core/sql/profile';
import { sqlKind } from '../../../../src/lib/core/sql/types';
import { SUMMARY_MAX_HELD_VALUES } from '../../../../src/lib/core/thresholds';

const column = (index: number, type: string): ProfileColumn => ({
  index,
  name: `col${index}`,
  type,
  kind: sqlKind(type),
});

// Numeric columns hold their values for the quantiles; text, dates and booleans hold none.
const COLUMNS = [
  column(0, 'BIGINT'),
  column(1, 'VARCHAR'),
  column(2, 'DOUBLE'),
  column(3, 'DATE'),
  column(4, 'INTEGER'),
  column(5, 'BOOLEAN'),
  column(6, 'DECIMAL(10,2)'),
];
const indices = (batches: ProfileColumn[][]): number[][] => batches.map((b) => b.map((c) => c.index));

describe('summaryBatches', () => {
  it('keeps every column in one statement while rows × numeric columns fit the budget', () => {
    const batches = summaryBatches(COLUMNS, 1000, 'approx', { maxHeldValues: 4000 });
    expect(indices(batches)).toEqual([[0, 1, 2, 3, 4, 5, 6]]);
  });

  it('starts a statement when the next numeric column would exceed the budget', () => {
    // Two numeric columns of 1,000 rows fit in 2,000 values; the text, date and boolean columns cost nothing.
    const batches = summaryBatches(COLUMNS, 1000, 'approx', { maxHeldValues: 2000 });
    expect(indices(batches)).toEqual([
      [0, 1, 2, 3],
      [4, 5, 6],
    ]);
  });

  it('gives a numeric column above the budget a statement of its own', () => {
    const batches = summaryBatches(COLUMNS, 1000, 'none', { maxHeldValues: 10 });
    expect(indices(batches)).toEqual([[0, 1], [2, 3], [4, 5], [6]]);
  });

  it('counts an exact distinct count as one more held value per row, on every column', () => {
    const batches = summaryBatches(COLUMNS, 1000, 'exact', { maxHeldValues: 3000 });
    // Numeric columns cost 2,000, the others 1,000.
    expect(indices(batches)).toEqual([[0, 1], [2, 3], [4, 5], [6]]);
  });

  it('splits as columnBatches does within the budget', () => {
    const wide = Array.from({ length: 23 }, (_, i) => column(i, i % 2 ? 'VARCHAR' : 'DOUBLE'));
    const plan = summaryBatches(wide, 100, 'approx', { maxHeldValues: 1e9, columnBatch: 5 });
    expect(indices(plan)).toEqual(indices(columnBatches(wide, 5)));
  });

  it('puts two of the largest table’s six numeric columns in a statement at 30M rows, six at 10M', () => {
    const churn = Array.from({ length: 20 }, (_, i) => column(i, i < 6 ? 'DOUBLE' : 'VARCHAR'));
    const numericPer = (rows: number): number[] =>
      summaryBatches(churn, rows, 'approx', { maxHeldValues: SUMMARY_MAX_HELD_VALUES }).map(
        (b) => b.filter((c) => c.kind !== 'string').length,
      );
    expect(numericPer(30_000_000)).toEqual([2, 2, 2]);
    expect(numericPer(10_000_000)).toEqual([6]);
  });

  it('returns one empty batch for a table without columns, as columnBatches does', () => {
    expect(summaryBatches([], 10, 'none', { maxHeldValues: 1 })).toEqual([[]]);
  });
});

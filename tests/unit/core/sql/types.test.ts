import { describe, expect, it } from 'vitest';
import { columnFamily, isCategorical } from '../../../../src/lib/core/sql/types';
import { isNumericDriftType } from '../../../../src/lib/core/sql/drift';
import { familyOf } from '../../../../src/lib/core/readiness/setup';
import { READINESS_THRESHOLDS, THRESHOLDS } from '../../../../src/lib/core/thresholds';

describe('the one DuckDB type classifier', () => {
  it('compares every numeric spelling as a number in drift, aliases included', () => {
    for (const type of [
      'INT8',
      'LONG',
      'NUMERIC(10,2)',
      'HUGEINT',
      'UBIGINT',
      'DECIMAL',
      'NUMERIC',
      'int4',
      'FLOAT8',
    ])
      expect(isNumericDriftType(type), type).toBe(true);
  });

  it('keeps booleans, text, dates and lists out of numeric drift', () => {
    for (const type of ['BOOLEAN', 'VARCHAR', 'DATE', 'TIMESTAMP', 'INTEGER[]', 'INTERVAL'])
      expect(isNumericDriftType(type), type).toBe(false);
  });
});

describe('the one categorical rule', () => {
  it('calls 60 distinct values over 10,000 rows (0.6 %) categorical in the profile and in readiness', () => {
    expect(columnFamily('VARCHAR', 60, 10_000, THRESHOLDS)).toBe('categorical');
    expect(familyOf({ name: 'city', type: 'VARCHAR' }, 10_000, 60, 0, READINESS_THRESHOLDS)).toBe(
      'categorical',
    );
  });

  it('calls 60 distinct values over 600 rows (10 %) text in both', () => {
    expect(columnFamily('VARCHAR', 60, 600, THRESHOLDS)).toBe('text');
    expect(familyOf({ name: 'note', type: 'VARCHAR' }, 600, 60, 0, READINESS_THRESHOLDS)).toBe('text');
  });

  it('reads its limits from the profile thresholds in both places', () => {
    expect(READINESS_THRESHOLDS.categoricalMaxDistinct).toBe(THRESHOLDS.categoricalMaxDistinct);
    expect(READINESS_THRESHOLDS.categoricalMaxDistinctShare).toBe(THRESHOLDS.categoricalMaxDistinctShare);
    expect(isCategorical("ENUM('a', 'b')", 5_000, 5_000, THRESHOLDS)).toBe(true);
  });
});

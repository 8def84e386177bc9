import { afterEach, describe, expect, it } from 'vitest';
import { CLICKHOUSE, DUCKDB, dialect, useDialect } from '../../../../../src/lib/core/sql/dialect';
import { canFuseOneRow } from '../../../../../src/lib/core/sql/fused';
import { ident, str } from '../../../../../src/lib/core/sql/quote';
import { describeTableQuery } from '../../../../../src/lib/core/sql/table';

afterEach(() => useDialect(DUCKDB));

describe('the active dialect', () => {
  it('is DuckDB until the process chooses another', () => {
    expect(dialect).toBe(DUCKDB);
    expect(describeTableQuery('t')).toContain('duckdb_columns()');
    expect(canFuseOneRow()).toBe(true);
  });

  it('is read by every builder at call time once chosen', () => {
    useDialect(CLICKHOUSE);
    expect(dialect).toBe(CLICKHOUSE);
    expect(describeTableQuery('t')).toContain('system.columns');
    expect(canFuseOneRow()).toBe(false);
  });

  it('quotes backslashes for an engine that reads them as escapes, so a name ending in one stays inside its quotes', () => {
    expect(ident('a\\')).toBe('"a\\"');
    expect(str("it's\\")).toBe("'it''s\\'");
    useDialect(CLICKHOUSE);
    expect(ident('a\\')).toBe('"a\\\\"');
    expect(str("it's\\")).toBe("'it''s\\\\'");
    useDialect(DUCKDB);
    expect(str('a\\b')).toBe("'a\\b'");
  });
});

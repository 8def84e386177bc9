import { describe, it, expect } from 'vitest';
import { join } from 'node:path';
import { useEngine, loadFile, FIXTURES } from '../../../support/engine';
import { profileDataset } from '../../../../src/lib/session/profile';
import { duplicatesByHashQuery, rowByHashQuery } from '../../../../src/lib/core/sql/profile';

const conn = useEngine();

describe('duplicate rows on tables too large to group on every column', () => {
  it('counts the same duplicates by row hash as by grouping on every column', async () => {
    const loaded = await loadFile(conn, join(FIXTURES, 'profile/planted.csv'));
    const exact = await profileDataset(conn, loaded.tableName, 'exact');
    const hashed = await profileDataset(conn, loaded.tableName, 'hashed', {
      thresholds: { exactDuplicatesMaxRows: 0 },
    });
    expect(exact.duplicateRows).toBe(10);
    expect(hashed.duplicateRows).toBe(exact.duplicateRows);
    expect(hashed.duplicateExample).not.toBeNull();
  });

  it('finds the most repeated row, NULLs included, with hostile column names', async () => {
    await conn.exec(
      `CREATE TABLE dup_hash AS SELECT (i % 3)::INTEGER AS "a""; DROP TABLE t; --", CASE WHEN i % 3 = 0 THEN NULL ELSE 'x' END AS "<b>" FROM range(10) t(i)`,
    );
    const names = ['a"; DROP TABLE t; --', '<b>'];
    const [summary] = await conn.query(duplicatesByHashQuery('dup_hash', names));
    expect(summary?.duplicates).toBe(7);
    expect(summary?.copies).toBe(4);
    const [row] = await conn.query(rowByHashQuery('dup_hash', names, String(summary?.top_hash)));
    expect(row).toEqual({ 'a"; DROP TABLE t; --': 0, '<b>': null });
  });

  it('refuses a hash that is not a number', () => {
    expect(() => rowByHashQuery('t', ['a'], '1 OR 1=1')).toThrow(/Not a row hash/);
  });
});

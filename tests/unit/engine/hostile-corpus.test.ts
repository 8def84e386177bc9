import { describe, it, expect } from 'vitest';
import { tableFromArrays, tableToIPC } from 'apache-arrow';
import { useEngine, loadBytes } from '../../support/engine';
import { LoadError } from '../../../src/lib/engine/errors';
import { MAX_COLUMN_NAME_LENGTH } from '../../../src/lib/engine/column-names';
import { dropTableQuery } from '../../../src/lib/core/sql/table';
import { ident } from '../../../src/lib/core/sql/quote';
import { dataFileCases, hostileFileCases } from '../../fixtures/bad/manifest';

const conn = useEngine();
const PROBE = tableToIPC(tableFromArrays({ a: Int32Array.from([1, 2]) }), 'stream');

async function tableNames(): Promise<string[]> {
  return (await conn.query('SELECT table_name FROM duckdb_tables() ORDER BY 1')).map((r) =>
    String(r.table_name),
  );
}

/**
 * What no message for a consultant may hold: a stack frame, an engine's JSON, a JS
 * property error, a zod dump, the loader's internal table names, or a character that
 * hides text or reverses its direction.
 */
const RAW =
  /\bat \w+ \(|wasm-function|exception_type|Cannot read propert|\bundefined\b|\[object |"code":|__source\b/;
// eslint-disable-next-line no-control-regex
const HIDDEN = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/;

function expectReadable(text: string): void {
  expect(text).not.toMatch(RAW);
  expect(text).not.toMatch(HIDDEN);
  expect(text.length).toBeLessThan(800);
}

describe('the hostile-file corpus', () => {
  it('has at least 45 data-file cases, and unique ids across data files and workbooks', () => {
    const ids = hostileFileCases.map((c) => c.id);
    expect(new Set(ids).size).toBe(ids.length);
    expect(dataFileCases.length).toBeGreaterThanOrEqual(45);
    expect(ids.length).toBeGreaterThan(dataFileCases.length);
  });

  it.each(hostileFileCases.map((c) => [c.id, c] as const))('%s', async (_, hostile) => {
    const before = await tableNames();
    const bytes = await hostile.bytes();
    const tableName = `hostile_${hostile.id.replace(/\W/g, '_')}`;
    const expected = hostile.expect;
    if ('refused' in expected) {
      const error: unknown = await loadBytes(conn, hostile.fileName, bytes, { tableName }).then(
        () => undefined,
        (e: unknown) => e,
      );
      expect(error, `${hostile.id} loaded, but it must be refused`).toBeInstanceOf(LoadError);
      const loadError = error as LoadError;
      expect({ code: loadError.code, message: loadError.message }).toMatchObject({
        code: expected.refused,
        message: expect.stringMatching(expected.message),
      });
      expectReadable(loadError.message);
      // No half-created table is left behind.
      expect(await tableNames()).toEqual(before);
    } else {
      const loaded = await loadBytes(conn, hostile.fileName, bytes, { tableName });
      if (expected.rows !== undefined) expect(loaded.rowCount).toBe(expected.rows);
      if (expected.columns !== undefined) expect(loaded.columns).toHaveLength(expected.columns);
      if (expected.warning) expect(loaded.warnings.join('\n')).toMatch(expected.warning);
      for (const warning of loaded.warnings) expectReadable(warning);
      // What the audit document requires of every loaded column.
      for (const column of loaded.columns) {
        expect([...column.name].length).toBeLessThanOrEqual(MAX_COLUMN_NAME_LENGTH);
        expect(column.type.length).toBeLessThanOrEqual(10_000);
      }
      // Every value can be read back (a struct nested past the engine's depth could not).
      const rows = await conn.query(`SELECT * FROM ${ident(tableName)} LIMIT 5`);
      expect(rows.length).toBe(Math.min(5, loaded.rowCount));
      await conn.exec(dropTableQuery(tableName));
      expect(await tableNames()).toEqual(before);
    }
    // The engine still answers, and still imports Arrow (a schema nested past its depth broke every later import).
    const [row] = await conn.query('SELECT 1 + 1 AS two');
    expect(row?.two).toBe(2);
    await conn.insertArrowIPC('hostile_probe', PROBE);
    expect(await conn.query(`SELECT count(*) AS n FROM hostile_probe`)).toEqual([{ n: 2 }]);
    await conn.exec(dropTableQuery('hostile_probe'));
  });
});

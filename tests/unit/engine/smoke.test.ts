import { describe, it, expect } from 'vitest';
import { useEngine, loadFile, VEGA } from '../../support/engine';
import { join } from 'node:path';

const conn = useEngine();

describe('node engine', () => {
  it('runs the DuckDB-WASM engine with extension autoloading off', async () => {
    const [row] = await conn.query(
      `SELECT current_setting('autoload_known_extensions') AS autoload, version() AS v`,
    );
    expect(row?.autoload).toBe(false);
    expect(String(row?.v)).toMatch(/^v1\.4/);
  });

  it('loads seattle-weather.csv with sniffed types', async () => {
    const loaded = await loadFile(conn, join(VEGA, 'seattle-weather.csv'));
    expect(loaded.rowCount).toBe(1461);
    expect(loaded.columns.find((c) => c.name === 'date')?.type).toBe('DATE');
  });
});

describe('table helpers', () => {
  it('pages a table with hostile names and drops it', async () => {
    const { previewPageQuery, dropTableQuery } = await import('../../../src/lib/core/sql/table');
    const table = 'x"; DROP TABLE y; --';
    await conn.exec(`CREATE TABLE "x""; DROP TABLE y; --" AS SELECT range AS i FROM range(100)`);
    const page = await conn.query(previewPageQuery(table, 90, 50));
    expect(page.map((r) => r.i)).toEqual([90, 91, 92, 93, 94, 95, 96, 97, 98, 99]);
    expect(await conn.query(previewPageQuery(table, -5, 0.5))).toHaveLength(1);
    await conn.exec(dropTableQuery(table));
    expect(
      await conn.query(`SELECT * FROM duckdb_tables() WHERE table_name = 'x"; DROP TABLE y; --'`),
    ).toEqual([]);
  });
});

import { describe, it, expect, beforeAll } from 'vitest';
import { engine, loadFile, VEGA } from '../../support/engine';
import type { Connector } from '../../../src/lib/engine/connector';
import { join } from 'node:path';

let conn: Connector;
beforeAll(async () => {
  conn = await engine();
});

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

import { describe, it, expect } from 'vitest';
import { join } from 'node:path';
import { readFileSync } from 'node:fs';
import { tableFromIPC } from 'apache-arrow';
import { useEngine, loadFile, loadBytes, VEGA, FIXTURES } from '../../support/engine';
import type { Row } from '../../../src/lib/engine/connector';
import { ident } from '../../../src/lib/core/sql/quote';

const conn = useEngine();

const FORMATS = join(FIXTURES, 'formats');

async function namesAndAmounts(table: string): Promise<Row[]> {
  return conn.query(`SELECT name, amount FROM ${ident(table)} ORDER BY id`);
}

describe('format round-trips: the same 20 rows through every loader', () => {
  const reference = (): Promise<Row[]> =>
    loadFile(conn, join(FORMATS, 'tiny.csv')).then((d) => namesAndAmounts(d.tableName));

  it.each([
    'tiny.csv',
    'tiny.tsv',
    'tiny.json',
    'tiny.ndjson',
    'tiny-snappy.parquet',
    'tiny-gzip.parquet',
    'tiny-zstd.parquet',
    'tiny.arrow',
    'tiny.arrows',
  ])('loads %s with the same names and amounts as the CSV', async (file) => {
    const loaded = await loadFile(conn, join(FORMATS, file));
    expect(loaded.rowCount).toBe(20);
    expect(await namesAndAmounts(loaded.tableName)).toEqual(await reference());
  });

  it('loads the chosen Excel sheet with typed columns', async () => {
    const loaded = await loadFile(conn, join(FORMATS, 'tiny.xlsx'), { sheet: 'Customers' });
    expect(loaded.rowCount).toBe(20);
    expect(loaded.sheets).toEqual(['Notes', 'Customers']);
    expect(Object.fromEntries(loaded.columns.map((c) => [c.name, c.type]))).toEqual({
      id: 'DOUBLE',
      name: 'VARCHAR',
      signup_date: 'TIMESTAMP_MS',
      amount: 'DOUBLE',
      active: 'BOOLEAN',
    });
    expect(await namesAndAmounts(loaded.tableName)).toEqual(await reference());
  });

  it('loads the largest sheet by default, not the notes sheet before it, and says which', async () => {
    const loaded = await loadFile(conn, join(FORMATS, 'tiny.xlsx'));
    expect(loaded.sheet).toBe('Customers');
    expect(loaded.rowCount).toBe(20);
    expect(loaded.warnings.join(' ')).toMatch(
      /2 sheets \(Notes, Customers\); loaded “Customers”, the largest/,
    );
  });

  it('keeps the JSON file’s own column order', async () => {
    const loaded = await loadFile(conn, join(FORMATS, 'tiny.json'));
    expect(loaded.columns.map((c) => c.name)).toEqual(['id', 'name', 'signup_date', 'last_seen', 'amount']);
  });

  it('normalises time-zone offsets to UTC timestamps so no ICU function is ever needed', async () => {
    const loaded = await loadFile(conn, join(FORMATS, 'tiny.csv'));
    expect(loaded.columns.find((c) => c.name === 'last_seen')?.type).toBe('TIMESTAMP');
    const [first] = await conn.query(
      `SELECT last_seen, date_trunc('hour', last_seen) AS h FROM ${ident(loaded.tableName)} WHERE id = 1`,
    );
    expect(first?.last_seen).toBe('2026-06-01T06:00:00.000Z');
    expect(loaded.warnings.join(' ')).toMatch(/converted to UTC/);
  });

  it('lets the user override the CSV delimiter and header', async () => {
    const loaded = await loadBytes(conn, 'semi.csv', 'a;b\n1;2\n3;4\n', {
      csv: { delimiter: ',', header: false },
    });
    expect(loaded.columns).toHaveLength(1);
    expect(loaded.rowCount).toBe(3);
    expect(loaded.csvDialect).toMatchObject({ delimiter: ',', header: false });
  });
});

describe('real public data from vega-datasets', () => {
  it.each([
    ['seattle-weather.csv', 1461, 6],
    ['birdstrikes.csv', 10000, 14],
    ['movies.json', 3201, 16],
    ['penguins.json', 344, 7],
    ['cars.json', 406, 9],

    ['unemployment.tsv', 3218, 2],
  ])('loads %s with %i rows and %i columns', async (file, rows, columns) => {
    const loaded = await loadFile(conn, join(VEGA, file));
    expect(loaded.rowCount).toBe(rows);
    expect(loaded.columns).toHaveLength(columns);
  });

  it('loads flights-3m.parquet (3M rows) through parquet-wasm', async () => {
    const loaded = await loadFile(conn, join(VEGA, 'flights-3m.parquet'));
    expect(loaded.rowCount).toBe(3_000_000);
    expect(loaded.columns.map((c) => c.name)).toEqual(['date', 'delay', 'distance', 'origin', 'destination']);
    await conn.exec(`DROP TABLE ${ident(loaded.tableName)}`);
  });

  it('matches apache-arrow’s own row count for flights-200k.arrow', async () => {
    const bytes = readFileSync(join(VEGA, 'flights-200k.arrow'));
    const loaded = await loadFile(conn, join(VEGA, 'flights-200k.arrow'));
    expect(loaded.rowCount).toBe(tableFromIPC(bytes).numRows);
    expect(loaded.columns.map((c) => c.name)).toEqual(['delay', 'distance', 'time']);
  });

  it('matches the row count of the raw file for movies.json', async () => {
    const raw = JSON.parse(readFileSync(join(VEGA, 'movies.json'), 'utf8')) as unknown[];
    const loaded = await loadFile(conn, join(VEGA, 'movies.json'));
    expect(loaded.rowCount).toBe(raw.length);
  });
});

describe('cancellation', () => {
  it('stops a load when the signal is aborted and leaves no table behind', async () => {
    const controller = new AbortController();
    controller.abort();
    await expect(
      loadFile(conn, join(VEGA, 'seattle-weather.csv'), {
        signal: controller.signal,
        tableName: 'cancelled_load',
      }),
    ).rejects.toMatchObject({
      code: 'cancelled',
    });
    const tables = await conn.query(
      `SELECT table_name FROM duckdb_tables() WHERE table_name = 'cancelled_load'`,
    );
    expect(tables).toEqual([]);
  });
});

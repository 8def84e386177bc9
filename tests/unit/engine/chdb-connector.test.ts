import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { FIXTURES } from '../../support/engine';
import { useDialect, CLICKHOUSE, DUCKDB } from '../../../src/lib/core/sql/dialect';
import {
  createChdbConnector,
  loadChdbDataset,
  type ChdbConnector,
} from '../../../src/lib/engine/chdb-connector';
import { CHDB_INSTALL, EngineSetupError } from '../../../src/lib/engine/clickhouse-errors';
import { LoadError } from '../../../src/lib/engine/errors';

// One chDB engine per process: this file owns it (vitest's clickhouse project forks per file).
let conn: ChdbConnector;
let dir: string;
beforeAll(async () => {
  useDialect(CLICKHOUSE);
  conn = await createChdbConnector({ timeoutSeconds: 1 });
  dir = await mkdtemp(join(tmpdir(), 'sprint-zero-chdb-test-'));
});
afterAll(async () => {
  await conn.close();
  await rm(dir, { recursive: true, force: true });
  useDialect(DUCKDB);
});

describe('chdb connector', () => {
  it('reads 64-bit integers exactly and times as UTC ISO strings, whatever the column zone', async () => {
    const [row] = await conn.query(
      "SELECT toInt64('9007199254740993') AS big, toInt64(42) AS small, toDateTime('2024-01-05 10:00:00', 'Asia/Tokyo') AS tokyo, toDate('2024-02-29') AS day, 1 / 0 AS inf",
    );
    expect(row).toEqual({
      big: '9007199254740993',
      small: 42,
      tokyo: '2024-01-05T01:00:00.000Z',
      day: '2024-02-29T00:00:00.000Z',
      inf: null,
    });
  });

  it('a statement that fails after writing part of its output leaves the next result intact', async () => {
    // Output in many small blocks, then a failure at row 5000: chDB keeps the partial output.
    const failing =
      'SELECT number, throwIf(number = 5000) AS t FROM numbers(100000) SETTINGS max_block_size = 10';
    await expect(conn.query(failing)).rejects.toThrow(/Code: 395/);
    expect(await conn.query('SELECT 7 AS seven')).toEqual([{ seven: 7 }]);
    await expect(conn.exec(failing)).rejects.toThrow(/Code: 395/);
    expect(await conn.query('SELECT 8 AS eight')).toEqual([{ eight: 8 }]);
  });

  it('stops a statement at timeoutSeconds (ClickHouse TIMEOUT_EXCEEDED) and keeps working', async () => {
    await expect(
      conn.query('SELECT count() FROM numbers(1000000000000) WHERE sleepEachRow(0) = 0'),
    ).rejects.toThrow(/Code: 159/);
    expect(await conn.query('SELECT 1 AS one')).toEqual([{ one: 1 }]);
  });

  it('loads a CSV into a Memory table with nullable columns, its rows and types', async () => {
    const loaded = await loadChdbDataset(conn, join(FIXTURES, 'formats/tiny.csv'), { tableName: 'tiny' });
    expect(loaded.rowCount).toBe(20);
    expect(loaded.format).toBe('csv');
    // Types as DuckDB names them (the dialect's describe), which the profile classifies.
    expect(loaded.columns).toEqual([
      { name: 'id', type: 'BIGINT' },
      { name: 'name', type: 'VARCHAR' },
      { name: 'signup_date', type: 'DATE' },
      { name: 'last_seen', type: 'TIMESTAMP' },
      { name: 'amount', type: 'DOUBLE' },
    ]);
    // Nullable as every DuckDB column, so an empty field is NULL, not 0 or ''.
    expect(
      await conn.query(
        "SELECT countIf(startsWith(type, 'Nullable(')) AS nullable FROM system.columns WHERE database = currentDatabase() AND table = 'tiny'",
      ),
    ).toEqual([{ nullable: 5 }]);
    // 2026-06-01T08:00:00+02:00 in the file: read as the instant, shown in UTC.
    const [first] = await conn.query('SELECT last_seen FROM "tiny" WHERE id = 1');
    expect(first).toEqual({ last_seen: '2026-06-01T06:00:00.000Z' });
  });

  it('reads date-only text as DATE even before 1970 (ClickHouse alone would infer DateTime64)', async () => {
    const csv = join(dir, 'dates.csv');
    await writeFile(csv, 'born,seen\n1900-01-01,2020-01-01 10:00:00\n2020-01-02,\n');
    const loaded = await loadChdbDataset(conn, csv, { tableName: 'dates' });
    expect(loaded.columns).toEqual([
      { name: 'born', type: 'DATE' },
      { name: 'seen', type: 'TIMESTAMP' },
    ]);
    expect(await conn.query('SELECT born FROM "dates" ORDER BY born')).toEqual([
      { born: '1900-01-01T00:00:00.000Z' },
      { born: '2020-01-02T00:00:00.000Z' },
    ]);
  });

  it('reads quoted numbers as numbers, as DuckDB does (an export that quotes every field, NULL left empty)', async () => {
    const csv = join(dir, 'quoted.csv');
    await writeFile(
      csv,
      '"id","fee","plan","day"\n"1","2.5","basic","2024-01-02"\n"2",,"plus","2024-01-03"\n',
    );
    const loaded = await loadChdbDataset(conn, csv, { tableName: 'quoted' });
    expect(loaded.columns).toEqual([
      { name: 'id', type: 'BIGINT' },
      { name: 'fee', type: 'DOUBLE' },
      { name: 'plan', type: 'VARCHAR' },
      { name: 'day', type: 'DATE' },
    ]);
    expect(await conn.query('SELECT fee FROM "quoted" ORDER BY id')).toEqual([{ fee: 2.5 }, { fee: null }]);
  });

  it('loads a folder of Parquet files recursively, Hive partitions as columns', async () => {
    const folder = join(dir, 'events');
    for (const year of [2024, 2025])
      await conn.exec(
        `INSERT INTO FUNCTION file('${folder}/year=${year}/part-0.parquet', 'Parquet') SELECT number AS id, number * 1.5 AS amount FROM numbers(${year - 2020})`,
      );
    const loaded = await loadChdbDataset(conn, folder, { tableName: 'events' });
    expect(loaded.rowCount).toBe(4 + 5);
    expect(loaded.columns.map((c) => c.name)).toEqual(['id', 'amount', 'year']);
    expect(await conn.query('SELECT year, count() AS n FROM "events" GROUP BY year ORDER BY year')).toEqual([
      { year: 2024, n: 4 },
      { year: 2025, n: 5 },
    ]);
  });

  it('refuses a format ClickHouse does not read, and a missing path, as load errors', async () => {
    await expect(loadChdbDataset(conn, join(FIXTURES, 'formats/tiny.xlsx'))).rejects.toThrow(
      /cannot be read by the chdb engine.*use the default engine for Excel/,
    );
    const missing = await loadChdbDataset(conn, join(dir, 'nope.csv')).catch((e: unknown) => e);
    expect(missing).toBeInstanceOf(LoadError);
  });
});

describe('without the chdb package', () => {
  it('says how to install it', async () => {
    const failure = await createChdbConnector({
      importChdb: () => Promise.reject(new Error("Cannot find package 'chdb'")),
    }).catch((e: unknown) => e);
    expect(failure).toBeInstanceOf(EngineSetupError);
    expect((failure as Error).message).toContain(CHDB_INSTALL);
  });
});

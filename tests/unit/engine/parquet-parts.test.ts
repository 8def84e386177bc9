import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { join } from 'node:path';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as parquetWasm from 'parquet-wasm/node';
import { tableFromIPC } from 'apache-arrow';
import { useEngine, loadFile } from '../../support/engine';
import type { Connector } from '../../../src/lib/engine/connector';
import type { LoadProgress } from '../../../src/lib/engine/load-dataset';
import { readParquetFooter } from '../../../src/lib/engine/decoders/parquet-footer';
import { decodeParquet, decodeParquetParts, partition } from '../../../src/lib/engine/decoders/parquet';
import { ident, str } from '../../../src/lib/core/sql/quote';

const conn = useEngine();
/** The same engine as the loader had it before loading in parts: no `arrowTableWriter`, so whole files. */
let wholeFile: Connector;
let dir: string;
/** 20,000 rows in 10 row groups of 2,048 rows (the last one shorter). */
let tenGroups: string;
/** 40,000 rows in 20 row groups: more than the 16 parts a file is read in. */
let twentyGroups: string;
let noRows: string;

/** Every kind of column the loader meets, with names that need quoting, nulls and a time zone. */
const rowsSql = (n: number): string => `
  SELECT
    range AS id,
    CASE WHEN range % 7 = 0 THEN NULL ELSE (range * 31 % 1000)::INTEGER END AS "small int",
    (range * 1.25)::DECIMAL(12, 2) AS "Unit price (€)",
    range / 3.0 AS ratio,
    CASE WHEN range % 11 = 0 THEN NULL ELSE 'naïve ' || (range * 17 % 5000)::VARCHAR END AS "a""b",
    ['north', 'south', 'east', 'west'][range % 4 + 1] AS "select",
    range % 3 = 0 AS flag,
    DATE '2020-01-01' + (range % 900)::INTEGER AS day,
    TIMESTAMP '2024-03-01 08:00:00' + to_seconds(range * 37) AS at,
    TIMESTAMPTZ '2024-03-01 08:00:00+02:00' + to_seconds(range * 11) AS at_zone,
    [range % 5, range % 9] AS pair
  FROM range(${n})`;

beforeAll(async () => {
  wholeFile = { ...conn, arrowTableWriter: undefined };
  dir = mkdtempSync(join(tmpdir(), 'sz-parquet-parts-'));
  tenGroups = join(dir, 'ten-groups.parquet');
  twentyGroups = join(dir, 'twenty-groups.parquet');
  noRows = join(dir, 'no-rows.parquet');
  const { DuckDBInstance } = await import('@duckdb/node-api');
  const native = await (await DuckDBInstance.create(':memory:')).connect();
  // A fixed zone, so the TIMESTAMPTZ column is written the same on every machine.
  await native.run(`SET TimeZone = 'UTC'`);
  await native.run(`COPY (${rowsSql(20_000)}) TO ${str(tenGroups)} (FORMAT parquet, ROW_GROUP_SIZE 2048)`);
  await native.run(`COPY (${rowsSql(40_000)}) TO ${str(twentyGroups)} (FORMAT parquet, ROW_GROUP_SIZE 2048)`);
  await native.run(`COPY (${rowsSql(10)} WHERE false) TO ${str(noRows)} (FORMAT parquet)`);
  native.closeSync();
});

afterAll(async () => {
  rmSync(dir, { recursive: true, force: true });
});

const tableNames = async (): Promise<string[]> =>
  (await conn.query('SELECT table_name FROM duckdb_tables() ORDER BY 1')).map((r) => String(r.table_name));

/** Rows of `a` missing from `b`, counting duplicates. */
const missing = async (a: string, b: string): Promise<number> => {
  const [row] = await conn.query(
    `SELECT count(*) AS n FROM (SELECT * FROM ${ident(a)} EXCEPT ALL SELECT * FROM ${ident(b)})`,
  );
  return Number(row?.n);
};

const idsInOrder = async (table: string): Promise<number[]> =>
  (await conn.query(`SELECT id FROM ${ident(table)} ORDER BY rowid`)).map((r) => Number(r.id));

describe('Parquet loaded in parts', () => {
  it('the fixtures have the row groups the tests rely on', () => {
    expect(readParquetFooter(new Uint8Array(readFileSync(tenGroups))).rowGroupRows).toEqual([
      ...Array<number>(9).fill(2048),
      20_000 - 9 * 2048,
    ]);
    expect(readParquetFooter(new Uint8Array(readFileSync(twentyGroups))).rowGroups).toBe(20);
  });

  it.each([
    ['10 row groups', () => tenGroups],
    ['20 row groups, read in 16 parts', () => twentyGroups],
  ])(
    'gives the same table as the whole-file load: columns, types, rows, values and order (%s)',
    async (_, file) => {
      const streamed = await loadFile(conn, file());
      const whole = await loadFile(wholeFile, file());
      expect(streamed.columns).toEqual(whole.columns);
      expect(streamed.columns.map((c) => c.name)).toEqual([
        'id',
        'small int',
        'Unit price (€)',
        'ratio',
        'a"b',
        'select',
        'flag',
        'day',
        'at',
        'at_zone',
        'pair',
      ]);
      // The time-zone column is normalised to UTC after either load.
      expect(streamed.columns.find((c) => c.name === 'at_zone')?.type).toBe('TIMESTAMP');
      expect(streamed.rowCount).toBe(whole.rowCount);
      expect(streamed.warnings).toEqual(whole.warnings);
      expect(await missing(streamed.tableName, whole.tableName)).toBe(0);
      expect(await missing(whole.tableName, streamed.tableName)).toBe(0);
      expect(await idsInOrder(streamed.tableName)).toEqual(await idsInOrder(whole.tableName));
      expect(await conn.query(`SELECT * FROM ${ident(streamed.tableName)} WHERE id = 4620`)).toEqual(
        await conn.query(`SELECT * FROM ${ident(whole.tableName)} WHERE id = 4620`),
      );
    },
  );

  it('reports rows and row groups as each part lands', async () => {
    const seen: LoadProgress[] = [];
    const loaded = await loadFile(conn, tenGroups, { onProgress: (p) => seen.push(p) });
    const parts = seen.filter((p) => p.rows !== undefined);
    expect(parts).toHaveLength(10);
    expect(parts.map((p) => p.rowGroups)).toEqual(
      Array.from({ length: 10 }, (_, i) => ({ done: i + 1, total: 10 })),
    );
    expect(parts.map((p) => p.rows!.done)).toEqual(
      Array.from({ length: 10 }, (_, i) => Math.min(20_000, (i + 1) * 2048)),
    );
    expect(parts.at(-1)).toMatchObject({ stage: 'loading', fraction: 1, rows: { total: 20_000 } });
    expect(loaded.rowCount).toBe(20_000);
  });

  it('a cancel between row groups leaves no table, and the next load works', async () => {
    const before = await tableNames();
    const controller = new AbortController();
    const load = loadFile(conn, tenGroups, {
      signal: controller.signal,
      onProgress: (p) => {
        if (p.rowGroups?.done === 3) controller.abort();
      },
    });
    await expect(load).rejects.toMatchObject({ name: 'LoadError', code: 'cancelled' });
    expect(await tableNames()).toEqual(before);
    expect((await loadFile(conn, tenGroups)).rowCount).toBe(20_000);
  });

  it('a row group with corrupt data after good ones → malformed-parquet, and no half table', async () => {
    const bytes = new Uint8Array(readFileSync(tenGroups));
    // Overwrite page data about two thirds in: the footer stays intact, so the first row groups decode.
    bytes.fill(0xff, Math.floor(bytes.length * 0.7), Math.floor(bytes.length * 0.7) + 64);
    const corrupt = join(dir, 'corrupt.parquet');
    writeFileSync(corrupt, bytes);
    const before = await tableNames();
    const appended: number[] = [];
    const load = loadFile(conn, corrupt, { onProgress: (p) => p.rows && appended.push(p.rows.done) });
    await expect(load).rejects.toMatchObject({
      name: 'LoadError',
      code: 'malformed-parquet',
      message: expect.stringMatching(/^This Parquet file cannot be read: /),
    });
    expect(appended.length).toBeGreaterThan(0);
    expect(await tableNames()).toEqual(before);
    const [row] = await conn.query('SELECT 1 + 1 AS two');
    expect(row?.two).toBe(2);
  });

  it('a file with no rows → header-only, as the whole-file load says', async () => {
    const whole = await loadFile(wholeFile, noRows).catch((e: unknown) => e);
    const streamed = await loadFile(conn, noRows).catch((e: unknown) => e);
    expect(streamed).toMatchObject({ name: 'LoadError', code: 'header-only' });
    expect(streamed).toEqual(whole);
  });

  it('decodes every part to the rows decodeParquet gives for the whole file', async () => {
    const blob = new Blob([readFileSync(twentyGroups)]);
    const parts = [];
    for await (const part of decodeParquetParts(parquetWasm, blob)) parts.push(part);
    expect(parts).toHaveLength(16);
    expect(parts.at(-1)).toMatchObject({ rowGroupsDone: 20, rowGroups: 20, totalRows: 40_000 });
    const ids = parts.flatMap((p) => [...tableFromIPC(p.ipc).getChild('id')!.toArray()].map(Number));
    const whole = tableFromIPC(decodeParquet(parquetWasm, new Uint8Array(readFileSync(twentyGroups))));
    expect(ids).toEqual([...whole.getChild('id')!.toArray()].map(Number));
    expect(parts.map((p) => p.rows)).toEqual(parts.map((p) => tableFromIPC(p.ipc).numRows));
  });
});

describe('Parquet errors', () => {
  it('says the data is damaged when the browser build of parquet-wasm strips its error text', async () => {
    const bytes = readFileSync(tenGroups);
    let reads = 0;
    const stripped = {
      readParquet: (file: Uint8Array, options?: { rowGroups?: number[] }) => {
        if (++reads === 3) throw new Error('Parquet argument error: External: Error strings stripped');
        return parquetWasm.readParquet(file, options);
      },
    };
    const read = async (): Promise<number> => {
      let parts = 0;
      for await (const part of decodeParquetParts(stripped, new Blob([bytes])))
        parts += part.rows > 0 ? 1 : 0;
      return parts;
    };
    await expect(read()).rejects.toMatchObject({
      code: 'malformed-parquet',
      message:
        'This Parquet file cannot be read: part of its data is damaged, or uses a feature the browser’s Parquet reader does not support.',
    });
    expect(reads).toBe(3);
  });
});

describe('partition', () => {
  it('keeps one row group per part up to the limit', () => {
    expect(partition([5, 5, 5], 16)).toEqual([[0], [1], [2]]);
  });

  it('groups consecutive row groups into at most `parts` runs of about equal rows', () => {
    const runs = partition(Array<number>(100).fill(1000), 16);
    expect(runs.length).toBeLessThanOrEqual(16);
    expect(runs.flat()).toEqual(Array.from({ length: 100 }, (_, i) => i));
    for (const run of runs) expect(run.length).toBeGreaterThanOrEqual(6);
  });

  it('closes a run at a large row group, and never makes more runs than asked', () => {
    expect(partition([10, 10, 1000, 10, 10], 3)).toEqual([[0, 1, 2], [3], [4]]);
    expect(partition([1000, 10, 10, 10, 10], 2)).toEqual([[0], [1, 2, 3, 4]]);
  });
});

describe('the table writer', () => {
  it('hides the table from other statements until commit, and abort leaves none', async () => {
    const ipc = (): Uint8Array => decodeParquet(parquetWasm, new Uint8Array(readFileSync(tenGroups)));
    const writer = await conn.arrowTableWriter!('written_in_parts');
    await writer.append(ipc());
    await writer.append(ipc());
    expect(await tableNames()).not.toContain('written_in_parts');
    await writer.commit();
    const [row] = await conn.query('SELECT count(*) AS n FROM written_in_parts');
    expect(Number(row?.n)).toBe(40_000);
    await writer.abort(); // after a commit: nothing to undo
    expect(await tableNames()).toContain('written_in_parts');

    const discarded = await conn.arrowTableWriter!('never_written');
    await discarded.append(ipc());
    await discarded.abort();
    expect(await tableNames()).not.toContain('never_written');
    await expect(discarded.append(ipc())).rejects.toThrow(/already committed or aborted/);
  });
});

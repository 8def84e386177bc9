import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { FIXTURES, ROOT } from '../../support/engine';
import {
  createEngineConnector,
  createNativeConnector,
  fileOrderViewName,
  loadNativeDataset,
  type NativeConnector,
} from '../../../src/lib/engine/native-connector';
import { describeTable } from '../../../src/lib/engine/load-dataset';
import { str } from '../../../src/lib/core/sql/quote';
import { outOfOrderQuery } from '../../../src/lib/core/sql/readiness-time';

let conn: NativeConnector;
let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'sz-native-test-'));
  conn = await createNativeConnector({ threads: 2, memoryLimit: '256MB', tempDir: join(dir, 'spill') });
});
afterAll(async () => {
  await conn.close();
  await rm(dir, { recursive: true, force: true });
});

describe('native DuckDB connector', () => {
  it('runs with the requested threads, memory limit and spill directory', async () => {
    const settings = await conn.settings();
    expect(settings.threads).toBe(2);
    expect(settings.memoryLimit).toMatch(/^2\d\d\.\d MiB$/);
    expect(settings.tempDir).toBe(join(dir, 'spill'));
  });

  it('refuses a memory limit that is not a size, so a flag cannot inject SQL', async () => {
    await expect(createNativeConnector({ memoryLimit: "1GB'; DROP TABLE x; --" })).rejects.toThrow(
      RangeError,
    );
    await expect(createNativeConnector({ threads: 0 })).rejects.toThrow(RangeError);
  });

  it('reads a folder of Hive-partitioned Parquet files, with the partition as a column', async () => {
    const lake = join(dir, 'lake');
    await conn.exec(
      `COPY (SELECT range AS id, CASE WHEN range % 3 = 0 THEN 'eu' ELSE 'us' END AS region, range * 0.5 AS amount FROM range(3000)) TO ${str(lake)} (FORMAT parquet, PARTITION_BY (region))`,
    );
    expect((await readdir(lake)).sort()).toEqual(['region=eu', 'region=us']);
    const loaded = await loadNativeDataset(conn, lake);
    expect(loaded.rowCount).toBe(3000);
    expect(loaded.format).toBe('parquet');
    expect(loaded.columns.map((c) => c.name).sort()).toEqual(['amount', 'id', 'region']);
    const [counts] = await conn.query(
      `SELECT count(*) FILTER (WHERE region = 'eu') AS eu, sum(amount) AS total FROM "${loaded.tableName}"`,
    );
    expect(counts).toEqual({ eu: 1000, total: 0.5 * ((2999 * 3000) / 2) });
  });

  it('can leave a Parquet folder on disk and audit it through a view', async () => {
    const loaded = await loadNativeDataset(conn, join(dir, 'lake'), { asView: true, tableName: 'lake_view' });
    expect(loaded.rowCount).toBe(3000);
    const [kind] = await conn.query(
      `SELECT table_type FROM information_schema.tables WHERE table_name = 'lake_view'`,
    );
    expect(kind?.table_type).toBe('VIEW');
  });

  describe('file order of a Parquet folder read in place', () => {
    let events: string;
    beforeAll(async () => {
      events = join(dir, 'events');
      // Several files per partition, written out of name order, with event times that go
      // backwards for some IDs: file order is what the order check reads.
      for (const [part, from] of [
        ['zz', 0],
        ['b', 4000],
        ['a10', 8000],
        ['a2', 12000],
        ['b', 16000],
      ] as const)
        await conn.exec(
          `COPY (SELECT range % 97 AS customer, TIMESTAMP '2024-01-01' + to_days(CAST(hash(range) % 365 AS INTEGER)) AS seen, '${part}' AS part FROM range(${from}, ${from + 4000})) TO ${str(events)} (FORMAT parquet, PARTITION_BY (part), APPEND, ROW_GROUP_SIZE 1000)`,
        );
    });

    it('numbers the rows in the order a copied table does, beside a view of the data columns only', async () => {
      const copied = await loadNativeDataset(conn, events, { tableName: 'events_copied' });
      const inPlace = await loadNativeDataset(conn, events, { asView: true, tableName: 'events_in_place' });
      expect(copied.fileOrderView).toBeUndefined();
      expect(inPlace.fileOrderView).toBe(fileOrderViewName('events_in_place'));
      expect(inPlace.columns).toEqual(copied.columns);
      expect((await describeTable(conn, inPlace.fileOrderView!)).map((c) => c.name)).toEqual([
        ...copied.columns.map((c) => c.name),
        'rowid',
      ]);
      const inOrder = (table: string): string =>
        `SELECT customer, seen, part, row_number() OVER (ORDER BY rowid) AS n FROM "${table}"`;
      const [diff] = await conn.query(
        `SELECT count(*) AS rows, count(*) FILTER (WHERE a.customer IS DISTINCT FROM b.customer OR a.seen IS DISTINCT FROM b.seen OR a.part IS DISTINCT FROM b.part) AS different FROM (${inOrder('events_copied')}) a FULL JOIN (${inOrder(inPlace.fileOrderView!)}) b USING (n)`,
      );
      expect(diff).toEqual({ rows: 20000, different: 0 });
    });

    it('lets the time-order check read data in place and find what it finds in the copied table', async () => {
      const order = (table: string): string =>
        outOfOrderQuery({
          table,
          id: 'customer',
          time: { column: 'seen', type: 'TIMESTAMP' },
          asOf: '2025-01-01',
        });
      await expect(conn.query(order('events_in_place'))).rejects.toThrow(/rowid/);
      const [inPlace] = await conn.query(order(fileOrderViewName('events_in_place')));
      const [copied] = await conn.query(order('events_copied'));
      expect(inPlace).toEqual(copied);
      expect(Number(inPlace?.ids_out_of_order)).toBeGreaterThan(0);
    });

    it('leaves out the file-order view when the data has its own rowid column', async () => {
      const own = join(dir, 'own-rowid.parquet');
      await conn.exec(
        `COPY (SELECT range AS RowId, range * 2 AS x FROM range(10)) TO ${str(own)} (FORMAT parquet)`,
      );
      const loaded = await loadNativeDataset(conn, own, { asView: true, tableName: 'own_rowid' });
      expect(loaded.fileOrderView).toBeUndefined();
      expect(loaded.columns.map((c) => c.name)).toEqual(['RowId', 'x']);
    });
  });

  it('reads a glob of Parquet files as one table', async () => {
    const loaded = await loadNativeDataset(conn, join(dir, 'lake', 'region=us', '*.parquet'));
    expect(loaded.rowCount).toBe(2000);
  });

  it('reads NDJSON itself and loads CSV through the shared loader from disk', async () => {
    const ndjson = join(dir, 'events.ndjson');
    await writeFile(ndjson, '{"a": 1, "b": "x"}\n{"a": 2, "b": "y"}\n{"a": 3, "b": null}\n');
    const json = await loadNativeDataset(conn, ndjson);
    expect(json.rowCount).toBe(3);
    expect(json.columns.map((c) => c.name)).toEqual(['a', 'b']);
    const csv = await loadNativeDataset(conn, join(FIXTURES, 'formats/tiny.csv'));
    expect(csv.format).toBe('csv');
    expect(csv.rowCount).toBeGreaterThan(0);
  });

  it('reads ISO date-times with an offset in JSON as UTC times, as the browser does; text that only looks like one stays text', async () => {
    const ndjson = join(dir, 'offsets.ndjson');
    await writeFile(
      ndjson,
      [
        '{"seen": "2026-06-01T08:00:00+02:00", "mixed": "2026-06-01T08:00:00Z", "naive": "2026-06-01 08:00"}',
        '{"seen": "2026-06-02T23:30:00-01:30", "mixed": "soon", "naive": "2026-06-02 09:00"}',
        '{"seen": null, "mixed": null, "naive": null}',
      ].join('\n'),
    );
    const json = await loadNativeDataset(conn, ndjson, { tableName: 'offsets' });
    expect(Object.fromEntries(json.columns.map((c) => [c.name, c.type]))).toMatchObject({
      seen: 'TIMESTAMP',
      mixed: 'VARCHAR',
    });
    const rows = await conn.query(
      `SELECT CAST(seen AS VARCHAR) AS seen FROM offsets ORDER BY seen NULLS LAST`,
    );
    expect(rows.map((r) => r.seen)).toEqual(['2026-06-01 06:00:00', '2026-06-03 01:00:00', null]);
  });

  it('names a missing path in a load error', async () => {
    await expect(loadNativeDataset(conn, join(dir, 'nope.parquet'))).rejects.toThrow(/nope\.parquet/);
  });

  it('spills a sort larger than its memory limit to the temp directory instead of failing', async () => {
    const small = await createNativeConnector({
      threads: 1,
      memoryLimit: '64MB',
      tempDir: join(dir, 'spill-small'),
    });
    try {
      const [row] = await small.query(
        `SELECT count(*) AS n, max(s) AS top FROM (SELECT md5(range::VARCHAR) || md5((range + 1)::VARCHAR) AS s FROM range(1500000) ORDER BY s)`,
      );
      expect(row?.n).toBe(1_500_000);
      expect(String(row?.top)).toMatch(/^f{4}/);
    } finally {
      await small.close();
    }
  });

  it('reports progress while a statement runs and can be cancelled', async () => {
    // DuckDB tracks the progress of table scans (not of range() or of cross products).
    await conn.exec('CREATE TABLE progress_source AS SELECT range AS i FROM range(5000000)');
    const fractions: number[] = [];
    const off = conn.onProgress((f) => fractions.push(f));
    const running = conn.query(`SELECT count(DISTINCT md5(i::VARCHAR)) AS n FROM progress_source`);
    for (let waited = 0; !fractions.some((f) => f > 0) && waited < 60_000; waited += 100)
      await new Promise((r) => setTimeout(r, 100));
    await conn.cancel();
    await expect(running).rejects.toThrow(/interrupt/i);
    off();
    expect(fractions.some((f) => f > 0)).toBe(true);
    expect(fractions.every((f) => f >= 0 && f <= 1)).toBe(true);
  });
});

describe('createEngineConnector', () => {
  it('defaults to DuckDB-WASM and gives native DuckDB on request', async () => {
    const wasm = await createEngineConnector();
    const [w] = await wasm.query(`SELECT version() AS v`);
    await wasm.close();
    const native = await createEngineConnector({ engine: 'native', threads: '1', memoryLimit: '1GB' });
    const [n] = await native.query(`SELECT version() AS v, current_setting('threads') AS threads`);
    await native.close();
    // One DuckDB version on every engine: @duckdb/node-api is pinned to the DuckDB duckdb-wasm bundles.
    expect(String(w?.v)).toMatch(/^v1\.4\.3/);
    expect(n?.v).toBe(w?.v);
    expect(n?.threads).toBe(1);
  });

  it('refuses native-only options with the WASM engine, and unknown engines', async () => {
    await expect(createEngineConnector({ memoryLimit: '1GB' })).rejects.toThrow(/need --engine native/);
    await expect(createEngineConnector({ engine: 'spark' })).rejects.toThrow(/wasm or native/);
  });
});

describe('the browser bundle', () => {
  it('never imports native DuckDB: only Node entry points (CLI, bench, tests) may', async () => {
    const files = (await readdir(join(ROOT, 'src'), { recursive: true }))
      .filter((f) => /\.(ts|svelte)$/.test(f))
      .filter((f) => !f.startsWith(join('lib', 'cli')) && !f.endsWith('native-connector.ts'));
    const offenders: string[] = [];
    for (const file of files) {
      const text = await readFile(join(ROOT, 'src', file), 'utf8');
      if (
        /from\s+['"][^'"]*(native-connector|@duckdb\/node-api)['"]|import\(['"][^'"]*native-connector/.test(
          text,
        )
      )
        offenders.push(file);
    }
    expect(files.length).toBeGreaterThan(50);
    expect(offenders).toEqual([]);
  });
});

import { describe, it, expect } from 'vitest';
import { useEngine, loadBytes } from '../../support/engine';
import type { Connector } from '../../../src/lib/engine/connector';
import { LoadError } from '../../../src/lib/engine/errors';
import { CSV_SNIFF_SAMPLE_ROWS } from '../../../src/lib/core/sql/load';

/**
 * A part of a large CSV that runs out of the engine's memory stops the load
 * with a clear error: the whole-file read the loader falls back to for a part
 * that fails to parse would hold every row uncompressed, more than any part.
 */

const conn = useEngine();

/** Small parts, and rows enough that the first part holds more than the sniffer samples. */
const PART = 64 * 1024;
const ROWS = CSV_SNIFF_SAMPLE_ROWS + 12_000;
const CONTENT = ['id,name,amount', ...Array.from({ length: ROWS }, (_, i) => `${i},name ${i % 97},${i / 8}`)]
  .join('\n')
  .concat('\n');

/** DuckDB-WASM's words when an allocation fails. */
const OUT_OF_MEMORY = 'Out of Memory Error: failed to allocate data of size 128.0 MiB (3.9 GiB/4.0 GiB used)';

/**
 * The engine, with every statement recorded, and the first statement that `fails` matches
 * (after `skip` matches) throwing an out-of-memory error instead of running.
 */
function runningOutOfMemory(fails: RegExp, skip = 0): { conn: Connector; statements: string[] } {
  const statements: string[] = [];
  let seen = 0;
  const failing = (sql: string): void => {
    statements.push(sql);
    if (fails.test(sql) && seen++ === skip) throw new Error(OUT_OF_MEMORY);
  };
  return {
    statements,
    conn: {
      ...conn,
      exec: async (sql) => (failing(sql), conn.exec(sql)),
      query: async (sql) => (failing(sql), conn.query(sql)),
    },
  };
}

/** Statements that read the whole registered file (`…__source`) rather than one part of it (`…__source__part`). */
const wholeFileReads = (statements: string[]): string[] =>
  statements.filter((sql) => /read_csv\('[^']*__source'/.test(sql));

async function loadError(target: Connector, name: string): Promise<LoadError> {
  const error: unknown = await loadBytes(target, name, CONTENT, { csvPartBytes: PART }).then(
    () => undefined,
    (e: unknown) => e,
  );
  if (!(error instanceof LoadError)) throw new Error(`expected a LoadError, got ${String(error)}`);
  return error;
}

const tables = async (): Promise<number> =>
  Number((await conn.query(`SELECT count(*) AS n FROM duckdb_tables() WHERE table_name LIKE 'oom%'`))[0]?.n);

describe('a CSV part that runs out of memory', () => {
  it('throws a too-large error naming the file and where, without reading the whole file at once', async () => {
    // The third part: the first is a CREATE, the second the first INSERT.
    const engineRun = runningOutOfMemory(/^INSERT INTO/, 1);
    const before = await tables();
    const error = await loadError(engineRun.conn, 'oom-later.csv');
    expect(error.code).toBe('too-large');
    expect(error.message).toMatch(
      /^“oom-later\.csv” \(\d+ MB\) does not fit in the engine’s memory: it ran out while loading MB \d+–\d+ of the file\./,
    );
    expect(error.detail).toBe(OUT_OF_MEMORY);
    expect(engineRun.statements.filter((sql) => /^INSERT INTO/.test(sql))).toHaveLength(2);
    expect(wholeFileReads(engineRun.statements)).toEqual([]);
    // The part-loaded rows were dropped, freeing their memory.
    expect(await tables()).toBe(before);
  });

  it('throws the same when the first part runs out of memory', async () => {
    const engineRun = runningOutOfMemory(/__part/);
    const error = await loadError(engineRun.conn, 'oom-first.csv');
    expect(error.code).toBe('too-large');
    expect(error.message).toMatch(/it ran out while loading MB 0–\d+ of the file/);
    expect(wholeFileReads(engineRun.statements)).toEqual([]);
  });

  it('still falls back to one read when a part fails for another reason', async () => {
    const statements: string[] = [];
    const failingParse: Connector = {
      ...conn,
      exec: async (sql) => {
        statements.push(sql);
        if (/^INSERT INTO/.test(sql)) throw new Error('Conversion Error: CSV Error on Line: 5000');
        return conn.exec(sql);
      },
    };
    const loaded = await loadBytes(failingParse, 'parse-fails.csv', CONTENT, { csvPartBytes: PART });
    expect(loaded.rowCount).toBe(ROWS);
    expect(wholeFileReads(statements)).toHaveLength(1);
  });
});

import { describe, it, expect } from 'vitest';
import { join } from 'node:path';
import { useEngine, loadBytes, loadFile, FIXTURES } from '../../support/engine';
import { checkpoint, type LoadProgress } from '../../../src/lib/engine/load-dataset';
import { TABLE_DATABASE, engineMemoryQuery } from '../../../src/lib/core/sql/load';
import { ident, str } from '../../../src/lib/core/sql/quote';

const conn = useEngine();

/** Bytes DuckDB holds for tables, across every database. */
const tableBytes = async (): Promise<number> =>
  Number((await conn.query(engineMemoryQuery()))[0]?.tables ?? 0);

const databaseOf = async (table: string): Promise<string[]> =>
  (
    await conn.query(`SELECT database_name FROM duckdb_tables() WHERE table_name = ${str(table)} ORDER BY 1`)
  ).map((r) => String(r.database_name));

/** A CSV of `rows` repetitive rows, as client extracts are: ids, a few categories, rounded amounts, dates. */
function repetitiveCsv(rows: number): string {
  const lines = ['id,plan,region,amount,day,active'];
  const plans = ['basic', 'standard', 'premium'];
  const regions = ['north', 'south', 'east', 'west', 'central'];
  for (let i = 0; i < rows; i++)
    lines.push(
      `${i},${plans[i % 3]},${regions[(i * 7) % 5]},${((i * 37) % 5000) / 100},2024-0${(i % 9) + 1}-1${i % 10},${i % 4 === 0}`,
    );
  return lines.join('\n');
}

describe('compressed in-memory tables', () => {
  it('creates every loaded table in the compressed database, whichever loader made it', async () => {
    const csv = await loadFile(conn, join(FIXTURES, 'formats/tiny.csv'));
    const parquet = await loadFile(conn, join(FIXTURES, 'formats/tiny-snappy.parquet'));
    const json = await loadFile(conn, join(FIXTURES, 'formats/tiny.json'));
    const arrow = await loadFile(conn, join(FIXTURES, 'formats/tiny.arrow'));
    for (const loaded of [csv, parquet, json, arrow])
      expect(await databaseOf(loaded.tableName), loaded.fileName).toEqual([TABLE_DATABASE]);
    const [outside] = await conn.query(
      `SELECT count(*) AS n FROM duckdb_tables() WHERE database_name <> ${str(TABLE_DATABASE)} AND NOT temporary`,
    );
    expect(Number(outside?.n)).toBe(0);
  });

  it('checkpoints after each load and reports how long the checkpoint took', async () => {
    const progress: LoadProgress[] = [];
    const loaded = await loadBytes(conn, 'small.csv', repetitiveCsv(100), {
      onProgress: (p) => progress.push(p),
    });
    expect(loaded.checkpointMs).toBeGreaterThanOrEqual(0);
    expect(loaded.checkpointMs).toBeLessThanOrEqual(loaded.loadMs);
    expect(progress.filter((p) => p.checkpointMs !== undefined)).toEqual([
      { stage: 'finishing', checkpointMs: loaded.checkpointMs },
    ]);
  });

  it('holds a repetitive table several times smaller than the default in-memory database does', async () => {
    const before = await tableBytes();
    const loaded = await loadBytes(conn, 'repetitive.csv', repetitiveCsv(300_000));
    const compressed = (await tableBytes()) - before;
    // The same rows in DuckDB-WASM's default in-memory database, which stores them as they are.
    const plain = `${ident('memory')}.main.${ident('plain_copy')}`;
    await conn.exec(`CREATE TABLE ${plain} AS SELECT * FROM ${ident(loaded.tableName)}`);
    const uncompressed = (await tableBytes()) - before - compressed;
    await conn.exec(`DROP TABLE ${plain}`);
    expect(loaded.rowCount).toBe(300_000);
    expect(compressed).toBeGreaterThan(0);
    expect(compressed * 3).toBeLessThan(uncompressed);
  });

  it('frees the blocks of a table the loader replaced (time zones made UTC)', async () => {
    const rows = ['id,at'];
    for (let i = 0; i < 200_000; i++)
      rows.push(`${i},2024-01-0${(i % 9) + 1}T10:${String(i % 60).padStart(2, '0')}:00+02:00`);
    const before = await tableBytes();
    const loaded = await loadBytes(conn, 'zoned.csv', rows.join('\n'));
    expect(loaded.columns.map((c) => c.type)).toEqual(['BIGINT', 'TIMESTAMP']);
    const afterLoad = (await tableBytes()) - before;
    // A second checkpoint finds nothing left to free: the load's own one freed the table it replaced.
    expect(await checkpoint(conn)).toBeGreaterThanOrEqual(0);
    const afterSecond = (await tableBytes()) - before;
    expect(afterSecond).toBeGreaterThan(0);
    expect(afterLoad).toBeLessThan(afterSecond * 1.2);
  });

  it('puts the checkpoint off while another connection writes, and the load still succeeds', async () => {
    const open = await conn.arrowTableWriter!('held_open_2');
    const { tableFromArrays, tableToIPC } = await import('apache-arrow');
    await open.append(tableToIPC(tableFromArrays({ x: Int32Array.from([1, 2, 3]) }), 'stream'));
    const loaded = await loadBytes(conn, 'during-write.csv', repetitiveCsv(10));
    expect(loaded.rowCount).toBe(10);
    expect(loaded.checkpointMs).toBeUndefined();
    await open.commit();
    expect(await databaseOf('held_open_2')).toEqual([TABLE_DATABASE]);
    expect(await checkpoint(conn)).toBeGreaterThanOrEqual(0);
  });
});

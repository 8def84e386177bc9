import { DuckDBInstance } from '@duckdb/node-api';
import { tableFromArrays, type Table } from 'apache-arrow';
import type { Connector, Row } from '../src/lib/engine/connector';

/**
 * Native DuckDB behind the app's `Connector`, so the benchmark anchor runs the
 * project's own generated SQL, statement for statement.
 */
export async function createNativeConnector(
  threads: number | 'all',
): Promise<Connector & { loadSql(sql: string): Promise<void> }> {
  const instance = await DuckDBInstance.create(
    ':memory:',
    threads === 'all' ? {} : { threads: String(threads) },
  );
  const conn = await instance.connect();
  const query = async (sql: string): Promise<Row[]> =>
    (await conn.runAndReadAll(sql)).getRowObjectsJS().map(plainRow);
  const unsupported = async (): Promise<never> => {
    throw new Error('not used by the benchmark');
  };
  return {
    kind: 'node',
    query,
    // Positional Arrow for the few statements read by position; values are plain JS.
    queryArrow: async (sql): Promise<Table> => {
      const reader = await conn.runAndReadAll(sql);
      const names = reader.columnNames();
      const columns = reader.getColumnsJS();
      const arrays: Record<string, unknown[]> = {};
      names.forEach((name, i) => {
        arrays[`${i}:${name}`] = (columns[i] ?? []).map((v) => {
          const p = plain(v);
          return typeof p === 'number' || p === null ? p : String(p);
        });
      });
      return tableFromArrays(arrays as never) as unknown as Table;
    },
    exec: async (sql) => {
      await conn.run(sql);
    },
    loadSql: async (sql) => {
      await conn.run(sql);
    },
    registerSource: unsupported,
    registerBuffer: unsupported,
    unregister: unsupported,
    insertArrowIPC: unsupported,
    insertJSON: unsupported,
    cancel: async () => conn.interrupt(),
    onProgress: () => () => {},
    close: async () => conn.closeSync(),
  };
}

function plainRow(row: Record<string, unknown>): Row {
  const out: Row = {};
  for (const [key, value] of Object.entries(row)) out[key] = plain(value);
  return out;
}

function plain(value: unknown): unknown {
  if (typeof value === 'bigint')
    return Number.isSafeInteger(Number(value)) ? Number(value) : value.toString();
  if (value instanceof Date) return Number.isNaN(value.getTime()) ? null : value.toISOString();
  if (Array.isArray(value) || (typeof value === 'object' && value !== null))
    return JSON.stringify(value, (_k, v: unknown) => (typeof v === 'bigint' ? Number(v) : v));
  return value;
}

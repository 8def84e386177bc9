/**
 * Native DuckDB (`@duckdb/node-api`) behind the app's `Connector`: the same SQL,
 * the same loaders and the same audit document as DuckDB-WASM, but on all cores,
 * with a memory limit that spills to a temp directory, and reading CSV, Parquet
 * and JSON (files, folders, globs) straight from disk.
 *
 * Node only. Nothing under src/lib/ui or the browser entry may import this file,
 * so `@duckdb/node-api` never reaches the browser bundle.
 */
import { DuckDBInstance } from '@duckdb/node-api';
import { mkdtemp, rm, stat, unlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { basename, join, resolve } from 'node:path';
import * as parquetWasm from 'parquet-wasm/node';
import {
  Field,
  RecordBatch,
  Schema,
  Struct,
  Table,
  makeData,
  vectorFromArray,
  type Vector,
} from 'apache-arrow';
import type { Connector, ProgressListener, Row } from './connector';
import { createViewAsQuery, describeTableQuery, dropTableQuery, dropViewQuery } from '../core/sql/table';
import {
  OFFLINE_SETTINGS,
  PROGRESS_SETTINGS,
  describeReaderQuery,
  engineSettingsQuery,
  fileSearchPathSetting,
  loadParquetFileQuery,
  loadReaderQuery,
  readJsonCall,
  readParquetCall,
  readerSelectQuery,
} from '../core/sql/load';
import {
  countRows,
  describeTable,
  loadDataset,
  tableNameFor,
  tidyColumns,
  type LoadedDataset,
} from './load-dataset';
import { normaliseTimeZones, zonedWarning } from './loaders/common';
import { offsetTimestampCountsQuery, promoteOffsetTimestampQuery } from '../core/sql/offset-timestamps';
import { LoadError, errorText, plainEngineMessage, quotedName } from './errors';
import { nodeDecoders } from './node-decoders';
import { fileSource } from './node-source';
import { sourceFolder } from './source-folder';

export interface NativeConnectorOptions {
  /** Worker threads; all cores when absent. */
  threads?: number;
  /** DuckDB memory limit such as `4GB`; beyond it operators spill to `tempDir`. */
  memoryLimit?: string;
  /** Where DuckDB spills; DuckDB's default (`.tmp` next to the database) when absent. */
  tempDir?: string;
}

/** A `Connector` on native DuckDB, plus what only the native engine can do. */
export interface NativeConnector extends Connector {
  readonly engine: 'native';
  /** The settings DuckDB actually runs with, for logs and benchmark tables. */
  settings(): Promise<{ threads: number; memoryLimit: string; tempDir: string }>;
}

/** How often a running statement's progress is read while someone listens. */
const PROGRESS_POLL_MS = 250;

/** Values DuckDB settings accept, so a flag cannot smuggle SQL into `SET`. */
const MEMORY_LIMIT = /^\d+(\.\d+)?\s*(B|KB|MB|GB|TB|KiB|MiB|GiB|TiB)$/i;

/**
 * Open an in-memory native DuckDB. Registered sources become files in a private
 * temp folder that DuckDB searches (`file_search_path`), so the loaders' virtual
 * names work unchanged.
 */
export async function createNativeConnector(options: NativeConnectorOptions = {}): Promise<NativeConnector> {
  const config: Record<string, string> = {};
  if (options.threads !== undefined) {
    if (!Number.isInteger(options.threads) || options.threads < 1)
      throw new RangeError(`threads must be a positive integer, got ${options.threads}`);
    config.threads = String(options.threads);
  }
  if (options.memoryLimit !== undefined) {
    if (!MEMORY_LIMIT.test(options.memoryLimit.trim()))
      throw new RangeError(`memory limit must look like 4GB or 512MB, got “${options.memoryLimit}”`);
    config.memory_limit = options.memoryLimit.trim();
  }
  if (options.tempDir !== undefined) config.temp_directory = resolve(options.tempDir);
  const instance = await DuckDBInstance.create(':memory:', config);
  const conn = await instance.connect();
  const files = await mkdtemp(join(tmpdir(), 'sprint-zero-native-'));
  for (const statement of [...OFFLINE_SETTINGS, fileSearchPathSetting(files), ...PROGRESS_SETTINGS])
    await conn.run(statement);

  const listeners = new Set<ProgressListener>();
  const run = async <T>(work: () => Promise<T>): Promise<T> => {
    if (listeners.size === 0) return work();
    const timer = setInterval(() => {
      const { percentage } = conn.progress;
      if (percentage >= 0) for (const l of listeners) l(Math.min(1, percentage / 100));
    }, PROGRESS_POLL_MS);
    try {
      return await work();
    } finally {
      clearInterval(timer);
    }
  };
  const query = async (sql: string): Promise<Row[]> =>
    run(async () => (await conn.runAndReadAll(sql)).getRowObjectsJS().map(plainRow));
  const { fileFor, ...folder } = sourceFolder(files);

  return {
    kind: 'node',
    engine: 'native',
    query,
    queryArrow: async (sql) => run(async () => rowsToArrow(await conn.runAndReadAll(sql))),
    exec: async (sql) => {
      await run(() => conn.run(sql));
    },
    ...folder,
    insertArrowIPC: async (table: string, ipcStream: Uint8Array) => {
      // node-api has no Arrow import; Parquet written by parquet-wasm keeps every Arrow type DuckDB reads.
      const path = join(files, `${basename(table)}.ipc.parquet`);
      await writeFile(path, parquetWasm.writeParquet(parquetWasm.Table.fromIPCStream(ipcStream)));
      try {
        await conn.run(loadParquetFileQuery(table, path));
      } finally {
        await unlink(path).catch(() => {});
      }
    },
    insertJSON: async (table: string, virtualName: string) => {
      await conn.run(loadReaderQuery(table, readJsonCall(fileFor(virtualName), 'array')));
      await promoteOffsetTimestamps({ query, exec: async (sql) => void (await conn.run(sql)) }, table);
    },
    cancel: async () => conn.interrupt(),
    onProgress: (listener: ProgressListener) => {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    settings: async () => {
      const [row] = await query(engineSettingsQuery());
      return {
        threads: Number(row?.threads),
        memoryLimit: String(row?.memory_limit),
        tempDir: String(row?.temp_dir),
      };
    },
    close: async ({ exiting = false } = {}) => {
      // The folder holds copies of client files: removed first, so nothing can keep it. On a
      // signal the process exits next, and a synchronous close would block it until the
      // interrupted statement unwinds (a large CSV read can take minutes).
      try {
        await rm(files, { recursive: true, force: true });
      } finally {
        if (!exiting) {
          conn.closeSync();
          instance.closeSync();
        }
      }
    },
  };
}

/** A native load: the shared loader's result, plus where data read in place keeps its file order. */
export interface NativeLoadedDataset extends LoadedDataset {
  /**
   * Parquet read in place only: a view of the same columns plus `rowid`, each row's
   * position in file order (files by path, then rows within a file). A view over files
   * has no `rowid` of its own, so checks of row order (`time-order`) read this view; a
   * table copied in numbers its rows in the same order. Absent when the data has a
   * column named `rowid` (it shadows DuckDB's, in a table as here).
   */
  fileOrderView?: string;
}

/** The name of the file-order view beside an in-place dataset's view. */
export function fileOrderViewName(tableName: string): string {
  return `${tableName}__file_order`;
}

/** Options for `loadNativeDataset`, as for `loadDataset`. */
export interface NativeLoadOptions {
  tableName?: string;
  signal?: AbortSignal;
  /**
   * Leave Parquet and JSON where they are: the "table" is a view over the files, and
   * every query scans them again (columns and row groups it needs only). For data
   * larger than memory, where copying it into the database would only spill it.
   * Parquet read this way also gets a `fileOrderView` for the row-order checks.
   */
  asView?: boolean;
}

/**
 * Load a path into a new table with native DuckDB's own readers: a Parquet file,
 * a folder of Parquet files (read recursively, Hive partitions become columns),
 * a glob, or a JSON/NDJSON file. Everything else (CSV, Excel, Arrow) goes through
 * the shared loader, which native DuckDB serves from disk as well.
 */
export async function loadNativeDataset(
  conn: NativeConnector,
  path: string,
  options: NativeLoadOptions = {},
): Promise<NativeLoadedDataset> {
  const started = performance.now();
  const isGlob = /[*?[]/.test(path);
  const info = isGlob ? undefined : await stat(path).catch(() => undefined);
  if (!isGlob && !info) throw new LoadError('engine', `“${path}” does not exist.`);
  const lower = path.toLowerCase();
  const format =
    info?.isDirectory() || isGlob || /\.(parquet|parq)$/.test(lower)
      ? 'parquet'
      : /\.(json|ndjson|jsonl)$/.test(lower)
        ? 'json'
        : undefined;
  if (!format) return loadDataset(conn, nodeDecoders, await fileSource(path), options);
  const reader =
    format === 'json'
      ? readJsonCall(resolve(path))
      : readParquetCall(resolve(info?.isDirectory() ? join(path, '**', '*.parquet') : path));

  const name = basename(path.replace(/[/\\]+$/, '')) || 'data';
  const tableName = options.tableName ?? tableNameFor(name);
  const onAbort = (): void => void conn.cancel();
  options.signal?.addEventListener('abort', onAbort);
  let fileOrderView: string | undefined;
  try {
    const warnings: string[] = [];
    if (options.asView) {
      const described = await conn.query(describeReaderQuery(reader));
      const zoned = described
        .filter((c) => c.column_type === 'TIMESTAMP WITH TIME ZONE')
        .map((c) => String(c.column_name));
      await conn.exec(createViewAsQuery(tableName, readerSelectQuery(reader, zoned)));
      if (format === 'parquet' && !described.some((c) => /^rowid$/i.test(String(c.column_name)))) {
        fileOrderView = fileOrderViewName(tableName);
        await conn.exec(createViewAsQuery(fileOrderView, readerSelectQuery(reader, zoned, true)));
      }
      if (zoned.length) warnings.push(zonedWarning(zoned));
    } else {
      await conn.exec(loadReaderQuery(tableName, reader));
      if (format === 'json') await promoteOffsetTimestamps(conn, tableName);
      await normaliseTimeZones(conn, tableName, warnings);
      await tidyColumns(conn, tableName, warnings);
    }
    const columns = await describeTable(conn, tableName);
    return {
      tableName,
      fileName: name,
      format,
      sizeBytes: info?.isFile() ? info.size : 0,
      lastModified: info?.mtimeMs ?? 0,
      rowCount: await countRows(conn, tableName),
      columns,
      warnings,
      loadMs: performance.now() - started,
      ...(fileOrderView !== undefined ? { fileOrderView } : {}),
    };
  } catch (error) {
    await conn.exec(options.asView ? dropViewQuery(tableName) : dropTableQuery(tableName)).catch(() => {});
    if (fileOrderView !== undefined) await conn.exec(dropViewQuery(fileOrderView)).catch(() => {});
    if (options.signal?.aborted) throw new LoadError('cancelled', `Loading “${name}” was cancelled.`);
    if (error instanceof LoadError) throw error;
    throw new LoadError(
      'engine',
      `${quotedName(name)} could not be loaded: ${plainEngineMessage(error)}.`,
      errorText(error),
    );
  } finally {
    options.signal?.removeEventListener('abort', onAbort);
  }
}

/**
 * node-api hands back JS values; make them the plain values `arrowToRows` makes of
 * DuckDB-WASM's Arrow results, so the two engines feed the checks identical rows.
 */
/**
 * Text columns whose every value is an ISO date-time with an offset become UTC
 * `TIMESTAMP`s: DuckDB 1.4's JSON reader leaves them as text, where the
 * browser's JSON importer (and DuckDB 1.5) read them as times.
 */
async function promoteOffsetTimestamps(
  conn: Pick<Connector, 'query' | 'exec'>,
  table: string,
): Promise<void> {
  const text = (await conn.query(describeTableQuery(table)))
    .filter((c) => c.data_type === 'VARCHAR')
    .map((c) => String(c.column_name));
  if (text.length === 0) return;
  const [counts] = await conn.query(offsetTimestampCountsQuery(table, text));
  for (const [i, name] of text.entries()) {
    const values = Number(counts?.[`n_${i}`] ?? 0);
    if (values > 0 && Number(counts?.[`m_${i}`]) === values)
      await conn.exec(promoteOffsetTimestampQuery(table, name));
  }
}

function plainRow(row: Record<string, unknown>): Row {
  const out: Row = {};
  for (const [key, value] of Object.entries(row))
    // defineProperty, not assignment: a column may be named `__proto__`.
    Object.defineProperty(out, key, {
      value: plain(value),
      enumerable: true,
      writable: true,
      configurable: true,
    });
  return out;
}

function plain(value: unknown): unknown {
  if (value === null || value === undefined) return null;
  if (typeof value === 'bigint')
    return value <= BigInt(Number.MAX_SAFE_INTEGER) && value >= BigInt(Number.MIN_SAFE_INTEGER)
      ? Number(value)
      : value.toString();
  if (value instanceof Date) return Number.isNaN(value.getTime()) ? null : value.toISOString();
  if (value instanceof Uint8Array) return `<${value.byteLength} bytes>`;
  if (typeof value === 'object')
    return JSON.stringify(value, (_k, v: unknown) => (typeof v === 'bigint' ? v.toString() : v));
  return value;
}

/**
 * An Arrow table of already-plain values, keeping duplicate column names and their
 * positions (the duplicate-row query is read by position).
 */
function rowsToArrow(reader: { columnNames(): string[]; getColumnsJS(): unknown[][] }): Table {
  const names = reader.columnNames();
  const columns = reader.getColumnsJS();
  const vectors: Vector[] = columns.map((values) => vectorFromArray(values.map(plain) as never));
  const schema = new Schema(names.map((name, i) => new Field(name, vectors[i]!.type, true)));
  const length = columns[0]?.length ?? 0;
  if (vectors.length === 0) return new Table(schema);
  // Table's constructor keys columns by name; build the batch by position instead.
  const data = makeData({
    type: new Struct(schema.fields),
    length,
    nullCount: 0,
    children: vectors.map((v) => v.data[0]!),
  });
  return new Table(schema, [new RecordBatch(schema, data)]);
}

/** The engine a Node caller (the CLI, the benchmark) asks for, as given on the command line. */
export interface EngineChoice {
  /** `wasm` (the default: the browser's engine) or `native`. */
  engine?: string;
  /** Native only: e.g. `8GB`. */
  memoryLimit?: string;
  /** Native only: where to spill beyond the memory limit. */
  tempDir?: string;
  /** Native only: worker threads (all cores by default). */
  threads?: string | number;
}

/**
 * The connector for a command-line choice. The default stays DuckDB-WASM, so an
 * audit means the same as in the browser; `native` is for data beyond a tab.
 * Native-only options given with the WASM engine are an error, not ignored.
 */
export async function createEngineConnector(choice: EngineChoice = {}): Promise<Connector> {
  const engine = choice.engine ?? 'wasm';
  if (engine === 'native')
    return createNativeConnector({
      ...(choice.threads !== undefined ? { threads: Number(choice.threads) } : {}),
      ...(choice.memoryLimit !== undefined ? { memoryLimit: choice.memoryLimit } : {}),
      ...(choice.tempDir !== undefined ? { tempDir: choice.tempDir } : {}),
    });
  if (engine !== 'wasm') throw new RangeError(`--engine must be wasm or native, not “${engine}”`);
  const nativeOnly = (['memoryLimit', 'tempDir', 'threads'] as const).filter((k) => choice[k] !== undefined);
  if (nativeOnly.length > 0)
    throw new RangeError(
      `${nativeOnly.join(', ')} need --engine native (DuckDB-WASM runs in one thread, in memory)`,
    );
  const { createNodeConnector } = await import('./node-connector');
  return createNodeConnector();
}

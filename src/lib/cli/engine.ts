import { basename } from 'node:path';
import { stat } from 'node:fs/promises';
import type { Connector, DataSource } from '../engine/connector';
import type { NativeConnector } from '../engine/native-connector';
import type { ChdbModule } from '../engine/chdb-connector';
import { loadDataset } from '../engine/load-dataset';
import { nodeDecoders } from '../engine/node-decoders';
import { fileSource } from '../engine/node-source';
import { CLICKHOUSE, useDialect } from '../core/sql/dialect';
import type { SessionEngine } from '../session';
import { UsageError, type CliFlags } from './flags';

/** Paths native DuckDB reads itself: a folder of Parquet files, a glob, a Parquet or JSON file. */
const PARQUET = /\.(parquet|parq)$/i;
const JSON_FILE = /\.(json|ndjson|jsonl)$/i;
const isGlob = (path: string): boolean => /[*?[]/.test(path);

/** Every `--engine`. */
const ENGINES = ['wasm', 'native', 'chdb', 'clickhouse'];
/** Engines that run ClickHouse SQL: the embedded one and a server. */
const CLICKHOUSE_ENGINES = new Set(['chdb', 'clickhouse']);
/** Flags only `--engine native` reads. */
const NATIVE_FLAGS = ['memory-limit', 'temp-dir', 'threads'] as const;
/** Flags only `--engine clickhouse` reads. */
const SERVER_FLAGS = ['url', 'database', 'table', 'user'] as const;
/** The environment variable holding the server password, so it never shows in a process list. */
export const PASSWORD_ENV = 'CLICKHOUSE_PASSWORD';

/** What `cliEngine` takes from outside the command line; tests replace it. */
export interface CliEngineDeps {
  env?: Readonly<Record<string, string | undefined>>;
  /** How chDB is loaded (a test passes a failing import). */
  importChdb?: () => Promise<ChdbModule>;
  /**
   * The default engine (DuckDB-WASM), when not started afresh: tests share one per file,
   * as starting it costs seconds. The run closes it as usual; the owner decides what closing means.
   */
  wasm?: () => Promise<Connector>;
}

/**
 * The engine for `--engine` and its options. DuckDB-WASM by default (the app's
 * engine, so an audit means the same everywhere); `native` runs `@duckdb/node-api`
 * on all cores, spilling beyond `--memory-limit` to `--temp-dir`, and loads
 * Parquet (files, folders, globs) and JSON with DuckDB's own readers, through the
 * session's load hook. `chdb` (embedded ClickHouse) and `clickhouse` (a server)
 * switch every statement to the ClickHouse dialect. A bad choice, or an option
 * of another engine, is a `UsageError`; a ClickHouse engine that cannot start or
 * reach its table throws an `EngineSetupError`.
 */
export async function cliEngine(flags: CliFlags, deps: CliEngineDeps = {}): Promise<SessionEngine> {
  const engine = flags.engine ?? 'wasm';
  if (!ENGINES.includes(engine))
    throw new UsageError(
      `--engine must be ${ENGINES.slice(0, -1).join(', ')} or ${ENGINES.at(-1)}, not “${engine}”.`,
    );
  const serverFlags = SERVER_FLAGS.filter((f) => flags[f] !== undefined);
  if (engine !== 'clickhouse' && serverFlags.length > 0)
    throw new UsageError(`${serverFlags.map((f) => `--${f}`).join(', ')} need --engine clickhouse.`);
  if (flags['query-timeout'] !== undefined && !CLICKHOUSE_ENGINES.has(engine))
    throw new UsageError('--query-timeout needs --engine chdb or --engine clickhouse.');
  const nativeFlags = NATIVE_FLAGS.filter((f) => flags[f] !== undefined);
  if (CLICKHOUSE_ENGINES.has(engine) && nativeFlags.length > 0)
    throw new UsageError(`${nativeFlags.map((f) => `--${f}`).join(', ')} need --engine native.`);
  if (CLICKHOUSE_ENGINES.has(engine)) return clickhouseEngine(engine, flags, deps);
  if (engine === 'wasm' && nativeFlags.length === 0 && deps.wasm)
    return { connector: await deps.wasm(), decoders: nodeDecoders };
  // Imported here, so the default engine never loads the native module.
  const { createEngineConnector, loadNativeDataset } = await import('../engine/native-connector');
  let connector: Awaited<ReturnType<typeof createEngineConnector>>;
  try {
    connector = await createEngineConnector({
      ...(flags.engine !== undefined ? { engine: flags.engine } : {}),
      ...(flags['memory-limit'] !== undefined ? { memoryLimit: flags['memory-limit'] } : {}),
      ...(flags['temp-dir'] !== undefined ? { tempDir: flags['temp-dir'] } : {}),
      ...(flags.threads !== undefined ? { threads: flags.threads } : {}),
    });
  } catch (error) {
    if (error instanceof RangeError) throw new UsageError(flagNames(error.message));
    throw error;
  }
  if (!isNative(connector)) return { connector, decoders: nodeDecoders };
  const native = connector;
  return {
    connector,
    decoders: nodeDecoders,
    load: async (source, options) => {
      const path = source.path;
      if (path === undefined || !(await readsNatively(path)))
        return loadDataset(native, nodeDecoders, source, options);
      return loadNativeDataset(native, path, {
        ...(options.tableName !== undefined ? { tableName: options.tableName } : {}),
        ...(options.signal ? { signal: options.signal } : {}),
        // Copied into the database (spilling beyond --memory-limit), not a view over the files:
        // the order checks read a table's row order (`rowid`), which a view does not have.
        asView: false,
      });
    },
  };
}

/** Seconds of `--query-timeout`, checked. */
function queryTimeout(flags: CliFlags): number | undefined {
  const text = flags['query-timeout'];
  if (text === undefined) return undefined;
  const seconds = Number(text);
  if (!/^\d+(\.\d+)?$/.test(text.trim()) || !(seconds > 0))
    throw new UsageError(`--query-timeout must be a number of seconds, not “${text}”.`);
  return seconds;
}

/**
 * A ClickHouse engine, with every statement from here on in the ClickHouse dialect.
 * `chdb` loads files into Memory tables with ClickHouse's own readers; `clickhouse`
 * reads the server's table in place, whatever "file" the session is handed.
 */
async function clickhouseEngine(
  engine: string,
  flags: CliFlags,
  deps: CliEngineDeps,
): Promise<SessionEngine> {
  const timeoutSeconds = queryTimeout(flags);
  const timeout = timeoutSeconds !== undefined ? { timeoutSeconds } : {};
  if (engine === 'chdb') {
    const { createChdbConnector, loadChdbDataset } = await import('../engine/chdb-connector');
    const connector = await createChdbConnector({
      ...timeout,
      ...(deps.importChdb ? { importChdb: deps.importChdb } : {}),
    });
    useDialect(CLICKHOUSE);
    return {
      connector,
      decoders: nodeDecoders,
      load: (source, options) =>
        loadChdbDataset(connector, source.path ?? source.name, {
          ...(options.tableName !== undefined ? { tableName: options.tableName } : {}),
          ...(options.signal ? { signal: options.signal } : {}),
        }),
    };
  }
  const missing = (['url', 'database', 'table'] as const).filter((f) => flags[f] === undefined);
  if (missing.length > 0)
    throw new UsageError(`--engine clickhouse needs ${missing.map((f) => `--${f}`).join(', ')}.`);
  const { createClickHouseConnector } = await import('../engine/clickhouse-connector');
  const password = (deps.env ?? process.env)[PASSWORD_ENV];
  const connector = await createClickHouseConnector({
    url: flags.url!,
    database: flags.database!,
    table: flags.table!,
    ...(flags.user !== undefined ? { user: flags.user } : {}),
    ...(password !== undefined ? { password } : {}),
    ...timeout,
  });
  useDialect(CLICKHOUSE);
  return { connector, decoders: nodeDecoders, load: () => connector.dataset() };
}

/**
 * The files the CLI audits: as given, or, for `--engine clickhouse` without a
 * file, the server's table (`database.table`), which the engine reads in place.
 */
export function enginePaths(files: readonly string[], flags: CliFlags): readonly string[] {
  if (flags.engine === 'clickhouse' && files.length === 0 && flags.database && flags.table)
    return [`${flags.database}.${flags.table}`];
  return files;
}

/** How the CLI opens each path for the chosen engine. */
export function engineSourceFor(flags: CliFlags): (path: string) => Promise<DataSource> {
  if (flags.engine === 'clickhouse') return async (path) => tableSource(path);
  return flags.engine === 'native' || flags.engine === 'chdb' ? engineSource : fileSource;
}

/** A server table as a data source: a name only; the engine reads the table itself. */
function tableSource(name: string): DataSource {
  const none = (): Promise<Uint8Array> =>
    Promise.reject(new Error(`“${name}” is a ClickHouse table; it is read on the server.`));
  return { name, size: 0, lastModified: 0, bytes: none, head: none };
}

function isNative(connector: Connector): connector is NativeConnector {
  return 'engine' in connector && connector.engine === 'native';
}

/** The connector's option names, as the flags that set them. */
function flagNames(message: string): string {
  const text = message
    .replace(/\bmemoryLimit\b/g, '--memory-limit')
    .replace(/\btempDir\b/g, '--temp-dir')
    .replace(/(^|[\s,])threads\b/g, '$1--threads')
    .replace(/^memory limit\b/, '--memory-limit')
    .replace(/^(--[\w-]+) need\b/, '$1 needs');
  return /[.!?]$/.test(text) ? text : `${text}.`;
}

async function readsNatively(path: string): Promise<boolean> {
  if (isGlob(path) || PARQUET.test(path) || JSON_FILE.test(path)) return true;
  return (await stat(path).catch(() => undefined))?.isDirectory() ?? false;
}

/**
 * A path as a data source for the native and chdb engines: a file as usual, or a folder
 * or glob of Parquet files, which only native DuckDB reads (it has no bytes).
 */
export async function engineSource(path: string): Promise<DataSource> {
  const info = isGlob(path) ? undefined : await stat(path);
  if (info && !info.isDirectory()) return fileSource(path);
  const unreadable = (): Promise<Uint8Array> =>
    Promise.reject(
      new Error(`“${path}” is a folder or pattern of files; only the native and chdb engines read it.`),
    );
  return {
    name: basename(path.replace(/[/\\]+$/, '')) || path,
    size: 0,
    lastModified: info?.mtimeMs ?? 0,
    path,
    bytes: unreadable,
    head: unreadable,
  };
}

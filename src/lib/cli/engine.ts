import { basename } from 'node:path';
import { stat } from 'node:fs/promises';
import type { Connector, DataSource } from '../engine/connector';
import type { NativeConnector } from '../engine/native-connector';
import { loadDataset } from '../engine/load-dataset';
import { nodeDecoders } from '../engine/node-decoders';
import { fileSource } from '../engine/node-source';
import type { SessionEngine } from '../session';
import { UsageError, type CliFlags } from './flags';

/** Paths native DuckDB reads itself: a folder of Parquet files, a glob, a Parquet or JSON file. */
const PARQUET = /\.(parquet|parq)$/i;
const JSON_FILE = /\.(json|ndjson|jsonl)$/i;
const isGlob = (path: string): boolean => /[*?[]/.test(path);

/**
 * The engine for `--engine` and its options. DuckDB-WASM by default (the app's
 * engine, so an audit means the same everywhere); `native` runs `@duckdb/node-api`
 * on all cores, spilling beyond `--memory-limit` to `--temp-dir`, and loads
 * Parquet (files, folders, globs) and JSON with DuckDB's own readers, through the
 * session's load hook. A bad choice, or a native-only option with the WASM
 * engine, is a `UsageError`.
 */
export async function cliEngine(flags: CliFlags): Promise<SessionEngine> {
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
 * A path as a data source for the native engine: a file as usual, or a folder
 * or glob of Parquet files, which only native DuckDB reads (it has no bytes).
 */
export async function engineSource(path: string): Promise<DataSource> {
  const info = isGlob(path) ? undefined : await stat(path);
  if (info && !info.isDirectory()) return fileSource(path);
  const unreadable = (): Promise<Uint8Array> =>
    Promise.reject(new Error(`“${path}” is a folder or pattern of files; only the native engine reads it.`));
  return {
    name: basename(path.replace(/[/\\]+$/, '')) || path,
    size: 0,
    lastModified: info?.mtimeMs ?? 0,
    path,
    bytes: unreadable,
    head: unreadable,
  };
}

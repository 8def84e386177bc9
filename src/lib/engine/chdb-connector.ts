/**
 * Embedded ClickHouse (`chdb`, a devDependency) behind the app's `Connector`:
 * the SQL a ClickHouse cluster runs, on this machine, over CSV, Parquet and JSON
 * files and folders read in place and copied into Memory tables.
 *
 * Node only, and loaded only through a dynamic `import('chdb')`: nothing under
 * src/lib/ui or the browser entry may import this file.
 */
import { mkdir, mkdtemp, rm, stat, unlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { basename, extname, join, resolve } from 'node:path';
import { tableFromIPC, type Table } from 'apache-arrow';
import type * as Chdb from 'chdb';
import type { Connector } from './connector';
import { sourceFolder } from './source-folder';
import { CHDB_INSTALL, EngineSetupError } from './clickhouse-errors';
import { ROWS_FORMAT, ROWS_SETTINGS, clickhouseRows, parseJsonCompact } from './clickhouse-rows';
import { LoadError, errorText, plainEngineMessage, quotedName } from './errors';
import { countRows, describeTable, tableNameFor, type LoadedDataset, type LoadOptions } from './load-dataset';
import type { DataFormat } from './sniff';
import { CLICKHOUSE_SETTINGS } from '../core/sql/dialect';
import { ident, str } from '../core/sql/quote';
import { dropTableQuery } from '../core/sql/table';

/** The part of the `chdb` module this connector uses. */
export type ChdbModule = Pick<typeof Chdb, 'Session'>;

export interface ChdbConnectorOptions {
  /** Stops any statement after this many seconds (ClickHouse's `max_execution_time`): chDB cannot be interrupted otherwise. */
  timeoutSeconds?: number;
  /** How chDB is loaded; tests pass a failing import to see the install message. */
  importChdb?: () => Promise<ChdbModule>;
}

/** A `Connector` on embedded ClickHouse. */
export interface ChdbConnector extends Connector {
  readonly engine: 'chdb';
}

/**
 * Settings of the session: the dialect's (answers read as DuckDB's), the rows
 * reader's, uncompressed Arrow (apache-arrow reads no LZ4) and the time limit.
 */
function sessionSettings(timeoutSeconds: number | undefined): string[] {
  const settings: Record<string, string | number> = {
    ...CLICKHOUSE_SETTINGS,
    ...ROWS_SETTINGS,
    output_format_arrow_compression_method: 'none',
    ...(timeoutSeconds !== undefined ? { max_execution_time: Math.max(1, Math.ceil(timeoutSeconds)) } : {}),
  };
  return Object.entries(settings).map(
    ([name, value]) => `SET ${name} = ${typeof value === 'number' ? value : str(value)}`,
  );
}

/** A statement whose only purpose is to flush what a failed statement left in chDB's output buffer. */
const FLUSH_STATEMENT = 'SELECT 1';

async function importChdb(): Promise<ChdbModule> {
  return (await import('chdb')) as ChdbModule;
}

/**
 * Start embedded ClickHouse. One per process: chDB refuses a second session
 * while one is open. Without the package, an `EngineSetupError` says how to
 * install it.
 */
export async function createChdbConnector(options: ChdbConnectorOptions = {}): Promise<ChdbConnector> {
  let chdb: ChdbModule;
  try {
    chdb = await (options.importChdb ?? importChdb)();
  } catch (error) {
    throw new EngineSetupError(
      `--engine chdb needs the chdb package (embedded ClickHouse, Node only), which is not installed: run \`${CHDB_INSTALL}\`.`,
      errorText(error),
    );
  }
  // The engine's own folder sits inside ours, so one removal on close (or on a signal,
  // when chDB's own cleanup has no time to run) leaves nothing behind.
  const files = await mkdtemp(join(tmpdir(), 'sprint-zero-chdb-'));
  let session: Chdb.Session;
  try {
    session = new chdb.Session(join(files, 'engine'));
  } catch (error) {
    await rm(files, { recursive: true, force: true });
    throw new EngineSetupError(`embedded ClickHouse (chdb) could not start: ${plainEngineMessage(error)}.`);
  }

  // chDB runs one statement at a time per session; after a failure it prepends the
  // failed statement's partial output to the next result, so a flush runs first.
  let queue: Promise<unknown> = Promise.resolve();
  let dirty = false;
  const serial = <T>(work: () => Promise<T>): Promise<T> => {
    const next = queue.then(async () => {
      if (dirty) {
        await session.queryAsync(FLUSH_STATEMENT, { format: 'TSV' }).catch(() => {});
        dirty = false;
      }
      try {
        return await work();
      } catch (error) {
        dirty = true;
        throw error;
      }
    });
    queue = next.catch(() => {});
    return next;
  };
  const run = (sql: string, format: string): Promise<Uint8Array> =>
    serial(async () => (await session.queryAsync(sql, { format })).bytes());
  const arrow = async (sql: string): Promise<Table> => {
    const bytes = await run(sql, 'Arrow');
    return tableFromIPC(bytes);
  };
  const exec = async (sql: string): Promise<void> => {
    await run(sql, 'TSV');
  };
  for (const statement of sessionSettings(options.timeoutSeconds)) await exec(statement);

  const sources = join(files, 'sources');
  await mkdir(sources);
  const { fileFor, ...folder } = sourceFolder(sources);
  const loadFile = (table: string, path: string, format: string): Promise<void> =>
    exec(`CREATE TABLE ${ident(table)} ENGINE = Memory AS SELECT * FROM file(${str(path)}, ${str(format)})`);

  return {
    kind: 'node',
    engine: 'chdb',
    // JSON with its types, not Arrow: ClickHouse writes DateTime to Arrow as a bare UInt32.
    query: async (sql) =>
      clickhouseRows(parseJsonCompact(new TextDecoder().decode(await run(sql, ROWS_FORMAT)))),
    queryArrow: arrow,
    exec,
    ...folder,
    insertArrowIPC: async (table: string, ipcStream: Uint8Array) => {
      const path = join(sources, `${basename(table)}.arrows`);
      await writeFile(path, ipcStream);
      try {
        await loadFile(table, path, 'ArrowStream');
      } finally {
        await unlink(path).catch(() => {});
      }
    },
    insertJSON: (table: string, virtualName: string) => loadFile(table, fileFor(virtualName), 'JSONEachRow'),
    // chDB has no interrupt: a running statement ends at `max_execution_time` (timeoutSeconds).
    cancel: async () => {},
    onProgress: () => () => {},
    close: async ({ exiting = false } = {}) => {
      // Copies of client files first. On a signal the process exits next: waiting for the
      // running statement (chDB cannot interrupt it) could take minutes.
      await rm(sources, { recursive: true, force: true }).catch(() => {});
      try {
        if (!exiting) await queue;
        session.close();
      } finally {
        await rm(files, { recursive: true, force: true });
      }
    },
  };
}

/** ClickHouse's input format for a file, by its extension; undefined when chDB cannot read it. */
const FORMATS: Record<string, { format: string; dataFormat: DataFormat }> = {
  '.csv': { format: 'CSVWithNames', dataFormat: 'csv' },
  '.tsv': { format: 'TSVWithNames', dataFormat: 'csv' },
  '.parquet': { format: 'Parquet', dataFormat: 'parquet' },
  '.parq': { format: 'Parquet', dataFormat: 'parquet' },
  '.json': { format: 'JSONEachRow', dataFormat: 'json' },
  '.ndjson': { format: 'JSONEachRow', dataFormat: 'ndjson' },
  '.jsonl': { format: 'JSONEachRow', dataFormat: 'ndjson' },
  '.arrow': { format: 'Arrow', dataFormat: 'arrow' },
  '.arrows': { format: 'ArrowStream', dataFormat: 'arrow' },
};

/** Formats whose dates are text, which ClickHouse's inference reads. */
const TEXT_FORMATS = new Set(['CSVWithNames', 'TSVWithNames', 'JSONEachRow']);

/** A whole date as text, `2024-01-31`. */
const DATE_TEXT = '^[0-9]{4}-[0-9]{2}-[0-9]{2}$';

/**
 * Schema hints that read date-only text columns as `Date32`, as DuckDB reads them
 * as DATE: ClickHouse infers `DateTime64` for a column holding a date before
 * 1970 (outside its `Date`). Empty when there is nothing to correct.
 */
async function dateHints(conn: Connector, reader: string): Promise<string> {
  const described = await conn.query(`DESCRIBE ${reader}`);
  const times = described
    .filter((c) => /^(Nullable\()?DateTime/.test(String(c.type)))
    .map((c) => String(c.name));
  if (times.length === 0) return '';
  // The same columns read as text: count the values that are more than a date.
  const counts = times.map(
    (name, i) =>
      `countIf(${ident(name)} IS NOT NULL AND NOT match(${ident(name)}, ${str(DATE_TEXT)})) AS ${ident(`c${i}`)}`,
  );
  const [row] = await conn.query(
    `SELECT ${counts.join(', ')} FROM ${reader} SETTINGS input_format_try_infer_dates = 0, input_format_try_infer_datetimes = 0`,
  );
  return times
    .filter((_, i) => Number(row?.[`c${i}`]) === 0)
    .map((name) => `${ident(name)} Nullable(Date32)`)
    .join(', ');
}

/**
 * Load a path into a new Memory table with ClickHouse's own readers: a CSV, TSV,
 * Parquet, JSON or Arrow file, a folder of Parquet files (recursively, Hive
 * partitions become columns) or a glob. Columns are nullable as in DuckDB.
 * Excel is not read by ClickHouse: a `LoadError` says so.
 */
export async function loadChdbDataset(
  conn: ChdbConnector,
  path: string,
  options: Pick<LoadOptions, 'tableName' | 'signal'> = {},
): Promise<LoadedDataset> {
  const started = performance.now();
  const isGlob = /[*?[{]/.test(path);
  const info = isGlob ? undefined : await stat(path).catch(() => undefined);
  if (!isGlob && !info) throw new LoadError('engine', `“${path}” does not exist.`);
  const folder = info?.isDirectory() ?? false;
  const name = basename(path.replace(/[/\\]+$/, '')) || 'data';
  const known = folder ? FORMATS['.parquet'] : FORMATS[extname(path).toLowerCase()];
  if (!known)
    throw new LoadError(
      'unsupported-format',
      `${quotedName(name)} cannot be read by the chdb engine, which reads CSV, TSV, Parquet, JSON and Arrow files (use the default engine for Excel).`,
    );
  const target = folder ? join(resolve(path), '**', '*.parquet') : resolve(path);
  const tableName = options.tableName ?? tableNameFor(name);
  const reader = `file(${str(target)}, ${str(known.format)})`;
  try {
    const hints = TEXT_FORMATS.has(known.format) ? await dateHints(conn, reader) : '';
    // Columns come out Nullable, as DuckDB's: CLICKHOUSE_SETTINGS' schema inference, set on the session.
    await conn.exec(
      `CREATE TABLE ${ident(tableName)} ENGINE = Memory AS SELECT * FROM ${reader}${hints ? ` SETTINGS schema_inference_hints = ${str(hints)}` : ''}`,
    );
    if (options.signal?.aborted)
      throw new LoadError('cancelled', `Loading ${quotedName(name)} was cancelled.`);
    const columns = await describeTable(conn, tableName);
    const rowCount = await countRows(conn, tableName);
    return {
      tableName,
      fileName: name,
      format: known.dataFormat,
      sizeBytes: info?.isFile() ? info.size : 0,
      lastModified: info?.mtimeMs ?? 0,
      rowCount,
      columns,
      warnings: [],
      loadMs: performance.now() - started,
    };
  } catch (error) {
    await conn.exec(dropTableQuery(tableName)).catch(() => {});
    if (error instanceof LoadError) throw error;
    throw new LoadError(
      'engine',
      `${quotedName(name)} could not be loaded: ${plainEngineMessage(error)}.`,
      errorText(error),
    );
  }
}

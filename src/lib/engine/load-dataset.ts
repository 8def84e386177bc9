/**
 * The front door for loading a client file into DuckDB: sniff the format, check
 * the limits, hand the file to its format's loader (`loaders/`), then tidy the
 * table every format shares (UTC timestamps, names and nesting the audit can hold).
 */
import type { Connector, DataSource } from './connector';
import type { Decoders } from './decoders/types';
import {
  LoadError,
  MAX_COLUMNS,
  errorText,
  isOutOfMemory,
  plainEngineMessage,
  quotedName,
  tooManyColumns,
} from './errors';
import { detectFormat, type DataFormat } from './sniff';
import { dropTableQuery } from '../core/sql/table';
import { CHECKPOINT_TABLES } from '../core/sql/load';
import {
  MAX_CSV_BYTES,
  MAX_IN_MEMORY_BYTES,
  countRows,
  describeTable,
  normaliseTimeZones,
  tidyColumns,
  tooLarge,
} from './loaders/common';
import { prepareCsv } from './loaders/csv-checks';
import { loadCsvFile } from './loaders/csv';
import { loadParquetFile } from './loaders/parquet';
import { loadArrowFile } from './loaders/arrow';
import { loadExcelFile } from './loaders/excel';
import { loadJsonFile } from './loaders/json';
import { fileSha256, sha256Hex } from './sha256';
import type {
  CsvOptions,
  FormatExtras,
  LoadContext,
  LoadedDataset as LoadedFile,
  LoadOptions,
} from './loaders/types';
import type { DatasetFormat, ServerTable } from '../core/model/audit';

export type { ColumnSchema, CsvOptions, JsonArraySummary, LoadOptions, LoadProgress } from './loaders/types';

/**
 * What the engine holds after a load: a loaded file's table, or a table a
 * server engine reads in place (`format: 'clickhouse'`, with its `server`).
 * Its format is the document's, so `toDatasetRef` copies it as is.
 */
export interface LoadedDataset extends Omit<LoadedFile, 'format'> {
  format: DatasetFormat;
  /** Where a server table lives (never a credential); absent for a file. */
  server?: ServerTable;
}
export { MAX_CSV_BYTES, MAX_IN_MEMORY_BYTES, countRows, describeTable, tidyColumns } from './loaders/common';

let tableCounter = 0;

/** A safe, unique, readable table name such as `t3_customer_churn`. */
export function tableNameFor(fileName: string): string {
  const stem = fileName
    .replace(/\.[^.]*$/, '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '_')
    .replace(/^_+|_+$/g, '')
    .slice(0, 32);
  tableCounter += 1;
  return `t${tableCounter}_${stem || 'data'}`;
}

/**
 * Load one client file into a new DuckDB table. Any failure leaves no table
 * behind and surfaces as a `LoadError` with a message for the user.
 */
export async function loadDataset(
  conn: Connector,
  decoders: Decoders,
  source: DataSource,
  options: LoadOptions = {},
): Promise<LoadedDataset> {
  const started = performance.now();
  const tableName = options.tableName ?? tableNameFor(source.name);
  const virtualName = `${tableName}__source`;
  const report = options.onProgress ?? (() => {});
  const throwIfCancelled = (): void => {
    if (options.signal?.aborted)
      throw new LoadError('cancelled', `Loading ${quotedName(source.name)} was cancelled.`);
  };
  const onAbort = (): void => void conn.cancel();
  options.signal?.addEventListener('abort', onAbort);
  let registered = false;
  // Hashed as soon as the loader reads the whole file, so the bytes need not outlive their loader.
  let readDigest: Promise<string | undefined> | undefined;
  try {
    const head = await source.head(64 * 1024);
    const format = detectFormat(source.name, head, source.size);
    assertFits(source, format);
    const csv = format === 'csv' ? await prepareCsv(source, head, options.csv) : {};
    throwIfCancelled();
    const ctx: LoadContext = {
      conn,
      decoders,
      source,
      tableName,
      virtualName,
      options,
      head,
      report,
      throwIfCancelled,
      readBytes: async () => {
        report({ stage: 'reading', fraction: 0 });
        const bytes = await source.bytes(
          (loaded, total) => report({ stage: 'reading', fraction: total ? loaded / total : undefined }),
          options.signal,
        );
        throwIfCancelled();
        readDigest ??= sha256Hex(bytes).catch(() => undefined);
        return bytes;
      },
      register: async (bytes) => {
        if (bytes) await conn.registerBuffer(virtualName, bytes);
        else await conn.registerSource(virtualName, source);
        registered = true;
      },
      warnings: [],
    };
    const extras = await loadFormat(ctx, format, csv);
    throwIfCancelled();
    report({ stage: 'finishing' });
    const { columns, rowCount } = await finishTable(conn, tableName, source.name, ctx.warnings);
    const checkpointMs = await checkpoint(conn);
    if (checkpointMs !== undefined) {
      report({ stage: 'finishing', checkpointMs });
      // Named as the session names its phases, so a benchmark reads it beside `sz:load:`.
      const end = performance.now();
      performance.measure(`sz:checkpoint:${source.name}`, { start: end - checkpointMs, end });
    }
    const sha256 = await fileSha256(source, readDigest);
    return {
      ...extras,
      tableName,
      fileName: source.name,
      format,
      sizeBytes: source.size,
      lastModified: source.lastModified,
      rowCount,
      columns,
      warnings: ctx.warnings,
      ...(sha256 === undefined ? {} : { sha256 }),
      ...(checkpointMs === undefined ? {} : { checkpointMs }),
      loadMs: performance.now() - started,
    };
  } catch (error) {
    await conn.exec(dropTableQuery(tableName)).catch(() => {});
    await checkpoint(conn);
    throw loadFailure(source, error, options.signal);
  } finally {
    options.signal?.removeEventListener('abort', onAbort);
    if (registered) await conn.unregister(virtualName).catch(() => {});
  }
}

/**
 * Checkpoint the tables' database, in milliseconds; undefined when DuckDB put it
 * off (another connection is writing), which the next load's checkpoint makes up.
 */
export async function checkpoint(conn: Connector): Promise<number | undefined> {
  const started = performance.now();
  try {
    await conn.exec(CHECKPOINT_TABLES);
    return performance.now() - started;
  } catch {
    return undefined;
  }
}

/** Refuses a file larger than its format can hold, before reading it. */
function assertFits(source: DataSource, format: DataFormat): void {
  if (format !== 'csv' && source.size > MAX_IN_MEMORY_BYTES[format])
    throw tooLarge(source, MAX_IN_MEMORY_BYTES[format]);
  if (format === 'csv' && source.size > MAX_CSV_BYTES) throw tooLarge(source, MAX_CSV_BYTES);
}

async function loadFormat(ctx: LoadContext, format: DataFormat, csv: CsvOptions): Promise<FormatExtras> {
  switch (format) {
    case 'csv':
      return loadCsvFile(ctx, csv);
    case 'parquet':
      await loadParquetFile(ctx);
      return {};
    case 'arrow':
      await loadArrowFile(ctx);
      return {};
    case 'xlsx':
      return loadExcelFile(ctx);
    default:
      return loadJsonFile(ctx, format);
  }
}

/** What every format shares once its table exists: UTC timestamps, tidy columns, and a table that is not empty. */
async function finishTable(
  conn: Connector,
  tableName: string,
  fileName: string,
  warnings: string[],
): Promise<Pick<LoadedDataset, 'columns' | 'rowCount'>> {
  await normaliseTimeZones(conn, tableName, warnings);
  await tidyColumns(conn, tableName, warnings);
  const columns = await describeTable(conn, tableName);
  if (columns.length === 0) throw new LoadError('no-columns', `${quotedName(fileName)} has no columns.`);
  if (columns.length > MAX_COLUMNS) throw tooManyColumns(quotedName(fileName), columns.length);
  const rowCount = await countRows(conn, tableName);
  if (rowCount === 0)
    throw new LoadError(
      'header-only',
      `${quotedName(fileName)} has column names (${columns
        .slice(0, 5)
        .map((c) => c.name)
        .join(', ')}${columns.length > 5 ? ', …' : ''}) but no data rows.`,
    );
  return { columns, rowCount };
}

/** Any failure as the `LoadError` the user sees. */
function loadFailure(source: DataSource, error: unknown, signal: AbortSignal | undefined): LoadError {
  if (signal?.aborted) return new LoadError('cancelled', `Loading ${quotedName(source.name)} was cancelled.`);
  if (error instanceof LoadError) return error;
  if (isOutOfMemory(error)) return tooLarge(source);
  return new LoadError(
    'engine',
    `${quotedName(source.name)} could not be loaded: ${plainEngineMessage(error)}.`,
    errorText(error),
  );
}

/**
 * The SQL that loads client files and sets up an engine: pure builders, values in,
 * SQL text out. File names and column names are client data, so every one passes
 * through `ident` or `str`. The engine only runs what these return.
 */
import { DUCKDB as d } from './dialect';
import { ident, str } from './quote';
import { castToTimestampQuery, createTableAsQuery, replaceTableAsQuery, selectColumnsQuery } from './table';

/**
 * The in-memory database every table lives in. DuckDB-WASM keeps its default
 * in-memory database uncompressed; one attached with `COMPRESS` is stored
 * compressed as each load commits and as a checkpoint reclaims replaced tables
 * (the 1M × 20 churn extract: 257 MiB became 35 MiB). Temp tables stay in `temp`.
 */
export const TABLE_DATABASE = 'compressed';

/**
 * Make `TABLE_DATABASE` every statement's default database. Idempotent, so each
 * connection of one engine (the Arrow writer's included) runs it and shares the one database.
 */
export const COMPRESSED_TABLES_SETTINGS = [
  `ATTACH IF NOT EXISTS ':memory:' AS ${ident(TABLE_DATABASE)} (COMPRESS)`,
  `USE ${ident(TABLE_DATABASE)}`,
] as const;

/**
 * Statements every connection runs first: never reach for the network, and
 * create tables in the compressed database.
 */
export const OFFLINE_SETTINGS = [
  'SET autoload_known_extensions=false',
  'SET autoinstall_known_extensions=false',
  ...COMPRESSED_TABLES_SETTINGS,
];

/**
 * Store what the last loads wrote compressed and free the blocks of tables they
 * replaced or dropped. DuckDB refuses it while another connection has a write
 * open (a Parquet load in progress), which only postpones it to the next load.
 */
export const CHECKPOINT_TABLES = `CHECKPOINT ${ident(TABLE_DATABASE)}`;

/** Memory DuckDB holds for tables (`IN_MEMORY_TABLE`) and in all, in bytes, as `tables` and `total`. */
export function engineMemoryQuery(): string {
  return `SELECT CAST(sum(memory_usage_bytes) FILTER (WHERE tag = 'IN_MEMORY_TABLE') AS BIGINT) AS tables, CAST(sum(memory_usage_bytes) AS BIGINT) AS total FROM duckdb_memory()`;
}

/**
 * Execution progress, reported from the first poll rather than only for statements
 * that already ran two seconds (DuckDB's default delay), and never printed.
 * The first one is required; engines may tolerate a failure of the others.
 */
export const PROGRESS_SETTINGS = [
  'SET enable_progress_bar = true',
  'SET enable_progress_bar_print = false',
  'SET progress_bar_time = 0',
] as const;

/** Opens the transaction a table written in parts lands in. */
export const BEGIN_TRANSACTION = 'BEGIN TRANSACTION';

/** Where DuckDB resolves relative file names (the native engine's folder of registered sources). */
export function fileSearchPathSetting(folder: string): string {
  return `SET file_search_path = ${str(folder)}`;
}

/** Where an extension would be fetched from, should anything still try. */
export function extensionRepositorySetting(url: string): string {
  return `SET custom_extension_repository = ${str(url)}`;
}

/** The settings an engine runs with, as `threads`, `memory_limit` and `temp_dir`. */
export function engineSettingsQuery(): string {
  return `SELECT current_setting('threads') AS threads, current_setting('memory_limit') AS memory_limit, current_setting('temp_directory') AS temp_dir`;
}

/** A CSV dialect as the loader asks DuckDB for it; absent fields are sniffed. */
export interface CsvReadSettings {
  delimiter?: string;
  quote?: string;
  header?: boolean;
  encoding?: string;
  /** The line break that ends a record, when the sniffer cannot tell. */
  newLine?: '\n' | '\r\n' | '\r';
}

/** DuckDB takes the line break spelled with backslashes (`'\r\n'`), not as the characters themselves. */
export function newLineLiteral(newLine: string): string {
  return str(newLine.replace(/\r/g, '\\r').replace(/\n/g, '\\n'));
}

/**
 * `read_csv(…)` over a registered file with the sniffer on. `lenient` pads short
 * rows and skips rows that cannot be parsed.
 */
export function readCsvCall(file: string, settings: CsvReadSettings, lenient = false): string {
  const args = [str(file), 'auto_detect=true', 'sample_size=20480'];
  if (settings.newLine) args.push(`new_line=${newLineLiteral(settings.newLine)}`);
  if (settings.delimiter) args.push(`delim=${str(settings.delimiter)}`);
  if (settings.quote) args.push(`quote=${str(settings.quote)}`);
  if (settings.header !== undefined) args.push(`header=${settings.header ? 'true' : 'false'}`);
  if (settings.encoding) args.push(`encoding=${str(settings.encoding)}`);
  if (lenient) args.push('null_padding=true', 'ignore_errors=true');
  return `read_csv(${args.join(', ')})`;
}

/** Create `table` from a registered CSV file. */
export function loadCsvQuery(
  table: string,
  file: string,
  settings: CsvReadSettings,
  lenient = false,
): string {
  return createTableAsQuery(table, `SELECT * FROM ${readCsvCall(file, settings, lenient)}`);
}

/** The dialect DuckDB's sniffer finds, as `delimiter`, `quote` and `header`. */
export function sniffCsvQuery(file: string, settings: Pick<CsvReadSettings, 'encoding' | 'newLine'>): string {
  const args = [str(file)];
  if (settings.encoding) args.push(`encoding=${str(settings.encoding)}`);
  if (settings.newLine) args.push(`new_line=${newLineLiteral(settings.newLine)}`);
  return `SELECT Delimiter AS delimiter, Quote AS quote, HasHeader AS header FROM sniff_csv(${args.join(', ')})`;
}

/**
 * Rows of a ragged CSV read leniently, as `long_rows` (a value in a column past the
 * header's) and `short_rows` (no value in the header's last column).
 */
export function raggedRowCountsQuery(
  table: string,
  extraColumns: readonly string[],
  lastHeaderColumn: string | undefined,
): string {
  const long =
    extraColumns.length > 0 ? extraColumns.map((c) => `${ident(c)} IS NOT NULL`).join(' OR ') : 'FALSE';
  const short = lastHeaderColumn !== undefined ? `${ident(lastHeaderColumn)} IS NULL` : 'FALSE';
  return `SELECT count(*) FILTER (WHERE ${long}) AS long_rows, count(*) FILTER (WHERE ${short}) AS short_rows FROM ${ident(table)}`;
}

/** One column of `tidyColumnsQuery`: renamed to `as`, and cast to text when `asText`. */
export interface TidyColumn {
  name: string;
  as: string;
  asText: boolean;
}

/** Replace a table by itself with columns renamed and some cast to VARCHAR, in order. */
export function tidyColumnsQuery(table: string, columns: readonly TidyColumn[]): string {
  const select = columns.map((c) => {
    const value = c.asText ? `CAST(${ident(c.name)} AS VARCHAR)` : ident(c.name);
    return `${value} AS ${ident(c.as)}`;
  });
  return replaceTableAsQuery(table, `SELECT ${select.join(', ')} FROM ${ident(table)}`);
}

/** Replace a table by itself with its columns in the given order. */
export function reorderColumnsQuery(table: string, columns: readonly string[]): string {
  return replaceTableAsQuery(table, selectColumnsQuery(table, columns));
}

/** Replace a table by itself with the given time-zone-aware columns as UTC `TIMESTAMP`s. */
export function utcTimestampsQuery(table: string, columns: readonly string[]): string {
  return replaceTableAsQuery(table, castToTimestampQuery(table, columns));
}

/** `read_parquet` over a path or glob; Hive partitions become columns, files may differ in columns. */
export function readParquetCall(path: string): string {
  return `read_parquet(${str(path)}, hive_partitioning = true, union_by_name = true)`;
}

/** `read_json_auto` over a path; `array` when the file is known to hold one array of records. */
export function readJsonCall(path: string, format?: 'array'): string {
  return `read_json_auto(${str(path)}${format ? `, format = ${str(format)}` : ''})`;
}

/** Create `table` from one Parquet file as it is (no partitions, no union). */
export function loadParquetFileQuery(table: string, path: string): string {
  return createTableAsQuery(table, `SELECT * FROM read_parquet(${str(path)})`);
}

/** Create `table` from a reader call (`readParquetCall`, `readJsonCall`). */
export function loadReaderQuery(table: string, reader: string): string {
  return createTableAsQuery(table, `SELECT * FROM ${reader}`);
}

/** The columns a reader gives, as `column_name` and `column_type`, without reading its rows. */
export function describeReaderQuery(reader: string): string {
  return `DESCRIBE SELECT * FROM ${reader}`;
}

/**
 * A row's position in a Parquet scan's file order, from the reader's virtual columns:
 * `file_index` follows the sorted file list, so this sorts as (path, row in file) does.
 * 2^40 rows per file and 2^23 files fit in a BIGINT.
 */
const FILE_ORDER_SQL = '(CAST(file_index AS BIGINT) << 40) + file_row_number';

/**
 * Everything a reader gives, with time-zone-aware columns as UTC `TIMESTAMP`s, and
 * with `fileOrder` each row's position in file order as `rowid` (Parquet readers only).
 */
export function readerSelectQuery(
  reader: string,
  zonedColumns: readonly string[],
  fileOrder = false,
): string {
  const star = zonedColumns.length
    ? d.starReplace(zonedColumns.map((c) => [`CAST(${ident(c)} AS TIMESTAMP)`, c] as const))
    : '*';
  return `SELECT ${star}${fileOrder ? `, ${FILE_ORDER_SQL} AS rowid` : ''} FROM ${reader}`;
}

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

/** Rows DuckDB's CSV sniffer reads from the start of a file to choose its dialect and types. */
export const CSV_SNIFF_SAMPLE_ROWS = 20480;

/**
 * `read_csv(…)` over a registered file with the sniffer on. `lenient` pads short
 * rows and skips rows that cannot be parsed.
 */
export function readCsvCall(file: string, settings: CsvReadSettings, lenient = false): string {
  const args = [str(file), 'auto_detect=true', `sample_size=${CSV_SNIFF_SAMPLE_ROWS}`];
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
 * The dialect DuckDB's sniffer settles on with these settings and `readCsvCall`'s sample,
 * as `delimiter`, `quote`, `escape`, `new_line`, `comment`, `date_format` and
 * `timestamp_format` (empty text for none), so a part of the file can be read the same way.
 */
export function sniffCsvDialectQuery(file: string, settings: CsvReadSettings): string {
  const args = [str(file), `sample_size=${CSV_SNIFF_SAMPLE_ROWS}`];
  if (settings.newLine) args.push(`new_line=${newLineLiteral(settings.newLine)}`);
  if (settings.delimiter) args.push(`delim=${str(settings.delimiter)}`);
  if (settings.quote) args.push(`quote=${str(settings.quote)}`);
  if (settings.header !== undefined) args.push(`header=${settings.header ? 'true' : 'false'}`);
  if (settings.encoding) args.push(`encoding=${str(settings.encoding)}`);
  // sniff_csv spells "none" as '(empty)' and the line break with backslashes.
  const text = (column: string): string =>
    `CASE WHEN ${column} IS NULL OR ${column} = '(empty)' THEN '' ELSE ${column} END`;
  return `SELECT ${text('Delimiter')} AS delimiter, ${text('Quote')} AS quote, ${text('Escape')} AS escape, ${text('NewLineDelimiter')} AS new_line, ${text('Comment')} AS comment, ${text('DateFormat')} AS date_format, ${text('TimestampFormat')} AS timestamp_format FROM sniff_csv(${args.join(', ')})`;
}

/** A CSV dialect spelled out in full, as `sniffCsvDialectQuery` returns it; empty text means none. */
export interface CsvDialect {
  delimiter: string;
  quote: string;
  escape: string;
  /** Spelled with backslashes, as sniff_csv gives it (`\r\n`). */
  newLine: string;
  comment: string;
  dateFormat: string;
  timestampFormat: string;
  encoding?: string;
}

/**
 * `read_csv(…)` over a part of a file after its first: no sniffing, no header, and the
 * first part's dialect and columns (name and DuckDB type, in order), so every part
 * reads as the first one did.
 */
export function readCsvPartCall(
  file: string,
  dialect: CsvDialect,
  columns: readonly { name: string; type: string }[],
): string {
  const args = [
    str(file),
    'auto_detect=false',
    'header=false',
    'skip=0',
    `delim=${str(dialect.delimiter)}`,
    `quote=${str(dialect.quote)}`,
    `escape=${str(dialect.escape)}`,
    // Already spelled with backslashes, which DuckDB reads as they are.
    `new_line=${str(dialect.newLine)}`,
  ];
  if (dialect.comment) args.push(`comment=${str(dialect.comment)}`);
  if (dialect.dateFormat) args.push(`dateformat=${str(dialect.dateFormat)}`);
  if (dialect.timestampFormat) args.push(`timestampformat=${str(dialect.timestampFormat)}`);
  if (dialect.encoding) args.push(`encoding=${str(dialect.encoding)}`);
  args.push(`columns={${columns.map((c) => `${str(c.name)}: ${str(c.type)}`).join(', ')}}`);
  return `read_csv(${args.join(', ')})`;
}

/** Append every row of a part read by `readCsvPartCall` to `table`, column by column in order. */
export function insertCsvPartQuery(table: string, partReader: string): string {
  return `INSERT INTO ${ident(table)} SELECT * FROM ${partReader}`;
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

import { RecordBatchReader, tableFromIPC, tableToIPC, type DataType, type Schema } from 'apache-arrow';
import type { Connector, DataSource } from './connector';
import type { Decoders, SheetSummary } from './decoders/types';
import {
  LoadError,
  MAX_COLUMNS,
  errorText,
  isOutOfMemory,
  plainEngineMessage,
  quotedName,
  tooManyColumns,
} from './errors';
import {
  MAX_COLUMN_NAME_LENGTH,
  MAX_NESTED_FIELDS,
  MAX_NESTING_DEPTH,
  MAX_TYPE_TEXT_LENGTH,
  headerFields,
  shortenedColumnNames,
  typeNestingDepth,
} from './column-names';
import { decodeUtf16, detectFormat, utf16ByteOrder, type DataFormat } from './sniff';
import { ident, str } from '../core/sql/quote';
import {
  castToTimestampQuery,
  createTableAsQuery,
  describeTableQuery,
  dropTableQuery,
  replaceTableAsQuery,
  selectColumnsQuery,
  tableRowCountQuery,
} from '../core/sql/table';

/** Options the consultant can set when the CSV sniffer guesses wrong. */
export interface CsvOptions {
  delimiter?: string;
  header?: boolean;
  encoding?: 'utf-8' | 'latin-1' | 'utf-16';
  quote?: string;
}

export interface LoadOptions {
  csv?: CsvOptions;
  /** Excel sheet to load; the largest one (most data cells) by default. */
  sheet?: string;
  /**
   * For a JSON object holding several arrays of records (`{"nodes": […], "links": […]}`),
   * the key of the array to load; the largest array by default.
   */
  jsonArray?: string;
  /** DuckDB table name; generated from the file name when absent. */
  tableName?: string;
  signal?: AbortSignal;
  onProgress?: (progress: LoadProgress) => void;
}

export interface LoadProgress {
  stage: 'reading' | 'decoding' | 'loading' | 'finishing';
  /** 0–1 when known. */
  fraction?: number;
  /** Rows in the table so far, and in the whole file, for files loaded in parts (Parquet by row group). */
  rows?: { done: number; total: number };
  /** A Parquet file's row groups loaded so far, and in all. */
  rowGroups?: { done: number; total: number };
}

export interface ColumnSchema {
  name: string;
  type: string;
}

/** What the engine holds after a load, and how it got there. */
export interface LoadedDataset {
  tableName: string;
  fileName: string;
  format: DataFormat;
  sizeBytes: number;
  lastModified: number;
  rowCount: number;
  columns: ColumnSchema[];
  warnings: string[];
  /** The CSV dialect DuckDB used, for display and overriding. */
  csvDialect?: { delimiter: string; quote: string; header: boolean; encoding: string };
  sheets?: string[];
  sheet?: string;
  /** Every sheet of a workbook with its data rows and header width, for the sheet picker. */
  sheetSummaries?: SheetSummary[];
  /** Arrays of records found in a JSON object, with their lengths, for the array picker. */
  jsonArrays?: JsonArraySummary[];
  /** The key of the JSON array that was loaded. */
  jsonArray?: string;
  loadMs: number;
}

/** One array of records inside a JSON object. */
export interface JsonArraySummary {
  name: string;
  rows: number;
}

/** Formats held fully in JS memory while decoding get a cap, so a huge file fails clearly instead of crashing the tab. */
export const MAX_IN_MEMORY_BYTES: Record<Exclude<DataFormat, 'csv'>, number> = {
  parquet: 1.5e9,
  arrow: 1.5e9,
  json: 500e6,
  ndjson: 500e6,
  xlsx: 200e6,
};

/** Above this, even a streamed CSV will not fit the 4 GB wasm32 address space once typed. */
export const MAX_CSV_BYTES = 3e9;

/** DuckDB's default `max_line_size`. */
const CSV_MAX_LINE_BYTES = 2_000_000;

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
  try {
    const head = await source.head(64 * 1024);
    const format = detectFormat(source.name, head, source.size);
    if (format !== 'csv' && source.size > MAX_IN_MEMORY_BYTES[format])
      throw tooLarge(source, MAX_IN_MEMORY_BYTES[format]);
    if (format === 'csv' && source.size > MAX_CSV_BYTES) throw tooLarge(source, MAX_CSV_BYTES);
    if (format === 'csv' && source.size > CSV_MAX_LINE_BYTES) await assertLinesFit(source);
    // Excel's "Unicode Text" is UTF-16 with a byte-order mark; DuckDB reads it once told.
    const csvOptions: CsvOptions =
      format === 'csv' && !options.csv?.encoding && utf16ByteOrder(head) === 'le'
        ? { ...options.csv, encoding: 'utf-16' }
        : { ...options.csv };
    if (format === 'csv') assertNotBlank(source, head, csvOptions);
    if (format === 'csv') await assertCsvWidthFits(source, head, csvOptions);
    throwIfCancelled();

    const readBytes = async (): Promise<Uint8Array> => {
      report({ stage: 'reading', fraction: 0 });
      const bytes = await source.bytes(
        (loaded, total) => report({ stage: 'reading', fraction: total ? loaded / total : undefined }),
        options.signal,
      );
      throwIfCancelled();
      return bytes;
    };

    const result: Partial<LoadedDataset> = { warnings: [] };
    const warnings = result.warnings!;
    if (format === 'csv') {
      await conn.registerSource(virtualName, source);
      registered = true;
      Object.assign(
        result,
        await loadCsv(conn, tableName, virtualName, source.name, csvOptions, report, warnings, head),
      );
      await warnRenamedHeaders(conn, tableName, head, result.csvDialect, warnings);
    } else if (format === 'parquet' && canWriteInParts(conn)) {
      await loadParquetInParts(
        conn,
        decoders,
        source,
        tableName,
        report,
        throwIfCancelled,
        options.signal,
      ).catch((error: unknown) => {
        throw nestedTooDeeply(source.name, error) ?? error;
      });
    } else if (format === 'parquet') {
      const bytes = await readBytes();
      report({ stage: 'decoding' });
      const ipc = await decoders.parquetToIPC(bytes, options.signal);
      throwIfCancelled();
      assertArrowDepth(ipcSchema(ipc), quotedName(source.name));
      report({ stage: 'loading' });
      await conn.insertArrowIPC(tableName, ipc).catch((error: unknown) => {
        throw nestedTooDeeply(source.name, error) ?? error;
      });
    } else if (format === 'arrow') {
      const bytes = await readBytes();
      report({ stage: 'loading' });
      await conn.insertArrowIPC(tableName, arrowToStream(bytes, source.name)).catch((error: unknown) => {
        throw nestedTooDeeply(source.name, error) ?? error;
      });
    } else if (format === 'xlsx') {
      const bytes = await readBytes();
      report({ stage: 'decoding' });
      const decoded = await decoders.xlsxToIPC(bytes, options.sheet, options.signal);
      throwIfCancelled();
      warnings.push(...decoded.warnings);
      result.sheets = decoded.sheets;
      result.sheet = decoded.sheet;
      result.sheetSummaries = decoded.sheetSummaries;
      report({ stage: 'loading' });
      await conn.insertArrowIPC(tableName, decoded.ipc);
    } else {
      const bytes = await readBytes();
      report({ stage: 'loading' });
      const records = jsonRecordsText(bytes, source.name, format, options.jsonArray);
      const { text: arrayText, keyOrder } = records;
      warnings.push(...records.warnings);
      if (records.arrays) result.jsonArrays = records.arrays;
      if (records.array !== undefined) result.jsonArray = records.array;
      if (keyOrder.length > MAX_COLUMNS) throw tooManyColumns(quotedName(source.name), keyOrder.length, true);
      await conn.registerBuffer(virtualName, new TextEncoder().encode(arrayText));
      registered = true;
      try {
        await conn.insertJSON(tableName, virtualName);
      } catch (error) {
        if (isOutOfMemory(error)) throw error;
        throw new LoadError(
          'malformed-json',
          `${quotedName(source.name)} could not be read as JSON records: ${plainEngineMessage(error)}.`,
          errorText(error),
        );
      }
      await restoreKeyOrder(conn, tableName, keyOrder, warnings);
    }
    throwIfCancelled();
    report({ stage: 'finishing' });
    await normaliseTimeZones(conn, tableName, warnings);
    await tidyColumns(conn, tableName, warnings);
    const columns = await describeTable(conn, tableName);
    if (columns.length === 0) throw new LoadError('no-columns', `${quotedName(source.name)} has no columns.`);
    if (columns.length > MAX_COLUMNS) throw tooManyColumns(quotedName(source.name), columns.length);
    const rowCount = await countRows(conn, tableName);
    if (rowCount === 0)
      throw new LoadError(
        'header-only',
        `${quotedName(source.name)} has column names (${columns
          .slice(0, 5)
          .map((c) => c.name)
          .join(', ')}${columns.length > 5 ? ', …' : ''}) but no data rows.`,
      );
    return {
      ...result,
      tableName,
      fileName: source.name,
      format,
      sizeBytes: source.size,
      lastModified: source.lastModified,
      rowCount,
      columns,
      warnings,
      loadMs: performance.now() - started,
    } as LoadedDataset;
  } catch (error) {
    await conn.exec(dropTableQuery(tableName)).catch(() => {});
    if (options.signal?.aborted)
      throw new LoadError('cancelled', `Loading ${quotedName(source.name)} was cancelled.`);
    if (error instanceof LoadError) throw error;
    if (isOutOfMemory(error)) throw tooLarge(source);
    throw new LoadError(
      'engine',
      `${quotedName(source.name)} could not be loaded: ${plainEngineMessage(error)}.`,
      errorText(error),
    );
  } finally {
    options.signal?.removeEventListener('abort', onAbort);
    if (registered) await conn.unregister(virtualName).catch(() => {});
  }
}

/**
 * Parquet a few row groups at a time: each part is decoded (in the browser, in
 * the decode worker, one part ahead) and appended to the table as it comes, so
 * the whole decoded table never sits in memory as Arrow, and a cancel takes
 * effect between parts. The first part creates the table, so its columns and
 * types are those a whole-file insert gives. The rows land in one transaction
 * on the writer's own connection: nothing sees the table until every part is
 * in, and a failure or a cancel rolls it all back.
 */
async function loadParquetInParts(
  conn: WritingConnector,
  decoders: Decoders,
  source: DataSource,
  tableName: string,
  report: (p: LoadProgress) => void,
  throwIfCancelled: () => void,
  signal?: AbortSignal,
): Promise<void> {
  report({ stage: 'loading', fraction: 0 });
  const file = source.blob ? await source.blob() : new Blob([bufferOf(await source.bytes())]);
  const writer = await conn.arrowTableWriter(tableName);
  try {
    let done = 0;
    for await (const part of decoders.parquetParts(file, signal)) {
      throwIfCancelled();
      if (done === 0) assertArrowDepth(ipcSchema(part.ipc), quotedName(source.name));
      await writer.append(part.ipc);
      throwIfCancelled();
      done += part.rows;
      report({
        stage: 'loading',
        fraction: part.totalRows > 0 ? done / part.totalRows : 1,
        rows: { done, total: part.totalRows },
        rowGroups: { done: part.rowGroupsDone, total: part.rowGroups },
      });
    }
    await writer.commit();
  } finally {
    await writer.abort().catch(() => {});
  }
}

type WritingConnector = Connector & Required<Pick<Connector, 'arrowTableWriter'>>;

function canWriteInParts(conn: Connector): conn is WritingConnector {
  return typeof conn.arrowTableWriter === 'function';
}

/** The bytes as a `BlobPart`: typed arrays over a `SharedArrayBuffer` are not one. */
function bufferOf(bytes: Uint8Array): Uint8Array<ArrayBuffer> {
  return bytes.buffer instanceof ArrayBuffer ? (bytes as Uint8Array<ArrayBuffer>) : bytes.slice();
}

/**
 * DuckDB's sniffer takes many seconds to reject a multi-megabyte line; finding
 * one in the first 16 MB ourselves is instant and names the line.
 */
async function assertLinesFit(source: DataSource): Promise<void> {
  const head = await source.head(16 * 1024 * 1024);
  let start = 0;
  for (let line = 1; start < head.length; line++) {
    const end = head.indexOf(0x0a, start);
    const stop = end < 0 ? head.length : end;
    if (stop - start > CSV_MAX_LINE_BYTES)
      throw new LoadError(
        'line-too-long',
        `${quotedName(source.name)} line ${line} is longer than 2 MB, DuckDB’s line-size limit. The file may not be line-delimited text, or a quote is never closed.`,
      );
    if (end < 0) break;
    start = end + 1;
  }
}

function tooLarge(source: DataSource, limit?: number): LoadError {
  const size = `${(source.size / 1e6).toFixed(0)} MB`;
  return new LoadError(
    'too-large',
    limit
      ? `${quotedName(source.name)} is ${size}, above the ${(limit / 1e6).toFixed(0)} MB this format can hold in browser memory. Split the file or load a sample.`
      : `${quotedName(source.name)} (${size}) does not fit in the engine’s memory. Split the file or load a sample.`,
  );
}

async function loadCsv(
  conn: Connector,
  tableName: string,
  virtualName: string,
  fileName: string,
  csv: CsvOptions,
  report: (p: LoadProgress) => void,
  warnings: string[],
  head: Uint8Array,
): Promise<Pick<LoadedDataset, 'csvDialect'>> {
  const attempt = async (opts: CsvReadOptions, lenient: boolean): Promise<void> => {
    const reader = csvReader(virtualName, opts, lenient);
    // Sniff first so TIMESTAMPTZ columns can be cast while loading, in one pass.
    const unsubscribe = conn.onProgress((fraction) => report({ stage: 'loading', fraction }));
    try {
      await conn.exec(createTableAsQuery(tableName, `SELECT * FROM ${reader}`));
    } finally {
      unsubscribe();
    }
  };
  // DuckDB reports a fraction when it can; until then the bar is indeterminate.
  report({ stage: 'loading' });
  let used: CsvReadOptions = { ...csv };
  try {
    await attempt(used, false);
  } catch (error) {
    const text = csvErrorCause(errorText(error));
    await conn.exec(dropTableQuery(tableName));
    const newLine = /Error when sniffing file/i.test(text)
      ? recordTerminator(decodeHead(head, csv.encoding))
      : undefined;
    if (newLine) {
      // Excel writes CRLF between records but a bare LF inside a quoted cell (Alt+Enter); DuckDB's
      // sniffer gives up on the mix, and reads it once told which line break ends a record.
      used = { ...csv, newLine };
      await attempt(used, false).catch(() => {
        throw csvError(fileName, error);
      });
    } else if (/unicode|utf-?8|byte sequence/i.test(text) && !csv.encoding) {
      used = { ...csv, encoding: 'latin-1' };
      await attempt(used, false).catch((second: unknown) => {
        // Report the UTF-8 failure: it names the line, and Latin-1 was only our guess.
        throw csvError(fileName, error, second);
      });
      warnings.push(
        `${quotedName(fileName)} is not valid UTF-8; it was read as Latin-1 (ISO-8859-1). Choose another encoding if characters look wrong.`,
      );
    } else if (/Expected Number of Columns|too many columns|column count|fewer columns/i.test(text)) {
      await attempt(used, true).catch((second: unknown) => {
        throw csvError(fileName, second);
      });
      warnings.push(
        `Some rows of ${quotedName(fileName)} have a different number of fields than the header: short rows were padded with empty values and rows that could not be parsed were skipped. ${firstLine(text)}`,
      );
    } else {
      throw csvError(fileName, error);
    }
  }
  await repairCollapsedHeader(conn, tableName, fileName, used, attempt, warnings);
  await readOtherDelimiter(conn, tableName, fileName, head, used, attempt, warnings);
  return { csvDialect: await sniffDialect(conn, virtualName, used) };
}

const DELIMITER_NAMES: Record<string, string> = {
  ' ': 'spaces',
  '\t': 'tabs',
  ';': 'semicolons',
  '|': 'pipes',
  ',': 'commas',
};

/** Rows of the head a delimiter guess is judged on. */
const DELIMITER_SAMPLE_ROWS = 200;

/**
 * A file the sniffer read as one column although its header holds several
 * names, as a space-separated file with quoted names does (`'OBS' 'GPA'
 * 'TUCE'` then `1 2.66 20`): DuckDB takes the whole line as one value, and the
 * header as one odd name. When one delimiter splits the header into several
 * non-empty names and every sampled row into as many fields, with at least one
 * column of numbers throughout, the evidence is unambiguous: the file is read
 * again with that delimiter, and a warning says so. When most rows, not all,
 * split that way, the columns would not line up: the load is refused with a
 * message naming the delimiter and how to set it. A header of words over rows
 * that do not split alike (one column of free text) is left as it is.
 */
async function readOtherDelimiter(
  conn: Connector,
  tableName: string,
  fileName: string,
  head: Uint8Array,
  used: CsvReadOptions,
  attempt: (opts: CsvReadOptions, lenient: boolean) => Promise<void>,
  warnings: string[],
): Promise<void> {
  if (used.delimiter) return;
  if ((await describeTable(conn, tableName)).length !== 1) return;
  const text = decodeHead(head, used.encoding);
  const lines = text.split(/\r?\n/);
  // The head may end inside a line; judge only complete ones.
  if (!text.endsWith('\n')) lines.pop();
  const [header, ...rest] = lines.filter((l) => l.trim() !== '');
  if (header === undefined) return;
  const rows = rest.slice(0, DELIMITER_SAMPLE_ROWS);
  if (rows.length === 0) return;
  const split = (line: string, d: string, q: string): string[] =>
    headerFields(`${line}\n`, d, q).fields.map((f) => f.trim());
  const isNumber = (v: string): boolean => v !== '' && Number.isFinite(Number(v));
  let best:
    | { d: string; q: string; names: string[]; matching: number; firstOff?: { line: number; fields: number } }
    | undefined;
  for (const d of Object.keys(DELIMITER_NAMES))
    for (const q of ['"', "'"]) {
      const names = split(header, d, q);
      if (names.length < 2 || names.some((n) => n === '')) continue;
      const widths = rows.map((r) => split(r, d, q));
      const alike = widths.filter((f) => f.length === names.length);
      // At least one column holds a number on every row that splits alike: data, not prose.
      const numeric = names.some((_, i) => alike.length > 0 && alike.every((f) => isNumber(f[i]!)));
      if (!numeric) continue;
      const off = widths.findIndex((f) => f.length !== names.length);
      const candidate = {
        d,
        q,
        names,
        matching: alike.length,
        ...(off >= 0 ? { firstOff: { line: off + 2, fields: widths[off]!.length } } : {}),
      };
      // On a tie, the quote that unwraps the names ('OBS' read with ' as the quote) wins.
      const wrapped = (ns: string[]): number => ns.filter((n) => /^(["']).*\1$/.test(n)).length;
      if (
        !best ||
        candidate.matching > best.matching ||
        (candidate.matching === best.matching && wrapped(names) < wrapped(best.names))
      )
        best = candidate;
    }
  if (!best || best.matching < rows.length * 0.8) return;
  const name = DELIMITER_NAMES[best.d]!;
  const shown = best.names
    .slice(0, 6)
    .map((n) => `“${n}”`)
    .join(', ');
  const refuse = (why: string, cause?: unknown): LoadError =>
    new LoadError(
      'malformed-csv',
      `${quotedName(fileName)} reads as a single column, but its header holds ${best.names.length} names separated by ${name} (${shown}${best.names.length > 6 ? ', …' : ''}): it is most likely separated by ${name}, not commas. ${why} Load it again with the delimiter set to ${name}, or save it from a spreadsheet as comma-separated CSV.`,
      cause === undefined ? undefined : errorText(cause),
    );
  if (best.firstOff)
    throw refuse(
      `It was not loaded: ${best.matching} of ${rows.length} rows split into ${best.names.length} fields that way, but line ${best.firstOff.line} splits into ${best.firstOff.fields}, so the columns would not line up.`,
    );
  const options: CsvReadOptions = {
    ...used,
    delimiter: best.d,
    ...(best.q !== '"' ? { quote: best.q } : {}),
  };
  await conn.exec(dropTableQuery(tableName));
  try {
    await attempt(options, false);
  } catch (error) {
    throw refuse(`Read that way, it still fails: ${firstLine(errorText(error))}`, error);
  }
  const width = (await describeTable(conn, tableName)).length;
  if (width !== best.names.length)
    throw refuse(`Read that way it gives ${width} columns, not ${best.names.length}.`);
  Object.assign(used, options);
  warnings.push(
    `${quotedName(fileName)} is separated by ${name}, not commas: it was read with that delimiter into ${width} columns (${shown}${width > 6 ? ', …' : ''}), as the header and every one of the first ${rows.length} rows agree. If the columns look wrong, choose another delimiter in the file's reading options.`,
  );
}

/**
 * With ragged rows the sniffer can give up on the delimiter and read each line
 * as one column named like `id,name,value`. Detect that and re-read with the
 * delimiter the header shows, padding short rows.
 */
async function repairCollapsedHeader(
  conn: Connector,
  tableName: string,
  fileName: string,
  used: CsvReadOptions,
  attempt: (opts: CsvReadOptions, lenient: boolean) => Promise<void>,
  warnings: string[],
): Promise<void> {
  if (used.delimiter) return;
  const columns = await describeTable(conn, tableName);
  if (columns.length !== 1) return;
  const header = columns[0]!.name;
  const delimiter = [',', ';', '\t', '|']
    .map((d) => ({ d, n: header.split(d).length - 1 }))
    .sort((a, b) => b.n - a.n)[0];
  if (!delimiter || delimiter.n === 0) return;
  await conn.exec(dropTableQuery(tableName));
  const repaired = { ...used, delimiter: delimiter.d };
  await attempt(repaired, true);
  Object.assign(used, repaired);
  const all = await describeTable(conn, tableName);
  const headerWidth = delimiter.n + 1;
  const extra = all.slice(headerWidth);
  const lastHeader = all[headerWidth - 1];
  const longFilter =
    extra.length > 0 ? extra.map((c) => `${ident(c.name)} IS NOT NULL`).join(' OR ') : 'FALSE';
  const [counts] = await conn.query(
    `SELECT count(*) FILTER (WHERE ${longFilter}) AS long_rows, count(*) FILTER (WHERE ${lastHeader ? `${ident(lastHeader.name)} IS NULL` : 'FALSE'}) AS short_rows FROM ${ident(tableName)}`,
  );
  warnings.push(
    `Rows of ${quotedName(fileName)} have different numbers of fields (the header has ${headerWidth}): ` +
      `${Number(counts?.long_rows ?? 0)} rows have more fields${extra.length > 0 ? ` (kept in added columns ${extra.map((c) => `“${c.name}”`).join(', ')})` : ''}, ` +
      `${Number(counts?.short_rows ?? 0)} rows have fewer and were padded with empty values. Check the file's quoting and delimiter.`,
  );
}

function firstLine(text: string): string {
  return plainEngineMessage(text);
}

/** The reading options, plus what the loader works out itself. */
interface CsvReadOptions extends CsvOptions {
  /** The line break that ends a record, when the sniffer cannot tell. */
  newLine?: '\n' | '\r\n' | '\r';
}

/**
 * The line break that ends the first record, outside quotes, when the head
 * also holds a different line break inside a quoted field; otherwise none.
 */
function recordTerminator(text: string): CsvReadOptions['newLine'] {
  let quoted = false;
  let inside: string | undefined;
  for (let i = 0; i < text.length; i++) {
    const ch = text[i]!;
    if (ch === '"') quoted = !quoted;
    else if (ch === '\r' || ch === '\n') {
      const lineBreak = ch === '\r' && text[i + 1] === '\n' ? '\r\n' : ch;
      if (quoted) inside ??= lineBreak;
      else if (inside !== undefined && inside !== lineBreak) return lineBreak as CsvReadOptions['newLine'];
      if (lineBreak.length === 2) i++;
    }
  }
  return undefined;
}

/**
 * The part of a DuckDB CSV error that says what went wrong: without the
 * offending line's text (the client's data) and without the sniffer's list of
 * options and possible fixes, which name every cause (encodings, line size)
 * whether or not it applies.
 */
function csvErrorCause(text: string): string {
  return text
    .replace(/^Original Line:.*$/gm, '')
    .split(/\n\s*(?:Possible (?:fixes|Solution)|The search space used was)/)[0]!;
}

/** DuckDB takes the line break spelled with backslashes (`'\r\n'`), not as the characters themselves. */
function newLineOption(newLine: string): string {
  return str(newLine.replace(/\r/g, '\\r').replace(/\n/g, '\\n'));
}

function csvReader(virtualName: string, opts: CsvReadOptions, lenient: boolean): string {
  const args = [str(virtualName), 'auto_detect=true', 'sample_size=20480'];
  if (opts.newLine) args.push(`new_line=${newLineOption(opts.newLine)}`);
  if (opts.delimiter) args.push(`delim=${str(opts.delimiter)}`);
  if (opts.quote) args.push(`quote=${str(opts.quote)}`);
  if (opts.header !== undefined) args.push(`header=${opts.header ? 'true' : 'false'}`);
  if (opts.encoding) args.push(`encoding=${str(opts.encoding)}`);
  if (lenient) args.push('null_padding=true', 'ignore_errors=true');
  return `read_csv(${args.join(', ')})`;
}

function csvError(fileName: string, error: unknown, retryError?: unknown): LoadError {
  const raw = errorText(error);
  const text = csvErrorCause(raw);
  const line = /line:?\s*(\d+)/i.exec(text)?.[1];
  if (/Error when sniffing file/i.test(text))
    return new LoadError(
      'malformed-csv',
      `${quotedName(fileName)} could not be read as CSV: the reader could not work out its delimiter, quoting and line breaks from the first rows, which do not follow one consistent layout. Set the delimiter and quote character in the file's reading options, or open it in a spreadsheet and save it again as CSV.`,
      raw,
    );
  if (/Maximum line size of \d+ bytes exceeded/i.test(text))
    return new LoadError(
      'line-too-long',
      `${quotedName(fileName)} has a line longer than DuckDB’s 2 MB limit. It may not be line-delimited text, or a quote is never closed.`,
      raw,
    );
  if (/unicode|utf-?8|byte sequence/i.test(text))
    return new LoadError(
      'invalid-encoding',
      `${quotedName(fileName)} is not valid UTF-8${line ? ` (first bad bytes on line ${line})` : ''}${retryError ? ', and it is not Latin-1 either' : ''}. Choose the file's encoding in the load options (UTF-8, Latin-1, UTF-16), or re-export it as UTF-8.`,
      raw,
    );
  if (/out of memory|failed to allocate/i.test(text))
    return new LoadError(
      'too-large',
      `${quotedName(fileName)} does not fit in the engine’s memory. Split the file or load a sample.`,
      raw,
    );
  return new LoadError(
    'malformed-csv',
    `${quotedName(fileName)} could not be parsed as CSV: ${firstLine(text)}`,
    raw,
  );
}

async function sniffDialect(
  conn: Connector,
  virtualName: string,
  opts: CsvReadOptions,
): Promise<LoadedDataset['csvDialect']> {
  try {
    const [row] = await conn.query(
      `SELECT Delimiter AS delimiter, Quote AS quote, HasHeader AS header FROM sniff_csv(${str(virtualName)}${opts.encoding ? `, encoding=${str(opts.encoding)}` : ''}${opts.newLine ? `, new_line=${newLineOption(opts.newLine)}` : ''})`,
    );
    return {
      delimiter: opts.delimiter ?? String(row?.delimiter ?? ','),
      quote: opts.quote ?? String(row?.quote ?? '"'),
      header: opts.header ?? Boolean(row?.header ?? true),
      encoding: opts.encoding ?? 'utf-8',
    };
  } catch {
    return undefined;
  }
}

/** Arrow IPC *files* (Feather v2) carry a footer; DuckDB-WASM takes only the stream form. */
function arrowToStream(bytes: Uint8Array, fileName: string): Uint8Array {
  const isFile =
    bytes[0] === 0x41 &&
    bytes[1] === 0x52 &&
    bytes[2] === 0x52 &&
    bytes[3] === 0x4f &&
    bytes[4] === 0x57 &&
    bytes[5] === 0x31;
  const endsWithMagic = [0x41, 0x52, 0x52, 0x4f, 0x57, 0x31].every(
    (b, i) => bytes[bytes.length - 6 + i] === b,
  );
  if (isFile && !endsWithMagic)
    throw new LoadError(
      'malformed-arrow',
      'This Arrow file cannot be read: it does not end with the “ARROW1” marker, so its footer (where an Arrow file keeps its schema) is missing: it looks truncated. Copy or export it again; a download that stopped early looks like this.',
    );
  let table: ReturnType<typeof tableFromIPC>;
  try {
    table = tableFromIPC(bytes);
  } catch (error) {
    throw new LoadError(
      'malformed-arrow',
      `This Arrow file cannot be read: ${arrowReason(error)}`,
      errorText(error),
    );
  }
  if (table.schema.fields.length === 0)
    throw new LoadError('malformed-arrow', 'This Arrow file cannot be read: it has no columns.');
  // Refuse from the schema, before DuckDB copies every column.
  if (table.schema.fields.length > MAX_COLUMNS)
    throw tooManyColumns('This Arrow file', table.schema.fields.length);
  assertArrowDepth(table.schema, quotedName(fileName));
  return isFile ? tableToIPC(table, 'stream') : bytes;
}

/** apache-arrow's reading errors in words: most are a damaged header or a file cut short. */
function arrowReason(error: unknown): string {
  const text = errorText(error);
  if (
    /Expected to read \d+ bytes for message body|Unexpected end|out of bounds|offset is outside/i.test(text)
  )
    return 'it ends before its last record batch does: it looks truncated. Copy or export it again; a download that stopped early looks like this.';
  if (/Cannot read propert|undefined|null|Unrecognized|Invalid|schema|flatbuffer|message/i.test(text))
    return 'its schema (the part that describes its columns) is missing or damaged, so it is not a readable Arrow IPC file or stream. Export it again.';
  return `${plainEngineMessage(error)}.`;
}

/**
 * DuckDB-WASM's JSON importer takes an array of records. NDJSON is rewritten
 * into that shape, and malformed input is reported with its line and column.
 */
interface JsonRecords {
  text: string;
  keyOrder: string[];
  warnings: string[];
  arrays?: JsonArraySummary[];
  array?: string;
}

function jsonRecordsText(
  bytes: Uint8Array,
  fileName: string,
  format: 'json' | 'ndjson',
  wantedArray?: string,
): JsonRecords {
  const text = jsonText(bytes, fileName);
  const trimmed = text.trim();
  if (trimmed === '') throw new LoadError('empty-file', `${quotedName(fileName)} contains only whitespace.`);
  let documentError: unknown;
  if (format === 'json') {
    let parsed: unknown;
    try {
      parsed = JSON.parse(text);
    } catch (error) {
      if (trimmed.startsWith('['))
        throw new LoadError(
          'malformed-json',
          `${quotedName(fileName)} is not valid JSON: ${jsonErrorPosition(text, error)}`,
        );
      documentError = error; // Perhaps one record per line (NDJSON): read it so below.
    }
    if (Array.isArray(parsed)) {
      assertRecords(parsed, fileName);
      return withDeepValuesAsText(
        { text, keyOrder: keysInOrder(parsed as object[]), warnings: [] },
        parsed as object[],
      );
    }
    if (typeof parsed === 'object' && parsed !== null) {
      const { records, ...result } = recordsFromObject(parsed, fileName, wantedArray);
      return withDeepValuesAsText(result, records);
    }
    if (documentError === undefined)
      throw new LoadError(
        'malformed-json',
        `${quotedName(fileName)} holds a single ${jsonValueKind(parsed)}, not records. Expected an array of objects, an object holding one, or one object per line (NDJSON).`,
      );
  }
  const lines = text.split(/\r?\n/);
  const records: string[] = [];
  const sample: object[] = [];
  const deep = new Set<string>();
  lines.forEach((line, index) => {
    if (line.trim() === '') return;
    let value: unknown;
    try {
      value = JSON.parse(line);
    } catch (error) {
      // A .json file that fails on its first line is one broken document, not broken NDJSON.
      if (documentError !== undefined && records.length === 0)
        throw new LoadError(
          'malformed-json',
          `${quotedName(fileName)} is not valid JSON: ${jsonErrorPosition(text, documentError)}`,
        );
      throw new LoadError(
        'malformed-json',
        `${quotedName(fileName)} line ${index + 1} is not a valid JSON record: ${jsonErrorPosition(line, error, index + 1)}`,
      );
    }
    if (typeof value !== 'object' || value === null || Array.isArray(value))
      throw new LoadError(
        'malformed-json',
        `${quotedName(fileName)} line ${index + 1} is not a valid JSON record: it holds ${Array.isArray(value) ? 'an array' : `a ${jsonValueKind(value)}`}, and each line must be one JSON object.`,
      );
    if (sample.length < 1000) sample.push(value);
    addDeepKeys(value, deep);
    records.push(line);
  });
  if (records.length === 0)
    throw new LoadError('header-only', `${quotedName(fileName)} contains no JSON records.`);
  const result = { text: `[${records.join(',\n')}]`, keyOrder: keysInOrder(sample), warnings: [] };
  if (deep.size === 0) return result;
  // Rare: read the lines again, now knowing which keys to keep as text.
  return withDeepValuesAsText(
    result,
    records.map((line) => JSON.parse(line) as object),
  );
}

/** JSON text: UTF-8 (which JSON requires), or UTF-16 when a byte-order mark says so. */
function jsonText(bytes: Uint8Array, fileName: string): string {
  const order = utf16ByteOrder(bytes);
  if (order) return decodeUtf16(bytes, order);
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    throw new LoadError(
      'invalid-encoding',
      `${quotedName(fileName)} is not valid UTF-8, which JSON requires. Save it again as UTF-8 and load it again.`,
    );
  }
}

/** A JSON value named for a message: "number (42)", "string (“abc”)". */
function jsonValueKind(value: unknown): string {
  if (value === null) return 'null';
  if (typeof value === 'string') return `string (${quotedName(value, 40)})`;
  if (typeof value === 'number' || typeof value === 'boolean') return `${typeof value} (${String(value)})`;
  return 'value';
}

/**
 * Whether a JSON value is too complex to keep as a nested column: objects or
 * arrays more than `MAX_NESTING_DEPTH` levels inside each other, or more than
 * `MAX_NESTED_FIELDS` distinct keys along its paths (array items share theirs).
 * Stops as soon as either limit is passed.
 */
function tooComplex(value: unknown): boolean {
  const paths = new Set<string>();
  const stack: [unknown, number, string][] = [[value, 0, '']];
  while (stack.length > 0) {
    const [item, depth, path] = stack.pop()!;
    if (typeof item !== 'object' || item === null) continue;
    if (depth >= MAX_NESTING_DEPTH) return true;
    if (Array.isArray(item)) {
      for (const child of item) stack.push([child, depth + 1, `${path}[]`]);
      continue;
    }
    for (const [key, child] of Object.entries(item)) {
      const childPath = `${path}.${key}`;
      paths.add(childPath);
      if (paths.size > MAX_NESTED_FIELDS) return true;
      stack.push([child, depth + 1, childPath]);
    }
  }
  return false;
}

/** Adds the record's keys whose values are too complex to keep nested. */
function addDeepKeys(record: object, deep: Set<string>): void {
  for (const [key, value] of Object.entries(record))
    if (typeof value === 'object' && value !== null && !deep.has(key) && tooComplex(value)) deep.add(key);
}

/**
 * Values nested deeper than `MAX_NESTING_DEPTH`, or with more than
 * `MAX_NESTED_FIELDS` keys, are kept as their JSON text: DuckDB's JSON reader
 * slows to seconds and then crashes on deep nesting (1,000 levels take 20 s,
 * 3,000 exhaust its memory), takes 40 s over an object of 10,000 keys, and a
 * struct past about 62 levels cannot be read back from the table.
 */
function withDeepValuesAsText(result: JsonRecords, records: object[]): JsonRecords {
  const deep = new Set<string>();
  for (const record of records) addDeepKeys(record, deep);
  if (deep.size === 0) return result;
  let text: string;
  try {
    text = JSON.stringify(
      records.map((record) => {
        const copy: Record<string, unknown> = { ...record };
        for (const key of deep)
          if (typeof copy[key] === 'object' && copy[key] !== null) copy[key] = JSON.stringify(copy[key]);
        return copy;
      }),
    );
  } catch (error) {
    // JSON.stringify recurses: a value tens of thousands of levels deep overflows the stack.
    if (!(error instanceof RangeError)) throw error;
    throw new LoadError(
      'unsupported-format',
      `Key${deep.size > 1 ? 's' : ''} ${[...deep].map((k) => quotedName(k, 60)).join(', ')} nest${deep.size > 1 ? '' : 's'} objects or arrays so deeply (thousands of levels) that they cannot be read. Flatten ${deep.size > 1 ? 'those values' : 'that value'} and load the file again.`,
    );
  }
  const names = [...deep].map((k) => quotedName(k, 60));
  return {
    ...result,
    text,
    warnings: [
      ...result.warnings,
      `${names.length > 1 ? 'Keys' : 'Key'} ${names.join(', ')} nest${names.length > 1 ? '' : 's'} objects or arrays more than ${MAX_NESTING_DEPTH} levels deep or with more than ${MAX_NESTED_FIELDS} keys; ${names.length > 1 ? 'their values are' : 'its values are'} kept as JSON text, one per row.`,
    ],
  };
}

/** Keys in first-seen order over the first records: the file's own column order. */
function keysInOrder(records: object[]): string[] {
  const keys = new Set<string>();
  for (const record of records.slice(0, 1000)) for (const key of Object.keys(record)) keys.add(key);
  return [...keys];
}

/** DuckDB-WASM's JSON importer sorts columns by name; put them back in the file's order. */
async function restoreKeyOrder(
  conn: Connector,
  tableName: string,
  keyOrder: string[],
  warnings: string[],
): Promise<void> {
  const columns = (await describeTable(conn, tableName)).map((c) => c.name);
  const unnamed = keyOrder.filter((k) => !columns.includes(k));
  const renamed = columns.filter((c) => !keyOrder.includes(c));
  if (unnamed.length > 0 && renamed.length > 0)
    warnings.push(
      `JSON key${unnamed.length > 1 ? 's' : ''} ${unnamed.map((k) => `“${k}”`).join(', ')} could not be used as column names; the reader named them ${renamed.map((c) => `“${c}”`).join(', ')}.`,
    );
  const ordered = [...keyOrder.filter((k) => columns.includes(k)), ...renamed];
  if (ordered.every((c, i) => columns[i] === c)) return;
  await conn.exec(replaceTableAsQuery(tableName, selectColumnsQuery(tableName, ordered)));
}

/** The CSV reader renames duplicate and empty header names silently; tell the user which. */
async function warnRenamedHeaders(
  conn: Connector,
  tableName: string,
  head: Uint8Array,
  dialect: LoadedDataset['csvDialect'],
  warnings: string[],
): Promise<void> {
  if (dialect && !dialect.header) return;
  const text = decodeHead(head, dialect?.encoding);
  // A quoted header may hold line breaks, so read the first record, not the first line.
  const header = new Set(
    headerFields(text, dialect?.delimiter ?? ',', dialect?.quote || '"').fields.map((f) => f.trim()),
  );
  const renamed = (await describeTable(conn, tableName))
    .map((c) => c.name)
    .filter((name) => !header.has(name.trim()) && !warnings.some((w) => w.includes(`“${name}”`)));
  if (renamed.length > 0 && renamed.length < 50)
    warnings.push(
      `The header has duplicate or empty column names; the reader named them ${renamed.map((n) => `“${n}”`).join(', ')}. Rename them in the source if they matter.`,
    );
}

/** The first bytes of a delimited file as text, in the encoding it is read with. */
function decodeHead(head: Uint8Array, encoding: string | undefined): string {
  if (encoding === 'utf-16') return decodeUtf16(head, utf16ByteOrder(head) ?? 'le');
  return new TextDecoder(encoding === 'latin-1' ? 'latin1' : 'utf-8').decode(head);
}

/**
 * A file of nothing but line breaks and spaces: DuckDB would load it as rows
 * of one empty column it names `column0`. Only a file whose head is the whole
 * file is judged; a larger one has text further on.
 */
function assertNotBlank(source: DataSource, head: Uint8Array, csv: CsvOptions): void {
  if (head.length < source.size || decodeHead(head, csv.encoding).trim() !== '') return;
  throw new LoadError(
    'empty-file',
    `${quotedName(source.name)} holds only blank lines (${source.size.toLocaleString('en-US')} bytes of line breaks and spaces): it has no header and no data. Check that the export finished and that this is the file you meant to load.`,
  );
}

/**
 * Count the header's fields before DuckDB reads the file: a 100,000-column CSV
 * takes DuckDB many seconds to fail out of memory, while the header says at once
 * that it is too wide. With no delimiter chosen, the likeliest one is the one
 * that splits the header into the most fields.
 */
async function assertCsvWidthFits(source: DataSource, head: Uint8Array, csv: CsvOptions): Promise<void> {
  const widest = (bytes: Uint8Array): { count: number; complete: boolean } => {
    const text = decodeHead(bytes, csv.encoding);
    const candidates = csv.delimiter ? [csv.delimiter] : [',', ';', '\t', '|'];
    let best = { count: 0, complete: true };
    for (const d of candidates) {
      const { fields, complete } = headerFields(text, d, csv.quote || '"');
      if (fields.length > best.count) best = { count: fields.length, complete };
    }
    return best;
  };
  let width = widest(head);
  if (!width.complete && head.length < source.size) width = widest(await source.head(16 * 1024 * 1024));
  if (width.count > MAX_COLUMNS) throw tooManyColumns(quotedName(source.name), width.count, !width.complete);
}

function assertRecords(parsed: unknown, fileName: string): void {
  if (!Array.isArray(parsed))
    throw new LoadError('malformed-json', `${quotedName(fileName)} must hold an array of records.`);
  if (parsed.length === 0)
    throw new LoadError(
      'header-only',
      `${quotedName(fileName)} is an empty JSON array: there are no records.`,
    );
  const bad = parsed.findIndex((r) => typeof r !== 'object' || r === null || Array.isArray(r));
  if (bad >= 0)
    throw new LoadError(
      'malformed-json',
      `${quotedName(fileName)} element ${bad + 1} is not a JSON object; expected an array of records.`,
    );
}

/**
 * Records inside one JSON object: a GeoJSON FeatureCollection becomes one row
 * per feature, and an object holding arrays of records (`{"data": […]}`, or
 * `{"nodes": […], "links": […]}`) gives the chosen array, by default the largest.
 */
function recordsFromObject(
  parsed: unknown,
  fileName: string,
  wantedArray?: string,
): JsonRecords & { records: object[] } {
  if (isFeatureCollection(parsed)) {
    const { records, warnings } = featureRecords(parsed.features, fileName);
    if (records.length === 0)
      throw new LoadError(
        'header-only',
        `${quotedName(fileName)} is a GeoJSON FeatureCollection with no features.`,
      );
    return { text: JSON.stringify(records), keyOrder: keysInOrder(records), warnings, records };
  }
  const arrays = recordArrays(parsed);
  if (arrays.length === 0)
    throw new LoadError(
      'malformed-json',
      `${quotedName(fileName)} is a single JSON object, not a list of records. Expected an array of objects, an object holding one, or one object per line (NDJSON).`,
    );
  const summaries = arrays.map(([name, rows]) => ({ name, rows: rows.length }));
  let chosen: [string, object[]] | undefined;
  if (wantedArray !== undefined) {
    chosen = arrays.find(([name]) => name === wantedArray);
    if (!chosen)
      throw new LoadError(
        'sheet-not-found',
        `${quotedName(fileName)} has no array of records named “${wantedArray}”. Arrays: ${summaries.map((a) => a.name).join(', ')}.`,
      );
  } else chosen = arrays.reduce((best, a) => (a[1].length > best[1].length ? a : best));
  const warnings =
    wantedArray === undefined && arrays.length > 1
      ? [
          `${quotedName(fileName)} holds ${arrays.length} arrays of records (${summaries.map((a) => `${a.name}: ${a.rows.toLocaleString('en-US')}`).join(', ')}); loaded “${chosen[0]}”, the largest. Choose another array in the load options.`,
        ]
      : [];
  return {
    records: chosen[1],
    text: JSON.stringify(chosen[1]),
    keyOrder: keysInOrder(chosen[1]),
    warnings,
    ...(arrays.length > 1 ? { arrays: summaries } : {}),
    array: chosen[0],
  };
}

/** The object's own keys whose values are non-empty arrays of plain objects, in key order. */
function recordArrays(parsed: unknown): [string, object[]][] {
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) return [];
  return Object.entries(parsed).filter(
    (entry): entry is [string, object[]] =>
      Array.isArray(entry[1]) &&
      entry[1].length > 0 &&
      entry[1].every((r: unknown) => typeof r === 'object' && r !== null && !Array.isArray(r)),
  );
}

interface Feature {
  id?: unknown;
  properties?: unknown;
  geometry?: unknown;
}

function isFeatureCollection(value: unknown): value is { features: Feature[] } {
  if (typeof value !== 'object' || value === null) return false;
  const v = value as { type?: unknown; features?: unknown };
  return v.type === 'FeatureCollection' && Array.isArray(v.features);
}

/**
 * One flat record per GeoJSON feature: its properties, its id, and its geometry
 * as `geometry_type` plus `geometry_longitude`/`_latitude`/`_altitude` for
 * points, or the coordinates as JSON text for other shapes.
 */
function featureRecords(features: unknown[], fileName: string): { records: object[]; warnings: string[] } {
  const records: object[] = [];
  let nonPoint = 0;
  features.forEach((raw, index) => {
    if (typeof raw !== 'object' || raw === null || Array.isArray(raw))
      throw new LoadError(
        'malformed-json',
        `${quotedName(fileName)} feature ${index + 1} is not a GeoJSON Feature object.`,
      );
    const feature = raw as Feature;
    const properties =
      typeof feature.properties === 'object' &&
      feature.properties !== null &&
      !Array.isArray(feature.properties)
        ? (feature.properties as Record<string, unknown>)
        : {};
    const record: Record<string, unknown> = {};
    if (feature.id !== undefined) record.feature_id = feature.id;
    for (const [key, value] of Object.entries(properties)) if (!(key in record)) record[key] = value;
    const geometry = (
      typeof feature.geometry === 'object' && feature.geometry !== null ? feature.geometry : {}
    ) as { type?: unknown; coordinates?: unknown };
    const put = (key: string, value: unknown): void => {
      let name = key;
      for (let n = 2; name in record; n++) name = `${key}_${n}`;
      record[name] = value;
    };
    put('geometry_type', typeof geometry.type === 'string' ? geometry.type : null);
    const c = geometry.coordinates;
    if (geometry.type === 'Point' && Array.isArray(c)) {
      put('geometry_longitude', typeof c[0] === 'number' ? c[0] : null);
      put('geometry_latitude', typeof c[1] === 'number' ? c[1] : null);
      put('geometry_altitude', typeof c[2] === 'number' ? c[2] : null);
    } else {
      if (c !== undefined) nonPoint += 1;
      put('geometry_coordinates', c === undefined ? null : JSON.stringify(c));
    }
    records.push(record);
  });
  const warnings = [
    `${quotedName(fileName)} is a GeoJSON FeatureCollection: each of its ${features.length.toLocaleString('en-US')} features is a row of its properties, with its geometry type and coordinates as columns.${nonPoint > 0 ? ` ${nonPoint.toLocaleString('en-US')} non-point geometries keep their coordinates as JSON text.` : ''}`,
  ];
  return { records, warnings };
}

/**
 * A JSON parse error as a place in the file: "… at line 3, column 45", or, when
 * the text ends before the value does, that the file looks cut off. `firstLine`
 * is the line number of the text's first line (for one line of NDJSON).
 */
function jsonErrorPosition(text: string, error: unknown, firstLine = 1): string {
  const message = errorText(error);
  const match = /position (\d+)/.exec(message);
  const position = match
    ? Number(match[1])
    : /Unexpected end of JSON/i.test(message)
      ? text.length
      : undefined;
  if (position === undefined) return message;
  const before = text.slice(0, position);
  const line = before.split('\n').length + firstLine - 1;
  const column = position - before.lastIndexOf('\n');
  if (text.slice(position).trim() === '')
    return `it ends at line ${line}, column ${column}, in the middle of a value: the file looks cut off. Export or copy it again.`;
  return `${message.replace(/ in JSON at position \d+.*/, '').replace(/^Unexpected token/, 'unexpected character')} at line ${line}, column ${column}.`;
}

/**
 * The deepest an Arrow column may nest for DuckDB-WASM to import it. At 64
 * levels its flatbuffer reader stops ("Max recursion depth reached"), and from
 * then on every Arrow import of that engine fails the same way (duckdb-wasm
 * 1.32), so a deeper schema must never reach it.
 */
const MAX_ARROW_DEPTH = 56;

/** The schema at the head of an Arrow IPC stream, read without its record batches. */
function ipcSchema(ipc: Uint8Array): Schema {
  return RecordBatchReader.from(ipc).open().schema;
}

/** How many levels of child fields a type holds. */
function arrowTypeDepth(type: DataType): number {
  let deepest = 0;
  const stack: [DataType, number][] = [[type, 0]];
  while (stack.length > 0) {
    const [item, depth] = stack.pop()!;
    deepest = Math.max(deepest, depth);
    for (const child of item.children ?? []) stack.push([child.type, depth + 1]);
  }
  return deepest;
}

/** Refuses a schema with a column nested past `MAX_ARROW_DEPTH`, naming the columns. */
function assertArrowDepth(schema: Schema, subject: string): void {
  const deep = schema.fields.filter((f) => arrowTypeDepth(f.type) > MAX_ARROW_DEPTH).map((f) => f.name);
  if (deep.length === 0) return;
  throw new LoadError(
    'unsupported-format',
    `${subject} nests column${deep.length > 1 ? 's' : ''} ${deep.map((n) => quotedName(n, 60)).join(', ')} more than ${MAX_ARROW_DEPTH} levels deep (structures or lists inside each other), which the engine cannot read. Flatten ${deep.length > 1 ? 'those columns' : 'that column'} (or write ${deep.length > 1 ? 'them' : 'it'} as JSON text) and load the file again.`,
  );
}

/** The engine's own words for the same limit, should a schema get past the check above. */
function nestedTooDeeply(fileName: string, error: unknown): LoadError | undefined {
  if (!/Max recursion depth reached|DepthLimitReached|Recursion level in ArrowSchema/i.test(errorText(error)))
    return undefined;
  return new LoadError(
    'unsupported-format',
    `${quotedName(fileName)} nests a column too deeply: structures or lists inside each other more than ${MAX_ARROW_DEPTH} levels down, which the engine cannot read. Flatten that column (or write it as JSON text) and load the file again.`,
    errorText(error),
  );
}

/**
 * Names too long for the audit document are shortened, and columns nested too
 * deeply (or too widely for their type to be written down) are kept as text,
 * each with a warning. Both would otherwise fail later: the saved audit limits
 * its names and types, and DuckDB cannot hand back values nested past about 62
 * levels.
 */
export async function tidyColumns(conn: Connector, tableName: string, warnings: string[]): Promise<void> {
  const columns = await describeTable(conn, tableName);
  if (columns.length > MAX_COLUMNS) return; // refused by the caller
  const renamed = shortenedColumnNames(columns.map((c) => c.name));
  const asText = new Set(
    columns
      .filter((c) => c.type.length > MAX_TYPE_TEXT_LENGTH || typeNestingDepth(c.type) > MAX_NESTING_DEPTH)
      .map((c) => c.name),
  );
  if (renamed.size === 0 && asText.size === 0) return;
  const select = columns.map((c, i) => {
    const value = asText.has(c.name) ? `CAST(${ident(c.name)} AS VARCHAR)` : ident(c.name);
    return `${value} AS ${ident(renamed.get(i) ?? c.name)}`;
  });
  await conn.exec(replaceTableAsQuery(tableName, `SELECT ${select.join(', ')} FROM ${ident(tableName)}`));
  if (asText.size > 0) {
    const names = [...asText].map((n) => quotedName(n, 60));
    warnings.push(
      `Column${names.length > 1 ? 's' : ''} ${names.join(', ')} nest${names.length > 1 ? '' : 's'} structures or lists more than ${MAX_NESTING_DEPTH} levels deep (or too widely to describe); ${names.length > 1 ? 'they are' : 'it is'} kept as text, one value per row.`,
    );
  }
  if (renamed.size > 0) {
    const shown = [...renamed].slice(0, 3).map(([i, name]) => {
      const length = [...columns[i]!.name].length.toLocaleString('en-US');
      return `column ${i + 1} (${length} characters) is now ${quotedName(name, 40)}`;
    });
    warnings.push(
      `${renamed.size === 1 ? 'A column name is' : `${renamed.size} column names are`} longer than ${MAX_COLUMN_NAME_LENGTH} characters, so ${renamed.size === 1 ? 'it was' : 'they were'} shortened: ${shown.join('; ')}${renamed.size > 3 ? '; …' : ''}. A header that long is usually a data row or a note read as the header: check the file's first line.`,
    );
  }
}

/** Functions on TIMESTAMPTZ make DuckDB-WASM fetch ICU from the network; keep UTC `TIMESTAMP`s only. */
async function normaliseTimeZones(conn: Connector, tableName: string, warnings: string[]): Promise<void> {
  const columns = await describeTable(conn, tableName);
  const zoned = columns.filter((c) => c.type === 'TIMESTAMP WITH TIME ZONE');
  if (zoned.length === 0) return;
  await conn.exec(
    replaceTableAsQuery(
      tableName,
      castToTimestampQuery(
        tableName,
        zoned.map((c) => c.name),
      ),
    ),
  );
  warnings.push(
    `Time-zone-aware column${zoned.length > 1 ? 's' : ''} ${zoned.map((c) => `“${c.name}”`).join(', ')} converted to UTC timestamps.`,
  );
}

/** Column names and DuckDB types of a table, in order. */
export async function describeTable(conn: Connector, tableName: string): Promise<ColumnSchema[]> {
  const rows = await conn.query(describeTableQuery(tableName));
  return rows.map((r) => ({ name: String(r.column_name), type: String(r.data_type) }));
}

/** Exact row count. */
export async function countRows(conn: Connector, tableName: string): Promise<number> {
  const [row] = await conn.query(tableRowCountQuery(tableName));
  return Number(row?.n ?? 0);
}

import readXlsxFile from 'read-excel-file/universal';
import {
  tableToIPC,
  vectorFromArray,
  Table,
  Float64,
  Bool,
  Utf8,
  TimestampMillisecond,
  type Vector,
  type DataType,
} from 'apache-arrow';
import type { DecodedSheet, SheetSummary } from './types';
import {
  LoadError,
  MAX_COLUMNS,
  errorText,
  isOutOfMemory,
  plainEngineMessage,
  tooManyColumns,
} from '../errors';
import { uniqueColumnNames } from '../column-names';
import { isInflatedByWorkbookReader, readZipDirectory } from './zip-size';

/** Excel's own sheet limit; anything larger is not a real workbook sheet. */
export const MAX_XLSX_BYTES = 200 * 1024 * 1024;

/** Uncompressed XML the parser may expand in memory (it builds a DOM several times larger). */
export const MAX_XLSX_EXPANDED_BYTES = 400 * 1024 * 1024;

type Cell = string | number | boolean | Date | null;
type RawSheet = { sheet: string; data: Cell[][] };

/**
 * Refuse a workbook before the parser inflates it: too many compressed bytes,
 * or entries the reader would unzip adding up to more than the cap. Every
 * `.xml`/`.xml.rels` entry counts (sheet paths come from workbook.xml.rels, so
 * a sheet need not live under `xl/worksheets/`). A ZIP64 archive is judged by
 * the sizes its ZIP64 records state, and refused when those cannot be read.
 * A ZIP without `xl/workbook.xml` is refused here too, in words rather than the reader's.
 */
export function assertWorkbookFits(bytes: Uint8Array, maxExpanded = MAX_XLSX_EXPANDED_BYTES): void {
  if (bytes.byteLength > MAX_XLSX_BYTES)
    throw new LoadError(
      'too-large',
      `This workbook is ${(bytes.byteLength / 1e6).toFixed(0)} MB; the limit for .xlsx is ${MAX_XLSX_BYTES / 1e6} MB. Export the sheet to CSV instead.`,
    );
  const reading = readZipDirectory(bytes, isInflatedByWorkbookReader);
  if (reading.kind === 'damaged')
    throw new LoadError(
      'malformed-xlsx',
      'This file is not a readable Excel workbook: its ZIP directory is missing or damaged, as when a copy or download stopped early. Copy or export it again.',
    );
  if (reading.kind === 'zip64-unreadable')
    throw new LoadError(
      'malformed-xlsx',
      `This workbook is a ZIP64 archive whose size records cannot be read (${reading.reason}), so how far it expands cannot be checked before opening it. Open it in Excel and save it again, or export the sheet to CSV.`,
    );
  if (reading.expanded > maxExpanded)
    throw new LoadError(
      'too-large',
      `This workbook's XML expands to ${mb(reading.expanded)} MB, above the ${mb(maxExpanded)} MB the browser can parse. Export the sheet to CSV instead.`,
    );
  if (!reading.names.includes('xl/workbook.xml'))
    throw new LoadError(
      'malformed-xlsx',
      reading.names.includes('xl/workbook.bin')
        ? 'This file is an Excel binary workbook (.xlsb), which Sprint Zero does not read. Open it in Excel and save it as .xlsx (or export the sheet to CSV).'
        : 'This file is a ZIP archive but not an Excel workbook: it has no xl/workbook.xml part. If the archive holds the data file, unzip it and load that file; if it came from another program, export the sheet as .xlsx or CSV.',
    );
}

const mb = (bytes: number): string => (bytes / 1024 / 1024).toFixed(0);

/** Readers inside `withSteadyClock`, and the clock to put back when the last one ends. */
let steadyReaders = 0;
let wallClock: () => number = Date.now;

/**
 * Runs `read` with `Date.now` held still (counting each read of it in `onClockRead`).
 *
 * read-excel-file 9.3.17 feeds a sheet's XML to its parser in chunks sized by wall-clock time
 * (`xml/parseXml.js`: a chunk that took over 7 ms halves the next, with no floor), copies every
 * row read so far after each chunk (`xlsx/parseSheet.js`: `rows.concat`) and recurses once per
 * chunk. On a busy machine the chunks shrink to a few bytes, so reading grows with the square
 * of the rows and then overflows the stack ("Maximum call stack size exceeded"). With the clock
 * held, every chunk looks fast and is twice the last: a handful of chunks, linear time.
 * Nested or overlapping reads share one held clock; the last to finish restores the real one.
 */
export async function withSteadyClock<T>(read: () => Promise<T>, onClockRead?: () => void): Promise<T> {
  if (steadyReaders++ === 0) {
    wallClock = Date.now;
    const held = wallClock();
    Date.now = () => {
      onClockRead?.();
      return held;
    };
  }
  try {
    return await read();
  } finally {
    if (--steadyReaders === 0) Date.now = wallClock;
  }
}

async function readSheets(bytes: Uint8Array): Promise<RawSheet[]> {
  assertWorkbookFits(bytes);
  try {
    const buffer = bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength) as ArrayBuffer;
    return (await withSteadyClock(() => readXlsxFile(buffer))) as unknown as RawSheet[];
  } catch (error) {
    throw readerError(error);
  }
}

/** The errors of saxen, read-excel-file's XML parser (`saxen/parser.js`), which reach us unwrapped. */
const XML_PARSER_ERROR =
  /^(unexpected end of file|missing start tag|unclosed (cdata|comment|question|tag)|missing open tag|closing tag mismatch|close tag|illegal first char nodeName|invalid nodeName|missing namespace on <[^>]{0,80}>)$/;

/** The reader's failure in words for the consultant: what happened, and what to do. */
function readerError(error: unknown): LoadError {
  const text = errorText(error);
  if (/call stack/i.test(text))
    return new LoadError(
      'too-large',
      'This workbook is too complex for the reader: its sheet XML nests or repeats more deeply than it can follow (the reader ran out of stack). Export the sheet to CSV and load that instead.',
      text,
    );
  if (XML_PARSER_ERROR.test(text))
    return new LoadError(
      'malformed-xlsx',
      `This workbook's XML is damaged (${text}). Open it in Excel, which offers to repair it, save it, and load it again; or export the sheet to CSV.`,
      text,
    );
  if (isOutOfMemory(error))
    return new LoadError(
      'too-large',
      'This workbook is too large to read in memory here: its sheet expands beyond what the reader can hold. Export the sheet to CSV and load that instead.',
      text,
    );
  return new LoadError(
    'malformed-xlsx',
    `This file is not a readable Excel workbook (${plainEngineMessage(error)}).`,
    text,
  );
}

function summarise(sheet: RawSheet): SheetSummary {
  const header = sheet.data[0] ?? [];
  let columns = header.length;
  while (columns > 0 && (header[columns - 1] === null || header[columns - 1] === '')) columns--;
  return { name: sheet.sheet, rows: Math.max(0, sheet.data.length - 1), columns };
}

/**
 * The sheet loaded when none is named: the one with the most data cells, so a
 * cover or notes sheet placed first never hides the data. Ties go to the
 * earlier sheet.
 */
export function largestSheet(summaries: readonly SheetSummary[]): SheetSummary | undefined {
  let best: SheetSummary | undefined;
  for (const s of summaries) if (!best || s.rows * s.columns > best.rows * best.columns) best = s;
  return best;
}

/** Every sheet of a workbook with its data rows and header width, in workbook order. */
export async function listXlsxSheets(bytes: Uint8Array): Promise<SheetSummary[]> {
  return (await readSheets(bytes)).map(summarise);
}

/**
 * Decode one sheet of an .xlsx workbook: the first row is the header, and each
 * column gets the narrowest type that holds all its cells (number, boolean,
 * timestamp, else text). Without `wantedSheet`, the largest sheet is read.
 */
export async function decodeXlsx(bytes: Uint8Array, wantedSheet?: string): Promise<DecodedSheet> {
  const sheets = await readSheets(bytes);
  const summaries = sheets.map(summarise);
  const names = sheets.map((s) => s.sheet);
  const warnings: string[] = [];
  const largest = largestSheet(summaries);
  const chosen =
    wantedSheet === undefined
      ? sheets.find((s) => s.sheet === largest?.name)
      : sheets.find((s) => s.sheet === wantedSheet);
  if (!chosen)
    throw new LoadError(
      'sheet-not-found',
      wantedSheet === undefined
        ? 'The workbook has no sheets.'
        : `The workbook has no sheet named “${wantedSheet}”. Sheets: ${names.join(', ')}.`,
    );
  if (wantedSheet === undefined && names.length > 1)
    warnings.push(
      `The workbook has ${names.length} sheets (${names.join(', ')}); loaded “${chosen.sheet}”, the largest. Choose another sheet in the load options.`,
    );
  const [header, ...body] = chosen.data;
  if (!header || header.every((c) => c === null || c === ''))
    throw new LoadError(
      'no-columns',
      `Sheet “${chosen.sheet}” is empty: its first row, the header, has no column names.`,
    );
  if (body.length === 0)
    throw new LoadError(
      'header-only',
      `Sheet “${chosen.sheet}” has a header row but no data rows.${names.length > 1 ? ` Choose another sheet: ${names.filter((n) => n !== chosen.sheet).join(', ')}.` : ''}`,
    );
  if (header.length > MAX_COLUMNS) throw tooManyColumns(`Sheet “${chosen.sheet}”`, header.length);
  const { names: columnNames, warnings: nameWarnings } = uniqueColumnNames(
    header.map((c) => (c === null ? '' : cellText(c))),
  );
  warnings.push(...nameWarnings);

  const columns: Record<string, Vector<DataType>> = {};
  columnNames.forEach((name, index) => {
    const cells = body.map((row) => normaliseCell(row[index] ?? null));
    columns[name] = columnVector(cells);
  });
  const table = new Table(columns);
  return {
    ipc: tableToIPC(table, 'stream'),
    sheet: chosen.sheet,
    sheets: names,
    sheetSummaries: summaries,
    rowCount: body.length,
    warnings,
  };
}

function normaliseCell(cell: Cell): Cell {
  if (typeof cell === 'string' && cell.trim() === '') return null;
  return cell;
}

function cellText(cell: Exclude<Cell, null>): string {
  return cell instanceof Date ? cell.toISOString() : String(cell);
}

function columnVector(cells: Cell[]): Vector<DataType> {
  const present = cells.filter((c) => c !== null);
  if (present.length > 0 && present.every((c) => typeof c === 'number'))
    return vectorFromArray(cells as (number | null)[], new Float64());
  if (present.length > 0 && present.every((c) => typeof c === 'boolean'))
    return vectorFromArray(cells as (boolean | null)[], new Bool());
  if (present.length > 0 && present.every((c) => c instanceof Date))
    return vectorFromArray(
      cells.map((c) => (c instanceof Date ? c.getTime() : null)),
      new TimestampMillisecond(),
    );
  return vectorFromArray(
    cells.map((c) => (c === null ? null : cellText(c))),
    new Utf8(),
  );
}

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
import type { DecodedSheet } from './types';
import { LoadError, errorText } from '../errors';
import { uniqueColumnNames } from '../column-names';
import { zipExpandedSize } from './zip-size';

/** Excel's own sheet limit; anything larger is not a real workbook sheet. */
export const MAX_XLSX_BYTES = 200 * 1024 * 1024;

/** Uncompressed worksheet XML the parser may expand in memory (it builds a DOM several times larger). */
export const MAX_XLSX_EXPANDED_BYTES = 400 * 1024 * 1024;

type Cell = string | number | boolean | Date | null;

/**
 * Decode one sheet of an .xlsx workbook: the first row is the header, and each
 * column gets the narrowest type that holds all its cells (number, boolean,
 * timestamp, else text).
 */
export async function decodeXlsx(bytes: Uint8Array, wantedSheet?: string): Promise<DecodedSheet> {
  if (bytes.byteLength > MAX_XLSX_BYTES)
    throw new LoadError(
      'too-large',
      `This workbook is ${(bytes.byteLength / 1e6).toFixed(0)} MB; the limit for .xlsx is ${MAX_XLSX_BYTES / 1e6} MB. Export the sheet to CSV instead.`,
    );
  const expanded = zipExpandedSize(bytes, (name) => /^xl\/(worksheets\/|sharedStrings)/.test(name));
  if (expanded !== undefined && expanded > MAX_XLSX_EXPANDED_BYTES)
    throw new LoadError(
      'too-large',
      `This workbook's sheets expand to ${Number.isFinite(expanded) ? `${(expanded / 1e6).toFixed(0)} MB` : 'more than 4 GB'} of XML, above the ${MAX_XLSX_EXPANDED_BYTES / 1e6} MB the browser can parse. Export the sheet to CSV instead.`,
    );
  let sheets: { sheet: string; data: Cell[][] }[];
  try {
    const buffer = bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength) as ArrayBuffer;
    sheets = (await readXlsxFile(buffer)) as unknown as { sheet: string; data: Cell[][] }[];
  } catch (error) {
    throw new LoadError(
      'malformed-xlsx',
      `This file is not a readable Excel workbook (${errorText(error)}).`,
      errorText(error),
    );
  }
  const names = sheets.map((s) => s.sheet);
  const warnings: string[] = [];
  const chosen =
    wantedSheet === undefined
      ? (sheets.find((s) => s.data.length > 0) ?? sheets[0])
      : sheets.find((s) => s.sheet === wantedSheet);
  if (!chosen)
    throw new LoadError(
      'sheet-not-found',
      wantedSheet === undefined
        ? 'The workbook has no sheets.'
        : `The workbook has no sheet named “${wantedSheet}”. Sheets: ${names.join(', ')}.`,
    );
  if (wantedSheet === undefined && names.length > 1)
    warnings.push(`The workbook has ${names.length} sheets (${names.join(', ')}); loaded “${chosen.sheet}”.`);
  const [header, ...body] = chosen.data;
  if (!header || header.every((c) => c === null || c === ''))
    throw new LoadError(
      'no-columns',
      `Sheet “${chosen.sheet}” is empty: its first row, the header, has no column names.`,
    );
  if (body.length === 0)
    throw new LoadError('header-only', `Sheet “${chosen.sheet}” has a header row but no data rows.`);
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

import {
  LoadError,
  MAX_COLUMNS,
  errorText,
  isOutOfMemory,
  plainEngineMessage,
  quotedName,
  tooManyColumns,
} from '../errors';
import type { Connector } from '../connector';
import { decodeUtf16, utf16ByteOrder } from '../sniff';
import { reorderColumnsQuery } from '../../core/sql/load';
import { describeTable } from './common';
import { addDeepKeys, withDeepValuesAsText, type JsonRecords } from './json-deep';
import { keysInOrder, recordsFromObject } from './json-objects';
import type { FormatExtras, LoadContext } from './types';

/**
 * JSON and NDJSON through DuckDB-WASM's JSON importer, which takes an array of
 * records: NDJSON is rewritten into that shape, malformed input is reported with
 * its line and column, and the file's column order is kept.
 */
export async function loadJsonFile(ctx: LoadContext, format: 'json' | 'ndjson'): Promise<FormatExtras> {
  const { conn, source, tableName } = ctx;
  const bytes = await ctx.readBytes();
  ctx.report({ stage: 'loading' });
  const records = jsonRecordsText(bytes, source.name, format, ctx.options.jsonArray);
  const { text: arrayText, keyOrder } = records;
  ctx.warnings.push(...records.warnings);
  const extras: FormatExtras = {};
  if (records.arrays) extras.jsonArrays = records.arrays;
  if (records.array !== undefined) extras.jsonArray = records.array;
  if (keyOrder.length > MAX_COLUMNS) throw tooManyColumns(quotedName(source.name), keyOrder.length, true);
  await ctx.register(new TextEncoder().encode(arrayText));
  try {
    await conn.insertJSON(tableName, ctx.virtualName);
  } catch (error) {
    if (isOutOfMemory(error)) throw error;
    throw new LoadError(
      'malformed-json',
      `${quotedName(source.name)} could not be read as JSON records: ${plainEngineMessage(error)}.`,
      errorText(error),
    );
  }
  await restoreKeyOrder(conn, tableName, keyOrder, ctx.warnings);
  return extras;
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
  await conn.exec(reorderColumnsQuery(tableName, ordered));
}

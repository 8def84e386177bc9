import type { Connector, DataSource } from '../connector';
import { LoadError, MAX_COLUMNS, quotedName } from '../errors';
import {
  MAX_COLUMN_NAME_LENGTH,
  MAX_NESTING_DEPTH,
  MAX_TYPE_TEXT_LENGTH,
  shortenedColumnNames,
  typeNestingDepth,
} from '../column-names';
import { decodeUtf16, utf16ByteOrder, type DataFormat } from '../sniff';
import { describeTableQuery, tableRowCountQuery } from '../../core/sql/table';
import { tidyColumnsQuery, utcTimestampsQuery } from '../../core/sql/load';
import type { ColumnSchema } from './types';

/** Formats held fully in JS memory while decoding get a cap, so a huge file fails clearly instead of crashing the tab. */
export const MAX_IN_MEMORY_BYTES: Record<Exclude<DataFormat, 'csv'>, number> = {
  parquet: 1.5e9,
  arrow: 1.5e9,
  json: 500e6,
  ndjson: 500e6,
  xlsx: 200e6,
};

/**
 * Above this a CSV is refused before it is read. Loaded in parts (`loadCsvInParts`),
 * each committed and compressed, a CSV never holds all its rows uncompressed: the
 * 6.0 GB 30M × 20 extract of `npm run bench:largest -- 30000000` loads in 45 parts
 * in 216 s, the browser's processes at 1.9 GiB once loaded. What a file this size
 * leaves the audit's statements in the 4 GB wasm heap is the limit now, not the load.
 */
export const MAX_CSV_BYTES = 8e9;

/**
 * A CSV larger than this loads in parts of about this size (`loadCsvInParts`), each
 * committed and compressed before the next is read: small enough that one part's
 * uncompressed rows (about 0.6M rows of 20 columns) sit beside the compressed table
 * in the 4 GB wasm heap, large enough that its checkpoint is a small share of its load.
 */
export const CSV_PART_BYTES = 128 * 1024 * 1024;

/** DuckDB's default `max_line_size`. */
export const CSV_MAX_LINE_BYTES = 2_000_000;

/** A file too large for the memory its format needs; `limit` is the format's cap, when one was passed. */
export function tooLarge(source: DataSource, limit?: number): LoadError {
  const size = `${(source.size / 1e6).toFixed(0)} MB`;
  return new LoadError(
    'too-large',
    limit
      ? `${quotedName(source.name)} is ${size}, above the ${(limit / 1e6).toFixed(0)} MB this format can hold in browser memory. Split the file or load a sample.`
      : `${quotedName(source.name)} (${size}) does not fit in the engine’s memory. Split the file or load a sample.`,
  );
}

/** The first bytes of a delimited file as text, in the encoding it is read with. */
export function decodeHead(head: Uint8Array, encoding: string | undefined): string {
  if (encoding === 'utf-16') return decodeUtf16(head, utf16ByteOrder(head) ?? 'le');
  return new TextDecoder(encoding === 'latin-1' ? 'latin1' : 'utf-8').decode(head);
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
  await conn.exec(
    tidyColumnsQuery(
      tableName,
      columns.map((c, i) => ({ name: c.name, as: renamed.get(i) ?? c.name, asText: asText.has(c.name) })),
    ),
  );
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
export async function normaliseTimeZones(
  conn: Connector,
  tableName: string,
  warnings: string[],
): Promise<void> {
  const columns = await describeTable(conn, tableName);
  const zoned = columns.filter((c) => c.type === 'TIMESTAMP WITH TIME ZONE').map((c) => c.name);
  if (zoned.length === 0) return;
  await conn.exec(utcTimestampsQuery(tableName, zoned));
  warnings.push(zonedWarning(zoned));
}

/** The warning for time-zone-aware columns read as UTC timestamps. */
export function zonedWarning(names: readonly string[]): string {
  return `Time-zone-aware column${names.length > 1 ? 's' : ''} ${names.map((n) => `“${n}”`).join(', ')} converted to UTC timestamps.`;
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

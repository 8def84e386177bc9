/**
 * A large CSV loaded in committed parts. One load statement over the whole file holds
 * every row uncompressed until it commits, which runs a 6 GB file out of the
 * 4 GB wasm heap; each part here commits and is checkpointed (compressed)
 * before the next is read. The table that results is the one a single read
 * gives, or the load is done as a single read instead.
 */
import type { Connector, DataSource } from '../connector';
import { LoadError, errorText, isOutOfMemory, quotedName } from '../errors';
import { dropTableQuery } from '../../core/sql/table';
import {
  CHECKPOINT_TABLES,
  CSV_SNIFF_SAMPLE_ROWS,
  insertCsvPartQuery,
  loadCsvQuery,
  readCsvPartCall,
  sniffCsvDialectQuery,
  type CsvDialect,
} from '../../core/sql/load';
import { CSV_PART_BYTES, countRows, decodeHead, describeTable } from './common';
import type { CsvReadOptions, LoadContext } from './types';

/** Bytes read at a time while looking for a line break. */
const SCAN_BYTES = 1024 * 1024;

/**
 * Load `ctx.source` into `ctx.tableName` in parts read with `opts`, when that is
 * sure to give the table a single read gives. Returns false, with no table
 * left behind, when the file must be read in one go instead:
 * - the engine is not DuckDB-WASM (native DuckDB has no 4 GB heap to fit in), the
 *   file is UTF-16 (a line break is two bytes there), or it is a single part;
 * - the first 64 KB hold a line break inside a quoted field, so a cut at a line break
 *   could fall inside a value;
 * - the first part holds no more rows than the sniffer samples: a single read
 *   would have sniffed its types and dialect on rows the first part lacks;
 * - a later part fails to read with the first part's dialect and types (a cut inside
 *   a quoted value leaves an unterminated quote; a value the sniffed type cannot
 *   hold fails its cast): the single read then fails or succeeds as it would have.
 * A cancel is never turned into a single read: it is thrown. Nor is a part that runs
 * out of memory: a single read holds every row uncompressed, more than any part, so
 * the load stops with a `too-large` error naming where it ran out.
 */
export async function loadCsvInParts(ctx: LoadContext, opts: CsvReadOptions): Promise<boolean> {
  const { conn, source } = ctx;
  const partBytes = ctx.options.csvPartBytes ?? CSV_PART_BYTES;
  if ('engine' in conn || opts.encoding === 'utf-16' || source.size <= partBytes || !source.blob)
    return false;
  if (quotedLineBreak(decodeHead(ctx.head, opts.encoding), opts.quote || '"')) return false;
  const started = performance.now();
  const blob = await source.blob();
  const firstEnd = await lineEndAfter(
    blob,
    Math.max(partBytes, await offsetAfterLines(blob, CSV_SNIFF_SAMPLE_ROWS + 64)) - 1,
  );
  if (firstEnd >= source.size) return false;

  const partName = `${ctx.virtualName}__part`;
  const progress = (start: number, end: number) => (fraction: number) =>
    ctx.report({ stage: 'loading', fraction: (start + fraction * (end - start)) / source.size });
  const fallBack = async (): Promise<false> => {
    ctx.throwIfCancelled();
    await conn.exec(dropTableQuery(ctx.tableName));
    return false;
  };

  const first = await withPart(conn, partName, partOf(source, blob, 0, firstEnd), async () => {
    const unsubscribe = conn.onProgress(progress(0, firstEnd));
    try {
      await conn.exec(loadCsvQuery(ctx.tableName, partName, opts));
    } catch (error) {
      if (isOutOfMemory(error)) throw partOutOfMemory(source, 0, firstEnd, error);
      return undefined;
    } finally {
      unsubscribe();
    }
    if ((await countRows(conn, ctx.tableName)) <= CSV_SNIFF_SAMPLE_ROWS) return undefined;
    const [row] = await conn.query(sniffCsvDialectQuery(partName, opts)).catch(() => []);
    return row ? dialectOf(row, opts) : undefined;
  });
  // A record ends at `\n` or `\r\n` here: a file of bare `\r` breaks has no place to cut.
  if (!first || !first.newLine.includes('\\n')) return fallBack();
  const columns = await describeTable(conn, ctx.tableName);
  await checkpoint(conn);
  let partStarted = started;
  const committed = (done: number): void => {
    ctx.report({ stage: 'loading', fraction: done / source.size, bytes: { done, total: source.size } });
    // Named as the session names its phases, so a benchmark counts and times the parts beside `sz:load:`.
    const end = performance.now();
    performance.measure(`sz:load-part:${source.name}`, { start: partStarted, end });
    partStarted = end;
  };
  committed(firstEnd);

  for (let start = firstEnd; start < source.size;) {
    ctx.throwIfCancelled();
    let end = await lineEndAfter(blob, start + partBytes - 1);
    // A last part of a few lines would cost a statement and a checkpoint for nothing.
    if (source.size - end < partBytes / 4) end = source.size;
    const read = await withPart(conn, partName, partOf(source, blob, start, end), async () => {
      const unsubscribe = conn.onProgress(progress(start, end));
      try {
        await conn.exec(insertCsvPartQuery(ctx.tableName, readCsvPartCall(partName, first, columns)));
        return true;
      } catch (error) {
        if (isOutOfMemory(error)) throw partOutOfMemory(source, start, end, error);
        return false;
      } finally {
        unsubscribe();
      }
    });
    if (!read) return fallBack();
    await checkpoint(conn);
    committed(end);
    start = end;
  }
  return true;
}

/** The load's error when the part at bytes `start`–`end` ran out of the engine's memory. */
function partOutOfMemory(source: DataSource, start: number, end: number, error: unknown): LoadError {
  const mb = (bytes: number): string => (bytes / 1e6).toFixed(0);
  return new LoadError(
    'too-large',
    `${quotedName(source.name)} (${mb(source.size)} MB) does not fit in the engine’s memory: it ran out while loading MB ${mb(start)}–${mb(end)} of the file. Split the file or load a sample.`,
    errorText(error),
  );
}

/** Register one part under `name` for `use`, and unregister it whatever happens. */
async function withPart<T>(
  conn: Connector,
  name: string,
  part: DataSource,
  use: () => Promise<T>,
): Promise<T> {
  await conn.registerSource(name, part);
  try {
    return await use();
  } finally {
    await conn.unregister(name).catch(() => {});
  }
}

/**
 * Bytes `start`–`end` of a source as a source of their own: in the browser a
 * `File` over a slice of the dropped file (nothing is read into the page), in
 * Node the bytes of that range.
 */
function partOf(source: DataSource, blob: Blob, start: number, end: number): DataSource {
  const slice = blob.slice(start, end);
  return {
    name: source.name,
    size: end - start,
    lastModified: source.lastModified,
    ...(source.file ? { file: new File([slice], source.name) } : {}),
    head: async (length) => new Uint8Array(await slice.slice(0, length).arrayBuffer()),
    bytes: async () => new Uint8Array(await slice.arrayBuffer()),
  };
}

/** The offset just past the first `\n` at or after `offset`, or the blob's end. */
async function lineEndAfter(blob: Blob, offset: number): Promise<number> {
  for (let at = Math.max(0, offset); at < blob.size; at += SCAN_BYTES) {
    const chunk = new Uint8Array(await blob.slice(at, at + SCAN_BYTES).arrayBuffer());
    const i = chunk.indexOf(0x0a);
    if (i >= 0) return at + i + 1;
  }
  return blob.size;
}

/** The offset just past the `lines`-th `\n`, or the blob's end. */
async function offsetAfterLines(blob: Blob, lines: number): Promise<number> {
  let seen = 0;
  for (let at = 0; at < blob.size; at += SCAN_BYTES) {
    const chunk = new Uint8Array(await blob.slice(at, at + SCAN_BYTES).arrayBuffer());
    for (let i = chunk.indexOf(0x0a); i >= 0; i = chunk.indexOf(0x0a, i + 1))
      if (++seen === lines) return at + i + 1;
  }
  return blob.size;
}

/** Whether a line break falls inside a quoted field of `text` (quotes doubled or not). */
export function quotedLineBreak(text: string, quote: string): boolean {
  let quoted = false;
  for (const ch of text) {
    if (ch === quote) quoted = !quoted;
    else if (quoted && (ch === '\n' || ch === '\r')) return true;
  }
  return false;
}

function dialectOf(row: Record<string, unknown>, opts: CsvReadOptions): CsvDialect {
  const text = (key: string): string => String(row[key] ?? '');
  return {
    delimiter: text('delimiter'),
    quote: text('quote'),
    escape: text('escape'),
    newLine: text('new_line'),
    comment: text('comment'),
    dateFormat: text('date_format'),
    timestampFormat: text('timestamp_format'),
    ...(opts.encoding ? { encoding: opts.encoding } : {}),
  };
}

/** Compress what the last part wrote; DuckDB may put it off (another writer), which the next part makes up. */
async function checkpoint(conn: Connector): Promise<void> {
  await conn.exec(CHECKPOINT_TABLES).catch(() => {});
}

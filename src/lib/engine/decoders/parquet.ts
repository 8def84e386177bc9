import {
  LoadError,
  MAX_COLUMNS,
  errorText,
  isOutOfMemory,
  plainEngineMessage,
  tooManyColumns,
} from '../errors';
import { readParquetFooter, ParquetFooterError, type ParquetFooterFacts } from './parquet-footer';

/** The part of parquet-wasm's API we use; the browser and Node builds differ only in how they initialise. */
export interface ParquetWasm {
  readParquet(
    bytes: Uint8Array,
    options?: { rowGroups?: number[]; batchSize?: number },
  ): { intoIPCStream(): Uint8Array };
}

/** Consecutive row groups of a Parquet file, decoded to an Arrow IPC stream of their own (schema included). */
export interface ParquetPart {
  ipc: Uint8Array;
  /** Rows in this part. */
  rows: number;
  /** Row groups decoded so far, this part's included. */
  rowGroupsDone: number;
  /** Row groups in the file; a file with none comes as one part holding only its schema. */
  rowGroups: number;
  /** Rows in the whole file, from its footer. */
  totalRows: number;
}

/**
 * Uncompressed column data parquet-wasm may decode. The wasm heap holds the
 * file, the decoded Arrow table and its IPC copy at once, within 4 GB, so a
 * 60 MB file whose row groups expand to several gigabytes must be refused
 * before decoding, not crash the worker.
 */
export const MAX_PARQUET_UNCOMPRESSED_BYTES = 1e9;

export interface DecodeParquetOptions {
  /** Overrides `MAX_PARQUET_UNCOMPRESSED_BYTES`, for tests. */
  maxUncompressedBytes?: number;
}

/**
 * Refuse a Parquet file whose footer says it will not fit: row groups larger
 * than the budget once uncompressed, or more than `MAX_COLUMNS` columns. A
 * footer that cannot be read is left for parquet-wasm to report.
 */
export function assertParquetFits(
  bytes: Uint8Array,
  maxUncompressedBytes = MAX_PARQUET_UNCOMPRESSED_BYTES,
): ParquetFooterFacts | undefined {
  let facts: ParquetFooterFacts;
  try {
    facts = readParquetFooter(bytes);
  } catch (error) {
    if (error instanceof ParquetFooterError && error.damaged)
      throw new LoadError(
        'malformed-parquet',
        `This Parquet file cannot be read: it looks truncated or corrupted: ${error.message}. Copy or export it again; a download that stopped early looks like this.`,
      );
    if (error instanceof ParquetFooterError) return undefined;
    throw error;
  }
  if (facts.columns > MAX_COLUMNS) throw tooManyColumns('This Parquet file', facts.columns);
  const expanded = Math.max(facts.uncompressedBytes, facts.columnChunkBytes, facts.decodedFloorBytes);
  if (expanded > maxUncompressedBytes)
    throw new LoadError(
      'too-large',
      `This Parquet file's ${facts.rows.toLocaleString('en-US')} rows expand to ${(expanded / 1e6).toFixed(0)} MB uncompressed (${facts.rowGroups.toLocaleString('en-US')} row group${facts.rowGroups === 1 ? '' : 's'}), above the ${(maxUncompressedBytes / 1e6).toFixed(0)} MB the browser can decode. Load fewer rows or columns: split the file or write a sample.`,
    );
  return facts;
}

/** Decode a Parquet file (snappy, gzip, zstd, brotli, lz4) into an Arrow IPC stream, after checking its footer. */
export function decodeParquet(
  parquet: ParquetWasm,
  bytes: Uint8Array,
  options: DecodeParquetOptions = {},
): Uint8Array {
  assertParquetFits(bytes, options.maxUncompressedBytes);
  try {
    return parquet.readParquet(bytes).intoIPCStream();
  } catch (error) {
    throw parquetError(error);
  }
}

/**
 * Rows per Arrow record batch. parquet-wasm's default of 1,024 makes
 * thousands of batches for a large file, and DuckDB's insert pays per batch.
 */
const BATCH_ROWS = 65_536;

/**
 * At most this many parts. parquet-wasm copies the whole file into its memory
 * for every read, so a file of many small row groups is read a few row groups
 * at a time rather than one at a time.
 */
const MAX_PARTS = 16;

/**
 * Decode a Parquet file a few row groups at a time (one at a time unless it
 * has more than `MAX_PARTS`), after checking its footer as `decodeParquet`
 * does. Only one part's decoded Arrow data and IPC copy exist at once, instead
 * of the whole table's, and the next part is decoded only when asked for.
 *
 * This uses parquet-wasm's synchronous reader on the file's bytes, not its
 * lazy `ParquetFile` reader: on corrupt page data (parquet-wasm 0.8.0) that
 * one panics inside a promise callback, an uncaught `RuntimeError` that never
 * settles the read and ends a Node process, where the synchronous reader
 * throws an error we can report.
 */
export async function* decodeParquetParts(
  parquet: ParquetWasm,
  file: Blob,
  options: DecodeParquetOptions = {},
): AsyncGenerator<ParquetPart> {
  const bytes = new Uint8Array(await file.arrayBuffer());
  const facts = assertParquetFits(bytes, options.maxUncompressedBytes);
  const read = (rowGroups?: number[]): Uint8Array => {
    try {
      return parquet
        .readParquet(bytes, rowGroups ? { rowGroups, batchSize: BATCH_ROWS } : { batchSize: BATCH_ROWS })
        .intoIPCStream();
    } catch (error) {
      throw parquetError(error);
    }
  };
  // A footer our walker cannot read: let parquet-wasm read (or reject) the file in one go.
  if (!facts || facts.rowGroups === 0) {
    yield {
      ipc: read(),
      rows: facts?.rows ?? 0,
      rowGroupsDone: 0,
      rowGroups: 0,
      totalRows: facts?.rows ?? 0,
    };
    return;
  }
  let done = 0;
  for (const groups of partition(facts.rowGroupRows, MAX_PARTS)) {
    const ipc = read(groups);
    done += groups.length;
    const rows = groups.reduce((sum, g) => sum + facts.rowGroupRows[g]!, 0);
    yield { ipc, rows, rowGroupsDone: done, rowGroups: facts.rowGroups, totalRows: facts.rows };
  }
}

/** Row-group indexes in at most `parts` runs of consecutive groups with about equal rows. */
export function partition(rowGroupRows: readonly number[], parts: number): number[][] {
  const total = rowGroupRows.reduce((sum, n) => sum + n, 0);
  const target = total / Math.min(parts, rowGroupRows.length);
  const runs: number[][] = [];
  let run: number[] = [];
  let rows = 0;
  rowGroupRows.forEach((n, g) => {
    run.push(g);
    rows += n;
    // Close a run once it reaches its share of the rows so far, so rounding never adds a run.
    if (rows >= target * (runs.length + 1) - 1e-9 || g === rowGroupRows.length - 1) {
      runs.push(run);
      run = [];
    }
  });
  return runs;
}

function parquetError(error: unknown): LoadError {
  if (error instanceof LoadError) return error;
  if (isOutOfMemory(error))
    return new LoadError(
      'too-large',
      'This Parquet file is too large to decode in the browser’s memory. Split it or load a sample.',
    );
  return new LoadError(
    'malformed-parquet',
    `This Parquet file cannot be read: ${parquetReason(error)}`,
    errorText(error),
  );
}

function parquetReason(error: unknown): string {
  const text = errorText(error);
  if (/footer|EOF|eof|truncat|out of range|too small|magic|thrift|invalid utf-8|deserializ/i.test(text))
    return 'it looks truncated or corrupted (its footer is missing or damaged).';
  // The browser build of parquet-wasm strips Rust's error text, leaving only its category; a
  // panic inside it surfaces as a wasm trap, whose whole message is "unreachable".
  if (/Error strings stripped|^(?:RuntimeError:\s*)?unreachable|RuntimeError/i.test(text))
    return 'part of its data is damaged, or uses a feature the browser’s Parquet reader does not support.';
  return `${plainEngineMessage(error)}.`;
}

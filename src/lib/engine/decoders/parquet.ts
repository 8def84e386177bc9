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
  readParquet(bytes: Uint8Array): { intoIPCStream(): Uint8Array };
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
    if (isOutOfMemory(error))
      throw new LoadError(
        'too-large',
        'This Parquet file is too large to decode in the browser’s memory. Split it or load a sample.',
      );
    throw new LoadError(
      'malformed-parquet',
      `This Parquet file cannot be read: ${parquetReason(error)}`,
      errorText(error),
    );
  }
}

function parquetReason(error: unknown): string {
  if (/footer|EOF|eof|truncat|out of range|too small|magic/i.test(errorText(error)))
    return 'it looks truncated or corrupted (its footer is missing or damaged).';
  return `${plainEngineMessage(error)}.`;
}

import { LoadError, errorText, isOutOfMemory } from '../errors';

/** The part of parquet-wasm's API we use; the browser and Node builds differ only in how they initialise. */
export interface ParquetWasm {
  readParquet(bytes: Uint8Array): { intoIPCStream(): Uint8Array };
}

/** Decode a Parquet file (snappy, gzip, zstd, brotli, lz4) into an Arrow IPC stream. */
export function decodeParquet(parquet: ParquetWasm, bytes: Uint8Array): Uint8Array {
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
      `This Parquet file cannot be read: ${parquetReason(errorText(error))}`,
      errorText(error),
    );
  }
}

function parquetReason(text: string): string {
  if (/footer|EOF|eof|truncat|out of range|too small|magic/i.test(text))
    return 'it looks truncated or corrupted (its footer is missing or damaged).';
  return text;
}

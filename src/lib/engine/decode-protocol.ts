import type { LoadErrorCode } from './errors';
import type { DecodedSheet } from './decoders/types';
import type { ParquetPart } from './decoders/parquet';

/**
 * Messages to the decode worker. A Parquet file read in parts is a `stream`:
 * each `parquet-part` request asks for its next part (the first one carries
 * the file), and `parquet-close` frees it early.
 */
export type DecodeRequest =
  | { id: number; kind: 'parquet'; bytes: Uint8Array }
  | { id: number; kind: 'parquet-part'; stream: number; file?: Blob }
  | { id: number; kind: 'parquet-close'; stream: number }
  | { id: number; kind: 'xlsx'; bytes: Uint8Array; sheet?: string };

/** One answer per request; `part` is null once a stream has no more parts. */
export type DecodeResponse =
  | { id: number; ok: true; ipc: Uint8Array; sheet?: DecodedSheet }
  | { id: number; ok: true; part: ParquetPart | null }
  | { id: number; ok: false; code: LoadErrorCode; message: string };

/** A request before the decoders number it. */
export type DecodeTask = WithoutId<DecodeRequest>;

type WithoutId<T> = T extends unknown ? Omit<T, 'id'> : never;

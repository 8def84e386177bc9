import type { LoadErrorCode } from './errors';
import type { DecodedSheet } from './decoders/types';

export type DecodeRequest =
  | { id: number; kind: 'parquet'; bytes: Uint8Array }
  | { id: number; kind: 'xlsx'; bytes: Uint8Array; sheet?: string };

export type DecodeResponse =
  | { id: number; ok: true; ipc: Uint8Array; sheet?: DecodedSheet }
  | { id: number; ok: false; code: LoadErrorCode; message: string };

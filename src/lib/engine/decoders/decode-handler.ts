import { decodeParquet, decodeParquetParts, type ParquetPart, type ParquetWasm } from './parquet';
import { decodeXlsx } from './xlsx';
import { LoadError, plainEngineMessage } from '../errors';
import type { DecodeRequest, DecodeResponse } from '../decode-protocol';

/** An answer for the caller, with the buffers to transfer rather than copy. */
export interface DecodeAnswer {
  response: DecodeResponse;
  transfer: ArrayBuffer[];
}

/**
 * What the decode worker does with each request, apart from the worker itself,
 * so tests run the very same steps in process. `parquet` is parquet-wasm once
 * initialised (the browser build needs `init` first; `ready` awaits it).
 */
export function createDecodeHandler(
  parquet: ParquetWasm,
  ready: () => Promise<unknown> = async () => {},
): (request: DecodeRequest) => Promise<DecodeAnswer> {
  /** Parquet files being read in parts, by stream id. */
  const streams = new Map<number, AsyncGenerator<ParquetPart>>();

  const answer = async (request: DecodeRequest): Promise<DecodeAnswer> => {
    if (request.kind === 'parquet') {
      await ready();
      const ipc = decodeParquet(parquet, request.bytes);
      return { response: { id: request.id, ok: true, ipc }, transfer: [ipc.buffer as ArrayBuffer] };
    }
    if (request.kind === 'parquet-part') {
      await ready();
      let stream = streams.get(request.stream);
      if (!stream) {
        if (!request.file) throw new LoadError('engine', 'The file decoder lost track of the Parquet file.');
        stream = decodeParquetParts(parquet, request.file);
        streams.set(request.stream, stream);
      }
      const next = await stream.next().catch((error: unknown) => {
        streams.delete(request.stream);
        throw error;
      });
      if (next.done) {
        streams.delete(request.stream);
        return { response: { id: request.id, ok: true, part: null }, transfer: [] };
      }
      return {
        response: { id: request.id, ok: true, part: next.value },
        transfer: [next.value.ipc.buffer as ArrayBuffer],
      };
    }
    if (request.kind === 'parquet-close') {
      const stream = streams.get(request.stream);
      streams.delete(request.stream);
      await stream?.return(undefined);
      return { response: { id: request.id, ok: true, part: null }, transfer: [] };
    }
    const sheet = await decodeXlsx(request.bytes, request.sheet);
    return {
      response: { id: request.id, ok: true, ipc: sheet.ipc, sheet },
      transfer: [sheet.ipc.buffer as ArrayBuffer],
    };
  };

  return async (request) => {
    try {
      return await answer(request);
    } catch (error) {
      const loadError =
        error instanceof LoadError
          ? error
          : new LoadError('engine', `The file could not be decoded: ${plainEngineMessage(error)}.`);
      return {
        response: { id: request.id, ok: false, code: loadError.code, message: loadError.message },
        transfer: [],
      };
    }
  };
}

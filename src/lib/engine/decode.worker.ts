/// <reference lib="webworker" />
import initParquet, { readParquet } from 'parquet-wasm/esm';
import parquetWasmUrl from 'parquet-wasm/esm/parquet_wasm_bg.wasm?url';
import { decodeParquet } from './decoders/parquet';
import { decodeXlsx } from './decoders/xlsx';
import { LoadError, plainEngineMessage } from './errors';
import type { DecodeRequest, DecodeResponse } from './decode-protocol';

/** Parquet and Excel parsing happen here, off the UI thread. */
let parquetReady: Promise<unknown> | undefined;

self.onmessage = async (event: MessageEvent<DecodeRequest>): Promise<void> => {
  const request = event.data;
  try {
    if (request.kind === 'parquet') {
      parquetReady ??= initParquet({ module_or_path: parquetWasmUrl });
      await parquetReady;
      const ipc = decodeParquet({ readParquet }, request.bytes);
      respond({ id: request.id, ok: true, ipc }, [ipc.buffer as ArrayBuffer]);
    } else {
      const sheet = await decodeXlsx(request.bytes, request.sheet);
      respond({ id: request.id, ok: true, ipc: sheet.ipc, sheet }, [sheet.ipc.buffer as ArrayBuffer]);
    }
  } catch (error) {
    const loadError =
      error instanceof LoadError
        ? error
        : new LoadError('engine', `The file could not be decoded: ${plainEngineMessage(error)}.`);
    respond({ id: request.id, ok: false, code: loadError.code, message: loadError.message });
  }
};

function respond(message: DecodeResponse, transfer: Transferable[] = []): void {
  (self as unknown as DedicatedWorkerGlobalScope).postMessage(message, transfer);
}

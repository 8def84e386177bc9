/// <reference lib="webworker" />
import initParquet, { readParquet } from 'parquet-wasm/esm';
import parquetWasmUrl from 'parquet-wasm/esm/parquet_wasm_bg.wasm?url';
import { createDecodeHandler } from './decoders/decode-handler';
import type { DecodeRequest } from './decode-protocol';

/** Parquet and Excel parsing happen here, off the UI thread. */
let parquetReady: Promise<unknown> | undefined;
const handle = createDecodeHandler(
  { readParquet },
  () => (parquetReady ??= initParquet({ module_or_path: parquetWasmUrl })),
);

self.onmessage = async (event: MessageEvent<DecodeRequest>): Promise<void> => {
  const { response, transfer } = await handle(event.data);
  (self as unknown as DedicatedWorkerGlobalScope).postMessage(response, transfer);
};

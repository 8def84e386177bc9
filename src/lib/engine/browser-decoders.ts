import type { Decoders, DecodedSheet } from './decoders/types';
import type { DecodeRequest, DecodeResponse } from './decode-protocol';
import { LoadError } from './errors';

type Pending = { resolve: (r: DecodeResponse) => void };

/** Decoders backed by a dedicated worker, created on first use. */
export function createBrowserDecoders(): Decoders {
  let worker: Worker | undefined;
  let nextId = 1;
  const pending = new Map<number, Pending>();

  const call = (request: Omit<DecodeRequest, 'id'>): Promise<DecodeResponse> => {
    worker ??= new Worker(new URL('./decode.worker.ts', import.meta.url), { type: 'module' });
    worker.onmessage = (event: MessageEvent<DecodeResponse>) => {
      pending.get(event.data.id)?.resolve(event.data);
      pending.delete(event.data.id);
    };
    const id = nextId++;
    return new Promise((resolve) => {
      pending.set(id, { resolve });
      const message = { ...request, id } as DecodeRequest;
      worker!.postMessage(message, [message.bytes.buffer as ArrayBuffer]);
    });
  };

  const unwrap = (response: DecodeResponse): Extract<DecodeResponse, { ok: true }> => {
    if (!response.ok) throw new LoadError(response.code, response.message);
    return response;
  };

  return {
    parquetToIPC: async (bytes) => unwrap(await call({ kind: 'parquet', bytes })).ipc,
    xlsxToIPC: async (bytes, sheet): Promise<DecodedSheet> => {
      const response = unwrap(await call({ kind: 'xlsx', bytes, ...(sheet === undefined ? {} : { sheet }) }));
      if (!response.sheet) throw new LoadError('malformed-xlsx', 'The workbook decoder returned no sheet.');
      return response.sheet;
    },
  };
}

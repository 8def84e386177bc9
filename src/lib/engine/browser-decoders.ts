import type { Decoders, DecodedSheet, ParquetPart } from './decoders/types';
import type { DecodeRequest, DecodeResponse, DecodeTask } from './decode-protocol';
import { LoadError } from './errors';

type Pending = { resolve: (r: DecodeResponse) => void; reject: (error: LoadError) => void };

/** The slice of `Worker` the decoders use, so another worker implementation can stand in. */
export interface DecodeWorker {
  onmessage: ((event: MessageEvent<DecodeResponse>) => void) | null;
  onerror: ((event: ErrorEvent) => void) | null;
  onmessageerror: ((event: MessageEvent) => void) | null;
  postMessage(message: DecodeRequest, transfer: Transferable[]): void;
  terminate(): void;
}

const defaultWorker = (): DecodeWorker =>
  new Worker(new URL('./decode.worker.ts', import.meta.url), { type: 'module' }) as unknown as DecodeWorker;

/**
 * Decoders backed by a dedicated worker, created on first use. A worker that
 * crashes (a wasm trap, a failed import, out of memory) rejects every pending
 * decode instead of leaving the load waiting forever; cancelling a decode
 * terminates the worker, because a synchronous parse cannot be interrupted
 * any other way. The next decode starts a fresh worker. So does the first
 * decode after a failed one, once nothing else is pending: a panic inside
 * parquet-wasm is a wasm trap, after which its memory cannot be trusted.
 */
export function createBrowserDecoders(createWorker: () => DecodeWorker = defaultWorker): Decoders {
  let worker: DecodeWorker | undefined;
  let nextId = 1;
  let nextStream = 1;
  const pending = new Map<number, Pending>();
  /** The worker answered with a failure; replace it when it is idle. */
  let stale = false;

  const failAll = (error: LoadError): void => {
    worker?.terminate();
    worker = undefined;
    const waiting = [...pending.values()];
    pending.clear();
    for (const p of waiting) p.reject(error);
  };

  const start = (): DecodeWorker => {
    const w = createWorker();
    w.onmessage = (event) => {
      if (!event.data.ok) stale = true;
      pending.get(event.data.id)?.resolve(event.data);
      pending.delete(event.data.id);
    };
    w.onerror = (event) => {
      event.preventDefault?.();
      failAll(
        new LoadError(
          'engine',
          'The file decoder stopped unexpectedly (it may have run out of memory). Try again, or load a smaller file.',
          event.message,
        ),
      );
    };
    w.onmessageerror = () =>
      failAll(new LoadError('engine', 'The file decoder sent back a result that could not be read.'));
    return w;
  };

  const call = (request: DecodeTask, signal?: AbortSignal): Promise<DecodeResponse> => {
    if (signal?.aborted) return Promise.reject(cancelled());
    if (stale && pending.size === 0) {
      worker?.terminate();
      worker = undefined;
      stale = false;
    }
    worker ??= start();
    const id = nextId++;
    return new Promise((resolve, reject) => {
      const onAbort = (): void => failAll(cancelled());
      const done = (): void => signal?.removeEventListener('abort', onAbort);
      pending.set(id, {
        resolve: (r) => (done(), resolve(r)),
        reject: (e) => (done(), reject(e)),
      });
      signal?.addEventListener('abort', onAbort, { once: true });
      const message = { ...request, id } as DecodeRequest;
      worker!.postMessage(message, 'bytes' in message ? [message.bytes.buffer as ArrayBuffer] : []);
    });
  };

  const unwrap = (response: DecodeResponse): Extract<DecodeResponse, { ipc: Uint8Array }> => {
    if (!response.ok) throw new LoadError(response.code, response.message);
    if (!('ipc' in response)) throw new LoadError('engine', 'The file decoder answered out of turn.');
    return response;
  };

  const nextPart = async (pending: Promise<DecodeResponse>): Promise<ParquetPart | null> => {
    const response = await pending;
    if (!response.ok) throw new LoadError(response.code, response.message);
    if (!('part' in response)) throw new LoadError('engine', 'The file decoder answered out of turn.');
    return response.part;
  };

  async function* parquetParts(file: Blob, signal?: AbortSignal): AsyncGenerator<ParquetPart> {
    const stream = nextStream++;
    // A part asked for ahead can fail (or be cancelled) while the consumer is still busy with the
    // last one; it is awaited, or dropped, later, so mark its rejection as handled now.
    const request = (first: boolean): Promise<DecodeResponse> => {
      const pending = call({ kind: 'parquet-part', stream, ...(first ? { file } : {}) }, signal);
      pending.catch(() => {});
      return pending;
    };
    let ahead: Promise<DecodeResponse> | undefined = request(true);
    try {
      for (;;) {
        const part = await nextPart(ahead);
        ahead = undefined;
        if (!part) return;
        // Decode the next part while the consumer inserts this one.
        ahead = request(false);
        yield part;
      }
    } finally {
      // Stopped early (the insert failed, or the load was cancelled): free the file in the worker.
      if (ahead && worker && !signal?.aborted) void call({ kind: 'parquet-close', stream }).catch(() => {});
    }
  }

  return {
    parquetToIPC: async (bytes, signal) => unwrap(await call({ kind: 'parquet', bytes }, signal)).ipc,
    parquetParts,
    xlsxToIPC: async (bytes, sheet, signal): Promise<DecodedSheet> => {
      const response = unwrap(
        await call({ kind: 'xlsx', bytes, ...(sheet === undefined ? {} : { sheet }) }, signal),
      );
      if (!response.sheet) throw new LoadError('malformed-xlsx', 'The workbook decoder returned no sheet.');
      return response.sheet;
    },
  };
}

function cancelled(): LoadError {
  return new LoadError('cancelled', 'Decoding was cancelled.');
}

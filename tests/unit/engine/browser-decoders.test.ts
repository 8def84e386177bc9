import { describe, it, expect } from 'vitest';
import { join } from 'node:path';
import { readFileSync } from 'node:fs';
import * as parquetWasm from 'parquet-wasm/node';
import { tableFromIPC } from 'apache-arrow';
import { createBrowserDecoders, type DecodeWorker } from '../../../src/lib/engine/browser-decoders';
import { decodeParquet } from '../../../src/lib/engine/decoders/parquet';
import { decodeXlsx } from '../../../src/lib/engine/decoders/xlsx';
import type { DecodeRequest, DecodeResponse } from '../../../src/lib/engine/decode-protocol';
import { FIXTURES } from '../../support/engine';

/**
 * An in-process stand-in for the decode worker: it runs the same decoders the
 * real worker runs and answers through `onmessage`, unless told to hang (a
 * long parse) or to crash (what `onerror` reports for a wasm trap or a failed import).
 */
class InProcessWorker implements DecodeWorker {
  onmessage: ((event: MessageEvent<DecodeResponse>) => void) | null = null;
  onerror: ((event: ErrorEvent) => void) | null = null;
  onmessageerror: ((event: MessageEvent) => void) | null = null;
  terminated = false;
  received: DecodeRequest[] = [];
  constructor(private readonly behaviour: 'decode' | 'hang' | 'crash') {}

  postMessage(message: DecodeRequest): void {
    this.received.push(message);
    if (this.behaviour === 'hang') return;
    setTimeout(() => void this.#answer(message), 0);
  }

  async #answer(request: DecodeRequest): Promise<void> {
    if (this.terminated) return;
    if (this.behaviour === 'crash') {
      this.onerror?.({ message: 'RuntimeError: unreachable', preventDefault: () => {} } as ErrorEvent);
      return;
    }
    const response: DecodeResponse =
      request.kind === 'parquet'
        ? { id: request.id, ok: true, ipc: decodeParquet(parquetWasm, request.bytes) }
        : await decodeXlsx(request.bytes, request.sheet).then((sheet) => ({
            id: request.id,
            ok: true as const,
            ipc: sheet.ipc,
            sheet,
          }));
    this.onmessage?.({ data: response } as MessageEvent<DecodeResponse>);
  }

  terminate(): void {
    this.terminated = true;
  }
}

const parquetBytes = (): Uint8Array =>
  new Uint8Array(readFileSync(join(FIXTURES, 'formats/tiny-snappy.parquet')));

describe('browser decoders around the decode worker', () => {
  it('returns what the worker decoded', async () => {
    const decoders = createBrowserDecoders(() => new InProcessWorker('decode'));
    const ipc = await decoders.parquetToIPC(parquetBytes());
    expect(tableFromIPC(ipc).numRows).toBe(20);
    const sheet = await decoders.xlsxToIPC(
      new Uint8Array(readFileSync(join(FIXTURES, 'formats/notes-first.xlsx'))),
      'Regions',
    );
    expect(sheet.sheet).toBe('Regions');
  });

  it('rejects the load when the worker crashes, and starts a fresh worker for the next one', async () => {
    const workers: InProcessWorker[] = [];
    const behaviours: ('crash' | 'decode')[] = ['crash', 'decode'];
    const decoders = createBrowserDecoders(() => {
      const w = new InProcessWorker(behaviours[workers.length] ?? 'decode');
      workers.push(w);
      return w;
    });
    await expect(decoders.parquetToIPC(parquetBytes())).rejects.toMatchObject({
      name: 'LoadError',
      code: 'engine',
      message: expect.stringMatching(/decoder stopped unexpectedly/),
    });
    expect(workers[0]!.terminated).toBe(true);
    expect(tableFromIPC(await decoders.parquetToIPC(parquetBytes())).numRows).toBe(20);
    expect(workers).toHaveLength(2);
  });

  it('terminates the worker when the load is cancelled mid-decode', async () => {
    const workers: InProcessWorker[] = [];
    const decoders = createBrowserDecoders(() => {
      const w = new InProcessWorker(workers.length === 0 ? 'hang' : 'decode');
      workers.push(w);
      return w;
    });
    const controller = new AbortController();
    const pending = decoders.parquetToIPC(parquetBytes(), controller.signal);
    await new Promise((r) => setTimeout(r, 5));
    expect(workers[0]!.received).toHaveLength(1);
    controller.abort();
    await expect(pending).rejects.toMatchObject({ code: 'cancelled' });
    expect(workers[0]!.terminated).toBe(true);
    // A signal already aborted posts nothing at all.
    await expect(decoders.parquetToIPC(parquetBytes(), controller.signal)).rejects.toMatchObject({
      code: 'cancelled',
    });
    expect(workers).toHaveLength(1);
  });
});

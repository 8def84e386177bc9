import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { join } from 'node:path';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as parquetWasm from 'parquet-wasm/node';
import { tableFromIPC } from 'apache-arrow';
import { createBrowserDecoders, type DecodeWorker } from '../../../src/lib/engine/browser-decoders';
import { createDecodeHandler } from '../../../src/lib/engine/decoders/decode-handler';
import type { DecodeRequest, DecodeResponse } from '../../../src/lib/engine/decode-protocol';
import { FIXTURES, ROOT } from '../../support/engine';
import type { ParquetWasm } from '../../../src/lib/engine/decoders/parquet';
import { parquetWithFooterLength } from '../../fixtures/bad/make-hostile-files';
import type { ParquetPart } from '../../../src/lib/engine/decoders/types';
import { str } from '../../../src/lib/core/sql/quote';

/**
 * An in-process stand-in for the decode worker: it runs the same handler the
 * real worker runs and answers through `onmessage`, unless told to hang (a
 * long parse) or to crash (what `onerror` reports for a wasm trap or a failed import).
 */
class InProcessWorker implements DecodeWorker {
  onmessage: ((event: MessageEvent<DecodeResponse>) => void) | null = null;
  onerror: ((event: ErrorEvent) => void) | null = null;
  onmessageerror: ((event: MessageEvent) => void) | null = null;
  terminated = false;
  received: DecodeRequest[] = [];
  /** Each worker has its own handler, as each real worker has its own open files. */
  readonly #handle = createDecodeHandler(parquetWasm);
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
    const { response } = await this.#handle(request);
    if (this.terminated) return;
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

describe('Parquet in parts through the decode worker', () => {
  let dir: string;
  /** 6,000 rows in 3 row groups. */
  let threeGroups: Blob;

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'sz-decoder-parts-'));
    const file = join(dir, 'three-groups.parquet');
    const { DuckDBInstance } = await import('@duckdb/node-api');
    const native = await (await DuckDBInstance.create(':memory:')).connect();
    await native.run(
      `COPY (SELECT range AS id, 'r' || range AS label FROM range(6000)) TO ${str(file)} (FORMAT parquet, ROW_GROUP_SIZE 2048)`,
    );
    native.closeSync();
    threeGroups = new Blob([readFileSync(file)]);
  });

  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  const requests = (w: InProcessWorker): string[] => w.received.map((r) => r.kind);

  it('hands out each part in order, decoding the next one while the caller works on this one', async () => {
    const workers: InProcessWorker[] = [];
    const decoders = createBrowserDecoders(() => {
      workers.push(new InProcessWorker('decode'));
      return workers.at(-1)!;
    });
    const parts: ParquetPart[] = [];
    const requestsAtFirstPart: string[] = [];
    for await (const part of decoders.parquetParts(threeGroups)) {
      if (parts.length === 0) requestsAtFirstPart.push(...requests(workers[0]!));
      parts.push(part);
    }
    expect(requestsAtFirstPart).toEqual(['parquet-part', 'parquet-part']);
    expect(parts.map((p) => [p.rows, p.rowGroupsDone, p.rowGroups])).toEqual([
      [2048, 1, 3],
      [2048, 2, 3],
      [1904, 3, 3],
    ]);
    const ids = parts.flatMap((p) => [...tableFromIPC(p.ipc).getChild('id')!.toArray()].map(Number));
    expect(ids).toEqual(Array.from({ length: 6000 }, (_, i) => i));
    // Only the first request carries the file; the worker keeps it for the rest.
    expect(workers[0]!.received.filter((r) => 'file' in r && r.file)).toHaveLength(1);
  });

  it('frees the file in the worker when the caller stops early', async () => {
    const worker = new InProcessWorker('decode');
    const decoders = createBrowserDecoders(() => worker);
    for await (const part of decoders.parquetParts(threeGroups)) {
      expect(part.rowGroupsDone).toBe(1);
      break;
    }
    await new Promise((r) => setTimeout(r, 20));
    expect(requests(worker)).toEqual(['parquet-part', 'parquet-part', 'parquet-close']);
    expect((await decoders.parquetToIPC(parquetBytes())).byteLength).toBeGreaterThan(0);
  });

  it('reports a file the worker cannot read as malformed-parquet', async () => {
    const decoders = createBrowserDecoders(() => new InProcessWorker('decode'));
    const truncated = new Blob([readFileSync(join(FIXTURES, 'bad/truncated.parquet'))]);
    const read = async (): Promise<void> => {
      for await (const part of decoders.parquetParts(truncated)) expect(part).toBeUndefined();
    };
    await expect(read()).rejects.toMatchObject({
      name: 'LoadError',
      code: 'malformed-parquet',
      message: expect.stringMatching(/truncated or corrupted/),
    });
  });

  it('a cancel between parts rejects as cancelled and terminates the worker', async () => {
    const worker = new InProcessWorker('decode');
    const decoders = createBrowserDecoders(() => worker);
    const controller = new AbortController();
    const read = async (): Promise<number> => {
      let seen = 0;
      for await (const part of decoders.parquetParts(threeGroups, controller.signal)) {
        seen += part.rows;
        controller.abort();
        // The caller is still inserting this part when the prefetch is rejected: that must not go unhandled.
        await new Promise((r) => setTimeout(r, 10));
      }
      return seen;
    };
    await expect(read()).rejects.toMatchObject({ code: 'cancelled' });
    expect(worker.terminated).toBe(true);
  });
});

describe("parquet-wasm's browser build behind the decode handler", () => {
  let browserBuild: ParquetWasm;
  beforeAll(async () => {
    const module = await import('parquet-wasm/esm');
    await module.default({
      module_or_path: readFileSync(join(ROOT, 'node_modules/parquet-wasm/esm/parquet_wasm_bg.wasm')),
    });
    browserBuild = { readParquet: module.readParquet };
  });

  it('a footer length of −1 traps the browser build ("unreachable"); the handler refuses it first, in words', async () => {
    const bytes = parquetWithFooterLength(-1);
    expect(() => browserBuild.readParquet(bytes.slice())).toThrow(/^unreachable$/);
    const { response } = await createDecodeHandler(browserBuild)({ id: 1, kind: 'parquet', bytes });
    expect(response).toMatchObject({
      ok: false,
      code: 'malformed-parquet',
      message: expect.stringMatching(/truncated or corrupted: .*impossible length of -1 bytes/),
    });
  });

  it('replaces a worker that answered with a failure before the next decode', async () => {
    const workers: InProcessWorker[] = [];
    const decoders = createBrowserDecoders(() => {
      workers.push(new InProcessWorker('decode'));
      return workers.at(-1)!;
    });
    await expect(decoders.parquetToIPC(parquetWithFooterLength(-1))).rejects.toMatchObject({
      code: 'malformed-parquet',
    });
    expect(tableFromIPC(await decoders.parquetToIPC(parquetBytes())).numRows).toBe(20);
    expect(workers).toHaveLength(2);
    expect(workers[0]!.terminated).toBe(true);
  });
});

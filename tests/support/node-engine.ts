/**
 * The node engine for tests, without vitest: tests/support/demo.ts and sprint0-demo.ts reach it
 * from Playwright specs too. Test files import tests/support/engine.ts.
 */
import { reopenableNodeEngine, type ReopenableNodeEngine } from '../../src/lib/engine/node-connector';
import type { Connector } from '../../src/lib/engine/connector';
import { nodeDecoders } from '../../src/lib/engine/node-decoders';
import { fileSource, bytesSource } from '../../src/lib/engine/node-source';
import { loadDataset, type LoadOptions, type LoadedDataset } from '../../src/lib/engine/load-dataset';

export { FIXTURES, ROOT, VEGA } from './paths';

/**
 * A real DuckDB-WASM engine on a new, empty database, as a freshly started one. Its close()
 * empties it for the next caller of the worker (~0.1 s) instead of starting DuckDB-WASM again
 * (~2 s of CPU); releaseEngines() closes what a file left open. A closed connector refuses
 * every call.
 */
export async function engine(): Promise<Connector> {
  const pool = enginePool();
  let started = pool.idle.pop();
  for (;;) {
    const fresh = !started;
    started ??= await reopenableNodeEngine();
    try {
      const conn = started.open();
      await conn.query('SELECT 1');
      return lease(pool, started, conn);
    } catch (error) {
      // An engine a test left broken (a wasm trap) is dropped; a new one that fails is a real failure.
      if (fresh) throw error;
      started = undefined;
    }
  }
}

/** Load a file from disk through the production loader. */
export async function loadFile(
  conn: Connector,
  path: string,
  options: LoadOptions = {},
): Promise<LoadedDataset> {
  return loadDataset(conn, nodeDecoders, await fileSource(path), options);
}

/** Load in-memory content through the production loader. */
export async function loadBytes(
  conn: Connector,
  name: string,
  content: Uint8Array | string,
  options: LoadOptions = {},
): Promise<LoadedDataset> {
  return loadDataset(conn, nodeDecoders, bytesSource(name, content), options);
}

/** Close every engine the current file left open (tests/support/shared-worker.ts, after each file). */
export async function releaseEngines(): Promise<void> {
  await Promise.all([...enginePool().leased].map((release) => release()));
}

/** Started engines waiting for the next file of this worker, at most this many (each holds its wasm memory). */
const MAX_IDLE_ENGINES = 2;

interface EnginePool {
  idle: ReopenableNodeEngine[];
  leased: Set<() => Promise<void>>;
}

// On globalThis, like the wasm module cache: one pool per worker process, whatever re-imports this module.
const POOL = Symbol.for('sprint-zero.test-engine-pool');
function enginePool(): EnginePool {
  const scope = globalThis as typeof globalThis & { [POOL]?: EnginePool };
  return (scope[POOL] ??= { idle: [], leased: new Set() });
}

function lease(pool: EnginePool, started: ReopenableNodeEngine, conn: Connector): Connector {
  let open = true;
  const release = async (): Promise<void> => {
    if (!open) return;
    open = false;
    pool.leased.delete(release);
    try {
      await conn.close();
    } catch {
      return; // not reusable
    }
    if (pool.idle.length < MAX_IDLE_ENGINES) pool.idle.push(started);
  };
  pool.leased.add(release);
  // The node connector is a plain object of closures: the same members, refused once closed.
  const guarded = Object.fromEntries(
    Object.entries(conn).map(([key, member]) => [
      key,
      typeof member === 'function'
        ? (...args: unknown[]): unknown => {
            if (!open) throw new Error('This engine was closed.');
            return (member as (...a: unknown[]) => unknown)(...args);
          }
        : member,
    ]),
  ) as unknown as Connector;
  return { ...guarded, close: release };
}

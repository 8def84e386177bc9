import { afterAll, beforeAll } from 'vitest';
import type { Connector } from '../../src/lib/engine/connector';
import { engine } from './node-engine';

export * from './node-engine';

/**
 * The file's engine, started before its tests and closed after them: `useEngine()` at the top
 * of a file, then the returned connector in tests and hooks (not while the file is collected).
 */
export function useEngine(): Connector {
  let conn: Connector | undefined;
  beforeAll(async () => {
    conn = await engine();
  });
  afterAll(async () => {
    await conn?.close();
  });
  return forwardingTo(() => {
    if (!conn) throw new Error('useEngine(): the engine starts in beforeAll; use it in a test or a hook');
    return conn;
  });
}

/** A connector whose every member is read from `target()` when used. */
function forwardingTo(target: () => Connector): Connector {
  return new Proxy({} as Connector, {
    get: (_, key) => Reflect.get(target(), key),
    has: (_, key) => Reflect.has(target(), key),
    ownKeys: () => Reflect.ownKeys(target()),
    getOwnPropertyDescriptor: (_, key) => {
      const descriptor = Reflect.getOwnPropertyDescriptor(target(), key);
      return descriptor && { ...descriptor, configurable: true };
    },
  });
}

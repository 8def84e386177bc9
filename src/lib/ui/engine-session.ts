import type { Connector } from '../engine/connector';
import type { Decoders } from '../engine/decoders/types';

/** The browser engine and decoders, started once per page on first use. */
export interface EngineSession {
  conn: Connector;
  decoders: Decoders;
  startedMs: number;
}

let session: Promise<EngineSession> | undefined;

export function engineSession(): Promise<EngineSession> {
  session ??= (async () => {
    const started = performance.now();
    const [{ createBrowserConnector }, { createBrowserDecoders }] = await Promise.all([
      import('../engine/browser-connector'),
      import('../engine/browser-decoders'),
    ]);
    const conn = await createBrowserConnector();
    return { conn, decoders: createBrowserDecoders(), startedMs: performance.now() - started };
  })();
  session.catch(() => {
    session = undefined;
  });
  return session;
}

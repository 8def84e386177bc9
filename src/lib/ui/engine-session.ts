import type { SessionEngine } from '../session';
import { browserFileSource } from '../engine/browser-source';

export { browserFileSource };

let engine: Promise<SessionEngine> | undefined;

/**
 * The browser engine (DuckDB-WASM in a worker) and decoders, started once per
 * page on first use. The one place the UI reaches into `engine/`: it hands the
 * result to the audit session, which does everything else.
 */
export function browserEngine(): Promise<SessionEngine> {
  engine ??= (async () => {
    const [{ createBrowserConnector }, { createBrowserDecoders }] = await Promise.all([
      import('../engine/browser-connector'),
      import('../engine/browser-decoders'),
    ]);
    return { connector: await createBrowserConnector(), decoders: createBrowserDecoders() };
  })();
  engine.catch(() => {
    engine = undefined;
  });
  return engine;
}

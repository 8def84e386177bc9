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

/**
 * Start the engine in the background once the page has painted, so the first
 * load ("Try the demo", a dropped file) does not wait 1–5 s for DuckDB-WASM.
 * Runs when the browser is idle (or after a short timeout where
 * `requestIdleCallback` is missing); a failed start is retried on first use.
 */
export function prestartEngine(): void {
  const start = (): void => void browserEngine().catch(() => {});
  if (typeof requestIdleCallback === 'function') requestIdleCallback(start, { timeout: 1000 });
  else setTimeout(start, 200);
}

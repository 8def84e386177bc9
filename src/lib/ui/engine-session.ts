import type { SessionEngine } from '../session';
import type { Connector } from '../engine/connector';
import { browserFileSource } from '../engine/browser-source';

export { browserFileSource };

let engine: Promise<SessionEngine> | undefined;
/** Stops the warm-up; aborted by the first real use of the engine. */
let warmUp: AbortController | undefined;

function startEngine(): Promise<SessionEngine> {
  engine ??= (async () => {
    const started = performance.now();
    const [{ createBrowserConnector }, { createBrowserDecoders }] = await Promise.all([
      import('../engine/browser-connector'),
      import('../engine/browser-decoders'),
    ]);
    const ready = { connector: await createBrowserConnector(), decoders: createBrowserDecoders() };
    // For `npm run bench:first-verdict`: when the engine became ready, in the performance timeline.
    performance.measure('sz:engine', { start: started, end: performance.now() });
    return ready;
  })();
  engine.catch(() => {
    engine = undefined;
  });
  return engine;
}

/**
 * The browser engine (DuckDB-WASM in a worker) and decoders, started once per
 * page on first use. The one place the UI reaches into `engine/`: it hands the
 * result to the audit session, which does everything else. Asking for it stops
 * the warm-up, so the caller's statements wait at most for one of its statements.
 */
export function browserEngine(): Promise<SessionEngine> {
  warmUp?.abort();
  return startEngine();
}

/**
 * Start the engine in the background, so the first load ("Try the demo", a
 * dropped file) does not wait 1–5 s for DuckDB-WASM, then warm it up (see
 * `warmUpEngine`) until the visitor starts something. Call it once the page
 * has painted: the engine's download and compile compete with the first paint
 * on a small machine. A failed start is retried on first use.
 */
export function prestartEngine(): void {
  if (engine) return;
  const controller = new AbortController();
  warmUp = controller;
  void startEngine()
    .then((ready) => warmUpEngine(ready, controller.signal))
    .catch(() => {});
}

/** Rows of the demo extract the warm-up audits: enough for the hot loops to be optimised, a fraction of a second of work. */
const WARM_UP_ROWS = 2000;

/**
 * Run one whole audit of the demo's first rows as the demo runs it (its
 * context, example metric plan and source role; load from CSV, profile, role
 * suggestions, readiness, relations, baselines, plan) in a session of its own,
 * kept in memory, and drop its tables. Its results are thrown away.
 * DuckDB-WASM compiles each function of its 34 MB module on first call and
 * optimises the hot ones later: measured on the demo, the first audit of a
 * page spends about 4 s more than the next one. This pays that cost while the
 * visitor reads the landing page, and the functions it ran are the ones the
 * browser keeps in its code cache for the next visit.
 *
 * It runs on a connection of its own where the engine has one
 * (`Connector.background`): `signal` then cancels its running statement, so a
 * click never waits for the warm-up (on a second visit it was still running 5 s
 * after the page showed, and the demo's load waited up to a second for it).
 * On the shared connection a cancel could reach the caller's statement instead,
 * so there it stops between statements.
 */
export async function warmUpEngine(ready: SessionEngine, signal: AbortSignal): Promise<void> {
  if (signal.aborted) return;
  // The session is most of the app's code: imported here, it stays out of the landing page's chunk.
  const [
    { AuditSession, memoryAuditStore },
    { newAudit },
    { dropTableQuery },
    edits,
    { exampleChurnPlan },
    demo,
  ] = await Promise.all([
    import('../session'),
    import('../core/model/document'),
    import('../core/sql/table'),
    import('../core/audit/edits'),
    import('../core/plan/summary'),
    import('./landing/demo'),
  ]);
  const csv = await demo.fetchDemoFile().then((file) => firstLines(file, WARM_UP_ROWS + 1));
  if (signal.aborted) return;
  const own = await ready.connector.background?.();
  const base = own ?? ready.connector;
  const cancel = (): void => void own?.cancel().catch(() => {});
  signal.addEventListener('abort', cancel, { once: true });
  const connector = untilAborted(base, signal);
  const session = new AuditSession({ engine: { ...ready, connector }, store: memoryAuditStore() });
  session.open({
    ...newAudit('Engine warm-up', 'engine-warm-up'),
    context: { ...demo.DEMO_CONTEXT },
    plan: { plan: exampleChurnPlan() },
  });
  // Not the demo's file name: the app's performance marks are named after the file.
  const file = new File([csv], 'engine-warm-up.csv', { type: 'text/csv' });
  try {
    await session.addSources([browserFileSource(file)]);
    const audit = session.audit;
    const id = audit ? edits.primaryDatasetId(audit) : undefined;
    if (audit && id && !signal.aborted)
      await session.setRoles(id, { ...edits.rolesOf(audit, id), source: demo.DEMO_SOURCE_COLUMN });
  } finally {
    signal.removeEventListener('abort', cancel);
    for (const loaded of session.tables.values())
      await base.exec(dropTableQuery(loaded.tableName)).catch(() => {});
    await own?.close().catch(() => {});
  }
}

/** The first `lines` lines of a text file. */
async function firstLines(file: Blob, lines: number): Promise<string> {
  const text = await file.text();
  let end = 0;
  for (let i = 0; i < lines && end >= 0; i++) end = text.indexOf('\n', end + 1);
  return end < 0 ? text : text.slice(0, end + 1);
}

/** The connector, whose statements fail before reaching the engine once `signal` is aborted (clean-up still runs). */
function untilAborted(conn: Connector, signal: AbortSignal): Connector {
  const stopped = (): Promise<never> => Promise.reject(new DOMException('Warm-up stopped', 'AbortError'));
  return {
    ...conn,
    query: (sql) => (signal.aborted ? stopped() : conn.query(sql)),
    queryArrow: (sql) => (signal.aborted ? stopped() : conn.queryArrow(sql)),
    exec: (sql) => (signal.aborted && !/^DROP TABLE /i.test(sql) ? stopped() : conn.exec(sql)),
    cancel: async () => {},
  };
}

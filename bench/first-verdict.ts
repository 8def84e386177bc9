/**
 * `npm run bench:first-verdict`: from the click on "Try the demo" to the verdict
 * on screen, in headless Chromium on the production build, with its breakdown
 * from the app's `sz:*` performance marks and the DuckDB statements each phase
 * sent to the engine's worker.
 *
 * Scenarios:
 * - the click as soon as the button shows, and the click after the visitor has
 *   read the landing page for a few seconds (what starting the engine on page
 *   show hides), each in a fresh browser context with the service worker blocked
 *   (cold caches, as a first-time visitor);
 * - the click after the same pause with the warm-up's fetch of the demo refused:
 *   the engine is started but has run nothing, the best a click at once can
 *   find (its start hidden, every function still to compile);
 * - a second visit: one context visits once, audits the demo and lingers, so the
 *   service worker has precached the app and Chromium has written the engine's
 *   wasm code cache; then each run opens a new page in that context (the wasm
 *   comes from the service worker's cache), with the same read-the-page pause.
 *
 * Phases, in order: engine (start → ready, from page show; only its part after
 * the click counts), fetch (the demo CSV), before load (everything from the click
 * to the load's start: fetch, engine wait, opening the audit), load, profile,
 * roles (suggestions between the profile and readiness), readiness, after (saving,
 * the plan, rendering the readiness tab until the verdict shows).
 *
 * JIT: DuckDB-WASM's functions are compiled on first call (V8 "lazy"
 * compilation) and the hot ones optimised later; the table counts the lazy
 * compilations between the click and the verdict (Chromium trace), the part of
 * the first audit's cost that a warm engine or a code cache removes. Unlike
 * times, it does not depend on how loaded the machine is.
 *
 * First paint: the first contentful paint of each cold "click at once" run, and
 * the gzip size of the JavaScript the landing page loads before it paints (the
 * entry chunk and the chunks it imports statically).
 *
 * Flags: --runs N (default 3), --idle-ms N (default 5000), --statements (print
 * the slowest statements of the last run), --only at-once|after-wait|no-warm-up|second-visit
 * (one scenario), --json (print only `{ clickAtOnce, afterWait, afterWaitNoWarmUp, secondVisit,
 * firstPaint, loadAverage }` with medians in ms).
 */
import { readFileSync } from 'node:fs';
import { loadavg } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { CODE_CACHE_SETTLE_MS, ROOT, openBrowser, serviceWorkerPage, type BrowserHandle } from './browser';
import type { Browser, BrowserContext, Page } from '@playwright/test';

const argv = process.argv.slice(2);
const flag = (name: string, fallback: number): number => {
  const i = argv.indexOf(name);
  return i >= 0 ? Number(argv[i + 1]) : fallback;
};
const RUNS = flag('--runs', 3);
const IDLE_MS = flag('--idle-ms', 5000);
const SHOW_STATEMENTS = argv.includes('--statements');
const JSON_OUTPUT = argv.includes('--json');
const ONLY = argv.includes('--only') ? argv[argv.indexOf('--only') + 1] : undefined;
const DEMO = 'customer-churn.csv';

/** One statement as the DuckDB worker saw it: sent, last reply before the next statement, its SQL's start. */
interface Statement {
  start: number;
  end: number;
  sql: string;
}

const ENGINE_STEPS = ['instantiate', 'open', 'settings'] as const;
type EngineStep = (typeof ENGINE_STEPS)[number];

const PHASES = ['beforeLoad', 'load', 'profile', 'roles', 'readiness', 'after'] as const;
type Phase = (typeof PHASES)[number];

interface Run {
  total: number;
  /** Engine start → ready, from page show. */
  engine: number;
  /** Part of the engine start after the click. */
  engineAfterClick: number;
  /** The engine start's steps (`sz:engine:<step>`): the wasm's fetch and compile, DuckDB's open, the settings. */
  engineSteps: Record<EngineStep, number>;
  fetch: number;
  phases: Record<Phase, number>;
  statements: Record<Phase, number>;
  /** Sum of the phase's statements' own times (send → last reply). */
  engineBusy: Record<Phase, number>;
  slowest: Statement[];
  /** wasm functions compiled on first call between the click and the verdict, and the time spent on it. */
  /** The metric plan's own run (after the verdict shows). */
  plan: number;
  lazyCompiles: number;
  lazyCompileMs: number;
  /** First contentful paint of the page, from navigation start. */
  firstContentfulPaint: number;
}

/**
 * Installed in the page before any script: wraps `Worker` so every message to
 * and from DuckDB's worker is timed. `START_PENDING_QUERY` and `RUN_QUERY` carry
 * a statement; its end is the last reply before the next statement starts.
 */
function traceDuckDbWorker(): void {
  interface Trace {
    statements: { start: number; end: number; sql: string }[];
  }
  const trace: Trace = { statements: [] };
  (globalThis as unknown as { __szTrace: Trace }).__szTrace = trace;
  const Native = globalThis.Worker;
  globalThis.Worker = class extends Native {
    constructor(url: string | URL, options?: WorkerOptions) {
      super(url, options);
      if (!String(url).includes('duckdb') && options?.name !== 'duckdb') return;
      this.addEventListener('message', () => {
        const last = trace.statements.at(-1);
        if (last) last.end = performance.now();
      });
      const post = this.postMessage.bind(this) as (message: unknown, transfer?: Transferable[]) => void;
      this.postMessage = (message: unknown, transfer?: unknown): void => {
        const m = message as { type?: string; data?: unknown[] } | null;
        if (m && (m.type === 'START_PENDING_QUERY' || m.type === 'RUN_QUERY')) {
          const now = performance.now();
          trace.statements.push({ start: now, end: now, sql: String(m.data?.[1] ?? '') });
        }
        post(message, transfer as Transferable[]);
      };
    }
  };
}

const median = (xs: number[]): number => {
  const s = [...xs].filter((x) => !Number.isNaN(x)).sort((a, b) => a - b);
  if (s.length === 0) return NaN;
  const m = Math.floor(s.length / 2);
  return s.length % 2 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
};

async function once(
  browser: Browser,
  page: Page,
  base: string,
  idleMs: number,
  withoutWarmUp = false,
): Promise<Run> {
  // The warm-up fetches the demo file first: refusing that one request leaves the engine started but cold.
  let refuseNextDemoFetch = withoutWarmUp;
  if (withoutWarmUp)
    await page.route(`**/demo/${DEMO}`, (route) => {
      if (!refuseNextDemoFetch) return route.continue();
      refuseNextDemoFetch = false;
      return route.abort();
    });
  await page.goto(base);
  const button = page.getByRole('button', { name: 'Try the demo' });
  await button.waitFor();
  const firstContentfulPaint = await page.evaluate(
    () => performance.getEntriesByName('first-contentful-paint')[0]?.startTime ?? NaN,
  );
  if (idleMs > 0) await page.waitForTimeout(idleMs);
  if (refuseNextDemoFetch) throw new Error('The warm-up did not fetch the demo before the click.');
  await browser.startTracing(page, { categories: ['v8.wasm'] });
  await page.evaluate(() => performance.mark('bench:click'));
  await button.click();
  // The verdict lives on the readiness tab; open it as soon as the audit shows, as a user would.
  await page
    .getByRole('navigation', { name: 'Audit sections' })
    .getByRole('button', { name: 'Readiness & verdict', exact: true })
    .click({ timeout: 120_000 });
  // waitForFunction resolves on the first truthy value, so this is the frame the verdict appeared in.
  const shownAt = Number(
    await (
      await page.waitForFunction(
        () => (document.querySelector('[data-testid="verdict"]') !== null ? performance.now() : 0),
        undefined,
        { timeout: 120_000, polling: 'raf' },
      )
    ).jsonValue(),
  );
  const trace = JSON.parse((await browser.stopTracing()).toString()) as {
    traceEvents: { name: string; dur?: number }[];
  };
  const lazy = trace.traceEvents.filter((e) => e.name === 'wasm.CompileLazy');
  // The metric plan follows the analysis (a session rule): time it by its own mark once it lands.
  await page.waitForFunction((n) => performance.getEntriesByName(`sz:plan:${n}`).length > 0, DEMO, {
    timeout: 120_000,
  });
  const m = await page.evaluate(
    ({ n, engineSteps }) => {
      const entry = (name: string): { start: number; end: number } => {
        const e = performance.getEntriesByName(name)[0];
        return e ? { start: e.startTime, end: e.startTime + e.duration } : { start: NaN, end: NaN };
      };
      const csv = performance.getEntriesByType('resource').find((e) => e.name.endsWith(`/demo/${n}`)) as
        PerformanceResourceTiming | undefined;
      return {
        click: entry('bench:click').start,
        engine: entry('sz:engine'),
        steps: Object.fromEntries(engineSteps.map((step) => [step, entry(`sz:engine:${step}`)])),
        load: entry(`sz:load:${n}`),
        profile: entry(`sz:profile:${n}`),
        readiness: entry(`sz:readiness:${n}`),
        plan: entry(`sz:plan:${n}`),
        fetch: csv ? csv.responseEnd - csv.startTime : NaN,
        statements: (globalThis as unknown as { __szTrace: { statements: Statement[] } }).__szTrace
          .statements,
      };
    },
    { n: DEMO, engineSteps: ENGINE_STEPS },
  );
  const bounds: [Phase, number, number][] = [
    ['beforeLoad', m.click, m.load.start],
    ['load', m.load.start, m.load.end],
    ['profile', m.profile.start, m.profile.end],
    ['roles', m.profile.end, m.readiness.start],
    ['readiness', m.readiness.start, m.readiness.end],
    ['after', m.readiness.end, shownAt],
  ];
  const phases = {} as Record<Phase, number>;
  const statements = {} as Record<Phase, number>;
  const engineBusy = {} as Record<Phase, number>;
  for (const [phase, from, to] of bounds) {
    const inside = m.statements.filter((s) => s.start >= from && s.start < to);
    phases[phase] = to - from;
    statements[phase] = inside.length;
    engineBusy[phase] = inside.reduce((sum, s) => sum + (Math.min(s.end, to) - s.start), 0);
  }
  const afterClick = m.statements.filter((s) => s.start >= m.click && s.start < shownAt);
  return {
    total: shownAt - m.click,
    engine: m.engine.end - m.engine.start,
    engineAfterClick: Math.max(0, m.engine.end - Math.max(m.click, m.engine.start)),
    engineSteps: Object.fromEntries(
      ENGINE_STEPS.map((step) => [step, (m.steps[step]?.end ?? NaN) - (m.steps[step]?.start ?? NaN)]),
    ) as Record<EngineStep, number>,
    fetch: m.fetch,
    phases,
    statements,
    engineBusy,
    slowest: afterClick
      .map((s) => ({ ...s, start: s.start - m.click, end: s.end - m.click }))
      .sort((a, b) => b.end - b.start - (a.end - a.start))
      .slice(0, 15),
    plan: m.plan.end - m.plan.start,
    lazyCompiles: lazy.length,
    lazyCompileMs: lazy.reduce((sum, e) => sum + (e.dur ?? 0), 0) / 1000,
    firstContentfulPaint,
  };
}

async function freshContext(
  handle: BrowserHandle,
  serviceWorkers: 'block' | 'allow',
): Promise<BrowserContext> {
  const context = await handle.browser.newContext({ serviceWorkers });
  // tsx names inner functions through a `__name` helper the page does not have.
  await context.addInitScript({
    content: `globalThis.__name ??= (f) => f; (${traceDuckDbWorker.toString()})();`,
  });
  return context;
}

/**
 * A context whose service worker has precached the app and controls its pages.
 * Records, for every DuckDB or Parquet wasm and worker file requested after
 * that, whether the service worker answered it (not the network).
 */
async function visitedContext(
  handle: BrowserHandle,
): Promise<{ context: BrowserContext; engineFiles: Map<string, boolean> }> {
  const context = await freshContext(handle, 'allow');
  const page = await serviceWorkerPage(context, handle.base);
  // A returning visitor has audited before: run the demo once, so V8 has tiered up the
  // engine's hot functions, then stay long enough for Chromium to write the wasm code
  // cache (it waits for TurboFan output, then a timeout) before the page goes.
  await once(handle.browser, page, handle.base, 0);
  await page.waitForTimeout(CODE_CACHE_SETTLE_MS);
  await page.close();
  const engineFiles = new Map<string, boolean>();
  context.on('response', (response) => {
    const name = new URL(response.url()).pathname.split('/').pop() ?? '';
    if (/^(duckdb|parquet).*\.(wasm|js)$/.test(name))
      engineFiles.set(name, (engineFiles.get(name) ?? true) && response.fromServiceWorker());
  });
  return { context, engineFiles };
}

/**
 * Gzip size (-9, as `npm run bench` measures) of the JavaScript the landing page
 * needs before it can paint: the entry chunk named in dist/index.html and the
 * chunks it imports statically, transitively. Dynamic imports are left out.
 */
function entryGzipBytes(): { entry: string; bytes: number } {
  const dist = join(ROOT, 'dist');
  const html = readFileSync(join(dist, 'index.html'), 'utf8');
  const entry = /<script type="module"[^>]*src="\.\/(assets\/[^"]+\.js)"/.exec(html)?.[1];
  if (!entry) throw new Error('No entry script in dist/index.html');
  const seen = new Set<string>();
  const visit = (file: string): void => {
    if (seen.has(file)) return;
    seen.add(file);
    const code = readFileSync(join(dist, file), 'utf8');
    // Static imports only: `import … from "./x.js"` and `import "./x.js"`, never `import("./x.js")`.
    for (const match of code.matchAll(/(?:\bfrom\s*|\bimport\s*)["']\.\/([^"']+\.js)["']/g))
      visit(join('assets', match[1]!));
  };
  visit(entry);
  const bytes = [...seen].reduce(
    (sum, file) => sum + gzipSync(readFileSync(join(dist, file)), { level: 9 }).length,
    0,
  );
  return { entry, bytes };
}

const handle = await openBrowser(4339);
const fmt = (ms: number): string => (Number.isNaN(ms) ? '—' : `${(ms / 1000).toFixed(2)} s`);
type ScenarioKey = 'clickAtOnce' | 'afterWait' | 'afterWaitNoWarmUp' | 'secondVisit';
const scenarios: {
  key: ScenarioKey;
  flag: string;
  label: string;
  idle: number;
  visited: boolean;
  withoutWarmUp?: boolean;
}[] = [
  { key: 'clickAtOnce', flag: 'at-once', label: 'first visit, click at once', idle: 0, visited: false },
  {
    key: 'afterWait',
    flag: 'after-wait',
    label: `first visit, click after ${IDLE_MS / 1000} s`,
    idle: IDLE_MS,
    visited: false,
  },
  {
    // A click at once can at best find the engine started but cold: this is that floor.
    key: 'afterWaitNoWarmUp',
    flag: 'no-warm-up',
    label: `first visit, click after ${IDLE_MS / 1000} s, no warm-up`,
    idle: IDLE_MS,
    visited: false,
    withoutWarmUp: true,
  },
  {
    key: 'secondVisit',
    flag: 'second-visit',
    label: `second visit (SW cache), click after ${IDLE_MS / 1000} s`,
    idle: IDLE_MS,
    visited: true,
  },
];
const lines: string[] = [];
const stepLines: string[] = [];
const summary: Partial<Record<ScenarioKey, { medianMs: number; jitAfterClick: number; runsMs: number[] }>> =
  {};
const firstPaints: number[] = [];
let last: Run | undefined;
let served = '';
const loadBefore = loadavg()[0]!;
try {
  for (const scenario of scenarios.filter((s) => ONLY === undefined || s.flag === ONLY)) {
    const runs: Run[] = [];
    const visited = scenario.visited ? await visitedContext(handle) : undefined;
    try {
      for (let i = 0; i < RUNS; i++) {
        const context = visited?.context ?? (await freshContext(handle, 'block'));
        const page = await context.newPage();
        try {
          runs.push(await once(handle.browser, page, handle.base, scenario.idle, scenario.withoutWarmUp));
        } finally {
          await page.close();
          if (!visited) await context.close();
        }
      }
    } finally {
      await visited?.context.close();
    }
    if (visited)
      served = [...visited.engineFiles]
        .map(([name, fromSw]) => `${name}: ${fromSw ? 'service worker' : 'network'}`)
        .join(', ');
    last = runs.at(-1);
    const med = (f: (r: Run) => number): number => median(runs.map(f));
    if (scenario.key === 'clickAtOnce') firstPaints.push(...runs.map((r) => r.firstContentfulPaint));
    summary[scenario.key] = {
      medianMs: Math.round(med((r) => r.total)),
      jitAfterClick: med((r) => r.lazyCompiles),
      runsMs: runs.map((r) => Math.round(r.total)),
    };
    const cell = (p: Phase): string =>
      `${fmt(med((r) => r.phases[p]))} (${med((r) => r.statements[p])}; ${fmt(med((r) => r.engineBusy[p]))})`;
    lines.push(
      `| ${scenario.label} | **${fmt(med((r) => r.total))}** | ${fmt(med((r) => r.engine))} / ${fmt(med((r) => r.engineAfterClick))} | ${fmt(med((r) => r.fetch))} | ${PHASES.map(cell).join(' | ')} | ${fmt(med((r) => r.plan))} | ${med((r) => r.lazyCompiles)} (${fmt(med((r) => r.lazyCompileMs))}) |`,
    );
    const steps = ENGINE_STEPS.map((step) => med((r) => r.engineSteps[step]));
    stepLines.push(
      `| ${scenario.label} | ${fmt(med((r) => r.engine) - steps.reduce((a, b) => a + b, 0))} | ${steps.map(fmt).join(' | ')} |`,
    );
    console.error(`${scenario.label}: ${runs.map((r) => fmt(r.total)).join(', ')}`);
  }
} finally {
  await handle.close();
}

const entrySize = entryGzipBytes();
const loadAfter = loadavg()[0]!;
if (JSON_OUTPUT) {
  const ratio =
    summary.clickAtOnce && summary.afterWait
      ? summary.clickAtOnce.medianMs / summary.afterWait.medianMs
      : NaN;
  console.log(
    JSON.stringify(
      {
        ...summary,
        clickAtOnceOverAfterWait: Number.isNaN(ratio) ? null : Number(ratio.toFixed(2)),
        firstPaint: {
          medianMs: firstPaints.length > 0 ? Math.round(median(firstPaints)) : null,
          entryGzipKB: Math.round(entrySize.bytes / 1024),
        },
        loadAverage: { before: Number(loadBefore.toFixed(2)), after: Number(loadAfter.toFixed(2)) },
      },
      null,
      2,
    ),
  );
  process.exit(0);
}

console.log(
  `\n### Demo: click on "Try the demo" → verdict on screen (median of ${RUNS}, headless Chromium)\n`,
);
console.log(
  'Phase cells: wall time (DuckDB statements sent; time the engine spent on them). ' +
    'Engine: start → ready from page show / the part of it after the click. ' +
    'JIT: wasm functions compiled on first call after the click (their compile time). ' +
    `Machine load average: ${loadBefore.toFixed(1)} before, ${loadAfter.toFixed(1)} after.\n`,
);
console.log(
  '| scenario | total | engine | fetch CSV | before load | load | profile | roles | readiness | after (save, plan, render) | plan (its own mark) | JIT |',
);
console.log('|---|---|---|---|---|---|---|---|---|---|---|---|');
for (const line of lines) console.log(line);
console.log(
  "\nThe engine start by step (median): before the wasm is fetched (the connector chunk, the bundle choice, the worker script), instantiate (fetch and compile the wasm), open (DuckDB's start and the connection), settings.\n",
);
console.log('| scenario | before | instantiate | open | settings |');
console.log('|---|---|---|---|---|');
for (const line of stepLines) console.log(line);
if (served) console.log(`\nSecond visit, engine files: ${served}.`);
if (firstPaints.length > 0)
  console.log(
    `\nFirst contentful paint (cold, median): ${median(firstPaints).toFixed(0)} ms; ` +
      `landing JavaScript (${entrySize.entry} and its static imports), gzip -9: ${(entrySize.bytes / 1024).toFixed(0)} KB.`,
  );
if (SHOW_STATEMENTS && last) {
  console.log('\nSlowest statements of the last run (ms after the click, duration, SQL start):\n');
  for (const s of last.slowest)
    console.log(
      `${s.start.toFixed(0).padStart(6)} ${(s.end - s.start).toFixed(0).padStart(5)} ms  ${s.sql.replace(/\s+/g, ' ').slice(0, 140)}`,
    );
}

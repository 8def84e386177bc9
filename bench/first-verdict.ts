/**
 * `npm run bench:first-verdict`: from the click on "Try the demo" to the verdict
 * on screen, in headless Chromium on the production build, with its breakdown
 * from the app's `sz:*` performance marks. Each run uses a fresh browser context
 * (cold caches, no service worker), as a first-time visitor would.
 *
 * Two scenarios: the click as soon as the button shows, and the click after the
 * visitor has read the landing page for a few seconds (what starting the engine
 * on page show could hide).
 *
 * Flags: --runs N (default 3), --idle-ms N (default 5000).
 */
import { openBrowser, phaseTimes } from './browser';

const argv = process.argv.slice(2);
const flag = (name: string, fallback: number): number => {
  const i = argv.indexOf(name);
  return i >= 0 ? Number(argv[i + 1]) : fallback;
};
const RUNS = flag('--runs', 3);
const IDLE_MS = flag('--idle-ms', 5000);
const DEMO = 'customer-churn.csv';

interface Breakdown {
  total: number;
  beforeLoad: number;
  load: number;
  profile: number;
  readiness: number;
  render: number;
}

const median = (xs: number[]): number => {
  const s = [...xs].sort((a, b) => a - b);
  const m = Math.floor(s.length / 2);
  return s.length % 2 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
};

async function once(handle: Awaited<ReturnType<typeof openBrowser>>, idleMs: number): Promise<Breakdown> {
  const context = await handle.browser.newContext({ serviceWorkers: 'block' });
  try {
    const page = await context.newPage();
    await page.goto(handle.base);
    const button = page.getByRole('button', { name: 'Try the demo' });
    await button.waitFor();
    if (idleMs > 0) await page.waitForTimeout(idleMs);
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
    const click = await page.evaluate(() => performance.getEntriesByName('bench:click')[0]!.startTime);
    const t = await phaseTimes(page, DEMO, ['load', 'profile', 'readiness']);
    const starts = await page.evaluate(
      (n) => ({
        load: performance.getEntriesByName(`sz:load:${n}`)[0]?.startTime ?? NaN,
        readinessEnd:
          (performance.getEntriesByName(`sz:readiness:${n}`)[0]?.startTime ?? NaN) +
          (performance.getEntriesByName(`sz:readiness:${n}`)[0]?.duration ?? NaN),
      }),
      DEMO,
    );
    return {
      total: shownAt - click,
      beforeLoad: starts.load - click,
      load: t.load!,
      profile: t.profile!,
      readiness: t.readiness!,
      render: shownAt - starts.readinessEnd,
    };
  } finally {
    await context.close();
  }
}

const handle = await openBrowser(4339);
try {
  const fmt = (ms: number): string => (Number.isNaN(ms) ? '—' : `${(ms / 1000).toFixed(2)} s`);
  console.log(
    `\n### Demo: click on "Try the demo" → verdict on screen (median of ${RUNS}, headless Chromium)\n`,
  );
  console.log(
    '| scenario | total | before load (fetch, engine start) | load | profile | readiness | gaps & render |',
  );
  console.log('|---|---|---|---|---|---|---|');
  for (const [label, idle] of [
    ['click at once', 0],
    [`click after ${IDLE_MS / 1000} s on the landing page`, IDLE_MS],
  ] as const) {
    const runs: Breakdown[] = [];
    for (let i = 0; i < RUNS; i++) runs.push(await once(handle, idle));
    const m = (k: keyof Breakdown): string => fmt(median(runs.map((r) => r[k])));
    const gaps = median(runs.map((r) => r.total - r.beforeLoad - r.load - r.profile - r.readiness));
    console.log(
      `| ${label} | ${m('total')} | ${m('beforeLoad')} | ${m('load')} | ${m('profile')} | ${m('readiness')} | ${fmt(gaps)} |`,
    );
  }
} finally {
  await handle.close();
}

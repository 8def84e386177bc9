/**
 * `npm run bench:largest -- [rows] [--cancel] [--mixed columns]`: the whole audit of a large
 * table in headless Chromium, through the real UI. By default the planted churn extract with two
 * extra columns (20 in all) at 10,000,000 rows: drop the CSV, let the app load, profile and audit
 * with the roles it suggests, set any role it did not suggest in the role editor (which re-runs the
 * checks that depend on it), and report each phase, the peak memory of the browser's processes,
 * the progress messages seen, the sampling notes on screen and the findings of the planted
 * defects. `--cancel` then changes the target and cancels the re-run, timing how long the cancel
 * takes. `--mixed N` loads and profiles the seeded mixed-type table of N columns instead.
 */
import { existsSync, mkdirSync, statSync } from 'node:fs';
import { loadavg } from 'node:os';
import { join } from 'node:path';
import type { Page } from '@playwright/test';
import { createNativeConnector } from '../src/lib/engine/native-connector';
import { churnDatasetSql } from '../scripts/lib/synthetic-sql';
import { mixedTableSql } from './mixed-table';
import { str } from '../src/lib/core/sql/quote';
import { ROOT, openBrowser, phaseTimes, processTreeMemory, waitForPhase } from './browser';

const argv = process.argv.slice(2);
const flag = (name: string): number => argv.indexOf(name);
const rows = Number(argv.find((a) => /^\d+$/.test(a)) ?? 10_000_000);
const mixedColumns = flag('--mixed') >= 0 ? Number(argv[flag('--mixed') + 1]) : undefined;
const PORT = 4369;
const HOUR = 3_600_000;

/** Every role of the churn story, as the role editor's selects name them. */
const ROLES: [testId: string, column: string][] = [
  ['role-target', 'churned'],
  ['role-id', 'customer_id'],
  ['role-event-time', 'snapshot_date'],
  ['role-outcome-time', 'churn_date'],
  ['role-source', 'source_system'],
];

async function generate(): Promise<string> {
  mkdirSync(join(ROOT, 'bench/out'), { recursive: true });
  const path = join(
    ROOT,
    mixedColumns ? `bench/out/mixed-${rows}-${mixedColumns}.csv` : `bench/out/churn20-${rows}.csv`,
  );
  if (existsSync(path)) return path;
  const native = await createNativeConnector();
  try {
    const t = performance.now();
    const sql = mixedColumns
      ? mixedTableSql(rows, mixedColumns)
      : // Two more features than the demo's 18 columns: a usage score and an NPS bucket, pure noise.
        `SELECT *, round((hash(customer_id, 11) % 10000) / 100.0, 2) AS usage_score, CAST(hash(customer_id, 13) % 11 AS INTEGER) AS nps FROM (${churnDatasetSql({ rows }).sql})`;
    await native.exec(`COPY (${sql}) TO ${str(path)} (HEADER${mixedColumns ? '' : ', FORCE_QUOTE *'})`);
    console.log(`generated ${path} in ${((performance.now() - t) / 1000).toFixed(1)} s`);
  } finally {
    await native.close();
  }
  return path;
}

/** Peak memory in GiB, and per row of the table. */
const peak = (bytes: number): string =>
  `${(bytes / 2 ** 30).toFixed(2)} GiB, ${Math.round(bytes / rows).toLocaleString('en-US')} B/row`;

/** The machine's load average, which moves every wall time on a shared box. */
const load = (): string =>
  `load average ${loadavg()
    .map((l) => l.toFixed(1))
    .join(' / ')}`;

const seconds = (ms: number | undefined): string =>
  ms === undefined || Number.isNaN(ms) ? '—' : `${(ms / 1000).toFixed(1)} s`;

function progressPanel(page: Page) {
  return page.getByRole('status').filter({ has: page.getByRole('progressbar') });
}

/** Collect the progress messages shown, every half second, until stopped. */
function watchProgress(page: Page): { messages: Set<string>; stop: () => Promise<void> } {
  const messages = new Set<string>();
  let running = true;
  const loop = (async () => {
    while (running) {
      const texts = await progressPanel(page)
        .allTextContents()
        .catch(() => []);
      for (const text of texts)
        messages.add(
          text
            .replace(/\s+/g, ' ')
            .replace(/\d[\d,.]*/g, '#')
            .trim(),
        );
      await new Promise((r) => setTimeout(r, 500));
    }
  })();
  return {
    messages,
    stop: async () => {
      running = false;
      await loop;
    },
  };
}

/** Wait until no load or analysis runs. */
async function idle(page: Page): Promise<void> {
  await progressPanel(page).first().waitFor({ state: 'detached', timeout: HOUR });
}

async function main(): Promise<void> {
  const path = await generate();
  const name = path.split('/').pop()!;
  const columns = mixedColumns ?? 20;
  console.log(
    `${rows.toLocaleString('en-US')} rows × ${columns} columns, ${(statSync(path).size / 1e6).toFixed(0)} MB CSV`,
  );
  console.log(`at start: ${load()}`);
  const handle = await openBrowser(PORT);
  const memory = processTreeMemory();
  const sampling = memory.start(250);
  try {
    const context = await handle.browser.newContext({ serviceWorkers: 'block' });
    const page = await context.newPage();
    let crashed = false;
    page.on('crash', () => (crashed = true));
    await page.goto(handle.base);
    const watcher = watchProgress(page);
    const started = performance.now();
    await page.getByTestId('file-input').setInputFiles(path);
    await waitForPhase(page, name, 'load', HOUR);
    // The browser's memory once the table is loaded: the table itself, plus what loading left resident.
    const afterLoad = memory.now();
    console.log(`memory once loaded: ${peak(afterLoad)}; ${load()}`);
    const parts = await page.evaluate(
      (n) => performance.getEntriesByName(`sz:load-part:${n}`).map((e) => e.duration),
      name,
    );
    console.log(
      parts.length
        ? `CSV loaded in ${parts.length} committed parts (each read, inserted and checkpointed): ${seconds(Math.min(...parts))}–${seconds(Math.max(...parts))} each`
        : 'CSV loaded in one read',
    );
    const loaded = await phaseTimes(page, name, ['load', 'checkpoint']);
    console.log(
      `load ${seconds(loaded.load)} (checkpoint ${seconds(loaded.checkpoint)}), ${seconds(performance.now() - started)} after the drop`,
    );
    try {
      await waitForPhase(page, name, mixedColumns ? 'profile' : 'readiness', HOUR);
    } catch (error) {
      // What was reached before the app gave up, so a failed size still leaves its figures.
      const reached = await phaseTimes(page, name, ['profile', 'readiness']);
      console.log(
        `failed ${seconds(performance.now() - started)} after the drop (profile ${seconds(reached.profile)}, readiness ${seconds(reached.readiness)}); peak memory ${peak(sampling.stop())}; ${load()}`,
      );
      throw error;
    }
    await idle(page);
    const phases = await phaseTimes(page, name, ['load', 'checkpoint', 'profile', 'readiness']);
    if (mixedColumns) {
      console.log(
        `load ${seconds(phases.load)} (checkpoint ${seconds(phases.checkpoint)}), profile ${seconds(phases.profile)}; peak memory ${peak(sampling.stop())}; crashed: ${crashed}`,
      );
      return;
    }

    const tabs = page.getByRole('navigation', { name: 'Audit sections' });
    await tabs.getByRole('button', { name: 'Readiness & verdict', exact: true }).click();
    const suggested: string[] = [];
    const set: string[] = [];
    let rerun = 0;
    for (const [testId, column] of ROLES) {
      const select = page.getByTestId(testId);
      if ((await select.inputValue()) === column) {
        suggested.push(column);
        continue;
      }
      const t = performance.now();
      await select.selectOption(column);
      await page.waitForTimeout(500);
      await idle(page);
      rerun += performance.now() - t;
      set.push(column);
    }
    const wall = performance.now() - started;
    await watcher.stop();
    const messages = watcher.messages;
    const verdict = (await page.getByTestId('verdict').textContent())?.replace(/\s+/g, ' ').trim();
    const checks = await page
      .locator('[data-testid="finding"]')
      .evaluateAll((els) => [...new Set(els.map((e) => e.getAttribute('data-check')))]);
    // The profile says on screen when heavy statistics ran on a sample.
    await tabs.getByRole('button', { name, exact: true }).click();
    const sampledNotes = await page
      .getByTestId('sample-notice')
      .allTextContents()
      .then((texts) => texts.map((t) => t.replace(/\s+/g, ' ').trim()));
    await tabs.getByRole('button', { name: 'Readiness & verdict', exact: true }).click();

    console.log(`\n### Full audit in headless Chromium: ${name}\n`);
    console.log(
      '| load (of it, checkpoint) | profile | readiness (suggested roles) | re-run after setting the rest | click to last finding | peak memory (PSS) |',
    );
    console.log('|---|---|---|---|---|---|');
    console.log(
      `| ${seconds(phases.load)} (${seconds(phases.checkpoint)}) | ${seconds(phases.profile)} | ${seconds(phases.readiness)} | ${seconds(rerun)} | ${seconds(wall)} | ${peak(sampling.stop())} |`,
    );
    console.log(
      `\nroles suggested by the app: ${suggested.join(', ') || 'none'}; set in the editor: ${set.join(', ') || 'none'}`,
    );
    console.log(`verdict: ${verdict}`);
    console.log(`checks with findings (${checks.length}): ${checks.join(', ')}`);
    console.log(`progress messages seen (${messages.size}):\n  ${[...messages].slice(0, 20).join('\n  ')}`);
    console.log(
      `sampling notes on screen: ${sampledNotes.length ? [...new Set(sampledNotes)].slice(0, 5).join(' | ') : 'none'}`,
    );
    console.log(`page crashed: ${crashed}`);
    console.log(`at the end: ${load()}`);

    if (flag('--cancel') >= 0) {
      const progress = progressPanel(page);
      // Follow-up tasks (the metric plan) keep the role editor disabled until they finish.
      await page.waitForFunction(
        () => !(document.querySelector('[data-testid="role-target"]') as HTMLSelectElement | null)?.disabled,
        undefined,
        { timeout: HOUR, polling: 1000 },
      );
      await page.getByTestId('role-target').selectOption('', { timeout: HOUR });
      await idle(page);
      await page.waitForFunction(
        () => !(document.querySelector('[data-testid="role-target"]') as HTMLSelectElement | null)?.disabled,
        undefined,
        { timeout: HOUR, polling: 1000 },
      );
      await page.getByTestId('role-target').selectOption('churned', { timeout: HOUR });
      await progress.getByRole('button', { name: 'Cancel' }).click({ timeout: 60_000 });
      const t = performance.now();
      await progress.waitFor({ state: 'detached', timeout: 600_000 });
      console.log(
        `cancel during the re-run: the progress closed ${seconds(performance.now() - t)} after the click`,
      );
    }
    await context.close();
  } finally {
    sampling.stop();
    await handle.close();
  }
}

await main();

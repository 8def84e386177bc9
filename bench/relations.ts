/**
 * The relation checks (issue 22) at 1,000,000 child × 100,000 parent rows: the
 * planted subscriptions → customers extracts (`tests/fixtures/relations/planted.ts`,
 * `PLANTED_LARGE`), loaded and profiled as the app does, then `relationsAnalysis`
 * through a `QueryRunner` on each engine: native DuckDB (1 thread and all
 * threads), DuckDB-WASM in Node and, unless `--no-browser`, the built app in
 * headless Chromium (its `sz:relations:all` and `sz:profile:<file>` marks).
 * Target: the checks cost ≤ 1.0× the profile of the child table. Each run's
 * counts are held to the generator's expected counts, a sanity check that the
 * step did its work. Figures are printed; nothing passes or fails.
 *
 *   npx tsx bench/relations.ts [--customers N] [--no-wasm] [--no-browser]
 */
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { createNativeConnector } from '../src/lib/engine/native-connector';
import { createNodeConnector } from '../src/lib/engine/node-connector';
import type { Connector } from '../src/lib/engine/connector';
import { nodeDecoders } from '../src/lib/engine/node-decoders';
import { fileSource } from '../src/lib/engine/node-source';
import { loadDataset } from '../src/lib/engine/load-dataset';
import { profileDataset } from '../src/lib/session/profile';
import { QueryRunner } from '../src/lib/session/query-runner';
import { relationsAnalysis, relationsOutcome, type RelationTable } from '../src/lib/core/relations/analysis';
import type { RelationLink, RelationResult } from '../src/lib/core/model/relations';
import {
  PLANTED_FILES,
  PLANTED_KEY,
  PLANTED_LARGE,
  PLANTED_PARENT_TIME,
  PLANTED_TARGET,
  plantedRelations,
  type PlantedExpectation,
} from '../tests/fixtures/relations/planted';
import { ROOT, openBrowser, waitForPhase, withFileLock } from './browser';
import { browserCpuTimeline } from './cpu';

const OUT = join(ROOT, 'bench/out');
const PORT = 4331;
const log = (line: string): void => void process.stderr.write(`${line}\n`);
const fmt = (ms: number | undefined): string =>
  ms === undefined || Number.isNaN(ms) ? '—' : `${(ms / 1000).toFixed(2)} s`;
const ratio = (a: number | undefined, b: number | undefined): string =>
  a === undefined || b === undefined || !b || Number.isNaN(a) || Number.isNaN(b)
    ? '—'
    : `${(a / b).toFixed(2)}×`;

export interface RelationsTiming {
  /** Profile of the child table (the ratio's denominator) and of the parent. */
  childProfile: number;
  parentProfile: number;
  /** The accepted relation's checks alone (no discovery), the faster of two runs. */
  checks?: number;
  /** Discovery and the checks: what the session runs after an edit. */
  withDiscovery?: number;
  /** CPU milliseconds of the same run (see `cpu.ts`). */
  withDiscoveryCpu?: number;
  /** Rows of the child table. */
  childRows?: number;
  /** `all expected counts found` or what differs. */
  sanity?: string;
}

/** The planted extracts as CSV in bench/out, generated once. */
export function plantedFiles(customers: number): {
  customers: string;
  subscriptions: string;
  expected: PlantedExpectation;
} {
  mkdirSync(OUT, { recursive: true });
  const dir = join(OUT, `relations-${customers}`);
  const paths = {
    customers: join(dir, PLANTED_FILES.customers),
    subscriptions: join(dir, PLANTED_FILES.subscriptions),
  };
  const expectedPath = join(dir, 'expected.json');
  // Seeded: the same options always give the same files, so they are kept.
  if (existsSync(paths.customers) && existsSync(paths.subscriptions) && existsSync(expectedPath))
    return { ...paths, expected: JSON.parse(readFileSync(expectedPath, 'utf8')) as PlantedExpectation };
  const t = performance.now();
  const planted = plantedRelations({ ...PLANTED_LARGE, customers });
  mkdirSync(dir, { recursive: true });
  writeFileSync(paths.customers, planted.customers);
  writeFileSync(paths.subscriptions, planted.subscriptions);
  writeFileSync(expectedPath, `${JSON.stringify(planted.expected.subscriptions, null, 2)}\n`);
  const e = planted.expected.subscriptions;
  log(
    `planted ${e.childRows.toLocaleString('en-US')} subscriptions × ${e.parentRows.toLocaleString('en-US')} customers in ${fmt(performance.now() - t)}`,
  );
  return { ...paths, expected: e };
}

/** Differences between a measured relation and the generator's counts; empty when they agree. */
function differences(result: RelationResult | undefined, expected: PlantedExpectation): string[] {
  if (!result) return ['no result'];
  const near = (a: number | null, b: number | null): boolean =>
    a === b || (a !== null && b !== null && Math.abs(a - b) < 1e-9);
  const pairs: [string, number | null, number | null][] = [
    ['orphanKeys', result.orphanKeys, expected.orphanKeys],
    ['orphanRows', result.orphanRows, expected.orphanRows],
    ['nullKeys', result.nullKeys, expected.nullKeys],
    ['duplicateParentKeys', result.duplicateParentKeys, expected.duplicateParentKeys],
    ['childlessParents', result.childlessParents, expected.childlessParents],
    ['fanout.mean', result.fanout.mean, expected.fanout.mean],
    ['fanout.p95', result.fanout.p95, expected.fanout.p95],
    ['fanout.max', result.fanout.max, expected.fanout.max],
    ['rowsAfterJoin', result.rowsAfterJoin, expected.rowsAfterJoin],
    ['rowsAfterParentTime', result.rowsAfterParentTime, expected.rowsAfterParentTime],
  ];
  return pairs.filter(([, a, b]) => !near(a, b)).map(([name, a, b]) => `${name} ${a} ≠ ${b}`);
}

const LINK: RelationLink = {
  child: { dataset: 'subscriptions', column: PLANTED_KEY },
  parent: { dataset: 'customers', column: PLANTED_KEY },
};

async function timeOn(
  make: () => Promise<Connector>,
  files: ReturnType<typeof plantedFiles>,
): Promise<RelationsTiming | undefined> {
  const conn = await make();
  try {
    const tables: RelationTable[] = [];
    let childProfile = NaN;
    let parentProfile = NaN;
    for (const id of ['customers', 'subscriptions'] as const) {
      const loaded = await loadDataset(conn, nodeDecoders, await fileSource(files[id]));
      const t = performance.now();
      const profile = await profileDataset(conn, loaded.tableName, id);
      if (id === 'subscriptions') childProfile = performance.now() - t;
      else parentProfile = performance.now() - t;
      tables.push({
        datasetId: id,
        label: loaded.fileName,
        tableName: loaded.tableName,
        columns: loaded.columns.map((c) => ({ name: c.name, type: c.type })),
        profile,
        rows: loaded.rowCount,
        roles:
          id === 'customers'
            ? {
                target: PLANTED_TARGET,
                id: PLANTED_KEY,
                eventTime: PLANTED_PARENT_TIME,
                segments: [],
                excluded: [],
              }
            : { segments: [], excluded: [] },
      });
    }
    const run = async (discover: boolean): Promise<{ ms: number; cpu: number; result?: RelationResult }> => {
      const input = { tables, labelDataset: 'customers', accepted: [LINK], dismissed: [], discover };
      const t = performance.now();
      const cpu = process.cpuUsage();
      const state = await new QueryRunner(conn).run(relationsAnalysis(input), {});
      const used = process.cpuUsage(cpu);
      return {
        ms: performance.now() - t,
        cpu: (used.user + used.system) / 1000,
        result: relationsOutcome(state).results[0],
      };
    };
    // The session runs relations on a warm engine (after the profile and the readiness
    // checks); the faster of two runs leaves out a first call's one-off costs.
    const first = await run(false);
    const second = await run(false);
    const checks = second.ms < first.ms ? second : first;
    const withDiscovery = await run(true);
    const missed = differences(checks.result, files.expected);
    return {
      childProfile,
      parentProfile,
      checks: checks.ms,
      withDiscovery: withDiscovery.ms,
      withDiscoveryCpu: withDiscovery.cpu,
      childRows: files.expected.childRows,
      sanity: missed.length ? `DIFFERS: ${missed.join('; ')}` : 'all expected counts found',
    };
  } catch (error) {
    log(`  failed: ${String(error).slice(0, 300)}`);
    return undefined;
  } finally {
    await conn.close();
  }
}

/**
 * The app: both files dropped, profiled, then relations discovered (the
 * session's `sz:relations:all` mark). Accepting the suggestions goes through
 * the Relations tab; when its button is found the run that follows (discovery
 * and the checks) is timed too.
 */
async function browserRelations(
  files: ReturnType<typeof plantedFiles>,
): Promise<RelationsTiming | undefined> {
  const handle = await openBrowser(PORT);
  const cpu = browserCpuTimeline();
  try {
    const context = await handle.browser.newContext({ serviceWorkers: 'block' });
    const page = await context.newPage();
    await page.goto(handle.base);
    await page.getByTestId('file-input').setInputFiles([files.customers, files.subscriptions]);
    await waitForPhase(page, 'all', 'relations', 600_000);
    const runs = (): Promise<number[]> =>
      page.evaluate(() => performance.getEntriesByName('sz:relations:all').map((m) => m.duration));
    const profileOf = (name: string): Promise<number> =>
      page.evaluate((n) => performance.getEntriesByName(`sz:profile:${n}`)[0]?.duration ?? NaN, name);
    const first = await runs();
    let withDiscovery: number | undefined;
    let withDiscoveryCpu: number | undefined;
    await page.getByRole('button', { name: 'Relations', exact: true }).click();
    const accept = page.getByRole('button', { name: /^Accept\b/ }).first();
    const shown = await accept
      .waitFor({ state: 'visible', timeout: 10_000 })
      .then(() => true)
      .catch(() => false);
    if (shown) {
      await accept.click();
      await page.waitForFunction(
        (n) => performance.getEntriesByName('sz:relations:all').length > n,
        first.length,
        { timeout: 600_000, polling: 250 },
      );
      cpu.stop();
      const span = await page.evaluate(() => {
        const m = performance.getEntriesByName('sz:relations:all').at(-1)!;
        return { start: performance.timeOrigin + m.startTime, duration: m.duration };
      });
      withDiscovery = span.duration;
      withDiscoveryCpu = cpu.timeline.between(span.start, span.start + span.duration);
    } else log('  browser: no Accept button found; only discovery timed');
    const timing: RelationsTiming = {
      childProfile: await profileOf(PLANTED_FILES.subscriptions),
      parentProfile: await profileOf(PLANTED_FILES.customers),
      ...(withDiscovery !== undefined ? { withDiscovery } : {}),
      ...(withDiscoveryCpu !== undefined ? { withDiscoveryCpu } : {}),
      childRows: files.expected.childRows,
      sanity: `discovery alone ${fmt(first[0])}`,
    };
    await context.close();
    return timing;
  } catch (error) {
    log(`  browser failed: ${String(error).slice(0, 300)}`);
    return undefined;
  } finally {
    cpu.stop();
    await handle.close();
  }
}

/** Time every engine and print the table; `npm run bench` calls it after the full audit. */
export async function relationsSection(
  options: {
    customers?: number;
    wasm?: boolean;
    browser?: boolean;
    allThreads?: boolean;
    /** A lock file to hold while Chromium runs (see `withFileLock`). */
    browserLock?: string;
  } = {},
): Promise<Record<string, RelationsTiming>> {
  const files = plantedFiles(options.customers ?? PLANTED_LARGE.customers);
  const engines: [string, () => Promise<Connector>][] = [
    ['native-1t', () => createNativeConnector({ threads: 1 })],
  ];
  if (options.allThreads !== false) engines.push(['native-all', () => createNativeConnector()]);
  if (options.wasm !== false) engines.push(['wasm-node', createNodeConnector]);
  const runs: Record<string, RelationsTiming> = {};
  for (const [engine, make] of engines) {
    log(`  relations on ${engine}…`);
    const t = await timeOn(make, files);
    if (t) runs[engine] = t;
  }
  if (options.browser !== false) {
    log('  relations in the browser…');
    const t = await withFileLock(options.browserLock, () => browserRelations(files));
    if (t) runs.browser = t;
  }
  const e = files.expected;
  console.log(
    `\n### Relation checks (issue 22): ${e.childRows.toLocaleString('en-US')} subscriptions → ${e.parentRows.toLocaleString('en-US')} customers\n`,
  );
  console.log(
    '| engine | checks | discovery + checks | its CPU | child profile | checks / child profile (target ≤ 1.0×) | discovery + checks / child profile | checks / native 1 thread | counts |',
  );
  console.log('|---|---|---|---|---|---|---|---|---|');
  const n1 = runs['native-1t'];
  for (const [engine, r] of Object.entries(runs))
    console.log(
      `| ${engine} | ${fmt(r.checks)} | ${fmt(r.withDiscovery)} | ${fmt(r.withDiscoveryCpu)} | ${fmt(r.childProfile)} | ${ratio(r.checks, r.childProfile)} | ${ratio(r.withDiscovery, r.childProfile)} | ${engine === 'native-1t' ? '1.00×' : ratio(r.checks ?? r.withDiscovery, engine === 'browser' ? n1?.withDiscovery : n1?.checks)} | ${r.sanity ?? '—'} |`,
    );
  return runs;
}

const argv = process.argv.slice(2);
if (process.argv[1]?.endsWith('relations.ts')) {
  const at = argv.indexOf('--customers');
  await relationsSection({
    ...(at >= 0 ? { customers: Number(argv[at + 1]) } : {}),
    wasm: !argv.includes('--no-wasm'),
    browser: !argv.includes('--no-browser'),
  });
}

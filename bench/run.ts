/**
 * `npm run bench`: the full audit (load, profile, readiness with every role set,
 * the feasibility baselines of issue 21, the metric plan and drift)
 * on the planted churn extract, on every engine in the same run:
 *   - headless Chromium running the production build (the app);
 *   - DuckDB-WASM in Node (the CLI's default engine);
 *   - native DuckDB with 1 thread and with all threads, running the same SQL.
 * It prints the phase table, ratios, the slowest ten readiness checks per
 * engine, and the feasibility step against the profile and native DuckDB with
 * its slowest stages and statements (see `feasibility.ts`); the relation checks at 1M
 * child × 100k parent rows against the child's profile (see `relations.ts`). Then load + profile on the flights and mixed datasets, with pandas
 * when python3-pandas is present. Figures are printed; nothing here passes or fails.
 *
 * Flags:
 *   --rows N        rows of the planted churn extract (default 1,000,000)
 *   --big           10,000,000 rows, and the 10M × 20 mixed table
 *   --quick         100,000 rows, flights-3m.parquet only
 *   --audit-only    skip the load + profile datasets
 *   --no-browser    skip headless Chromium
 *   --no-wasm       skip DuckDB-WASM in Node
 */
import { existsSync, mkdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import { cpus } from 'node:os';
import { join } from 'node:path';
import { createNativeConnector } from '../src/lib/engine/native-connector';
import { createNodeConnector } from '../src/lib/engine/node-connector';
import type { Connector } from '../src/lib/engine/connector';
import { nodeDecoders } from '../src/lib/engine/node-decoders';
import { fileSource } from '../src/lib/engine/node-source';
import { loadDataset } from '../src/lib/engine/load-dataset';
import { profileDataset } from '../src/lib/session/profile';
import { str } from '../src/lib/core/sql/quote';
import { formatDate } from '../src/lib/core/format';
import type { PlantedDefects } from '../scripts/lib/synthetic';
import { plantedAuditInput } from '../tests/fixtures/planted-defects';
import { churnDatasetSql, describeChurnTable } from '../scripts/lib/synthetic-sql';
import { mixedTableSql } from './mixed-table';
import { timeFullAudit, type AuditTiming } from './full-audit';
import { ROOT, openBrowser, phaseTimes, waitForPhase } from './browser';
import { browserFeasibility, printFeasibility, type FeasibilityTiming } from './feasibility';
import { relationsSection } from './relations';

const OUT = join(ROOT, 'bench/out');
const argv = process.argv.slice(2);
const args = new Set(argv);
const rowsFlag = argv.indexOf('--rows');
const AUDIT_ROWS = args.has('--quick')
  ? 100_000
  : rowsFlag >= 0
    ? Number(argv[rowsFlag + 1])
    : args.has('--big')
      ? 10_000_000
      : 1_000_000;
const PORT = 4329;

type EngineName = 'browser' | 'wasm-node' | 'native-1t' | 'native-all' | 'pandas';
interface Timing {
  load: number;
  profile: number;
  readiness?: number;
  feasibility?: number;
  feasibilityDetail?: FeasibilityTiming;
  plan?: number;
  drift?: number;
}

/** Every timed phase; feasibility, plan and drift count when the engine ran them. */
const total = (t?: Timing): number | undefined =>
  t
    ? t.load + t.profile + (t.readiness ?? NaN) + (t.feasibility ?? 0) + (t.plan ?? 0) + (t.drift ?? 0)
    : undefined;
/** Totals of two runs over the phases both ran (the browser times no plan or drift). */
function sharedTotals(a: Timing, b: Timing | undefined): [number | undefined, number | undefined] {
  if (!b) return [undefined, undefined];
  const phases = (['load', 'profile', 'readiness', 'feasibility', 'plan', 'drift'] as const).filter(
    (p) => a[p] !== undefined && b[p] !== undefined,
  );
  const sum = (t: Timing): number => phases.reduce((x, p) => x + (t[p] ?? 0), 0);
  return [sum(a), sum(b)];
}
const fmt = (ms: number | undefined): string =>
  ms === undefined || Number.isNaN(ms) ? '—' : `${(ms / 1000).toFixed(2)} s`;
const ratio = (a: number | undefined, b: number | undefined): string =>
  a === undefined || b === undefined || !b || Number.isNaN(a) || Number.isNaN(b)
    ? '—'
    : `${(a / b).toFixed(2)}×`;
const log = (line: string): void => void process.stderr.write(`${line}\n`);

/** The planted churn extract as CSV, generated once by native DuckDB; its answer key next to it. */
async function plantedChurn(rows: number): Promise<{ path: string; planted: PlantedDefects }> {
  mkdirSync(OUT, { recursive: true });
  const path = join(OUT, `churn-${rows}.csv`);
  const key = join(OUT, `churn-${rows}.planted.json`);
  if (existsSync(path) && existsSync(key))
    return { path, planted: JSON.parse(readFileSync(key, 'utf8')) as PlantedDefects };
  const native = await createNativeConnector();
  try {
    const t = performance.now();
    const plan = churnDatasetSql({ rows });
    await native.exec(`CREATE TABLE churn AS ${plan.sql}`);
    const planted = await describeChurnTable(native, 'churn', plan);
    // Quote every text field, so the planted "Y " keeps its space through any reader.
    await native.exec(`COPY churn TO ${str(path)} (HEADER, FORCE_QUOTE *)`);
    writeFileSync(key, `${JSON.stringify(planted, null, 2)}\n`);
    log(`generated ${path} (${rows.toLocaleString('en-US')} rows) in ${fmt(performance.now() - t)}`);
    return { path, planted };
  } finally {
    await native.close();
  }
}

async function auditOn(
  make: () => Promise<Connector>,
  path: string,
  planted: PlantedDefects,
): Promise<AuditTiming | undefined> {
  const conn = await make();
  try {
    const { roles, context } = plantedAuditInput(planted, { segments: ['region'] });
    return await timeFullAudit(conn, path, roles, context);
  } catch (error) {
    log(`  failed: ${String(error).slice(0, 300)}`);
    return undefined;
  } finally {
    await conn.close();
  }
}

/**
 * The app from a file drop to its verdict: it profiles, applies its suggested
 * roles, audits, then trains the feasibility baselines (their marks waited for).
 */
async function browserAudit(path: string): Promise<Timing | undefined> {
  const handle = await openBrowser(PORT);
  try {
    const context = await handle.browser.newContext({ serviceWorkers: 'block' });
    const page = await context.newPage();
    await page.goto(handle.base);
    await page.getByTestId('file-input').setInputFiles(path);
    const name = path.split('/').pop()!;
    await waitForPhase(page, name, 'readiness');
    const t = await phaseTimes(page, name, ['load', 'profile', 'readiness']);
    const feasibility = await browserFeasibility(page, name);
    if (!feasibility) log('  browser: no sz:feasibility mark (the step did not run)');
    await context.close();
    return {
      load: t.load!,
      profile: t.profile!,
      readiness: t.readiness!,
      ...(feasibility ? { feasibility: feasibility.ms, feasibilityDetail: feasibility } : {}),
    };
  } catch (error) {
    log(`  browser failed: ${String(error).slice(0, 300)}`);
    return undefined;
  } finally {
    await handle.close();
  }
}

/** Planted defects the audit must report at any size: a quick sanity check of each engine's run. */
function plantedFound(timing: AuditTiming, planted: PlantedDefects): string {
  const get = (id: string) => timing.findings.find((f) => f.id === `${id.replace('{ds}', 'bench')}`);
  const checks: [string, boolean][] = [
    [
      'conflicts',
      get('labels-conflicting:{ds}:churned')?.evidence.groups === planted.conflictingLabels.groups,
    ],
    [
      'duplicates',
      get('quality-duplicates:{ds}:rows')?.evidence.duplicateRows === planted.duplicateRows.extraRows,
    ],
    ['future', get('time-future:{ds}:snapshot_date')?.evidence.future === planted.futureDates.rows],
    ['leak', get('leakage-single-feature:{ds}:cancellation_reason')?.severity === 'blocker'],
    // The finding names the month as the app shows it (`Apr 2025`); the answer key as `2025-04`.
    [
      'gap',
      get('coverage-gaps:{ds}:empty')?.evidence.months ===
        (planted.gapMonth ? formatDate(`${planted.gapMonth}-01`, 'month') : null),
    ],
  ];
  const missed = checks.filter(([, ok]) => !ok).map(([n]) => n);
  return missed.length === 0 ? `all ${checks.length} spot checks found` : `MISSED: ${missed.join(', ')}`;
}

async function fullAuditSection(): Promise<void> {
  const { path, planted } = await plantedChurn(AUDIT_ROWS);
  const size = statSync(path).size;
  log(
    `full audit: ${planted.rows.toLocaleString('en-US')} rows × ${planted.columns.length} columns, ${(size / 1e6).toFixed(0)} MB CSV`,
  );
  const timings: Partial<Record<EngineName, AuditTiming | Timing>> = {};
  const engines: [EngineName, () => Promise<Connector>][] = [
    ['native-1t', () => createNativeConnector({ threads: 1 })],
    ['native-all', () => createNativeConnector()],
  ];
  if (!args.has('--no-wasm')) engines.push(['wasm-node', createNodeConnector]);
  for (const [engine, make] of engines) {
    log(`  ${engine}…`);
    const t = await auditOn(make, path, planted);
    if (t) {
      timings[engine] = t;
      log(`  ${engine}: ${fmt(total(t))}; ${plantedFound(t, planted)}`);
    }
  }
  if (!args.has('--no-browser')) {
    log('  browser…');
    const t = await browserAudit(path);
    if (t) timings.browser = t;
  }

  console.log(
    `\n### Full audit, planted churn extract: ${planted.rows.toLocaleString('en-US')} rows × ${planted.columns.length} columns (${(size / 1e6).toFixed(0)} MB CSV), ${cpus().length} cores\n`,
  );
  console.log(
    '| engine | load | profile | readiness | feasibility | metric plan | drift | total | readiness / profile |',
  );
  console.log('|---|---|---|---|---|---|---|---|---|');
  for (const [engine, t] of Object.entries(timings))
    console.log(
      `| ${engine} | ${fmt(t.load)} | ${fmt(t.profile)} | ${fmt(t.readiness)} | ${fmt(t.feasibility)} | ${fmt(t.plan)} | ${fmt(t.drift)} | ${fmt(total(t))} | ${ratio(t.readiness, t.profile)} |`,
    );
  const n1 = timings['native-1t'];
  console.log(
    '\n| ratio to native DuckDB, 1 thread | load | profile | readiness | feasibility | metric plan | drift | total, phases both ran |',
  );
  console.log('|---|---|---|---|---|---|---|---|');
  for (const [engine, t] of Object.entries(timings))
    if (engine !== 'native-1t')
      console.log(
        `| ${engine} | ${ratio(t.load, n1?.load)} | ${ratio(t.profile, n1?.profile)} | ${ratio(t.readiness, n1?.readiness)} | ${ratio(t.feasibility, n1?.feasibility)} | ${ratio(t.plan, n1?.plan)} | ${ratio(t.drift, n1?.drift)} | ${ratio(...sharedTotals(t, n1))} |`,
      );
  if (timings.browser)
    console.log(
      '\nThe browser audits with the roles the app suggests from the profile; the other engines with every role set (target, id, event and outcome time, source, one segment).',
    );
  printFeasibility(
    Object.fromEntries(
      Object.entries(timings).map(([engine, t]) => [
        engine,
        { profile: t.profile, ...(t.feasibilityDetail ? { feasibility: t.feasibilityDetail } : {}) },
      ]),
    ),
  );

  const audited = Object.entries(timings).filter((e): e is [EngineName, AuditTiming] => 'checks' in e[1]);
  const reference = audited.find(([e]) => e === 'native-1t') ?? audited[0];
  if (!reference) return;
  const slowest = Object.entries(reference[1].checks)
    .sort((a, b) => b[1] - a[1])
    .slice(0, 10)
    .map(([check]) => check);
  console.log(`\nSlowest ten readiness checks (ordered by ${reference[0]}; statements in brackets):\n`);
  console.log(`| check | ${audited.map(([e]) => e).join(' | ')} |`);
  console.log(`|---|${audited.map(() => '---').join('|')}|`);
  for (const check of slowest)
    console.log(
      `| ${check} | ${audited.map(([, t]) => `${fmt(t.checks[check])} (${t.statements[check] ?? 0})`).join(' | ')} |`,
    );
  const share = slowest.reduce((a, c) => a + (reference[1].checks[c] ?? 0), 0) / reference[1].readiness;
  console.log(`\nThese ten take ${(share * 100).toFixed(0)}% of ${reference[0]}'s readiness time.`);
}

async function loadProfileData(): Promise<{ name: string; path: string; pandasPath: string }[]> {
  mkdirSync(OUT, { recursive: true });
  const native = await createNativeConnector();
  const parquet = join(ROOT, 'node_modules/vega-datasets/data/flights-3m.parquet');
  const flightsCsv = join(OUT, 'flights-3m.csv');
  if (!existsSync(flightsCsv))
    await native.exec(`COPY (SELECT * FROM read_parquet(${str(parquet)})) TO ${str(flightsCsv)} (HEADER)`);
  const mixed = join(OUT, 'mixed-1m-30.csv');
  if (!existsSync(mixed))
    await native.exec(`COPY (${mixedTableSql(1_000_000, 30)}) TO ${str(mixed)} (HEADER)`);
  const sets = [
    { name: 'flights-3m.parquet', path: parquet, pandasPath: flightsCsv },
    { name: 'flights-3m.csv', path: flightsCsv, pandasPath: flightsCsv },
    { name: 'mixed-1m-30.csv', path: mixed, pandasPath: mixed },
  ];
  if (args.has('--big')) {
    const big = join(OUT, 'big-10m-20.csv');
    if (!existsSync(big))
      await native.exec(`COPY (${mixedTableSql(10_000_000, 20)}) TO ${str(big)} (HEADER)`);
    sets.push({ name: 'big-10m-20.csv', path: big, pandasPath: '' });
  }
  await native.close();
  return args.has('--quick') ? sets.slice(0, 1) : sets;
}

async function loadAndProfile(conn: Connector, path: string): Promise<Timing> {
  try {
    const loaded = await loadDataset(conn, nodeDecoders, await fileSource(path));
    const t = performance.now();
    await profileDataset(conn, loaded.tableName, 'bench');
    return { load: loaded.loadMs, profile: performance.now() - t };
  } finally {
    await conn.close();
  }
}

function timePandas(path: string): Timing | undefined {
  if (!path) return undefined;
  const probe = spawnSync('/usr/bin/python3', ['-c', 'import pandas'], { encoding: 'utf8' });
  if (probe.status !== 0) return undefined;
  const run = spawnSync('/usr/bin/python3', [join(ROOT, 'bench/pandas_profile.py'), path], {
    encoding: 'utf8',
    maxBuffer: 1 << 24,
  });
  if (run.status !== 0) {
    log(`pandas failed on ${path}: ${run.stderr.slice(-300)}`);
    return undefined;
  }
  const result = JSON.parse(run.stdout.trim().split('\n').at(-1) ?? '{}') as {
    load_s: number;
    profile_s: number;
  };
  return { load: result.load_s * 1000, profile: result.profile_s * 1000 };
}

async function browserLoadProfile(
  paths: string[],
): Promise<{ timings: (Timing | undefined)[]; firstScreen: number }> {
  const handle = await openBrowser(PORT);
  const timings: (Timing | undefined)[] = [];
  let firstScreen = 0;
  try {
    for (const [index, path] of paths.entries()) {
      const context = await handle.browser.newContext({ serviceWorkers: 'block' });
      const page = await context.newPage();
      await page.goto(handle.base);
      await page.getByRole('button', { name: 'Try the demo' }).waitFor();
      if (index === 0)
        firstScreen = await page.evaluate(
          () => performance.getEntriesByName('first-contentful-paint')[0]?.startTime ?? performance.now(),
        );
      const name = path.split('/').pop()!;
      await page.getByTestId('file-input').setInputFiles(path);
      try {
        await waitForPhase(page, name, 'profile', 600_000);
        const t = await phaseTimes(page, name, ['load', 'profile']);
        timings.push({ load: t.load!, profile: t.profile! });
      } catch (error) {
        log(`browser failed on ${name}: ${String(error).slice(0, 300)}`);
        timings.push(undefined);
      }
      await context.close();
    }
  } finally {
    await handle.close();
  }
  return { timings, firstScreen };
}

function jsGzipSize(): number {
  const run = spawnSync('sh', ['-c', `cat ${join(ROOT, 'dist/assets')}/*.js | gzip -9 | wc -c`], {
    encoding: 'utf8',
  });
  return Number(run.stdout.trim());
}

async function loadProfileSection(): Promise<void> {
  const sets = await loadProfileData();
  const results: Record<string, Partial<Record<EngineName, Timing>>> = {};
  for (const set of sets) {
    log(`load + profile ${set.name} (${(statSync(set.path).size / 1e6).toFixed(0)} MB)…`);
    results[set.name] = {
      'native-1t': await loadAndProfile(await createNativeConnector({ threads: 1 }), set.path),
      'native-all': await loadAndProfile(await createNativeConnector(), set.path),
    };
    if (!set.name.startsWith('big') && !args.has('--no-wasm'))
      results[set.name]!['wasm-node'] = await loadAndProfile(await createNodeConnector(), set.path);
    const pandas = timePandas(set.pandasPath);
    if (pandas) results[set.name]!.pandas = pandas;
  }
  let firstScreen: number | undefined;
  if (!args.has('--no-browser')) {
    const browser = await browserLoadProfile(sets.map((s) => s.path));
    firstScreen = browser.firstScreen;
    sets.forEach((set, i) => {
      const t = browser.timings[i];
      if (t) results[set.name]!.browser = t;
    });
  }
  console.log('\n### Load and profile\n');
  console.log('| dataset | engine | load | profile | load+profile |');
  console.log('|---|---|---|---|---|');
  for (const set of sets)
    for (const [engine, t] of Object.entries(results[set.name]!))
      console.log(
        `| ${set.name} | ${engine} | ${fmt(t.load)} | ${fmt(t.profile)} | ${fmt(t.load + t.profile)} |`,
      );
  console.log(
    '\n| dataset | profile browser / native 1 thread | profile browser / native all threads | load+profile browser / pandas |',
  );
  console.log('|---|---|---|---|');
  const both = (t?: Timing): number | undefined => (t ? t.load + t.profile : undefined);
  for (const set of sets) {
    const r = results[set.name]!;
    console.log(
      `| ${set.name} | ${ratio(r.browser?.profile, r['native-1t']?.profile)} | ${ratio(r.browser?.profile, r['native-all']?.profile)} | ${ratio(both(r.browser), both(r.pandas))} |`,
    );
  }
  if (firstScreen !== undefined) {
    console.log(
      `\nFirst contentful paint (production build, headless Chromium): ${firstScreen.toFixed(0)} ms`,
    );
    console.log(`App JavaScript, gzip -9, without wasm: ${(jsGzipSize() / 1024).toFixed(0)} KB`);
  }
}

await fullAuditSection();
await relationsSection({
  ...(args.has('--quick') ? { customers: 10_000 } : {}),
  wasm: !args.has('--no-wasm'),
  browser: !args.has('--no-browser'),
});
if (!args.has('--audit-only')) await loadProfileSection();

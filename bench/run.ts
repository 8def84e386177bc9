/**
 * `npm run bench`: the full audit as the app runs it (load, profile, readiness
 * with the roles the session suggests, the feasibility baselines, the metric
 * plan, drift of the file split at its median month) on the planted churn
 * extract, and the relation checks at 1M child × 100k parent rows (see
 * `relations.ts`), on every engine in the same run:
 *   - headless Chromium running the production build (the app);
 *   - DuckDB-WASM in Node (the CLI's default engine);
 *   - native DuckDB with 1 thread (`SET threads=1`), running the same session.
 * It prints one table: every phase's wall and CPU time per engine (the browser
 * twice: a first visit and a returning visitor) and the browser ÷ native ratio
 * (see `session-audit.ts` and `cpu.ts`), readiness ÷ profile per engine, the load average, and where DuckDB-WASM's time goes
 * against native per statement. Then load + profile on the flights and mixed
 * datasets, with pandas when python3-pandas is present. Figures are printed;
 * nothing here passes or fails.
 *
 * Flags:
 *   --rows N        rows of the planted churn extract (default 1,000,000)
 *   --big           10,000,000 rows, and the 10M × 20 mixed table
 *   --quick         100,000 rows, flights-3m.parquet only
 *   --audit-only    skip the load + profile datasets
 *   --no-browser    skip headless Chromium
 *   --no-returning  skip the returning visitor's browser audit (a second audit in a context
 *                   that cached the engine's compiled code)
 *   --no-wasm       skip DuckDB-WASM in Node
 *   --browser-lock F  hold an exclusive flock on F while Chromium runs, and only then
 *                   (for a machine whose headless-Chromium runs share a lock)
 */
import { existsSync, mkdirSync, statSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import { cpus, loadavg } from 'node:os';
import { join } from 'node:path';
import { createNativeConnector } from '../src/lib/engine/native-connector';
import { createNodeConnector } from '../src/lib/engine/node-connector';
import type { Connector } from '../src/lib/engine/connector';
import { nodeDecoders } from '../src/lib/engine/node-decoders';
import { fileSource } from '../src/lib/engine/node-source';
import { loadDataset } from '../src/lib/engine/load-dataset';
import { profileDataset } from '../src/lib/session/profile';
import { str } from '../src/lib/core/sql/quote';
import type { PlantedDefects } from '../scripts/lib/synthetic';
import { plantedAuditInput } from '../tests/fixtures/planted-defects';
import { mixedTableSql } from './mixed-table';
import { medianMonth, plantedExtract } from './lib/planted-extract';
import { ROOT, openBrowser, phaseTimes, waitForPhase, withFileLock } from './browser';
import { relationsSection, type RelationsTiming } from './relations';
import type { StatementCost } from './cpu';
import {
  AUDIT_PHASES,
  browserSessionAudit,
  nodeSessionAudit,
  type PhaseCost,
  type SessionAuditTiming,
} from './session-audit';

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
const lockAt = argv.indexOf('--browser-lock');
const BROWSER_LOCK = lockAt >= 0 ? argv[lockAt + 1] : undefined;

type EngineName = 'browser' | 'wasm-node' | 'native-1t' | 'native-all' | 'pandas';
/** Load and profile of one dataset on one engine. */
interface Timing {
  load: number;
  profile: number;
}
const fmt = (ms: number | undefined): string =>
  ms === undefined || Number.isNaN(ms) ? '—' : `${(ms / 1000).toFixed(2)} s`;
const ratio = (a: number | undefined, b: number | undefined): string =>
  a === undefined || b === undefined || !b || Number.isNaN(a) || Number.isNaN(b)
    ? '—'
    : `${(a / b).toFixed(2)}×`;
const log = (line: string): void => void process.stderr.write(`${line}\n`);

/** The planted churn extract (see `lib/planted-extract.ts`), logged when this run generated it. */
async function plantedChurn(rows: number): Promise<{ path: string; planted: PlantedDefects }> {
  const t = performance.now();
  const { path, planted, generated } = await plantedExtract(OUT, rows);
  if (generated)
    log(`generated ${path} (${rows.toLocaleString('en-US')} rows) in ${fmt(performance.now() - t)}`);
  return { path, planted };
}

const loadAverage = (): string =>
  loadavg()
    .map((l) => l.toFixed(2))
    .join(', ');

/** One engine's audit, or undefined when it failed (logged). */
async function attempt<T>(engine: string, run: () => Promise<T>): Promise<T | undefined> {
  try {
    return await run();
  } catch (error) {
    log(`  ${engine} failed: ${String(error).slice(0, 400)}`);
    return undefined;
  }
}

type TableEngine = 'browser' | 'browser-returning' | 'wasm-node' | 'native-1t';
const TABLE_ENGINES: readonly TableEngine[] = ['browser', 'browser-returning', 'wasm-node', 'native-1t'];
/** The table's rows, in the order the issue lists them; `relations` comes from its own data (see `relations.ts`). */
const TABLE_PHASES = ['load', 'profile', 'readiness', 'plan', 'drift', 'feasibility', 'relations'] as const;
type TablePhase = (typeof TABLE_PHASES)[number];

/**
 * The full audit as the app runs it (see `session-audit.ts`) on every engine,
 * the relation checks (see `relations.ts`), and the one table of every phase:
 * wall and CPU time per engine, and the browser against native DuckDB with one thread.
 */
async function fullAuditSection(): Promise<void> {
  const { path, planted } = await plantedChurn(AUDIT_ROWS);
  const size = statSync(path).size;
  const eventTime = plantedAuditInput(planted).roles.eventTime ?? 'snapshot_date';
  const splitAt = await medianMonth(path, eventTime);
  log(
    `full audit: ${planted.rows.toLocaleString('en-US')} rows × ${planted.columns.length} columns, ${(size / 1e6).toFixed(0)} MB CSV; drift split at ${splitAt}`,
  );
  const runs: Partial<Record<TableEngine, SessionAuditTiming>> = {};
  const loads: Partial<Record<TableEngine, string>> = {};
  const engines: [TableEngine, () => Promise<SessionAuditTiming>][] = [
    ['native-1t', async () => nodeSessionAudit(await createNativeConnector({ threads: 1 }), path, splitAt)],
  ];
  if (!args.has('--no-wasm'))
    engines.push(['wasm-node', async () => nodeSessionAudit(await createNodeConnector(), path, splitAt)]);
  if (!args.has('--no-browser'))
    engines.push([
      'browser',
      () =>
        withFileLock(BROWSER_LOCK, () => {
          // Measured once the lock is held: waiting for it is not part of the run.
          loads.browser = loadAverage();
          return browserSessionAudit(path, splitAt, PORT);
        }),
    ]);
  if (!args.has('--no-browser') && !args.has('--no-returning'))
    engines.push([
      'browser-returning',
      () =>
        withFileLock(BROWSER_LOCK, () => {
          loads['browser-returning'] = loadAverage();
          return browserSessionAudit(path, splitAt, PORT, { returning: true });
        }),
    ]);
  for (const [engine, run] of engines) {
    log(`  ${engine}… (load average ${loadAverage()})`);
    loads[engine] = loadAverage();
    const t = await attempt(engine, run);
    if (t) {
      runs[engine] = t;
      // Each engine's phases as soon as they are known, so a run stopped later still tells them.
      const phases = Object.entries(t.phases)
        .map(([p, c]) => `${p} ${fmt(c.wall)} / ${fmt(c.cpu)} CPU`)
        .join(', ');
      log(`  ${engine}: ${t.summary}; ${phases}`);
    }
    loads[engine] += ` → ${loadAverage()}`;
  }
  const relations = await relationsSection({
    ...(args.has('--quick') ? { customers: 10_000 } : {}),
    wasm: !args.has('--no-wasm'),
    browser: !args.has('--no-browser'),
    allThreads: false,
    ...(BROWSER_LOCK ? { browserLock: BROWSER_LOCK } : {}),
  });

  const cost = (engine: TableEngine, phase: TablePhase): PhaseCost | undefined => {
    if (phase === 'relations') {
      // The relation bench opens its own first-visit page; a returning visitor is charged the same.
      const r = relations[engine === 'browser-returning' ? 'browser' : engine];
      return r?.withDiscovery !== undefined
        ? { wall: r.withDiscovery, cpu: r.withDiscoveryCpu ?? NaN }
        : undefined;
    }
    return runs[engine]?.phases[phase];
  };
  const totalOf = (engine: TableEngine): PhaseCost | undefined => {
    const all = TABLE_PHASES.map((p) => cost(engine, p));
    if (all.some((c) => c === undefined)) return undefined;
    return all.reduce<PhaseCost>((a, c) => ({ wall: a.wall + c!.wall, cpu: a.cpu + c!.cpu }), {
      wall: 0,
      cpu: 0,
    });
  };
  console.log(
    `\n### Every phase, planted churn extract: ${planted.rows.toLocaleString('en-US')} rows × ${planted.columns.length} columns (${(size / 1e6).toFixed(0)} MB CSV), ${cpus().length} cores\n`,
  );
  console.log(
    `| phase | ${TABLE_ENGINES.map((e) => `${e} wall | ${e} CPU`).join(' | ')} | browser ÷ native-1t wall | browser ÷ native-1t CPU | returning ÷ native-1t wall | returning ÷ native-1t CPU |`,
  );
  console.log(`|---|${TABLE_ENGINES.map(() => '---|---').join('|')}|---|---|---|---|`);
  const row = (label: string, get: (e: TableEngine) => PhaseCost | undefined): void => {
    const b = get('browser');
    const r = get('browser-returning');
    const n = get('native-1t');
    console.log(
      `| ${label} | ${TABLE_ENGINES.map((e) => `${fmt(get(e)?.wall)} | ${fmt(get(e)?.cpu)}`).join(' | ')} | ${ratio(b?.wall, n?.wall)} | ${ratio(b?.cpu, n?.cpu)} | ${ratio(r?.wall, n?.wall)} | ${ratio(r?.cpu, n?.cpu)} |`,
    );
  };
  for (const phase of TABLE_PHASES) row(phase, (e) => cost(e, phase));
  row('**total**', totalOf);
  console.log(
    `\nEach phase is the session's own \`sz:<phase>:<file>\` mark (drift: the comparison split at ${splitAt} and the history). The browser and the Node engines run the same session with the roles it suggests. CPU: Node engines \`process.cpuUsage()\` (all threads), the browser every Chromium process's user + system time (\`/proc\`), over the same interval. browser: a first visit (cold caches, service worker blocked); browser-returning: a second audit of the same file in a new page of a context that has audited it once and cached the engine's compiled code (see \`browserSessionAudit\`). Relations: discovery and the checks of ${relationsLabel(relations)}, not the churn extract (one file has no relations).`,
  );
  console.log(
    '\n| engine | readiness ÷ profile, wall | readiness ÷ profile, CPU (target ≤ 1.0×) | load average (1, 5, 15 min) before → after |',
  );
  console.log('|---|---|---|---|');
  for (const engine of TABLE_ENGINES) {
    const p = runs[engine]?.phases;
    if (p)
      console.log(
        `| ${engine} | ${ratio(p.readiness?.wall, p.profile?.wall)} | ${ratio(p.readiness?.cpu, p.profile?.cpu)} | ${loads[engine]} |`,
      );
  }
  printThreads(runs.browser);
  printStatementBreakdown(runs['wasm-node'], runs['native-1t']);
}

/** The browser's CPU per phase by kind of Chromium thread: the engine's worker against the rest. */
function printThreads(browser?: SessionAuditTiming): void {
  if (!browser?.threads) return;
  const groups = new Map<string, number>();
  for (const byGroup of Object.values(browser.threads))
    for (const [g, ms] of Object.entries(byGroup)) groups.set(g, (groups.get(g) ?? 0) + ms);
  const top = [...groups]
    .sort((a, b) => b[1] - a[1])
    .slice(0, 5)
    .map(([g]) => g);
  console.log(`\nThe browser's CPU by Chromium thread:\n`);
  console.log(`| phase | ${top.join(' | ')} | other |`);
  console.log(`|---|${top.map(() => '---').join('|')}|---|`);
  for (const phase of AUDIT_PHASES) {
    const byGroup = browser.threads[phase];
    if (!byGroup) continue;
    const all = Object.values(byGroup).reduce((a, b) => a + b, 0);
    const shown = top.map((g) => byGroup[g] ?? 0);
    console.log(
      `| ${phase} | ${shown.map((ms) => fmt(ms)).join(' | ')} | ${fmt(all - shown.reduce((a, b) => a + b, 0))} |`,
    );
  }
}

const relationsLabel = (relations: Record<string, RelationsTiming>): string => {
  const any = Object.values(relations)[0];
  return any
    ? `its planted ${any.childRows?.toLocaleString('en-US') ?? '?'}-row child table`
    : 'its planted extracts';
};

/** SQL text without the names a session makes up (table counters, temporary ids), so the engines' statements match. */
const statementKey = (phase: string, sql: string): string =>
  `${phase} ${sql
    .replace(/\s+/g, ' ')
    .replace(/\bt\d+_/g, 't#_')
    .replace(/[0-9a-f]{8,}/gi, '#')
    .trim()}`;
const oneLine = (sql: string, max: number): string => {
  const flat = sql.replace(/\s+/g, ' ').trim();
  return flat.length > max ? `${flat.slice(0, max - 1)}…` : flat;
};

/**
 * Where the time goes: per phase, the share of its wall time inside SQL
 * statements; then the statements whose CPU on DuckDB-WASM exceeds native
 * DuckDB's the most (WASM in Node runs the browser's engine, and shows its statements).
 */
function printStatementBreakdown(wasm?: SessionAuditTiming, native?: SessionAuditTiming): void {
  if (!wasm?.statements || !native?.statements) return;
  const sum = (list: StatementCost[]): PhaseCost =>
    list.reduce((a, s) => ({ wall: a.wall + s.wall, cpu: a.cpu + s.cpu }), { wall: 0, cpu: 0 });
  console.log(
    '\n| phase | statements | wasm-node SQL CPU | native-1t SQL CPU | SQL CPU wasm ÷ native | share of wasm-node phase wall in SQL |',
  );
  console.log('|---|---|---|---|---|---|');
  for (const phase of [...AUDIT_PHASES, 'between'] as const) {
    const w = wasm.statements.filter((s) => s.phase === phase);
    const n = native.statements.filter((s) => s.phase === phase);
    if (!w.length && !n.length) continue;
    const ws = sum(w);
    const ns = sum(n);
    const phaseWall = phase === 'between' ? undefined : wasm.phases[phase]?.wall;
    console.log(
      `| ${phase} | ${w.length} / ${n.length} | ${fmt(ws.cpu)} | ${fmt(ns.cpu)} | ${ratio(ws.cpu, ns.cpu)} | ${phaseWall ? `${((ws.wall / phaseWall) * 100).toFixed(0)}%` : '—'} |`,
    );
  }
  const byKey = (
    list: (StatementCost & { phase: string })[],
  ): Map<string, PhaseCost & { sql: string; phase: string }> => {
    const map = new Map<string, PhaseCost & { sql: string; phase: string }>();
    for (const s of list) {
      const key = statementKey(s.phase, s.sql);
      const known = map.get(key);
      map.set(key, {
        sql: s.sql,
        phase: s.phase,
        wall: (known?.wall ?? 0) + s.wall,
        cpu: (known?.cpu ?? 0) + s.cpu,
      });
    }
    return map;
  };
  const w = byKey(wasm.statements);
  const n = byKey(native.statements);
  const excess = [...w]
    .map(([key, c]) => ({ ...c, native: n.get(key) }))
    .sort((a, b) => b.cpu - (b.native?.cpu ?? 0) - (a.cpu - (a.native?.cpu ?? 0)))
    .slice(0, 12);
  console.log('\nStatements whose CPU on DuckDB-WASM exceeds native DuckDB (1 thread) the most:\n');
  console.log('| phase | wasm-node wall / CPU | native-1t wall / CPU | CPU ratio | statement |');
  console.log('|---|---|---|---|---|');
  for (const s of excess)
    console.log(
      `| ${s.phase} | ${fmt(s.wall)} / ${fmt(s.cpu)} | ${fmt(s.native?.wall)} / ${fmt(s.native?.cpu)} | ${ratio(s.cpu, s.native?.cpu)} | \`${oneLine(s.sql, 120).replace(/\|/g, '\\|')}\` |`,
    );
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
    const browser = await withFileLock(BROWSER_LOCK, () => browserLoadProfile(sets.map((s) => s.path)));
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
if (!args.has('--audit-only')) await loadProfileSection();

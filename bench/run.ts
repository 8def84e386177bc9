/**
 * `npm run bench`: load + profile timings of the browser app (headless Chromium,
 * production build), against anchors measured in the same run on the same data:
 * native DuckDB (1 thread and all threads) running the project's own profile SQL,
 * DuckDB-WASM in Node, and pandas when python3-pandas is present.
 * Figures are printed as ratios; nothing here is a pass/fail test.
 *
 * Flags: --quick (fewer, smaller datasets), --big (adds the 10M × 20 stress table).
 */
import { existsSync, mkdirSync, statSync } from 'node:fs';
import { spawn, spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from '@playwright/test';
import { createNativeConnector } from './native-connector';
import { createNodeConnector } from '../src/lib/engine/node-connector';
import { nodeDecoders } from '../src/lib/engine/node-decoders';
import { fileSource } from '../src/lib/engine/node-source';
import { loadDataset } from '../src/lib/engine/load-dataset';
import { profileDataset } from '../src/lib/engine/run-profile';
import { str } from '../src/lib/core/sql/quote';
import { mixedTableSql } from './mixed-table';

const ROOT = fileURLToPath(new URL('../', import.meta.url));
const OUT = join(ROOT, 'bench/out');
const args = new Set(process.argv.slice(2));
const PORT = 4329;
const BASE = `http://127.0.0.1:${PORT}/sprint-zero/`;

interface Timing {
  load: number;
  profile: number;
}
type EngineName = 'browser' | 'wasm-node' | 'native-1t' | 'native-all' | 'pandas';

async function prepareData(): Promise<{ name: string; path: string; pandasPath: string }[]> {
  mkdirSync(OUT, { recursive: true });
  const native = await createNativeConnector('all');
  const parquet = join(ROOT, 'node_modules/vega-datasets/data/flights-3m.parquet');
  const flightsCsv = join(OUT, 'flights-3m.csv');
  if (!existsSync(flightsCsv))
    await native.loadSql(`COPY (SELECT * FROM read_parquet(${str(parquet)})) TO ${str(flightsCsv)} (HEADER)`);
  const mixed = join(OUT, 'mixed-1m-30.csv');
  if (!existsSync(mixed))
    await native.loadSql(`COPY (${mixedTableSql(1_000_000, 30)}) TO ${str(mixed)} (HEADER)`);
  const sets = [
    { name: 'flights-3m.parquet', path: parquet, pandasPath: flightsCsv },
    { name: 'flights-3m.csv', path: flightsCsv, pandasPath: flightsCsv },
    { name: 'mixed-1m-30.csv', path: mixed, pandasPath: mixed },
  ];
  if (args.has('--big')) {
    const big = join(OUT, 'big-10m-20.csv');
    if (!existsSync(big))
      await native.loadSql(`COPY (${mixedTableSql(10_000_000, 20)}) TO ${str(big)} (HEADER)`);
    sets.push({ name: 'big-10m-20.csv', path: big, pandasPath: '' });
  }
  await native.close();
  return args.has('--quick') ? sets.slice(0, 1) : sets;
}

async function timeNative(threads: 1 | 'all', path: string): Promise<Timing> {
  const conn = await createNativeConnector(threads);
  const reader = path.endsWith('.parquet') ? `read_parquet(${str(path)})` : `read_csv(${str(path)})`;
  let t = performance.now();
  await conn.loadSql(`CREATE TABLE bench AS SELECT * FROM ${reader}`);
  const load = performance.now() - t;
  t = performance.now();
  await profileDataset(conn, 'bench', 'bench');
  const profile = performance.now() - t;
  await conn.close();
  return { load, profile };
}

async function timeWasmNode(path: string): Promise<Timing> {
  const conn = await createNodeConnector();
  const loaded = await loadDataset(conn, nodeDecoders, await fileSource(path));
  const t = performance.now();
  await profileDataset(conn, loaded.tableName, 'bench');
  const profile = performance.now() - t;
  await conn.close();
  return { load: loaded.loadMs, profile };
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
    console.warn(`pandas failed on ${path}: ${run.stderr.slice(-300)}`);
    return undefined;
  }
  const result = JSON.parse(run.stdout.trim().split('\n').at(-1) ?? '{}') as {
    load_s: number;
    profile_s: number;
  };
  return { load: result.load_s * 1000, profile: result.profile_s * 1000 };
}

async function timeBrowser(
  paths: string[],
): Promise<{ timings: (Timing | undefined)[]; firstScreen: number; jsGzip: number }> {
  if (!existsSync(join(ROOT, 'dist/index.html')))
    spawnSync('npm', ['run', 'build'], { cwd: ROOT, stdio: 'inherit' });
  const server = spawn('node', ['tests/e2e/serve.mjs'], {
    cwd: ROOT,
    env: { ...process.env, PORT: String(PORT) },
    stdio: 'ignore',
  });
  await new Promise((r) => setTimeout(r, 500));
  const executablePath =
    process.env.SPRINT_ZERO_CHROMIUM ??
    process.env.CHROMIUM_PATH ??
    (existsSync('/usr/bin/chromium') ? '/usr/bin/chromium' : undefined);
  const browser = await chromium.launch({
    ...(executablePath ? { executablePath } : {}),
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-background-networking',
      '--disable-component-update',
      '--js-flags=--max-old-space-size=8192',
    ],
  });
  const timings: (Timing | undefined)[] = [];
  let firstScreen = 0;
  try {
    for (const [index, path] of paths.entries()) {
      const context = await browser.newContext({ serviceWorkers: 'block' });
      const page = await context.newPage();
      await page.goto(BASE);
      await page.getByRole('button', { name: 'Try the demo' }).waitFor();
      if (index === 0)
        firstScreen = await page.evaluate(
          () => performance.getEntriesByName('first-contentful-paint')[0]?.startTime ?? performance.now(),
        );
      const name = path.split('/').pop()!;
      await page.getByTestId('file-input').setInputFiles(path);
      try {
        await page.waitForFunction((n) => performance.getEntriesByName(`sz:profile:${n}`).length > 0, name, {
          timeout: 600_000,
          polling: 250,
        });
        const [load, profile] = await page.evaluate(
          (n) => [
            performance.getEntriesByName(`sz:load:${n}`)[0]?.duration ?? NaN,
            performance.getEntriesByName(`sz:profile:${n}`)[0]?.duration ?? NaN,
          ],
          name,
        );
        timings.push({ load: load!, profile: profile! });
      } catch (error) {
        console.warn(`browser failed on ${name}: ${String(error).slice(0, 300)}`);
        timings.push(undefined);
      }
      await context.close();
    }
  } finally {
    await browser.close();
    server.kill();
  }
  return { timings, firstScreen, jsGzip: jsGzipSize() };
}

function jsGzipSize(): number {
  const run = spawnSync('sh', ['-c', `cat ${join(ROOT, 'dist/assets')}/*.js | gzip -9 | wc -c`], {
    encoding: 'utf8',
  });
  return Number(run.stdout.trim());
}

const fmt = (ms: number | undefined): string =>
  ms === undefined || Number.isNaN(ms) ? '—' : `${(ms / 1000).toFixed(2)} s`;
const ratio = (a: number | undefined, b: number | undefined): string =>
  a === undefined || b === undefined || !b ? '—' : `${(a / b).toFixed(2)}×`;

async function main(): Promise<void> {
  const sets = await prepareData();
  const results: Record<string, Partial<Record<EngineName, Timing>>> = {};
  for (const set of sets) {
    const size = statSync(set.path).size;
    console.error(`benchmarking ${set.name} (${(size / 1e6).toFixed(0)} MB)…`);
    results[set.name] = {
      'native-1t': await timeNative(1, set.path),
      'native-all': await timeNative('all', set.path),
    };
    if (!set.name.startsWith('big')) results[set.name]!['wasm-node'] = await timeWasmNode(set.path);
    const pandas = timePandas(set.pandasPath);
    if (pandas) results[set.name]!.pandas = pandas;
  }
  const browser = await timeBrowser(sets.map((s) => s.path));
  sets.forEach((set, i) => {
    const t = browser.timings[i];
    if (t) results[set.name]!.browser = t;
  });

  console.log('\n| dataset | engine | load | profile | load+profile |');
  console.log('|---|---|---|---|---|');
  for (const set of sets) {
    for (const [engine, t] of Object.entries(results[set.name]!))
      console.log(
        `| ${set.name} | ${engine} | ${fmt(t.load)} | ${fmt(t.profile)} | ${fmt(t.load + t.profile)} |`,
      );
  }
  console.log(
    '\n| dataset | profile browser / native 1 thread | profile browser / native all threads | load+profile browser / pandas |',
  );
  console.log('|---|---|---|---|');
  for (const set of sets) {
    const r = results[set.name]!;
    const total = (t?: Timing): number | undefined => (t ? t.load + t.profile : undefined);
    console.log(
      `| ${set.name} | ${ratio(r.browser?.profile, r['native-1t']?.profile)} | ${ratio(r.browser?.profile, r['native-all']?.profile)} | ${ratio(total(r.browser), total(r.pandas))} |`,
    );
  }
  console.log(
    `\nFirst contentful paint (production build, headless Chromium): ${browser.firstScreen.toFixed(0)} ms`,
  );
  console.log(`App JavaScript, gzip -9, without wasm: ${(browser.jsGzip / 1024).toFixed(0)} KB`);
}

await main();

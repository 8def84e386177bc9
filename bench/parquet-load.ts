/**
 * `npx tsx bench/parquet-load.ts [--runs N] [--file path] [--before dir] [--node]`:
 * load one Parquet file through the real file input of the built app in
 * headless Chromium, and report the load time (the app's `sz:load` mark) and
 * the peak memory of the browser's processes during the load (PSS, from
 * /proc, Linux only). `--before` alternates with another build, such as a
 * worktree of the previous commit. With `--node`, the same load through
 * DuckDB-WASM's blocking Node bundle instead, whole file and by row group
 * alternately, each run in a fresh process so its peak RSS is that load's.
 */
import { spawnSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import {
  ROOT,
  openBrowser,
  processTreeMemory,
  waitForPhase,
  type BrowserHandle,
  type MemorySampler,
} from './browser';

const argv = process.argv.slice(2);
const option = (name: string): string | undefined => {
  const i = argv.indexOf(name);
  return i >= 0 ? argv[i + 1] : undefined;
};
const RUNS = Number(option('--runs') ?? 3);
const FILE = option('--file') ?? join(ROOT, 'node_modules/vega-datasets/data/flights-3m.parquet');
const MB = (bytes: number): string => `${(bytes / 1e6).toFixed(0)} MB`;
const median = (xs: number[]): number => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

interface Run {
  loadMs: number;
  /** Memory before the file was chosen, with the engine started. */
  baseline: number;
  peak: number;
}

/** One load through the file input of a fresh page of `handle`'s build. */
async function browserRun(handle: BrowserHandle, memory: MemorySampler): Promise<Run> {
  const context = await handle.browser.newContext({ serviceWorkers: 'block' });
  try {
    const page = await context.newPage();
    await page.goto(handle.base);
    await page.getByRole('button', { name: 'Try the demo' }).waitFor();
    // The app starts DuckDB when the page is idle; let it finish so the baseline includes it.
    await page.waitForTimeout(5000);
    const baseline = memory.now();
    const sampling = memory.start(100);
    await page.getByTestId('file-input').setInputFiles(FILE);
    await waitForPhase(page, basename(FILE), 'load');
    const peak = sampling.stop();
    const loadMs = await page.evaluate(
      (n) => performance.getEntriesByName(`sz:load:${n}`)[0]!.duration,
      basename(FILE),
    );
    return { loadMs, baseline, peak };
  } finally {
    await context.close();
  }
}

/**
 * Runs on this checkout's build, alternating with runs on `--before <dir>`'s
 * build when given (a worktree of the commit to compare with, built), so
 * both see the same machine load. One browser at a time, so the memory
 * sampled is that of the build being measured.
 */
async function browserRuns(): Promise<Record<string, Run[]>> {
  const before = option('--before');
  const builds: [string, string][] = before
    ? [
        ['before', before],
        ['after', ROOT],
      ]
    : [['this build', ROOT]];
  const runs: Record<string, Run[]> = Object.fromEntries(builds.map(([label]) => [label, []]));
  for (let i = 0; i < RUNS; i++)
    for (const [label, root] of builds) {
      const handle = await openBrowser(4371, root);
      try {
        runs[label]!.push(await browserRun(handle, processTreeMemory()));
      } finally {
        await handle.close();
      }
    }
  return runs;
}

/** One load in this process; prints a JSON `Run`. */
async function nodeRunHere(): Promise<void> {
  const { createNodeConnector } = await import('../src/lib/engine/node-connector');
  const { nodeDecoders } = await import('../src/lib/engine/node-decoders');
  const { fileSource } = await import('../src/lib/engine/node-source');
  const { loadDataset } = await import('../src/lib/engine/load-dataset');
  const conn = await createNodeConnector();
  const status = (): string => readFileSync('/proc/self/status', 'utf8');
  const kB = (field: string): number =>
    Number(new RegExp(`${field}:\\s+(\\d+) kB`).exec(status())?.[1]) * 1024;
  // Reset the peak-RSS counter, so VmHWM afterwards is this load's peak.
  writeFileSync('/proc/self/clear_refs', '5');
  const baseline = kB('VmRSS');
  // The loader before row-group streaming: a connector without `arrowTableWriter` gets the whole file at once.
  const target = argv.includes('--whole-file') ? { ...conn, arrowTableWriter: undefined } : conn;
  const loaded = await loadDataset(target, nodeDecoders, await fileSource(FILE));
  const run: Run = { loadMs: loaded.loadMs, baseline, peak: kB('VmHWM') };
  console.log(JSON.stringify(run));
  await conn.close();
}

/** Alternate runs of the whole-file loader and the streamed one, so both see the same machine load. */
function nodeRuns(): Record<'whole file' | 'by row group', Run[]> {
  const runs = { 'whole file': [] as Run[], 'by row group': [] as Run[] };
  const once = (extra: string[]): Run => {
    const child = spawnSync(
      'npx',
      ['tsx', 'bench/parquet-load.ts', '--node-once', '--file', FILE, ...extra],
      {
        cwd: ROOT,
        encoding: 'utf8',
      },
    );
    const line = child.stdout.trim().split('\n').pop() ?? '';
    if (child.status !== 0 || !line.startsWith('{')) throw new Error(`node run failed: ${child.stderr}`);
    return JSON.parse(line) as Run;
  };
  for (let i = 0; i < RUNS; i++) {
    runs['whole file'].push(once(['--whole-file']));
    runs['by row group'].push(once([]));
  }
  return runs;
}

function printRuns(title: string, runs: Run[]): void {
  const s = (ms: number): string => `${(ms / 1000).toFixed(2)} s`;
  console.log(`\n### ${basename(FILE)}, ${title}, ${runs.length} runs\n`);
  console.log('| run | load | memory before | peak during load | peak − before |');
  console.log('|---|---|---|---|---|');
  runs.forEach((r, i) =>
    console.log(
      `| ${i + 1} | ${s(r.loadMs)} | ${MB(r.baseline)} | ${MB(r.peak)} | ${MB(r.peak - r.baseline)} |`,
    ),
  );
  const m = (f: (r: Run) => number): number => median(runs.map(f));
  console.log(
    `| median | ${s(m((r) => r.loadMs))} | ${MB(m((r) => r.baseline))} | ${MB(m((r) => r.peak))} | ${MB(m((r) => r.peak - r.baseline))} |`,
  );
}

if (argv.includes('--node-once')) await nodeRunHere();
else if (argv.includes('--node'))
  for (const [loader, runs] of Object.entries(nodeRuns()))
    printRuns(`DuckDB-WASM in Node, ${loader} (RSS)`, runs);
else
  for (const [build, runs] of Object.entries(await browserRuns()))
    printRuns(`headless Chromium, ${build} (PSS of all its processes)`, runs);

/**
 * The built app in headless Chromium, served from dist/ under a sub-path as a
 * static host would. Timings come from the app's own `sz:*` performance marks.
 */
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium, type Browser, type BrowserContext, type Page } from '@playwright/test';

export const ROOT = fileURLToPath(new URL('../', import.meta.url));

export interface BrowserHandle {
  browser: Browser;
  base: string;
  close(): Promise<void>;
}

/**
 * Build the app when dist/ is missing, serve it, and launch Chromium. `root`
 * serves another checkout's build instead (say, a worktree of the commit
 * before a change), for before/after comparisons.
 */
export async function openBrowser(port: number, root: string = ROOT): Promise<BrowserHandle> {
  if (!existsSync(join(root, 'dist/index.html')))
    spawnSync('npm', ['run', 'build'], { cwd: root, stdio: 'inherit' });
  const server: ChildProcess = spawn('node', ['tests/e2e/serve.mjs'], {
    cwd: root,
    env: { ...process.env, PORT: String(port) },
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
  return {
    browser,
    base: `http://127.0.0.1:${port}/sprint-zero/`,
    close: async () => {
      await browser.close();
      server.kill();
    },
  };
}

/**
 * Run `fn` holding an exclusive `flock` on `path` (none when undefined), so a
 * long bench shares a machine's headless-Chromium lock only while Chromium
 * runs. Not for a bench already run under that lock: a second holder waits forever.
 */
export async function withFileLock<T>(path: string | undefined, fn: () => Promise<T>): Promise<T> {
  if (!path) return fn();
  const holder = spawn('flock', [path, 'sh', '-c', 'echo locked; exec cat'], {
    stdio: ['pipe', 'pipe', 'inherit'],
  });
  await new Promise<void>((resolve, reject) => {
    holder.stdout!.once('data', () => resolve());
    holder.once('exit', (code) => reject(new Error(`flock ${path} exited with ${code}`)));
  });
  try {
    return await fn();
  } finally {
    holder.stdin!.end();
  }
}

/** Durations of the app's `sz:<phase>:<name>` marks, NaN when a phase did not run. */
export async function phaseTimes(
  page: Page,
  name: string,
  phases: readonly string[],
): Promise<Record<string, number>> {
  return page.evaluate(
    ({ n, ps }) =>
      Object.fromEntries(
        ps.map((p) => [p, performance.getEntriesByName(`sz:${p}:${n}`)[0]?.duration ?? NaN]),
      ),
    { n: name, ps: [...phases] },
  );
}

/** Wait until the app has measured `phase` for the file `name`, or shows an error. */
export async function waitForPhase(
  page: Page,
  name: string,
  phase: string,
  timeout = 1_800_000,
): Promise<void> {
  await page.waitForFunction(
    ({ n, p }) =>
      performance.getEntriesByName(`sz:${p}:${n}`).length > 0 ||
      document.querySelector('[data-testid="notice-error"]') !== null,
    { n: name, p: phase },
    { timeout, polling: 250 },
  );
  const error = await page.evaluate(
    () => document.querySelector('[data-testid="notice-error"]')?.textContent,
  );
  if (error) throw new Error(`the app reported: ${error.trim().slice(0, 300)}`);
}

/** Peak and baseline memory of a process tree, sampled from /proc (Linux only). */
export interface MemorySampler {
  /** Proportional set size of the tree now, in bytes: shared pages counted once overall. */
  now(): number;
  /** Start sampling every `intervalMs`; `stop` returns the highest total seen. */
  start(intervalMs?: number): { stop(): number };
}

/**
 * Samples the proportional set size (PSS) of every process below `rootPid`:
 * for Chromium, the browser, GPU and renderer processes, whose renderer also
 * hosts the page's workers (DuckDB's wasm heap, the decode worker). PSS rather
 * than RSS, so the Chromium binary mapped in each process counts once.
 */
export function processTreeMemory(rootPid: number = process.pid): MemorySampler {
  const read = (path: string): string => {
    try {
      return readFileSync(path, 'utf8');
    } catch {
      return '';
    }
  };
  const descendants = (): number[] => {
    const parents = new Map<number, number>();
    for (const entry of readdirSync('/proc')) {
      if (!/^\d+$/.test(entry)) continue;
      const ppid = /PPid:\s+(\d+)/.exec(read(`/proc/${entry}/status`))?.[1];
      if (ppid) parents.set(Number(entry), Number(ppid));
    }
    const isBelow = (pid: number): boolean => {
      for (let p = parents.get(pid); p !== undefined && p > 1; p = parents.get(p))
        if (p === rootPid) return true;
      return false;
    };
    return [...parents.keys()].filter(isBelow);
  };
  const pss = (pid: number): number =>
    Number(/Pss:\s+(\d+) kB/.exec(read(`/proc/${pid}/smaps_rollup`))?.[1] ?? 0) * 1024;
  const now = (): number => descendants().reduce((sum, pid) => sum + pss(pid), 0);
  return {
    now,
    start: (intervalMs = 50) => {
      let peak = now();
      const timer = setInterval(() => {
        peak = Math.max(peak, now());
      }, intervalMs);
      return {
        stop: () => {
          clearInterval(timer);
          return Math.max(peak, now());
        },
      };
    },
  };
}

/** Chromium writes a wasm module's code cache ~2 s after enough TurboFan code (V8's --wasm-caching-timeout-ms); margin for a loaded machine. */
export const CODE_CACHE_SETTLE_MS = 8000;

/**
 * A new page of `context` (which must allow service workers) once the app's
 * service worker has precached it and controls the page: what a returning
 * visitor's pages are.
 */
export async function serviceWorkerPage(context: BrowserContext, base: string): Promise<Page> {
  const page = await context.newPage();
  await page.goto(base);
  await page.evaluate(async () => {
    await navigator.serviceWorker.ready;
  });
  await page.reload();
  await page.waitForFunction(() => navigator.serviceWorker.controller !== null);
  return page;
}

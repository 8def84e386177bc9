/**
 * The built app in headless Chromium, served from dist/ under a sub-path as a
 * static host would. Timings come from the app's own `sz:*` performance marks.
 */
import { existsSync } from 'node:fs';
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium, type Browser, type Page } from '@playwright/test';

export const ROOT = fileURLToPath(new URL('../', import.meta.url));

export interface BrowserHandle {
  browser: Browser;
  base: string;
  close(): Promise<void>;
}

/** Build the app when dist/ is missing, serve it, and launch Chromium. */
export async function openBrowser(port: number): Promise<BrowserHandle> {
  if (!existsSync(join(ROOT, 'dist/index.html')))
    spawnSync('npm', ['run', 'build'], { cwd: ROOT, stdio: 'inherit' });
  const server: ChildProcess = spawn('node', ['tests/e2e/serve.mjs'], {
    cwd: ROOT,
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

/**
 * `npm run bench:largest -- <rows> <columns>`: generate a seeded mixed-type CSV and load + profile
 * it in headless Chromium through the real UI, to find the largest table the browser handles.
 */
import { existsSync, mkdirSync, statSync } from 'node:fs';
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from '@playwright/test';
import { createNativeConnector } from '../src/lib/engine/native-connector';
import { mixedTableSql } from './mixed-table';
import { str } from '../src/lib/core/sql/quote';

const ROOT = fileURLToPath(new URL('../', import.meta.url));
const rows = Number(process.argv[2] ?? 10_000_000);
const columns = Number(process.argv[3] ?? 20);
const path = join(ROOT, `bench/out/mixed-${rows}-${columns}.csv`);
mkdirSync(join(ROOT, 'bench/out'), { recursive: true });
if (!existsSync(path)) {
  const native = await createNativeConnector();
  await native.exec(`COPY (${mixedTableSql(rows, columns)}) TO ${str(path)} (HEADER)`);
  await native.close();
}
console.log(`${rows} rows × ${columns} columns, ${(statSync(path).size / 1e6).toFixed(0)} MB`);
const server = spawn('node', ['tests/e2e/serve.mjs'], {
  cwd: ROOT,
  env: { ...process.env, PORT: '4369' },
  stdio: 'ignore',
});
await new Promise((r) => setTimeout(r, 500));
const browser = await chromium.launch({
  executablePath: process.env.SPRINT_ZERO_CHROMIUM ?? '/usr/bin/chromium',
  args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking'],
});
try {
  const page = await browser.newPage();
  page.on('crash', () => console.log('page crashed'));
  await page.goto('http://127.0.0.1:4369/sprint-zero/');
  await page.getByTestId('file-input').setInputFiles(path);
  const name = path.split('/').pop()!;
  await page.waitForFunction(
    (n) =>
      performance.getEntriesByName(`sz:profile:${n}`).length > 0 ||
      document.querySelector('[data-testid="notice-error"]') !== null,
    name,
    { timeout: 1_800_000, polling: 1000 },
  );
  const result = await page.evaluate(
    (n) => ({
      load: performance.getEntriesByName(`sz:load:${n}`)[0]?.duration,
      profile: performance.getEntriesByName(`sz:profile:${n}`)[0]?.duration,
      error: document.querySelector('[data-testid="notice-error"]')?.textContent,
    }),
    name,
  );
  console.log(JSON.stringify(result));
} finally {
  await browser.close();
  server.kill();
}

import { defineConfig } from '@playwright/test';
import { existsSync } from 'node:fs';

// Playwright cannot download its browsers here; use the system Chromium, or any Chrome given by env.
const executablePath =
  process.env.SPRINT_ZERO_CHROMIUM ??
  process.env.CHROMIUM_PATH ??
  (existsSync('/usr/bin/chromium') ? '/usr/bin/chromium' : undefined);

const PORT = 4319;
export const BASE_URL = `http://127.0.0.1:${PORT}/sprint-zero/`;

/** Every test's context options; a page shared by several tests is made with them too (tests/e2e/fixtures.ts). */
export const CONTEXT_OPTIONS = {
  baseURL: BASE_URL,
  // The service worker precaches ~40 MB per fresh context; only the offline test needs it.
  serviceWorkers: 'block',
} as const;

export default defineConfig({
  testDir: 'tests/e2e',
  timeout: 120_000,
  expect: { timeout: 30_000 },
  // Every test has its own context (storage, IndexedDB) and writes only under its outputPath;
  // the static server keeps no state, so any two tests may run side by side (a serial group stays
  // on one worker): tests, not whole files, are shared out over both cores of the CI box.
  fullyParallel: true,
  workers: 2,
  retries: 0,
  reporter: [['list']],
  use: {
    ...CONTEXT_OPTIONS,
    launchOptions: {
      ...(executablePath ? { executablePath } : {}),
      args: [
        '--no-sandbox',
        '--disable-gpu',
        '--disable-quic',
        '--no-first-run',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
      ],
    },
  },
  webServer: {
    command: 'node tests/e2e/serve.mjs',
    url: BASE_URL,
    reuseExistingServer: !process.env.CI,
    env: { PORT: String(PORT), BASE_PATH: '/sprint-zero/' },
  },
});

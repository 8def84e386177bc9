import { test as base, expect, type Browser, type BrowserContext, type Page } from '@playwright/test';
import { BASE_URL, CONTEXT_OPTIONS } from '../../playwright.config';

/**
 * Every e2e test runs behind a network guard: any request to an origin other
 * than the app's own fails the test, including requests from workers.
 */
export const test = base.extend<{ foreignRequests: string[] }>({
  foreignRequests: [
    async ({ context }, use) => {
      const foreign = guardRequests(context);
      await use(foreign);
      expect(foreign, 'requests to other origins').toEqual([]);
    },
    { auto: true },
  ],
});

export { expect };

/** The network guard for a context the fixtures do not make: URLs of requests to other origins. */
export function guardRequests(context: BrowserContext): string[] {
  const own = new URL(BASE_URL).origin;
  const foreign: string[] = [];
  context.on('request', (request) => {
    const url = request.url();
    if (/^(data|blob|chrome-extension|about):/.test(url)) return;
    if (new URL(url).origin !== own) foreign.push(url);
  });
  return foreign;
}

/**
 * One page for a serial group of tests that only read what it shows, so the
 * demo loads and analyses once for them all; the config's context options
 * and the same network guard, checked by `close`.
 */
export async function sharedPage(browser: Browser): Promise<{ page: Page; close: () => Promise<void> }> {
  const context = await browser.newContext(CONTEXT_OPTIONS);
  const foreign = guardRequests(context);
  const page = await context.newPage();
  return {
    page,
    close: async () => {
      await context.close();
      expect(foreign, 'requests to other origins').toEqual([]);
    },
  };
}

/** Open the app and wait until it is interactive. */
export async function openApp(page: Page): Promise<void> {
  await page.goto('./');
  await expect(page.getByRole('button', { name: 'Try the demo' })).toBeVisible();
}

/** Open a dataset's schema and preview tab and check the row count it shows. */
export async function expectRows(
  page: Page,
  fileName: string,
  rows: string,
  timeout = 60_000,
): Promise<void> {
  const tab = page
    .getByRole('navigation', { name: 'Audit sections' })
    .getByRole('button', { name: fileName, exact: true });
  await expect(tab).toBeVisible({ timeout });
  await tab.click();
  await page.getByRole('button', { name: 'Schema & preview' }).click();
  await expect(page.getByTestId('row-count')).toHaveText(rows, { timeout });
}

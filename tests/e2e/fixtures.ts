import { test as base, expect, type Page } from '@playwright/test';

/**
 * Every e2e test runs behind a network guard: any request to an origin other
 * than the app's own fails the test, including requests from workers.
 */
export const test = base.extend<{ foreignRequests: string[] }>({
  foreignRequests: [
    async ({ context, baseURL }, use) => {
      const own = new URL(baseURL ?? 'http://127.0.0.1').origin;
      const foreign: string[] = [];
      context.on('request', (request) => {
        const url = request.url();
        if (/^(data|blob|chrome-extension|about):/.test(url)) return;
        if (new URL(url).origin !== own) foreign.push(url);
      });
      await use(foreign);
      expect(foreign, 'requests to other origins').toEqual([]);
    },
    { auto: true },
  ],
});

export { expect };

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

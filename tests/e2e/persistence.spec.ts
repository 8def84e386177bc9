import { test, expect, openApp, expectRows } from './fixtures';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const FORMATS = join(fileURLToPath(new URL('../../', import.meta.url)), 'tests/fixtures/formats');

test('the audit list survives a reload', async ({ page }) => {
  await openApp(page);
  await expect(page.getByTestId('no-audits')).toBeVisible();
  await page.getByTestId('file-input').setInputFiles(join(FORMATS, 'tiny.csv'));
  await expectRows(page, 'tiny.csv', '20');
  await page.getByRole('button', { name: '← All audits' }).click();
  await expect(page.getByTestId('audit-list')).toContainText('tiny');
  await page.reload();
  await expect(page.getByTestId('audit-list')).toContainText('tiny');
  await expect(page.getByTestId('audit-list')).toContainText('1 dataset');
  // Reopening shows the saved schema even though client rows were never stored.
  await page.getByRole('button', { name: 'tiny', exact: true }).click();
  await expectRows(page, 'tiny.csv (not loaded)', '20');
  await expect(page.getByText('never stores client rows')).toBeVisible();
});

test.describe('offline', () => {
  test.use({ serviceWorkers: 'allow' });

  test('works offline after one visit', async ({ page, context }) => {
    await openApp(page);
    await page.evaluate(async () => {
      const registration = await navigator.serviceWorker.ready;
      return registration.active?.state;
    });
    // The service worker controls the page only after a reload.
    await page.reload();
    await expect.poll(() => page.evaluate(() => navigator.serviceWorker.controller !== null)).toBe(true);
    await context.setOffline(true);
    await page.reload();
    await expect(page.getByRole('button', { name: 'Try the demo' })).toBeVisible();
    await page.getByTestId('file-input').setInputFiles(join(FORMATS, 'tiny-snappy.parquet'));
    await expectRows(page, 'tiny-snappy.parquet', '20');
    await page.getByRole('button', { name: '+ Add files' }).click();
    await page.getByTestId('file-input').setInputFiles(join(FORMATS, 'tiny.csv'));
    await expectRows(page, 'tiny.csv', '20');
    // Profiling and the readiness checks also run offline: nothing needs a download.
    await page.getByRole('button', { name: 'Readiness & verdict' }).click();
    await expect(page.getByTestId('verdict')).toBeVisible({ timeout: 60_000 });
  });
});

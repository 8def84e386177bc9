import { test, expect, openApp } from './fixtures';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const VEGA = join(ROOT, 'node_modules/vega-datasets/data');

test('loads the demo dataset in one click', async ({ page }) => {
  await openApp(page);
  await page.getByRole('button', { name: 'Try the demo' }).click();
  await expect(page.getByTestId('row-count')).toHaveText('12,000', { timeout: 60_000 });
});

test('loads a CSV through the real file input and shows its row count', async ({ page }) => {
  await openApp(page);
  await page.getByTestId('file-input').setInputFiles(join(VEGA, 'seattle-weather.csv'));
  await expect(page.getByTestId('row-count')).toHaveText('1,461', { timeout: 60_000 });
  await expect(page.getByTestId('preview-range')).toContainText('of 1,461');
});

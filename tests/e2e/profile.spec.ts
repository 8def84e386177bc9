import { test, expect, openApp, expectRows } from './fixtures';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { sectionTab } from './audit-page';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const VEGA = join(ROOT, 'node_modules/vega-datasets/data');

test('cancelling the analysis of a large file leaves the app usable', async ({ page }) => {
  test.setTimeout(240_000);
  await openApp(page);
  await page.getByTestId('file-input').setInputFiles(join(VEGA, 'flights-3m.parquet'));

  // Loading comes first; cancel only once the status says it is profiling.
  const progress = page.getByRole('status').filter({ has: page.getByRole('progressbar') });
  await expect(progress).toContainText('Profiling and auditing', { timeout: 150_000 });
  await progress.getByRole('button', { name: 'Cancel' }).click();

  await expect(page.getByTestId('notice-info')).toContainText('Analysis cancelled', { timeout: 60_000 });
  await expect(progress).toHaveCount(0, { timeout: 60_000 });
  await expect(page.getByTestId('notice-error')).toHaveCount(0);

  // Nothing half-done was saved: no profile, no verdict.
  await sectionTab(page, 'flights-3m.parquet').click();
  await page
    .getByRole('navigation', { name: 'Dataset views' })
    .getByRole('button', { name: 'Profile' })
    .click();
  await expect(page.getByTestId('profile-empty')).toContainText('has not been profiled yet');
  await expect(page.getByRole('button', { name: 'Profile this dataset' })).toBeEnabled();
  await expect(page.getByTestId('column-card')).toHaveCount(0);
  await sectionTab(page, 'Readiness & verdict').click();
  await expect(page.getByTestId('verdict-pending')).toBeVisible();
  await expect(page.getByTestId('run-audit')).toBeEnabled();

  // The table itself is still loaded and queryable.
  await expectRows(page, 'flights-3m.parquet', '3,000,000');
  await expect(page.getByTestId('preview-range')).toContainText('of 3,000,000');
  await expect(page.getByRole('columnheader').first()).toBeVisible();
});

import { test, expect, openApp, expectRows } from './fixtures';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const VEGA = join(ROOT, 'node_modules/vega-datasets/data');
const FORMATS = join(ROOT, 'tests/fixtures/formats');
const BAD = join(ROOT, 'tests/fixtures/bad');

test('loads the demo dataset in one click', async ({ page }) => {
  await openApp(page);
  await page.getByRole('button', { name: 'Try the demo' }).click();
  await expectRows(page, 'customer-churn.csv', '12,000');
});

for (const [file, rows] of [
  [join(VEGA, 'seattle-weather.csv'), '1,461'],
  [join(FORMATS, 'tiny.tsv'), '20'],
  [join(VEGA, 'movies.json'), '3,201'],
  [join(FORMATS, 'tiny.ndjson'), '20'],
  [join(FORMATS, 'tiny-zstd.parquet'), '20'],
  [join(VEGA, 'flights-200k.arrow'), '200,000'],
] as const) {
  test(`loads ${file.split('/').pop()} through the real file input and shows ${rows} rows`, async ({
    page,
  }) => {
    await openApp(page);
    await page.getByTestId('file-input').setInputFiles(file);
    await expectRows(page, file.split('/').pop()!, rows);
    await expect(page.getByTestId('preview-range')).toContainText(`of ${rows}`);
  });
}

test('loads an Excel workbook and switches to the chosen sheet', async ({ page }) => {
  await openApp(page);
  await page.getByTestId('file-input').setInputFiles(join(FORMATS, 'tiny.xlsx'));
  await expectRows(page, 'tiny.xlsx', '20');
  await expect(page.getByTestId('notice-warning')).toContainText(
    '2 sheets (Notes, Customers); loaded “Customers”, the largest',
  );
  await page.getByTestId('sheet-select').selectOption('Notes');
  await page.getByRole('button', { name: 'Load sheet' }).click();
  await expect(page.getByTestId('row-count')).toHaveText('1');
});

test('a workbook with a notes sheet first: the sheets are listed with their sizes and the picked data sheet loads', async ({
  page,
}) => {
  await openApp(page);
  await page.getByTestId('file-input').setInputFiles(join(FORMATS, 'notes-first.xlsx'));
  // The one-line notes sheet no longer blocks the workbook: the largest sheet is pre-selected and loaded.
  await expectRows(page, 'notes-first.xlsx', '30');
  const picker = page.getByTestId('sheet-select');
  await expect(picker.locator('option')).toHaveText([
    'Notes — 0 rows × 1 column',
    'Customers — 30 rows × 4 columns',
    'Regions — 4 rows × 2 columns',
  ]);
  await expect(picker).toHaveValue('Customers');
  await picker.selectOption('Regions');
  await page.getByRole('button', { name: 'Load sheet' }).click();
  await expect(page.getByTestId('row-count')).toHaveText('4');
  await expect(page.getByRole('columnheader', { name: 'manager' })).toBeVisible();
  // Picking the notes sheet explains itself and keeps the sheet that was loaded.
  await picker.selectOption('Notes');
  await page.getByRole('button', { name: 'Load sheet' }).click();
  await expect(page.getByTestId('notice-error')).toContainText(
    '“Notes” has a header row but no data rows. Choose another sheet: Customers, Regions',
  );
  await expect(page.getByTestId('row-count')).toHaveText('4');
});

test('a JSON object with several record arrays loads the largest, and the one the user picks', async ({
  page,
}) => {
  await openApp(page);
  await page.getByTestId('file-input').setInputFiles(join(VEGA, 'miserables.json'));
  await expectRows(page, 'miserables.json', '254');
  const picker = page.getByTestId('json-array-select');
  await expect(picker.locator('option')).toHaveText(['nodes — 77 records', 'links — 254 records']);
  await picker.selectOption('nodes');
  await page.getByRole('button', { name: 'Load array' }).click();
  await expect(page.getByTestId('row-count')).toHaveText('77');
});

test('loads flights-3m.parquet (3M rows) in the browser', async ({ page }) => {
  await openApp(page);
  await page.getByTestId('file-input').setInputFiles(join(VEGA, 'flights-3m.parquet'));
  await expectRows(page, 'flights-3m.parquet', '3,000,000', 90_000);
});

test('a bad file gets a specific message and the app keeps working', async ({ page }) => {
  await openApp(page);
  await page.getByTestId('file-input').setInputFiles(join(BAD, 'png-renamed.parquet'));
  await expect(page.getByTestId('notice-error')).toContainText('content is a PNG image, not Parquet');
  await page.getByTestId('file-input').setInputFiles(join(BAD, 'truncated.parquet'));
  await expect(page.getByTestId('notice-error').nth(1)).toContainText('truncated or corrupted');
  await page.getByTestId('file-input').setInputFiles(join(FORMATS, 'tiny.csv'));
  await expectRows(page, 'tiny.csv', '20');
});

test('hostile column names and values render as plain text', async ({ page }) => {
  let dialogs = 0;
  page.on('dialog', (dialog) => {
    dialogs++;
    void dialog.dismiss();
  });
  await openApp(page);
  await page.getByTestId('file-input').setInputFiles(join(BAD, 'hostile-names.csv'));
  await expectRows(page, 'hostile-names.csv', '5');
  await expect(page.getByRole('columnheader', { name: '<img src=x onerror=alert(1)>' })).toBeVisible();
  await expect(page.getByRole('columnheader', { name: 'a"; DROP TABLE t; --' })).toBeVisible();
  await expect(page.getByText('<script>alert(1)</script>').first()).toBeVisible();
  expect(await page.locator('main img').count()).toBe(0);
  expect(dialogs).toBe(0);
});

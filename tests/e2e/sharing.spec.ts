import { test, expect, openApp, expectRows } from './fixtures';
import { join } from 'node:path';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const FORMATS = join(fileURLToPath(new URL('../../', import.meta.url)), 'tests/fixtures/formats');

test('an exported audit file imports back as a copy, and a damaged one is refused without touching saved audits', async ({
  page,
}) => {
  test.setTimeout(180_000);
  await openApp(page);
  await page.getByTestId('file-input').setInputFiles(join(FORMATS, 'tiny.csv'));
  await expectRows(page, 'tiny.csv', '20');
  await page.getByRole('button', { name: 'Readiness & verdict' }).click();
  await expect(page.getByTestId('verdict')).toBeVisible({ timeout: 60_000 });

  const [download] = await Promise.all([
    page.waitForEvent('download'),
    page
      .getByTestId('export-audit')
      .click()
      .then(() => page.getByTestId('export-download').click()),
  ]);
  const exported = JSON.parse(readFileSync((await download.path())!, 'utf8')) as {
    format: string;
    version: number;
    datasets: { rowCount: number }[];
  };
  expect(exported.format).toBe('sprint-zero-audit');
  expect(exported.version).toBe(1);
  expect(exported.datasets[0]?.rowCount).toBe(20);

  // The HTML report is one self-contained file with the verdict.
  const [report] = await Promise.all([
    page.waitForEvent('download'),
    page
      .getByTestId('export-report')
      .click()
      .then(() => page.getByTestId('export-download').click()),
  ]);
  const html = readFileSync((await report.path())!, 'utf8');
  expect(html).toContain('Sprint Zero readiness audit');
  // tiny.csv has no target: no verdict, said as such.
  expect(html).toMatch(/class="verdict not-assessed">Not assessed</);
  expect(html).not.toMatch(/<script/i);

  await page.getByRole('button', { name: '← All audits' }).click();
  await expect(page.getByTestId('audit-list').getByRole('listitem')).toHaveCount(1);

  // A damaged file is refused whole, with the reason.
  await page.getByTestId('import-input').setInputFiles({
    name: 'broken.audit.json',
    mimeType: 'application/json',
    buffer: Buffer.from(JSON.stringify({ ...exported, datasets: [{ id: 7 }] })),
  });
  await expect(page.getByTestId('notice-error')).toContainText('damaged or incomplete');
  await page.getByTestId('import-input').setInputFiles({
    name: 'notes.json',
    mimeType: 'application/json',
    buffer: Buffer.from('not json at all'),
  });
  await expect(page.getByTestId('notice-error').nth(1)).toContainText('is not JSON');
  await expect(page.getByTestId('audit-list').getByRole('listitem')).toHaveCount(1);

  // The real file imports as a copy next to the original, never over it.
  await page.getByTestId('import-input').setInputFiles((await download.path())!);
  await expect(page.getByTestId('audit-list').getByRole('listitem')).toHaveCount(2);
  await expect(page.getByTestId('audit-list')).toContainText('(imported)');
  await page.reload();
  await expect(page.getByTestId('audit-list').getByRole('listitem')).toHaveCount(2);
});

test('a dataset loaded by mistake can be removed from the audit', async ({ page }) => {
  await openApp(page);
  await page.getByTestId('file-input').setInputFiles([join(FORMATS, 'tiny.csv'), join(FORMATS, 'tiny.tsv')]);
  await expectRows(page, 'tiny.tsv', '20');
  page.once('dialog', (dialog) => void dialog.accept());
  await page.getByRole('button', { name: 'Remove from audit' }).click();
  const sections = page.getByRole('navigation', { name: 'Audit sections' });
  await expect(sections.getByRole('button', { name: 'tiny.tsv', exact: true })).toHaveCount(0);
  await expect(sections.getByRole('button', { name: 'tiny.csv', exact: true })).toBeVisible();
  await page.reload();
  await expect(
    page.getByRole('navigation', { name: 'Audit sections' }).getByRole('button', { name: /tiny\.tsv/ }),
  ).toHaveCount(0);
});

import { test, expect, openApp, expectRows } from './fixtures';
import type { Locator, Page } from '@playwright/test';
import { join } from 'node:path';
import { readFileSync, writeFileSync } from 'node:fs';
import { largeAudit, plantedEmail } from '../fixtures/large-audit';
import { importAuditText, storedAudits } from './saved-audits';
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
  expect(html).toMatch(/class="verdict v-not-assessed">Not assessed</);
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

/** Round-trips to the page while `busy` is visible: how long the page took to answer each one. */
async function roundTripsWhile(page: Page, busy: Locator): Promise<number[]> {
  const times: number[] = [];
  while (await busy.isVisible()) {
    const started = Date.now();
    await page.evaluate(() => document.title);
    times.push(Date.now() - started);
    await page.waitForTimeout(50);
  }
  return times;
}

test('a 10 MB audit file imports in a worker, step by step, while the page keeps answering', async ({
  page,
}) => {
  test.setTimeout(180_000);
  await openApp(page);
  const text = JSON.stringify(largeAudit());
  expect(text.length).toBeGreaterThan(9_500_000);
  const path = test.info().outputPath('large.audit.json');
  writeFileSync(path, text);

  await page.getByTestId('import-input').setInputFiles(path);
  const progress = page.getByTestId('import-progress');
  await expect(progress).toBeVisible();
  const steps = new Set<string>();
  const stepText = page.getByTestId('import-step');
  const watchSteps = (async () => {
    while (await progress.isVisible()) {
      steps.add((await stepText.textContent({ timeout: 1_000 }).catch(() => null)) ?? '');
      await page.waitForTimeout(25);
    }
  })();
  const started = Date.now();
  const times = await roundTripsWhile(page, progress);
  await watchSteps;
  test.info().annotations.push({
    type: 'figures',
    description: `import ${Date.now() - started} ms, ${times.length} round-trips, slowest ${Math.max(...times)} ms`,
  });
  console.log(test.info().annotations.at(-1)?.description, [...steps]);
  // The page answered throughout: the masking (most of the import's 8–10 s) ran in the worker.
  // The hand-over of the finished 10 MB document (its copy and first render) is the page's own
  // work: 375 ms on a quiet run, 1,049 ms once beside another spec on two cores. On the page,
  // the masking would freeze it for seconds.
  expect(times.length).toBeGreaterThan(5);
  expect(Math.max(...times)).toBeLessThan(2_000);
  expect([...steps].join('\n')).toContain('Masking the values of 1 personal-data column…');

  await expect(page.getByTestId('notice-info')).toContainText(
    /Imported audit “Large audit”; 1\d\d,\d{3} personal values masked\./,
  );
  await expect(page.getByTestId('audit-list').getByRole('listitem')).toHaveCount(1);
  const stored = await storedAudits(page);
  expect(stored).toContain('"email"');
  expect(stored).not.toContain(plantedEmail(1));
});

test('cancelling an import stops its worker and leaves the saved audits as they were', async ({ page }) => {
  test.setTimeout(180_000);
  await openApp(page);
  await importAuditText(
    page,
    'small.audit.json',
    JSON.stringify(largeAudit({ emails: 20, id: 'small', name: 'Small' })),
  );
  const list = page.getByTestId('audit-list').getByRole('listitem');
  await expect(list).toHaveCount(1);
  const before = await storedAudits(page);

  const path = test.info().outputPath('large.audit.json');
  writeFileSync(path, JSON.stringify(largeAudit({ id: 'large' })));
  let importWorkerClosed = false;
  page.on('worker', (worker) => {
    if (worker.url().includes('import-worker')) worker.once('close', () => (importWorkerClosed = true));
  });
  await page.getByTestId('import-input').setInputFiles(path);
  await expect(page.getByTestId('import-step')).toContainText('Masking the values');
  // Keyboard only: the cancel button takes focus and Enter presses it.
  await page.getByTestId('import-cancel').focus();
  await page.keyboard.press('Enter');
  await expect(page.getByTestId('import-progress')).toHaveCount(0);
  await expect(page.getByTestId('notice-info').last()).toContainText(
    'The import of “large.audit.json” was cancelled; nothing was saved.',
  );
  // The import's worker is gone, so no masking or write of it can still land.
  await expect.poll(() => importWorkerClosed, { timeout: 30_000 }).toBe(true);
  await expect(list).toHaveCount(1);
  expect(await storedAudits(page)).toBe(before);
  await page.reload();
  await expect(list).toHaveCount(1);
  await expect(page.getByTestId('audit-list')).not.toContainText('Large audit');
});

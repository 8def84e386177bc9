import { test, expect, openApp, expectRows } from './fixtures';
import type { Page } from '@playwright/test';
import { largeAudit } from '../fixtures/large-audit';
import { importAuditText, refuseWrites, storedAudits } from './saved-audits';
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

async function rename(page: Page, name: string): Promise<void> {
  await page.getByLabel('Audit name').fill(name);
  await page.getByLabel('Audit name').press('Enter');
}

test('an edit left unsaved by a full disk survives another tab’s save, and the user picks which to keep', async ({
  page,
  context,
}) => {
  await openApp(page);
  await importAuditText(
    page,
    'lost-edit.audit.json',
    JSON.stringify(largeAudit({ emails: 5, id: 'lost-edit', name: 'Lost edit' })),
  );
  await page.getByTestId('audit-list').getByRole('button', { name: 'Lost edit', exact: true }).click();
  await expect(page.getByLabel('Audit name')).toHaveValue('Lost edit');
  const other = await context.newPage();
  await other.goto(page.url());
  await expect(other.getByLabel('Audit name')).toHaveValue('Lost edit');

  // Tab 1's edit cannot be saved; tab 2 then saves its own.
  await refuseWrites(page, true);
  await rename(page, 'Mine, unsaved');
  await expect(page.getByTestId('unsaved-changes')).toContainText('storage for this site is full');
  await rename(other, 'Theirs, saved');
  const conflict = page.getByTestId('tab-conflict');
  await expect(conflict).toBeVisible();
  // Tab 1's edit is still there, and what differs is named.
  await expect(page.getByLabel('Audit name')).toHaveValue('Mine, unsaved');
  await expect(conflict.getByTestId('tab-conflict-differences')).toHaveText(
    'Name: “Mine, unsaved” here, “Theirs, saved” in the other tab.',
  );
  expect(await storedAudits(page)).toContain('Theirs, saved');

  // Mine, once the disk has room: saved over the other tab's version, which follows.
  await refuseWrites(page, false);
  await conflict.getByTestId('keep-mine').click();
  await expect(conflict).toHaveCount(0);
  await expect(page.getByTestId('unsaved-changes')).toHaveCount(0);
  await expect(other.getByLabel('Audit name')).toHaveValue('Mine, unsaved');
  expect(await storedAudits(page)).toContain('"name":"Mine, unsaved"');

  // Theirs: this tab's unsaved edit is dropped for the other tab's save.
  await refuseWrites(page, true);
  await rename(page, 'Mine again');
  await expect(page.getByTestId('unsaved-changes')).toBeVisible();
  await rename(other, 'Theirs again');
  await expect(conflict).toBeVisible();
  await expect(page.getByLabel('Audit name')).toHaveValue('Mine again');
  await conflict.getByTestId('keep-theirs').click();
  await expect(page.getByLabel('Audit name')).toHaveValue('Theirs again');
  await expect(conflict).toHaveCount(0);
  await expect(page.getByTestId('unsaved-changes')).toHaveCount(0);
  await refuseWrites(page, false);
  // The next edit builds on the kept version and saves.
  await rename(page, 'After the choice');
  await expect(other.getByLabel('Audit name')).toHaveValue('After the choice');
});

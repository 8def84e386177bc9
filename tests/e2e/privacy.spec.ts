import { test, expect, openApp } from './fixtures';
import { XSS, hostileAuditText } from '../fixtures/hostile/hostile-audit';
import { largeAudit, plantedEmail } from '../fixtures/large-audit';
import { refuseWrites, storedAudits } from './saved-audits';
import { plantedExtract, plantedLeaks } from '../fixtures/planted-personal';
import type { Page } from '@playwright/test';
import { readFileSync, writeFileSync } from 'node:fs';
import { exportWithDialog } from './exports';

async function importFile(page: Page, name: string, text: string): Promise<void> {
  await page.getByTestId('import-input').setInputFiles({
    name,
    mimeType: 'application/json',
    buffer: Buffer.from(text),
  });
}

test('hostile audit files are inert or refused, and saved audits stay unchanged', async ({ page }) => {
  test.setTimeout(180_000);
  await openApp(page);
  const list = page.getByTestId('audit-list').getByRole('listitem');

  // Markup in every string field, __proto__ keys, an id the route cannot open and a forged verdict.
  await importFile(page, 'hostile.audit.json', hostileAuditText());
  await expect(list).toHaveCount(1);
  await expect(list.first()).toContainText('Hostile <img src=x');
  await expect(list.first()).toContainText('Not ready');
  const saved = await storedAudits(page);
  expect(saved).not.toContain('svg onload');

  await list
    .first()
    .getByRole('button', { name: /^Hostile/ })
    .click();
  await expect(page).toHaveURL(/#\/audit\/[\w-]+$/);
  await expect(page.getByTestId('verdict')).toContainText('Not ready');
  await expect(page.getByText(XSS).first()).toBeVisible();
  await page
    .getByRole('navigation', { name: 'Audit sections' })
    .getByRole('button', { name: /\.csv/ })
    .click();
  await page.getByRole('button', { name: '← All audits' }).click();
  await expect(list).toHaveCount(1);
  expect(
    await page.evaluate(() => ({
      xss: (window as unknown as { __xss?: number }).__xss,
      polluted: ({} as Record<string, unknown>).polluted,
      injected: document.querySelectorAll('img[src="x"], svg[onload], body script').length,
    })),
  ).toEqual({ xss: undefined, polluted: undefined, injected: 0 });

  // The landing page says how much the saved audits take.
  await expect(page.getByTestId('storage-use')).toContainText(/Saved audits use \d+(\.\d)? [KMG]B of/);

  // Refused whole, saying what is wrong and where; nothing stored changes.
  const errors = page.getByTestId('notice-error');
  // Playwright passes large files by path only.
  const huge = test.info().outputPath('huge.audit.json');
  writeFileSync(huge, Buffer.alloc(51 * 1024 * 1024, 32));
  await page.getByTestId('import-input').setInputFiles(huge);
  await expect(errors.last()).toContainText('at most 50 MB');
  await importFile(
    page,
    'deep.audit.json',
    `{"format":"sprint-zero-audit","version":1,"findings":[{"details":[${'{"a":'.repeat(50_000)}1${'}'.repeat(50_000)}]}]}`,
  );
  await expect(errors.last()).toContainText('deeper than 32 levels (at findings.0.details.0.a.a');
  const long = JSON.parse(hostileAuditText()) as { name: string };
  long.name = 'n'.repeat(20_000);
  await importFile(page, 'long.audit.json', JSON.stringify(long));
  await expect(errors.last()).toContainText('name:');
  const many = JSON.parse(hostileAuditText()) as { findings: unknown[] };
  many.findings = Array.from({ length: 5_001 }, () => many.findings[0]);
  await importFile(page, 'many.audit.json', JSON.stringify(many));
  await expect(errors.last()).toContainText('findings');

  await expect(list).toHaveCount(1);
  expect(await storedAudits(page)).toBe(saved);
  await page.reload();
  await expect(list).toHaveCount(1);
  expect(await storedAudits(page)).toBe(saved);
});

test('an edit saved in one tab shows in the other, whose next edit builds on it', async ({
  page,
  context,
}) => {
  await openApp(page);
  const text = JSON.stringify({ ...JSON.parse(hostileAuditText()), id: 'two-tabs', name: 'Two tabs' });
  await importFile(page, 'two-tabs.audit.json', text);
  await page.getByTestId('audit-list').getByRole('button', { name: 'Two tabs', exact: true }).click();
  await expect(page.getByLabel('Audit name')).toHaveValue('Two tabs');

  const other = await context.newPage();
  await other.goto(page.url());
  await expect(other.getByLabel('Audit name')).toHaveValue('Two tabs');
  await other.getByLabel('Audit name').fill('Renamed in tab 2');
  await other.getByLabel('Audit name').press('Enter');

  await expect(page.getByLabel('Audit name')).toHaveValue('Renamed in tab 2');
  await expect(page.getByTestId('other-tab-sync')).toBeVisible();
  // Tab 1's edit now builds on tab 2's revision instead of being refused or overwriting it.
  await page.getByLabel('Audit name').fill('Renamed in tab 1');
  await page.getByLabel('Audit name').press('Enter');
  await expect(other.getByLabel('Audit name')).toHaveValue('Renamed in tab 1');
  await expect(page.getByTestId('notice-error')).toHaveCount(0);
});

test('a change the browser refuses to store (disk full) stays in the tab, says why and can be exported', async ({
  page,
}) => {
  await openApp(page);
  const text = JSON.stringify({ ...JSON.parse(hostileAuditText()), id: 'quota', name: 'Quota' });
  await importFile(page, 'quota.audit.json', text);
  await page.getByTestId('audit-list').getByRole('button', { name: 'Quota', exact: true }).click();
  await expect(page.getByLabel('Audit name')).toHaveValue('Quota');
  const before = await storedAudits(page);

  // From now on IndexedDB refuses this tab's writes as a full disk would.
  await refuseWrites(page, true);
  await page.getByLabel('Audit name').fill('Edited while the disk is full');
  await page.getByLabel('Audit name').press('Enter');
  const banner = page.getByTestId('unsaved-changes');
  await expect(banner).toContainText('not saved');
  await expect(banner).toContainText('storage for this site is full');
  await expect(page.getByLabel('Audit name')).toHaveValue('Edited while the disk is full');
  expect(await storedAudits(page)).toBe(before);

  await banner.getByTestId('unsaved-export').click();
  const [download] = await Promise.all([
    page.waitForEvent('download'),
    page.locator('dialog[open]').getByTestId('export-download').click(),
  ]);
  const exported = JSON.parse(readFileSync((await download.path())!, 'utf8')) as { name: string };
  expect(exported.name).toBe('Edited while the disk is full');
});

test('a file asking to keep personal values is not trusted: the user is asked, and masked is the default', async ({
  page,
}) => {
  test.setTimeout(120_000);
  await openApp(page);
  const raw = plantedEmail(7);
  const asks = (id: string): string =>
    JSON.stringify(
      largeAudit({ emails: 50, id, name: id, storePersonalValues: true, redactionMode: 'none' }),
    );
  const dialog = page.getByTestId('import-privacy');
  const list = page.getByTestId('audit-list').getByRole('listitem');

  // Enter takes the focused default answer: masked.
  await importFile(page, 'asks.audit.json', asks('Asks'));
  await expect(dialog).toBeVisible();
  await expect(dialog).toContainText(
    'It was saved with “Keep personal values in this browser’s saved audit” switched on.',
  );
  await expect(dialog).toContainText('It was exported with personal values included.');
  await expect(dialog.getByTestId('import-privacy-columns')).toHaveText('clients.csv: email');
  await expect(dialog.getByTestId('import-mask-values')).toBeFocused();
  await page.keyboard.press('Enter');
  await expect(dialog).toBeHidden();
  await expect(page.getByTestId('notice-info').last()).toContainText(
    /Imported audit “Asks”; \d+ personal values masked\./,
  );
  await expect(list).toHaveCount(1);
  let stored = await storedAudits(page);
  expect(stored).not.toContain(raw);
  expect(stored).not.toContain('"storePersonalValues":true');

  // Escape is the default answer too.
  await importFile(page, 'escape.audit.json', asks('Escape'));
  await expect(dialog).toBeVisible();
  await page.keyboard.press('Escape');
  await expect(list).toHaveCount(2);
  stored = await storedAudits(page);
  expect(stored).not.toContain(raw);

  // Only an explicit choice keeps the values, and the opened audit shows that choice.
  await importFile(page, 'keep.audit.json', asks('Kept'));
  await dialog.getByTestId('import-keep-values').click();
  await expect(page.getByTestId('notice-info').last()).toContainText(
    'Imported audit “Kept”, with its personal values kept, as you chose.',
  );
  await expect(list).toHaveCount(3);
  stored = await storedAudits(page);
  expect(stored).toContain(raw);
  await page.getByTestId('audit-list').getByRole('button', { name: 'Kept', exact: true }).click();
  const panel = page.getByTestId('personal-data');
  await panel.locator('summary').click();
  await expect(panel.getByRole('checkbox', { name: /^Keep personal values/ })).toBeChecked();
});

async function download(page: Page, click: () => Promise<void>): Promise<string> {
  const [file] = await Promise.all([page.waitForEvent('download'), click()]);
  return readFileSync((await file.path())!, 'utf8');
}

test('planted personal data (issue 18) leaves the browser masked: every export, the clipboard and the saved audit', async ({
  page,
  context,
}) => {
  test.setTimeout(480_000);
  await context.grantPermissions(['clipboard-read', 'clipboard-write']);
  const current = test.info().outputPath('current.csv');
  const reference = test.info().outputPath('reference.csv');
  writeFileSync(current, plantedExtract(true));
  writeFileSync(reference, plantedExtract(false));
  const sections = page.getByRole('navigation', { name: 'Audit sections' });
  const readiness = sections.getByRole('button', { name: 'Readiness & verdict' });

  await openApp(page);
  await page.getByTestId('file-input').setInputFiles([current, reference]);
  await expect(sections.getByRole('button', { name: 'reference.csv', exact: true })).toBeVisible({
    timeout: 120_000,
  });
  await readiness.click();
  await expect(page.getByTestId('verdict')).toBeVisible({ timeout: 180_000 });
  // The phone is the ID, the dates the time axis, churned the label.
  for (const [testId, column] of [
    ['role-target', 'churned'],
    ['role-id', 'phone'],
    ['role-event-time', 'date'],
  ] as const) {
    if ((await page.getByTestId(testId).inputValue()) === column) continue;
    await page.getByTestId(testId).selectOption(column);
    await expect(page.getByTestId(testId)).toHaveValue(column);
    await expect(page.getByTestId('verdict')).toBeVisible({ timeout: 180_000 });
  }

  // The metric plan (its rule search reads customer_name, which predicts the label).
  await sections.getByRole('button', { name: 'Success metrics' }).click();
  await page.getByRole('button', { name: 'Fill in the churn example' }).click();
  await page.getByTestId('plan-save').click();
  await expect(page.getByTestId('plan-summary')).toBeVisible({ timeout: 180_000 });
  await expect(page.getByTestId('plan-save')).toBeEnabled({ timeout: 180_000 });
  await page.getByRole('button', { name: 'Copy summary' }).click();
  const summary = await page.evaluate(() => navigator.clipboard.readText());
  expect(summary.length).toBeGreaterThan(20);
  expect(plantedLeaks(summary)).toEqual([]);

  // Drift of the current extract against the reference, and its monitoring contract.
  await sections.getByRole('button', { name: 'Drift' }).click();
  const drift = page.getByRole('region', { name: 'Drift' });
  await expect(drift.getByRole('button', { name: 'Measure drift' })).toBeEnabled({ timeout: 180_000 });
  await drift.getByRole('combobox', { name: /^Compare/ }).selectOption('datasets');
  await drift.getByRole('combobox', { name: /^Current/ }).selectOption({ label: 'current.csv' });
  await drift.getByRole('combobox', { name: /^Reference/ }).selectOption({ label: 'reference.csv' });
  await drift.getByRole('button', { name: 'Measure drift' }).click();
  await expect(drift.getByRole('table', { name: 'Columns by drift, most severe first' })).toBeVisible({
    timeout: 180_000,
  });
  const contract = await download(page, () =>
    drift.getByRole('button', { name: 'Download the contract (JSON)' }).click(),
  );
  expect(contract).toContain('"columns"');

  // Every export, with the dialog's defaults.
  await readiness.click();
  const audit = await exportWithDialog(page, 'export-audit');
  const report = await exportWithDialog(page, 'export-report');
  // The dialog names each dataset once, before its personal columns.
  expect(audit.contains).toContain('current.csv: ');
  expect(audit.contains).toContain('reference.csv: ');
  await sections.getByRole('button', { name: 'Sprint 0' }).click();
  const sprint0 = await download(page, () => page.getByTestId('export-sprint0-html').click());
  const markdown = await download(page, () => page.getByTestId('export-sprint0-markdown').click());
  const exported = JSON.parse(audit.text) as { drift?: unknown; plan?: { results?: unknown } };
  // The outputs hold what the checks look at: drift, the plan's results, the report's text.
  expect(exported.drift).toBeDefined();
  expect(exported.plan?.results).toBeDefined();
  expect(sprint0).toContain('reach');
  expect(markdown).toContain('churned');
  for (const [name, text] of Object.entries({
    audit: audit.text,
    report: report.text,
    sprint0,
    markdown,
    contract,
  }))
    expect({ name, leaks: plantedLeaks(text) }).toEqual({ name, leaks: [] });

  // A single value copied from a finding's evidence cannot run as a formula in a spreadsheet.
  await readiness.click();
  await page.evaluate(() => document.querySelectorAll('details').forEach((d) => (d.open = true)));
  const copyPhone = page.getByRole('button', { name: /^Copy: \+/ }).first();
  await copyPhone.click();
  const copied = await page.evaluate(() => navigator.clipboard.readText());
  expect(copied).toMatch(/^'\+9/);
  expect(plantedLeaks(copied)).toEqual([]);

  // And the audit saved in this browser.
  const stored = await storedAudits(page);
  expect(stored).toContain('customer_name');
  expect(plantedLeaks(stored)).toEqual([]);
});

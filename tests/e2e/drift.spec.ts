import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { test, expect, openApp } from './fixtures';
import { sectionTab } from './audit-page';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const LATER = join(ROOT, 'public/demo/customer-churn-2027-02.csv');
const PLANTED = JSON.parse(
  readFileSync(join(ROOT, 'public/demo/customer-churn-2027-02.planted.json'), 'utf8'),
) as {
  untouched: string[];
};
/** Analysis of the demo takes 5–30 s on two cores; leave room for a slow machine. */
const ANALYSIS = 180_000;

test('drift on the demo: the later extract’s planted shifts lead the table, controls stay stable, the history heatmap draws, the re-audit diff reads an exported audit', async ({
  page,
}) => {
  test.setTimeout(480_000);
  await openApp(page);
  await page.getByRole('button', { name: 'Try the demo' }).click();
  await sectionTab(page, 'Readiness & verdict').click({ timeout: ANALYSIS });
  await expect(page.getByTestId('verdict')).toBeVisible({ timeout: ANALYSIS });

  // The audit as it stood before the refreshed extract, exported for the re-audit diff.
  await page.getByTestId('export-audit').click();
  const [exported] = await Promise.all([
    page.waitForEvent('download'),
    page.locator('dialog[open]').getByTestId('export-download').click(),
  ]);
  const before = test.info().outputPath('before.audit.json');
  await exported.saveAs(before);

  // The client's later extract, added through the "+ Add files" tab.
  await sectionTab(page, '+ Add files').click();
  await page.getByTestId('file-input').setInputFiles(LATER);
  await expect(sectionTab(page, 'customer-churn-2027-02.csv')).toBeVisible({ timeout: ANALYSIS });

  await sectionTab(page, 'Drift').click();
  const drift = page.getByRole('region', { name: 'Drift' });
  const measure = drift.getByRole('button', { name: 'Measure drift' });
  // Disabled while the added file is profiled and the audit re-run.
  await expect(measure).toBeEnabled({ timeout: ANALYSIS });
  await expect(drift.getByTestId('drift-empty')).toContainText('No comparison yet');
  // The form starts with the extract just added as current and the audited one as reference.
  await expect(drift.getByRole('combobox', { name: /^Compare/ })).toHaveValue('datasets');
  await drift
    .getByRole('combobox', { name: /^Current/ })
    .selectOption({ label: 'customer-churn-2027-02.csv' });
  await drift.getByRole('combobox', { name: /^Reference/ }).selectOption({ label: 'customer-churn.csv' });
  await measure.click();

  const table = drift.getByRole('table', { name: 'Columns by drift, most severe first' });
  await expect(table).toBeVisible({ timeout: ANALYSIS });
  await expect(drift.getByTestId('drift-summary')).toContainText(
    'customer-churn.csv → customer-churn-2027-02.csv',
  );
  const rows = table.locator('tbody tr');
  const verdicts = await rows.locator('td:nth-child(2)').allTextContents();
  const names = await rows.locator('th').allTextContents();
  const firstStable = verdicts.findIndex((v) => v !== 'Drift');
  expect(firstStable).toBeGreaterThan(0);
  // Every drifted column comes before every other one, and the planted shifts are among them.
  expect(verdicts.slice(firstStable)).not.toContain('Drift');
  const drifted = names.slice(0, firstStable).map((n) => n.trim());
  for (const planted of ['monthly_fee', 'plan', 'payment_method']) expect(drifted).toContain(planted);
  for (const control of PLANTED.untouched) {
    const row = rows.filter({ has: page.getByRole('rowheader', { name: control, exact: true }) });
    await expect(row.locator('td').first()).toHaveText('Stable');
  }
  // The new plan is named in the notes with its share.
  await expect(rows.filter({ hasText: 'Enterprise Plus' })).toContainText('new: Enterprise Plus');

  // A column opens to its overlaid distributions.
  await table.getByRole('button', { name: 'monthly_fee', exact: true }).click();
  await expect(
    drift.getByRole('img', { name: 'Reference and current shares of monthly_fee' }).locator('svg'),
  ).toBeVisible();

  // Label and concept drift: the North label flip moves North's churn rate.
  await expect(drift.getByRole('heading', { name: 'Label and concept drift' })).toBeVisible();

  // The history heatmap of the current extract, drawn as SVG.
  await expect(drift.getByRole('heading', { name: 'Drift inside the history' })).toBeVisible();
  const heatmap = drift.getByRole('img', { name: 'Heatmap of drift by column and month' });
  await expect(heatmap.locator('svg')).toBeVisible();
  await expect(heatmap.locator('svg path, svg rect').first()).toBeAttached();
  // The later extract's history is stationary: no column drifts month to month.
  await expect(drift.getByTestId('history-verdict')).toHaveText(
    'No column drifts inside the history: no month reaches the major PSI level, and no month’s label class rates move by the label-drift rule.',
  );

  // The monitoring contract downloads as JSON with the reference bins and SQL.
  const [contract] = await Promise.all([
    page.waitForEvent('download'),
    drift.getByRole('button', { name: 'Download the contract (JSON)' }).click(),
  ]);
  const body = JSON.parse(readFileSync((await contract.path())!, 'utf8')) as {
    columns: { column: string; sql?: unknown }[];
  };
  expect(body.columns.map((c) => c.column)).toContain('monthly_fee');

  // The re-audit diff against the audit exported before the later extract was added.
  await drift.getByLabel('Compare with an earlier audit file').setInputFiles(before);
  const diff = drift.getByRole('region', { name: 'Re-audit diff' });
  await expect(diff.getByTestId('diff-summary')).toContainText('this audit: verdict unchanged (Not ready)');
  await expect(diff.getByRole('heading', { level: 4 })).toHaveText([
    'customer-churn.csv: rows 12,000 → 12,000',
    'Added: customer-churn-2027-02.csv (6,000 rows)',
  ]);

  await page.screenshot({ path: test.info().outputPath('drift-tab.png'), fullPage: true });
});

test('the re-audit diff compares with a saved audit picked from a list', async ({ page }) => {
  test.setTimeout(480_000);
  await openApp(page);
  // Two audits of the same extract: the first becomes the saved audit the second compares with.
  for (let run = 0; run < 2; run++) {
    if (run > 0) {
      await page.getByRole('button', { name: '← All audits' }).click();
      await expect(page.getByRole('button', { name: 'Try the demo' })).toBeVisible();
    }
    await page.getByRole('button', { name: 'Try the demo' }).click();
    await sectionTab(page, 'Readiness & verdict').click({ timeout: ANALYSIS });
    await expect(page.getByTestId('verdict')).toBeVisible({ timeout: ANALYSIS });
  }

  await sectionTab(page, 'Drift').click();
  const diff = page.getByRole('region', { name: 'Re-audit diff' });
  const saved = diff.getByTestId('diff-saved');
  // The open audit is not offered against itself: one other saved audit, after the placeholder.
  await expect(saved.locator('option')).toHaveCount(2);
  await saved.selectOption({ index: 1 });
  await expect(diff.getByTestId('diff-summary')).toContainText('this audit: verdict unchanged (Not ready)');
  await expect(diff.getByRole('heading', { level: 4 })).toHaveText([
    'customer-churn.csv: rows 12,000 → 12,000',
  ]);
  await expect(diff.getByLabel('or with an earlier audit file')).toBeVisible();
});

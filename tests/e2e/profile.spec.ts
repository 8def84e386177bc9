import { test, expect, openApp, expectRows } from './fixtures';
import type { Page } from '@playwright/test';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const VEGA = join(ROOT, 'node_modules/vega-datasets/data');

/** Analysis of the demo takes 5–20 s on two cores; leave room for a slow machine. */
const ANALYSIS = 120_000;

/** The 18 columns of public/demo/customer-churn.csv (see customer-churn.planted.json). */
const DEMO_COLUMNS = [
  'customer_id',
  'source_system',
  'email',
  'phone',
  'signup_date',
  'snapshot_date',
  'region',
  'plan',
  'contract_type',
  'payment_method',
  'monthly_fee',
  'tenure_months',
  'support_tickets',
  'last_login_days',
  'churned',
  'churn_date',
  'card_number',
  'cancellation_reason',
];

function sectionTab(page: Page, name: string) {
  return page.getByRole('navigation', { name: 'Audit sections' }).getByRole('button', { name, exact: true });
}

/** Collect uncaught page errors and console errors (Vega reports failures there). */
function watchErrors(page: Page): string[] {
  const errors: string[] = [];
  page.on('pageerror', (error) => errors.push(`pageerror: ${error.message}`));
  page.on('console', (message) => {
    if (message.type() === 'error') errors.push(`console: ${message.text()}`);
  });
  return errors;
}

test('the demo profile shows alerts first, one card per column, filters, details and charts', async ({
  page,
}) => {
  test.setTimeout(180_000);
  const errors = watchErrors(page);
  await openApp(page);
  await page.getByRole('button', { name: 'Try the demo' }).click();
  await sectionTab(page, 'customer-churn.csv').click({ timeout: ANALYSIS });
  await page
    .getByRole('navigation', { name: 'Dataset views' })
    .getByRole('button', { name: 'Profile' })
    .click();

  // The profile is saved when the analysis ends; alerts come first.
  const alerts = page.getByTestId('profile-alerts');
  await expect(alerts).toBeVisible({ timeout: ANALYSIS });
  await expect(alerts.getByRole('heading', { level: 3 })).toHaveText(/^Alerts \(\d+\)$/);
  await expect(alerts).toContainText('monthly_fee');
  await expect(alerts).toContainText('payment_method');
  const cards = page.getByTestId('column-card');
  await expect(cards).toHaveCount(DEMO_COLUMNS.length);
  const alertsBox = await alerts.boundingBox();
  const firstCardBox = await cards.first().boundingBox();
  expect(alertsBox, 'alerts are laid out').not.toBeNull();
  expect(firstCardBox, 'the first column card is laid out').not.toBeNull();
  expect(alertsBox!.y + alertsBox!.height).toBeLessThanOrEqual(firstCardBox!.y);

  // One card per column, each named after its column.
  expect((await cards.evaluateAll((els) => els.map((el) => el.getAttribute('data-column')))).sort()).toEqual(
    [...DEMO_COLUMNS].sort(),
  );
  const count = page.getByTestId('column-count-shown');
  await expect(count).toHaveText('Showing 18 of 18 columns');

  // Search narrows the cards by name.
  const search = page.getByTestId('column-search');
  await search.fill('date');
  await expect(cards).toHaveCount(3);
  expect((await cards.evaluateAll((els) => els.map((el) => el.getAttribute('data-column')))).sort()).toEqual([
    'churn_date',
    'signup_date',
    'snapshot_date',
  ]);
  await expect(count).toHaveText('Showing 3 of 18 columns');

  // "Only columns with alerts" narrows further: snapshot_date has no column alert, the others do.
  const alertsOnly = page.getByTestId('alerts-only-toggle');
  await alertsOnly.check();
  await expect(cards).toHaveCount(2);
  await expect(page.locator('[data-testid="column-card"][data-column="snapshot_date"]')).toHaveCount(0);
  for (const card of await cards.all()) await expect(card.getByText(/^\d+ alerts?$/)).toBeVisible();

  // Alerts only, no search: fewer than all 18 cards, and every card shown carries an alert.
  await search.fill('');
  const withAlerts = await cards.count();
  expect(withAlerts).toBeGreaterThan(1);
  expect(withAlerts).toBeLessThan(DEMO_COLUMNS.length);
  await expect(count).toHaveText(`Showing ${withAlerts} of 18 columns`);
  await search.fill('no such column');
  await expect(cards).toHaveCount(0);
  await expect(page.getByText('No column matches these filters.')).toBeVisible();
  await search.fill('');
  await alertsOnly.uncheck();
  await expect(cards).toHaveCount(DEMO_COLUMNS.length);

  // A card expands to its full statistics: monthly_fee has quantiles and the 99999 sentinel.
  const fee = page.locator('[data-testid="column-card"][data-column="monthly_fee"]');
  const toggle = fee.getByRole('button', { name: 'Show all statistics' });
  await expect(toggle).toHaveAttribute('aria-expanded', 'false');
  await expect(fee.getByRole('table', { name: /^Quantiles/ })).toHaveCount(0);
  await toggle.click();
  await expect(fee.getByRole('button', { name: 'Hide details' })).toHaveAttribute('aria-expanded', 'true');
  const quantiles = fee.getByRole('table', { name: /^Quantiles/ });
  await expect(quantiles).toBeVisible();
  await expect(quantiles.getByRole('row', { name: /^p50 \(median\)/ })).toContainText('62.38');
  await expect(quantiles.getByRole('row', { name: /^p25 \(Q1\)/ })).toBeVisible();
  await expect(quantiles.getByRole('row', { name: /^p75 \(Q3\)/ })).toBeVisible();
  const numeric = fee.getByRole('table', { name: /^Numeric statistics/ });
  await expect(numeric.getByRole('row', { name: /^Max/ })).toContainText('99,999');
  await expect(numeric.getByRole('row', { name: /^Min/ })).toContainText('-1');
  const sentinels = fee.getByRole('table', { name: /sentinels/ });
  await expect(sentinels).toBeVisible();
  // A sentinel is a code in the data, shown as written (no thousands separator); Max is a statistic.
  const sentinelRow = sentinels.getByRole('row', { name: /^99999\b/ });
  await expect(sentinelRow).toBeVisible();
  await expect(sentinelRow.getByRole('cell').first()).toHaveText(/^12\b/);
  await fee.getByRole('button', { name: 'Hide details' }).click();
  await expect(quantiles).toHaveCount(0);

  // Charts are drawn by Vega as SVG, with marks, and none failed. (Located by their panel, not by
  // accessible name: Vega replaces the label VegaChart gives its host, see the test below.)
  const missingPanel = page.getByRole('heading', { name: 'Missing values', level: 4 }).locator('..');
  await missingPanel.scrollIntoViewIfNeeded();
  const missingSvg = missingPanel.locator('figure svg').first();
  await expect(missingSvg).toBeVisible();
  expect(await missingSvg.locator('g.mark-rect path').count()).toBeGreaterThan(0);
  const timelineSvg = page
    .getByRole('heading', { name: 'Rows over time', level: 4 })
    .locator('..')
    .locator('figure svg');
  await expect(timelineSvg.first()).toBeVisible();
  // One bar per month with rows: March 2024 to February 2026 without April 2025, plus the future months.
  expect(await timelineSvg.first().locator('g.mark-rect path').count()).toBeGreaterThanOrEqual(23);
  await fee.scrollIntoViewIfNeeded();
  const histogram = fee.locator('figure svg').first();
  await expect(histogram).toBeVisible();
  expect(await histogram.locator('g.mark-rect path').count()).toBeGreaterThan(0);
  await expect(page.getByText(/could not be drawn/)).toHaveCount(0);
  await expect(page.getByText('Drawing chart…')).toHaveCount(0);
  expect(errors).toEqual([]);
});

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

// Vega rewrites the role and label of the element it draws into; the chart's label must survive.
test('charts keep their accessible label after Vega draws them', async ({ page }) => {
  test.setTimeout(180_000);
  await openApp(page);
  await page.getByRole('button', { name: 'Try the demo' }).click();
  await sectionTab(page, 'customer-churn.csv').click({ timeout: ANALYSIS });
  await expect(page.getByTestId('profile-alerts')).toBeVisible({ timeout: ANALYSIS });
  const fee = page.locator('[data-testid="column-card"][data-column="monthly_fee"]');
  await fee.scrollIntoViewIfNeeded();
  await expect(fee.locator('figure svg').first()).toBeVisible();
  await expect(fee.getByRole('img', { name: 'Histogram of monthly_fee' })).toBeVisible({ timeout: 5_000 });
});

import { join } from 'node:path';
import type { Page } from '@playwright/test';
import { test, expect, openApp } from './fixtures';

/** Analysis of the demo takes 5–20 s on two cores; leave room for a slow machine. */
const ANALYSIS = 120_000;
const IRIS = join(process.cwd(), 'tests/fixtures/corpus/iris.csv');

const sectionTab = (page: Page, name: string) =>
  page.getByRole('navigation', { name: 'Audit sections' }).getByRole('button', { name, exact: true });

test('the user chooses the assessed dataset; readiness names it and reruns on it', async ({ page }) => {
  test.setTimeout(300_000);
  await openApp(page);
  await page.getByRole('button', { name: 'Try the demo' }).click();
  await expect(page.getByTestId('verdict')).toBeVisible({ timeout: ANALYSIS });
  const assessed = page.getByTestId('assessed-dataset');
  // One file: named, nothing to choose.
  await expect(assessed).toHaveText('Assessed dataset: customer-churn.csv');

  await sectionTab(page, '+ Add files').click();
  await page.getByTestId('file-input').setInputFiles(IRIS);
  await expect(sectionTab(page, 'iris.csv')).toBeVisible({ timeout: ANALYSIS });
  await sectionTab(page, 'Readiness & verdict').click();
  const select = page.getByRole('combobox', { name: 'Assessed dataset:' });
  await expect(select).toBeEnabled({ timeout: ANALYSIS });
  await expect(select).toHaveValue(/.+/);
  await expect(select.locator('option:checked')).toHaveText('customer-churn.csv');
  await expect(assessed).toContainText('The other file, iris.csv, is profiled, not assessed.');

  await select.selectOption({ label: 'iris.csv' });
  await expect(page.getByRole('heading', { name: /Column roles for “iris\.csv”/ })).toBeVisible({
    timeout: ANALYSIS,
  });
  await expect(select).toBeEnabled({ timeout: ANALYSIS });
  await expect(page.getByTestId('verdict')).toBeVisible({ timeout: ANALYSIS });
  await expect(assessed).toContainText('The other file, customer-churn.csv, is profiled, not assessed.');
  await expect(page.getByTestId('role-target')).toHaveValue('species');
  // The churn story's findings are gone: none names a churn column.
  await expect(page.getByTestId('finding-columns').filter({ hasText: 'churned' })).toHaveCount(0);

  // The choice is saved: reopened, the audit still assesses iris.csv.
  await page.reload();
  await expect(
    page.getByRole('combobox', { name: 'Assessed dataset:' }).locator('option:checked'),
  ).toHaveText('iris.csv', { timeout: ANALYSIS });
});

test('Save plan and Recompute baselines say what they did', async ({ page }) => {
  test.setTimeout(300_000);
  await openApp(page);
  await page.getByRole('button', { name: 'Try the demo' }).click();
  await expect(page.getByTestId('verdict')).toBeVisible({ timeout: ANALYSIS });
  await sectionTab(page, 'Success metrics').click();
  const status = page.getByTestId('plan-status');
  await expect(status).toHaveAttribute('role', 'status');
  await expect(status).toHaveText('');

  await page.getByTestId('plan-capacity').fill('250');
  // The demo's last tasks (its source role, then the plan) may still start and stop: a click that
  // lands while the button is disabled between two of them does nothing, so it is tried again.
  await expect(async () => {
    await page.getByTestId('plan-save').click();
    await expect(status).toHaveText(/^Plan saved at \d\d:\d\d\.$/, { timeout: 3_000 });
  }).toPass({ timeout: ANALYSIS });

  const compute = page.getByTestId('plan-compute');
  await expect(compute).toHaveText('Recompute baselines');
  await expect(async () => {
    await compute.click();
    await expect(status).toHaveText(/^Baselines recomputed on 12,000 rows at \d\d:\d\d\.$/, {
      timeout: 20_000,
    });
  }).toPass({ timeout: ANALYSIS });
  await expect(compute).toHaveAttribute('aria-busy', 'false');
});

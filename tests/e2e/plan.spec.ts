import { readFileSync } from 'node:fs';
import { test, expect, openApp } from './fixtures';
import { sectionTab } from './audit-page';

/** Analysis of the demo, then its plan, take 5–30 s on two cores; leave room for a slow machine. */
const ANALYSIS = 180_000;

test('the demo’s example plan: live figures, a saved change in the verdict and the export, kept across a reload', async ({
  page,
}) => {
  test.setTimeout(420_000);
  await openApp(page);
  await page.getByRole('button', { name: 'Try the demo' }).click();
  await sectionTab(page, 'Readiness & verdict').click({ timeout: ANALYSIS });
  await expect(page.getByTestId('verdict')).toBeVisible({ timeout: ANALYSIS });

  await sectionTab(page, 'Success metrics').click();
  // The baselines follow the analysis; the demo's plan is for 300 retention calls a month.
  const summary = page.getByTestId('plan-summary');
  await expect(summary).toContainText('retention team', { timeout: ANALYSIS });
  await expect(summary).toContainText('within the 300 the team can handle');
  await expect(page.getByTestId('plan-capacity')).toHaveValue('300');

  // Live: a capacity of 40 a month cannot absorb the flagged accounts; the preview says so before saving.
  await page.getByTestId('plan-capacity').fill('40');
  await expect(summary).toContainText('more than the 40 the team can handle');
  await expect(
    page.locator('[data-testid="plan-finding"][data-check="metrics-over-capacity"]'),
  ).toBeVisible();

  await page.getByTestId('plan-save').click();
  await sectionTab(page, 'Readiness & verdict').click();
  await expect(page.locator('[data-testid="finding"][data-check="metrics-over-capacity"]')).toBeVisible({
    timeout: 30_000,
  });

  // The exported audit file carries the plan, its results and its findings.
  const [download] = await Promise.all([
    page.waitForEvent('download'),
    page
      .getByTestId('export-audit')
      .click()
      .then(() => page.getByTestId('export-download').click()),
  ]);
  const exported = JSON.parse(readFileSync((await download.path())!, 'utf8')) as {
    plan?: { plan?: { capacity?: { cases: number } }; results?: { prevalence: number } };
    findings: { check: string }[];
  };
  expect(exported.plan?.plan?.capacity?.cases).toBe(40);
  expect(exported.plan?.results?.prevalence).toBeGreaterThan(0.2);
  expect(exported.findings.map((f) => f.check)).toContain('metrics-over-capacity');

  await page.reload();
  await page.getByRole('button', { name: '← All audits' }).click();
  await page
    .getByTestId('audit-list')
    .getByRole('button')
    .filter({ hasText: /demo|churn|Kestrel/i })
    .first()
    .click();
  await sectionTab(page, 'Success metrics').click();
  await expect(page.getByTestId('plan-capacity')).toHaveValue('40');
  await expect(page.getByTestId('plan-summary')).toContainText('more than the 40 the team can handle');
});

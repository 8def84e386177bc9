import { test, expect, openApp } from './fixtures';
import { seriousViolations } from './axe';
import { expectSvgCharts } from './feasibility-view';
import { importAuditText } from './saved-audits';
import { newAudit } from '../../src/lib/core/model/document';
import { leakyFeasibility, sampleFeasibility } from '../fixtures/feasibility/sample-feasibility';
import { sectionTab } from './audit-page';

test('an audit’s feasibility as imported: every part shown, review values as text, reachable by keyboard', async ({
  page,
}) => {
  test.setTimeout(120_000);
  const hostile = '<img src=x onerror="window.__pwned=1">';
  const noise = sampleFeasibility.labelNoise!;
  const audit = {
    ...newAudit('Feasibility fixture', 'feasibility-fixture', new Date(Date.UTC(2026, 11, 4))),
    feasibility: {
      ...sampleFeasibility,
      dropColumn: leakyFeasibility().dropColumn,
      labelNoise: {
        ...noise,
        reviewSample: [
          ...noise.reviewSample,
          { values: { plan: hostile }, givenLabel: 'Yes', givenLabelProbability: 0.03 },
        ],
      },
    },
  };
  await openApp(page);
  await importAuditText(page, 'feasibility.audit.json', JSON.stringify(audit));
  await page
    .getByTestId('audit-list')
    .getByRole('button', { name: 'Feasibility fixture', exact: true })
    .click();
  await sectionTab(page, 'Feasibility').click();

  await expect(page.getByTestId('feasibility-band')).toContainText('Data Readiness Level');
  await expect(page.getByTestId('feasibility-baseline')).toContainText('AUC 0.781 (0.76–0.802)');
  await expect(page.getByTestId('feasibility-target')).toContainText('Precision 41.2 % (37.9 %–44.6 %)');
  await expect(page.getByTestId('feasibility-curve')).toContainText('Flat');
  await expect(page.getByTestId('feasibility-curve')).toContainText('projects +0.006 AUC');
  await expect(page.getByTestId('feasibility-noise')).toContainText('8.1 % (7 %–9.3 %) of labels');
  await expect(page.getByTestId('feasibility-drop-column')).toContainText('last_login_days');
  await expect(page.getByTestId('feasibility-review-sizes')).toContainText(
    'Hand-review 100 rows: if 8.1 % of them are wrong, the 95 % Wilson interval is 4.2 % to 15.1 %.',
  );
  await expectSvgCharts(page, 4);

  // Details on demand, by keyboard: the review sample opens from its summary.
  const summary = page.getByTestId('feasibility-review').locator('summary');
  await summary.focus();
  await page.keyboard.press('Enter');
  const review = page.getByTestId('feasibility-review').getByRole('table');
  await expect(review).toBeVisible();
  await expect(review.getByRole('cell', { name: hostile, exact: true })).toBeVisible();
  await expect(review.locator('img')).toHaveCount(0);
  expect(await page.evaluate(() => (window as { __pwned?: number }).__pwned)).toBeUndefined();
  expect(await seriousViolations(page)).toEqual([]);
  await page.screenshot({ path: test.info().outputPath('feasibility.png'), fullPage: true });
});

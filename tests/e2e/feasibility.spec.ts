import AxeBuilder from '@axe-core/playwright';
import type { Locator, Page } from '@playwright/test';
import { test, expect, openApp } from './fixtures';
import { importAuditText } from './saved-audits';
import { newAudit } from '../../src/lib/core/model/document';
import { leakyFeasibility, sampleFeasibility } from '../fixtures/feasibility/sample-feasibility';

/** Analysis of the demo, then its baselines, take 5–30 s on two cores; leave room for a slow machine. */
const ANALYSIS = 180_000;

function sectionTab(page: Page, name: string): Locator {
  return page.getByRole('navigation', { name: 'Audit sections' }).getByRole('button', { name, exact: true });
}

/** Serious or critical axe-core violations on the page as it is, described. */
async function seriousViolations(page: Page): Promise<string[]> {
  const results = await new AxeBuilder({ page }).analyze();
  return results.violations
    .filter((v) => v.impact === 'serious' || v.impact === 'critical')
    .map((v) => `${v.id} (${v.impact}): ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`);
}

/** Every chart of the view has been drawn, as SVG, under its accessible description. */
async function expectSvgCharts(page: Page, count: number): Promise<void> {
  const view = page.getByTestId('feasibility');
  const charts = view.locator('figure.chart');
  await expect(charts).toHaveCount(count);
  await expect(view.locator('figure.chart [role="img"] svg')).toHaveCount(count, { timeout: 30_000 });
  await expect(view.locator('figure.chart canvas')).toHaveCount(0);
  for (const label of await view
    .locator('figure.chart [role="img"]')
    .evaluateAll((els) => els.map((e) => e.getAttribute('aria-label') ?? '')))
    expect(label.length).toBeGreaterThan(40);
}

test('the demo’s Feasibility tab: the band, the baselines and SVG charts, with no serious axe violation', async ({
  page,
}) => {
  test.setTimeout(420_000);
  await openApp(page);
  await page.getByRole('button', { name: 'Try the demo' }).click();
  await sectionTab(page, 'Readiness & verdict').click({ timeout: ANALYSIS });
  await expect(page.getByTestId('verdict')).toBeVisible({ timeout: ANALYSIS });

  await sectionTab(page, 'Feasibility').click();
  await expect(page.getByRole('heading', { name: 'Feasibility', level: 2 })).toBeVisible();
  // The baselines follow the readiness audit.
  await expect(page.getByTestId('feasibility-band')).toContainText(/Data Readiness Level/, {
    timeout: ANALYSIS,
  });
  await expect(page.getByTestId('feasibility-baseline')).toContainText(/AUC 0\.\d+ \(0\.\d+–0\.\d+\)/);
  const table = page.getByTestId('feasibility-baselines');
  await expect(table.getByRole('rowheader', { name: /Logistic regression/ })).toBeVisible();
  // The honest split, in words; a time split names its first held-out day, never as ISO text.
  await expect(table).toContainText(
    /Time-ordered on \S+, held out from \d{1,2} \w{3} \d{4}|Grouped by \S+|Seeded hash split/,
  );
  await expect(page.getByTestId('feasibility-curve')).toContainText(/Flat|Still rising|Unclear|Not fitted/);
  await expect(page.getByTestId('feasibility-noise')).toContainText('%');
  await expectSvgCharts(page, 4);
  // One formatter: no e-notation and no ISO stamp anywhere in the view's text.
  const text = await page.getByTestId('feasibility').innerText();
  expect(text).not.toMatch(/\d[eE][-+]?\d/);
  expect(text).not.toMatch(/\d{4}-\d\d-\d\dT\d/);
  expect(await seriousViolations(page)).toEqual([]);
});

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

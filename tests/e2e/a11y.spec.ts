import AxeBuilder from '@axe-core/playwright';
import type { Page } from '@playwright/test';
import { test, expect, openApp } from './fixtures';

/** Analysis of the demo takes 5–20 s on two cores; leave room for a slow machine. */
const ANALYSIS = 120_000;

/** Run axe-core on the page as it is and return the serious or critical violations, described. */
async function seriousViolations(page: Page, screen: string): Promise<string[]> {
  const results = await new AxeBuilder({ page }).analyze();
  return results.violations
    .filter((v) => v.impact === 'serious' || v.impact === 'critical')
    .map(
      (v) =>
        `${screen}: ${v.id} (${v.impact}) — ${v.help}: ${v.nodes
          .slice(0, 3)
          .map((n) => n.target.join(' '))
          .join(', ')}`,
    );
}

/**
 * The page's outline: exactly one h1, levels in order (axe rates these moderate, so they are
 * asked for by name rather than by impact).
 */
async function outlineViolations(page: Page, screen: string): Promise<string[]> {
  const results = await new AxeBuilder({ page })
    .withRules(['page-has-heading-one', 'heading-order'])
    .analyze();
  const h1 = await page.locator('h1').count();
  return [
    ...results.violations.map((v) => `${screen}: ${v.id} — ${v.help}`),
    ...(h1 === 1 ? [] : [`${screen}: ${h1} h1 elements`]),
  ];
}

/** Click every button of a tab bar in turn, and check each screen it opens. */
async function checkEveryTab(page: Page, navName: string, found: string[], inner?: () => Promise<void>) {
  const nav = page.getByRole('navigation', { name: navName });
  const names = await nav.getByRole('button').allInnerTexts();
  for (const name of names) {
    await nav.getByRole('button', { name: name.trim(), exact: true }).click();
    await page.waitForTimeout(300);
    found.push(...(await seriousViolations(page, `${navName} → ${name.trim()}`)));
    found.push(...(await outlineViolations(page, `${navName} → ${name.trim()}`)));
    if (inner) await inner();
  }
  return names.length;
}

test('no screen has a serious or critical axe-core violation', async ({ page }) => {
  test.setTimeout(600_000);
  const found: string[] = [];
  await openApp(page);
  found.push(...(await seriousViolations(page, 'landing')));
  found.push(...(await outlineViolations(page, 'landing')));

  // By keyboard: the button disappears with the landing page, so focus must land on the new screen.
  await page.getByRole('button', { name: 'Try the demo' }).focus();
  await page.keyboard.press('Enter');
  await expect(page.getByTestId('readiness-loading-demo')).toContainText('Loading the demo');
  await expect(page.getByTestId('readiness-no-dataset')).toHaveCount(0);
  await expect(page.getByTestId('verdict')).toBeVisible({ timeout: ANALYSIS });
  await expect(page.getByTestId('screen-heading')).toBeFocused();
  await expect(page.getByRole('heading', { level: 1 })).toHaveAccessibleName(
    'Kestrel churn (demo) — Readiness & verdict',
  );

  // A finding opened on the rows behind it and its SQL: both scroll, so both must take focus.
  const withRows = page
    .getByTestId('finding')
    .filter({ has: page.getByText('Rows behind this finding') })
    .filter({ has: page.getByTestId('finding-sql') })
    .first();
  if (!(await withRows.getByTestId('finding-recommendation').isVisible()))
    await withRows.getByTestId('finding-summary').click();
  await withRows.getByText('Rows behind this finding').click();
  await withRows.getByText('SQL that reproduces it').click();
  await expect(withRows.getByTestId('finding-details')).toBeVisible();
  await expect(withRows.getByTestId('finding-sql')).toBeVisible();
  const regions = await withRows.locator('.scroll, pre').evaluateAll((boxes) =>
    boxes.map((box) => ({
      overflows: box.scrollWidth > box.clientWidth + 1 || box.scrollHeight > box.clientHeight + 1,
      focusable: box.getAttribute('tabindex') === '0' && box.getAttribute('role') === 'region',
    })),
  );
  expect(
    regions.some((r) => r.overflows),
    'the opened rows or SQL scroll',
  ).toBe(true);
  expect(
    regions.every((r) => r.overflows === r.focusable),
    JSON.stringify(regions),
  ).toBe(true);
  found.push(...(await seriousViolations(page, 'readiness with a finding’s rows and SQL open')));

  // Every audit section, and inside a dataset, every dataset view (profile with a card expanded).
  const sections = await checkEveryTab(page, 'Audit sections', found, async () => {
    const views = page.getByRole('navigation', { name: 'Dataset views' });
    if ((await views.count()) === 0) return;
    await checkEveryTab(page, 'Dataset views', found, async () => {
      const cards = page.getByTestId('column-card');
      if ((await cards.count()) === 0) return;
      // One card of each family (numeric, date, categorical, personal text) expanded: every kind of
      // detail table and chart is on the page, without paying axe's time for all 18.
      for (const column of ['monthly_fee', 'signup_date', 'plan', 'email']) {
        await page
          .locator(`[data-testid="column-card"][data-column="${column}"]`)
          .getByRole('button', { name: 'Show all statistics' })
          .click();
      }
      found.push(...(await seriousViolations(page, 'profile with a column of each family expanded')));
      // The associations: heatmap and both tables of pairs open.
      await page.getByText(/^Correlations \(\d+ pairs\)$/).click();
      await page.getByText(/^Cramér's V \(\d+ pairs\)$/).click();
      await page.getByText(/^Cramér's V \(\d+ pairs\)$/).scrollIntoViewIfNeeded();
      found.push(...(await seriousViolations(page, 'profile with the associations open')));
    });
  });
  expect(sections, 'the audit has several sections to check').toBeGreaterThanOrEqual(3);
  expect(found).toEqual([]);
});

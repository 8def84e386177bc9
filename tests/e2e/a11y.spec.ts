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

/** Click every button of a tab bar in turn, and check each screen it opens. */
async function checkEveryTab(page: Page, navName: string, found: string[], inner?: () => Promise<void>) {
  const nav = page.getByRole('navigation', { name: navName });
  const names = await nav.getByRole('button').allInnerTexts();
  for (const name of names) {
    await nav.getByRole('button', { name: name.trim(), exact: true }).click();
    await page.waitForTimeout(300);
    found.push(...(await seriousViolations(page, `${navName} → ${name.trim()}`)));
    if (inner) await inner();
  }
  return names.length;
}

test('no screen has a serious or critical axe-core violation', async ({ page }) => {
  test.setTimeout(300_000);
  const found: string[] = [];
  await openApp(page);
  found.push(...(await seriousViolations(page, 'landing')));

  await page.getByRole('button', { name: 'Try the demo' }).click();
  await expect(page.getByTestId('verdict')).toBeVisible({ timeout: ANALYSIS });

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
    });
  });
  expect(sections, 'the audit has several sections to check').toBeGreaterThanOrEqual(3);
  expect(found).toEqual([]);
});

import AxeBuilder from '@axe-core/playwright';
import type { Page } from '@playwright/test';
import { test, expect, openApp } from './fixtures';
import { PLANTED_FILES, plantedRelations } from '../fixtures/relations/planted';
import { sectionTab } from './audit-page';

/** Three small files: profile, audit, relations and baselines take seconds; leave room for a slow machine. */
const ANALYSIS = 180_000;

/** Serious or critical axe-core violations on the page as it is, described. */
async function seriousViolations(page: Page): Promise<string[]> {
  const results = await new AxeBuilder({ page }).analyze();
  return results.violations
    .filter((v) => v.impact === 'serious' || v.impact === 'critical')
    .map((v) => `${v.id} (${v.impact}): ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`);
}

test('three related extracts: relations suggested and accepted, the diagram drawn with its arrows, the point-in-time blocker in the verdict, no serious axe violation', async ({
  page,
}) => {
  test.setTimeout(420_000);
  const planted = plantedRelations();
  const csv = (name: string, text: string) => ({ name, mimeType: 'text/csv', buffer: Buffer.from(text) });
  await openApp(page);
  // Customers first: the first file is the assessed one, the label's table.
  await page
    .getByTestId('file-input')
    .setInputFiles([
      csv(PLANTED_FILES.customers, planted.customers),
      csv(PLANTED_FILES.subscriptions, planted.subscriptions),
      csv(PLANTED_FILES.tickets, planted.tickets),
    ]);
  await sectionTab(page, 'Readiness & verdict').click({ timeout: ANALYSIS });
  await expect(page.getByTestId('verdict')).toBeVisible({ timeout: ANALYSIS });

  await sectionTab(page, 'Relations').click();
  const view = page.getByTestId('relations');
  await expect(view.getByRole('heading', { name: 'Relations', level: 2 })).toBeVisible();

  // Discovery ran with the analysis: one suggestion per child table, with its evidence.
  const suggestions = view.getByTestId('relation-suggestion');
  await expect(suggestions).toHaveCount(2, { timeout: ANALYSIS });
  for (const child of [PLANTED_FILES.subscriptions, PLANTED_FILES.tickets])
    await expect(
      suggestions.filter({ hasText: `${child} · customer_id → ${PLANTED_FILES.customers} · customer_id` }),
    ).toHaveCount(1);
  await expect(suggestions.first()).toContainText('Child values found in the parent key');
  await expect(suggestions.first()).toContainText('%');
  // Before any is accepted, both children are drawn apart from the label's table.
  await expect(view.getByTestId('relations-none')).toBeVisible();

  await view
    .getByTestId('relation-suggestions')
    .screenshot({ path: test.info().outputPath('relations-suggestions.png') });
  await view.getByRole('button', { name: 'Accept all' }).click();
  await expect(suggestions).toHaveCount(0, { timeout: ANALYSIS });

  // The diagram: three boxes, two arrows, each with a name that carries its numbers.
  const diagram = view.getByTestId('relations-diagram');
  await expect(diagram.getByTestId('relations-table')).toHaveCount(3);
  const edges = diagram.getByTestId('relations-edge');
  await expect(edges).toHaveCount(2);
  // Accepted at once, measured by the run that follows.
  await expect(diagram).not.toContainText('not measured yet', { timeout: ANALYSIS });
  for (const name of await edges.evaluateAll((els) => els.map((e) => e.getAttribute('aria-label') ?? '')))
    expect(name).toMatch(
      /→ customers\.csv · customer_id: [1n]:[1nm], [\d.<>]+ % orphan keys, [\d.]+ child rows per parent/,
    );
  await expect(diagram.getByTestId('relations-table').first()).toHaveAttribute('aria-label', /Label’s table/);

  // The table alternative lists the same relations; tickets leak the future.
  const summary = view.getByRole('table', { name: 'Accepted relations (child → parent)' });
  await expect(summary.locator('tbody tr')).toHaveCount(2);
  const tickets = summary.locator('tbody tr').filter({ hasText: PLANTED_FILES.tickets });
  await expect(tickets.locator('td').last()).toHaveText(/^\d+(\.\d)? %$/);

  await expect(view.getByTestId('relations-findings-line')).toContainText(/1 blocker, 1 major/);

  // An arrow opens its relation's checks from the keyboard.
  const ticketEdge = diagram.locator(
    `[data-testid="relations-edge"][aria-label^="${PLANTED_FILES.tickets}"]`,
  );
  await ticketEdge.focus();
  await page.keyboard.press('Enter');
  const details = view
    .getByTestId('relation-details')
    .filter({ hasText: `${PLANTED_FILES.tickets} · customer_id` });
  await expect(details).toBeFocused();
  await expect(details.getByTestId('relation-facts')).toContainText('Child rows after the prediction time');
  await expect(details.getByTestId('relation-asof')).toContainText('SELECT c.*');
  await expect(details.getByRole('button', { name: /^Copy SQL/ })).toBeVisible();

  // The findings, here and in the verdict: the point-in-time blocker among them.
  const pit = view.locator(
    '[data-testid="finding"][data-check="relations-point-in-time"][data-severity="blocker"]',
  );
  await expect(pit).toHaveCount(1);
  await expect(view.locator('[data-testid="finding"][data-check="relations-duplicate-keys"]')).toHaveCount(1);

  expect(await seriousViolations(page)).toEqual([]);
  await page.screenshot({ path: test.info().outputPath('relations-view.png'), fullPage: true });

  await sectionTab(page, 'Readiness & verdict').click();
  await expect(page.getByTestId('verdict')).toContainText(/not ready/i);
  await expect(
    page.locator('[data-testid="finding"][data-check="relations-point-in-time"][data-severity="blocker"]'),
  ).toHaveCount(1);
});

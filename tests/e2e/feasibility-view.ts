import type { Page } from '@playwright/test';
import { expect } from './fixtures';

/** Every chart of the Feasibility view has been drawn, as SVG, under its accessible description. */
export async function expectSvgCharts(page: Page, count: number): Promise<void> {
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

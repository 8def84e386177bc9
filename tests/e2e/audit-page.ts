import type { Locator, Page } from '@playwright/test';

/** A section's tab of the open audit ("Readiness & verdict", "Drift", …). */
export function sectionTab(page: Page, name: string): Locator {
  return page.getByRole('navigation', { name: 'Audit sections' }).getByRole('button', { name, exact: true });
}

/** The progress panel of a running load or analysis. */
export function progress(page: Page): Locator {
  return page.getByRole('status').filter({ has: page.getByRole('progressbar') });
}

/** Findings of one check (optionally one severity) on the readiness tab. */
export function findings(page: Page, check: string, severity?: string): Locator {
  return page.locator(
    `[data-testid="finding"][data-check="${check}"]${severity ? `[data-severity="${severity}"]` : ''}`,
  );
}

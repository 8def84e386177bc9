import AxeBuilder from '@axe-core/playwright';
import type { Page } from '@playwright/test';

/** The outline rules (exactly one h1, heading levels in order): axe rates them moderate, so they are asked for by name. */
const OUTLINE_RULES = ['page-has-heading-one', 'heading-order'];

type AxeResults = Awaited<ReturnType<AxeBuilder['analyze']>>;

/** One axe-core run over the page as it is, with every rule axe runs by default (the outline rules among them). */
export async function axeRun(page: Page): Promise<AxeResults> {
  // Passes and the like are reported by one node each (they are not read here): on a page of
  // thousands of nodes, listing them all costs more than checking them.
  return new AxeBuilder({ page }).options({ resultTypes: ['violations'] }).analyze();
}

/** The run's serious or critical violations, described. */
export function serious(results: AxeResults, screen: string): string[] {
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

/** The run's outline violations (or the outline rules it did not run), and any count of h1 elements other than one. */
export async function outline(results: AxeResults, page: Page, screen: string): Promise<string[]> {
  const h1 = await page.locator('h1').count();
  const ran = [...results.passes, ...results.violations, ...results.incomplete, ...results.inapplicable];
  return [
    ...OUTLINE_RULES.filter((rule) => !ran.some((r) => r.id === rule)).map(
      (rule) => `${screen}: axe-core did not run ${rule}`,
    ),
    ...results.violations
      .filter((v) => OUTLINE_RULES.includes(v.id))
      .map((v) => `${screen}: ${v.id} — ${v.help}`),
    ...(h1 === 1 ? [] : [`${screen}: ${h1} h1 elements`]),
  ];
}

/** Serious or critical axe-core violations of the page as it is, described. */
export async function seriousViolations(page: Page, screen = 'page'): Promise<string[]> {
  return serious(await axeRun(page), screen);
}

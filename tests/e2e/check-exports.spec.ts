import AxeBuilder from '@axe-core/playwright';
import { readFileSync } from 'node:fs';
import type { Download, Locator, Page } from '@playwright/test';
import { test, expect, openApp } from './fixtures';

/** Analysis of the demo takes 5–30 s on two cores; leave room for a slow machine. */
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

/** Click a menu item and collect the `count` downloads it starts, by file name. */
async function downloadsOf(page: Page, item: Locator, count: number): Promise<Map<string, string>> {
  const downloads: Download[] = [];
  const listener = (d: Download): void => void downloads.push(d);
  page.on('download', listener);
  await item.click();
  await expect.poll(() => downloads.length, { timeout: 20_000 }).toBe(count);
  page.off('download', listener);
  const out = new Map<string, string>();
  for (const d of downloads) out.set(d.suggestedFilename(), readFileSync((await d.path())!, 'utf8'));
  return out;
}

/** The number a menu item says it downloads: its file name means one, "N files" means N. */
async function fileCount(item: Locator): Promise<number> {
  const text = (await item.locator('.files').textContent()) ?? '';
  const many = /^(\d+) files?$/.exec(text.trim());
  return many ? Number(many[1]) : 1;
}

test('Export checks on the Drift tab: a keyboard menu, one download per file with the expected names, no personal value, no serious axe violation; the Sprint 0 tab names the files', async ({
  page,
}) => {
  test.setTimeout(360_000);
  await openApp(page);
  await page.getByRole('button', { name: 'Try the demo' }).click();
  await sectionTab(page, 'Readiness & verdict').click({ timeout: ANALYSIS });
  await expect(page.getByTestId('verdict')).toBeVisible({ timeout: ANALYSIS });

  await sectionTab(page, 'Drift').click();
  const drift = page.getByRole('region', { name: 'Drift' });
  const trigger = drift.getByRole('button', { name: 'Export checks' });
  await expect(trigger).toHaveAttribute('aria-haspopup', 'menu');
  await expect(trigger).toHaveAttribute('aria-expanded', 'false');

  // Keyboard: arrow down opens on the first item, up wraps to the last, Escape closes back on the button.
  await trigger.focus();
  await page.keyboard.press('ArrowDown');
  const menu = page.getByRole('menu', { name: 'Export checks' });
  await expect(menu).toBeVisible();
  await expect(trigger).toHaveAttribute('aria-expanded', 'true');
  await expect(menu.getByRole('menuitem', { name: /^ODCS data contract/ })).toBeFocused();
  await page.keyboard.press('ArrowUp');
  await expect(menu.getByRole('menuitemradio').last()).toBeFocused();
  await page.keyboard.press('Home');
  await page.keyboard.press('ArrowDown');
  await expect(menu.getByRole('menuitem', { name: /^dbt tests/ })).toBeFocused();
  await page.keyboard.press('Escape');
  await expect(menu).toBeHidden();
  await expect(trigger).toBeFocused();

  await trigger.click();
  await expect(menu).toBeVisible();
  await expect(menu.getByRole('menuitemradio', { name: /Mask personal data/ })).toHaveAttribute(
    'aria-checked',
    'true',
  );
  expect(await seriousViolations(page)).toEqual([]);
  await page.screenshot({ path: test.info().outputPath('check-exports-menu.png') });

  const odcsItem = menu.getByTestId('export-checks-odcs');
  const odcsName = ((await odcsItem.locator('.files').textContent()) ?? '').trim();
  const name = /^([\w.-]+)\.odcs\.yaml$/.exec(odcsName)?.[1];
  expect(name, odcsName).toBeTruthy();
  const expected: Record<string, (files: string[]) => void> = {
    odcs: (files) => expect(files).toEqual([`${name}.odcs.yaml`]),
    dbt: (files) => {
      expect(files).toContain(`${name}.yml`);
      expect(files.filter((f) => f.endsWith('.sql')).length).toBeGreaterThan(0);
    },
    gx: (files) => expect(files).toContain(`${name}.gx.json`),
    soda: (files) => expect(files).toContain(`${name}.soda.yaml`),
    croissant: (files) => expect(files).toEqual([`${name}.croissant.json`]),
    card: (files) => expect(files).toEqual([`${name}.card.md`]),
  };
  const all = new Map<string, string>();
  for (const [format, check] of Object.entries(expected)) {
    if (!(await menu.isVisible())) await trigger.click();
    const item = menu.getByTestId(`export-checks-${format}`);
    const got = await downloadsOf(page, item, await fileCount(item));
    check([...got.keys()]);
    for (const [file, text] of got) all.set(file, text);
    // Picking an item closes the menu and says what was saved.
    await expect(menu).toBeHidden();
    await expect(drift.getByRole('status').filter({ hasText: /^Downloaded \d+ files?\.$/ })).toBeVisible();
  }
  expect(all.get(`${name}.odcs.yaml`)).toMatch(/^apiVersion: v3\.1\.0$/m);
  expect(JSON.parse(all.get(`${name}.croissant.json`)!)).toHaveProperty('recordSet');
  // The demo's e-mail addresses and card numbers stay masked in every file.
  for (const [file, text] of all) {
    expect(text, file).not.toMatch(/[a-z]+\.[a-z]+@[a-z]+\.example/);
    expect(text, file).not.toMatch(/\b4\d{3}[ -]?\d{4}[ -]?\d{4}[ -]?\d{4}\b/);
  }

  // "All files" downloads each of them in turn.
  await trigger.click();
  const allItem = menu.getByTestId('export-checks-all');
  const everything = await downloadsOf(page, allItem, await fileCount(allItem));
  expect([...everything.keys()].sort()).toEqual([...all.keys()].sort());

  // The Sprint 0 tab names the check files of the deliverable and offers the same menu.
  await sectionTab(page, 'Sprint 0').click();
  const listed = page.getByTestId('sprint0-check-files');
  await listed.getByText(/^Checks in the package/).click();
  for (const file of [
    '<name>.odcs.yaml',
    'dbt/models/<name>.yml, dbt/tests/*.sql',
    '<name>.croissant.json',
    '<name>.card.md',
  ])
    await expect(listed.getByText(file, { exact: true })).toBeVisible();
  await expect(page.getByRole('button', { name: 'Export checks' })).toBeVisible();
  await listed.screenshot({ path: test.info().outputPath('check-exports-sprint0.png') });
});

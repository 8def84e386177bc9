import AxeBuilder from '@axe-core/playwright';
import { strFromU8, unzipSync } from 'fflate';
import { readFileSync } from 'node:fs';
import type { Locator, Page } from '@playwright/test';
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

/**
 * Click a menu item and read the one download it starts: a single file by its
 * name, or a zip's entries by their paths inside it.
 */
async function downloadOf(page: Page, item: Locator): Promise<{ name: string; files: Map<string, string> }> {
  const [download] = await Promise.all([page.waitForEvent('download', { timeout: 20_000 }), item.click()]);
  const name = download.suggestedFilename();
  const bytes = readFileSync((await download.path())!);
  if (!name.endsWith('.zip')) return { name, files: new Map([[name, bytes.toString('utf8')]]) };
  const entries = unzipSync(new Uint8Array(bytes));
  return {
    name,
    files: new Map(Object.entries(entries).map(([path, data]) => [path, strFromU8(data)])),
  };
}

test('Export checks on the Drift tab: a keyboard menu, one file or one zip per item with the expected names, no personal value, no serious axe violation; the Sprint 0 tab names the files', async ({
  page,
}) => {
  test.setTimeout(360_000);
  await openApp(page);
  await page.getByRole('button', { name: 'Try the demo' }).click();
  await sectionTab(page, 'Readiness & verdict').click({ timeout: ANALYSIS });
  await expect(page.getByTestId('verdict')).toBeVisible({ timeout: ANALYSIS });
  // Relations, the baselines and the metric plan follow the verdict, each saving the audit, and the
  // demo then sets its source role, which re-runs the checks, the baselines and the plan. Export once
  // that second plan (the last task) has landed and no task runs, so every export reads one audit.
  await page.waitForFunction(
    (file) => performance.getEntriesByName(`sz:plan:${file}`).length >= 2,
    'customer-churn.csv',
    { timeout: ANALYSIS },
  );
  await expect(page.getByRole('status').filter({ has: page.getByRole('progressbar') })).toHaveCount(0, {
    timeout: ANALYSIS,
  });

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
  // One file downloads as itself; dbt's folder as one zip keeping models/ and tests/.
  const expected: Record<string, (download: string, files: string[]) => void> = {
    odcs: (download, files) =>
      expect([download, ...files]).toEqual([`${name}.odcs.yaml`, `${name}.odcs.yaml`]),
    dbt: (download, files) => {
      expect(download).toBe(`${name}.dbt.zip`);
      expect(files).toContain(`dbt/models/${name}.yml`);
      expect(files.filter((f) => /^dbt\/tests\/[\w-]+\.sql$/.test(f)).length).toBeGreaterThan(0);
    },
    gx: (download, files) => expect(files).toEqual([`${name}.gx.json`]),
    soda: (download, files) => expect(files).toEqual([`${name}.soda.yaml`]),
    croissant: (download, files) => expect(files).toEqual([`${name}.croissant.json`]),
    card: (download, files) => expect(files).toEqual([`${name}.card.md`]),
  };
  const all = new Map<string, string>();
  for (const [format, check] of Object.entries(expected)) {
    if (!(await menu.isVisible())) await trigger.click();
    const got = await downloadOf(page, menu.getByTestId(`export-checks-${format}`));
    check(got.name, [...got.files.keys()]);
    for (const [file, text] of got.files) all.set(file, text);
    // Picking an item closes the menu and says what was saved.
    await expect(menu).toBeHidden();
    await expect(
      drift.getByRole('status').filter({ hasText: /^Downloaded \d+ files?( in one zip)?\.$/ }),
    ).toBeVisible();
  }
  expect(all.get(`${name}.odcs.yaml`)).toMatch(/^apiVersion: v3\.1\.0$/m);
  expect(JSON.parse(all.get(`${name}.croissant.json`)!)).toHaveProperty('recordSet');
  // The demo's e-mail addresses and card numbers stay masked in every file.
  for (const [file, text] of all) {
    expect(text, file).not.toMatch(/[a-z]+\.[a-z]+@[a-z]+\.example/);
    expect(text, file).not.toMatch(/\b4\d{3}[ -]?\d{4}[ -]?\d{4}[ -]?\d{4}\b/);
  }

  // "All files" is one zip holding every file above at its path.
  await trigger.click();
  const everything = await downloadOf(page, menu.getByTestId('export-checks-all'));
  expect(everything.name).toBe(`${name}.checks.zip`);
  expect([...everything.files.keys()].sort()).toEqual([...all.keys()].sort());
  for (const [path, text] of everything.files) expect(text, path).toBe(all.get(path));

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

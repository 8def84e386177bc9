import { readFileSync } from 'node:fs';
import type { Locator, Page } from '@playwright/test';
import { test, expect, openApp, sharedPage } from './fixtures';
import { axeRun, outline, serious, seriousViolations } from './axe';
import { downloadOf, exportWithDialog } from './exports';
import { expectSvgCharts } from './feasibility-view';
import { storedAudits } from './saved-audits';
import { sectionTab, progress, findings } from './audit-page';
import { demoColumns, demoPlantedValues, plantedLeaks } from '../support/demo-leaks';

// Every test here only reads the analysed demo (opening tabs, findings and menus, downloading
// exports), so the demo loads and analyses once for them all, on one page. Their order matters
// where one leaves the page changed: the profile is filtered before a11y expands its cards, the
// readiness tab's height is measured before findings are opened, personal marks change last.

/** Analysis of the demo, then its baselines and plan, take 5–30 s on two cores; leave room for a slow machine. */
const ANALYSIS = 180_000;

/** The columns of public/demo/customer-churn.csv, read from its header. */
const DEMO_COLUMNS = demoColumns();

/**
 * On the readiness tab, open the first finding that has rows behind it on those rows and on its SQL
 * (either may be open already), and return it.
 */
async function openFindingWithRows(page: Page): Promise<Locator> {
  await sectionTab(page, 'Readiness & verdict').click();
  const withRows = page
    .getByTestId('finding')
    .filter({ has: page.getByText('Rows behind this finding') })
    .filter({ has: page.getByTestId('finding-sql') })
    .first();
  if (!(await withRows.getByTestId('finding-recommendation').isVisible()))
    await withRows.getByTestId('finding-summary').click();
  if (!(await withRows.getByTestId('finding-details').isVisible()))
    await withRows.getByText('Rows behind this finding').click();
  if (!(await withRows.getByTestId('finding-sql').isVisible()))
    await withRows.getByText('SQL that reproduces it').click();
  await expect(withRows.getByTestId('finding-details')).toBeVisible();
  await expect(withRows.getByTestId('finding-sql')).toBeVisible();
  return withRows;
}

/** Collect uncaught page errors and console errors (Vega reports failures there). */
function watchErrors(page: Page): string[] {
  const errors: string[] = [];
  page.on('pageerror', (error) => errors.push(`pageerror: ${error.message}`));
  page.on('console', (message) => {
    if (message.type() === 'error') errors.push(`console: ${message.text()}`);
  });
  return errors;
}

test('the landing page has no serious or critical axe-core violation and one h1', async ({ page }) => {
  await openApp(page);
  const results = await axeRun(page);
  expect([...serious(results, 'landing'), ...(await outline(results, page, 'landing'))]).toEqual([]);
});

test.describe.serial('the analysed demo, read screen by screen', () => {
  let page: Page;
  let close: () => Promise<void>;
  let errors: string[];

  test.beforeAll(async ({ browser }) => {
    test.setTimeout(2 * ANALYSIS);
    ({ page, close } = await sharedPage(browser));
    errors = watchErrors(page);
    await openApp(page);
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
    // Relations, the baselines and the metric plan follow the verdict, each saving the audit, and the
    // demo then sets its source role, which re-runs the checks, the baselines and the plan. Read once
    // that second plan (the last task) has landed and no task runs, so every test reads one audit.
    await page.waitForFunction(
      (file) => performance.getEntriesByName(`sz:plan:${file}`).length >= 2,
      'customer-churn.csv',
      { timeout: ANALYSIS },
    );
    await expect(progress(page)).toHaveCount(0, { timeout: ANALYSIS });
  });

  test.afterAll(async () => {
    await close();
  });

  test('the demo opens with its story context (as-of 2026-11-01)', async () => {
    await expect(page.getByTestId('context-as-of')).toHaveValue('2026-11-01', { timeout: 5_000 });
    await expect(page.getByRole('textbox', { name: 'Audit name' })).toHaveValue('Kestrel churn (demo)');
    await expect(page.getByTestId('context-positive-class')).toHaveValue('Yes');
  });

  test('the findings list is one line per finding: blockers and majors open, the rest folded, arrow keys move between lines', async () => {
    const card = (check: string, severity: string) => findings(page, check, severity).first();
    const blocker = card('leakage-single-feature', 'blocker');
    const info = card('volume-rows', 'info');
    await expect(blocker.locator(':scope > details')).toHaveAttribute('open', '');
    await expect(info.locator(':scope > details')).not.toHaveAttribute('open', '');
    await expect(info.getByTestId('finding-title')).toBeVisible();
    await expect(info.getByTestId('finding-key')).toContainText('Rows: 12,000');
    await expect(info.getByTestId('finding-recommendation')).toBeHidden();

    // Keyboard: Enter opens a folded line, arrows move to the next and previous lines.
    const summaries = page.getByTestId('finding-summary');
    await info.getByTestId('finding-summary').focus();
    await page.keyboard.press('Enter');
    await expect(info.getByTestId('finding-recommendation')).toBeVisible();
    const before = await summaries.evaluateAll((all) => all.indexOf(document.activeElement as HTMLElement));
    await page.keyboard.press('ArrowDown');
    expect(await summaries.evaluateAll((all) => all.indexOf(document.activeElement as HTMLElement))).toBe(
      before + 1,
    );
    await page.keyboard.press('Home');
    expect(await summaries.evaluateAll((all) => all.indexOf(document.activeElement as HTMLElement))).toBe(0);

    const height = await page.evaluate(() => document.documentElement.scrollHeight);
    console.log(`readiness tab on the demo: ${height} px tall`);
    // It was about 18,000 px with every finding unfolded.
    expect(height).toBeLessThan(12_000);
  });

  test('each finding shows the SQL that reproduces it', async () => {
    test.setTimeout(240_000);
    await page.getByTestId('context-as-of').fill('2026-11-01');
    await expect(findings(page, 'coverage-recency').getByTestId('finding-title')).toContainText(
      'at 1 Nov 2026',
      { timeout: ANALYSIS },
    );
    await expect(progress(page)).toHaveCount(0, { timeout: ANALYSIS });
    await expect(page.getByTestId('role-target')).toBeEnabled();
    await expect(page.getByTestId('context-as-of')).toHaveValue('2026-11-01');

    const all = page.getByTestId('finding');
    const total = await all.count();
    expect(total).toBeGreaterThan(10);
    await expect(page.getByTestId('finding-sql')).toHaveCount(total);

    // The SQL is folded away until asked for, and then names the quoted columns and the as-of date.
    const recency = findings(page, 'coverage-recency');
    const sql = recency.getByTestId('finding-sql');
    await expect(sql).toBeHidden();
    await recency.getByText('SQL that reproduces it').click();
    await expect(sql).toBeVisible();
    await expect(sql).toContainText(/^(SELECT|WITH) /);
    await expect(sql).toContainText('"snapshot_date"');
    await expect(sql).toContainText("DATE '2026-11-01'");
    await expect(recency.getByRole('button', { name: 'Copy SQL' })).toBeVisible();

    const scale = findings(page, 'consistency-scale');
    await scale.getByText('SQL that reproduces it').click();
    await expect(scale.getByTestId('finding-sql')).toContainText('median(CAST("monthly_fee" AS DOUBLE))');
    await expect(scale.getByTestId('finding-sql')).toContainText('"source_system"');

    const conflicts = findings(page, 'labels-conflicting');
    await conflicts.getByText('SQL that reproduces it').click();
    await expect(conflicts.getByTestId('finding-sql')).toContainText('"churned"');
    await expect(conflicts.getByTestId('finding-sql')).toContainText('GROUP BY');

    // A baseline's finding quotes the split its scores stand on: rows and positives per side.
    const signal = findings(page, 'feasibility-no-signal');
    await signal.getByTestId('finding-summary').click();
    await signal.getByText('SQL that reproduces it').click();
    await expect(signal.getByTestId('finding-sql')).toContainText('"snapshot_date"');
    await expect(signal.getByTestId('finding-sql')).toContainText('GROUP BY __sz_side');
  });

  test('the demo profile shows alerts first, one card per column, filters, details and charts', async () => {
    await sectionTab(page, 'customer-churn.csv').click();
    await page
      .getByRole('navigation', { name: 'Dataset views' })
      .getByRole('button', { name: 'Profile' })
      .click();

    // The profile is saved when the analysis ends; alerts come first.
    const alerts = page.getByTestId('profile-alerts');
    await expect(alerts).toBeVisible({ timeout: ANALYSIS });
    await expect(alerts.getByRole('heading', { level: 3 })).toHaveText(/^Alerts \(\d+\)$/);
    await expect(alerts).toContainText('monthly_fee');
    await expect(alerts).toContainText('payment_method');
    const cards = page.getByTestId('column-card');
    await expect(cards).toHaveCount(DEMO_COLUMNS.length);
    const alertsBox = await alerts.boundingBox();
    const firstCardBox = await cards.first().boundingBox();
    expect(alertsBox, 'alerts are laid out').not.toBeNull();
    expect(firstCardBox, 'the first column card is laid out').not.toBeNull();
    expect(alertsBox!.y + alertsBox!.height).toBeLessThanOrEqual(firstCardBox!.y);

    // One card per column, each named after its column.
    expect(
      (await cards.evaluateAll((els) => els.map((el) => el.getAttribute('data-column')))).sort(),
    ).toEqual([...DEMO_COLUMNS].sort());
    const count = page.getByTestId('column-count-shown');
    await expect(count).toHaveText('Showing 18 of 18 columns');

    // Search narrows the cards by name.
    const search = page.getByTestId('column-search');
    await search.fill('date');
    await expect(cards).toHaveCount(3);
    expect(
      (await cards.evaluateAll((els) => els.map((el) => el.getAttribute('data-column')))).sort(),
    ).toEqual(['churn_date', 'signup_date', 'snapshot_date']);
    await expect(count).toHaveText('Showing 3 of 18 columns');

    // "Only columns with alerts" narrows further: snapshot_date has no column alert, the others do.
    const alertsOnly = page.getByTestId('alerts-only-toggle');
    await alertsOnly.check();
    await expect(cards).toHaveCount(2);
    await expect(page.locator('[data-testid="column-card"][data-column="snapshot_date"]')).toHaveCount(0);
    for (const card of await cards.all()) await expect(card.getByText(/^\d+ alerts?$/)).toBeVisible();

    // Alerts only, no search: fewer than all 18 cards, and every card shown carries an alert.
    await search.fill('');
    const withAlerts = await cards.count();
    expect(withAlerts).toBeGreaterThan(1);
    expect(withAlerts).toBeLessThan(DEMO_COLUMNS.length);
    await expect(count).toHaveText(`Showing ${withAlerts} of 18 columns`);
    await search.fill('no such column');
    await expect(cards).toHaveCount(0);
    await expect(page.getByText('No column matches these filters.')).toBeVisible();
    await search.fill('');
    await alertsOnly.uncheck();
    await expect(cards).toHaveCount(DEMO_COLUMNS.length);

    // A card expands to its full statistics: monthly_fee has quantiles and the 99999 sentinel.
    const fee = page.locator('[data-testid="column-card"][data-column="monthly_fee"]');
    const toggle = fee.getByRole('button', { name: 'Show all statistics' });
    await expect(toggle).toHaveAttribute('aria-expanded', 'false');
    await expect(fee.getByRole('table', { name: /^Quantiles/ })).toHaveCount(0);
    await toggle.click();
    await expect(fee.getByRole('button', { name: 'Hide details' })).toHaveAttribute('aria-expanded', 'true');
    const quantiles = fee.getByRole('table', { name: /^Quantiles/ });
    await expect(quantiles).toBeVisible();
    await expect(quantiles.getByRole('row', { name: /^p50 \(median\)/ })).toContainText('62.38');
    await expect(quantiles.getByRole('row', { name: /^p25 \(Q1\)/ })).toBeVisible();
    await expect(quantiles.getByRole('row', { name: /^p75 \(Q3\)/ })).toBeVisible();
    const numeric = fee.getByRole('table', { name: /^Numeric statistics/ });
    await expect(numeric.getByRole('row', { name: /^Max/ })).toContainText('99,999');
    await expect(numeric.getByRole('row', { name: /^Min/ })).toContainText('-1');
    const sentinels = fee.getByRole('table', { name: /sentinels/ });
    await expect(sentinels).toBeVisible();
    // A sentinel is a code in the data, shown as written (no thousands separator); Max is a statistic.
    const sentinelRow = sentinels.getByRole('row', { name: /^99999\b/ });
    await expect(sentinelRow).toBeVisible();
    await expect(sentinelRow.getByRole('cell').first()).toHaveText(/^12\b/);
    await fee.getByRole('button', { name: 'Hide details' }).click();
    await expect(quantiles).toHaveCount(0);

    // Charts are drawn by Vega as SVG, with marks, and none failed. (Located by their panel, not by
    // accessible name: Vega replaces the label VegaChart gives its host, see the test below.)
    const missingPanel = page.getByRole('heading', { name: 'Missing values', level: 4 }).locator('..');
    await missingPanel.scrollIntoViewIfNeeded();
    const missingSvg = missingPanel.locator('figure svg').first();
    await expect(missingSvg).toBeVisible();
    expect(await missingSvg.locator('g.mark-rect path').count()).toBeGreaterThan(0);
    const timelineSvg = page
      .getByRole('heading', { name: 'Rows over time', level: 4 })
      .locator('..')
      .locator('figure svg');
    await expect(timelineSvg.first()).toBeVisible();
    // One bar per month with rows: March 2024 to February 2026 without April 2025, plus the future months.
    expect(await timelineSvg.first().locator('g.mark-rect path').count()).toBeGreaterThanOrEqual(23);
    await fee.scrollIntoViewIfNeeded();
    const histogram = fee.locator('figure svg').first();
    await expect(histogram).toBeVisible();
    expect(await histogram.locator('g.mark-rect path').count()).toBeGreaterThan(0);
    await expect(page.getByText(/could not be drawn/)).toHaveCount(0);
    await expect(page.getByText('Drawing chart…')).toHaveCount(0);
    // Errors since the page opened: the load and analysis as well as this view.
    expect(errors).toEqual([]);
  });

  // Vega rewrites the role and label of the element it draws into; the chart's label must survive.
  test('charts keep their accessible label after Vega draws them', async () => {
    await sectionTab(page, 'customer-churn.csv').click();
    await expect(page.getByTestId('profile-alerts')).toBeVisible({ timeout: ANALYSIS });
    const fee = page.locator('[data-testid="column-card"][data-column="monthly_fee"]');
    await fee.scrollIntoViewIfNeeded();
    await expect(fee.locator('figure svg').first()).toBeVisible();
    await expect(fee.getByRole('img', { name: 'Histogram of monthly_fee' })).toBeVisible({ timeout: 5_000 });
  });

  test('the demo’s Feasibility tab: the band, the baselines and SVG charts, with no serious axe violation', async () => {
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

  test('Export checks on the Drift tab: a keyboard menu, one file or one zip per item with the expected names, no personal value, no serious axe violation; the Sprint 0 tab names the files', async () => {
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

  test('a finding opened on the rows behind it and its SQL: both scroll, so both take focus', async () => {
    const withRows = await openFindingWithRows(page);
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
  });

  test('no audit screen has a serious or critical axe-core violation', async () => {
    test.setTimeout(300_000);
    const found: string[] = [];
    const check = async (screen: string, withOutline: boolean) => {
      const results = await axeRun(page);
      found.push(...serious(results, screen));
      if (withOutline) found.push(...(await outline(results, page, screen)));
    };

    /**
     * Click every button of a tab bar in turn, and check each screen it opens (but the one open
     * before the first click, when `openOneChecked`: it is the screen just checked one level up).
     */
    const checkEveryTab = async (
      navName: string,
      inner?: () => Promise<void>,
      openOneChecked = false,
    ): Promise<number> => {
      const nav = page.getByRole('navigation', { name: navName });
      const names = (await nav.getByRole('button').allInnerTexts()).map((name) => name.trim());
      const open = await nav.getByRole('button', { pressed: true }).allInnerTexts();
      for (const name of names) {
        const tab = nav.getByRole('button', { name, exact: true });
        await tab.click();
        await expect(tab).toHaveAttribute('aria-pressed', 'true');
        if (!(openOneChecked && open.some((o) => o.trim() === name)))
          await check(`${navName} → ${name}`, true);
        if (inner) await inner();
      }
      return names.length;
    };

    // Every audit section, and inside a dataset, every dataset view (profile with a card expanded).
    // The readiness tab, checked first, with a finding's rows and SQL open: both scroll regions on the page.
    await openFindingWithRows(page);
    const sections = await checkEveryTab('Audit sections', async () => {
      const views = page.getByRole('navigation', { name: 'Dataset views' });
      if ((await views.count()) === 0) return;
      await checkEveryTab(
        'Dataset views',
        async () => {
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
          await check('profile with a column of each family expanded', false);
          // The associations: heatmap and both tables of pairs open.
          await page.getByText(/^Correlations \(\d+ pairs\)$/).click();
          await page.getByText(/^Cramér's V \(\d+ pairs\)$/).click();
          await page.getByText(/^Cramér's V \(\d+ pairs\)$/).scrollIntoViewIfNeeded();
          await check('profile with the associations open', false);
        },
        true,
      );
    });
    expect(sections, 'the audit has several sections to check').toBeGreaterThanOrEqual(3);
    expect(found).toEqual([]);
  });

  // Last: it marks columns personal, which changes the audit.
  test('exports of the demo, and the audit saved in the browser, hold no planted personal value', async () => {
    await sectionTab(page, 'Readiness & verdict').click();
    const planted = demoPlantedValues();
    const file = await exportWithDialog(page, 'export-audit');
    // The dialog says what is masked before anything is written.
    expect(file.contains).toMatch(/masks \d+ value\(s\) from \d+ personal-data column\(s\)/);
    // Each dataset is named once, before its columns.
    expect(file.contains).toMatch(/\(customer-churn\.csv: [^;]*\bemail\b/);
    expect(file.contains).toContain('card_number');
    expect(file.text).toContain('"email"');
    expect(plantedLeaks(file.text, planted)).toEqual([]);
    expect(JSON.parse(file.text).redaction.mode).toBe('personal');

    const report = await exportWithDialog(page, 'export-report');
    expect(report.text).toContain('Sprint Zero readiness audit');
    expect(plantedLeaks(report.text, planted)).toEqual([]);

    // Aggregates only, chosen in the dialog.
    await page.getByTestId('export-audit').click();
    const dialog = page.locator('dialog[open]');
    await dialog.getByLabel('Aggregates only').check();
    await expect(dialog.getByTestId('export-contains')).toContainText('removes');
    const [strict] = await Promise.all([
      page.waitForEvent('download'),
      dialog.getByTestId('export-download').click(),
    ]);
    const strictDoc = JSON.parse(readFileSync((await strict.path())!, 'utf8')) as {
      redaction: { mode: string };
      profiles: Record<string, { duplicateExample: unknown }>;
    };
    expect(strictDoc.redaction.mode).toBe('strict');
    expect(Object.values(strictDoc.profiles)[0]?.duplicateExample).toBeNull();

    const stored = await storedAudits(page);
    expect(stored).toContain('card_number');
    expect(plantedLeaks(stored, planted)).toEqual([]);

    // A column the user marks as personal is masked from then on.
    const panel = page.getByTestId('personal-data');
    await panel.locator('summary').click();
    const email = panel.getByRole('checkbox', { name: /^email/ });
    await expect(email).toBeChecked();
    await expect(email).toHaveAccessibleName(/^email \(detected in the values: email\)/);
    // A detected column can be said not personal (and taken back); the export dialog follows.
    await email.uncheck();
    await expect(email).toHaveAccessibleName('email (not personal, your choice; detected in the values)');
    await page.getByTestId('export-audit').click();
    await expect(page.locator('dialog[open]').getByTestId('export-contains')).not.toContainText('email');
    await page.locator('dialog[open]').getByRole('button', { name: 'Cancel' }).click();
    await email.check();
    await expect(email).toHaveAccessibleName(/^email \(detected in the values: email\)/);
    await panel.getByRole('checkbox', { name: 'region', exact: true }).check();
    await expect(panel.getByRole('checkbox', { name: /^region/ })).toBeChecked();
    const marked = await exportWithDialog(page, 'export-audit');
    expect(marked.contains).toContain('region');
    const regions = (
      JSON.parse(marked.text) as {
        profiles: Record<string, { columns: { name: string; topK: { value: unknown }[] }[] }>;
      }
    ).profiles;
    const region = Object.values(regions)[0]!.columns.find((c) => c.name === 'region')!;
    expect(region.topK.map((v) => v.value)).not.toContain('North');
    expect(region.topK.length).toBeGreaterThan(0);
  });
});

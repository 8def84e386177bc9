import { test, expect } from '@playwright/test';
import { test as appTest, openApp } from './fixtures';
import { readFileSync } from 'node:fs';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { createNodeConnector } from '../../src/lib/engine/node-connector';
import { nodeDecoders } from '../../src/lib/engine/node-decoders';
import { fileSource } from '../../src/lib/engine/node-source';
import { loadDataset } from '../../src/lib/engine/load-dataset';
import { toDatasetRef } from '../../src/lib/engine/dataset-ref';
import { runAnalysis } from '../../src/lib/session/analyse';
import { newAudit } from '../../src/lib/core/audit/document';
import { withDataset } from '../../src/lib/core/audit/edits';
import { demoDeliverable } from '../../src/lib/core/deliverable/demo';
import { SECTION_IDS, SECTION_TITLES } from '../../src/lib/core/deliverable/package';
import { sprint0HtmlReport } from '../../src/lib/report/sprint0-report';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));

/** The demo audit with every sprint-0 section filled in, produced headless by the real engine. */
async function demoReport(): Promise<string> {
  const conn = await createNodeConnector();
  const loaded = await loadDataset(
    conn,
    nodeDecoders,
    await fileSource(join(ROOT, 'public/demo/customer-churn.csv')),
  );
  const ref = toDatasetRef(loaded, []);
  let audit = withDataset(newAudit('Churn demo', 'demo'), ref);
  audit.context = {
    ...audit.context,
    asOf: '2026-11-01',
    decision: 'Which customers the retention team calls each week',
    targetDefinition: 'Customer cancels within 90 days of the snapshot',
    predictionPoint: 'Monthly snapshot',
  };
  audit.roles = {
    [ref.id]: {
      target: 'churned',
      id: 'customer_id',
      eventTime: 'snapshot_date',
      outcomeTime: 'churn_date',
      source: 'source_system',
      segments: ['region'],
      excluded: [],
    },
  };
  audit = await runAnalysis(conn, audit, { tables: { [ref.id]: loaded.tableName } });
  return sprint0HtmlReport({ ...audit, deliverable: demoDeliverable() }, { generatedAt: '2026-11-26' });
}

test('the sprint-0 report opens from file:// offline, needs no request, and prints to A4 and Letter with every section', async ({
  browser,
}) => {
  test.setTimeout(240_000);
  const html = await demoReport();
  const dir = mkdtempSync(join(tmpdir(), 'sprint0-report-'));
  const path = join(dir, 'churn-demo.sprint0.html');
  writeFileSync(path, html);

  const context = await browser.newContext({ offline: true, javaScriptEnabled: false });
  const requests: string[] = [];
  context.on('request', (r) => {
    if (!r.url().startsWith('file:')) requests.push(r.url());
  });
  const page = await context.newPage();
  await page.goto(pathToFileURL(path).href);

  for (const id of SECTION_IDS)
    await expect(page.getByRole('heading', { level: 2, name: SECTION_TITLES[id] })).toBeVisible();
  await expect(page.locator('.verdict')).toHaveText('Not ready');
  expect(await page.locator('svg[role="img"]').count()).toBeGreaterThan(5);

  const pageCount = (pdf: Buffer): number =>
    (pdf.toString('latin1').match(/\/Type\s*\/Page(?!s)/g) ?? []).length;
  const a4 = await page.pdf({ format: 'A4', preferCSSPageSize: false });
  const letter = await page.pdf({ format: 'Letter' });
  const pagesA4 = pageCount(a4);
  const pagesLetter = pageCount(letter);
  // Eight sections, each starting on a new page; bounded for the demo.
  expect(pagesA4).toBeGreaterThanOrEqual(8);
  expect(pagesA4).toBeLessThan(60);
  expect(pagesLetter).toBeGreaterThanOrEqual(8);

  // Every section begins on its own printed page: its heading is the first thing under the page break.
  await page.emulateMedia({ media: 'print' });
  const breaks = await page
    .locator('section.sec')
    .evaluateAll((sections) => sections.map((s) => getComputedStyle(s).breakBefore));
  expect(breaks.slice(1).every((b) => b === 'page')).toBe(true);

  expect(requests).toEqual([]);
  console.log(
    `sprint-0 report on the demo: ${Buffer.byteLength(html)} bytes, ${pagesA4} A4 pages, ${pagesLetter} Letter pages`,
  );
  await context.close();
});

/** Analysis of the demo takes 5–20 s on two cores; leave room for a slow machine. */
const ANALYSIS = 180_000;

appTest(
  'every sprint-0 section filled on the demo survives a reload, exports as HTML and Markdown, and re-imports in a fresh profile',
  async ({ page, browser }) => {
    appTest.setTimeout(300_000);
    await openApp(page);
    await page.getByRole('button', { name: 'Try the demo' }).click();
    const sections = page.getByRole('navigation', { name: 'Audit sections' });
    await sections
      .getByRole('button', { name: 'Readiness & verdict', exact: true })
      .click({ timeout: ANALYSIS });
    await expect(page.getByTestId('verdict')).toBeVisible({ timeout: ANALYSIS });
    await sections.getByRole('button', { name: 'Sprint 0', exact: true }).click();
    const view = page.getByTestId('sprint0-view');
    await expect(view).toBeVisible();
    const status = page.getByTestId('sprint0-status');
    await expect(status).toContainText('To complete');

    // Feasibility: a constraint. Integration: every source, serving, pipeline. Team, cadence, sign-off.
    await page.getByTestId('sprint0-add-constraint').click();
    await view.getByLabel('Constraint 1', { exact: true }).fill('Scores needed by 1 March');
    await view.getByLabel('Constraint 1', { exact: true }).blur();
    for (const [source, owner, access] of [
      ['crm_eu', 'EU CRM team', 'api'],
      ['crm_us', 'US CRM team', 'scheduled-batch'],
      ['legacy_billing', '', 'manual-export'],
    ] as const) {
      if (owner) {
        await view.getByLabel(`Owner of ${source}`).fill(owner);
        await view.getByLabel(`Owner of ${source}`).blur();
      }
      await view.getByLabel(`Access to ${source}`).selectOption(access);
    }
    await view.getByLabel('legacy_billing is legacy').check();
    await page.getByTestId('sprint0-serving').selectOption('real-time');
    for (const step of await view.getByLabel(/^Status of /).all()) await step.selectOption('to-build');
    await view.getByLabel('Who covers Data engineering').fill('Client platform team');
    await view.getByLabel('Who covers Data engineering').blur();
    await view.getByLabel('Who covers Domain expertise').fill('Head of retention');
    await view.getByLabel('Who covers Domain expertise').blur();
    await view.getByLabel('ML engineering is a gap').check();
    await view.getByLabel('Plan to fill ML engineering').fill('Contract hire in January');
    await view.getByLabel('Plan to fill ML engineering').blur();
    await page.getByTestId('sprint0-review-cadence').selectOption('fortnightly');
    await page.getByTestId('sprint0-reviewer').fill('A. Consultant');
    await page.getByTestId('sprint0-sign').click();
    await expect(view).toContainText('A. Consultant');

    // Real-time serving fed by a manual export is an integration blocker, and shows in the verdict.
    await expect(page.getByTestId('sprint0-verdict')).toHaveText('Not ready');
    for (const title of ['2. Feasibility assessment', '4. Integration sketch', '6. Team, timeline and cost'])
      await expect(status.getByRole('listitem').filter({ hasText: title })).toContainText('Complete');

    // Autosaved: everything is back after a reload.
    await page.reload();
    await page
      .getByRole('navigation', { name: 'Audit sections' })
      .getByRole('button', { name: 'Sprint 0', exact: true })
      .click({ timeout: ANALYSIS });
    await expect(view.getByLabel('Owner of crm_us')).toHaveValue('US CRM team');
    await expect(view.getByLabel('Plan to fill ML engineering')).toHaveValue('Contract hire in January');
    await expect(view).toContainText('A. Consultant');

    const [html] = await Promise.all([
      page.waitForEvent('download'),
      page.getByTestId('export-sprint0-html').click(),
    ]);
    const report = readFileSync((await html.path())!, 'utf8');
    expect(report).not.toMatch(/<script|https?:\/\//i);
    expect(report).toContain('Real-time serving is fed by “legacy_billing”');
    expect(report).toContain('Contract hire in January');
    const [md] = await Promise.all([
      page.waitForEvent('download'),
      page.getByTestId('export-sprint0-markdown').click(),
    ]);
    const summary = readFileSync((await md.path())!, 'utf8');
    expect(summary).toMatch(/\*\*Verdict: Not ready\*\*/);
    expect(summary).toContain('A. Consultant');

    // The audit file carries the deliverable into a fresh browser profile.
    await sections.getByRole('button', { name: 'Readiness & verdict', exact: true }).click();
    await page.getByTestId('export-audit').click();
    const dialog = page.locator('dialog[open]');
    const [file] = await Promise.all([
      page.waitForEvent('download'),
      dialog.getByTestId('export-download').click(),
    ]);
    const fresh = await browser.newContext({ serviceWorkers: 'block' });
    const other = await fresh.newPage();
    await openApp(other);
    await other.getByTestId('import-input').setInputFiles((await file.path())!);
    await other
      .getByTestId('audit-list')
      .getByRole('button', { name: /^Kestrel churn/ })
      .click();
    await other
      .getByRole('navigation', { name: 'Audit sections' })
      .getByRole('button', { name: 'Sprint 0', exact: true })
      .click();
    const imported = other.getByTestId('sprint0-view');
    await expect(imported.getByLabel('Owner of crm_eu')).toHaveValue('EU CRM team');
    await expect(imported.getByLabel('Access to legacy_billing')).toHaveValue('manual-export');
    await expect(imported).toContainText('A. Consultant');
    await expect(other.getByTestId('sprint0-verdict')).toHaveText('Not ready');
    await fresh.close();
  },
);

appTest(
  'the findings list is one line per finding: blockers and majors open, the rest folded, arrow keys move between lines',
  async ({ page }) => {
    appTest.setTimeout(240_000);
    await openApp(page);
    await page.getByRole('button', { name: 'Try the demo' }).click();
    await page
      .getByRole('navigation', { name: 'Audit sections' })
      .getByRole('button', { name: 'Readiness & verdict', exact: true })
      .click({ timeout: ANALYSIS });
    await expect(page.getByTestId('verdict')).toBeVisible({ timeout: ANALYSIS });
    const card = (check: string, severity: string) =>
      page.locator(`[data-testid="finding"][data-check="${check}"][data-severity="${severity}"]`).first();
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
  },
);

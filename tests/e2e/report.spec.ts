import AxeBuilder from '@axe-core/playwright';
import { test, expect, type Page } from '@playwright/test';
import { test as appTest, openApp } from './fixtures';
import { readFileSync } from 'node:fs';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { createNodeConnector } from '../../src/lib/engine/node-connector';
import { SECTION_IDS, SECTION_TITLES, SQL_APPENDIX_TITLE } from '../../src/lib/core/deliverable/package';
import { sprint0HtmlReport } from '../../src/lib/report/sprint0-report';
import { auditHtmlReport } from '../../src/lib/report/html-report';
import { sprint0Demo } from '../support/sprint0-demo';
import { CONTENT_WIDTH_MM, GAP_MM, inPageColumns } from '../../src/lib/ui/sprint0/printed-pages';

/** The report's A4 print, counted in pages (one `/Type /Page` object per page). */
function pageCount(pdf: Buffer): number {
  return (pdf.toString('latin1').match(/\/Type\s*\/Page(?!s)/g) ?? []).length;
}

/** The report without its appendix: the body alone, as printed, for counting its pages. */
function bodyOnly(html: string): string {
  const start = html.indexOf('<div class="appendix" id="appendix">');
  expect(start).toBeGreaterThan(0);
  return `${html.slice(0, start)}</main>\n</body></html>\n`;
}

/** Serious or critical axe-core violations of the page, described. */
async function seriousViolations(page: Page, name: string): Promise<string[]> {
  const results = await new AxeBuilder({ page }).analyze();
  return results.violations
    .filter((v) => v.impact === 'serious' || v.impact === 'critical')
    .map(
      (v) =>
        `${name}: ${v.id} (${v.impact}) — ${v.help}: ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`,
    );
}

test('the sprint-0 report of the demo prints on at most 15 A4 pages of body plus an appendix, states its page count, opens from file:// offline and passes axe-core', async ({
  browser,
}) => {
  test.setTimeout(300_000);
  const conn = await createNodeConnector();
  const audit = await sprint0Demo(conn);
  await conn.close();
  const dir = mkdtempSync(join(tmpdir(), 'sprint0-report-'));
  const write = (name: string, text: string): string => {
    const path = join(dir, name);
    writeFileSync(path, text);
    return pathToFileURL(path).href;
  };

  // Offline, without JavaScript, as a client opens the file from a mail: no request at all.
  const offline = await browser.newContext({ offline: true, javaScriptEnabled: false });
  const requests: string[] = [];
  offline.on('request', (r) => {
    if (!r.url().startsWith('file:')) requests.push(r.url());
  });
  const page = await offline.newPage();
  const print = async (html: string, name: string): Promise<number> => {
    await page.goto(write(name, html));
    return pageCount(await page.pdf({ format: 'A4', preferCSSPageSize: true }));
  };

  // First pass: measure the body and the whole; the appendix starts on a page of its own.
  const draft = await sprint0HtmlReport(audit, { generatedAt: '2026-12-03T15:01:00Z' });
  const body = await print(bodyOnly(draft), 'body.html');
  const total = await print(draft, 'draft.html');
  const appendix = total - body;
  console.log(
    `sprint-0 report on the demo: ${body} A4 pages of body, ${appendix} of appendix (${Buffer.byteLength(draft)} bytes)`,
  );
  expect(body).toBeGreaterThanOrEqual(5);
  expect(body).toBeLessThanOrEqual(15);
  expect(appendix).toBeGreaterThanOrEqual(1);

  // Second pass: the closing note states the count, and stating it moves no page.
  const html = await sprint0HtmlReport(audit, {
    generatedAt: '2026-12-03T15:01:00Z',
    pages: { body, appendix },
  });
  const url = write('churn-demo.sprint0.html', html);
  expect(await print(bodyOnly(html), 'body2.html')).toBe(body);
  expect(await print(html, 'final.html')).toBe(total);
  await page.goto(url);
  await expect(page.getByRole('region', { name: 'Closing note' })).toContainText(
    `this report is ${body} pages of body and ${appendix} pages of appendix`,
  );
  await expect(page.getByRole('main')).toHaveCount(1);
  for (const id of SECTION_IDS)
    await expect(page.getByRole('heading', { level: 2, name: SECTION_TITLES[id] })).toBeVisible();
  await expect(page.getByRole('heading', { level: 2, name: SQL_APPENDIX_TITLE })).toBeVisible();
  await expect(page.locator('.verdict')).toHaveText('Not ready');
  // The SQL is on the page, not behind a control that prints as nothing.
  await expect(page.locator('details')).toHaveCount(0);
  await expect(page.locator('#s-sql pre').first()).toBeVisible();
  // No forced page break inside the body: only the appendix starts a new page.
  await page.emulateMedia({ media: 'print' });
  const forced = await page
    .locator('main > section, main > .appendix')
    .evaluateAll((els) => els.map((el) => `${el.id || el.className}:${getComputedStyle(el).breakBefore}`));
  expect(forced.filter((f) => f.endsWith(':page'))).toEqual(['appendix:page']);
  expect(requests).toEqual([]);
  await offline.close();

  // Both reports, opened from file://, pass axe-core (axe needs script, so this context allows it).
  const checked = await browser.newContext({ offline: true, bypassCSP: true });
  const axePage = await checked.newPage();
  const found: string[] = [];
  await axePage.goto(url);
  found.push(...(await seriousViolations(axePage, 'sprint-0 report')));
  await axePage.goto(write('churn-demo.audit.html', auditHtmlReport(audit, '2026-12-03T15:01:00Z')));
  await expect(axePage.getByRole('main')).toHaveCount(1);
  found.push(...(await seriousViolations(axePage, 'readiness report')));
  // The readiness report's first blocker is on its first printed page (laid out in page-sized columns).
  await axePage.goto(
    write('pages.audit.html', inPageColumns(auditHtmlReport(audit, '2026-12-03T15:01:00Z'))),
  );
  const blockerPage = await axePage.evaluate(
    ({ width, gap }) => {
      const body = document.body.getBoundingClientRect();
      const step = (body.width / width) * (width + gap);
      const blocker = document.querySelector('.item.i-blocker')!.getBoundingClientRect();
      return Math.floor((blocker.left - body.left) / step) + 1;
    },
    { width: CONTENT_WIDTH_MM, gap: GAP_MM },
  );
  expect(blockerPage).toBe(1);
  expect(found).toEqual([]);
  await checked.close();
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
    for (const title of [
      SECTION_TITLES.summary,
      SECTION_TITLES.integration,
      SECTION_TITLES['team-timeline-cost'],
    ])
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
    // The app measured the printed pages before saving: the closing note states what page.pdf() prints.
    const stated = /this report is (\d+) pages? of body and (\d+) pages? of appendix/.exec(report);
    expect(stated, 'page count in the closing note').not.toBeNull();
    const printer = await browser.newContext({ offline: true, javaScriptEnabled: false });
    const paper = await printer.newPage();
    const dir = mkdtempSync(join(tmpdir(), 'sprint0-app-report-'));
    const printed = async (text: string, name: string): Promise<number> => {
      writeFileSync(join(dir, name), text);
      await paper.goto(pathToFileURL(join(dir, name)).href);
      return pageCount(await paper.pdf({ format: 'A4', preferCSSPageSize: true }));
    };
    const body = await printed(bodyOnly(report), 'body.html');
    const total = await printed(report, 'report.html');
    console.log(`app export: stated ${stated![1]} + ${stated![2]} pages, printed ${body} + ${total - body}`);
    expect([Number(stated![1]), Number(stated![2])]).toEqual([body, total - body]);
    await printer.close();
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

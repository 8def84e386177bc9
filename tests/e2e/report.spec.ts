import { test, expect } from '@playwright/test';
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

import { describe, it, expect, beforeAll } from 'vitest';
import { join } from 'node:path';
import { ROOT } from '../../support/engine';
import type { AuditDocument } from '../../../src/lib/core/model/audit';
import { AuditDocumentSchema } from '../../../src/lib/core/model/audit';
import { demoDeliverable } from '../../../src/lib/core/deliverable/demo';
import { DriftStateSchema } from '../../../src/lib/core/model/drift';
import {
  SECTION_TITLES,
  SECTION_IDS,
  SQL_APPENDIX_TITLE,
  type SectionId,
} from '../../../src/lib/core/deliverable/package';
import { sprint0Package } from '../../../src/lib/core/audit/sprint0-package';
import {
  sprint0HtmlReport,
  cssString,
  escapeHtml,
  withPrintedPages,
} from '../../../src/lib/report/sprint0-report';
import { tableStem, withSourceNames } from '../../../src/lib/report/sql-listing';
import { tableNameFor } from '../../../src/lib/engine/load-dataset';
import { sprint0DemoDocument } from '../../support/sprint0-demo';
import { sharedCliEngine } from '../../support/cli-engine';
import { main } from '../../../src/lib/cli';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';

/** The demo audit as a client receives it: the example metric plan computed, the sprint-0 sections filled in. */
let filled: AuditDocument;
let html: string;

const h2 = (id: SectionId): string => `>${SECTION_TITLES[id]}</h2>`;
/** The HTML of one chapter: from its heading to the next chapter's. */
function chapterOf(out: string, id: SectionId): string {
  const at = SECTION_IDS.indexOf(id);
  const from = out.indexOf(h2(id));
  const next = SECTION_IDS[at + 1];
  const to = next ? out.indexOf(h2(next)) : out.indexOf(SQL_APPENDIX_TITLE);
  expect(from, SECTION_TITLES[id]).toBeGreaterThan(-1);
  return out.slice(from, to);
}
/** Text of the HTML with tags dropped and entities read, for checks on what a reader sees. */
function text(fragment: string): string {
  return fragment
    .replace(/<[^>]+>/g, ' ')
    .replace(/&quot;/g, '"')
    .replace(/&#39;/g, "'")
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&amp;/g, '&');
}

beforeAll(async () => {
  filled = await sprint0DemoDocument();
  html = await sprint0HtmlReport(filled, { generatedAt: '2026-11-26T10:00:00Z' });
}, 240_000);

describe('sprint-0 HTML report', () => {
  it('is self-contained: no script, no external URL, no event-handler attribute, no external resource', () => {
    expect(html).not.toMatch(/<script/i);
    expect(html).not.toMatch(/https?:\/\//i);
    expect(html).not.toMatch(/\/\/[a-z0-9.-]+\.[a-z]{2,}/i);
    expect(html).not.toMatch(/<[^>]+\son[a-z]+\s*=/i);
    expect(html).not.toMatch(/<(link|iframe|object|embed|img|base)\b/i);
    expect(html).not.toMatch(/url\(/i);
    expect(html).toContain("default-src 'none'");
  });

  it('has the body chapters, then the appendix, in order, one main landmark, and stays under 2 MB on the demo', () => {
    let at = -1;
    for (const id of SECTION_IDS) {
      const i = html.indexOf(h2(id));
      expect(i, SECTION_TITLES[id]).toBeGreaterThan(at);
      at = i;
    }
    expect(html.indexOf(SQL_APPENDIX_TITLE)).toBeGreaterThan(at);
    // The closing note ends the body, before the appendix.
    expect(html.indexOf('End of the report.')).toBeLessThan(html.indexOf(h2('profiles')));
    expect(html.match(/<main>/g)).toHaveLength(1);
    expect(Buffer.byteLength(html)).toBeLessThan(2 * 1024 * 1024);
    expect((html.match(/<svg role="img"/g) ?? []).length).toBeGreaterThan(5);
    // No control that prints as nothing.
    expect(html).not.toMatch(/<details|<summary/);
  });

  it('recomputes the verdict from findings and waivers, ignoring a stored one, and counts integration and team findings', async () => {
    const tampered = {
      ...filled,
      verdict: { ...filled.verdict!, status: 'ready' as const, openBlockers: [] },
    };
    const out = await sprint0HtmlReport(tampered, { generatedAt: '2026-11-26', charts: false });
    expect(out).toContain('<span class="verdict v-not-ready">Not ready</span>');
    // Real-time serving fed by a monthly manual export is an integration blocker in the filled-in demo.
    expect(out).toContain('Real-time serving is fed by “legacy_billing”');
    expect(out).toContain('Legacy source “legacy_billing” has no owner');
    expect(out).toContain('Nobody covers ml engineering yet (a plan exists)');
  });

  it('shows each open finding once, as the work item that fixes it: severity, fix, owner and effort together, blockers first', () => {
    const body = html.slice(0, html.indexOf(h2('profiles')));
    // Work items live in chapter 2 only.
    expect(html.slice(html.indexOf(h2('metric-plan')))).not.toContain('<article class="item');
    const pkg = sprint0Package(filled);
    const open = pkg.workPlan.items.filter((i) => i.origin === 'finding');
    expect(open.length).toBeGreaterThan(20);
    for (const item of open) {
      const title = pkg.findings.find((f) => f.id === item.id)!.title;
      // Once in the work items; the summary's risks may name it again, pointing to the item.
      const inPlan = text(chapterOf(html, 'work-plan')).split(title).length - 1;
      expect(inPlan, title).toBe(1);
      const elsewhere = text(
        body.replace(chapterOf(html, 'work-plan'), '').replace(chapterOf(html, 'summary'), ''),
      );
      expect(elsewhere.split(title).length - 1, title).toBe(0);
    }
    const plan = chapterOf(html, 'work-plan');
    expect(plan.indexOf('class="sev s-blocker"')).toBeLessThan(plan.indexOf('class="sev s-major"'));
    expect(plan.indexOf('class="sev s-major"')).toBeLessThan(plan.indexOf('>Minor findings<'));
    // The blocker's card: the leak, its fix, its owner and its effort in one block, with its chart.
    const card = plan.slice(plan.indexOf('<article class="item i-blocker'), plan.indexOf('</article>'));
    expect(text(card)).toMatch(/“cancellation_reason” is filled in determines “churned”/);
    expect(card).toContain('A single field predicts the label almost perfectly');
    expect(card).toMatch(/<b>Handle in the pipeline:<\/b>/);
    expect(card).toContain('<b>Owner:</b> ML engineering');
    expect(card).toMatch(/<b>Effort:<\/b> M · 2–5 person-days/);
    // A chart where one helps: beside the evidence of several major findings.
    expect((plan.match(/<article class="item i-major has-chart/g) ?? []).length).toBeGreaterThanOrEqual(3);
    // The findings have no chapter of their own any more, and no evidence table.
    expect(html).not.toContain('Findings by area</h2>');
    expect(html).not.toMatch(/>(minorityShare|belowSeedGuidance|presenceAuc|filledShareInClass)</);
  });

  it('lists the SQL after the body, pretty-printed, naming the source file instead of the internal table', () => {
    const appendix = html.slice(html.indexOf(SQL_APPENDIX_TITLE));
    expect(html).not.toMatch(/t\d+_customer_churn/);
    expect(appendix).toContain('FROM\n  &quot;customer-churn.csv&quot;');
    // One clause per line: the blocker's statement spans many lines, none of them a whole query.
    const first = appendix.slice(appendix.indexOf('<pre><code>'), appendix.indexOf('</code></pre>'));
    expect(first.split('\n').length).toBeGreaterThan(5);
    expect(first).toMatch(/^ {2}\S/m);
    // Each work item points to its listing, and every reference resolves.
    const refs = [...html.matchAll(/SQL: (B\.\d+)/g)].map((m) => m[1]!);
    expect(refs.length).toBeGreaterThan(10);
    for (const ref of new Set(refs)) expect(appendix).toContain(`id="sql-${ref}"`);
  });

  it('names the source file in SQL by the stem the loader gives its table', () => {
    for (const name of ['customer-churn.csv', 'Sales 2024 (EU).xlsx', '__.csv', 'a"b.parquet'])
      expect(tableNameFor(name)).toMatch(new RegExp(`^t\\d+_${tableStem(name)}$`));
    expect(withSourceNames('SELECT 1 FROM "t7_a_b"', [{ fileName: 'a"b.parquet' }])).toBe(
      'SELECT 1 FROM "a""b.parquet"',
    );
    // Two files with the same stem: the table keeps its name rather than naming the wrong file.
    expect(
      withSourceNames('FROM "t2_sales"', [{ fileName: 'sales.csv' }, { fileName: 'Sales.parquet' }]),
    ).toBe('FROM "t2_sales"');
  });

  it('renders the metric plan as the app shows it: plain words, baselines, cost with unit and period, intervals, charts', () => {
    const plan = chapterOf(html, 'metric-plan');
    const words = text(plan);
    expect(words).toContain('When the model flags a case, the retention team will call the account');
    expect(words).toMatch(/Prevalence\s+2\d\.\d % of 1\d,\d{3} labelled rows are “yes”/i);
    expect(words).toMatch(/Expected cost at the target\s+(costs|saves) €[\d,]+ a month/);
    expect(words).toMatch(/Doing nothing\s+(breaks even|costs €[\d,]+ a month)/);
    expect(words).toMatch(/Verification intervals \(Wilson 95 %\)\s+recall: \d+\.\d % to \d+\.\d %/);
    expect(words).toMatch(/Validation split\s+a time-based split from \d{1,2} [A-Z][a-z]{2} 20\d\d/);
    expect((plan.match(/<svg role="img"/g) ?? []).length).toBeGreaterThanOrEqual(2);
    // Not the key/value dump it replaced.
    expect(words).not.toMatch(/›|Dataset id|Computed at|Min precision 0\.4/);
    expect(words).not.toMatch(/\d{4}-\d\d-\d\dT\d\d:/);
  });

  it('carries the waiver reason in the work plan instead of a work item, and adds the timeline uplift', async () => {
    const blocker = filled.findings.find((f) => f.severity === 'blocker')!;
    const waived = {
      ...filled,
      waivers: [{ findingId: blocker.id, reason: 'column dropped by the client', at: '2026-11-20' }],
    };
    const out = await sprint0HtmlReport(waived, { generatedAt: '2026-11-26', charts: false });
    const plan = chapterOf(out, 'work-plan');
    expect(plan.match(/Accepted because[\s\S]*column dropped by the client/)).not.toBeNull();
    expect(plan.split(escapeHtml(blocker.title)).length - 1).toBe(1);
    expect(out).toMatch(
      /1 blocker is waived instead of fixed, so every phase after the first is extended by 15 %/,
    );
  });

  it('states the printed page count in the closing note when the exporter measured it', async () => {
    expect(text(html)).toContain('Printed, each page carries its number and the total at its foot.');
    const out = await sprint0HtmlReport(filled, {
      generatedAt: '2026-11-26',
      charts: false,
      pages: { body: 12, appendix: 9 },
    });
    expect(text(out)).toContain(
      'Printed on A4, this report is 12 pages of body and 9 pages of appendix (21 pages in all).',
    );
    // The app measures the pages on the finished report and states them without rendering it again.
    const stated = withPrintedPages(html, { body: 1, appendix: 3 });
    expect(text(stated)).toContain('this report is 1 page of body and 3 pages of appendix (4 pages in all).');
    expect(stated.length - html.length).toBeLessThan(60);
  });

  it('shows aggregates only: no raw row, no duplicate example, no personal value', () => {
    const profile = Object.values(filled.profiles)[0]!;
    expect(profile.duplicateExample).not.toBeNull();
    for (const value of Object.values(profile.duplicateExample ?? {}).filter(
      (v) => typeof v === 'string' && v.includes('@'),
    ))
      expect(html).not.toContain(String(value));
    expect(html).not.toMatch(/[a-z0-9.]+@[a-z0-9-]+\.example/i);
  });

  it('escapes hostile names everywhere, the print header included', async () => {
    const hostile = '</style><script>alert(1)</script><img src=x onerror=alert(2)>';
    const audit: AuditDocument = {
      ...filled,
      name: hostile,
      notes: [{ findingId: filled.findings[0]!.id, text: hostile, at: '2026-11-20' }],
      deliverable: {
        ...demoDeliverable(),
        constraints: [{ kind: 'other', text: hostile }],
        signOff: [{ reviewer: hostile, role: '', date: '', notes: '' }],
      },
    };
    expect(AuditDocumentSchema.safeParse(audit).success).toBe(true);
    const out = await sprint0HtmlReport(audit, { generatedAt: '2026-11-26', charts: false });
    expect(out).not.toContain('<script');
    expect(out).not.toContain('<img');
    expect(out.match(/<\/style>/g)).toHaveLength(1);
    expect(cssString('a"</style>')).toBe('"a\\22 \\3c \\2f style\\3e "');
  });

  it('shows each column’s missing share of all rows in the profiles, never above 100 %', () => {
    const profile = Object.values(filled.profiles)[0]!;
    const cancellation = profile.columns.find((c) => c.name === 'cancellation_reason')!;
    // The demo: 2,791 filled of 12,000 rows (README), so 9,209 missing = 76.7 %.
    const expected = ((100 * cancellation.missing) / profile.rows).toFixed(1);
    expect(expected).toBe(((100 * (profile.rows - 2791)) / profile.rows).toFixed(1));
    const row = new RegExp(
      `<td>cancellation_reason</td>(?:<td[^>]*>[^<]*</td>){2}<td[^>]*>${expected} %</td>`,
    );
    expect(html).toMatch(row);
    const shares = [...html.matchAll(/(\d[\d,]*(?:\.\d+)?) %/g)].map((m) => Number(m[1]!.replace(/,/g, '')));
    expect(shares.filter((share) => share > 100)).toEqual([]);
  });

  it('leaves a clear place for the metric plan when there is none', async () => {
    const out = await sprint0HtmlReport(
      { ...filled, plan: undefined },
      { generatedAt: '2026-11-26', charts: false },
    );
    expect(chapterOf(out, 'metric-plan')).toContain('No metric plan yet.');
  });

  it('shows drift inside the history once computed, names escaped, and a placeholder before', async () => {
    expect(html).toContain('No drift comparison yet');
    const drift = DriftStateSchema.parse({
      history: {
        timeColumn: 'snapshot_date',
        referenceMonths: ['2024-03'],
        months: ['2024-03', '2024-04'],
        cells: [],
        columns: [
          {
            column: '<b>monthly_fee</b>',
            compared: 23,
            moderate: 2,
            major: 1,
            worstMonth: '2025-04',
            worstPsi: 0.4,
          },
          { column: 'region', compared: 23, moderate: 0, major: 0, worstMonth: null, worstPsi: 0.01 },
        ],
      },
    });
    const out = await sprint0HtmlReport({ ...filled, drift }, { generatedAt: '2026-11-26', charts: false });
    expect(out).toContain('1 column moves.');
    expect(out).toContain(
      '<td>&lt;b&gt;monthly_fee&lt;/b&gt;</td><td class="n">2</td><td class="n">1</td><td>Apr 2025</td>',
    );
    const section = chapterOf(out, 'metric-plan');
    expect(section).toContain('monthly_fee');
    expect(section).not.toContain('<td>region</td>');
  });
});

describe('CLI --context, --html, --markdown', () => {
  it('reads the non-data sections and writes the report and the summary next to the audit document', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'sprint0-cli-'));
    const context = join(dir, 'context.json');
    writeFileSync(
      context,
      JSON.stringify({ context: { decision: 'Weekly call list' }, deliverable: demoDeliverable() }),
    );
    const written = new Map<string, string>();
    const code = await main(
      [
        join(ROOT, 'public/demo/customer-churn.csv'),
        ...[
          '--target',
          'churned',
          '--id',
          'customer_id',
          '--time',
          'snapshot_date',
          '--source',
          'source_system',
        ],
        ...['--as-of', '2026-11-01', '--context', context, '-q'],
        ...['--out', 'a.json', '--html', 'report.html', '--markdown', 'summary.md'],
      ],
      {
        stdout: () => {},
        stderr: () => {},
        writeFile: async (path, text) => void written.set(path, text),
        engine: sharedCliEngine(),
      },
    );
    expect(code).toBe(4);
    expect([...written.keys()]).toEqual(['a.json', 'report.html', 'summary.md']);
    expect(JSON.parse(written.get('a.json')!).deliverable.team.domainReviewCadence).toBe('fortnightly');
    expect(written.get('report.html')).toContain('Weekly call list');
    expect(written.get('report.html')).toContain('Legacy source “legacy_billing” has no owner');
    expect(written.get('summary.md')).toMatch(/^# customer-churn: Sprint 0 summary/);
  }, 240_000);
});

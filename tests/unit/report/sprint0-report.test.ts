import { describe, it, expect, beforeAll } from 'vitest';
import { join } from 'node:path';
import { engine, ROOT } from '../../support/engine';
import { analysedDemo } from '../../support/demo';
import type { AuditDocument } from '../../../src/lib/core/audit/schema';
import { AuditDocumentSchema } from '../../../src/lib/core/audit/schema';
import { demoDeliverable } from '../../../src/lib/core/deliverable/demo';
import { DriftStateSchema } from '../../../src/lib/core/drift/schema';
import { SECTION_TITLES, SECTION_IDS } from '../../../src/lib/core/deliverable/package';
import { sprint0HtmlReport, cssString } from '../../../src/lib/report/sprint0-report';
import { main } from '../../../src/lib/cli';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';

/** The demo audit, produced by the real engine, as the app's "Try the demo" would. */
let demo: AuditDocument;
/** The same audit with its sprint-0 sections filled in. */
let filled: AuditDocument;
let html: string;

beforeAll(async () => {
  const conn = await engine();
  const { audit } = await analysedDemo(conn, {
    name: 'Churn demo',
    context: { decision: 'Which customers the retention team calls each week' },
  });
  demo = audit;
  filled = { ...audit, deliverable: demoDeliverable() };
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

  it('has every section heading, in order, and stays under 2 MB on the demo', () => {
    let at = -1;
    for (const id of SECTION_IDS) {
      const i = html.indexOf(`<h2>${SECTION_TITLES[id]}</h2>`);
      expect(i, SECTION_TITLES[id]).toBeGreaterThan(at);
      at = i;
    }
    expect(Buffer.byteLength(html)).toBeLessThan(2 * 1024 * 1024);
    // Charts are inline SVG from Vega's renderer.
    expect((html.match(/<svg role="img"/g) ?? []).length).toBeGreaterThan(5);
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

  it('lists blockers before majors and shows human evidence labels with formatted numbers', () => {
    const h2 = (id: keyof typeof SECTION_TITLES): string => `<h2>${SECTION_TITLES[id]}</h2>`;
    const findings = html.slice(html.indexOf(h2('findings')), html.indexOf(h2('profiles')));
    const firstMajor = findings.indexOf('class="sev s-major"');
    const firstBlocker = findings.indexOf('class="sev s-blocker"');
    expect(firstBlocker).toBeGreaterThan(-1);
    expect(firstBlocker).toBeLessThan(firstMajor);
    expect(html).not.toMatch(/>(minorityShare|belowSeedGuidance|presenceAuc|filledShareInClass)</);
    expect(html).toContain('<th>AUC of “is filled in”</th><td>0.9929</td>');
    expect(html).toMatch(/<th>Share with a variant spelling<\/th><td>\d+\.\d %<\/td>/);
    expect(html).toContain('A single field predicts the label almost perfectly');
  });

  it('carries the waiver reason in the work plan instead of a work item, and adds the timeline uplift', async () => {
    const blocker = filled.findings.find((f) => f.severity === 'blocker')!;
    const waived = {
      ...filled,
      waivers: [{ findingId: blocker.id, reason: 'column dropped by the client', at: '2026-11-20' }],
    };
    const out = await sprint0HtmlReport(waived, { generatedAt: '2026-11-26', charts: false });
    const plan = out.slice(
      out.indexOf(`<h2>${SECTION_TITLES['work-plan']}</h2>`),
      out.indexOf(`<h2>${SECTION_TITLES.integration}</h2>`),
    );
    expect(plan).toContain('column dropped by the client');
    expect(plan.match(/Accepted because[\s\S]*column dropped/)).not.toBeNull();
    expect(out).toMatch(
      /1 blocker is waived instead of fixed, so every phase after the first is extended by 15 %/,
    );
  });

  it('shows aggregates only: no raw row, no duplicate example, no personal value', () => {
    const profile = Object.values(demo.profiles)[0]!;
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
    const profile = Object.values(demo.profiles)[0]!;
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

  it('leaves a clear place for the metric plan when there is none', () => {
    expect(html).toContain('No metric plan yet.');
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
    expect(out).toContain('1 column(s) move.');
    expect(out).toContain(
      '<td>&lt;b&gt;monthly_fee&lt;/b&gt;</td><td class="n">2</td><td class="n">1</td><td>2025-04</td>',
    );
    const section5 = out.slice(
      out.indexOf(`<h2>${SECTION_TITLES['metric-plan']}</h2>`),
      out.indexOf(`<h2>${SECTION_TITLES['team-timeline-cost']}</h2>`),
    );
    expect(section5).toContain('monthly_fee');
    expect(section5).not.toContain('<td>region</td>');
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
      { stdout: () => {}, stderr: () => {}, writeFile: async (path, text) => void written.set(path, text) },
    );
    expect(code).toBe(4);
    expect([...written.keys()]).toEqual(['a.json', 'report.html', 'summary.md']);
    expect(JSON.parse(written.get('a.json')!).deliverable.team.domainReviewCadence).toBe('fortnightly');
    expect(written.get('report.html')).toContain('Weekly call list');
    expect(written.get('report.html')).toContain('Legacy source “legacy_billing” has no owner');
    expect(written.get('summary.md')).toMatch(/^# customer-churn: Sprint 0 summary/);
  }, 240_000);
});

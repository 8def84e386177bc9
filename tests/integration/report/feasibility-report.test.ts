import { describe, it, expect, beforeAll } from 'vitest';
import { sprint0DemoDocument } from '../../support/sprint0-demo';
import type { AuditDocument } from '../../../src/lib/core/model/audit';
import { SECTION_TITLES } from '../../../src/lib/core/deliverable/package';
import { sprint0HtmlReport } from '../../../src/lib/report/sprint0-report';
import { sprint0MarkdownSummary } from '../../../src/lib/report/markdown-summary';

/**
 * The demo's sprint-0 report and Markdown summary with the feasibility step
 * run by the real engine, as the app's "Try the demo" gives it: the
 * feasibility part leads with the band, the review sample stays out.
 */

let audit: AuditDocument;
let html: string;
let markdown: string;

/** Text of the HTML with tags dropped and entities read. */
function text(fragment: string): string {
  return fragment
    .replace(/<[^>]+>/g, ' ')
    .replace(/&#39;/g, "'")
    .replace(/&quot;/g, '"')
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&amp;/g, '&')
    .replace(/\s+/g, ' ');
}

beforeAll(async () => {
  audit = await sprint0DemoDocument();
  html = await sprint0HtmlReport(audit, { generatedAt: '2026-12-04T04:00:00Z' });
  markdown = sprint0MarkdownSummary(audit, '2026-12-04T04:00:00Z');
}, 300_000);

describe('the demo’s sprint-0 report, feasibility included', () => {
  it('has run the baselines on the demo', () => {
    expect(audit.feasibility?.status).toBe('done');
    expect(audit.feasibility?.baselines.length).toBeGreaterThan(0);
  });

  it('leads the summary’s feasibility part with the band, then the baseline, the learning curve and the label noise', () => {
    const summary = html.slice(
      html.indexOf(`>${SECTION_TITLES.summary}</h2>`),
      html.indexOf(`>${SECTION_TITLES['work-plan']}</h2>`),
    );
    const part = summary.slice(
      summary.indexOf('<h3>Feasibility</h3>'),
      summary.indexOf('<h3>The biggest risks</h3>'),
    );
    const t = text(part);
    const f = audit.feasibility!;
    const at = [`Data Readiness Level ${f.band}`, 'Best baseline', 'Learning curve', 'Label noise'].map((k) =>
      t.indexOf(k),
    );
    expect(at.every((i) => i > -1)).toBe(true);
    expect([...at].sort((a, b) => a - b)).toEqual(at);
    expect(t).toContain(f.bandReason);
    // One small chart: the learning curve.
    expect(part.match(/<svg role="img" aria-label="Learning curve/g)).toHaveLength(1);
    // The verdict's feasibility sentence names the band too.
    expect(text(summary)).toMatch(
      new RegExp(`Data Readiness Level ${f.band} \\([^)]+\\)\\. (Not feasible|Feasible)`),
    );
  });

  it('prints none of the label-review rows’ values in the feasibility part or the summary’s section', () => {
    const part = html.slice(html.indexOf('<h3>Feasibility</h3>'), html.indexOf('<h3>The biggest risks</h3>'));
    const section = markdown.slice(
      markdown.indexOf('## Feasibility'),
      markdown.indexOf('## The three biggest risks'),
    );
    // Values that could only come from a row: decimals and the longer texts.
    const values = (audit.feasibility?.labelNoise?.reviewSample ?? [])
      .flatMap((r) => Object.values(r.values))
      .filter(
        (v) => (typeof v === 'number' && !Number.isInteger(v)) || (typeof v === 'string' && v.length > 6),
      )
      .map(String);
    expect(values.length).toBeGreaterThan(0);
    for (const v of new Set(values)) {
      expect(text(part)).not.toContain(v);
      expect(section).not.toContain(v);
    }
  });

  it('gives the same facts in the Markdown summary, under a Feasibility heading before the risks', () => {
    const at = markdown.indexOf('## Feasibility');
    expect(at).toBeGreaterThan(-1);
    expect(at).toBeLessThan(markdown.indexOf('## The three biggest risks'));
    const section = markdown.slice(at, markdown.indexOf('## The three biggest risks'));
    expect(section).toMatch(/^## Feasibility\n\n\*\*Data Readiness Level [ABC] /);
    expect(section).toContain('- **Best baseline:** Logistic regression');
    expect(section).toMatch(/- \*\*Learning curve:\*\* (Flat|Still rising|Unclear|No power law)/);
    expect(section).not.toMatch(/\d[eE][+-]?\d|\d\.\d{4,}/);
  });
});

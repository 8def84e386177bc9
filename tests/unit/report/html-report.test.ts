import { describe, it, expect } from 'vitest';
import { auditHtmlReport, escapeHtml } from '../../../src/lib/report/html-report';
import { newAudit } from '../../../src/lib/core/model/document';
import { verdictFor } from '../../../src/lib/core/readiness/verdict';
import type { Finding } from '../../../src/lib/core/model/audit';

const hostile = '<img src=x onerror=alert(1)>';
const finding: Finding = {
  id: 'leakage-single-feature:d:x',
  check: 'leakage-single-feature',
  area: 'leakage',
  severity: 'blocker',
  title: `Whether “${hostile}” is filled in determines the label`,
  datasetId: 'd',
  columns: [hostile, 'a"; DROP TABLE t; --'],
  evidence: { auc: 0.99, column: hostile },
  sql: `SELECT count("${hostile}") FROM t`,
  recommendation: 'Drop it.',
};

describe('standalone HTML report', () => {
  it('escapes every value that comes from data', () => {
    expect(escapeHtml(`<a href="x">'&'</a>`)).toBe('&lt;a href=&quot;x&quot;&gt;&#39;&amp;&#39;&lt;/a&gt;');
    const audit = { ...newAudit(`<script>alert(1)</script>`, 'a'), findings: [finding] };
    audit.notes = [{ findingId: finding.id, text: '</p><iframe src=//evil>', at: '2026-11-25T00:00:00Z' }];
    audit.verdict = verdictFor(audit.findings, []);
    const html = auditHtmlReport(audit, '2026-11-25');
    expect(html).not.toContain(hostile);
    expect(html).not.toContain('<script>alert');
    expect(html).not.toContain('<iframe');
    expect(html).toContain('&lt;img src=x onerror=alert(1)&gt;');
    expect(html).toContain('Not ready');
  });

  it('is self-contained: no script, no external resource', () => {
    const html = auditHtmlReport({ ...newAudit('x', 'a'), findings: [finding] }, '2026-11-25');
    expect(html).not.toMatch(/<script|<link|src=["']?https?:|url\(/i);
    expect(html).toContain("default-src 'none'");
  });

  it('shows waivers and drops waived findings from the verdict', () => {
    const waivers = [
      { findingId: finding.id, reason: 'column removed upstream', at: '2026-11-25T00:00:00Z' },
    ];
    const audit = {
      ...newAudit('x', 'a'),
      findings: [finding],
      waivers,
      verdict: verdictFor([finding], waivers),
    };
    const html = auditHtmlReport(audit, '2026-11-25');
    expect(html).toMatch(/Accepted because[\s\S]*column removed upstream/);
    expect(html).toContain('>Ready<');
  });
});

describe('HTML report hardening', () => {
  it('escapes enum values an imported file could have forged', () => {
    const forged = {
      ...finding,
      severity: '"><script>alert(1)</script>' as Finding['severity'],
    };
    const audit = { ...newAudit('Forged', 'a'), findings: [forged] };
    audit.datasets = [
      {
        id: 'd',
        fileName: 'f.csv',
        format: '<img src=x onerror=alert(2)>' as 'csv',
        sizeBytes: 1,
        lastModified: 0,
        rowCount: 1,
        columns: [],
        fingerprint: 'f',
        loadedAt: '2026-11-25T00:00:00Z',
        warnings: [],
      },
    ];
    const html = auditHtmlReport(audit, '2026-11-25');
    expect(html).not.toContain('<script>alert(1)');
    expect(html).not.toContain('<IMG SRC=X');
    expect(html).not.toContain('<img src=x');
  });

  it('neutralises table cells a spreadsheet would run as a formula', () => {
    const audit = { ...newAudit('Formula', 'a'), findings: [finding] };
    audit.context.decision = '@SUM(A1:A9)';
    audit.context.predictionPoint = '=HYPERLINK("x")';
    const html = auditHtmlReport(audit, '2026-11-25');
    expect(html).toContain(`<td>&#39;=HYPERLINK(&quot;x&quot;)</td>`);
    expect(html).toContain(`<td>&#39;@SUM(A1:A9)</td>`);
  });

  it('is the data-audit chapter of the report template: the verdict, then blockers first, then the SQL after the body', () => {
    const major: Finding = { ...finding, id: 'm', severity: 'major', title: 'A major finding' };
    const audit = { ...newAudit('Order', 'a'), findings: [major, finding] };
    const html = auditHtmlReport(audit, '2026-11-25T10:00:00Z');
    expect(html.match(/<main>/g)).toHaveLength(1);
    const verdict = html.indexOf('>1. Verdict</h2>');
    const blocker = html.indexOf('class="sev s-blocker"');
    expect(verdict).toBeGreaterThan(-1);
    expect(blocker).toBeGreaterThan(verdict);
    expect(blocker).toBeLessThan(html.indexOf('class="sev s-major"'));
    expect(html.indexOf('End of the audit report.')).toBeLessThan(html.indexOf('Appendix. SQL'));
    // The SQL is shown in full, pretty-printed, not behind a control that prints as nothing.
    expect(html).not.toMatch(/<details|<summary/);
    expect(html).toContain('<pre><code>SELECT\n  count(');
    // No ISO timestamp in the header: the generated time reads as a date and a time.
    expect(html).toContain('generated 25 Nov 2026, 10:00 UTC');
    expect(html).not.toContain('2026-11-25T10:00:00Z');
  });
});

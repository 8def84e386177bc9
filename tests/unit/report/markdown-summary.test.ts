import { describe, it, expect } from 'vitest';
import { newAudit } from '../../../src/lib/core/model/document';
import type { AuditDocument, Finding } from '../../../src/lib/core/model/audit';
import { demoDeliverable } from '../../../src/lib/core/deliverable/demo';
import { escapeMarkdown, sprint0MarkdownSummary } from '../../../src/lib/report/markdown-summary';

const finding = (
  id: string,
  severity: Finding['severity'],
  title: string,
  evidence: Finding['evidence'] = {},
): Finding => ({
  id,
  check: 'labels-variants',
  area: 'labels',
  severity,
  title,
  datasetId: 'd',
  columns: [],
  evidence,
  sql: '',
  recommendation: 'Merge the spellings.',
});

function audit(): AuditDocument {
  const a = newAudit('Churn [demo](https://evil.example)', 'a');
  a.datasets = [
    {
      id: 'd',
      fileName: 'x.csv',
      format: 'csv',
      sizeBytes: 1,
      lastModified: 0,
      rowCount: 1,
      columns: [],
      fingerprint: 'f',
      loadedAt: '2026-11-01',
      warnings: [],
    },
  ];
  a.findings = [
    finding('i', 'info', 'Two classes', { minorityShare: 0.2359 }),
    finding('m', 'major', '“churned” spells 2 labels 7 ways', { variantShare: 0.4275 }),
    finding('b', 'blocker', 'Leaky <img src=x onerror=alert(1)> column'),
  ];
  a.deliverable = demoDeliverable();
  return a;
}

describe('Markdown summary', () => {
  it('leads with the recomputed verdict, the biggest risks and the next step', () => {
    const md = sprint0MarkdownSummary({ ...audit(), verdict: undefined }, '2026-11-26');
    expect(md).toMatch(/\*\*Verdict: Not ready\*\*/);
    expect(md.indexOf('## The three biggest risks')).toBeLessThan(md.indexOf('## Recommended next step'));
    expect(md).toContain('Do not start model work yet');
  });

  it('lists findings one per line, most severe first, with readable key numbers', () => {
    const md = sprint0MarkdownSummary(audit(), '2026-11-26');
    const findings = md.slice(md.indexOf('## Findings'));
    const order = ['**Blocker**', '**Major**', '**Info**'].map((s) => findings.indexOf(s));
    expect(order).toEqual([...order].sort((x, y) => x - y));
    expect(order[0]).toBeGreaterThan(-1);
    expect(findings).toContain('Share with a variant spelling: 42.8 %');
    expect(md).not.toMatch(/minorityShare|variantShare/);
  });

  it('escapes text so it cannot become a link, an image or HTML', () => {
    const md = sprint0MarkdownSummary(audit(), '2026-11-26');
    expect(md).not.toContain('](https://evil.example)');
    expect(md).not.toContain('<img');
    expect(md).toContain('&lt;img src=x onerror=alert\\(1\\)&gt;');
    expect(escapeMarkdown('a|b\nc')).toBe('a\\|b c');
  });

  it('includes the plan, the timeline total and the cost bands', () => {
    const md = sprint0MarkdownSummary(audit(), '2026-11-26');
    expect(md).toContain('| Severity | Work item | Fix | Owner | Effort |');
    expect(md).toMatch(/\| \*\*Total\*\* \| \*\*[\d.]+–[\d.]+\*\* \|/);
    expect(md).toContain('| Proof of concept | 2 |');
    expect(md).toContain(
      'Team gaps: ML engineering (plan: Contract ML engineer from January; consultancy covers until then.)',
    );
  });
});

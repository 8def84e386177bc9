import { describe, expect, it } from 'vitest';
import { newAudit } from '../../../src/lib/core/model/document';
import type { AuditDocument, DatasetRef } from '../../../src/lib/core/model/audit';
import type { RelationResult } from '../../../src/lib/core/model/relations';
import { sprint0MarkdownSummary } from '../../../src/lib/report/markdown-summary';
import { sprint0HtmlReport } from '../../../src/lib/report/sprint0-report';
import {
  hasRelationsSection,
  relationsAppendix,
  relationsPart,
} from '../../../src/lib/report/sprint0/relations';

const HOSTILE = '<img src=x onerror=alert(1)>.csv';

/** Text of the HTML with tags dropped and entities read, as a reader sees it. */
function text(html: string): string {
  return html
    .replace(/<[^>]+>/g, ' ')
    .replace(/&quot;/g, '"')
    .replace(/&#39;/g, "'")
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&amp;/g, '&')
    .replace(/\s+/g, ' ');
}

function dataset(id: string, fileName: string, rowCount: number, columns: string[]): DatasetRef {
  return {
    id,
    fileName,
    format: 'csv',
    sizeBytes: 10,
    lastModified: 0,
    rowCount,
    columns: columns.map((name) => ({ name, type: 'VARCHAR' })),
    fingerprint: id,
    loadedAt: '2026-11-01T00:00:00Z',
    warnings: [],
  };
}

function result(
  child: [string, string],
  parent: [string, string],
  over: Partial<RelationResult> = {},
): RelationResult {
  return {
    child: { dataset: child[0], column: child[1] },
    parent: { dataset: parent[0], column: parent[1] },
    comparedAsText: false,
    childRows: 2_450,
    parentRows: 1_020,
    childKeys: 1_000,
    parentKeys: 1_000,
    orphanKeys: 31,
    orphanKeyShare: 0.031,
    orphanRows: 74,
    nullKeys: 49,
    nullKeyShare: 0.02,
    duplicateParentKeys: 20,
    duplicateParentRows: 40,
    childlessParents: 0,
    childlessParentShare: 0,
    cardinality: 'n:m',
    fanout: { mean: 2.4137, p95: 5, max: 11 },
    rowsBeforeJoin: 1_020,
    rowsAfterJoin: 2_468,
    formatMismatch: { keys: 0, kinds: [] },
    rowsAfterParentTime: null,
    pointInTime: null,
    sql: 'SELECT count(*) FROM "t2_subscriptions"',
    ...over,
  };
}

/** Customers (the label's table), subscriptions and tickets joined to it, and an unjoined lookup with a hostile name. */
function relatedAudit(): AuditDocument {
  const audit = newAudit('Churn', 'a');
  audit.datasets = [
    dataset('d1', 'customers.csv', 1_020, ['id', 'churned', 'snapshot_date']),
    dataset('d2', 'subscriptions.csv', 2_450, ['customer_id', 'plan']),
    dataset('d3', 'tickets.csv', 12_345_678, ['customer_id', 'opened_at']),
    dataset('d4', HOSTILE, 5, ['code']),
  ];
  audit.primaryDatasetId = 'd1';
  audit.roles = { d1: { target: 'churned', eventTime: 'snapshot_date', segments: [], excluded: [] } };
  const subs = result(['d2', 'customer_id'], ['d1', 'id'], {
    comparedAsText: true,
    formatMismatch: { keys: 12, kinds: ['leading-zeros', 'whitespace'] },
  });
  const asOfSql = `SELECT c.* FROM "t3_tickets" AS c JOIN "t1_customers" AS p ON c."customer_id" = p."id" WHERE CAST(c."opened_at" AS TIMESTAMP) <= CAST(p."snapshot_date" AS TIMESTAMP)`;
  const tickets = result(['d3', 'customer_id'], ['d1', 'id'], {
    childRows: 12_345_678,
    childKeys: 987_654,
    orphanKeys: 1,
    orphanKeyShare: 1 / 987_654,
    orphanRows: 1,
    nullKeys: 0,
    nullKeyShare: 0,
    fanout: { mean: 12_345_677 / 987_653, p95: 0.000012, max: 1e7 },
    rowsAfterJoin: 12_345_678,
    rowsAfterParentTime: 987_654,
    pointInTime: {
      parentTime: 'snapshot_date',
      childTime: 'opened_at',
      timedRows: 12_345_678,
      rowsAfterParentTime: 987_654,
      share: 987_654 / 12_345_678,
      asOfSql,
    },
  });
  audit.relations = [subs, tickets];
  audit.relationState = {
    accepted: [subs, tickets].map((r) => ({
      child: r.child,
      parent: r.parent,
      origin: 'suggested' as const,
    })),
    dismissed: [],
    suggestions: [],
    discovery: 'ran',
  };
  return audit;
}

/** Every percentage in a text, as numbers. */
function percentages(s: string): number[] {
  return [...s.matchAll(/(\d[\d,]*(?:\.\d+)?)\s?%/g)].map((m) => Number(m[1]!.replace(/,/g, '')));
}

describe('the related-tables section of the sprint-0 report', () => {
  it('states every number through the formatter: grouped counts, shares, no e-notation', () => {
    const out = text(relationsPart(relatedAudit()));
    expect(out).toContain('Related tables');
    expect(out).toContain('31 (3.1 %) of 1,000, 74 rows');
    expect(out).toContain('49 (2 %)');
    expect(out).toContain('20 (40 rows)');
    expect(out).toContain('2.41 / 5 / 11');
    expect(out).toContain('1,020 → 2,468');
    expect(out).toContain('12,345,678 rows');
    // One orphan key in nearly a million reads as a bound, not as 1.0e-6.
    expect(out).toContain('1 (<0.1 %) of 987,654');
    expect(out).toContain('987,654 (8 %) of 12,345,678');
    expect(out).toContain('10,000,000');
    expect(out).not.toMatch(/\d(?:\.\d+)?e[+-]?\d/i);
    expect(percentages(out).length).toBeGreaterThan(4);
    for (const p of percentages(out)) expect(p).toBeLessThanOrEqual(100);
  });

  it('names the label’s table and each join path, and flags the table that can’t reach it', () => {
    const out = text(relationsPart(relatedAudit()));
    expect(out).toContain('customers.csv holds the target “churned” and the prediction time “snapshot_date”');
    expect(out).toContain('tickets.csv → customers.csv');
    expect(out).toContain(`${HOSTILE} 5 rows Not joined`);
    expect(out).toContain('keys were compared as text');
    expect(out).toContain(
      '12 orphan keys match a parent key once written the same way (leading zeros and spaces around the key)',
    );
  });

  it('shows the as-of join with the tables named by their files', () => {
    const out = text(relationsPart(relatedAudit()));
    expect(out).toContain('As-of join: tickets.csv (customer_id) → customers.csv (id)');
    expect(out).toMatch(/FROM\s+"tickets\.csv" AS c/);
    expect(out).not.toContain('t3_tickets');
    expect(relationsAppendix(relatedAudit())).toBe('');
  });

  it('moves a long as-of join to the appendix and cites it', () => {
    const audit = relatedAudit();
    const pit = audit.relations![1]!.pointInTime!;
    const columns = Array.from({ length: 30 }, (_, i) => `c."feature_${i}"`).join(',\n');
    pit.asOfSql = pit.asOfSql.replace('SELECT c.*', `SELECT\n${columns}`);
    expect(text(relationsPart(audit))).toContain('listing C.1 in the appendix');
    const appendix = text(relationsAppendix(audit));
    expect(appendix).toContain('Appendix C. As-of joins for related tables');
    expect(appendix).toContain('C.1 As-of join');
    expect(appendix).toContain('feature_29');
  });

  it('writes a hostile file name as text, in the tables and the diagram', () => {
    const html = relationsPart(relatedAudit());
    expect(html).not.toContain('<img');
    // The name's `onerror=` is text, never an attribute of a tag.
    for (const tag of html.match(/<[^>]+>/g) ?? []) expect(tag).not.toMatch(/\son[a-z]+\s*=/i);
    expect(html).toContain('&lt;img src=x onerror=alert(1)&gt;.csv');
    const svg = html.match(/<svg[\s\S]*<\/svg>/)?.[0] ?? '';
    expect(svg).toContain('role="img"');
    expect(svg).toContain('<title>&lt;img src=x onerror=alert(1)&gt;.csv</title>');
    expect(svg).toContain('n:m · fan-out 2.41');
    expect(svg).not.toMatch(/<script|<foreignObject|https?:/i);
  });

  it('says so when two tables have no accepted relation yet', () => {
    const audit = relatedAudit();
    audit.datasets = audit.datasets.slice(0, 2);
    delete audit.relations;
    audit.relationState = { accepted: [], dismissed: [], suggestions: [], discovery: 'ran' };
    const out = text(relationsPart(audit));
    expect(out).toContain('0 relations accepted');
    expect(out).toContain('No relation is accepted yet');
    expect(out).toContain('subscriptions.csv 2,450 rows Not joined');
  });

  it('is absent with one dataset, from the report and the Markdown', async () => {
    const audit = relatedAudit();
    audit.datasets = audit.datasets.slice(0, 1);
    delete audit.relations;
    delete audit.relationState;
    expect(hasRelationsSection(audit)).toBe(false);
    expect(relationsPart(audit)).toBe('');
    const html = await sprint0HtmlReport(audit, { generatedAt: '2026-12-04T10:00:00Z', charts: false });
    expect(html).not.toContain('Related tables');
    expect(sprint0MarkdownSummary(audit, '2026-12-04T10:00:00Z')).not.toContain('Related tables');
  });

  it('appears in the whole report and in the Markdown, escaped', async () => {
    const html = await sprint0HtmlReport(relatedAudit(), {
      generatedAt: '2026-12-04T10:00:00Z',
      charts: false,
    });
    expect(html).toContain('<h3>Related tables</h3>');
    expect(html).not.toContain('<img src=x');
    const md = sprint0MarkdownSummary(relatedAudit(), '2026-12-04T10:00:00Z');
    expect(md).toContain('## Related tables');
    expect(md).toContain('| tickets.csv \\(customer\\_id\\) → customers.csv \\(id\\) | n:m |');
    expect(md).toContain('987,654 \\(8 %\\) of 12,345,678');
    expect(md).not.toContain('<img');
    expect(md).toMatch(/```sql\nSELECT/);
    expect(md).not.toMatch(/\d(?:\.\d+)?e[+-]?\d/i);
  });
});

import { describe, expect, it } from 'vitest';
import { newAudit } from '../../../../src/lib/core/model/document';
import { parseAudit, primaryDatasetId, setPrimary, withDataset } from '../../../../src/lib/core/audit/edits';
import type { AuditDocument, DatasetRef } from '../../../../src/lib/core/model/audit';
import { assessedDatasetText, otherDatasetsNote } from '../../../../src/lib/core/audit/assessed';
import { auditHtmlReport } from '../../../../src/lib/report/html-report';
import { sprint0MarkdownSummary } from '../../../../src/lib/report/markdown-summary';
import { sprint0HtmlReport } from '../../../../src/lib/report/sprint0-report';

function dataset(id: string, fileName: string): DatasetRef {
  return {
    id,
    fileName,
    format: 'csv',
    sizeBytes: 10,
    lastModified: 0,
    rowCount: 3,
    columns: [],
    fingerprint: id,
    loadedAt: '2026-11-01T00:00:00Z',
    warnings: [],
  };
}

function withFiles(...names: string[]): AuditDocument {
  return names.reduce(
    (audit, name, i) => withDataset(audit, dataset(`d${i + 1}`, name)),
    newAudit('t', 'a-1'),
  );
}

describe('the assessed dataset, named', () => {
  it('names the assessed file, and the others as profiled, not assessed', () => {
    expect(assessedDatasetText(withFiles())).toBe('none yet.');
    expect(assessedDatasetText(withFiles('churn.csv'))).toBe('churn.csv.');
    expect(otherDatasetsNote(withFiles('churn.csv'))).toBeUndefined();
    const two = setPrimary(withFiles('churn.csv', 'crm.csv'), 'd2');
    expect(assessedDatasetText(two)).toBe('crm.csv. The other file, churn.csv, is profiled, not assessed.');
    expect(otherDatasetsNote(withFiles('a.csv', 'b.csv', 'c.csv'))).toBe(
      'The other 2 files, b.csv and c.csv, are profiled, not assessed.',
    );
  });

  it('names a ClickHouse table by its server, not as a file name', () => {
    const table: DatasetRef = {
      ...dataset('d1', 'sales.orders'),
      format: 'clickhouse',
      server: { protocol: 'https', host: 'ch.example.com', port: 8443, database: 'sales', table: 'orders' },
    };
    const audit = withDataset(newAudit('t', 'a-1'), table);
    expect(assessedDatasetText(audit)).toBe('ClickHouse table sales.orders on ch.example.com:8443.');
    expect(otherDatasetsNote(withDataset(audit, dataset('d2', 'crm.csv')))).toBe(
      'The other file, crm.csv, is profiled, not assessed.',
    );
  });

  it('reads an audit saved before the choice existed with its first file as the assessed one', () => {
    const { primaryDatasetId: _none, ...old } = withFiles('churn.csv', 'crm.csv');
    const imported = parseAudit(JSON.parse(JSON.stringify(old)));
    expect(imported.primaryDatasetId).toBeUndefined();
    expect(primaryDatasetId(imported)).toBe('d1');
    expect(assessedDatasetText(imported)).toMatch(/^churn\.csv\./);
  });

  it('is named in the sprint-0 report’s summary', async () => {
    const audit = setPrimary(withFiles('churn.csv', 'crm.csv'), 'd2');
    const html = await sprint0HtmlReport(audit, { generatedAt: '2026-11-01T00:00:00Z', charts: false });
    expect(html).toContain(
      '<dt>Assessed dataset</dt><dd>crm.csv. The other file, churn.csv, is profiled, not assessed.</dd>',
    );
  });

  it('is named in the readiness report and the Markdown summary', () => {
    const audit = setPrimary(withFiles('churn.csv', 'crm.csv'), 'd2');
    expect(auditHtmlReport(audit, '2026-11-01')).toContain(
      '<p>Assessed dataset: crm.csv. The other file, churn.csv, is profiled, not assessed.</p>',
    );
    expect(sprint0MarkdownSummary(audit, '2026-11-01')).toContain(
      'Assessed dataset: crm.csv. The other file,',
    );
  });
});

import { describe, expect, it } from 'vitest';
import { newAudit } from '../../../src/lib/core/model/document';
import { parseAudit, withDataset, withFindings } from '../../../src/lib/core/audit/edits';
import type { AuditDocument, Finding } from '../../../src/lib/core/model/audit';
import { exportAuditFile, safeFileName } from '../../../src/lib/report/audit-file';

const blocker: Finding = {
  id: 'leakage-single-feature:d1:x',
  check: 'leakage-single-feature',
  area: 'leakage',
  severity: 'blocker',
  title: 'x gives the label away',
  datasetId: 'd1',
  columns: ['x'],
  evidence: {},
  sql: 'SELECT 1',
  recommendation: 'Drop x.',
};

function ranAudit(): AuditDocument {
  const audit = withDataset(newAudit('Acme / churn: Q4', 'a1', new Date('2026-11-25T10:00:00Z')), {
    id: 'd1',
    fileName: 'd1.csv',
    format: 'csv',
    sizeBytes: 1,
    lastModified: 0,
    rowCount: 1,
    columns: [{ name: 'x', type: 'BIGINT' }],
    fingerprint: 'f',
    loadedAt: '2026-11-25T10:00:00Z',
    warnings: [],
  });
  return withFindings(audit, [blocker]);
}

describe('audit file export', () => {
  it('writes a valid audit document under a safe file name', () => {
    const file = exportAuditFile(ranAudit());
    expect(file.fileName).toBe('Acme-churn-Q4.audit.json');
    expect(file.mimeType).toBe('application/json');
    const back = parseAudit(JSON.parse(file.text));
    expect(back.findings.map((f) => f.id)).toEqual([blocker.id]);
    expect(back.verdict?.status).toBe('not-ready');
  });

  it('recomputes the verdict instead of writing a stored one that disagrees with the findings', () => {
    const audit = ranAudit();
    const lying: AuditDocument = {
      ...audit,
      verdict: { ...audit.verdict!, status: 'ready', openBlockers: [] },
    };
    const written = JSON.parse(exportAuditFile(lying).text) as AuditDocument;
    expect(written.verdict?.status).toBe('not-ready');
    expect(written.verdict?.openBlockers).toEqual([blocker.id]);
  });

  it('never makes an empty or path-like file name', () => {
    expect(safeFileName('   ')).toBe('audit');
    expect(safeFileName('../../etc/passwd')).toBe('..-..-etc-passwd');
    expect(safeFileName('a'.repeat(200))).toHaveLength(80);
  });
});

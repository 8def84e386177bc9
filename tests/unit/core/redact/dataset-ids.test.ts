import { describe, expect, it } from 'vitest';
import { newAudit } from '../../../../src/lib/core/model/document';
import { withDataset } from '../../../../src/lib/core/audit/edits';
import { maskPatterns, redactForExport } from '../../../../src/lib/core/redact';
import type { AuditDocument, Finding } from '../../../../src/lib/core/model/audit';

// A real crypto.randomUUID() output whose digits read as a phone number: 1 in about 400 do.
const PHONE_SHAPED_ID = '0014c3a7-e257-4835-9778-53f3342afc25';

function audit(): AuditDocument {
  const base = withDataset(newAudit('t', 'a'), {
    id: PHONE_SHAPED_ID,
    fileName: 'customers.csv',
    format: 'csv',
    sizeBytes: 1,
    lastModified: 0,
    rowCount: 1,
    columns: [{ name: 'note', type: 'VARCHAR' }],
    fingerprint: 'f',
    loadedAt: '2026-12-04T10:00:00Z',
    warnings: [],
  });
  const finding: Finding = {
    id: `quality-duplicates:${PHONE_SHAPED_ID}:`,
    check: 'quality-duplicates',
    area: 'quality',
    severity: 'minor',
    title: 'Call +44 20 7946 0462 about the duplicates',
    datasetId: PHONE_SHAPED_ID,
    columns: [],
    evidence: {},
    sql: '',
    recommendation: '',
  };
  return {
    ...base,
    findings: [finding],
    roles: { [PHONE_SHAPED_ID]: { segments: [], excluded: [] } },
    waivers: [{ findingId: finding.id, reason: 'known', at: '2026-12-04T10:00:00Z' }],
  };
}

describe('dataset ids through redaction', () => {
  it('the fixture id is one the phone pattern would mask', () => {
    expect(maskPatterns(PHONE_SHAPED_ID).masked).toBe(1);
  });

  it('keeps a phone-shaped dataset id whole everywhere it appears, and still masks a phone number beside it', () => {
    const out = redactForExport(audit(), 'personal');
    expect(out.datasets[0]!.id).toBe(PHONE_SHAPED_ID);
    expect(out.primaryDatasetId).toBe(PHONE_SHAPED_ID);
    expect(Object.keys(out.roles)).toEqual([PHONE_SHAPED_ID]);
    expect(out.findings[0]!.datasetId).toBe(PHONE_SHAPED_ID);
    expect(out.findings[0]!.id).toBe(`quality-duplicates:${PHONE_SHAPED_ID}:`);
    expect(out.waivers[0]!.findingId).toBe(out.findings[0]!.id);
    expect(out.findings[0]!.title).not.toContain('7946');
  });
});

describe("the audit's own id through redaction", () => {
  it('keeps a phone-shaped audit id whole', () => {
    const doc = { ...audit(), id: PHONE_SHAPED_ID.replace('0014', '0015') };
    expect(maskPatterns(doc.id).masked).toBe(1);
    expect(redactForExport(doc, 'personal').id).toBe(doc.id);
  });
});

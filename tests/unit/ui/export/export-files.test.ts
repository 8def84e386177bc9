import { describe, it, expect } from 'vitest';
import { exportFile, exportPreview } from '../../../../src/lib/ui/export/export-files';
import { redactForExport } from '../../../../src/lib/core/redact';
import { auditWithEmail } from '../../core/redact/pii-audit';

describe('export dialog model', () => {
  it('says how many values and which columns an export masks before it is written', () => {
    const preview = exportPreview(auditWithEmail('a'), 'personal');
    expect(preview.columns.map((c) => c.column)).toEqual(['email']);
    expect(preview.maskedValues).toBeGreaterThanOrEqual(2);
    expect(preview.sentence).toMatch(
      /masks \d+ value\(s\) from 1 personal-data column\(s\) \(clients.csv: email\)/,
    );
    expect(exportPreview(auditWithEmail('a'), 'none').sentence).toMatch(
      /includes the values of 1 personal-data/,
    );
  });

  it('warns that values masked in the saved copy cannot be exported', () => {
    const saved = redactForExport(auditWithEmail('a'), 'personal');
    const preview = exportPreview(saved, 'none');
    expect(preview.alreadyMasked).toBe(true);
    expect(preview.sentence).toMatch(/cannot include them/);
  });

  it('writes each export in the chosen mode, masked by default', () => {
    const audit = auditWithEmail('a');
    const masked = exportFile(audit, 'audit-file', 'personal', '2026-11-26');
    expect(masked.fileName).toBe('With-PII.audit.json');
    expect(masked.text).not.toContain('jane.doe@client.example');
    expect(JSON.parse(masked.text).redaction.mode).toBe('personal');
    expect(exportFile(audit, 'audit-file', 'none', '2026-11-26').text).toContain('jane.doe@client.example');
    const report = exportFile(audit, 'html-report', 'personal', '2026-11-26');
    expect(report.fileName).toBe('With-PII.report.html');
    expect(report.mimeType).toBe('text/html');
    expect(report.text).toContain('personal-data column');
  });
});

import { describe, it, expect } from 'vitest';
import {
  keepPersonalValues,
  markPersonal,
  personalColumns,
  redactForExport,
  redactForStorage,
} from '../../../../src/lib/core/redact';
import { auditWithEmail } from './pii-audit';

describe('personal-data choices', () => {
  it('a column the user marks personal is masked like a detected one', () => {
    const audit = auditWithEmail('a');
    const profile = audit.profiles.d1!;
    profile.columns.push({
      ...profile.columns[0]!,
      name: 'notes',
      pii: [],
      topK: [{ value: 'Call Jane Doe', count: 1 }],
    });
    audit.datasets[0]!.columns.push({ name: 'notes', type: 'VARCHAR' });
    expect(JSON.stringify(redactForExport(audit))).toContain('Call Jane Doe');
    const marked = markPersonal(audit, 'd1', 'notes', true);
    expect(personalColumns(marked).find((c) => c.column === 'notes')?.reason).toBe('marked');
    expect(JSON.stringify(redactForExport(marked))).not.toContain('Call Jane Doe');
    expect(markPersonal(marked, 'd1', 'notes', true)).toBe(marked);
    expect(markPersonal(marked, 'd1', 'notes', false).personalColumns?.d1).toEqual([]);
  });

  it('the saved copy keeps values only after an explicit opt-in', () => {
    const audit = auditWithEmail('a');
    expect(JSON.stringify(redactForStorage(audit))).not.toContain('jane.doe@client.example');
    const kept = keepPersonalValues(audit, true);
    expect(JSON.stringify(redactForStorage(kept))).toContain('jane.doe@client.example');
    expect(redactForStorage(kept).redaction?.mode).toBe('none');
    expect(keepPersonalValues(kept, true)).toBe(kept);
  });
});

describe('masking finding details', () => {
  it('keeps lists and records in shape while masking the values inside', () => {
    const audit = auditWithEmail('a');
    audit.findings = [
      {
        id: 'consistency-vocabulary:d1:email',
        check: 'consistency-vocabulary',
        area: 'consistency',
        severity: 'minor',
        title: 'email is spelled differently by source',
        datasetId: 'd1',
        columns: ['email'],
        evidence: { variantValues: 1 },
        details: [
          {
            value: 'jane.doe@client.example',
            spellings: ['Jane.Doe@client.example', 'jane.doe@client.example'],
            rows: 3,
          },
        ],
        sql: 'SELECT 1',
        recommendation: 'Map them.',
      },
    ];
    const row = redactForExport(audit).findings[0]!.details![0]!;
    expect(row).toEqual({
      value: 'aaaa.aaa@aaaaaa.aaaaaaa',
      spellings: ['Aaaa.Aaa@aaaaaa.aaaaaaa', 'aaaa.aaa@aaaaaa.aaaaaaa'],
      rows: 3,
    });
  });
});

describe('load warnings', () => {
  it('mask a personal value quoted from the file', () => {
    const audit = auditWithEmail('a');
    audit.datasets[0]!.warnings = ['Row 7 was padded: "jane.doe@client.example,,"'];
    expect(redactForExport(audit).datasets[0]!.warnings).toEqual([
      'Row 7 was padded: "aaaa.aaa@aaaaaa.aaaaaaa,,"',
    ]);
  });
});

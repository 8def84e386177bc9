import { describe, it, expect } from 'vitest';
import { newAudit } from '../../../../src/lib/core/model/document';
import type { AuditDocument } from '../../../../src/lib/core/model/audit';
import { printable, redactForExport, withoutControls } from '../../../../src/lib/core/redact';

const BIDI = [
  '\u202a',
  '\u202b',
  '\u202c',
  '\u202d',
  '\u202e',
  '\u2066',
  '\u2067',
  '\u2068',
  '\u2069',
  '\u200e',
  '\u200f',
  '\u061c',
];

/** An audit whose column name carries an escape sequence, BEL and a right-to-left override. */
function audit(): AuditDocument {
  const column = 'ev\u001b[31mil\u0007\u202Egpj.exe';
  const doc = newAudit('Name\u001b]0;title\u0007', 'a');
  return {
    ...doc,
    datasets: [
      {
        id: 'd1',
        fileName: 'f\u202e.csv',
        format: 'csv',
        sizeBytes: 1,
        lastModified: 0,
        rowCount: 1,
        columns: [{ name: column, type: 'VARCHAR' }],
        fingerprint: 'x',
        loadedAt: '2026-01-01T00:00:00.000Z',
        warnings: [],
      },
    ],
    roles: { d1: { target: column, segments: [], excluded: [] } },
    notes: [{ findingId: 'x', text: 'line one\n\tline two\u0007', at: '2026-01-01T00:00:00.000Z' }],
    findings: [
      {
        id: `quality-constant:d1:${column}`,
        check: 'quality-constant',
        area: 'quality',
        severity: 'minor',
        title: `“${column}” is constant`,
        datasetId: 'd1',
        columns: [column],
        evidence: {},
        details: [{ [column]: 1 }],
        sql: `SELECT count(*)\nFROM t\nWHERE "${column}" IS NULL`,
        recommendation: 'Drop it.',
      },
    ],
  };
}

describe('control and bidi characters at the export boundary', () => {
  it('printable removes every C0/C1 control, escape sequence and bidi mark', () => {
    expect(printable(`a\u0000b\u001b[2Jc\u0085d\u009be${BIDI.join('')}f\n\tg\u007f`)).toBe('abcdefg');
    for (const c of BIDI) expect(printable(`x${c}y`)).toBe('xy');
  });

  it('cleans a name wherever it appears: fields, keys, titles, SQL, ids', () => {
    const clean = withoutControls(audit());
    const name = 'evilgpj.exe';
    expect(clean.name).toBe('Name');
    expect(clean.datasets[0]!.fileName).toBe('f.csv');
    expect(clean.datasets[0]!.columns[0]!.name).toBe(name);
    expect(clean.roles.d1!.target).toBe(name);
    expect(clean.findings[0]!.title).toBe(`“${name}” is constant`);
    expect(clean.findings[0]!.id).toBe(`quality-constant:d1:${name}`);
    expect(Object.keys(clean.findings[0]!.details![0]!)).toEqual([name]);
    // Free text keeps its line breaks and tabs; a name never does.
    expect(clean.findings[0]!.sql).toBe(`SELECT count(*)\nFROM t\nWHERE "${name}" IS NULL`);
    expect(clean.notes[0]!.text).toBe('line one\n\tline two');
  });

  it('every export mode cleans, including none', () => {
    for (const mode of ['none', 'personal', 'strict'] as const) {
      const text = JSON.stringify(redactForExport(audit(), mode));
      // eslint-disable-next-line no-control-regex
      expect(text).not.toMatch(/[\u0007\u001b\u202e]|\\u001b|\\u0007/);
    }
  });

  it('returns the same document when there is nothing to clean', () => {
    const doc = newAudit('plain', 'p');
    expect(withoutControls(doc)).toBe(doc);
  });
});

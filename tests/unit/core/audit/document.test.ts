import { describe, it, expect } from 'vitest';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  newAudit,
  datasetFingerprint,
  AuditImportError,
  todayIso,
} from '../../../../src/lib/core/model/document';
import { parseAudit } from '../../../../src/lib/core/audit/edits';
import { auditJsonSchema } from '../../../../src/lib/core/model/json-schema';
import { ROOT } from '../../../support/paths';

describe('audit document', () => {
  it('round-trips a new audit through JSON and the validator', () => {
    const audit = newAudit('Acme churn', 'a1', new Date('2026-11-25T10:00:00Z'));
    expect(parseAudit(JSON.parse(JSON.stringify(audit)))).toEqual(audit);
    expect(audit.context.asOf).toMatch(/^\d{4}-\d{2}-\d{2}$/);
  });

  it('rejects a file that is not an audit, with a readable reason', () => {
    expect(() => parseAudit([1, 2])).toThrow(/not a Sprint Zero audit/);
    expect(() => parseAudit({ format: 'other' })).toThrow(/format/);
  });

  it('rejects an audit from a newer version instead of misreading it', () => {
    const audit = { ...newAudit('x', 'a'), version: 99 };
    expect(() => parseAudit(audit)).toThrow(/newer Sprint Zero \(version 99\)/);
  });

  it('lists the damaged fields of a corrupted audit', () => {
    const audit = { ...newAudit('x', 'a'), datasets: [{ id: 1 }] };
    try {
      parseAudit(audit);
      expect.unreachable();
    } catch (error) {
      expect(error).toBeInstanceOf(AuditImportError);
      expect((error as AuditImportError).issues.join(' ')).toMatch(/datasets\.0/);
    }
  });

  it('fingerprints change when the schema or the row count changes', () => {
    const base = {
      fileName: 'a.csv',
      sizeBytes: 10,
      lastModified: 1,
      rowCount: 5,
      columns: [{ name: 'x', type: 'BIGINT' }],
    };
    const same = datasetFingerprint(base);
    expect(datasetFingerprint({ ...base })).toBe(same);
    expect(datasetFingerprint({ ...base, rowCount: 6 })).not.toBe(same);
    expect(datasetFingerprint({ ...base, columns: [{ name: 'x', type: 'VARCHAR' }] })).not.toBe(same);
  });

  it('uses the local calendar date for today', () => {
    expect(todayIso(new Date(2026, 10, 25, 23, 30))).toBe('2026-11-25');
  });

  it('keeps the committed JSON Schema in sync with the zod schema (run `npm run schema`)', () => {
    const committed = JSON.parse(readFileSync(join(ROOT, 'schema/audit.schema.json'), 'utf8')) as unknown;
    expect(committed).toEqual(JSON.parse(JSON.stringify(auditJsonSchema())));
  });
});

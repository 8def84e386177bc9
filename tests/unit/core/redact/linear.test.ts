import { describe, it, expect } from 'vitest';
import type { AuditDocument, Finding } from '../../../../src/lib/core/audit/schema';
import { redactAudit } from '../../../../src/lib/core/redact';
import { LiteralMatcher } from '../../../../src/lib/core/redact/matcher';
import { auditWithEmail } from './pii-audit';

/** An audit whose personal column holds `n` distinct values, each also quoted in a finding's title and SQL. */
function auditWithValues(n: number): AuditDocument {
  const audit = auditWithEmail(`linear-${n}`);
  const names = Array.from({ length: n }, (_, i) => `Person${String(i).padStart(6, '0')} Example`);
  const column = audit.profiles.d1!.columns[0]!;
  column.name = 'customer_name';
  audit.datasets[0]!.columns[0]!.name = 'customer_name';
  column.pii = [];
  column.topK = names.map((value) => ({ value, count: 1 }));
  const findings: Finding[] = names.map((value, i) => ({
    id: `check-${i}:d1:x`,
    check: 'quality-example',
    area: 'quality',
    severity: 'minor',
    title: `Value ${value} looks odd`,
    datasetId: 'd1',
    columns: ['customer_name'],
    evidence: { note: `seen ${value} twice` },
    sql: `SELECT * FROM t WHERE "customer_name" = '${value}'`,
    recommendation: 'Check it.',
  }));
  return { ...audit, findings };
}

describe('redaction grows linearly with the number of values', () => {
  it('does about 8× the work for 8× the values (a quadratic pass did 64×)', () => {
    const small = redactAudit(auditWithValues(1_000), 'personal');
    const large = redactAudit(auditWithValues(8_000), 'personal');
    expect(large.document.findings[123]!.title).not.toContain('Person');
    expect(small.work).toBeGreaterThan(0);
    const ratio = large.work / small.work;
    expect(ratio).toBeGreaterThan(6);
    expect(ratio).toBeLessThan(10);
  });

  it('masks every value found in a text, overlapping and nested ones included', () => {
    const m = new LiteralMatcher();
    for (const p of ['bcd', 'abcdef', 'cd', 'xyz']) m.add(p);
    expect(m.spans('zabcdefgxyzcd')).toEqual([
      [1, 7],
      [8, 13],
    ]);
    expect(m.spans('nothing here')).toEqual([]);
  });
});

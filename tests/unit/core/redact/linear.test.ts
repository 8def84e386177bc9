import { describe, it, expect } from 'vitest';
import { redactAudit } from '../../../../src/lib/core/redact';
import { LiteralMatcher } from '../../../../src/lib/core/redact/matcher';
import { auditWithValues } from './pii-audit';

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

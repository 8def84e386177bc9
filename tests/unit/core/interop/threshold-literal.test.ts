import { describe, expect, it } from 'vitest';
import { thresholdLiteral } from '../../../../src/lib/core/interop/spec';

describe('a threshold as written in a check file', () => {
  it('is the shortest decimal reading back as the same number, never in e-notation', () => {
    const cases: [number, string][] = [
      [0.1, '0.1'],
      [0.30000000000000004, '0.30000000000000004'],
      [1e-7, '0.0000001'],
      [2.5e-9, '0.0000000025'],
      [42, '42'],
      [-3.5, '-3.5'],
      [1e21, '1000000000000000000000'],
    ];
    for (const [value, written] of cases) {
      expect(thresholdLiteral(value)).toBe(written);
      expect(Number(thresholdLiteral(value))).toBe(value);
    }
    expect(thresholdLiteral(Number.NaN)).toBe('NULL');
  });
});

import { describe, expect, it } from 'vitest';
import { generateChurnDataset } from '../../../scripts/lib/synthetic';

describe('generateChurnDataset at sizes its unique-id draw cannot reach', () => {
  it('refuses at once instead of looping for minutes, and names the SQL generator', () => {
    const started = performance.now();
    expect(() => generateChurnDataset({ rows: 1_000_000 })).toThrow(/churnDatasetSql/);
    expect(performance.now() - started).toBeLessThan(1000);
  });
});

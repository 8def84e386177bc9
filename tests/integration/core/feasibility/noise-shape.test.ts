import { describe, expect, it } from 'vitest';
import { noiseShapeQuery, readNoiseShape } from '../../../../src/lib/core/feasibility/noise-shape';
import { useEngine } from '../../../support/engine';

/**
 * 100 rows with p = k/100: the surest tenth is p ≤ 0.10 and p > 0.90, the
 * surest fifth p ≤ 0.20 and p > 0.80. Labels are planted so the expected
 * disagreement of each end is known by construction.
 */
const conn = useEngine();

async function table(name: string, labelOf: (k: number) => number): Promise<void> {
  const values = Array.from(
    { length: 100 },
    (_, i) => `('oof', ${i + 1}, ${labelOf(i + 1)}, ${(i + 1) / 100})`,
  );
  await conn.exec(`CREATE OR REPLACE TABLE ${name} (model VARCHAR, rid BIGINT, y DOUBLE, p DOUBLE)`);
  await conn.exec(`INSERT INTO ${name} VALUES ${values.join(', ')}`);
}

describe('noise shape', () => {
  it('reads errors spread evenly as equal disagreement at both depths', async () => {
    // Clean labels (y = p > 0.5), with every fifth row flipped: 20 % everywhere.
    await table('even', (k) => ((k > 50 ? 1 : 0) + (k % 5 === 0 ? 1 : 0)) % 2);
    const shape = readNoiseShape(await conn.query(noiseShapeQuery('even', 'oof')));
    expect(shape).toEqual({ rows: 100, surest10: 0.2, surest20: 0.2 });
  });

  it('reads overlap as disagreement growing toward the boundary', async () => {
    // No disagreement in the outer tenth; 5 of the 20 rows between 0.1 and 0.2 (and 0.8 and 0.9) disagree.
    await table('overlap', (k) => {
      const clean = k > 50 ? 1 : 0;
      const inner = (k > 10 && k <= 20) || (k > 80 && k <= 90);
      return inner && k % 4 === 0 ? 1 - clean : clean;
    });
    const shape = readNoiseShape(await conn.query(noiseShapeQuery('overlap', 'oof')));
    expect(shape?.surest10).toBe(0);
    expect(shape?.surest20).toBeCloseTo(5 / 40, 12);
  });

  it('returns null without rows of the model', async () => {
    await table('other', () => 0);
    expect(readNoiseShape(await conn.query(noiseShapeQuery('other', 'knn')))).toBeNull();
  });
});

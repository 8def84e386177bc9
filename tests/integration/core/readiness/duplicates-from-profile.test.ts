import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { useEngine, FIXTURES, loadFile } from '../../../support/engine';
import { readinessInput } from '../../../support/readiness';
import { countingConnector } from '../../../support/counting-connector';
import type { DatasetProfile } from '../../../../src/lib/core/model/audit';
import { runReadiness } from '../../../../src/lib/session/readiness';
import { profileDataset } from '../../../../src/lib/session/profile';

const conn = useEngine();
const COPIES = join(FIXTURES, 'structure', 'copies.csv');

/** Σ C(n, 2) over groups of identical data lines, counted in JavaScript from the file itself. */
function identicalPairsOf(path: string): number {
  const counts = new Map<string, number>();
  for (const line of readFileSync(path, 'utf8').trimEnd().split('\n').slice(1))
    counts.set(line, (counts.get(line) ?? 0) + 1);
  return [...counts.values()].reduce((sum, n) => sum + (n * (n - 1)) / 2, 0);
}

describe('identical pairs of rows, counted by the profile', () => {
  it('counts Σ C(copies, 2) in the profile, and quality-duplicates reads it there instead of scanning again', async () => {
    const loaded = await loadFile(conn, COPIES);
    const profile = await profileDataset(conn, loaded.tableName, 'ds');
    const expected = identicalPairsOf(COPIES);
    expect(expected).toBeGreaterThan(0);
    expect(profile.identicalPairs).toBe(expected);

    const run = async (p: DatasetProfile) => {
      // The statement that groups every column to count duplicate rows (`duplicateRowsQuery`).
      const counted = countingConnector(conn, /AS duplicate_rows/);
      const findings = await runReadiness(counted.conn, {
        ...readinessInput(loaded, 'ds', { target: 'label' }),
        profile: p,
      });
      return {
        finding: findings.find((f) => f.check === 'quality-duplicates'),
        scans: counted.count(),
      };
    };
    const reused = await run(profile);
    // A profile saved before the pairs were counted: the check scans for them itself.
    const { identicalPairs: _, ...older } = profile;
    const scanned = await run(older);
    expect(reused.scans).toBe(0);
    expect(scanned.scans).toBe(1);
    expect(reused.finding?.evidence.identicalPairs).toBe(expected);
    expect(reused.finding).toEqual(scanned.finding);
  });
});

import { describe, expect, it } from 'vitest';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { useEngine, loadFile } from '../../../support/engine';
import { readinessInput } from '../../../support/readiness';
import { countingConnector } from '../../../support/counting-connector';
import type { DatasetProfile } from '../../../../src/lib/core/model/audit';
import { runReadiness } from '../../../../src/lib/session/readiness';
import { profileDataset } from '../../../../src/lib/session/profile';

const conn = useEngine();

/** 600 rows: repeated text and numbers with missing values, a unique id, and 30 rows that copy earlier ones but for the id. */
function plantedCsv(): { path: string; columns: Record<string, string[]> } {
  const columns: Record<string, string[]> = { id: [], region: [], amount: [], day: [], label: [] };
  for (let i = 0; i < 600; i++) {
    const copy = i >= 570 ? i - 570 : i;
    columns.id!.push(String(i));
    columns.region!.push(copy % 7 === 0 ? '' : ['north', 'south', 'east', 'west'][copy % 4]!);
    columns.amount!.push(copy % 11 === 0 ? '' : String((copy % 13) * 2.5));
    columns.day!.push(`2026-0${1 + (copy % 9)}-1${copy % 10}`);
    columns.label!.push(copy % 3 === 0 ? 'yes' : 'no');
  }
  const names = Object.keys(columns);
  const lines = [names.join(',')];
  for (let i = 0; i < 600; i++) lines.push(names.map((n) => columns[n]![i]).join(','));
  const path = join(mkdtempSync(join(tmpdir(), 'matching-pairs-')), 'planted.csv');
  writeFileSync(path, `${lines.join('\n')}\n`);
  return { path, columns };
}

/** Σ c(c − 1) over the non-empty values of a column, counted in JavaScript. */
function matchingPairsOf(values: readonly string[]): number {
  const counts = new Map<string, number>();
  for (const v of values) if (v !== '') counts.set(v, (counts.get(v) ?? 0) + 1);
  return [...counts.values()].reduce((sum, c) => sum + c * (c - 1), 0);
}

describe('matching pairs per column, counted by the profile', () => {
  it('counts Σ c(c − 1) per column, and readiness reads it instead of grouping the columns again', async () => {
    const planted = plantedCsv();
    const loaded = await loadFile(conn, planted.path);
    const profile = await profileDataset(conn, loaded.tableName, 'ds');
    for (const [name, values] of Object.entries(planted.columns)) {
      const column = profile.columns.find((c) => c.name === name);
      expect(column?.matchingPairs, name).toBe(matchingPairsOf(values));
    }
    expect(profile.columns.find((c) => c.name === 'region')?.matchingPairs).toBeGreaterThan(0);

    const run = async (p: DatasetProfile) => {
      // The statement that groups each column to count its matching pairs (`collisionPairsQuery`).
      const counted = countingConnector(conn, /AS pairs_0\b/);
      const findings = await runReadiness(counted.conn, {
        ...readinessInput(loaded, 'ds', { target: 'label', id: 'id' }),
        profile: p,
      });
      return { findings, scans: counted.count() };
    };
    const reused = await run(profile);
    // A profile saved before the pairs were counted, and one whose values were counted on a sample.
    const older = { ...profile, columns: profile.columns.map(({ matchingPairs: _, ...c }) => c) };
    const sampled = { ...profile, sample: { ...profile.sample, sampled: true } };
    const scanned = await run(older);
    expect(reused.scans).toBe(0);
    expect(scanned.scans).toBe(1);
    expect((await run(sampled)).scans).toBe(1);
    expect(reused.findings).toEqual(scanned.findings);
    // The 30 planted copies are weighed against chance with the profile's counts (not vacuously equal).
    const split = reused.findings.find((f) => f.check === 'leakage-split-duplicates');
    expect(split?.title).toMatch(/30 matching pairs where independent columns give ≈\d+/);
    // What the finding shows still reproduces its numbers: the statement grouping every column.
    expect(split?.sql).toMatch(/GROUP BY "region"\)\) AS pairs_0/);
  });
});

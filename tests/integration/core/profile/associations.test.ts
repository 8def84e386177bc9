import { describe, it, expect } from 'vitest';
import { join } from 'node:path';
import { useEngine, loadBytes, loadFile, FIXTURES, ROOT } from '../../../support/engine';
import { profileDataset } from '../../../../src/lib/session/profile';
import type { DatasetProfile } from '../../../../src/lib/core/model/audit';
import {
  TOO_FEW_VALUES,
  associationJudged,
  judgedAssociations,
  unjudgedNote,
} from '../../../../src/lib/core/profile/associations';
import { associationHeatmapSpec } from '../../../../src/lib/core/charts/profile-charts';
import { THRESHOLDS } from '../../../../src/lib/core/thresholds';

const conn = useEngine();

async function profileOf(path: string): Promise<DatasetProfile> {
  const loaded = await loadFile(conn, path);
  return profileDataset(conn, loaded.tableName, 'd');
}

/** The heatmap's cells (both orders of each pair) for one column. */
function heatmapCells(profile: DatasetProfile, column: string): unknown[] {
  const spec = associationHeatmapSpec(profile) as { data: { values: { a: string; measure: string }[] } };
  return spec.data.values.filter((c) => c.a === column && c.measure === "Cramér's V");
}

describe('associations with too few values to judge', () => {
  it('refuses a pair with fewer rows in common than the minimum, or too few rows per combination of values', () => {
    expect(THRESHOLDS.associationMinRowsPerCell).toBe(5);
    // 12 rows, each value once, against 3 values: 12 / 36 rows per combination.
    expect(associationJudged(12, 12, 3)).toEqual({ judged: false, rowsPerCell: 12 / 36 });
    // Enough rows but 60 combinations for 200 rows: 3.3 per combination.
    expect(associationJudged(200, 12, 5).judged).toBe(false);
    expect(associationJudged(12_000, 3, 7).judged).toBe(true);
    expect(associationJudged(40, 2, 2).judged).toBe(false);
  });

  it('fires on the demo’s planted 12-value card column, and keeps its real associations ranked', async () => {
    const profile = await profileOf(join(ROOT, 'public/demo/customer-churn.csv'));
    const card = profile.cramersV.filter((c) => c.a === 'card_number' || c.b === 'card_number');
    // Before: V = 1 with every other categorical column, on 12 rows or fewer.
    expect(card.length).toBeGreaterThanOrEqual(5);
    expect(card.every((c) => (c.v ?? 0) > 0.999 && c.n <= 12)).toBe(true);
    const judged = judgedAssociations(profile);
    const cardJudged = judged.filter((c) => c.a === 'card_number' || c.b === 'card_number');
    expect(cardJudged.every((c) => !c.judged)).toBe(true);
    // The ranking starts with a pair that means something: the merged source systems and the label.
    expect(judged[0]).toMatchObject({ a: 'source_system', b: 'churned', judged: true });
    expect(judged.filter((c) => c.judged).length).toBe(judged.length - cardJudged.length);
    // The heatmap leaves them out and its caption says why.
    expect(heatmapCells(profile, 'card_number')).toEqual([]);
    expect(heatmapCells(profile, 'source_system').length).toBeGreaterThan(0);
    expect(unjudgedNote(judged)).toMatch(
      new RegExp(`^Not scored, ${TOO_FEW_VALUES}: ${cardJudged.length} pairs \\(`),
    );
    expect(
      profile.alerts.some((a) => a.kind === 'high-association' && a.message.includes('card_number')),
    ).toBe(false);
  });

  it('stays quiet on real data with enough rows per combination (esoph: 975 subjects, 6 × 4 × 4 groups)', async () => {
    const profile = await profileOf(join(FIXTURES, 'corpus/r-esoph.csv'));
    const judged = judgedAssociations(profile);
    expect(judged.length).toBeGreaterThanOrEqual(3);
    expect(judged.every((c) => c.judged)).toBe(true);
    expect(unjudgedNote(judged)).toBeUndefined();
    expect(judged.map((c) => c.v)).toEqual(
      profile.cramersV.map((c) => c.v).sort((x, y) => (y ?? 0) - (x ?? 0)),
    );
  });

  it('judges a column that is mostly empty by the rows it has, not by the table’s size', async () => {
    // 600 rows; `note` has 8 values over 8 rows, `kind` 3 values over all rows.
    const rows = ['kind,group,note'];
    for (let i = 0; i < 600; i++)
      rows.push(`${['a', 'b', 'c'][i % 3]},${['x', 'y'][i % 2]},${i < 8 ? `n${i}` : ''}`);
    const loaded = await loadBytes(conn, 'sparse.csv', rows.join('\n'));
    const profile = await profileDataset(conn, loaded.tableName, 's');
    const judged = judgedAssociations(profile);
    const note = judged.filter((c) => c.a === 'note' || c.b === 'note');
    expect(note.length).toBeGreaterThan(0);
    expect(note.every((c) => !c.judged && c.n === 8)).toBe(true);
    expect(judged.find((c) => [c.a, c.b].sort().join() === 'group,kind')?.judged).toBe(true);
  });
});

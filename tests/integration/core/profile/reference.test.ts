import { describe, it, expect, beforeAll } from 'vitest';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { useEngine, loadFile, VEGA, FIXTURES } from '../../../support/engine';
import { profileDataset } from '../../../../src/lib/session/profile';
import {
  DatasetProfileSchema,
  type ColumnProfile,
  type DatasetProfile,
} from '../../../../src/lib/core/model/audit';

/**
 * The SQL profile against independent pandas/NumPy/SciPy values
 * (tests/fixtures/reference, see its README for the definitions).
 *
 * Tolerances:
 * - counts (rows, missing, distinct, zeros, negatives, IQR outliers, top-k counts, duplicates, n of pairs): exact;
 * - min and max: exact;
 * - quantiles: 1e-12 relative. `quantile_cont` is NumPy's "linear" method, but the two evaluate the
 *   interpolation with different formulas, so a few results differ in the last bit (1774.1000000000001 vs 1774.1);
 * - mean, std, skewness, kurtosis, mean text length, Pearson, Spearman, Cramér's V:
 *   |ours − ref| ≤ 1e-9 · max(|ref|, 1), i.e. 1e-9 relative, and 1e-9 absolute for values below 1 in size
 *   (a correlation of 3e-12 differs from 0 only by summation order).
 * Cramér's V uses the reference's 2–20 distinct values (`cramersMaxDistinct: 20`; our default is 30).
 */

interface RefColumn {
  kind: 'numeric' | 'text' | 'boolean' | 'other';
  count: number;
  missing: number;
  distinct: number;
  min?: number | null;
  max?: number | null;
  mean?: number | null;
  std?: number | null;
  skewness?: number | null;
  kurtosis?: number | null;
  quantiles?: Record<string, number | null>;
  zeros?: number;
  negatives?: number;
  iqrOutliers?: number;
  lengthMin?: number | null;
  lengthMax?: number | null;
  lengthMean?: number | null;
  isoTemporal?: 'date' | 'timestamp' | null;
  trueCount?: number;
  falseCount?: number;
  topK: [string | number | boolean, number][];
}

interface Reference {
  rows: number;
  columns: number;
  duplicateRows: number;
  columnsByName: Record<string, RefColumn>;
  correlations: { a: string; b: string; pearson: number | null; spearman: number | null; n: number }[];
  cramersV: { a: string; b: string; v: number | null; n: number }[];
}

const DATASETS: [string, string][] = [
  ['penguins', join(VEGA, 'penguins.json')],
  ['cars', join(VEGA, 'cars.json')],
  ['movies', join(VEGA, 'movies.json')],
  ['seattle-weather', join(VEGA, 'seattle-weather.csv')],
  ['birdstrikes', join(VEGA, 'birdstrikes.csv')],
  ['planted', join(FIXTURES, 'profile/planted.csv')],
];

function reference(name: string): Reference {
  return JSON.parse(readFileSync(join(FIXTURES, 'reference', `${name}.json`), 'utf8')) as Reference;
}

function expectClose(
  actual: number | null | undefined,
  expected: number | null | undefined,
  what: string,
): void {
  if (expected === null || expected === undefined) {
    expect(actual ?? null, what).toBeNull();
    return;
  }
  expect(actual, what).not.toBeNull();
  expect(Math.abs((actual as number) - expected), `${what}: ${actual} vs ${expected}`).toBeLessThanOrEqual(
    1e-9 * Math.max(Math.abs(expected), 1),
  );
}

/** The reference writes values as JSON (integral floats as ints); dates typed by DuckDB print with a time. */
function sameValue(ours: unknown, ref: unknown, column: ColumnProfile): boolean {
  if (column.family === 'temporal') return String(ours).startsWith(String(ref));
  return ours === ref;
}

const conn = useEngine();
const profiles = new Map<string, DatasetProfile>();

beforeAll(async () => {
  for (const [name, path] of DATASETS) {
    const loaded = await loadFile(conn, path);
    profiles.set(
      name,
      await profileDataset(conn, loaded.tableName, name, { thresholds: { cramersMaxDistinct: 20 } }),
    );
  }
});

describe.each(DATASETS.map(([name]) => name))('profile of %s', (name) => {
  const ref = reference(name);
  const profile = (): DatasetProfile => profiles.get(name)!;
  const column = (col: string): ColumnProfile => {
    const found = profile().columns.find((c) => c.name === col);
    expect(found, `column ${col}`).toBeDefined();
    return found!;
  };

  it('validates against the audit schema', () => {
    expect(() => DatasetProfileSchema.parse(profile())).not.toThrow();
    expect(profile().sample.sampled).toBe(false);
  });

  it('counts rows, columns and duplicate rows exactly', () => {
    expect(profile().rows).toBe(ref.rows);
    expect(profile().columnCount).toBe(ref.columns);
    expect(profile().duplicateRows).toBe(ref.duplicateRows);
    expect(profile().duplicateExample === null).toBe(ref.duplicateRows === 0);
  });

  it('types columns into the same families as pandas', () => {
    for (const [col, r] of Object.entries(ref.columnsByName)) {
      const c = column(col);
      if (r.kind === 'numeric') expect(c.family, col).toBe('numeric');
      else if (r.kind === 'boolean') expect(c.family, col).toBe('boolean');
      else if (r.isoTemporal) expect(c.family, col).toBe('temporal');
      else if (r.kind === 'text') expect(['categorical', 'text', 'temporal'], col).toContain(c.family);
    }
  });

  it('counts non-missing, missing and distinct values exactly', () => {
    for (const [col, r] of Object.entries(ref.columnsByName)) {
      const c = column(col);
      expect(c.count, `${col} count`).toBe(r.count);
      expect(c.missing, `${col} missing`).toBe(r.missing);
      expect(c.distinct, `${col} distinct`).toEqual({ value: r.distinct, approximate: false });
    }
  });

  it('matches numeric statistics: extremes and quantiles exactly, moments to 1e-9', () => {
    for (const [col, r] of Object.entries(ref.columnsByName)) {
      if (r.kind !== 'numeric') continue;
      const n = column(col).numeric!;
      expect(n.min, `${col} min`).toBe(r.min);
      expect(n.max, `${col} max`).toBe(r.max);
      expectClose(n.mean, r.mean, `${col} mean`);
      expectClose(n.std, r.std, `${col} std`);
      expectClose(n.skewness, r.skewness, `${col} skewness`);
      expectClose(n.kurtosis, r.kurtosis, `${col} kurtosis`);
      expect(Object.keys(n.quantiles), `${col} quantile levels`).toEqual(Object.keys(r.quantiles!));
      for (const [level, value] of Object.entries(r.quantiles!)) {
        const ours = n.quantiles[level];
        if (value === null) expect(ours, `${col} q${level}`).toBeNull();
        else
          expect(Math.abs(ours! - value), `${col} q${level}: ${ours} vs ${value}`).toBeLessThanOrEqual(
            1e-12 * Math.max(Math.abs(value), 1),
          );
      }
      expect(n.zeros, `${col} zeros`).toBe(r.zeros);
      expect(n.negatives, `${col} negatives`).toBe(r.negatives);
      expect(n.iqrOutliers, `${col} IQR outliers`).toBe(r.iqrOutliers);
      const histogramTotal = (column(col).histogram ?? []).reduce((s, b) => s + b.count, 0);
      expect(histogramTotal, `${col} histogram total`).toBe(r.count);
    }
  });

  it('matches text lengths in code points', () => {
    for (const [col, r] of Object.entries(ref.columnsByName)) {
      if (r.kind !== 'text' || r.isoTemporal || column(col).family === 'temporal') continue;
      const t = column(col).text!;
      expect(t.lengthMin, `${col} lengthMin`).toBe(r.lengthMin);
      expect(t.lengthMax, `${col} lengthMax`).toBe(r.lengthMax);
      expectClose(t.lengthMean, r.lengthMean, `${col} lengthMean`);
    }
  });

  it('matches boolean counts', () => {
    for (const [col, r] of Object.entries(ref.columnsByName)) {
      if (r.kind !== 'boolean') continue;
      expect(column(col).boolean).toEqual({ trueCount: r.trueCount, falseCount: r.falseCount });
    }
  });

  it('lists the same top values with the same counts', () => {
    for (const [col, r] of Object.entries(ref.columnsByName)) {
      const c = column(col);
      expect(
        c.topK.map((v) => v.count),
        `${col} top-k counts`,
      ).toEqual(r.topK.map(([, n]) => n));
      // Values tied with the last listed count may be cut differently; all the others must match.
      const last = r.topK.at(-1)?.[1];
      for (const [value, n] of r.topK.filter(([, n]) => n !== last)) {
        const ours = c.topK.filter((v) => v.count === n);
        expect(
          ours.some((v) => sameValue(v.value, value, c)),
          `${col} top value ${String(value)} (${n})`,
        ).toBe(true);
      }
      expect(c.otherCount, `${col} other`).toBe(r.count - r.topK.reduce((s, [, n]) => s + n, 0));
    }
  });

  it('matches Pearson and Spearman correlations on pairwise-complete rows', () => {
    const ours = profile().correlations;
    expect(ours.length).toBe(ref.correlations.length);
    for (const r of ref.correlations) {
      const c = ours.find((o) => (o.a === r.a && o.b === r.b) || (o.a === r.b && o.b === r.a));
      expect(c, `${r.a} × ${r.b}`).toBeDefined();
      expect(c!.n, `${r.a} × ${r.b} n`).toBe(r.n);
      expectClose(c!.pearson, r.pearson, `${r.a} × ${r.b} pearson`);
      expectClose(c!.spearman, r.spearman, `${r.a} × ${r.b} spearman`);
    }
  });

  it("matches Cramér's V of categorical pairs", () => {
    const ours = profile().cramersV;
    for (const r of ref.cramersV) {
      const c = ours.find((o) => (o.a === r.a && o.b === r.b) || (o.a === r.b && o.b === r.a));
      // DuckDB types ISO dates as DATE/TIMESTAMP, so such columns are temporal, not categorical.
      if (column(r.a).family === 'temporal' || column(r.b).family === 'temporal') {
        expect(c).toBeUndefined();
        continue;
      }
      expect(c, `${r.a} × ${r.b}`).toBeDefined();
      expect(c!.n, `${r.a} × ${r.b} n`).toBe(r.n);
      expectClose(c!.v, r.v, `${r.a} × ${r.b} V`);
    }
  });
});

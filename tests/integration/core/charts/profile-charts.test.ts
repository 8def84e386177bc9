import { describe, it, expect, beforeAll } from 'vitest';
import { join } from 'node:path';
import { compile, type TopLevelSpec } from 'vega-lite';
import { useEngine, loadFile, VEGA } from '../../../support/engine';
import { profileDataset } from '../../../../src/lib/session/profile';
import type { DatasetProfile } from '../../../../src/lib/core/model/audit';
import { ident } from '../../../../src/lib/core/sql/quote';
import {
  associationHeatmapSpec,
  histogramSpec,
  missingnessMatrixSpec,
  rowsOverTimeSpec,
  topKSpec,
} from '../../../../src/lib/core/charts/profile-charts';

const conn = useEngine();
let penguins: DatasetProfile;
let hostile: DatasetProfile;
const NAMES = ['price.usd', 'a[0]', 'it\'s "x"', 'when.date', 'kind\\n'];

beforeAll(async () => {
  const loaded = await loadFile(conn, join(VEGA, 'penguins.json'));
  penguins = await profileDataset(conn, loaded.tableName, 'penguins');
  await conn.exec(
    `CREATE TABLE charts AS SELECT range * 1.5 AS ${ident(NAMES[0]!)}, range % 7 AS ${ident(NAMES[1]!)}, ` +
      `CASE WHEN range % 4 = 0 THEN NULL ELSE CAST(range % 3 AS VARCHAR) END AS ${ident(NAMES[2]!)}, ` +
      `TIMESTAMP '2020-01-01' + INTERVAL (range) DAY AS ${ident(NAMES[3]!)}, CAST(range % 2 AS VARCHAR) AS ${ident(NAMES[4]!)} FROM range(400)`,
  );
  hostile = await profileDataset(conn, 'charts', 'charts');
});

function compiles(spec: TopLevelSpec | null): void {
  expect(spec).not.toBeNull();
  const { spec: vega } = compile(spec!);
  expect(vega.marks?.length ?? 0).toBeGreaterThan(0);
}

/** Every `field` in the spec is one of our fixed names, never a column name. */
function fields(spec: unknown): string[] {
  const out: string[] = [];
  const walk = (node: unknown, key?: string): void => {
    if (key === 'values') return;
    if (Array.isArray(node)) node.forEach((n) => walk(n));
    else if (node && typeof node === 'object') for (const [k, v] of Object.entries(node)) walk(v, k);
    else if (key === 'field' && typeof node === 'string') out.push(node);
  };
  walk(spec);
  return out;
}

describe('profile chart specs', () => {
  it('compile with vega-lite for every column of a real profile', () => {
    for (const profile of [penguins, hostile]) {
      for (const column of profile.columns) {
        if (column.histogram) compiles(histogramSpec(column));
        if (column.topK.length > 0) compiles(topKSpec(column));
        if (column.temporal) compiles(rowsOverTimeSpec(column.temporal.byMonth, column.name));
      }
      compiles(missingnessMatrixSpec(profile));
    }
    compiles(associationHeatmapSpec(penguins));
  });

  it('carry column names only as data, with fixed field names', () => {
    const specs = hostile.columns.flatMap((c) => [
      histogramSpec(c),
      topKSpec(c),
      c.temporal ? rowsOverTimeSpec(c.temporal.byMonth, c.name) : null,
    ]);
    specs.push(missingnessMatrixSpec(hostile), associationHeatmapSpec(hostile));
    const used = new Set(specs.filter((s) => s !== null).flatMap(fields));
    for (const name of NAMES) expect(used.has(name)).toBe(false);
    expect([...used].every((f) => /^[a-z]+$/.test(f))).toBe(true);
    const missing = missingnessMatrixSpec(hostile) as { data: { values: { column: string }[] } };
    expect(missing.data.values.map((v) => v.column)).toContain('it\'s "x"');
  });

  it('shows the remaining rows as one "other" bar', () => {
    const title = penguins.columns.find((c) => c.name === 'Beak Length (mm)')!;
    const spec = topKSpec(title) as { data: { values: { value: string; count: number }[] } };
    expect(spec.data.values.at(-1)).toEqual(
      expect.objectContaining({ value: '(other values)', count: title.otherCount }),
    );
  });

  it('returns null when there is nothing to draw', () => {
    const empty = penguins.columns.find((c) => c.name === 'Species')!;
    expect(histogramSpec(empty)).toBeNull();
    expect(rowsOverTimeSpec([])).toBeNull();
    expect(associationHeatmapSpec({ ...penguins, correlations: [], cramersV: [] })).toBeNull();
  });
});

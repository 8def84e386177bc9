import { beforeAll, describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { useEngine, FIXTURES, loadFile, VEGA } from '../../../support/engine';
import type { LoadedDataset } from '../../../../src/lib/engine/load-dataset';
import { ident } from '../../../../src/lib/core/sql/quote';
import type { ReadinessSqlContext } from '../../../../src/lib/core/sql/readiness-common';
import { categoryAucQuery, rankAucQuery } from '../../../../src/lib/core/sql/readiness-leakage';

interface AucReference {
  dataset: string;
  target: string;
  column: string;
  kind: 'numeric' | 'categorical';
  class: string;
  auc: number;
}

const reference = (
  JSON.parse(readFileSync(join(FIXTURES, 'reference/chi-square.json'), 'utf8')) as { auc: AucReference[] }
).auc;

const conn = useEngine();
const tables: Record<string, LoadedDataset> = {};

beforeAll(async () => {
  for (const file of new Set(reference.map((r) => r.dataset)))
    tables[file] = await loadFile(conn, join(VEGA, file));
});

function context(r: AucReference): ReadinessSqlContext {
  return {
    table: tables[r.dataset]!.tableName,
    label: { column: r.target, kind: 'classes' },
    asOf: '2026-11-25',
  };
}

describe('single-feature AUC in SQL', () => {
  it.each(reference)('matches SciPy Mann–Whitney U/(n1·n0) for $column → $class ($dataset)', async (r) => {
    const ctx = context(r);
    const sql =
      r.kind === 'numeric'
        ? rankAucQuery(ctx, `CAST(${ident(r.column)} AS DOUBLE)`)
        : categoryAucQuery(ctx, ident(r.column));
    const rows = await conn.query(sql);
    // Labels are canonical (trimmed, lower-cased) in SQL.
    const row = rows.find((x) => x.class === r.class.toLowerCase());
    expect(row, `class ${r.class} missing from ${JSON.stringify(rows)}`).toBeDefined();
    expect(Math.abs(Number(row!.auc) - r.auc)).toBeLessThan(1e-9);
  });

  it('gives complementary AUCs for the two classes of a binary target', async () => {
    const ctx: ReadinessSqlContext = {
      table: tables['penguins.json']!.tableName,
      label: { column: 'Sex', kind: 'classes' },
      asOf: '2026-11-25',
    };
    const rows = await conn.query(rankAucQuery(ctx, ident('Body Mass (g)')));
    const byClass = Object.fromEntries(rows.map((x) => [String(x.class), Number(x.auc)]));
    expect(Object.keys(byClass).sort()).toEqual(['female', 'male']);
    expect(byClass.female! + byClass.male!).toBeCloseTo(1, 12);
    expect(byClass.male!).toBeGreaterThan(0.75);
  });
});

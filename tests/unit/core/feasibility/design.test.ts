import { describe, expect, it } from 'vitest';
import { FEASIBILITY_THRESHOLDS as T } from '../../../../src/lib/core/thresholds';
import {
  designColumns,
  designFeatures,
  designTableStatement,
  prefilterShares,
  type DesignFeature,
} from '../../../../src/lib/core/feasibility/design';
import type { Finding } from '../../../../src/lib/core/model/audit';
import type { ColumnFacts, ReadinessSetup } from '../../../../src/lib/core/readiness/types';

function facts(name: string, family: ColumnFacts['family'], idLike = false): ColumnFacts {
  return { name, type: 'VARCHAR', family, nonNull: 100, distinct: 10, dateLike: 0, idLike };
}

function setupOf(columns: ColumnFacts[], labelled = 1000): ReadinessSetup {
  return {
    input: {
      roles: { target: 'y', id: 'id', eventTime: 't', segments: [], excluded: ['notes_ok'] },
    },
    columns,
    rows: labelled,
    label: { labelled },
  } as unknown as ReadinessSetup;
}

describe('baseline features', () => {
  it('keeps numeric, categorical and boolean columns and says why every other column is out', () => {
    const setup = setupOf([
      facts('y', 'categorical'),
      facts('id', 'numeric'),
      facts('t', 'temporal'),
      facts('notes_ok', 'numeric'),
      facts('leaky', 'numeric'),
      facts('code', 'categorical', true),
      facts('comment', 'text'),
      facts('age', 'numeric'),
      facts('plan', 'categorical'),
      facts('active', 'boolean'),
    ]);
    const leak = {
      area: 'leakage',
      severity: 'major',
      check: 'leakage-target-proxy',
      columns: ['leaky'],
    } as unknown as Finding;
    const choice = designFeatures(setup, [leak]);
    expect(choice.features).toEqual([
      { column: 'age', kind: 'numeric' },
      { column: 'plan', kind: 'categorical' },
      { column: 'active', kind: 'categorical' },
    ]);
    expect(choice.excluded).toEqual([
      { column: 'id', reason: 'ID role' },
      { column: 't', reason: 'time role' },
      { column: 'notes_ok', reason: 'excluded role' },
      { column: 'leaky', reason: 'leakage suspect' },
      { column: 'code', reason: 'looks like an ID' },
      { column: 'comment', reason: 'text column' },
    ]);
  });
});

describe('design columns', () => {
  const features: DesignFeature[] = [
    { column: 'age', kind: 'numeric' },
    { column: 'flat', kind: 'numeric' },
    { column: 'plan', kind: 'categorical' },
  ];
  const numeric = { m0: 40, s0: 12, z0: 3, m1: 5, s1: 0, z1: 0 };
  const levels = [
    { f: 2, level: null, n: 4 },
    { f: 2, level: 'basic', n: 50 },
    { f: 2, level: 'plus', n: 30 },
    { f: 2, level: 'pro', n: 20 },
  ];

  it('standardises numerics with a missing indicator, drops constants, one-hots the top levels and "other"', () => {
    const { columns, dropped } = designColumns(features, numeric, levels, { topLevels: 2 });
    expect(dropped).toEqual([{ column: 'flat', reason: 'constant on the training side' }]);
    expect(columns.map((c) => [c.name, c.feature, c.kind, c.level ?? null])).toEqual([
      ['__sz_x1', 'age', 'numeric', null],
      ['__sz_x2', 'age', 'missing', null],
      ['__sz_x3', 'plan', 'level', 'basic'],
      ['__sz_x4', 'plan', 'level', 'plus'],
      ['__sz_x5', 'plan', 'other', null],
      ['__sz_x6', 'plan', 'missing', null],
    ]);
    expect(columns[0]).toMatchObject({ mean: 40, std: 12 });
  });

  it('leaves out a feature whose columns would pass the column limit', () => {
    const { columns, dropped } = designColumns(features, numeric, levels, { topLevels: 2, maxColumns: 3 });
    expect(columns.map((c) => c.feature)).toEqual(['age', 'age']);
    expect(dropped.map((d) => d.column)).toEqual(['flat', 'plan']);
  });

  it('writes "other" as every level its siblings do not name, and keeps the raw columns', () => {
    const { columns } = designColumns(features, numeric, levels, { topLevels: 2 });
    const sql = designTableStatement(columns, features);
    expect(sql).toContain(`NOT IN ('basic', 'plus')`);
    expect(sql).toMatch(/, "age", "flat", "plan"\s+FROM "__sz_feas_rows"$/);
  });
});

describe('caps', () => {
  it('prefilters a side only when its expected rows exceed the cap with room to spare', () => {
    const split = { design: 'random' as const, holdoutShare: 0.2 };
    expect(prefilterShares(setupOf([], 10_000), { split })).toEqual({ train: 1, test: 1 });
    const big = prefilterShares(setupOf([], 1_000_000), { split });
    expect(big.train).toBeCloseTo((1.3 * T.maxTrainRows + 2_000) / 800_000, 12);
    expect(big.test).toBeCloseTo((1.3 * T.maxTestRows + 2_000) / 200_000, 12);
  });
});

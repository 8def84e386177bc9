import { beforeAll, describe, expect, it } from 'vitest';
import { useEngine } from '../../../support/engine';
import type { Row } from '../../../../src/lib/engine/connector';
import { ident } from '../../../../src/lib/core/sql/quote';
import type { ReadinessSqlContext } from '../../../../src/lib/core/sql/readiness-common';
import {
  categoryBatchQuery,
  sourceBatchQuery,
  weightedQuantilesSql,
} from '../../../../src/lib/core/sql/consistency-batch';
import {
  categoricalShiftBySourceQuery,
  nullRatesBySourceQuery,
  numericShiftBySourceQuery,
  scaleBySourceQuery,
  vocabularyBySourceQuery,
} from '../../../../src/lib/core/sql/readiness-consistency';
import {
  categoryPeriodsQuery,
  classByPeriodQuery,
  classByPeriodsQuery,
} from '../../../../src/lib/core/sql/readiness-coverage';
import { batchRows } from '../../../../src/lib/core/readiness/consistency-batch';

// Hostile names: the batches quote every column and name them in string literals.
const TABLE = 'batch "t"';
const SOURCE = "src'); --";
const COUNT = 'visits "n"';
const AMOUNT = "amount's";
const WIDE = 'wide';
const CATEGORY = 'cat"egory';
const FLAG = 'flag';
const SEGMENT = 'seg ment';
const EVENT = 'event';
const LABEL = 'label';

/**
 * 6,000 rows: four sources (one NULL, one small), a low-cardinality count with
 * NULLs and zeros, an amount with ties, negatives and a source on another
 * scale, a column of nearly unique values, a category with spelling variants
 * and a source-specific value, a flag, a segment, an event time with invalid
 * (future, NULL) values and a value that only appears late, and a label.
 */
const CREATE = `CREATE TABLE ${ident(TABLE)} AS SELECT
  CASE WHEN i % 97 = 0 THEN NULL WHEN i % 50 = 1 THEN 'tiny' WHEN i % 3 = 0 THEN 'legacy' ELSE 'crm' END AS ${ident(SOURCE)},
  CASE WHEN i % 11 = 0 THEN NULL ELSE (i * 7) % 13 END AS ${ident(COUNT)},
  CASE WHEN i % 13 = 0 THEN NULL WHEN i % 17 = 0 THEN 0 WHEN i % 3 = 0 THEN ((i * 31) % 40 - 5) * 100.0 ELSE round(((i * 31) % 400) / 7.0 - 5, 2) END AS ${ident(AMOUNT)},
  CAST(hash(i) % 100000 AS DOUBLE) / 3 AS ${ident(WIDE)},
  CASE WHEN i % 19 = 0 THEN NULL WHEN i % 3 = 0 THEN (CASE i % 4 WHEN 0 THEN 'North ' WHEN 1 THEN 'SOUTH' WHEN 2 THEN 'east-1' ELSE 'West' END)
       WHEN i % 29 = 0 THEN 'only-crm' ELSE (CASE i % 4 WHEN 0 THEN 'north' WHEN 1 THEN 'south' WHEN 2 THEN 'East 1' ELSE 'west' END) END AS ${ident(CATEGORY)},
  CASE WHEN i % 23 = 0 THEN NULL ELSE i % 5 = 0 END AS ${ident(FLAG)},
  CASE WHEN i > 3900 AND i % 7 = 0 THEN 'new-segment' WHEN i < 1500 AND i % 7 = 0 THEN 'old-segment' ELSE 'seg-' || CAST(i % 4 AS VARCHAR) END AS ${ident(SEGMENT)},
  CASE WHEN i % 101 = 0 THEN NULL WHEN i % 103 = 0 THEN TIMESTAMP '2031-01-01 00:00:00' ELSE TIMESTAMP '2021-01-01 00:00:00' + INTERVAL (i * 3) HOUR END AS ${ident(EVENT)},
  CASE WHEN i % 37 = 0 THEN NULL WHEN i % (CASE WHEN i > 3000 THEN 3 ELSE 6 END) = 0 THEN 'yes' ELSE 'no' END AS ${ident(LABEL)}
FROM range(6000) AS r(i)`;

const ctx: ReadinessSqlContext = {
  table: TABLE,
  source: SOURCE,
  time: { column: EVENT, type: 'TIMESTAMP' },
  label: { column: LABEL, kind: 'classes', positive: 'yes' },
  asOf: '2022-06-30',
};

const conn = useEngine();
beforeAll(async () => {
  await conn.exec(CREATE);
});

/** Plain, comparable rows: numbers for numeric cells, the batch's bookkeeping columns dropped. */
function plain(rows: readonly Row[], keep: readonly string[]): Record<string, unknown>[] {
  return rows.map((r) =>
    Object.fromEntries(keep.map((k) => [k, typeof r[k] === 'bigint' ? Number(r[k]) : (r[k] ?? null)])),
  );
}

/** `nullRatesBySourceQuery` rows as a batch's `nulls` rows of its column `i`. */
function nullCounts(single: readonly Row[], i: number): Record<string, unknown>[] {
  return plain(single, ['source', 'rows', `nn_${i}`]).map((r) => ({
    source: r.source,
    rows: r.rows,
    nn: r[`nn_${i}`],
  }));
}

function expectSameShift(batch: readonly Row[], single: readonly Row[]): void {
  expect(batch.length).toBe(single.length);
  expect(plain(batch, ['source', 'other', 'rows', 'other_rows'])).toEqual(
    plain(single, ['source', 'other', 'rows', 'other_rows']),
  );
  batch.forEach((row, i) => {
    expect(Number(row.psi)).toBeCloseTo(Number(single[i]!.psi), 12);
    expect(Number(row.tvd)).toBeCloseTo(Number(single[i]!.tvd), 12);
  });
}

describe('weighted quantiles from value counts', () => {
  it('equal quantile_cont to the last bit, with ties, interpolation and NULL keys', async () => {
    const rows =
      await conn.query(`WITH rz_raw AS (SELECT CASE WHEN i % 5 = 0 THEN NULL ELSE i % 3 END AS k, CAST((i * 37) % 101 AS DOUBLE) / 7 AS x FROM range(2347) AS r(i)),
      rz_counts AS (SELECT 'c' AS col, k, x, count(*) AS n FROM rz_raw GROUP BY ALL),
      rz_mine AS (SELECT k, list(q ORDER BY p) AS q FROM ${weightedQuantilesSql('rz_counts', ['col', 'k'], '[0.01, 0.1, 0.25, 0.333, 0.5, 0.77, 0.9, 0.999]')} GROUP BY k),
      rz_theirs AS (SELECT k, quantile_cont(x, [0.01, 0.1, 0.25, 0.333, 0.5, 0.77, 0.9, 0.999]) AS q FROM rz_raw GROUP BY k)
      SELECT rz_theirs.k, rz_mine.q AS mine, rz_theirs.q AS theirs FROM rz_theirs LEFT JOIN rz_mine ON rz_mine.k IS NOT DISTINCT FROM rz_theirs.k ORDER BY 1`);
    expect(rows).toHaveLength(4);
    for (const row of rows) expect(row.mine).toEqual(row.theirs);
  });
});

describe('the per-source batch answers each per-column query', () => {
  const numeric = [COUNT, AMOUNT, WIDE];
  let counted: Row[];
  let sorted: Row[];
  beforeAll(async () => {
    // The same columns both ways: by value counts, and by sorting every row.
    const batch = (byCounts: boolean): string =>
      sourceBatchQuery(ctx, {
        nullColumns: [EVENT],
        numeric: numeric.map((name) => ({ name, counted: byCounts })),
        minRows: 30,
      });
    counted = await conn.query(batch(true));
    sorted = await conn.query(batch(false));
  });

  it('gives the numeric and the further columns their null counts per source', async () => {
    const columns = [EVENT, ...numeric];
    const single = await conn.query(nullRatesBySourceQuery(ctx, columns));
    expect(single.length).toBe(4);
    columns.forEach((column, i) => {
      const expected = nullCounts(single, i);
      expect(plain(batchRows(counted, 'nulls', column), ['source', 'rows', 'nn'])).toEqual(expected);
      expect(plain(batchRows(sorted, 'nulls', column), ['source', 'rows', 'nn'])).toEqual(expected);
    });
  });

  it.each(numeric)(
    'gives %s the same medians per source as scaleBySourceQuery, counted or sorted',
    async (column) => {
      const single = (await conn.query(scaleBySourceQuery(ctx, column))).filter((r) => Number(r.rows) > 0);
      const keep = ['source', 'rows', 'median', 'median_abs'];
      expect(plain(batchRows(sorted, 'scale', column), keep)).toEqual(plain(single, keep));
      expect(plain(batchRows(counted, 'scale', column), keep)).toEqual(plain(single, keep));
    },
  );

  it.each(numeric)(
    'gives %s the same decile shift as numericShiftBySourceQuery, counted or sorted',
    async (column) => {
      const single = await conn.query(numericShiftBySourceQuery(ctx, column, 30));
      expect(single.length).toBe(12);
      expectSameShift(batchRows(counted, 'shift', column), single);
      expectSameShift(batchRows(sorted, 'shift', column), single);
    },
  );

  it('finds the source on another scale', () => {
    const rows = batchRows(counted, 'scale', AMOUNT);
    const legacy = Number(rows.find((r) => r.source === 'legacy')?.median_abs);
    const crm = Number(rows.find((r) => r.source === 'crm')?.median_abs);
    expect(legacy / crm).toBeGreaterThan(20);
  });
});

describe('the categorical batch answers each per-column query', () => {
  const bySource = [CATEGORY, FLAG];
  const periods = [CATEGORY, SEGMENT, SOURCE];
  let rows: Row[];
  beforeAll(async () => {
    rows = await conn.query(
      categoryBatchQuery(ctx, {
        bySource,
        vocabulary: [CATEGORY],
        maxCategories: 3,
        minRows: 30,
        periods,
        recentShare: 0.25,
        minCategoryRows: 10,
      }),
    );
  });

  it('gives the compared columns their null counts per source', async () => {
    const single = await conn.query(nullRatesBySourceQuery(ctx, bySource));
    bySource.forEach((column, i) =>
      expect(plain(batchRows(rows, 'nulls', column), ['source', 'rows', 'nn'])).toEqual(
        nullCounts(single, i),
      ),
    );
    expect(batchRows(rows, 'nulls', SEGMENT)).toEqual([]);
  });

  it('lists the same spellings per source as vocabularyBySourceQuery', async () => {
    const single = await conn.query(vocabularyBySourceQuery(ctx, CATEGORY));
    expect(single.length).toBeGreaterThan(12);
    const keep = ['source', 'value', 'key', 'rows'];
    expect(plain(batchRows(rows, 'vocabulary', CATEGORY), keep)).toEqual(plain(single, keep));
    expect(batchRows(rows, 'vocabulary', FLAG)).toEqual([]);
  });

  it.each(bySource)('gives %s the same category shift as categoricalShiftBySourceQuery', async (column) => {
    const single = await conn.query(categoricalShiftBySourceQuery(ctx, column, 3, 30));
    expect(single.length).toBe(12);
    expectSameShift(batchRows(rows, 'shift', column), single);
  });

  it.each(periods)('gives %s the same old and recent values as categoryPeriodsQuery', async (column) => {
    const single = await conn.query(categoryPeriodsQuery(ctx, column, 0.25, 10));
    const keep = ['value', 'old', 'recent', 'cutoff'];
    expect(plain(batchRows(rows, 'periods', column), keep)).toEqual(plain(single, keep));
  });

  it('finds the segment values of old and of recent data only', () => {
    const values = batchRows(rows, 'periods', SEGMENT).map((r) => r.value);
    expect(values).toEqual(expect.arrayContaining(['old-segment', 'new-segment']));
  });

  it('gives the same rows when it counts value combinations first', async () => {
    const combined = await conn.query(
      categoryBatchQuery(ctx, {
        bySource,
        vocabulary: [CATEGORY],
        maxCategories: 3,
        minRows: 30,
        periods,
        recentShare: 0.25,
        minCategoryRows: 10,
        combined: true,
      }),
    );
    const exact = [
      'part',
      'col',
      'ord',
      'source',
      'other',
      'value',
      'key',
      'rows',
      'other_rows',
      'nn',
      'old',
      'recent',
    ];
    expect(plain(combined, exact)).toEqual(plain(rows, exact));
    expectSameShift(
      combined.filter((r) => r.part === 'shift'),
      rows.filter((r) => r.part === 'shift'),
    );
  });

  it('needs no source for the periods alone, nor a time for the sources alone', async () => {
    const { source: _source, ...noSource } = ctx;
    const periodsOnly = await conn.query(
      categoryBatchQuery(noSource, {
        bySource: [],
        vocabulary: [],
        maxCategories: 3,
        minRows: 30,
        periods: [SEGMENT],
        recentShare: 0.25,
        minCategoryRows: 10,
      }),
    );
    expect(plain(periodsOnly, ['part', 'col', 'value'])).toEqual(
      plain(batchRows(rows, 'periods', SEGMENT), ['part', 'col', 'value']),
    );
    const { time: _time, ...noTime } = ctx;
    const sourcesOnly = await conn.query(
      categoryBatchQuery(noTime, {
        bySource: [CATEGORY],
        vocabulary: [CATEGORY],
        maxCategories: 3,
        minRows: 30,
        periods: [],
        recentShare: 0.25,
        minCategoryRows: 10,
      }),
    );
    expect(plain(batchRows(sourcesOnly, 'vocabulary', CATEGORY), ['source', 'value', 'rows'])).toEqual(
      plain(batchRows(rows, 'vocabulary', CATEGORY), ['source', 'value', 'rows']),
    );
  });
});

describe('class balance by year and by quarter in one pass', () => {
  it.each(['year', 'quarter'] as const)('gives the %s rows of classByPeriodQuery', async (grain) => {
    const both = await conn.query(classByPeriodsQuery(ctx));
    const single = await conn.query(classByPeriodQuery(ctx, grain));
    expect(single.length).toBeGreaterThan(3);
    const keep = ['period', 'label', 'rows'];
    expect(
      plain(
        both.filter((r) => r.grain === grain),
        keep,
      ),
    ).toEqual(plain(single, keep));
  });
});

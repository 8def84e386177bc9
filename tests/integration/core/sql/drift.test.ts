import { beforeAll, describe, expect, it } from 'vitest';
import { useEngine } from '../../../support/engine';
import { ident, num, str } from '../../../../src/lib/core/sql/quote';
import {
  binCountsQuery,
  bucketSql,
  categoryCountsQuery,
  jensenShannonAgainstReferenceSql,
  missingRateSql,
  monthlyBucketCountsQuery,
  monthsQuery,
  numericDriftQuery,
  numericValueCountsQuery,
  psiAgainstReferenceSql,
  referenceQuantilesQuery,
  segmentRateQuery,
  sideCountsQuery,
  type DriftSide,
} from '../../../../src/lib/core/sql/drift';
import {
  PSI_EPSILON,
  chiSquareDrift,
  jensenShannon,
  ksTwoSampleFromCounts,
  psi,
} from '../../../../src/lib/core/stats/drift';
import { driftReference, type NumericCase } from '../../../fixtures/drift/reference';

const conn = useEngine();
const HOSTILE = 'x"; DROP TABLE t; --';

/** SQL VALUES rows `(value, count)` expanded into one row per occurrence. */
function expand(values: readonly number[], counts: readonly number[]): string {
  const rows = values.map((v, i) => `(${num(v)}, ${counts[i]!})`).filter((_, i) => counts[i]! > 0);
  return `SELECT CAST(v AS DOUBLE) AS v FROM (SELECT v, unnest(range(n)) FROM (VALUES ${rows.join(', ')}) t(v, n))`;
}

async function tablesFor(c: NumericCase, i: number): Promise<{ ref: DriftSide; cur: DriftSide }> {
  await conn.exec(`CREATE OR REPLACE TABLE ref${i} AS ${expand(c.values, c.reference)}`);
  await conn.exec(`CREATE OR REPLACE TABLE cur${i} AS ${expand(c.values, c.current)}`);
  return { ref: { table: `ref${i}` }, cur: { table: `cur${i}` } };
}

function relClose(actual: number, expected: number, rel: number, abs = 1e-12): boolean {
  return Math.abs(actual - expected) <= Math.max(rel * Math.abs(expected), abs);
}

describe('numeric drift SQL', () => {
  it.each(driftReference.numeric.map((c, i) => ({ ...c, i })))(
    'KS statistic, Wasserstein and reference std from SQL match SciPy on $name',
    async (c) => {
      const { ref, cur } = await tablesFor(c, c.i);
      const [row] = await conn.query(numericDriftQuery(ref, cur, 'v'));
      const nRef = Number(row!.n_ref);
      const nCur = Number(row!.n_cur);
      expect(nRef).toBe(c.reference.reduce((a, b) => a + b, 0));
      expect(nCur).toBe(c.current.reduce((a, b) => a + b, 0));
      expect(Number(row!.ks_numerator) / nRef / nCur).toBeCloseTo(c.ks.statistic, 12);
      expect(relClose(Number(row!.wasserstein), c.wasserstein, 1e-9)).toBe(true);
      expect(relClose(Number(row!.ref_std), c.referenceStd, 1e-9)).toBe(true);
      expect(Number(row!.distinct_values)).toBe(c.values.length);

      const counts = await conn.query(numericValueCountsQuery(ref, cur, 'v'));
      const ks = ksTwoSampleFromCounts(
        counts.map((r) => ({ value: Number(r.v), reference: Number(r.rn), current: Number(r.cn) })),
      );
      expect(relClose(ks.pValue, c.ks.pValue, 1e-6)).toBe(true);
    },
  );

  it('splits one table by a source value and by a date, with the same result as two tables', async () => {
    const c = driftReference.numeric.find((x) => x.name === 'medium-shift')!;
    await conn.exec(`CREATE OR REPLACE TABLE both_sides AS
      SELECT v, 'legacy' AS ${ident(HOSTILE)}, DATE '2024-01-15' AS ts FROM (${expand(c.values, c.reference)})
      UNION ALL SELECT v, 'crm', DATE '2024-03-02' FROM (${expand(c.values, c.current)})
      UNION ALL SELECT NULL, NULL, NULL`);
    const bySource = await conn.query(
      numericDriftQuery(
        { table: 'both_sides', filter: { kind: 'in', column: HOSTILE, values: ['legacy'] } },
        { table: 'both_sides', filter: { kind: 'not-in', column: HOSTILE, values: ['legacy'] } },
        'v',
      ),
    );
    const time = { column: 'ts', type: 'DATE' };
    const byDate = await conn.query(
      numericDriftQuery(
        { table: 'both_sides', filter: { kind: 'before', time, date: '2024-02-01' } },
        { table: 'both_sides', filter: { kind: 'from', time, date: '2024-02-01' } },
        'v',
      ),
    );
    for (const [row] of [bySource, byDate]) {
      expect(Number(row!.ks_numerator) / Number(row!.n_ref) / Number(row!.n_cur)).toBeCloseTo(
        c.ks.statistic,
        12,
      );
      expect(relClose(Number(row!.wasserstein), c.wasserstein, 1e-9)).toBe(true);
    }
    const counts = await conn.query(
      sideCountsQuery(
        { table: 'both_sides', filter: { kind: 'in', column: HOSTILE, values: ['legacy'] } },
        { table: 'both_sides', filter: { kind: 'not-in', column: HOSTILE, values: ['legacy'] } },
        ['v', HOSTILE],
      ),
    );
    expect(counts.map((r) => [Number(r.rows), Number(r.c0), Number(r.c1)])).toEqual([
      [3000, 3000, 3000],
      [5001, 5000, 5000],
    ]);
  });

  it('bins both sides on reference quantiles, and the stored-reference PSI SQL agrees with the pure PSI', async () => {
    const c = driftReference.numeric.find((x) => x.name === 'large-shift')!;
    const { ref, cur } = await tablesFor(c, 99);
    const levels = [0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9];
    const q = await conn.query(referenceQuantilesQuery(ref, 'v', levels));
    // Linear-interpolation quantiles of the expanded reference, computed here independently.
    const sorted = c.values.flatMap((v, i) => new Array<number>(c.reference[i]!).fill(v));
    const expectedEdges = levels.map((p) => {
      const h = (sorted.length - 1) * p;
      const lo = Math.floor(h);
      return sorted[lo]! + (h - lo) * ((sorted[lo + 1] ?? sorted[lo]!) - sorted[lo]!);
    });
    q.forEach((r, i) => expect(Number(r.edge)).toBeCloseTo(expectedEdges[i]!, 9));
    const edges = [...new Set(q.map((r) => Number(r.edge)))].sort((a, b) => a - b);
    const rows = await conn.query(binCountsQuery(ref, cur, 'v', edges));
    const refBins = new Array<number>(edges.length + 1).fill(0);
    const curBins = new Array<number>(edges.length + 1).fill(0);
    for (const r of rows) (Number(r.side) === 0 ? refBins : curBins)[Number(r.bin)] = Number(r.n);
    // Independent bin counts: bin i holds (edge[i-1], edge[i]].
    const binOf = (v: number): number => {
      const i = edges.findIndex((e) => v <= e);
      return i === -1 ? edges.length : i;
    };
    const expectedRef = new Array<number>(edges.length + 1).fill(0);
    c.values.forEach((v, i) => (expectedRef[binOf(v)]! += c.reference[i]!));
    expect(refBins).toEqual(expectedRef);
    const pure = psi(refBins, curBins);
    expect(pure).toBeGreaterThan(0.01);

    const refShares = refBins.map((n) => n / refBins.reduce((a, b) => a + b, 0));
    const bucket = bucketSql('v', { kind: 'numeric', edges });
    const [sqlPsi] = await conn.query(psiAgainstReferenceSql(cur.table, bucket, refShares, PSI_EPSILON));
    expect(Number(sqlPsi!.psi)).toBeCloseTo(pure, 10);
    const [sqlJs] = await conn.query(jensenShannonAgainstReferenceSql(cur.table, bucket, refShares));
    expect(Number(sqlJs!.jensen_shannon)).toBeCloseTo(jensenShannon(refBins, curBins), 10);
  });
});

describe('categorical drift SQL', () => {
  async function categoryTables(c: { reference: number[]; current: number[] }, i: number): Promise<void> {
    const side = (counts: number[]): string =>
      counts.some((n) => n > 0)
        ? `SELECT v AS ${ident(HOSTILE)} FROM (SELECT v, unnest(range(n)) FROM (VALUES ${counts
            .map((n, k) => `(${str(`cat ${k}`)}, ${n})`)
            .join(', ')}) t(v, n))`
        : `SELECT NULL::VARCHAR AS ${ident(HOSTILE)} WHERE FALSE`;
    await conn.exec(`CREATE OR REPLACE TABLE cref${i} AS ${side(c.reference)} UNION ALL SELECT NULL`);
    await conn.exec(`CREATE OR REPLACE TABLE ccur${i} AS ${side(c.current)}`);
  }

  it.each(driftReference.categorical.map((c, i) => ({ ...c, i })))(
    'category counts from SQL give SciPy chi-square and Jensen–Shannon on $name, with new and gone categories',
    async (c) => {
      await categoryTables(c, c.i);
      const rows = await conn.query(
        categoryCountsQuery({ table: `cref${c.i}` }, { table: `ccur${c.i}` }, HOSTILE, 50),
      );
      expect(rows.every((r) => r.other === false)).toBe(true);
      const byValue = new Map(rows.map((r) => [String(r.value), r]));
      const ref = c.reference.map((_, k) => Number(byValue.get(`cat ${k}`)?.ref ?? 0));
      const cur = c.current.map((_, k) => Number(byValue.get(`cat ${k}`)?.cur ?? 0));
      expect(ref).toEqual(c.reference);
      expect(cur).toEqual(c.current);
      const test = chiSquareDrift(ref, cur)!;
      expect(relClose(test.statistic, c.chiSquare.statistic, 1e-9)).toBe(true);
      expect(jensenShannon(ref, cur)).toBeCloseTo(c.jensenShannon, 12);
      const newRows = rows.filter((r) => Number(r.new_categories) > 0).map((r) => String(r.value));
      expect(newRows).toEqual(
        c.reference.flatMap((n, k) => (n === 0 && c.current[k]! > 0 ? [`cat ${k}`] : [])),
      );
    },
  );

  it('folds rare categories into one "other" row that still counts new ones', async () => {
    await conn.exec(`CREATE OR REPLACE TABLE many_ref AS SELECT 'c' || (i % 30) AS v FROM range(3000) r(i)`);
    await conn.exec(
      `CREATE OR REPLACE TABLE many_cur AS SELECT 'c' || (i % 30) AS v FROM range(3000) r(i) UNION ALL SELECT 'brand new ' || (i % 3) FROM range(6) r(i)`,
    );
    const rows = await conn.query(categoryCountsQuery({ table: 'many_ref' }, { table: 'many_cur' }, 'v', 10));
    expect(rows).toHaveLength(11);
    const other = rows.find((r) => r.other === true)!;
    expect(other.value).toBeNull();
    expect(Number(other.ref)).toBe(2000);
    expect(Number(other.cur)).toBe(2006);
    expect(Number(other.new_categories)).toBe(3);
    expect(Number(other.new_rows)).toBe(6);
  });
});

describe('segment, history and monitoring SQL', () => {
  beforeAll(async () => {
    await conn.exec(`CREATE OR REPLACE TABLE hist AS SELECT
      TIMESTAMP '2024-01-01 00:00:00' + INTERVAL (i % 6) MONTH AS ts,
      CASE WHEN (i // 6) % 3 = 0 THEN 'north' ELSE 'south' END AS region,
      CASE WHEN i % 6 >= 4 AND (i // 6) % 3 = 0 THEN ((i // 6) % 2) ELSE (CASE WHEN i % 10 = 0 THEN 1 ELSE 0 END) END AS y,
      CASE WHEN i % 7 = 0 THEN NULL ELSE i % 5 END AS amount
      FROM range(6000) r(i)`);
  });

  it('counts label rates per segment and side', async () => {
    const time = { column: 'ts', type: 'TIMESTAMP' };
    const rows = await conn.query(
      segmentRateQuery(
        { table: 'hist', filter: { kind: 'before', time, date: '2024-05-01' } },
        { table: 'hist', filter: { kind: 'from', time, date: '2024-05-01' } },
        `CAST(${ident('region')} AS VARCHAR)`,
        `${ident('y')}`,
      ),
    );
    const get = (side: number, segment: string): { n: number; positives: number } => {
      const r = rows.find((x) => Number(x.side) === side && x.segment === segment)!;
      return { n: Number(r.n), positives: Number(r.positives) };
    };
    expect(get(0, 'north').n + get(0, 'south').n).toBe(4000);
    // North in May and June is positive on every other row.
    expect(get(1, 'north').positives / get(1, 'north').n).toBeCloseTo(0.5, 2);
    expect(get(0, 'north').positives / get(0, 'north').n).toBeLessThan(0.2);
  });

  it('counts buckets per month, missing values included, and lists months', async () => {
    const time = { column: 'ts', type: 'TIMESTAMP' };
    const months = await conn.query(monthsQuery({ table: 'hist' }, time));
    expect(months.map((r) => r.month)).toEqual([
      '2024-01',
      '2024-02',
      '2024-03',
      '2024-04',
      '2024-05',
      '2024-06',
    ]);
    const rows = await conn.query(
      monthlyBucketCountsQuery(
        { table: 'hist' },
        time,
        bucketSql('amount', { kind: 'numeric', edges: [1, 3] }),
      ),
    );
    const total = rows.reduce((s, r) => s + Number(r.n), 0);
    expect(total).toBe(6000);
    const missing = rows.filter((r) => r.bucket === null).reduce((s, r) => s + Number(r.n), 0);
    expect(missing).toBe(Math.ceil(6000 / 7));
    const [m] = await conn.query(missingRateSql('hist', 'amount'));
    expect(Number(m!.missing_rate)).toBeCloseTo(Math.ceil(6000 / 7) / 6000, 12);
  });

  it('puts unlisted categories in the "other" bucket of the monitoring SQL', async () => {
    const bucket = bucketSql('region', { kind: 'categorical', categories: ['north'] });
    // Reference: north 100 %, other 0 %; current: north 2,004 rows (i // 6 ≡ 0 mod 3), other 3,996.
    const [row] = await conn.query(psiAgainstReferenceSql('hist', bucket, [1, 0], PSI_EPSILON));
    expect(Number(row!.psi)).toBeCloseTo(psi([1, 0], [2004, 3996]), 10);
  });
});

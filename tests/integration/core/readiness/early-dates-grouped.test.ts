import { beforeAll, describe, expect, it } from 'vitest';
import { useEngine } from '../../../support/engine';
import { earlyDatesQuery } from '../../../../src/lib/core/sql/readiness-time';
import {
  fromTable,
  sentinelDatesSql,
  timeSql,
  type ReadinessSqlContext,
  type TimeRef,
} from '../../../../src/lib/core/sql/readiness-common';
import { dateLiteral, num } from '../../../../src/lib/core/sql/quote';
import { READINESS_THRESHOLDS } from '../../../../src/lib/core/thresholds';

/**
 * `earlyDatesQuery` reads its quartiles from the running count of rows per day
 * (one row per distinct day held) instead of `quantile_disc` over every row
 * (every row's day held twice, which ran the wasm heap out at 30M rows). The
 * reference is that one-statement form over the rows: the same rows out, value for value.
 */
function quantileDiscReference(ctx: ReadinessSqlContext, ref: TimeRef, fenceIqr: number): string {
  const t = timeSql(ref);
  const day = `CAST(${t} AS DATE)`;
  return `WITH rz_d AS MATERIALIZED (SELECT ${day} AS day ${fromTable(ctx.table)} WHERE ${t} IS NOT NULL AND ${day} <= ${dateLiteral(ctx.asOf)} AND ${day} NOT IN (${sentinelDatesSql(ref.granularity)})), rz_q AS (SELECT quantile_disc(day, 0.25) AS q1, quantile_disc(day, 0.75) AS q3, count(*) AS n FROM rz_d), rz_f AS (SELECT q1, q3, n, datediff('day', q1, q3) AS iqr_days, CAST(q1 - CAST(ceil(${num(fenceIqr)} * datediff('day', q1, q3)) AS INTEGER) AS DATE) AS fence FROM rz_q), rz_all AS (SELECT rz_d.day, count(*) AS rows, false AS bulk FROM rz_d, rz_f WHERE rz_d.day < rz_f.fence GROUP BY 1 UNION ALL SELECT min(rz_d.day), count(*), true FROM rz_d, rz_f WHERE rz_d.day >= rz_f.fence) SELECT strftime(rz_all.day, '%Y-%m-%d') AS day, rz_all.rows, rz_all.bulk, strftime(rz_f.q1, '%Y-%m-%d') AS q1, strftime(rz_f.q3, '%Y-%m-%d') AS q3, rz_f.iqr_days, strftime(rz_f.fence, '%Y-%m-%d') AS fence, rz_f.n FROM rz_all, rz_f WHERE rz_all.day IS NOT NULL ORDER BY rz_all.day LIMIT 2000`;
}

const conn = useEngine();
const FENCE = READINESS_THRESHOLDS.earlyDateFenceIqr;
const AS_OF = '2025-06-30';

beforeAll(async () => {
  // 20,000 rows over 2021–2024 with repeats, a few isolated early days, placeholder dates,
  // days after the as-of date and NULLs; as a DATE, a TIMESTAMP and text.
  await conn.exec(
    `CREATE TABLE events AS SELECT *, day + INTERVAL (i % 86400) SECOND AS stamp, CAST(day AS VARCHAR) AS text_day FROM (SELECT range AS i, CASE ` +
      `WHEN range % 1000 = 1 THEN DATE '1990-03-01' + CAST(range % 7 AS INTEGER) ` +
      `WHEN range % 997 = 0 THEN DATE '1900-01-01' WHEN range % 991 = 0 THEN DATE '2030-01-01' ` +
      `WHEN range % 37 = 0 THEN NULL ELSE DATE '2021-01-01' + CAST((range * 7919) % 1461 AS INTEGER) END AS day FROM range(20000))`,
  );
});

async function both(table: string, ref: TimeRef) {
  const ctx: ReadinessSqlContext = { table, asOf: AS_OF };
  const grouped = await conn.query(earlyDatesQuery(ctx, ref, { fenceIqr: FENCE }));
  const reference = await conn.query(quantileDiscReference(ctx, ref, FENCE));
  return { grouped, reference };
}

describe('early dates from the running count per day', () => {
  it.each<TimeRef>([
    { column: 'day', type: 'DATE' },
    { column: 'stamp', type: 'TIMESTAMP' },
    { column: 'text_day', type: 'VARCHAR', encoding: 'text' },
  ])('returns the rows quantile_disc gives on $type', async (ref) => {
    const { grouped, reference } = await both('events', ref);
    // Seven isolated early days and the bulk's first day.
    expect(reference.filter((r) => r.bulk === false)).toHaveLength(7);
    expect(reference.filter((r) => r.bulk === true)).toHaveLength(1);
    expect(grouped).toEqual(reference);
  });

  // Ranks where n·q is whole and where it is not, a single row, and none.
  it.each([0, 1, 2, 3, 4, 5, 8, 9, 12, 13])(
    'takes the quartiles at quantile_disc’s ranks with %i rows',
    async (n) => {
      const table = `small_${n}`;
      await conn.exec(
        `CREATE TABLE ${table} AS SELECT DATE '2020-01-01' + CAST(range * range * 3 AS INTEGER) AS day FROM range(${n})`,
      );
      const { grouped, reference } = await both(table, { column: 'day', type: 'DATE' });
      expect(grouped).toEqual(reference);
      if (n > 0) expect(grouped.at(-1)?.n).toBe(n);
    },
  );
});

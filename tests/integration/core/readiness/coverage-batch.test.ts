import { beforeAll, describe, expect, it } from 'vitest';
import { useEngine } from '../../../support/engine';
import type { Row } from '../../../../src/lib/engine/connector';
import { ident } from '../../../../src/lib/core/sql/quote';
import type { ReadinessSqlContext } from '../../../../src/lib/core/sql/readiness-common';
import {
  monthGapsQuery,
  recencyQuery,
  timeCoverageQuery,
  timeSpanQuery,
} from '../../../../src/lib/core/sql/readiness-coverage';

const TABLE = 'coverage "t"';
const EVENT = "when's";
const TEXT = 'as text';

/**
 * 5,000 rows over three years with a gap month, NULLs, a sentinel date, a
 * future date, rows before the history start, and the same times as text.
 */
const CREATE = `CREATE TABLE ${ident(TABLE)} AS SELECT e AS ${ident(EVENT)}, strftime(e, '%d/%m/%Y %H:%M:%S') AS ${ident(TEXT)}
FROM (SELECT CASE WHEN i % 97 = 0 THEN NULL WHEN i % 89 = 0 THEN TIMESTAMP '1970-01-01 00:00:00'
  WHEN i % 83 = 0 THEN TIMESTAMP '2031-05-05 10:00:00'
  ELSE TIMESTAMP '2020-11-03 07:00:00' + INTERVAL (i * 5) HOUR + INTERVAL (i % 7) MINUTE END AS raw FROM range(5000) AS r(i)),
LATERAL (SELECT CASE WHEN raw BETWEEN TIMESTAMP '2021-06-01' AND TIMESTAMP '2021-06-30 23:59:59' THEN NULL ELSE raw END AS e)`;

const conn = useEngine();
beforeAll(async () => {
  await conn.exec(CREATE);
});

function strip(rows: readonly Row[]): Record<string, unknown>[] {
  return rows.map(({ part: _part, ord: _ord, ...rest }) =>
    Object.fromEntries(Object.entries(rest).filter(([, v]) => v !== null)),
  );
}

function dropNulls(rows: readonly Row[]): Record<string, unknown>[] {
  return rows.map((r) => Object.fromEntries(Object.entries(r).filter(([, v]) => v !== null)));
}

const contexts: [string, ReadinessSqlContext][] = [
  ['a timestamp column', { table: TABLE, time: { column: EVENT, type: 'TIMESTAMP' }, asOf: '2022-06-30' }],
  [
    'a text column with a history start',
    { table: TABLE, time: { column: TEXT, type: 'VARCHAR' }, asOf: '2022-06-30', validFrom: '2021-01-15' },
  ],
  ['no valid time at all', { table: TABLE, time: { column: EVENT, type: 'TIMESTAMP' }, asOf: '1999-01-01' }],
];

describe('span, gaps and recency in one pass', () => {
  it.each(contexts)('give the rows of their own queries on %s', async (_name, ctx) => {
    for (const unit of ['month', 'year'] as const) {
      const rows = await conn.query(timeCoverageQuery(ctx, unit, [90, 180, 365]));
      const of = (part: string): Row[] => rows.filter((r) => r.part === part);
      expect(strip(of('span'))).toEqual(dropNulls(await conn.query(timeSpanQuery(ctx))));
      expect(strip(of('months'))).toEqual(dropNulls(await conn.query(monthGapsQuery(ctx, unit))));
      expect(strip(of('recency'))).toEqual(dropNulls(await conn.query(recencyQuery(ctx, [90, 180, 365]))));
    }
  });

  it('sees the gap month and the valid span', async () => {
    const rows = await conn.query(timeCoverageQuery(contexts[0]![1], 'month', [90]));
    expect(rows.find((r) => r.part === 'months' && r.month === '2021-06')?.rows).toBe(0);
    const span = rows.find((r) => r.part === 'span');
    expect(Number(span?.rows)).toBeGreaterThan(2500);
    expect(Number(span?.total)).toBe(5000);
  });
});

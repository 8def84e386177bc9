import { beforeAll, describe, expect, it } from 'vitest';
import { useEngine } from '../../../support/engine';
import { differences } from '../../../support/document-diff';
import type { Connector } from '../../../../src/lib/engine/connector';
import { profileDataset } from '../../../../src/lib/session/profile';
import { summaryBatches } from '../../../../src/lib/core/profile/choices';
import { decodeSummary } from '../../../../src/lib/core/profile/decode';
import {
  summaryQuery,
  tableColumnsAndRowsQuery,
  type DistinctMode,
  type ProfileColumn,
} from '../../../../src/lib/core/sql/profile';
import { sqlKind } from '../../../../src/lib/core/sql/types';
import { THRESHOLDS } from '../../../../src/lib/core/thresholds';

/**
 * The summary split by its budget of held values (`summaryBatches`) against
 * the one statement over every column: the same decoded summary, value for value.
 */

const ROWS = 3_000;
const conn = useEngine();
let columns: ProfileColumn[];

beforeAll(async () => {
  // Every kind the summary treats apart: integers (narrow and 128-bit), floats with NaN and ±Infinity,
  // decimals, text, dates, timestamps and booleans, with NULLs.
  await conn.exec(
    `CREATE TABLE t AS SELECT range AS id, CAST(range * 37 % 1001 AS HUGEINT) AS wide, ` +
      `CASE WHEN range % 97 = 0 THEN 'nan'::DOUBLE WHEN range % 89 = 0 THEN 'inf'::DOUBLE ELSE (range * 7919 % 1000) / 7.0 END AS amount, ` +
      `CASE WHEN range % 10 = 0 THEN NULL ELSE CAST((range % 400) / 3.0 AS DECIMAL(9, 2)) END AS price, ` +
      `'name ' || CAST(range % 50 AS VARCHAR) AS label, DATE '2024-01-01' + CAST(range % 365 AS INTEGER) AS day, ` +
      `TIMESTAMP '2024-01-01' + INTERVAL (range * 3600) SECOND AS at, range % 3 = 0 AS flag, ` +
      `CAST(range % 13 - 6 AS INTEGER) AS score FROM range(${ROWS})`,
  );
  const schema = await conn.query(tableColumnsAndRowsQuery('t'));
  columns = schema.map((r, index) => ({
    index,
    name: String(r.column_name),
    type: String(r.data_type),
    kind: sqlKind(String(r.data_type)),
  }));
});

const levels = THRESHOLDS.quantileLevels;

async function summaryOf(batches: ProfileColumn[][], distinct: DistinctMode) {
  const out = new Map<number, unknown>();
  for (const batch of batches) {
    const [row] = await conn.query(summaryQuery('t', batch, { quantileLevels: levels, distinct }));
    for (const [index, summary] of decodeSummary(row, batch, levels).columns) out.set(index, summary);
  }
  return out;
}

describe('the summary in batches by held values', () => {
  it.each<DistinctMode>(['none', 'approx', 'exact'])(
    'decodes the same summary as one statement (distinct counts: %s)',
    async (distinct) => {
      // One numeric column's values per statement.
      const batches = summaryBatches(columns, ROWS, distinct, { maxHeldValues: ROWS });
      const numeric = columns.filter((c) => ['integer', 'float', 'decimal'].includes(c.kind)).length;
      expect(numeric).toBeGreaterThanOrEqual(5);
      expect(batches.length).toBe(distinct === 'exact' ? columns.length : numeric);

      const one = await summaryOf([columns], distinct);
      expect(one.size).toBe(columns.length);
      expect(await summaryOf(batches, distinct)).toEqual(one);
    },
  );

  it('gives the same profile through the session with a tiny budget, in more statements', async () => {
    const summaries: string[] = [];
    const recording: Connector = {
      ...conn,
      query: (sql) => {
        if (/ AS c\d+_q\b/.test(sql)) summaries.push(sql);
        return conn.query(sql);
      },
    };
    const whole = await profileDataset(recording, 't', 't');
    const statementsWhole = summaries.length;
    const batched = await profileDataset(recording, 't', 't', { summaryMaxHeldValues: ROWS });
    expect(statementsWhole).toBe(1);
    expect(summaries.length - statementsWhole).toBeGreaterThanOrEqual(5);
    expect(differences(batched, whole)).toEqual([]);
  });
});

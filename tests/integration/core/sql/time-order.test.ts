import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { engine } from '../../../support/engine';
import type { Connector } from '../../../../src/lib/engine/connector';
import { outOfOrderQuery } from '../../../../src/lib/core/sql/readiness-time';

/**
 * 300 customers with 1–4 snapshots each (a quarter appear once), written in file order. Customers
 * 7 and 70 have their second snapshot dated after their third; 140 gets the same edits but has one
 * row only, so nothing of it can be out of order.
 */
const TABLE = `SELECT c AS customer, DATE '2024-01-01' + INTERVAL (CASE WHEN c IN (7, 70, 140) AND k = 1 THEN 75 WHEN c = 140 AND k = 3 THEN 0 ELSE k * 30 END) DAY AS seen
  FROM range(300) r(c), range(4) s(k) WHERE k < 1 + c % 4 ORDER BY c, k`;

describe('time-order: event times that go backwards per ID in file order', () => {
  let conn: Connector;
  beforeAll(async () => {
    conn = await engine();
    await conn.exec(`CREATE TABLE snapshots AS ${TABLE}`);
  });
  afterAll(async () => {
    await conn.exec('DROP TABLE IF EXISTS snapshots');
  });

  it('counts repeated IDs, the IDs out of order and their backward steps as a window over every row does', async () => {
    const [fast] = await conn.query(
      outOfOrderQuery({
        table: 'snapshots',
        asOf: '2026-01-01',
        id: 'customer',
        time: { column: 'seen', type: 'DATE', encoding: 'native', granularity: 'day' },
      }),
    );
    const [reference] = await conn.query(
      `WITH seq AS (SELECT customer, seen, lag(seen) OVER (PARTITION BY customer ORDER BY rowid) AS prev FROM snapshots) SELECT (SELECT count(*) FROM (SELECT customer FROM snapshots GROUP BY 1 HAVING count(*) > 1)) AS repeated_ids, count(DISTINCT customer) FILTER (WHERE prev > seen) AS ids_out_of_order, count(*) FILTER (WHERE prev > seen) AS backward_steps FROM seq`,
    );
    expect(Number(fast!.repeated_ids)).toBe(Number(reference!.repeated_ids));
    expect(Number(fast!.ids_out_of_order)).toBe(Number(reference!.ids_out_of_order));
    expect(Number(fast!.backward_steps)).toBe(Number(reference!.backward_steps));
    // Customers 7 and 70 have 4 and 3 snapshots; 140 has 1 (140 % 4 = 0): only 7 and 70 can be out of order.
    expect(Number(fast!.ids_out_of_order)).toBe(2);
    expect(fast!.example_id).toBe('7');
  });
});

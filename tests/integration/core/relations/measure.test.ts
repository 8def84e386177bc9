import { describe, expect, it } from 'vitest';
import { RelationResultSchema } from '../../../../src/lib/core/model/relations';
import { useEngine } from '../../../support/engine';
import { link, relationTable, runRelations } from './relations-support';

const conn = useEngine();

const lines = (...rows: string[]): string => `${rows.join('\n')}\n`;

/**
 * Customers: key 2 twice (snapshots 10 and 20 Jan: the earliest counts), 4
 * and 5 without children, one null key.
 */
const CUSTOMERS = lines(
  'id,snapshot',
  '1,2024-01-10',
  '2,2024-01-10',
  '2,2024-01-20',
  '3,2024-01-10',
  '4,2024-01-10',
  '5,2024-01-10',
  ',2024-01-10',
);

/**
 * Subscriptions: three rows for 1 (one the day after the snapshot, one the
 * same day: not after), one for 2 (after its earliest snapshot), two for 3
 * (one without a date), orphans 9 (two rows) and 8, two null keys.
 */
const SUBSCRIPTIONS = lines(
  'sid,customer_id,started',
  's1,1,2024-01-05',
  's2,1,2024-01-11',
  's3,1,2024-01-10',
  's4,2,2024-01-15',
  's5,3,2024-01-01',
  's6,3,',
  's7,9,2024-01-01',
  's8,9,2024-01-02',
  's9,8,2024-01-03',
  's10,,2024-01-01',
  's11,,2024-01-01',
);

describe('relation measurements on hand-built tables', () => {
  it('counts duplicates, orphans, null keys, childless parents, fan-out, join rows and rows after the snapshot', async () => {
    const customers = await relationTable(conn, 'customers.csv', CUSTOMERS, { eventTime: 'snapshot' });
    const subscriptions = await relationTable(conn, 'subscriptions.csv', SUBSCRIPTIONS);
    const accepted = [link('subscriptions.csv', 'customer_id', 'customers.csv', 'id')];
    const outcome = await runRelations(conn, { tables: [customers, subscriptions], accepted });
    expect(outcome.results).toHaveLength(1);
    const r = RelationResultSchema.parse(outcome.results[0]);
    expect(r).toMatchObject({
      comparedAsText: false,
      childRows: 11,
      parentRows: 7,
      childKeys: 5, // 1, 2, 3, 8, 9
      parentKeys: 5, // 1–5
      orphanKeys: 2,
      orphanKeyShare: 2 / 5,
      orphanRows: 3,
      nullKeys: 2,
      nullKeyShare: 2 / 11,
      duplicateParentKeys: 1,
      duplicateParentRows: 2,
      childlessParents: 2,
      childlessParentShare: 2 / 5,
      cardinality: 'n:m',
      rowsBeforeJoin: 7,
      // 1 → 3 rows, the two rows of 2 → 1 each, 3 → 2, 4, 5 and the null key → 1 each.
      rowsAfterJoin: 10,
      formatMismatch: { keys: 0, kinds: [] },
      rowsAfterParentTime: 2,
    });
    // Children per matched key: 3, 1, 2. numpy.percentile([1, 2, 3], 95) = 2.9 (linear).
    expect(r.fanout.mean).toBeCloseTo(2, 12);
    expect(r.fanout.p95).toBeCloseTo(2.9, 12);
    expect(r.fanout.max).toBe(3);
    // s1–s5 are timed (s6 has no date); s2 and s4 are after, compared by date.
    expect(r.pointInTime).toMatchObject({
      parentTime: 'snapshot',
      childTime: 'started',
      timedRows: 5,
      rowsAfterParentTime: 2,
      share: 2 / 5,
    });

    // The result's SQL reproduces its counts.
    const [row] = await conn.query(r.sql);
    const reproduced = {
      childRows: row!.child_rows,
      parentRows: row!.parent_rows,
      childKeys: row!.child_keys,
      parentKeys: row!.parent_keys,
      orphanKeys: row!.orphan_keys,
      orphanRows: row!.orphan_rows,
      nullKeys: row!.null_keys,
      duplicateParentKeys: row!.duplicate_parent_keys,
      duplicateParentRows: row!.duplicate_parent_rows,
      childlessParents: row!.childless_parents,
      rowsAfterJoin: row!.rows_after_join,
      rowsAfterParentTime: row!.after_rows,
    };
    expect(Object.fromEntries(Object.entries(reproduced).map(([k, v]) => [k, Number(v)]))).toEqual(
      Object.fromEntries(Object.keys(reproduced).map((k) => [k, r[k as keyof typeof r]])),
    );
    expect([Number(row!.fanout_mean), Number(row!.fanout_p95), Number(row!.fanout_max)]).toEqual([
      r.fanout.mean,
      r.fanout.p95,
      r.fanout.max,
    ]);
    // The as-of join keeps the timed rows not after their parent: s1, s3, s5 and s4 against 2's later snapshot.
    const known = await conn.query(`SELECT sid FROM (${r.pointInTime!.asOfSql}) ORDER BY sid`);
    expect(known.map((k) => k.sid)).toEqual(['s1', 's3', 's4', 's5']);

    const ex = outcome.examples[0]!;
    expect(ex.link).toEqual(accepted[0]);
    expect(ex.duplicateKeys).toEqual([{ id: 2, rows: 2 }]);
    expect(ex.orphanKeys).toEqual([
      { customer_id: 9, rows: 2 },
      { customer_id: 8, rows: 1 },
    ]);
    expect(ex.formatMismatches).toEqual([]);
    expect(ex.afterParentTime).toEqual([
      { customer_id: 2, started: '2024-01-15', snapshot: '2024-01-10' },
      { customer_id: 1, started: '2024-01-11', snapshot: '2024-01-10' },
    ]);
  });

  it('reads fan-out mean, p95 and max over the keys that have children, and a unique parent as 1:n', async () => {
    // Children per key: 1, 1, 2, 4, 7, 10; key 7 has none.
    const fanouts = [1, 1, 2, 4, 7, 10];
    const parent = lines('pid', ...[1, 2, 3, 4, 5, 6, 7].map(String));
    const child = lines('pid', ...fanouts.flatMap((n, i) => Array.from({ length: n }, () => String(i + 1))));
    const tables = [
      await relationTable(conn, 'plans.csv', parent),
      await relationTable(conn, 'usage.csv', child),
    ];
    const outcome = await runRelations(conn, {
      tables,
      accepted: [link('usage.csv', 'pid', 'plans.csv', 'pid')],
    });
    const r = outcome.results[0]!;
    // numpy: mean 25/6; percentile(…, 95) = 9.25 (linear); max 10.
    expect(r.fanout.mean).toBeCloseTo(25 / 6, 12);
    expect(r.fanout.p95).toBeCloseTo(9.25, 12);
    expect(r.fanout.max).toBe(10);
    expect(r.cardinality).toBe('1:n');
    expect(r.childlessParents).toBe(1);
    expect(r.rowsAfterJoin).toBe(25 + 1);
    expect(r.pointInTime).toBeNull();
    expect(r.rowsAfterParentTime).toBeNull();
  });

  it('compares a text key with an integer key as text and finds keys that differ only by leading zeros', async () => {
    const accounts = await relationTable(conn, 'accounts.csv', lines('acct', '123', '45', '7'));
    const orders = await relationTable(conn, 'orders.csv', lines('acct_ref', '00123', '45', 'x9', '45'));
    expect(accounts.columns[0]!.type).toBe('BIGINT');
    expect(orders.columns[0]!.type).toBe('VARCHAR');
    const outcome = await runRelations(conn, {
      tables: [accounts, orders],
      accepted: [link('orders.csv', 'acct_ref', 'accounts.csv', 'acct')],
    });
    const r = outcome.results[0]!;
    expect(r.comparedAsText).toBe(true);
    expect(r).toMatchObject({ childKeys: 3, orphanKeys: 2, orphanRows: 2, cardinality: '1:n' });
    expect(r.formatMismatch).toEqual({ keys: 1, kinds: ['leading-zeros'] });
    expect(outcome.examples[0]!.formatMismatches).toEqual([{ acct_ref: '00123', acct: 123 }]);
  });

  it('finds text keys that differ by case and whitespace, and names a same-named parent column apart', async () => {
    const plans = await relationTable(conn, 'plans.csv', lines('code', 'ab1', 'cd2', 'ef3'));
    const subs = await relationTable(conn, 'subs.csv', lines('code', '"AB1 "', 'cd2', 'zz'));
    const outcome = await runRelations(conn, {
      tables: [plans, subs],
      accepted: [link('subs.csv', 'code', 'plans.csv', 'code')],
    });
    const r = outcome.results[0]!;
    expect(r.comparedAsText).toBe(false);
    expect(r).toMatchObject({ childKeys: 3, orphanKeys: 2, childlessParents: 2, cardinality: '1:1' });
    expect(r.formatMismatch).toEqual({ keys: 1, kinds: ['case', 'whitespace'] });
    expect(outcome.examples[0]!.formatMismatches).toEqual([{ code: 'AB1 ', 'parent code': 'ab1' }]);
  });

  it('compares timestamps at the instant, and at the day when either side is a date', async () => {
    const parent = lines('cid,scored_at', '1,2024-03-01 12:00:00', '2,2024-03-01 12:00:00');
    const child = lines(
      'cid,opened_at,opened_on',
      '1,2024-03-01 11:59:59,2024-03-01', // before; same day
      '1,2024-03-01 12:00:01,2024-03-02', // after by a second; next day
      '2,2024-03-01 23:00:00,2024-03-01', // after the instant; same day
      '2,,2024-02-01', // no timestamp
    );
    const customers = await relationTable(conn, 'scored.csv', parent, { eventTime: 'scored_at' });
    expect(customers.columns[1]!.type).toBe('TIMESTAMP');
    const byInstant = await relationTable(conn, 'tickets.csv', child, { eventTime: 'opened_at' });
    const accepted = [link('tickets.csv', 'cid', 'scored.csv', 'cid')];
    const instant = (await runRelations(conn, { tables: [customers, byInstant], accepted })).results[0]!;
    expect(instant.pointInTime).toMatchObject({
      childTime: 'opened_at',
      timedRows: 3,
      rowsAfterParentTime: 2,
    });

    const byDay = await relationTable(conn, 'tickets.csv', child, { eventTime: 'opened_on' });
    expect(byDay.columns[2]!.type).toBe('DATE');
    const day = (await runRelations(conn, { tables: [customers, byDay], accepted })).results[0]!;
    expect(day.pointInTime).toMatchObject({ childTime: 'opened_on', timedRows: 4, rowsAfterParentTime: 1 });
    expect(day.rowsAfterParentTime).toBe(1);
    const known = await conn.query(`SELECT count(*) AS n FROM (${day.pointInTime!.asOfSql})`);
    expect(Number(known[0]!.n)).toBe(3);

    // Times written as text: a date alone is compared by day, a time of day at the instant; text that is no time is untimed.
    const text = lines('cid,noted', '1,2024-03-01', '1,2024-03-01 13:00:00', '2,unknown', '2,2024-03-02');
    const byText = await relationTable(conn, 'notes.csv', text, { eventTime: 'noted' });
    expect(byText.columns[1]!.type).toBe('VARCHAR');
    const notes = (
      await runRelations(conn, {
        tables: [customers, byText],
        accepted: [link('notes.csv', 'cid', 'scored.csv', 'cid')],
      })
    ).results[0]!;
    expect(notes.pointInTime).toMatchObject({ timedRows: 3, rowsAfterParentTime: 2 });
  });

  it('quotes hostile column names as ordinary names in every statement', async () => {
    const name = 'k"; DROP TABLE x; --';
    const header = `"${name.replaceAll('"', '""')}"`;
    const parent = await relationTable(conn, 'p.csv', lines(header, '1', '1', '2'));
    const child = await relationTable(conn, 'c.csv', lines(`${header},day`, '1,2024-01-01', '3,2024-01-02'));
    expect(child.columns[0]!.name).toBe(name);
    const outcome = await runRelations(conn, {
      tables: [parent, child],
      accepted: [link('c.csv', name, 'p.csv', name)],
    });
    expect(outcome.results[0]).toMatchObject({ orphanKeys: 1, duplicateParentKeys: 1, childlessParents: 1 });
    expect(outcome.examples[0]!.orphanKeys).toEqual([{ [name]: 3, rows: 1 }]);
    expect(outcome.examples[0]!.duplicateKeys).toEqual([{ [name]: 1, rows: 2 }]);
  });

  it('leaves out a relation naming a column that is not loaded', async () => {
    const a = await relationTable(conn, 'a.csv', lines('id', '1'));
    const b = await relationTable(conn, 'b.csv', lines('a_id', '1'));
    const outcome = await runRelations(conn, {
      tables: [a, b],
      accepted: [link('b.csv', 'nope', 'a.csv', 'id')],
    });
    expect(outcome.results).toEqual([]);
  });
});

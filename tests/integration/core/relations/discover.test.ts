import { beforeAll, describe, expect, it } from 'vitest';
import { RelationSuggestionSchema } from '../../../../src/lib/core/model/relations';
import type { RelationTable } from '../../../../src/lib/core/relations/analysis';
import { join } from 'node:path';
import { useEngine, FIXTURES, loadFile } from '../../../support/engine';
import { link, relationTable, runRelations } from './relations-support';

const conn = useEngine();
let customers: RelationTable;
let subscriptions: RelationTable;
let tickets: RelationTable;

const csv = (header: string, rows: readonly string[]): string => `${[header, ...rows].join('\n')}\n`;
const code = (i: number): string => `C${String(i).padStart(4, '0')}`;

beforeAll(async () => {
  // 200 customers: an integer id and a text code, both unique.
  customers = await relationTable(
    conn,
    'customers.csv',
    csv(
      'id,code,region',
      Array.from({ length: 200 }, (_, i) => `${i + 1},${code(i + 1)},${['n', 's'][i % 2]}`),
    ),
  );
  // 500 subscriptions of 190 customers and 10 unknown ones (95 % contained), with a 1–5 rating.
  subscriptions = await relationTable(
    conn,
    'subscriptions.csv',
    csv(
      'sub_id,customer_id,rating',
      Array.from(
        { length: 500 },
        (_, i) => `${i + 1},${(i % 200) + 1 + (i % 200 >= 190 ? 1000 : 0)},${(i % 5) + 1}`,
      ),
    ),
  );
  // Tickets point at the customer code under a name that says nothing: 60 codes, all known.
  tickets = await relationTable(
    conn,
    'tickets.csv',
    csv(
      'ticket,account,severity',
      Array.from({ length: 120 }, (_, i) => `${i + 1},${code((i % 60) + 1)},${(i % 3) + 1}`),
    ),
  );
}, 60_000);

describe('key discovery on the engine', () => {
  it('finds customers.id ← subscriptions.customer_id by name and inclusion, and a name-free text key', async () => {
    const outcome = await runRelations(conn, { tables: [customers, subscriptions, tickets], discover: true });
    const byChild = new Map(outcome.suggestions.map((s) => [`${s.child.dataset}.${s.child.column}`, s]));
    const subs = RelationSuggestionSchema.parse(byChild.get('subscriptions.csv.customer_id'));
    expect(subs).toMatchObject({
      parent: { dataset: 'customers.csv', column: 'id' },
      childKeys: 200,
      nameMatch: true,
      comparedAsText: false,
      parentUniqueness: 1,
    });
    expect(subs.containment).toBeCloseTo(190 / 200, 12);
    expect(subs.reason).toBe(
      '95 % of the 200 distinct customer_id values in subscriptions.csv are id values in customers.csv, a unique key; the names agree.',
    );
    expect(byChild.get('tickets.csv.account')).toMatchObject({
      parent: { dataset: 'customers.csv', column: 'code' },
      containment: 1,
      childKeys: 60,
      nameMatch: false,
    });
    // Nothing else: not the 1–5 rating, the severity or the tickets' own numbers into an integer id.
    expect([...byChild.keys()].sort()).toEqual(['subscriptions.csv.customer_id', 'tickets.csv.account']);
    expect(outcome.results).toEqual([]);
  });

  it('does not read a 1–5 rating as a key into an integer id even when every value is contained', async () => {
    const outcome = await runRelations(conn, { tables: [customers, subscriptions], discover: true });
    expect(outcome.suggestions.some((s) => s.child.column === 'rating')).toBe(false);
    expect(outcome.suggestions.map((s) => s.child.column)).toEqual(['customer_id']);
  });

  it('does not pair two extracts with the same columns (a drift reference and current)', async () => {
    const rows = Array.from({ length: 100 }, (_, i) => `${code(i + 1)},${i % 7}`);
    const reference = await relationTable(conn, 'reference.csv', csv('account,x', rows));
    const current = await relationTable(conn, 'current.csv', csv('account,x', rows.slice(0, 80)));
    const outcome = await runRelations(conn, { tables: [reference, current], discover: true });
    expect(outcome.suggestions).toEqual([]);
    // The same current table beside a differently shaped parent is still read.
    const parent = await relationTable(
      conn,
      'accounts.csv',
      csv(
        'account,opened',
        Array.from({ length: 100 }, (_, i) => `${code(i + 1)},2024-01-01`),
      ),
    );
    const paired = await runRelations(conn, { tables: [parent, current], discover: true });
    expect(paired.suggestions.map((s) => [s.child.dataset, s.parent.dataset])).toEqual([
      ['current.csv', 'accounts.csv'],
    ]);
  });

  it('does not suggest a dismissed link, nor one already accepted (which it measures instead)', async () => {
    const subsLink = link('subscriptions.csv', 'customer_id', 'customers.csv', 'id');
    const tables = [customers, subscriptions, tickets];
    const dismissed = await runRelations(conn, { tables, discover: true, dismissed: [subsLink] });
    expect(dismissed.suggestions.map((s) => s.child.column)).toEqual(['account']);
    const accepted = await runRelations(conn, { tables, discover: true, accepted: [subsLink] });
    expect(accepted.suggestions.map((s) => s.child.column)).toEqual(['account']);
    expect(accepted.results).toHaveLength(1);
    expect(accepted.results[0]).toMatchObject({ orphanKeys: 10, childKeys: 200, parentKeys: 200 });
  });

  it('makes no suggestion with discovery off', async () => {
    const outcome = await runRelations(conn, { tables: [customers, subscriptions], discover: false });
    expect(outcome.suggestions).toEqual([]);
  });
});

describe('key discovery on a real related dataset', () => {
  it('suggests the PBC trial’s visits → patients by their shared id, which repeats in the visits', async () => {
    const load = async (file: string): Promise<RelationTable> => {
      const loaded = await loadFile(conn, join(FIXTURES, 'relations', file));
      return {
        datasetId: file,
        label: file,
        tableName: loaded.tableName,
        columns: loaded.columns.map((c) => ({ name: c.name, type: c.type })),
        rows: loaded.rowCount,
        roles: { segments: [], excluded: [] },
      };
    };
    const outcome = await runRelations(conn, {
      tables: [await load('pbc.csv'), await load('pbcseq.csv')],
      discover: true,
    });
    expect(
      outcome.suggestions.map((s) => [
        s.child.dataset,
        s.child.column,
        s.parent.dataset,
        s.parent.column,
        s.containment,
      ]),
    ).toEqual([['pbcseq.csv', 'id', 'pbc.csv', 'id', 1]]);
  });
});

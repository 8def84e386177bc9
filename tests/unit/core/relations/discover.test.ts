import { describe, expect, it } from 'vitest';
import type { ColumnProfile } from '../../../../src/lib/core/model/audit';
import {
  candidatePairs,
  discoveryColumns,
  keyCandidates,
  namesMatch,
  singular,
  suggestionsFrom,
  tableStem,
  type DiscoveryColumn,
  type MeasuredPair,
} from '../../../../src/lib/core/relations/discover';
import type { RelationTable, RelationsInput } from '../../../../src/lib/core/relations/types';

function table(
  label: string,
  columns: [string, string][],
  profile?: Record<string, [number, number]>,
): RelationTable {
  const profiles = Object.entries(profile ?? {}).map(
    ([name, [count, distinct]]) =>
      ({
        name,
        type: columns.find(([c]) => c === name)![1],
        family: 'numeric',
        count,
        distinct: { value: distinct, approximate: false },
      }) as ColumnProfile,
  );
  return {
    datasetId: label,
    label,
    tableName: `t_${label}`,
    columns: columns.map(([name, type]) => ({ name, type })),
    rows: 100,
    roles: { segments: [], excluded: [] },
    ...(profile
      ? { profile: { columns: profiles } as unknown as NonNullable<RelationTable['profile']> }
      : {}),
  };
}

const input = (tables: RelationTable[], extra: Partial<RelationsInput> = {}): RelationsInput => ({
  tables,
  accepted: [],
  dismissed: [],
  discover: true,
  ...extra,
});

describe('names that point at a key', () => {
  it('matches customer_id to customers.id, customers_id to customers.id, and the same specific name', () => {
    expect(namesMatch('customer_id', 'customers.csv', 'id')).toBe(true);
    expect(namesMatch('Customer ID', 'exports/customers.csv', 'id')).toBe(true);
    expect(namesMatch('customers_id', 'customers.csv', 'id')).toBe(true);
    expect(namesMatch('category_id', 'categories.csv', 'id')).toBe(true);
    expect(namesMatch('customer_id', 'customers.csv', 'CustomerID')).toBe(true);
  });

  it('does not match a generic id to another table’s id, nor unrelated names', () => {
    expect(namesMatch('id', 'customers.csv', 'id')).toBe(false);
    // …unless the child's id repeats: then it points at the parent's (pbcseq.id → pbc.id).
    expect(namesMatch('id', 'pbc.csv', 'id', false)).toBe(true);
    expect(namesMatch('rating', 'customers.csv', 'id')).toBe(false);
    expect(namesMatch('order_id', 'customers.csv', 'id')).toBe(false);
  });

  it('reads a table stem and a singular from file names', () => {
    expect(tableStem('data/customers.csv')).toBe('customers');
    expect(tableStem('customers.csv (2)')).toBe('customers');
    expect(tableStem('visits.csv.gz')).toBe('visits');
    expect(singular('customers')).toBe('customer');
    expect(singular('categories')).toBe('category');
    expect(singular('boxes')).toBe('box');
    expect(singular('status')).toBe('status');
    expect(singular('address')).toBe('address');
  });
});

describe('candidate keys and pairs', () => {
  it('skips float, boolean, time, target and excluded columns', () => {
    const t = table('a.csv', [
      ['id', 'BIGINT'],
      ['score', 'DOUBLE'],
      ['flag', 'BOOLEAN'],
      ['day', 'DATE'],
      ['y', 'VARCHAR'],
      ['note', 'VARCHAR'],
      ['code', 'VARCHAR'],
    ]);
    t.roles = { ...t.roles, target: 'y', excluded: ['note'] };
    expect(discoveryColumns(t).map((c) => c.column)).toEqual(['id', 'code']);
  });

  it('measures only columns the profile does not rule out as keys', () => {
    const t = table(
      'a.csv',
      [
        ['id', 'BIGINT'],
        ['group', 'BIGINT'],
        ['code', 'VARCHAR'],
      ],
      { id: [100, 100], group: [100, 50] },
    );
    // No profile for `code`: measured in SQL.
    expect(keyCandidates(input([t])).map((c) => c.column)).toEqual(['id', 'code']);
  });

  it('ranks agreeing names first and never tests a name-free pair into an integer key', () => {
    const customers = table('customers.csv', [
      ['id', 'BIGINT'],
      ['code', 'VARCHAR'],
    ]);
    const orders = table('orders.csv', [
      ['rating', 'BIGINT'],
      ['ref', 'VARCHAR'],
      ['customer_id', 'BIGINT'],
    ]);
    const [id, code] = discoveryColumns(customers) as [DiscoveryColumn, DiscoveryColumn];
    const keys = new Map([
      [id, { nonNull: 100, distinct: 100 }],
      [code, { nonNull: 100, distinct: 100 }],
    ]);
    const pairs = candidatePairs(input([customers, orders]), keys);
    expect(pairs.map((p) => `${p.child.column}>${p.parent.column}:${p.nameMatch}`)).toEqual([
      'customer_id>id:true',
      'rating>code:false',
      'ref>code:false',
      'customer_id>code:false',
    ]);
    expect(pairs.find((p) => p.child.column === 'rating')!.comparedAsText).toBe(true);
    // A dismissed link, or an accepted one in either direction, is not tested again.
    const link = {
      child: { dataset: 'orders.csv', column: 'customer_id' },
      parent: { dataset: 'customers.csv', column: 'id' },
    };
    const reversed = { child: link.parent, parent: link.child };
    for (const decided of [{ dismissed: [link] }, { accepted: [reversed] }])
      expect(candidatePairs(input([customers, orders], decided), keys).some((p) => p.nameMatch)).toBe(false);
    // A key below the uniqueness threshold in SQL is dropped.
    const loose = new Map([[id, { nonNull: 100, distinct: 90 }]]);
    expect(candidatePairs(input([customers, orders]), loose)).toEqual([]);
  });
});

describe('the suggestion rule', () => {
  const customers = table('customers.csv', [
    ['id', 'BIGINT'],
    ['code', 'VARCHAR'],
  ]);
  const orders = table('orders.csv', [
    ['customer_id', 'BIGINT'],
    ['ref', 'VARCHAR'],
  ]);
  const col = (t: RelationTable, name: string): DiscoveryColumn =>
    discoveryColumns(t).find((c) => c.column === name)!;
  const pair = (
    child: string,
    parent: string,
    childKeys: number,
    contained: number,
    nameMatch: boolean,
  ): MeasuredPair => ({
    child: col(orders, child),
    parent: col(customers, parent),
    nameMatch,
    comparedAsText: false,
    parentUniqueness: 1,
    childKeys,
    contained,
  });

  it('suggests a named pair from 90 % containment, a name-free one from 98 % of at least 50 keys into a text key', () => {
    expect(suggestionsFrom([pair('customer_id', 'id', 100, 90, true)])).toHaveLength(1);
    expect(suggestionsFrom([pair('customer_id', 'id', 100, 89, true)])).toEqual([]);
    expect(suggestionsFrom([pair('ref', 'code', 50, 49, false)])).toHaveLength(1);
    expect(suggestionsFrom([pair('ref', 'code', 49, 49, false)])).toEqual([]);
    expect(suggestionsFrom([pair('ref', 'code', 100, 97, false)])).toEqual([]);
    expect(suggestionsFrom([pair('ref', 'id', 100, 100, false)])).toEqual([]);
  });

  it('keeps one suggestion per child column: the best containment, then agreeing names', () => {
    const best = suggestionsFrom([pair('ref', 'code', 100, 99, false), pair('ref', 'id', 100, 99, true)]);
    expect(best.map((s) => s.parent.column)).toEqual(['id']);
    const higher = suggestionsFrom([pair('ref', 'id', 100, 95, true), pair('ref', 'code', 100, 100, false)]);
    expect(higher.map((s) => [s.parent.column, s.containment])).toEqual([['code', 1]]);
  });
});

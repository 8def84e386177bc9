import { describe, expect, it } from 'vitest';
import { joinPaths, reachesLabel } from '../../../../src/lib/core/relations/paths';
import { link } from './results';

const subs = link('subs', 'customer_id', 'cust', 'id');
const tickets = link('tickets', 'customer_id', 'cust', 'id');
const invoices = link('invoices', 'subscription_id', 'subs', 'id');

describe('join paths to the label’s table', () => {
  it('lead a child to its parent, and the label’s table to itself', () => {
    expect(joinPaths(['cust', 'subs'], 'cust', [subs])).toEqual([
      { dataset: 'cust', path: ['cust'] },
      { dataset: 'subs', path: ['subs', 'cust'] },
    ]);
  });

  it('walk relations both ways: a sibling reaches a label held in a child through the shared parent', () => {
    const paths = joinPaths(['cust', 'subs', 'tickets', 'invoices'], 'subs', [subs, tickets, invoices]);
    expect(paths).toEqual([
      { dataset: 'cust', path: ['cust', 'subs'] },
      { dataset: 'subs', path: ['subs'] },
      { dataset: 'tickets', path: ['tickets', 'cust', 'subs'] },
      { dataset: 'invoices', path: ['invoices', 'subs'] },
    ]);
  });

  it('take the shortest chain', () => {
    const shortcut = link('invoices', 'customer_id', 'cust', 'id');
    const paths = joinPaths(['cust', 'subs', 'invoices'], 'cust', [invoices, subs, shortcut]);
    expect(paths.find((p) => p.dataset === 'invoices')?.path).toEqual(['invoices', 'cust']);
  });

  it('leave a table with no relation to the label’s table with an empty path', () => {
    const paths = joinPaths(['cust', 'subs', 'weather'], 'cust', [subs]);
    expect(paths.find((p) => p.dataset === 'weather')?.path).toEqual([]);
    expect(reachesLabel(paths, 'weather')).toBe(false);
    expect(reachesLabel(paths, 'subs')).toBe(true);
  });

  it('ignore relations to datasets that do not take part, and self-relations', () => {
    const ghost = link('subs', 'x', 'gone', 'id');
    const self = link('cust', 'referrer_id', 'cust', 'id');
    const paths = joinPaths(['cust', 'subs'], 'cust', [ghost, self]);
    expect(paths).toEqual([
      { dataset: 'cust', path: ['cust'] },
      { dataset: 'subs', path: [] },
    ]);
  });

  it('are none without a label’s table among the datasets', () => {
    expect(joinPaths(['cust', 'subs'], undefined, [subs])).toEqual([]);
    expect(joinPaths(['cust', 'subs'], 'other', [subs])).toEqual([]);
  });
});

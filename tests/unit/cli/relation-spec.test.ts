import { describe, expect, it } from 'vitest';
import { UsageError } from '../../../src/lib/cli/flags';
import {
  parseRelationSpec,
  relationSpecReadings,
  resolveRelationSpec,
  type RelationFile,
} from '../../../src/lib/cli/relations';

const FILES: RelationFile[] = [
  {
    id: 'c',
    path: 'data/customers.csv',
    fileName: 'customers.csv',
    label: 'customers.csv',
    columns: ['id', 'a:b'],
  },
  {
    id: 's',
    path: 'data/subscriptions.csv',
    fileName: 'subscriptions.csv',
    label: 'subscriptions.csv',
    columns: ['customer_id', 'x=y', 'start'],
  },
  {
    id: 'c2',
    path: 'old/customers.csv',
    fileName: 'customers.csv',
    label: 'customers.csv (2)',
    columns: ['id'],
  },
  { id: 'w', path: 'C:\\x\\t.csv', fileName: 't.csv', label: 't.csv', columns: ['k'] },
];

function usage(spec: string): string {
  try {
    resolveRelationSpec(spec, FILES);
  } catch (error) {
    expect(error).toBeInstanceOf(UsageError);
    return (error as Error).message;
  }
  throw new Error(`${spec} resolved`);
}

describe('--relation specs', () => {
  it('reads at the last = and each side’s last :', () => {
    expect(parseRelationSpec('C:\\x\\t.csv:k=p.csv:id')).toEqual({
      child: { file: 'C:\\x\\t.csv', column: 'k' },
      parent: { file: 'p.csv', column: 'id' },
    });
    const readings = relationSpecReadings('a:b=c:d=e:f');
    // Two places for '=', each side then split at any of its ':'.
    expect(readings).toHaveLength(4);
    expect(readings[0]).toEqual({
      child: { file: 'a:b=c', column: 'd' },
      parent: { file: 'e', column: 'f' },
    });
  });

  it('says the expected form when a spec is malformed', () => {
    for (const spec of ['customers.csv', 'a.csv:id', 'a.csv=b.csv', ':id=b.csv:id', 'a.csv:=b.csv:id'])
      expect(usage(spec)).toContain('child.csv:column=parent.csv:column');
  });

  it('matches a file by its path as given, its file name or its label', () => {
    const link = resolveRelationSpec('subscriptions.csv:customer_id=data/customers.csv:id', FILES);
    expect(link).toEqual({
      child: { dataset: 's', column: 'customer_id' },
      parent: { dataset: 'c', column: 'id' },
    });
    expect(
      resolveRelationSpec('subscriptions.csv:customer_id=customers.csv (2):id', FILES).parent.dataset,
    ).toBe('c2');
    expect(resolveRelationSpec('C:\\x\\t.csv:k=old/customers.csv:id', FILES).child.dataset).toBe('w');
  });

  it('finds columns holding : or = among the loaded columns', () => {
    const link = resolveRelationSpec('subscriptions.csv:x=y=data/customers.csv:a:b', FILES);
    expect(link).toEqual({ child: { dataset: 's', column: 'x=y' }, parent: { dataset: 'c', column: 'a:b' } });
  });

  it('lists the file’s columns when a column is missing', () => {
    const message = usage('subscriptions.csv:cust=data/customers.csv:id');
    expect(message).toContain('has no column “cust”');
    expect(message).toContain('“customer_id”, “x=y”, “start”');
  });

  it('lists the loaded files when a file is unknown, and the paths when a name is ambiguous', () => {
    expect(usage('tickets.csv:customer_id=data/customers.csv:id')).toContain(
      'Loaded: “data/customers.csv”, “data/subscriptions.csv”, “old/customers.csv”',
    );
    expect(usage('subscriptions.csv:customer_id=customers.csv:id')).toContain(
      '“data/customers.csv”, “old/customers.csv”',
    );
  });
});

import { describe, expect, it } from 'vitest';
import type { AuditDocument, DatasetRef } from '../../../../src/lib/core/model/audit';
import { datasetLabels } from '../../../../src/lib/core/relations/labels';

const ref = (id: string, fileName: string) => ({ id, fileName }) as DatasetRef;
const audit = (...datasets: DatasetRef[]) => ({ datasets }) as Pick<AuditDocument, 'datasets'>;

describe('dataset labels', () => {
  it('name each dataset by its file name', () => {
    expect(datasetLabels(audit(ref('a1', 'customers.csv'), ref('b2', 'tickets.csv')))).toEqual({
      a1: 'customers.csv',
      b2: 'tickets.csv',
    });
  });

  it('number files with the same name in load order', () => {
    const labels = datasetLabels(
      audit(
        ref('x', 'customers.csv'),
        ref('y', 'tickets.csv'),
        ref('z', 'customers.csv'),
        ref('w', 'customers.csv'),
      ),
    );
    expect(labels).toEqual({
      x: 'customers.csv',
      y: 'tickets.csv',
      z: 'customers.csv (2)',
      w: 'customers.csv (3)',
    });
  });

  it('never give two datasets one label, even when a file is literally called “name (2)”', () => {
    const labels = datasetLabels(
      audit(ref('a', 'c.csv (2)'), ref('b', 'c.csv'), ref('c', 'c.csv'), ref('d', 'c.csv (2)')),
    );
    expect(labels.a).toBe('c.csv (2)');
    expect(labels.b).toBe('c.csv');
    expect(labels.c).toBe('c.csv (3)');
    expect(new Set(Object.values(labels)).size).toBe(4);
  });
});

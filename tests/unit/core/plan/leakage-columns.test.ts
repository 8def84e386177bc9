import { describe, it, expect } from 'vitest';
import { leakageColumns } from '../../../../src/lib/core/plan/compute';
import type { Finding } from '../../../../src/lib/core/model/audit';

function finding(check: string, severity: Finding['severity'], columns: string[]): Finding {
  return {
    id: `${check}:d:${columns.join(',')}`,
    check,
    area: 'leakage',
    severity,
    title: check,
    datasetId: 'd',
    columns,
    evidence: {},
    sql: 'SELECT 1',
    recommendation: 'x',
  };
}

describe('columns kept out of the rule search', () => {
  it('takes the columns of feature leakage findings, not the target', () => {
    const out = leakageColumns(
      [finding('leakage-single-feature', 'blocker', ['reason', 'churned'])],
      'churned',
    );
    expect([...out]).toEqual(['reason']);
  });

  it('ignores split duplicates, which name every column of the duplicated rows', () => {
    const out = leakageColumns(
      [
        finding('leakage-split-duplicates', 'major', ['plan', 'region', 'monthly_fee']),
        finding('leakage-id-like', 'major', ['ticket_no']),
      ],
      'churned',
    );
    expect([...out]).toEqual(['ticket_no']);
  });

  it('ignores info findings, which report that nothing leaked', () => {
    expect(leakageColumns([finding('leakage-single-feature', 'info', ['tenure'])]).size).toBe(0);
  });
});

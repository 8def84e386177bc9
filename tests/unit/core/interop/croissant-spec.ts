import type { CheckSpec, SpecFinding } from '../../../../src/lib/core/interop/spec';
import { handSpec } from './odcs-spec';

function finding(
  over: Partial<SpecFinding> & Pick<SpecFinding, 'id' | 'check' | 'area' | 'title'>,
): SpecFinding {
  return { severity: 'major', object: 'customers', columns: [], recommendation: 'Fix it.', ...over };
}

/** The hand-made spec with open findings of every kind: biases, limitations, and a project finding (neither). */
export function specWithFindings(): CheckSpec {
  return {
    ...handSpec(),
    findings: [
      finding({
        id: 'f1',
        check: 'coverage-segments',
        area: 'coverage',
        title: 'Region North has 3 rows',
        columns: ['plan'],
      }),
      finding({
        id: 'f2',
        check: 'labels-by-source',
        area: 'labels',
        title: 'Churn rate differs by source',
        severity: 'blocker',
      }),
      finding({
        id: 'f3',
        check: 'quality-sentinels',
        area: 'quality',
        title: 'Placeholder dates in signup_date',
        columns: ['signup_date'],
        severity: 'minor',
      }),
      finding({ id: 'f4', check: 'team-gap', area: 'team', title: 'No data engineer on the team' }),
      finding({ id: 'f5', check: 'drift-history', area: 'drift', title: 'monthly_fee drifted in 2026' }),
      // Neither a bias nor a limitation: a description of the data, and personal data (its own property).
      finding({ id: 'f6', check: 'volume-rows', area: 'volume', title: '12,000 rows', severity: 'info' }),
      finding({ id: 'f7', check: 'privacy-pii', area: 'privacy', title: 'email contains personal data' }),
      finding({
        id: 'f8',
        check: 'labels-conflicting',
        area: 'labels',
        title: 'Identical rows carry conflicting labels',
        columns: ['a', 'b', 'c', 'd', 'e'],
      }),
    ],
  };
}

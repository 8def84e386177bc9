import { describe, expect, it } from 'vitest';
import { join } from 'node:path';
import { useEngine, loadBytes, loadFile, VEGA } from '../../../support/engine';
import { suggestRolesFor } from '../../../../src/lib/session/readiness';
import { generateChurnDataset } from '../../../../scripts/lib/synthetic';
import { suggestRoles } from '../../../../src/lib/core/readiness/roles';
import {
  CHECK_IDS,
  READINESS_CHECKS,
  changedDependencies,
  checksToRerun,
} from '../../../../src/lib/core/readiness/registry';
import { READINESS_THRESHOLDS, THRESHOLD_SOURCES } from '../../../../src/lib/core/thresholds';
import type { ColumnRoles, ProjectContext } from '../../../../src/lib/core/model/audit';

const conn = useEngine();

describe('suggestRoles', () => {
  it('suggests the churn demo roles, each with a reason', async () => {
    const loaded = await loadBytes(conn, 'churn.csv', generateChurnDataset({ rows: 2000 }).csv);
    const { roles, suggestions } = await suggestRolesFor(conn, {
      tableName: loaded.tableName,
      columns: loaded.columns,
    });
    expect(roles.target).toBe('churned');
    expect(roles.id).toBe('customer_id');
    expect(roles.eventTime).toBe('snapshot_date');
    expect(roles.outcomeTime).toBe('churn_date');
    expect(roles.source).toBe('source_system');
    expect(roles.excluded).toEqual(expect.arrayContaining(['email', 'phone', 'card_number']));
    for (const s of suggestions) expect(s.reason.length).toBeGreaterThan(10);
    expect(suggestions.find((s) => s.role === 'id' && s.column === 'customer_id')?.reason).toMatch(
      /distinct/,
    );
    expect(suggestions.find((s) => s.role === 'target' && s.column === 'churned')?.reason).toMatch(
      /low cardinality/,
    );
  });

  it('suggests the date column of seattle-weather as event time and no target without a label-like name', async () => {
    const loaded = await loadFile(conn, join(VEGA, 'seattle-weather.csv'));
    const { roles } = await suggestRolesFor(conn, { tableName: loaded.tableName, columns: loaded.columns });
    expect(roles.eventTime).toBe('date');
    expect(roles.target).toBeUndefined();
  });

  it('does not call a unique float measurement an ID, and excludes empty and constant columns', () => {
    const { roles, suggestions } = suggestRoles(
      [
        { name: 'amount', type: 'DOUBLE' },
        { name: 'empty', type: 'VARCHAR' },
        { name: 'constant', type: 'VARCHAR' },
        { name: 'is_fraud', type: 'BOOLEAN' },
      ],
      {
        rows: 100,
        columns: {
          amount: { nonNull: 100, distinct: 100 },
          empty: { nonNull: 0, distinct: 0 },
          constant: { nonNull: 100, distinct: 1 },
          is_fraud: { nonNull: 100, distinct: 2 },
        },
      },
    );
    expect(roles.id).toBeUndefined();
    expect(roles.target).toBe('is_fraud');
    expect(roles.excluded).toEqual(expect.arrayContaining(['empty', 'constant']));
    expect(suggestions.every((s) => s.score >= 0 && s.score <= 1)).toBe(true);
  });
});

describe('check registry', () => {
  const roles: ColumnRoles = {
    target: 'y',
    id: 'id',
    eventTime: 't',
    source: 's',
    segments: [],
    excluded: [],
  };
  const context: ProjectContext = {
    decision: '',
    task: 'binary',
    targetDefinition: '',
    positiveClass: '',
    predictionPoint: '',
    asOf: '2026-11-25',
  };

  it('has unique kebab-case ids, one per check', () => {
    expect(new Set(CHECK_IDS).size).toBe(CHECK_IDS.length);
    for (const id of CHECK_IDS) expect(id).toMatch(/^[a-z0-9]+(-[a-z0-9]+)*$/);
  });

  it('re-runs only the checks that depend on the as-of date when it changes', () => {
    const rerun = checksToRerun({ roles, context }, { roles, context: { ...context, asOf: '2026-12-01' } });
    expect(rerun).toEqual(expect.arrayContaining(['time-future', 'coverage-recency', 'coverage-gaps']));
    expect(rerun).not.toContain('labels-conflicting');
    expect(rerun).not.toContain('consistency-scale');
    expect(rerun).not.toContain('volume-rows');
    for (const id of rerun) expect(READINESS_CHECKS.find((c) => c.id === id)?.dependsOn).toContain('asOf');
  });

  it('re-runs source checks, and not the time checks, when the source role changes', () => {
    const rerun = checksToRerun({ roles, context }, { roles: { ...roles, source: 'other' }, context });
    expect(
      changedDependencies({ roles, context }, { roles: { ...roles, source: 'other' }, context }),
    ).toEqual(['source']);
    expect(rerun).toEqual(
      expect.arrayContaining(['labels-by-source', 'consistency-scale', 'consistency-vocabulary']),
    );
    expect(rerun).not.toContain('time-future');
    expect(rerun).not.toContain('labels-missing');
  });

  it('re-runs nothing when nothing changed, and the segment checks when segments are reordered only if the set changed', () => {
    expect(checksToRerun({ roles, context }, { roles, context })).toEqual([]);
    const a = { ...roles, segments: ['x', 'y'] };
    expect(checksToRerun({ roles: a, context }, { roles: { ...a, segments: ['y', 'x'] }, context })).toEqual(
      [],
    );
    expect(checksToRerun({ roles: a, context }, { roles: { ...a, segments: ['x'] }, context })).toContain(
      'coverage-segments',
    );
  });

  it('documents a source for every threshold', () => {
    for (const key of Object.keys(READINESS_THRESHOLDS))
      expect(THRESHOLD_SOURCES[key as keyof typeof THRESHOLD_SOURCES]).toBeTruthy();
  });
});

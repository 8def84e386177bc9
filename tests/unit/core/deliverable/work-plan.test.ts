import { describe, it, expect } from 'vitest';
import type { Finding, Severity } from '../../../../src/lib/core/model/audit';
import { buildWorkPlan, defaultWorkItem, effortDays } from '../../../../src/lib/core/deliverable/work-plan';
import { EFFORT_DAYS } from '../../../../src/lib/core/deliverable/defaults';
import { DeliverableSchema } from '../../../../src/lib/core/model/deliverable';

function f(check: string, area: Finding['area'], severity: Severity, key = 'x'): Finding {
  return {
    id: `${check}:d:${key}`,
    check,
    area,
    severity,
    title: `${check} ${key}`,
    datasetId: 'd',
    columns: [],
    evidence: {},
    sql: '',
    recommendation: `Fix ${check}.`,
  };
}

describe('finding → work item', () => {
  it('maps source-born defects upstream, pipeline-fixable ones to the pipeline, thin data to collection', () => {
    expect(defaultWorkItem(f('consistency-scale', 'consistency', 'major'))).toMatchObject({
      fix: 'upstream',
      ownerRole: 'source-owner',
      effort: 'M',
    });
    expect(defaultWorkItem(f('quality-duplicates', 'quality', 'minor'))).toMatchObject({
      fix: 'pipeline',
      ownerRole: 'data-engineering',
      effort: 'S',
    });
    expect(defaultWorkItem(f('leakage-single-feature', 'leakage', 'blocker'))).toMatchObject({
      fix: 'pipeline',
      ownerRole: 'ml-engineering',
      effort: 'M',
    });
    expect(defaultWorkItem(f('coverage-recency', 'coverage', 'blocker'))).toMatchObject({
      fix: 'collect-more-data',
      effort: 'L',
    });
    expect(defaultWorkItem(f('team-gap', 'team', 'major'))).toMatchObject({
      fix: 'staffing',
      ownerRole: 'project-lead',
    });
  });

  it('gives info findings no work item and keeps the recommendation as the item notes', () => {
    expect(defaultWorkItem(f('volume-rows', 'volume', 'info'))).toBeNull();
    expect(defaultWorkItem(f('labels-variants', 'labels', 'major'))?.notes).toBe('Fix labels-variants.');
  });

  it('puts waived findings aside with their reason instead of a work item', () => {
    const blocker = f('leakage-single-feature', 'leakage', 'blocker');
    const major = f('labels-conflicting', 'labels', 'major');
    const plan = buildWorkPlan(
      [major, blocker],
      [{ findingId: blocker.id, reason: 'column dropped by the client', at: '2026-11-01' }],
    );
    expect(plan.items.map((i) => i.id)).toEqual([major.id]);
    expect(plan.waived).toEqual([
      {
        findingId: blocker.id,
        title: blocker.title,
        severity: 'blocker',
        reason: 'column dropped by the client',
      },
    ]);
  });

  it('applies the consultant’s edits, marks them, and appends hand-made items after the generated ones', () => {
    const major = f('labels-conflicting', 'labels', 'major');
    const minor = f('quality-sentinels', 'quality', 'minor');
    const stored = DeliverableSchema.parse({
      workPlan: {
        edits: [{ findingId: major.id, effort: 'S', ownerRole: 'data-engineering' }],
        manual: [
          {
            id: 'm1',
            title: 'Get read access to the billing replica',
            fix: 'upstream',
            ownerRole: 'source-owner',
            effort: 'M',
          },
        ],
        dataEngineers: 2,
      },
    });
    const plan = buildWorkPlan([minor, major], [], stored.workPlan);
    expect(plan.items.map((i) => [i.id, i.effort, i.ownerRole, i.edited, i.origin])).toEqual([
      [major.id, 'S', 'data-engineering', true, 'finding'],
      [minor.id, 'S', 'data-engineering', false, 'finding'],
      ['m1', 'M', 'source-owner', false, 'manual'],
    ]);
    // S + S + M person-days, split over two engineers at five days a week.
    const days = {
      min: 2 * EFFORT_DAYS.S.min + EFFORT_DAYS.M.min,
      max: 2 * EFFORT_DAYS.S.max + EFFORT_DAYS.M.max,
    };
    expect(plan.effortDays).toEqual(days);
    expect(plan.weeks).toEqual({ min: days.min / 10, max: days.max / 10 });
  });

  it('sums effort bands in person-days', () => {
    expect(effortDays([{ effort: 'XL' }, { effort: 'L' }])).toEqual({
      min: EFFORT_DAYS.XL.min + EFFORT_DAYS.L.min,
      max: EFFORT_DAYS.XL.max + EFFORT_DAYS.L.max,
    });
    expect(effortDays([])).toEqual({ min: 0, max: 0 });
  });
});

import { describe, expect, it } from 'vitest';
import { newAudit } from '../../../../src/lib/core/model/document';
import { setRoles } from '../../../../src/lib/core/audit/edits';
import { exampleChurnPlan } from '../../../../src/lib/core/plan/summary';
import {
  formFromPlan,
  initialPlanForm,
  planFromForm,
  planPreview,
} from '../../../../src/lib/ui/plan/plan-view-model';
import { results } from '../../core/plan/plan-fixtures';

function audit() {
  const a = newAudit('t', 'id-1');
  const withData = {
    ...a,
    datasets: [
      {
        id: 'ds',
        fileName: 'f.csv',
        format: 'csv' as const,
        sizeBytes: 1,
        lastModified: 0,
        rowCount: 1,
        columns: [],
        fingerprint: 'x',
        loadedAt: '2026-01-01T00:00:00Z',
        warnings: [],
      },
    ],
  };
  return setRoles(withData, 'ds', { target: 'y', eventTime: 't', segments: [], excluded: [] });
}

describe('plan editor view model', () => {
  it('pre-fills a time-based split when there is an event time, and recall for a binary task', () => {
    const form = initialPlanForm(audit());
    expect(form.design).toBe('time');
    expect(form.primaryMetric).toBe('recall');
    expect(form.holdoutShare).toBe(0.2);
  });

  it('turns the form back into the same plan, empty numbers left out', () => {
    const example = exampleChurnPlan();
    const back = planFromForm(formFromPlan(example));
    expect(back.ok && back.plan).toEqual(example);
    const form = { ...formFromPlan(example), falseNegative: null, minRecall: null };
    const plan = planFromForm(form);
    expect(plan.ok && plan.plan.costs.falseNegative).toBeUndefined();
    expect(plan.ok && plan.plan.targets.minRecall).toBeUndefined();
  });

  it('reports an impossible target instead of a plan', () => {
    const bad = planFromForm({ ...formFromPlan(exampleChurnPlan()), minPrecision: 1.5 });
    expect(bad.ok).toBe(false);
  });

  it('previews figures, summary, rules, charts and findings without SQL, updating with the targets', () => {
    const a = { ...audit(), plan: { results: results() } };
    const form = formFromPlan(exampleChurnPlan());
    const first = planPreview(a, (planFromForm(form) as { plan: ReturnType<typeof exampleChurnPlan> }).plan)!;
    const stricter = planPreview(
      a,
      (planFromForm({ ...form, minRecall: 0.9 }) as { plan: ReturnType<typeof exampleChurnPlan> }).plan,
    )!;
    expect(stricter.evaluation.operatingPoint!.flaggedShare).toBeGreaterThan(
      first.evaluation.operatingPoint!.flaggedShare,
    );
    expect(first.summary).toContain('retention team');
    expect(first.rules[0]!.label).toMatch(/^score/);
    expect(first.charts.length).toBe(3);
    expect(planPreview({ ...a, plan: {} }, undefined)).toBeUndefined();
  });
});

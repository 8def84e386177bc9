import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ROOT } from '../../../support/paths';
import { parsePlan, planNeedsRecompute } from '../../../../src/lib/core/plan/document';
import { metricPlanJsonSchema } from '../../../../src/lib/core/model/plan';
import { exampleChurnPlan } from '../../../../src/lib/core/plan/summary';
import { plan, results } from './plan-fixtures';

describe('plan in the document', () => {
  it('keeps the committed plan JSON Schema in sync with the zod schema (run `npm run schema`)', () => {
    const committed = JSON.parse(
      readFileSync(join(ROOT, 'schema/metric-plan.schema.json'), 'utf8'),
    ) as unknown;
    expect(committed).toEqual(JSON.parse(JSON.stringify(metricPlanJsonSchema())));
  });

  it('reads a plan file, with defaults, and refuses a bad one with the path of the problem', () => {
    const ok = parsePlan({
      primaryMetric: 'recall',
      validation: { design: 'time' },
      targets: { minRecall: 0.7 },
    });
    expect(ok.ok && ok.plan.validation.holdoutShare).toBe(0.2);
    expect(ok.ok && ok.plan.targets.requiredLift).toBe(0);
    const bad = parsePlan({
      primaryMetric: 'recall',
      validation: { design: 'time' },
      targets: { minRecall: 1.7 },
    });
    expect(bad.ok).toBe(false);
    expect(!bad.ok && bad.message).toContain('targets.minRecall');
    const long = parsePlan({
      primaryMetric: 'recall',
      validation: { design: 'time' },
      notes: 'x'.repeat(5000),
    });
    expect(long.ok).toBe(false);
    const unknownMetric = parsePlan({ primaryMetric: 'auc-roc', validation: { design: 'time' } });
    expect(unknownMetric.ok).toBe(false);
  });

  it('round-trips the example plan through JSON', () => {
    const example = exampleChurnPlan();
    const again = parsePlan(JSON.parse(JSON.stringify(example)));
    expect(again.ok && again.plan).toEqual(example);
  });

  it('recomputes only when the split or the value column changes', () => {
    const r = results();
    const p = plan();
    expect(planNeedsRecompute(r, p, { ...p, targets: { ...p.targets, minRecall: 0.9 } })).toBe(false);
    expect(planNeedsRecompute(r, p, { ...p, capacity: { cases: 10, per: 'week' } })).toBe(false);
    expect(planNeedsRecompute(r, p, { ...p, validation: { design: 'time', holdoutShare: 0.3 } })).toBe(true);
    expect(planNeedsRecompute(r, p, { ...p, validation: { design: 'group', holdoutShare: 0.2 } })).toBe(true);
    expect(planNeedsRecompute(r, p, { ...p, costs: { ...p.costs, valueColumn: 'amount' } })).toBe(true);
    expect(planNeedsRecompute(undefined, undefined, p)).toBe(true);
    expect(planNeedsRecompute(r, p, undefined)).toBe(false);
  });
});

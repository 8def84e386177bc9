import { describe, expect, it } from 'vitest';
import type { FeasibilityResult } from '../../../../src/lib/core/model/feasibility';
import { feasibilityNotRun, targetCheckOf } from '../../../../src/lib/core/feasibility/document';
import { wilsonInterval } from '../../../../src/lib/core/stats/wilson';
import type { MetricPlan } from '../../../../src/lib/core/model/plan';

const result: FeasibilityResult = {
  ...feasibilityNotRun('', 'x'),
  status: 'done',
  best: 'logistic',
  baselines: [
    {
      model: 'logistic',
      task: 'binary',
      features: ['a'],
      split: { design: 'random', column: null, cut: null },
      auc: { estimate: 0.8, lower: 0.77, upper: 0.83 },
      prAuc: null,
      brier: 0.15,
      r2: null,
      mae: null,
      n: { train: 8_000, test: 2_000 },
      positives: { train: 2_000, test: 500 },
      iterations: 5,
      converged: true,
    },
  ],
  // Recall rises as the threshold falls; precision falls.
  pr: [
    { x: 0.2, y: 0.8 },
    { x: 0.5, y: 0.6 },
    { x: 0.72, y: 0.45 },
    { x: 0.9, y: 0.3 },
  ],
};

const plan = (minRecall?: number, minPrecision?: number) =>
  ({
    targets: {
      requiredLift: 0,
      ...(minRecall !== undefined ? { minRecall } : {}),
      ...(minPrecision !== undefined ? { minPrecision } : {}),
    },
  }) as MetricPlan;

describe('the plan’s targets against the baseline', () => {
  it('reads the precision at the first point reaching the target recall, with the Wilson interval over the rows it flags', () => {
    const check = targetCheckOf(result, plan(0.7, 0.5));
    // 0.72 × 500 = 360 true positives at 45 % precision: 800 rows flagged.
    const wilson = wilsonInterval(360, 800)!;
    expect(check).toEqual({
      recall: 0.7,
      targetPrecision: 0.5,
      precision: { estimate: 0.45, lower: wilson.lower, upper: wilson.upper },
    });
  });

  it('is null without a target recall or past the curve', () => {
    expect(targetCheckOf(result, plan(undefined, 0.5))).toBeNull();
    expect(targetCheckOf(result, undefined)).toBeNull();
    expect(targetCheckOf(result, plan(0.95, 0.5))).toBeNull();
  });
});

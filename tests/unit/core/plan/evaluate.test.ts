import { describe, expect, it } from 'vitest';
import { evaluatePlan } from '../../../../src/lib/core/plan/evaluate';
import { PLAN_CHECKS, planFindings } from '../../../../src/lib/core/plan/findings';
import { MetricPlanSchema } from '../../../../src/lib/core/model/plan';
import { plan, results } from './plan-fixtures';
import { exampleChurnPlan, planSummary } from '../../../../src/lib/core/plan/summary';
import { wilsonInterval, proportionSampleSize } from '../../../../src/lib/core/stats/wilson';
import { FindingSchema } from '../../../../src/lib/core/model/audit';

describe('operating point and expected costs', () => {
  it('matches a hand computation of share flagged, cases per month and costs', () => {
    const e = evaluatePlan(plan(), results());
    const point = e.operatingPoint!;
    // s = p·R/P = 0.1 · 0.6 / 0.5 = 0.12 → 120 of 1,000 rows a month: 60 TP, 60 FP, 40 FN.
    expect(point.flaggedShare).toBeCloseTo(0.12, 12);
    expect(point.flaggedPerPeriod).toBeCloseTo(120, 9);
    expect(point.truePositivesPerPeriod).toBeCloseTo(60, 9);
    expect(point.falsePositivesPerPeriod).toBeCloseTo(60, 9);
    expect(point.falseNegativesPerPeriod).toBeCloseTo(40, 9);
    expect(point.overCapacity).toBe(false);
    // 60·10 + 40·100 = 4,600; nothing: 100 missed · 100 = 10,000; everything: 900 FP · 10 = 9,000.
    expect(e.costs!.atTarget).toBeCloseTo(4_600, 9);
    expect(e.costs!.doNothing).toBeCloseTo(10_000, 9);
    expect(e.costs!.flagAll).toBeCloseTo(9_000, 9);
    // Elkan: 10 / (10 + 100).
    expect(e.costs!.optimalThreshold).toBeCloseTo(10 / 110, 12);
  });

  it('subtracts the value of true positives and moves the Elkan threshold', () => {
    const e = evaluatePlan(
      plan({ costs: { unit: 'money', falsePositive: 10, falseNegative: 100, truePositiveValue: 30 } }),
      results(),
    );
    expect(e.costs!.atTarget).toBeCloseTo(4_600 - 60 * 30, 9);
    expect(e.costs!.flagAll).toBeCloseTo(9_000 - 100 * 30, 9);
    expect(e.costs!.optimalThreshold).toBeCloseTo(10 / 140, 12);
  });

  it('prices the best rule the team can run within capacity, per month', () => {
    // 300 a month of 1,000 rows: at most 30 % flagged, so score ≥ 10 (50 %) is out and score ≥ 20 (16.7 %) is best:
    // 1,400 FP · 10 + 600 FN · 100 = 74,000 over 12,000 rows → 6,166.67 a month.
    const e = evaluatePlan(plan(), results());
    expect(e.bestRule!.threshold).toBe(20);
    expect(e.costs!.bestRule).toBeCloseTo(74_000 / 12, 9);
    // With room for 600 a month, score ≥ 10 (6,000 flagged, 1,080 TP): 4,920·10 + 120·100 = 61,200 → 5,100 a month.
    const roomy = evaluatePlan(plan({ capacity: { cases: 600, per: 'month' } }), results());
    expect(roomy.bestRule!.threshold).toBe(10);
    expect(roomy.costs!.bestRule).toBeCloseTo(5_100, 9);
  });

  it('derives recall from capacity when only precision is set', () => {
    const e = evaluatePlan(plan({ targets: { minPrecision: 0.5, requiredLift: 0 } }), results());
    // Flag the 300 a month: s = 0.3, R = s·P/p = 1.5 → capped at 1.
    expect(e.operatingPoint!.recallFrom).toBe('capacity');
    expect(e.operatingPoint!.recall).toBe(1);
    const e2 = evaluatePlan(
      plan({ targets: { minPrecision: 0.5, requiredLift: 0 }, capacity: { cases: 100, per: 'month' } }),
      results(),
    );
    expect(e2.operatingPoint!.recall).toBeCloseTo(0.5, 12);
  });
});

describe('plan findings', () => {
  const checks = (p: ReturnType<typeof plan> | undefined, r = results()) =>
    planFindings(p, r, evaluatePlan(p, r)).map((f) => [f.check, f.severity]);

  it('says info when there is no plan, and every finding matches the schema', () => {
    expect(checks(undefined)).toEqual([[PLAN_CHECKS.noPlan, 'info']]);
    for (const f of planFindings(
      plan({ primaryMetric: 'accuracy' }),
      results(),
      evaluatePlan(plan(), results()),
    ))
      expect(FindingSchema.safeParse(f).success).toBe(true);
  });

  it('flags targets that need more cases than capacity', () => {
    const found = planFindings(
      plan({ capacity: { cases: 100, per: 'month' } }),
      results(),
      evaluatePlan(plan({ capacity: { cases: 100, per: 'month' } }), results()),
    );
    const f = found.find((x) => x.check === PLAN_CHECKS.overCapacity)!;
    expect(f.severity).toBe('major');
    expect(f.evidence.flaggedPerPeriod).toBeCloseTo(120, 6);
    expect(f.sql).toContain('SELECT 2');
  });

  it('flags a target that cannot be verified on few validation positives, with Wilson widths', () => {
    const r = results({ split: { ...results().split!, validationRows: 170, validationPositives: 17 } });
    const p = plan({ targets: { minPrecision: 0.5, minRecall: 0.8, requiredLift: 0 } });
    const e = evaluatePlan(p, r);
    const expected = wilsonInterval(0.8 * 17, 17)!;
    expect(e.verification!.recallHalfWidth).toBeCloseTo((expected.upper - expected.lower) / 2, 12);
    const f = planFindings(p, r, e).find((x) => x.check === PLAN_CHECKS.unverifiable)!;
    expect(f.severity).toBe('major');
    expect(f.title).toContain('recall 0.80 ± 0.18 on 17 validation positives');
  });

  it('computes the validation rows needed to tell the target from the best rule', () => {
    const p = plan({ targets: { minPrecision: 0.3, minRecall: 0.6, requiredLift: 0 } });
    const e = evaluatePlan(p, results());
    // Among rules at least 30 % precise (score ≥ 20: P 0.3, R 0.5), the best recall is 0.5.
    expect(e.verification!.baselineRecall).toBeCloseTo(0.5, 12);
    const positives = proportionSampleSize(0.6, 0.5)!;
    expect(e.verification!.neededPositives).toBeCloseTo(positives, 9);
    expect(e.verification!.neededValidationRows).toBeGreaterThanOrEqual(Math.ceil(positives / 0.1));
  });

  it('flags a target not above the best rule baseline, and not one above it', () => {
    // score ≥ 20 has precision 0.3 at recall 0.5; a recall target of 0.4 at precision 0.3 is below it.
    const low = plan({ targets: { minPrecision: 0.3, minRecall: 0.4, requiredLift: 0 } });
    expect(checks(low)).toContainEqual([PLAN_CHECKS.belowBaseline, 'major']);
    const high = plan({ targets: { minPrecision: 0.3, minRecall: 0.7, requiredLift: 0 } });
    expect(checks(high).map((c) => c[0])).not.toContain(PLAN_CHECKS.belowBaseline);
    // A 50 % lift over recall 0.5 requires 0.75, so 0.7 is not enough.
    const lifted = plan({ targets: { minPrecision: 0.3, minRecall: 0.7, requiredLift: 0.5 } });
    expect(checks(lifted)).toContainEqual([PLAN_CHECKS.belowBaseline, 'major']);
  });

  it('warns about accuracy at or below the majority baseline', () => {
    const p = plan({ primaryMetric: 'accuracy', targets: { metricThreshold: 0.85, requiredLift: 0 } });
    expect(checks(p)).toContainEqual([PLAN_CHECKS.accuracyParadox, 'major']);
  });

  it('compares a multiclass macro-F1 target with always answering the majority class', () => {
    const r = results({
      task: 'multiclass',
      classShares: [
        { label: 'a', count: 500, share: 0.5 },
        { label: 'b', count: 300, share: 0.3 },
        { label: 'c', count: 200, share: 0.2 },
      ],
      prevalence: null,
      majorityLabel: 'a',
      majorityAccuracy: 0.5,
      totals: null,
      ruleSearch: [],
    });
    // The majority class gets F1 = 2·0.5/(1 + 0.5) = 2/3, the others 0: macro 2/9, weighted 1/3.
    const macro = MetricPlanSchema.parse({
      primaryMetric: 'macro-f1',
      targets: { metricThreshold: 0.2 },
      validation: { design: 'random' },
    });
    const e = evaluatePlan(macro, r);
    expect(e.comparison!.baseline).toBeCloseTo(2 / 9, 12);
    expect(e.comparison!.notAbove).toBe(true);
    const weighted = MetricPlanSchema.parse({
      primaryMetric: 'weighted-f1',
      targets: { metricThreshold: 0.5 },
      validation: { design: 'random' },
    });
    expect(evaluatePlan(weighted, r).comparison!.baseline).toBeCloseTo(1 / 3, 12);
    expect(evaluatePlan(weighted, r).comparison!.notAbove).toBe(false);
  });

  it('counts zero targets when MAPE is chosen for a regression', () => {
    const r = results({
      task: 'regression',
      classShares: [],
      prevalence: null,
      majorityAccuracy: null,
      majorityLabel: null,
      totals: null,
      ruleSearch: [],
      regression: { zeros: 12, baselines: [{ name: 'mean', mae: 3, rmse: 4, mape: 0.5, rows: 100 }] },
    });
    const p = MetricPlanSchema.parse({
      primaryMetric: 'mape',
      targets: { metricThreshold: 0.6 },
      validation: { design: 'random' },
    });
    expect(checks(p, r)).toContainEqual([PLAN_CHECKS.mapeZeros, 'minor']);
    // MAPE 0.6 is worse than the mean's 0.5: not above the baseline.
    expect(checks(p, r)).toContainEqual([PLAN_CHECKS.belowBaseline, 'major']);
  });
});

describe('summary and example plan', () => {
  it('writes one paragraph with the figures the client needs', () => {
    const p = plan();
    const r = results();
    const text = planSummary(p, r, evaluatePlan(p, r));
    expect(text).toContain('10 % of');
    expect(text).toContain('about 120 cases a month, within the 300');
    expect(text).toMatch(/(costs|saves) €4,600 a month/);
    expect(text).not.toContain('\n');
  });

  it('gives the demo a plan for 300 retention calls a month', () => {
    const example = exampleChurnPlan();
    expect(example.capacity).toEqual({ cases: 300, per: 'month' });
    expect(example.validation.design).toBe('time');
    expect(MetricPlanSchema.safeParse(example).success).toBe(true);
  });
});

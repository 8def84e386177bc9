import { formatNumber as formatReadable } from '../format';
import { proportionSampleSize, wilsonInterval, type ProportionInterval } from '../stats/wilson';
import { PLAN_THRESHOLDS, type PlanThresholds } from '../thresholds';
import {
  allRules,
  averagePrecision,
  expectedCost,
  fBetaScore,
  hasCosts,
  rankRules,
  ruleCurve,
  type RankedRule,
} from './rules';
import { LOWER_IS_BETTER, type MetricPlan, type PlanResults } from '../model/plan';
import type {
  BaselineComparison,
  CostComparison,
  OperatingPoint,
  PlanEvaluation,
  Verification,
} from './evaluation';

export type { BaselineComparison, CostComparison, OperatingPoint, PlanEvaluation, Verification };

/**
 * The plan checked against the data: baselines, the operating point of the
 * targets, costs per period and whether the target can be verified on the
 * validation design. Pure and cheap, so the editor re-evaluates on every
 * keystroke without touching the engine.
 *
 * Formulas (p prevalence, P target precision, R target recall, N rows per period):
 * - share flagged s = p·R / P (flagged positives p·R are a share P of all flagged);
 * - per period: TP = p·R·N, FP = s·N − TP, FN = p·(1 − R)·N;
 * - expected cost = c_FP·FP + c_FN·FN − v_TP·TP; doing nothing = c_FN·p·N;
 *   flagging all = c_FP·(1 − p)·N − v_TP·p·N;
 * - cost-optimal threshold on calibrated scores (Elkan 2001, with c_TN = 0 and
 *   c_TP = −v_TP): t* = c_FP / (c_FP + c_FN + v_TP);
 * - Wilson 95 % intervals (statsmodels `proportion_confint(method='wilson')`):
 *   recall on the validation positives, precision on the validation rows flagged;
 * - validation size to tell target from baseline: the one-sided two-proportion
 *   z-test on Cohen's h, n = 2·((z₁₋α + z₁₋β)/h)² trials per arm (statsmodels
 *   `NormalIndPower`), turned into rows by dividing by p (recall) or s (precision).
 */

/** The share of rows the team can act on: capacity / rows per period (null without both). */
export function capacityShareOf(plan: MetricPlan | undefined, results: PlanResults): number | null {
  if (!plan?.capacity) return null;
  const rows = rowsPer(results, plan.capacity.per);
  return rows && rows > 0 ? Math.min(1, plan.capacity.cases / rows) : null;
}

/** Rows per week or month, from the results, for a capacity period. */
function rowsPer(results: PlanResults, period: 'week' | 'month'): number | null {
  return period === 'week' ? results.rowsPerWeek : results.rowsPerMonth;
}

/** Evaluate a plan (or, without one, only the baselines) against the computed results. */
export function evaluatePlan(
  plan: MetricPlan | undefined,
  results: PlanResults,
  thresholds: PlanThresholds = PLAN_THRESHOLDS,
): PlanEvaluation {
  const gaps: string[] = [];
  const prevalence = results.prevalence;
  const minorityShare =
    results.classShares.length > 1 ? Math.min(...results.classShares.map((c) => c.share)) : null;
  const imbalanced = minorityShare !== null && minorityShare < thresholds.imbalancedMinorityShare;
  const totals = results.totals;
  const costs = plan?.costs;
  const beta = plan?.fBeta ?? 1;
  // Baselines the team could actually run: rules flagging no more than the capacity allows.
  const capacityShare = capacityShareOf(plan, results);
  const withinCapacity = totals ? rankRules(results.ruleSearch, totals, costs, beta, capacityShare ?? 1) : [];
  // When no rule is narrow enough for the capacity (coarse features), the unconstrained best rules still inform.
  const rules =
    withinCapacity.length > 0 || !totals
      ? withinCapacity
      : rankRules(results.ruleSearch, totals, costs, beta);
  const bestRule = rules[0] ?? null;
  const search = bestRule ? results.ruleSearch.find((s) => s.feature === bestRule.feature) : undefined;
  const bestRuleCurve = search && totals && bestRule ? ruleCurve(search, bestRule.direction, totals) : [];

  const base: PlanEvaluation = {
    task: results.task,
    prevalence,
    majorityAccuracy: results.majorityAccuracy,
    imbalanced,
    randomPrecision: prevalence,
    rules: rules.slice(0, thresholds.topRules),
    bestRule,
    bestRuleCurve,
    bestRulePrAuc: averagePrecision(bestRuleCurve),
    operatingPoint: null,
    costs: null,
    verification: null,
    comparison: null,
    gaps,
  };
  if (!plan) return base;

  const operatingPoint = results.task === 'binary' ? operatingPointOf(plan, results, gaps) : null;
  const costComparison =
    results.task === 'binary' && hasCosts(costs) && prevalence !== null
      ? costsOf(plan, results, operatingPoint, bestRule)
      : null;
  const verification =
    operatingPoint && results.split
      ? verificationOf(
          plan,
          operatingPoint,
          results,
          totals ? allRules(results.ruleSearch, totals) : [],
          thresholds,
        )
      : null;
  return {
    ...base,
    operatingPoint,
    costs: costComparison,
    verification,
    comparison: comparisonOf(
      plan,
      results,
      base,
      operatingPoint,
      costComparison,
      totals ? allRules(results.ruleSearch, totals, costs, beta) : [],
    ),
  };
}

function operatingPointOf(plan: MetricPlan, results: PlanResults, gaps: string[]): OperatingPoint | null {
  const p = results.prevalence;
  const precision = plan.targets.minPrecision;
  if (p === null || p <= 0) {
    gaps.push('No positive class in the data: the operating point needs a prevalence.');
    return null;
  }
  if (precision === undefined || precision <= 0) {
    if (plan.targets.minRecall !== undefined)
      gaps.push('Set a minimum precision too: the share flagged follows from precision and recall.');
    return null;
  }
  const period = plan.capacity?.per ?? (results.rowsPerMonth !== null ? 'month' : null);
  const rowsPerPeriod = period ? rowsPer(results, period) : null;
  let recall = plan.targets.minRecall;
  let recallFrom: OperatingPoint['recallFrom'] = 'target';
  if (recall === undefined) {
    if (!plan.capacity || rowsPerPeriod === null) {
      gaps.push('Set a minimum recall, or a capacity with an event-time role, to place the operating point.');
      return null;
    }
    // Flag exactly the capacity: s = capacity / N, so R = s·P / p (at most 1).
    recall = Math.min(1, ((plan.capacity.cases / rowsPerPeriod) * precision) / p);
    recallFrom = 'capacity';
  }
  const flaggedShare = (p * recall) / precision;
  if (flaggedShare > 1)
    gaps.push('These targets would flag more rows than exist: precision is below the prevalence × recall.');
  const perPeriod = (share: number): number | null => (rowsPerPeriod === null ? null : share * rowsPerPeriod);
  const flaggedPerPeriod = perPeriod(flaggedShare);
  const capacity = plan.capacity && period === plan.capacity.per ? plan.capacity.cases : null;
  return {
    precision,
    recall,
    prevalence: p,
    recallFrom,
    flaggedShare,
    period,
    rowsPerPeriod,
    flaggedPerPeriod,
    truePositivesPerPeriod: perPeriod(p * recall),
    falsePositivesPerPeriod: perPeriod(flaggedShare - p * recall),
    falseNegativesPerPeriod: perPeriod(p * (1 - recall)),
    capacity,
    // A small tolerance: capacity-derived points flag exactly the capacity.
    overCapacity: capacity !== null && flaggedPerPeriod !== null && flaggedPerPeriod > capacity * (1 + 1e-9),
  };
}

function costsOf(
  plan: MetricPlan,
  results: PlanResults,
  point: OperatingPoint | null,
  bestRule: RankedRule | null,
): CostComparison {
  const c = plan.costs;
  const p = results.prevalence ?? 0;
  const period = point?.period ?? plan.capacity?.per ?? 'month';
  const rowsPerPeriod = point?.rowsPerPeriod ?? rowsPer(results, period);
  const totals = results.totals;
  // With a value column, a missed positive costs the mean value of the positives.
  const meanValue =
    c.valueColumn && totals && totals.positives > 0 && totals.positiveValue !== null
      ? totals.positiveValue / totals.positives
      : undefined;
  const perRow = (flaggedShare: number, recall: number): number => {
    const missed = meanValue !== undefined ? meanValue * p * (1 - recall) : undefined;
    return expectedCost(c, flaggedShare, p * recall, p, missed);
  };
  const scale = (perRowCost: number): number | null =>
    rowsPerPeriod === null ? null : perRowCost * rowsPerPeriod;
  const cFn = meanValue ?? c.falseNegative ?? 0;
  const denominator = (c.falsePositive ?? 0) + cFn + (c.truePositiveValue ?? 0);
  return {
    unit: c.unit,
    currency: c.currency ?? null,
    atTarget: point ? scale(perRow(point.flaggedShare, point.recall)) : null,
    doNothing: scale(perRow(0, 0)),
    flagAll: scale(perRow(1, 1)),
    bestRule:
      bestRule && bestRule.cost !== null && totals && totals.n > 0 ? scale(bestRule.cost / totals.n) : null,
    optimalThreshold: denominator > 0 ? (c.falsePositive ?? 0) / denominator : null,
  };
}

function verificationOf(
  plan: MetricPlan,
  point: OperatingPoint,
  results: PlanResults,
  rules: readonly RankedRule[],
  t: PlanThresholds,
): Verification {
  const split = results.split!;
  const alpha = 1 - t.confidence;
  const validationRows = split.validationRows;
  const validationPositives = split.validationPositives;
  const validationFlagged = validationRows * point.flaggedShare;
  const recallInterval =
    validationPositives !== null && validationPositives > 0
      ? wilsonInterval(point.recall * validationPositives, validationPositives, alpha)
      : null;
  const precisionInterval =
    validationFlagged > 0
      ? wilsonInterval(point.precision * validationFlagged, validationFlagged, alpha)
      : null;
  const half = (i: ProportionInterval | null): number | null => (i ? (i.upper - i.lower) / 2 : null);
  // The baseline at the same operating constraint: the best rule's recall among rules at least as precise
  // as the target, and its precision among rules recalling at least as much.
  const baselineRecall = Math.max(
    0,
    ...rules.filter((r) => (r.precision ?? 0) >= point.precision).map((r) => r.recall ?? 0),
  );
  const baselinePrecision = Math.max(
    point.prevalence,
    ...rules.filter((r) => (r.recall ?? 0) >= point.recall).map((r) => r.precision ?? 0),
  );
  const power = { alpha: t.powerAlpha, power: t.power };
  const neededPositives = proportionSampleSize(point.recall, baselineRecall, power);
  const neededFlagged = proportionSampleSize(point.precision, baselinePrecision, power);
  // The comparison that matters is on the primary metric: recall counts positives, precision counts
  // flagged rows; any other primary metric needs both.
  const primary = plan.primaryMetric;
  const rowsFor = [
    neededPositives === null || primary === 'precision' || primary === 'precision-at-capacity'
      ? null
      : neededPositives / point.prevalence,
    neededFlagged === null || primary === 'recall' ? null : neededFlagged / point.flaggedShare,
  ];
  const beatable = rowsFor.some((r) => r !== null);
  const neededValidationRows = beatable ? Math.ceil(Math.max(...rowsFor.map((r) => r ?? 0))) : null;
  const enoughRows = neededValidationRows === null ? null : validationRows >= neededValidationRows;
  const recallHalfWidth = half(recallInterval);
  const precisionHalfWidth = half(precisionInterval);
  const narrow =
    recallHalfWidth !== null &&
    precisionHalfWidth !== null &&
    recallHalfWidth <= t.maxTargetHalfWidth &&
    precisionHalfWidth <= t.maxTargetHalfWidth;
  return {
    validationRows,
    validationPositives,
    validationFlagged,
    recallInterval,
    precisionInterval,
    recallHalfWidth,
    precisionHalfWidth,
    baselineRecall,
    baselinePrecision,
    neededPositives,
    neededFlagged,
    neededValidationRows,
    enoughRows,
    verifiable: narrow && enoughRows !== false,
  };
}

/** The plan's target on its primary metric, where the plan states one. */
function targetValue(
  plan: MetricPlan,
  point: OperatingPoint | null,
  costs: CostComparison | null,
): number | null {
  if (plan.targets.metricThreshold !== undefined) return plan.targets.metricThreshold;
  const t = plan.targets;
  switch (plan.primaryMetric) {
    case 'precision':
    case 'precision-at-capacity':
      return t.minPrecision ?? null;
    case 'recall':
      return t.minRecall ?? null;
    case 'f-beta':
      return t.minPrecision !== undefined && t.minRecall !== undefined
        ? fBetaScore(t.minPrecision, t.minRecall, plan.fBeta)
        : null;
    case 'expected-cost':
      return costs?.atTarget ?? null;
    default:
      void point;
      return null;
  }
}

function comparisonOf(
  plan: MetricPlan,
  results: PlanResults,
  base: PlanEvaluation,
  point: OperatingPoint | null,
  costs: CostComparison | null,
  rules: readonly RankedRule[],
): BaselineComparison | null {
  const metric = plan.primaryMetric;
  const lowerIsBetter = LOWER_IS_BETTER.has(metric);
  const target = targetValue(plan, point, costs);
  const candidates: { name: string; value: number }[] = [];
  const add = (name: string, value: number | null | undefined): void => {
    if (value !== null && value !== undefined && Number.isFinite(value)) candidates.push({ name, value });
  };
  const describe = (r: RankedRule): string => ruleLabel(r);
  const p = results.prevalence;
  const t = plan.targets;
  switch (metric) {
    case 'accuracy':
      add('always the majority class', results.majorityAccuracy);
      break;
    case 'precision': {
      // The most precise rule that still reaches the target recall (any recall when none is set).
      add('flagging at random', p);
      for (const r of rules)
        if ((r.recall ?? 0) >= (t.minRecall ?? 0) && r.flagged >= 10) add(describe(r), r.precision);
      break;
    }
    case 'recall':
      for (const r of rules) if ((r.precision ?? 0) >= (t.minPrecision ?? 0)) add(describe(r), r.recall);
      break;
    case 'f-beta':
      for (const r of rules) add(describe(r), r.fBeta);
      break;
    case 'pr-auc':
      add('flagging at random', p);
      if (base.bestRule) add(`${base.bestRule.feature} (all its thresholds)`, base.bestRulePrAuc);
      break;
    case 'precision-at-capacity': {
      const share = point?.capacity && point.rowsPerPeriod ? point.capacity / point.rowsPerPeriod : null;
      add('flagging at random', p);
      if (share !== null && results.totals)
        for (const r of rules)
          if ((r.flaggedShare ?? 1) <= share && r.flagged >= 10) add(describe(r), r.precision);
      break;
    }
    case 'expected-cost':
      add('doing nothing', costs?.doNothing);
      add('flagging everything', costs?.flagAll);
      if (base.bestRule) add(describe(base.bestRule), costs?.bestRule);
      break;
    case 'macro-f1':
    case 'weighted-f1':
    case 'per-class-recall': {
      const top = results.majorityAccuracy;
      const k = results.classShares.length;
      if (top !== null && k > 0) {
        const f1Majority = (2 * top) / (1 + top);
        if (metric === 'macro-f1') add('always the majority class', f1Majority / k);
        if (metric === 'weighted-f1') add('always the majority class', top * f1Majority);
        if (metric === 'per-class-recall') add('always the majority class (other classes get 0)', 0);
      }
      break;
    }
    case 'mae':
    case 'rmse':
    case 'mape':
      for (const b of results.regression?.baselines ?? []) add(`predict the ${b.name}`, b[metric]);
      break;
  }
  if (candidates.length === 0)
    return {
      metric,
      target,
      baseline: null,
      baselineName: null,
      required: null,
      notAbove: null,
      lowerIsBetter,
    };
  const best = candidates.reduce((a, b) =>
    lowerIsBetter ? (b.value < a.value ? b : a) : b.value > a.value ? b : a,
  );
  const lift = plan.targets.requiredLift;
  const required = lowerIsBetter ? best.value * (1 - lift) : best.value * (1 + lift);
  return {
    metric,
    target,
    baseline: best.value,
    baselineName: best.name,
    required,
    notAbove: target === null ? null : lowerIsBetter ? target >= required : target <= required,
    lowerIsBetter,
  };
}

/** A rule in words: `tenure_score ≥ 62.5`, `plan in {trial, legacy}`. */
export function ruleLabel(
  rule: Pick<RankedRule, 'feature' | 'direction' | 'threshold' | 'categories' | 'includesOther'>,
): string {
  if (rule.direction === 'in') {
    const names = rule.categories.map((c) => (c === null ? '(missing)' : c));
    if (rule.includesOther) names.push('(other categories)');
    const shown = names.length > 4 ? [...names.slice(0, 4), `… ${names.length - 4} more`] : names;
    return `${rule.feature} in {${shown.join(', ')}}`;
  }
  return `${rule.feature} ${rule.direction === '>=' ? '≥' : '<'} ${formatNumber(rule.threshold)}`;
}

/** A rule's threshold: six significant digits, thousands grouped (`income < 55,143`, `monthly_fee ≥ 427.54`). */
function formatNumber(value: number | null): string {
  if (value === null) return '?';
  if (value === 0) return '0';
  const whole = Math.max(1, Math.floor(Math.log10(Math.abs(value))) + 1);
  return formatReadable(value, { digits: Math.max(0, 6 - whole) });
}

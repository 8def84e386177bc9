import type { PlanCosts, RuleSearch } from '../model/plan';

/**
 * Single-feature rule baselines from the buckets the SQL aggregated: every
 * threshold rule of a numeric feature (both directions) and every prefix of a
 * categorical feature's categories ranked by positive rate (one-rule style).
 * Ranking categories by rate and taking a prefix finds the best category set:
 * expected cost is a sum over categories, so the cost-optimal set is exactly
 * the categories whose rate exceeds c_FP / (c_FP + c_FN), and the F-optimal
 * set is a prefix too (checked against an exhaustive search in
 * tests/fixtures/plan/make_rules_reference.py).
 */

export interface RulePoint {
  feature: string;
  kind: 'numeric' | 'categorical';
  /** Numeric: flag `x >= threshold` or `x < threshold`. Categorical: flag the listed categories. */
  direction: '>=' | '<' | 'in';
  threshold: number | null;
  categories: (string | null)[];
  /** The flagged set includes the lumped rarer categories. */
  includesOther: boolean;
  flagged: number;
  truePositives: number;
  /** Sum of the value column over the flagged positives. */
  truePositiveValue: number;
}

export interface RuleTotals {
  n: number;
  positives: number;
  positiveValue: number | null;
}

export interface RuleMetrics {
  precision: number | null;
  recall: number | null;
  flaggedShare: number | null;
  fBeta: number | null;
  /** Expected cost over the labelled rows (null without any cost in the plan). */
  cost: number | null;
}

/** Every rule of one searched feature. */
export function rulePoints(search: RuleSearch): RulePoint[] {
  const base = { feature: search.feature, kind: search.kind, includesOther: false };
  if (search.kind === 'numeric') {
    const present = search.buckets
      .filter((b) => !b.missing)
      .sort((a, b) => (a.key === null ? -1 : b.key === null ? 1 : Number(a.key) - Number(b.key)));
    const total = sum(present);
    const points: RulePoint[] = [];
    let below = { n: 0, positives: 0, value: 0 };
    for (const b of present) {
      if (b.key !== null) {
        const threshold = Number(b.key);
        points.push({
          ...base,
          direction: '>=',
          threshold,
          categories: [],
          flagged: total.n - below.n,
          truePositives: total.positives - below.positives,
          truePositiveValue: total.value - below.value,
        });
        points.push({
          ...base,
          direction: '<',
          threshold,
          categories: [],
          flagged: below.n,
          truePositives: below.positives,
          truePositiveValue: below.value,
        });
      }
      below = {
        n: below.n + b.n,
        positives: below.positives + b.positives,
        value: below.value + (b.positiveValue ?? 0),
      };
    }
    return points;
  }
  const ranked = [...search.buckets].sort(
    (a, b) => rate(b) - rate(a) || b.n - a.n || String(a.key).localeCompare(String(b.key)),
  );
  const points: RulePoint[] = [];
  const categories: (string | null)[] = [];
  let includesOther = false;
  let acc = { n: 0, positives: 0, value: 0 };
  for (const b of ranked) {
    if (b.lumped) includesOther = true;
    else categories.push(b.key === null ? null : String(b.key));
    acc = {
      n: acc.n + b.n,
      positives: acc.positives + b.positives,
      value: acc.value + (b.positiveValue ?? 0),
    };
    points.push({
      ...base,
      direction: 'in',
      threshold: null,
      categories: [...categories],
      includesOther,
      flagged: acc.n,
      truePositives: acc.positives,
      truePositiveValue: acc.value,
    });
  }
  return points;
}

function rate(b: { n: number; positives: number }): number {
  return b.n > 0 ? b.positives / b.n : 0;
}

function sum(buckets: RuleSearch['buckets']): { n: number; positives: number; value: number } {
  return buckets.reduce(
    (acc, b) => ({
      n: acc.n + b.n,
      positives: acc.positives + b.positives,
      value: acc.value + (b.positiveValue ?? 0),
    }),
    { n: 0, positives: 0, value: 0 },
  );
}

/** Whether the plan states any cost, so rules can be ranked by expected cost. */
export function hasCosts(costs: PlanCosts | undefined): boolean {
  return (
    !!costs &&
    (costs.falsePositive !== undefined ||
      costs.falseNegative !== undefined ||
      costs.truePositiveValue !== undefined ||
      costs.valueColumn !== undefined)
  );
}

/**
 * Expected cost of flagging `flagged` rows of which `tp` are positive, out of
 * `positives`: c_FP·FP + c_FN·FN − v_TP·TP. With a value column, each missed
 * positive costs its own value instead of c_FN (example-dependent costs,
 * Bahnsen et al. 2014).
 */
export function expectedCost(
  costs: PlanCosts,
  flagged: number,
  tp: number,
  positives: number,
  missedValue?: number,
): number {
  const fp = flagged - tp;
  const fn = positives - tp;
  const fnCost =
    costs.valueColumn !== undefined && missedValue !== undefined
      ? missedValue
      : (costs.falseNegative ?? 0) * fn;
  return (costs.falsePositive ?? 0) * fp + fnCost - (costs.truePositiveValue ?? 0) * tp;
}

/** F-beta from precision and recall: (1 + β²)·P·R / (β²·P + R) (van Rijsbergen 1979). */
export function fBetaScore(precision: number, recall: number, beta = 1): number {
  const b2 = beta * beta;
  const denominator = b2 * precision + recall;
  return denominator > 0 ? ((1 + b2) * precision * recall) / denominator : 0;
}

/** Precision, recall, flagged share, F-beta and expected cost of one rule. */
export function ruleMetrics(point: RulePoint, totals: RuleTotals, costs?: PlanCosts, beta = 1): RuleMetrics {
  const precision = point.flagged > 0 ? point.truePositives / point.flagged : null;
  const recall = totals.positives > 0 ? point.truePositives / totals.positives : null;
  return {
    precision,
    recall,
    flaggedShare: totals.n > 0 ? point.flagged / totals.n : null,
    fBeta: precision !== null && recall !== null ? fBetaScore(precision, recall, beta) : null,
    cost:
      costs && hasCosts(costs)
        ? expectedCost(
            costs,
            point.flagged,
            point.truePositives,
            totals.positives,
            (totals.positiveValue ?? 0) - point.truePositiveValue,
          )
        : null,
  };
}

export interface RankedRule extends RulePoint, RuleMetrics {}

/**
 * The best rule of each feature, best first: by lowest expected cost when the
 * plan states costs, else by highest F-beta; only rules flagging at most
 * `maxFlaggedShare` of the rows (the team's capacity). Ties keep the smaller flagged set.
 */
export function rankRules(
  searches: readonly RuleSearch[],
  totals: RuleTotals,
  costs?: PlanCosts,
  beta = 1,
  maxFlaggedShare = 1,
): RankedRule[] {
  const byCost = hasCosts(costs);
  const better = (a: RankedRule, b: RankedRule): number =>
    byCost
      ? (a.cost ?? Infinity) - (b.cost ?? Infinity) || a.flagged - b.flagged
      : (b.fBeta ?? -1) - (a.fBeta ?? -1) || a.flagged - b.flagged;
  const best: RankedRule[] = [];
  for (const search of searches) {
    const scored = rulePoints(search)
      .filter((p) => p.flagged > 0 && p.flagged < totals.n && p.flagged <= maxFlaggedShare * totals.n)
      .map((p) => ({ ...p, ...ruleMetrics(p, totals, costs, beta) }));
    const top = scored.sort(better)[0];
    if (top) best.push(top);
  }
  return best.sort(better);
}

/** Every rule of every feature with its metrics (for "best rule meeting a constraint"). */
export function allRules(
  searches: readonly RuleSearch[],
  totals: RuleTotals,
  costs?: PlanCosts,
  beta = 1,
): RankedRule[] {
  return searches.flatMap((s) =>
    rulePoints(s)
      .filter((p) => p.flagged > 0)
      .map((p) => ({ ...p, ...ruleMetrics(p, totals, costs, beta) })),
  );
}

/** The precision–recall points of one feature's rules in one direction, by recall (for the chart and PR-AUC). */
export function ruleCurve(
  search: RuleSearch,
  direction: RulePoint['direction'],
  totals: RuleTotals,
): RankedRule[] {
  return rulePoints(search)
    .filter((p) => p.direction === direction && p.flagged > 0)
    .map((p) => ({ ...p, ...ruleMetrics(p, totals) }))
    .sort((a, b) => (a.recall ?? 0) - (b.recall ?? 0) || a.flagged - b.flagged);
}

/**
 * Average precision of a rule's curve, Σ (Rₙ − Rₙ₋₁)·Pₙ over its points by
 * recall (the step-wise PR-AUC of scikit-learn's `average_precision_score`).
 */
export function averagePrecision(curve: readonly RuleMetrics[]): number | null {
  if (curve.length === 0) return null;
  let previous = 0;
  let area = 0;
  for (const point of curve) {
    if (point.recall === null || point.precision === null) continue;
    area += (point.recall - previous) * point.precision;
    previous = point.recall;
  }
  return area;
}

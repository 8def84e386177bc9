import type { Baseline, FeasibilityResult, Interval } from '../model/feasibility';
import type { MetricPlan } from '../model/plan';
import { formatCount, formatNumber, formatShare } from '../format';
import { targetCheckOf } from './document';
import { bestBaseline } from './findings';

/**
 * The metric plan's targets set against the best honest baseline (issue 21,
 * "the metric plan compares its targets with the baseline"): the precision
 * the baseline reaches at the target recall, the recall it reaches at the
 * target precision, and the primary metric's threshold where the baseline
 * measures the same metric (PR-AUC, MAE). Derived from the stored result and
 * the plan as given, so the plan editor can show it for a plan not yet saved.
 */

/** `meets`: the interval clears the target; `short`: it stays below; `open`: it straddles it, or there is no target to judge. */
export type TargetStanding = 'meets' | 'short' | 'open';

export interface TargetComparison {
  target: 'precision-at-recall' | 'recall-at-precision' | 'pr-auc' | 'mae';
  standing: TargetStanding;
  /** One sentence, every number formatted. */
  text: string;
}

/** Why a short baseline is a caution, not a verdict: the reader's next question. */
export const BASELINE_CAVEAT =
  'A baseline is a simple, untuned model: a tuned model usually does somewhat better, so a gap is a caution, and a large gap a reason to revisit the targets.';

const metric3 = (x: number | null | undefined): string => formatNumber(x, { digits: 3 });

/** `41.2 % (95 % interval 37.9 % to 44.6 %)`, or the estimate alone. */
function intervalWords(i: Interval, show: (x: number) => string): string {
  return i.lower === null || i.upper === null
    ? show(i.estimate)
    : `${show(i.estimate)} (95 % interval ${show(i.lower)} to ${show(i.upper)})`;
}

/** Where an interval stands against a minimum (or a maximum when `lowerIsBetter`). */
function standing(i: Interval, target: number, lowerIsBetter = false): TargetStanding {
  const lo = i.lower ?? i.estimate;
  const hi = i.upper ?? i.estimate;
  if (lowerIsBetter) return hi <= target ? 'meets' : lo > target ? 'short' : 'open';
  return lo >= target ? 'meets' : hi < target ? 'short' : 'open';
}

/** The clause after the baseline's figure: `it clears the target of 40 %`. */
function verdictClause(s: TargetStanding, target: string): string {
  switch (s) {
    case 'meets':
      return `it clears the target of ${target}`;
    case 'short':
      return `it falls short of the target of ${target}`;
    case 'open':
      return `its interval spans the target of ${target}, so the held-out rows cannot tell yet`;
  }
}

function baselineName(b: Baseline): string {
  return b.model === 'logistic'
    ? 'the logistic-regression baseline'
    : b.model === 'naive-bayes'
      ? 'the naive-Bayes baseline'
      : b.model === 'ridge'
        ? 'the ridge-regression baseline'
        : 'the baseline';
}

/** The highest recall on the held-out precision–recall curve whose precision reaches `precision`, or null. */
function recallAtPrecision(result: Pick<FeasibilityResult, 'pr'>, precision: number): number | null {
  const reach = result.pr.filter((p) => p.y >= precision).map((p) => p.x);
  return reach.length ? Math.max(...reach) : null;
}

/**
 * The plan's targets against the best baseline, one sentence each; empty when
 * the baselines did not run, there is no plan, or no target the baseline can
 * speak to.
 */
export function baselineAgainstTargets(
  result: FeasibilityResult | undefined,
  plan: MetricPlan | undefined,
): TargetComparison[] {
  if (!result || !plan || result.status !== 'done') return [];
  const best = bestBaseline(result);
  if (!best) return [];
  const name = baselineName(best);
  const t = plan.targets;
  const out: TargetComparison[] = [];
  const check = targetCheckOf(result, plan);
  if (check) {
    const reached = intervalWords(check.precision, (x) => formatShare(x));
    if (check.targetPrecision === null)
      out.push({
        target: 'precision-at-recall',
        standing: 'open',
        text: `At the target recall of ${formatShare(check.recall)}, ${name} flags cases with a precision of ${reached}; the plan sets no precision target to hold it against.`,
      });
    else {
      const s = standing(check.precision, check.targetPrecision);
      out.push({
        target: 'precision-at-recall',
        standing: s,
        text: `At the target recall of ${formatShare(check.recall)}, ${name} reaches a precision of ${reached}: ${verdictClause(s, formatShare(check.targetPrecision))}.`,
      });
    }
  } else if (t.minPrecision !== undefined && t.minRecall === undefined && best.task === 'binary') {
    const recall = recallAtPrecision(result, t.minPrecision);
    out.push(
      recall === null
        ? {
            target: 'recall-at-precision',
            standing: 'short',
            text: `No threshold of ${name} reaches the target precision of ${formatShare(t.minPrecision)} on the held-out rows.`,
          }
        : {
            target: 'recall-at-precision',
            standing: 'open',
            text: `At the target precision of ${formatShare(t.minPrecision)}, ${name} finds ${formatShare(recall)} of the positives (read off its held-out precision–recall curve).`,
          },
    );
  }
  const threshold = t.metricThreshold;
  if (threshold !== undefined && plan.primaryMetric === 'pr-auc' && best.prAuc) {
    const s = standing(best.prAuc, threshold);
    out.push({
      target: 'pr-auc',
      standing: s,
      text: `On the plan’s primary metric, PR-AUC, ${name} reaches ${intervalWords(best.prAuc, metric3)}: ${verdictClause(s, `at least ${metric3(threshold)}`)}.`,
    });
  }
  if (threshold !== undefined && plan.primaryMetric === 'mae' && best.mae !== null) {
    // MAE has no interval here: a point comparison.
    const s: TargetStanding = best.mae <= threshold ? 'meets' : 'short';
    out.push({
      target: 'mae',
      standing: s,
      text: `On the plan’s primary metric, mean absolute error, ${name} reaches ${formatNumber(best.mae)} on ${formatCount(best.n.test)} held-out rows: ${verdictClause(s, `at most ${formatNumber(threshold)}`)}.`,
    });
  }
  return out;
}

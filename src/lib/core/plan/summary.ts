import {
  formatCount,
  formatDate,
  formatMoney,
  formatNumber,
  formatPercentPoints,
  formatShare,
} from '../format';
import { ruleLabel, type CostComparison, type PlanEvaluation } from './evaluate';
import { LOWER_IS_BETTER, MetricPlanSchema, type MetricPlan, type PlanResults } from '../model/plan';

/**
 * A one-paragraph, plain-language summary of the plan and what the data says
 * about it, for a consultant to paste into an e-mail to the client. Plain
 * text: the UI shows it as text, never as HTML.
 */
export function planSummary(
  plan: MetricPlan | undefined,
  results: PlanResults,
  evaluation: PlanEvaluation,
): string {
  const s: string[] = [];
  const pct = (x: number | null | undefined): string =>
    x === null || x === undefined ? '?' : formatShare(x);
  const fmtInt = formatCount;
  if (plan && (plan.decision.action || plan.decision.actor))
    s.push(
      `When the model flags a case, ${article(plan.decision.actor || 'the team')} will ${lowerFirst(plan.decision.action || 'act on it')}.`,
    );
  if (results.task !== 'regression' && results.majorityAccuracy !== null) {
    const prevalence = results.prevalence;
    s.push(
      prevalence !== null
        ? `In the data, ${pct(prevalence)} of ${fmtInt(results.labelledRows)} labelled rows are “${results.positiveClass}”; always predicting “${results.majorityLabel}” would already be ${pct(results.majorityAccuracy)} accurate${evaluation.imbalanced ? ', so accuracy says little here' : ''}.`
        : `Always predicting the most frequent class, “${results.majorityLabel}”, would be ${pct(results.majorityAccuracy)} accurate.`,
    );
  }
  if (!plan) {
    s.push('No success-metric plan has been agreed yet.');
  } else {
    const t = plan.targets;
    const goals: string[] = [];
    if (t.minPrecision !== undefined) goals.push(`precision of at least ${pct(t.minPrecision)}`);
    if (t.minRecall !== undefined) goals.push(`recall of at least ${pct(t.minRecall)}`);
    if (t.metricThreshold !== undefined)
      goals.push(
        `${plan.primaryMetric} ${LOWER_IS_BETTER.has(plan.primaryMetric) ? 'at most' : 'at least'} ${t.metricThreshold}`,
      );
    s.push(
      `We agree before any modelling that the primary metric is ${plan.primaryMetric}${goals.length ? `, with ${goals.join(' and ')}` : ''}${t.requiredLift > 0 ? `, and a lift of ${pct(t.requiredLift)} over the best simple baseline` : ''}.`,
    );
  }
  const point = evaluation.operatingPoint;
  if (point) {
    const perPeriod =
      point.flaggedPerPeriod !== null
        ? `, about ${fmtInt(point.flaggedPerPeriod)} cases a ${point.period}${point.capacity !== null ? (point.overCapacity ? `, more than the ${fmtInt(point.capacity)} the team can handle` : `, within the ${fmtInt(point.capacity)} the team can handle`) : ''}`
        : '';
    s.push(`At these targets the model would flag ${pct(point.flaggedShare)} of cases${perPeriod}.`);
  }
  if (evaluation.bestRule) {
    const r = evaluation.bestRule;
    s.push(
      `The best single-column rule, ${ruleLabel(r)}, reaches precision ${pct(r.precision)} at recall ${pct(r.recall)}${results.excludedColumns.some((c) => c.reason === 'leakage finding') ? ' (columns with leakage findings were left out)' : ''}.`,
    );
  }
  const c = evaluation.costs;
  if (c && c.doNothing !== null && point?.period) {
    const money = (x: number | null): string =>
      x === null ? '?' : costText(x, c, point.period ?? undefined);
    s.push(
      `At the target the model ${money(c.atTarget)}; doing nothing ${money(c.doNothing)}, and acting on every case ${money(c.flagAll)}${c.optimalThreshold !== null ? `; with calibrated scores, act above a probability of ${formatNumber(c.optimalThreshold, { digits: 2 })}` : ''}.`,
    );
  }
  const v = evaluation.verification;
  if (v && results.split) {
    const split = results.split;
    const design =
      split.design === 'time'
        ? `a time-based split${split.splitAt ? ` at ${formatDate(split.splitAt, 'day')}` : ''}`
        : split.design === 'group'
          ? 'a split by ID'
          : 'a random split';
    const widths: string[] = [];
    const width = (x: number): string => `± ${formatPercentPoints(x, { signed: false, words: true })}`;
    if (v.recallHalfWidth !== null) widths.push(`recall to ${width(v.recallHalfWidth)}`);
    if (v.precisionHalfWidth !== null) widths.push(`precision to ${width(v.precisionHalfWidth)}`);
    s.push(
      `The validation set (${design}, ${pct(split.holdoutShare)} held out) has ${fmtInt(v.validationRows)} rows${v.validationPositives !== null ? ` and ${fmtInt(v.validationPositives)} positives` : ''}${widths.length ? `, enough to measure ${widths.join(' and ')} (95 % Wilson interval)` : ''}${v.verifiable === false ? ', which is too uncertain to verify the target' : ''}.`,
    );
  }
  return s.join(' ');
}

/**
 * An expected cost in words, with its currency (or `units`) and period: a
 * negative cost is a gain, `saves €5,896 a month`; a positive one `costs
 * €1,200 a month`.
 */
export function costText(
  amount: number,
  costs: Pick<CostComparison, 'unit' | 'currency'>,
  period?: 'week' | 'month',
): string {
  return formatMoney(amount, {
    currency: costs.unit === 'money' ? (costs.currency ?? '') : 'units',
    ...(period ? { period } : {}),
    signWords: true,
  });
}

/** "The retention team" reads "the retention team" mid-sentence; names keep their capitals. */
function article(text: string): string {
  return /^The /.test(text) ? `t${text.slice(1)}` : text;
}

function lowerFirst(text: string): string {
  return text.length > 0 ? text[0]!.toLowerCase() + text.slice(1) : text;
}

/**
 * The demo's example plan: Kestrel's retention team calls about 300 accounts
 * a month. A call with a discount costs about €40 when the account would have
 * stayed; reaching a churner is worth about €140 net (about 30 % of called
 * churners stay, keeping roughly €600 of yearly margin, minus the call).
 * Recall first, with enough precision for the calls to be worth it, 10 %
 * better than the best simple rule the team could run within capacity.
 */
export function exampleChurnPlan(): MetricPlan {
  return MetricPlanSchema.parse({
    decision: {
      action: 'Call the account with a retention offer within the week',
      actor: 'The retention team',
    },
    costs: { unit: 'money', currency: 'EUR', falsePositive: 40, truePositiveValue: 140 },
    capacity: { cases: 300, per: 'month' },
    primaryMetric: 'recall',
    secondaryMetrics: ['precision', 'pr-auc', 'expected-cost'],
    targets: { minPrecision: 0.4, minRecall: 0.6, requiredLift: 0.1 },
    validation: { design: 'time', holdoutShare: 0.2 },
    notes: 'Targets to confirm with the head of retention before modelling starts.',
  });
}

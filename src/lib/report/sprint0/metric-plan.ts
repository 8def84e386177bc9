import type { AuditDocument } from '../../core/model/audit';
import { costVsShareSpec, rulePrCurveSpec, targetBandSpec } from '../../core/charts/plan-charts';
import {
  formatCount,
  formatDate,
  formatList,
  formatMoney,
  formatNumber,
  formatShare,
  plural,
} from '../../core/format';
import { evaluatePlan, ruleLabel, type PlanEvaluation } from '../../core/plan/evaluate';
import type { MetricName, MetricPlan, PlanResults } from '../../core/model/plan';
import { planSummary } from '../../core/plan/summary';
import { table } from '../report-template';
import { ChartBudget, PLAN_CHART, e, factList, section } from './common';
import { driftPart } from './drift';
import { baselineTargetsPart } from './feasibility';

/** Words for the validation designs, metrics and statuses the app's plan editor shows. */
const DESIGN_WORDS: Record<'random' | 'time' | 'group', string> = {
  time: 'a time-based split',
  group: 'a split by ID',
  random: 'a random split',
};
const METRIC_WORDS: Record<MetricName, string> = {
  precision: 'precision',
  recall: 'recall',
  'f-beta': 'F-beta',
  'pr-auc': 'area under the precision-recall curve',
  'precision-at-capacity': 'precision at capacity',
  'expected-cost': 'expected cost',
  accuracy: 'accuracy',
  'macro-f1': 'macro F1',
  'weighted-f1': 'weighted F1',
  'per-class-recall': 'recall per class',
  mae: 'mean absolute error',
  rmse: 'root mean squared error',
  mape: 'mean absolute percentage error',
};

/** The expected cost per period in the plan's unit, with its sign as words: `costs €1,200 a month`. */
function moneyText(x: number | null, plan: MetricPlan, period: string): string {
  if (x === null) return '—';
  const currency = plan.costs.unit === 'money' ? (plan.costs.currency ?? '') : 'cost units';
  return formatMoney(x, { currency, period, signWords: true });
}

/** Chapter 3: the metric plan in plain words, its targets, what the data says, the rules to beat, drift. */
export async function metricPlanSection(audit: AuditDocument, charts: ChartBudget): Promise<string> {
  const state = audit.plan;
  const drift = driftPart(audit);
  const plan = state?.plan;
  const results = state?.results;
  if (!plan)
    return section(
      'metric-plan',
      `<p class="placeholder">No metric plan yet. Define the success metric, the decision costs, the validation design and the targets in the app’s metric plan, and this section will show them with the baselines computed from the data.</p>${drift}`,
    );
  const targets = `${planTargets(plan)}${baselineTargetsPart(audit)}`;
  if (!results)
    return section(
      'metric-plan',
      `${targets}<p class="placeholder">The baselines have not been computed from the data yet: compute them in the app’s metric plan.</p>${drift}`,
    );
  const evaluation = evaluatePlan(plan, results);
  const figures = [
    rulePrCurveSpec(evaluation, plan),
    costVsShareSpec(evaluation, plan, results),
    targetBandSpec(evaluation),
  ];
  const rendered: string[] = [];
  for (const c of figures) if (c) rendered.push(await charts.render(c.spec, c.label, PLAN_CHART));
  const shown = rendered.filter((r) => r !== '');
  return section(
    'metric-plan',
    `<h3>The plan in plain words</h3><p>${e(planSummary(plan, results, evaluation))}</p>
${plan.notes ? `<p class="small"><b>Notes:</b> ${e(plan.notes)}</p>` : ''}
${targets}
<h3>What the data says</h3>${planFacts(plan, results, evaluation)}
${planRules(evaluation, results)}
${shown.length ? `<div class="charts">${shown.join('')}</div>` : ''}
${drift}`,
  );
}

function planTargets(plan: MetricPlan): string {
  const t = plan.targets;
  const rows: [string, string][] = [
    ['Primary metric', METRIC_WORDS[plan.primaryMetric]],
    ...(plan.secondaryMetrics.length
      ? [['Also reported', formatList(plan.secondaryMetrics.map((m) => METRIC_WORDS[m]))] as [string, string]]
      : []),
    ...(t.minPrecision !== undefined
      ? [['Minimum precision', formatShare(t.minPrecision)] as [string, string]]
      : []),
    ...(t.minRecall !== undefined ? [['Minimum recall', formatShare(t.minRecall)] as [string, string]] : []),
    ...(t.metricThreshold !== undefined
      ? [['Threshold on the primary metric', formatNumber(t.metricThreshold)] as [string, string]]
      : []),
    [
      'Required lift over the best simple baseline',
      t.requiredLift > 0 ? formatShare(t.requiredLift) : 'none',
    ],
    [
      'Validation',
      `${DESIGN_WORDS[plan.validation.design]}, ${formatShare(plan.validation.holdoutShare)} held out`,
    ],
    ...(plan.capacity
      ? [
          [
            'Capacity',
            `${plural(plan.capacity.cases, 'case')} a ${plan.capacity.per}${plan.decision.actor ? ` (${plan.decision.actor.replace(/^The /, 'the ')})` : ''}`,
          ] as [string, string],
        ]
      : []),
    ...costRows(plan),
  ];
  return `<h3>Targets and assumptions</h3>${factList(rows)}`;
}

function costRows(plan: MetricPlan): [string, string][] {
  const c = plan.costs;
  const currency = c.unit === 'money' ? (c.currency ?? '') : 'cost units';
  const rows: [string, string][] = [];
  if (c.falsePositive !== undefined)
    rows.push(['Acting on a case that was not positive', formatMoney(c.falsePositive, { currency })]);
  if (c.falseNegative !== undefined)
    rows.push(['Missing a positive', formatMoney(c.falseNegative, { currency })]);
  if (c.truePositiveValue !== undefined)
    rows.push(['Acting on a positive is worth', formatMoney(c.truePositiveValue, { currency })]);
  if (c.valueColumn) rows.push(['A missed positive costs its row’s', c.valueColumn]);
  return rows;
}

function planFacts(plan: MetricPlan, results: PlanResults, ev: PlanEvaluation): string {
  const rows: [string, string][] = [];
  if (results.prevalence !== null)
    rows.push([
      'Prevalence',
      `${formatShare(results.prevalence)} of ${plural(results.labelledRows, 'labelled row')} are “${results.positiveClass ?? ''}”`,
    ]);
  if (results.majorityAccuracy !== null)
    rows.push([
      'Always the majority class',
      `${formatShare(results.majorityAccuracy)} accurate (always “${results.majorityLabel ?? '—'}”)`,
    ]);
  const point = ev.operatingPoint;
  if (point)
    rows.push([
      'Flagged at the target',
      `${formatShare(point.flaggedShare)} of cases${
        point.flaggedPerPeriod !== null && point.period
          ? `, about ${plural(point.flaggedPerPeriod, 'case')} a ${point.period}${point.capacity !== null ? ` (capacity ${formatCount(point.capacity)}${point.overCapacity ? ', exceeded' : ''})` : ''}`
          : ''
      }`,
    ]);
  const period = point?.period ?? plan.capacity?.per ?? 'month';
  const c = ev.costs;
  if (c) {
    rows.push(
      ['Expected cost at the target', moneyText(c.atTarget, plan, period)],
      ['Doing nothing', moneyText(c.doNothing, plan, period)],
      ['Acting on every case', moneyText(c.flagAll, plan, period)],
      ['The best single-column rule', moneyText(c.bestRule, plan, period)],
    );
    if (c.optimalThreshold !== null)
      rows.push([
        'Cost-optimal score threshold',
        `act above a calibrated probability of ${formatNumber(c.optimalThreshold, { digits: 2 })}`,
      ]);
  }
  const split = results.split;
  if (split)
    rows.push([
      'Validation split',
      `${DESIGN_WORDS[split.design]}${split.splitAt ? ` from ${formatDate(split.splitAt, 'day')}` : ''}: ${plural(split.trainRows, 'training row')}${split.trainPositives !== null ? ` (${plural(split.trainPositives, 'positive')})` : ''}, ${plural(split.validationRows, 'validation row')}${split.validationPositives !== null ? ` (${plural(split.validationPositives, 'positive')})` : ''}`,
    ]);
  const v = ev.verification;
  if (v) {
    const interval = (name: string, i: { lower: number; upper: number } | null, n: number | null): string =>
      i
        ? `${name}: ${formatShare(i.lower)} to ${formatShare(i.upper)}${n !== null ? ` on ${plural(n, 'validation case')}` : ''}`
        : '';
    const parts = [
      interval('recall', v.recallInterval, v.validationPositives),
      interval(
        'precision',
        v.precisionInterval,
        v.validationFlagged === null ? null : Math.round(v.validationFlagged),
      ),
    ].filter((p) => p !== '');
    if (parts.length) rows.push(['Verification intervals (Wilson 95 %)', `${parts.join('; ')}`]);
    if (v.verifiable !== null)
      rows.push([
        'Can the validation data tell?',
        v.verifiable
          ? 'Yes: the intervals are narrow enough to tell the target from the best rule.'
          : `No: too uncertain to verify the target${v.neededValidationRows !== null ? `; about ${plural(v.neededValidationRows, 'validation row')} would be needed` : ''}.`,
      ]);
  }
  return factList(rows);
}

function planRules(ev: PlanEvaluation, results: PlanResults): string {
  if (ev.rules.length === 0) return '';
  const rows = ev.rules
    .slice(0, 5)
    .map((r) => [
      e(ruleLabel(r)),
      e(r.precision === null ? '—' : formatShare(r.precision)),
      e(r.recall === null ? '—' : formatShare(r.recall)),
      e(r.flaggedShare === null ? '—' : formatShare(r.flaggedShare)),
    ]);
  const excluded = results.excludedColumns.length
    ? `<p class="muted small">Left out of the rule search: ${e(
        formatList(results.excludedColumns.slice(0, 12).map((c) => `${c.column} (${c.reason})`)),
      )}${results.excludedColumns.length > 12 ? ` and ${formatCount(results.excludedColumns.length - 12)} more` : ''}.</p>`
    : '';
  return `<h3>Best single-column rules (a model must beat these)</h3>${table(
    ['Rule', 'Precision', 'Recall', 'Flagged'],
    rows,
    { numeric: [1, 2, 3], keep: true },
  )}${excluded}`;
}

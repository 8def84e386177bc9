import type { TopLevelSpec } from 'vega-lite';
import type { PlanEvaluation } from '../plan/evaluate';
import { ruleLabel } from '../plan/evaluate';
import type { RankedRule } from '../plan/rules';
import { expectedCost } from '../plan/rules';
import type { MetricPlan, PlanResults } from '../model/plan';

/**
 * Vega-Lite specs for the metric plan. Data goes into `data.values` under
 * fixed field names (`recall`, `precision`, `share`, `cost`, `kind`…): rule
 * and column names from client files travel only as data or plain titles,
 * never as field names or inside expressions.
 */

/** A chart with the text a screen reader announces for it. */
export interface PlanChart {
  spec: TopLevelSpec;
  label: string;
}

const BASE = {
  $schema: 'https://vega.github.io/schema/vega-lite/v6.json',
  width: 'container',
  height: 220,
  config: { view: { stroke: null }, axis: { labelLimit: 160 } },
} as const;

const PERCENT = { format: '.0%' } as const;

/**
 * Precision against recall of the best rule across its thresholds (a step
 * line), with the plan's target point and the prevalence (a random
 * classifier's precision) as a reference line. Null without a rule.
 */
export function rulePrCurveSpec(evaluation: PlanEvaluation, plan?: MetricPlan): PlanChart | null {
  const rule = evaluation.bestRule;
  if (!rule || evaluation.bestRuleCurve.length === 0) return null;
  const curve = evaluation.bestRuleCurve
    .filter((p) => p.recall !== null && p.precision !== null)
    .map((p) => ({ recall: p.recall, precision: p.precision, share: p.flaggedShare, rule: ruleLabel(p) }));
  const target =
    plan?.targets.minPrecision !== undefined && evaluation.operatingPoint
      ? [
          {
            recall: evaluation.operatingPoint.recall,
            precision: evaluation.operatingPoint.precision,
            kind: 'Target',
          },
        ]
      : [];
  const layers: NonNullable<Extract<TopLevelSpec, { layer: unknown }>['layer']> = [
    {
      data: { values: curve },
      mark: { type: 'line', point: true, interpolate: 'step-after' },
      encoding: {
        x: {
          field: 'recall',
          type: 'quantitative',
          title: 'Recall',
          scale: { domain: [0, 1] },
          axis: PERCENT,
        },
        y: {
          field: 'precision',
          type: 'quantitative',
          title: 'Precision',
          scale: { domain: [0, 1] },
          axis: PERCENT,
        },
        tooltip: [
          { field: 'rule', type: 'nominal', title: 'Rule' },
          { field: 'precision', type: 'quantitative', format: '.1%', title: 'Precision' },
          { field: 'recall', type: 'quantitative', format: '.1%', title: 'Recall' },
          { field: 'share', type: 'quantitative', format: '.1%', title: 'Share flagged' },
        ],
      },
    },
  ];
  if (evaluation.prevalence !== null)
    layers.push({
      data: { values: [{ precision: evaluation.prevalence, label: 'Random (prevalence)' }] },
      mark: { type: 'rule', strokeDash: [4, 4], color: '#888' },
      encoding: {
        y: { field: 'precision', type: 'quantitative' },
        tooltip: [{ field: 'label', type: 'nominal', title: 'Reference' }],
      },
    });
  if (target.length)
    layers.push({
      data: { values: target },
      mark: { type: 'point', shape: 'diamond', size: 160, filled: true, color: '#c0392b' },
      encoding: {
        x: { field: 'recall', type: 'quantitative' },
        y: { field: 'precision', type: 'quantitative' },
        tooltip: [
          { field: 'kind', type: 'nominal', title: 'Point' },
          { field: 'precision', type: 'quantitative', format: '.1%', title: 'Precision' },
          { field: 'recall', type: 'quantitative', format: '.1%', title: 'Recall' },
        ],
      },
    });
  return {
    spec: { ...BASE, title: `Precision and recall of the best rule on ${rule.feature}`, layer: layers },
    label: `Precision against recall for the rule on ${rule.feature} across its thresholds${target.length ? ', with the target point' : ''}. Best: ${ruleLabel(rule)}, precision ${pct(rule.precision)}, recall ${pct(rule.recall)}.`,
  };
}

/**
 * Expected cost per period against the share flagged: the best rule across
 * its thresholds, the target, doing nothing (share 0) and flagging everything
 * (share 1), with the capacity as a vertical line. Null without costs.
 */
export function costVsShareSpec(
  evaluation: PlanEvaluation,
  plan: MetricPlan | undefined,
  results: PlanResults,
): PlanChart | null {
  const costs = evaluation.costs;
  const totals = results.totals;
  const point = evaluation.operatingPoint;
  const period = point?.period ?? plan?.capacity?.per ?? 'month';
  const perPeriod = period === 'week' ? results.rowsPerWeek : results.rowsPerMonth;
  if (!plan || !costs || !totals || totals.n === 0 || perPeriod === null) return null;
  const scale = perPeriod / totals.n;
  const rows: { share: number; cost: number; kind: string }[] = evaluation.bestRuleCurve
    .filter((p: RankedRule) => p.flaggedShare !== null)
    .map((p) => ({
      share: p.flaggedShare!,
      cost:
        expectedCost(
          plan.costs,
          p.flagged,
          p.truePositives,
          totals.positives,
          (totals.positiveValue ?? 0) - p.truePositiveValue,
        ) * scale,
      kind: 'Best rule',
    }));
  const marks: { share: number; cost: number; kind: string }[] = [];
  if (costs.doNothing !== null) marks.push({ share: 0, cost: costs.doNothing, kind: 'Do nothing' });
  if (costs.flagAll !== null) marks.push({ share: 1, cost: costs.flagAll, kind: 'Flag everything' });
  if (costs.atTarget !== null && point)
    marks.push({ share: point.flaggedShare, cost: costs.atTarget, kind: 'Target' });
  const capacityShare = point?.capacity && point.rowsPerPeriod ? point.capacity / point.rowsPerPeriod : null;
  const unit = plan.costs.unit === 'money' ? (plan.costs.currency ?? 'money') : 'relative units';
  const layers: NonNullable<Extract<TopLevelSpec, { layer: unknown }>['layer']> = [
    {
      data: { values: rows.sort((a, b) => a.share - b.share) },
      mark: { type: 'line', point: true },
      encoding: {
        x: {
          field: 'share',
          type: 'quantitative',
          title: 'Share flagged',
          scale: { domain: [0, 1] },
          axis: PERCENT,
        },
        y: { field: 'cost', type: 'quantitative', title: `Expected cost per ${period} (${unit})` },
        tooltip: [
          { field: 'share', type: 'quantitative', format: '.1%', title: 'Share flagged' },
          { field: 'cost', type: 'quantitative', format: ',.0f', title: 'Cost' },
        ],
      },
    },
    {
      data: { values: marks },
      mark: { type: 'point', filled: true, size: 120 },
      encoding: {
        x: { field: 'share', type: 'quantitative' },
        y: { field: 'cost', type: 'quantitative' },
        color: { field: 'kind', type: 'nominal', title: null },
        shape: { field: 'kind', type: 'nominal', title: null },
        tooltip: [
          { field: 'kind', type: 'nominal', title: 'Point' },
          { field: 'cost', type: 'quantitative', format: ',.0f', title: 'Cost' },
        ],
      },
    },
  ];
  if (capacityShare !== null)
    layers.push({
      data: { values: [{ share: Math.min(1, capacityShare), label: 'Capacity' }] },
      mark: { type: 'rule', strokeDash: [4, 4], color: '#888' },
      encoding: {
        x: { field: 'share', type: 'quantitative' },
        tooltip: [{ field: 'label', type: 'nominal', title: 'Reference' }],
      },
    });
  return {
    spec: { ...BASE, title: `Expected cost per ${period} against the share flagged`, layer: layers },
    label: `Expected cost per ${period} against the share of cases flagged: doing nothing ${fmt(costs.doNothing)}, flagging everything ${fmt(costs.flagAll)}${costs.atTarget !== null ? `, the target ${fmt(costs.atTarget)}` : ''} (${unit}).`,
  };
}

/**
 * The confidence band of the target: Wilson 95 % intervals for recall and
 * precision on the validation data, as error bars around the targets, with
 * the best rule's values as references. Null without a verification.
 */
export function targetBandSpec(evaluation: PlanEvaluation): PlanChart | null {
  const v = evaluation.verification;
  const point = evaluation.operatingPoint;
  if (!v || !point) return null;
  const rows = [
    v.recallInterval && {
      metric: 'Recall',
      target: point.recall,
      lower: v.recallInterval.lower,
      upper: v.recallInterval.upper,
      baseline: v.baselineRecall,
      n: v.validationPositives,
    },
    v.precisionInterval && {
      metric: 'Precision',
      target: point.precision,
      lower: v.precisionInterval.lower,
      upper: v.precisionInterval.upper,
      baseline: v.baselinePrecision,
      n: v.validationFlagged === null ? null : Math.round(v.validationFlagged),
    },
  ].filter((r): r is NonNullable<typeof r> => !!r);
  if (rows.length === 0) return null;
  const y = { field: 'metric', type: 'nominal', title: null } as const;
  return {
    spec: {
      ...BASE,
      height: 90,
      title: 'What the validation data can tell (Wilson 95 %)',
      data: { values: rows },
      layer: [
        {
          mark: { type: 'rule', strokeWidth: 3 },
          encoding: {
            y,
            x: {
              field: 'lower',
              type: 'quantitative',
              title: 'Value',
              scale: { domain: [0, 1] },
              axis: PERCENT,
            },
            x2: { field: 'upper' },
            tooltip: [
              { field: 'metric', type: 'nominal', title: 'Metric' },
              { field: 'lower', type: 'quantitative', format: '.1%', title: 'Lower' },
              { field: 'upper', type: 'quantitative', format: '.1%', title: 'Upper' },
              { field: 'n', type: 'quantitative', title: 'Validation cases' },
            ],
          },
        },
        {
          mark: { type: 'point', shape: 'diamond', size: 140, filled: true, color: '#c0392b' },
          encoding: { y, x: { field: 'target', type: 'quantitative' } },
        },
        {
          mark: { type: 'tick', color: '#888', thickness: 2 },
          encoding: { y, x: { field: 'baseline', type: 'quantitative' } },
        },
      ],
    },
    label: rows
      .map(
        (r) =>
          `${r.metric} target ${pct(r.target)}, 95 % interval ${pct(r.lower)} to ${pct(r.upper)} on ${r.n ?? '?'} validation cases; best rule ${pct(r.baseline)}.`,
      )
      .join(' '),
  };
}

function pct(x: number | null): string {
  return x === null ? '?' : `${(x * 100).toFixed(1)} %`;
}

function fmt(x: number | null): string {
  return x === null ? '?' : Math.round(x).toLocaleString('en-US');
}

import { bestBaseline, noiseUnreadableReason, signalJudgement } from '../../core/feasibility/findings';
import { BAND_NAMES } from '../../core/feasibility/names';
import type { AuditDocument } from '../../core/model/audit';
import type { Baseline, BaselineSplit, Feasibility, Interval } from '../../core/model/feasibility';
import type { MetricPlan } from '../../core/model/plan';
import { BASELINE_LABELS, learningCurveSpec, signed } from '../../core/charts/feasibility-charts';
import { baselineAgainstTargets, BASELINE_CAVEAT } from '../../core/feasibility/plan-comparison';
import { formatCount, formatDate, formatList, formatNumber, formatShare, plural } from '../../core/format';
import { FEASIBILITY_THRESHOLDS } from '../../core/thresholds';
import { escapeHtml as e } from '../report-template';
import type { ChartBudget, ChartSize } from './common';

/**
 * The feasibility part of the sprint-0 report and of the Markdown summary
 * (issue 21): the Data Readiness Level band first, then the best honest
 * baseline, the learning curve and the label-noise estimate, as plain
 * sentences (every number through core/format); the HTML adds the learning
 * curve as one small chart. The label-review rows are not printed: they are
 * examples, and the app's Feasibility tab shows them redacted.
 */

/** Columns named in the "left out" line at most; the rest are counted. */
const MAX_EXCLUDED_NAMED = 8;

/** The learning-curve chart: small, it sits in the summary chapter. */
const CURVE_CHART: ChartSize = { width: 320, height: 140 };

/** What the report and the Markdown summary say about feasibility, as text. */
export interface FeasibilityText {
  /** `Data Readiness Level B (valid)`, or null when the step never ran. */
  band: string | null;
  /** Why that band, or why there is nothing to show. */
  reason: string;
  /** Label and sentence pairs, in reading order. */
  facts: [string, string][];
}

const metric3 = (x: number | null | undefined): string => formatNumber(x, { digits: 3 });
const share = (x: number): string => formatShare(x);

/** `0.781 (95 % interval 0.760 to 0.802)`, or the estimate alone without bounds. */
function intervalWords(i: Interval | null, show: (x: number) => string = metric3): string {
  if (!i) return 'not computed';
  return i.lower === null || i.upper === null
    ? show(i.estimate)
    : `${show(i.estimate)} (95 % interval ${show(i.lower)} to ${show(i.upper)})`;
}

function splitWords(split: BaselineSplit): string {
  switch (split.design) {
    case 'time':
      return `Time-ordered on ${split.column ?? 'the time column'}${split.cut ? `, held out from ${formatDate(split.cut, 'day')}` : ''}, the metric plan’s cut`;
    case 'group':
      return `Grouped by ${split.column ?? 'the ID'}, so no ID is on both sides`;
    case 'random':
      return 'A seeded hash split';
  }
}

function metricsWords(b: Baseline): string {
  if (b.task === 'regression') return `R² ${metric3(b.r2)}, MAE ${formatNumber(b.mae)}`;
  return `AUC ${intervalWords(b.auc)}, PR-AUC ${intervalWords(b.prAuc)}, Brier ${metric3(b.brier)}`;
}

/** What the best baseline's score says: no signal, signal, or too good to be honest. */
function signalWords(b: Baseline): string {
  const t = FEASIBILITY_THRESHOLDS;
  const judgement = signalJudgement(b, t);
  if (judgement === 'unknown') return '';
  if (judgement === 'inconclusive')
    return ' Too uncertain to tell signal from chance on these held-out rows.';
  if (b.task === 'regression')
    return judgement === 'none'
      ? ' No learnable signal: the features explain next to nothing of the target.'
      : ' The features carry signal.';
  if (judgement === 'none') return ' No learnable signal: the interval is tight around chance (0.5).';
  if ((b.auc?.estimate ?? 0) >= t.leakAuc)
    return ` At or above ${metric3(t.leakAuc)}: suspiciously good, check for leakage.`;
  return ' Above 0.5: the features carry signal.';
}

function sideWords(rows: number, positives: number | undefined, side: string): string {
  return `${plural(rows, side)}${positives !== undefined ? ` (${plural(positives, 'positive')})` : ''}`;
}

function curveWords(f: Feasibility, metric: string): string | null {
  const measured = f.learningCurve
    .map((p) => ({ rows: p.rows, score: metric === 'AUC' ? p.auc : p.r2 }))
    .filter((p): p is { rows: number; score: number } => typeof p.score === 'number')
    .sort((a, b) => a.rows - b.rows);
  if (measured.length === 0) return null;
  const first = measured[0]!;
  const last = measured[measured.length - 1]!;
  const span = `${metric} ${metric3(first.score)} at ${formatCount(first.rows)} training rows to ${metric3(last.score)} at ${formatCount(last.rows)}.`;
  const fit = f.learningFit;
  if (!fit) return `No power law fits: ${span}`;
  const g = fit.doublingGain;
  const band = g.lower !== null && g.upper !== null ? ` (band ${signed(g.lower)} to ${signed(g.upper)})` : '';
  // A whole band under the last decimal shown reads as one bound, not `<0.001 (band <0.001 to <0.001)`.
  const top = g.upper ?? g.estimate;
  const gain =
    top >= 0 && signed(top).startsWith('<')
      ? `doubling the training rows projects a gain below ${signed(top).slice(1)} ${metric}`
      : `doubling the training rows projects ${signed(g.estimate)} ${metric}${band}`;
  const verdict =
    fit.trend === 'flat'
      ? `Flat: more rows of the same kind won’t help; ${gain}.`
      : fit.trend === 'rising'
        ? `Still rising: ${gain}.`
        : `Unclear: ${gain}, too wide a band to say whether more rows help.`;
  return `${verdict} Measured: ${span}`;
}

function noiseFacts(f: Feasibility): [string, string][] {
  const noise = f.labelNoise;
  if (!noise) return [];
  const t = FEASIBILITY_THRESHOLDS;
  const knn = noise.knn
    ? ` A second way, k nearest neighbours (k = ${formatCount(noise.knn.k)}) on ${formatCount(noise.knn.sampleRows)} sampled rows: ${intervalWords(noise.knn, share)}.`
    : '';
  const best = bestBaseline(f);
  const unreadable = best ? noiseUnreadableReason(f, best) : 'there is no baseline to judge it by';
  const reading = noise.interpretable
    ? ` Above ${share(t.noiseMajor)} is a major finding, above ${share(t.noiseBlocker)} a blocker.`
    : ` Not read as label error: ${unreadable ?? 'see the finding'}.`;
  const what = noise.interpretable ? 'of labels look wrong' : 'of labels disagree with the baseline';
  const facts: [string, string][] = [
    [
      'Label noise',
      `${intervalWords(noise, share)} ${what} (confident learning on out-of-fold predictions of ${formatCount(noise.rows)} rows).${knn}${reading}`,
    ],
  ];
  if (noise.reviewSizes.length) {
    const sizes = noise.reviewSizes.map(
      (s) => `${formatCount(s.rows)} rows would give ${share(s.lower)} to ${share(s.upper)}`,
    );
    const listed = noise.reviewSample.length
      ? ` The ${plural(noise.reviewSample.length, 'row')} most likely mislabelled are listed, redacted, in the app’s Feasibility tab.`
      : '';
    facts.push([
      'Hand review',
      `Check ${formatCount(Math.min(...noise.reviewSizes.map((s) => s.rows)))}–${formatCount(Math.max(...noise.reviewSizes.map((s) => s.rows)))} rows by hand: at the estimated rate, the 95 % Wilson interval of ${formatList(sizes)}.${listed}`,
    ]);
  }
  return facts;
}

function leakFact(f: Feasibility): [string, string] | null {
  const top = [...f.dropColumn].sort((a, b) => b.drop - a.drop)[0];
  if (!top) return null;
  return [
    'Leak check',
    `Without ${top.column} the AUC falls to ${metric3(top.aucWithout)} (${signed(-top.drop)}): ${top.drop >= FEASIBILITY_THRESHOLDS.leakDrop ? 'that column carries the signal that looks too good' : 'no single column explains it'}.`,
  ];
}

function excludedFact(f: Feasibility): [string, string] | null {
  if (f.excluded.length === 0) return null;
  const named = f.excluded.slice(0, MAX_EXCLUDED_NAMED).map((x) => `${x.column} (${x.reason})`);
  const more = f.excluded.length - named.length;
  return ['Left out', `${formatList(named)}${more > 0 ? ` and ${formatCount(more)} more` : ''}.`];
}

export interface FeasibilityTextOptions {
  /** Include the plan's targets against the baseline (default true; the report gives them in its metric-plan chapter). */
  targets?: boolean;
}

/** The plan's targets against the best baseline as one sentence block, with the caveat when any is not met; null when there is nothing to compare. */
export function targetsText(f: Feasibility | undefined, plan: MetricPlan | undefined): string | null {
  const targets = baselineAgainstTargets(f, plan);
  if (targets.length === 0) return null;
  const caveat = targets.some((t) => t.standing !== 'meets') ? ` ${BASELINE_CAVEAT}` : '';
  return `${targets.map((t) => t.text).join(' ')}${caveat}`;
}

/**
 * The feasibility step as text: the band and its reason first, then the best
 * baseline, the split, the plan's targets against it, the learning curve and
 * the label noise.
 */
export function feasibilityText(
  f: Feasibility | undefined,
  plan?: MetricPlan,
  options: FeasibilityTextOptions = {},
): FeasibilityText {
  if (!f)
    return {
      band: null,
      reason:
        'The feasibility step has not run on this audit: set the target and run the audit again to get the baselines, the learning curve and the label-noise estimate.',
      facts: [],
    };
  const band = `Data Readiness Level ${f.band} (${BAND_NAMES[f.band]})`;
  if (f.status === 'not-run')
    return {
      band,
      reason: f.bandReason,
      facts: [['Baselines', `Not run: ${f.reason ?? 'no reason was recorded.'}`]],
    };
  const best = bestBaseline(f);
  if (!best) return { band, reason: f.bandReason, facts: [['Baselines', 'None could be fitted.']] };
  const metric = best.task === 'regression' ? 'R²' : 'AUC';
  const facts: [string, string][] = [
    [
      'Best baseline',
      `${BASELINE_LABELS[best.model]} on ${plural(best.features.length, 'column')}: ${metricsWords(best)}.${signalWords(best)}`,
    ],
    [
      'Split',
      `${splitWords(best.split)}: ${sideWords(best.n.train, best.positives?.train, 'training row')}, ${sideWords(best.n.test, best.positives?.test, 'held-out row')}${f.sample.capped ? ', capped to keep the step fast' : ''}.`,
    ],
  ];
  const others = f.baselines.filter((b) => b !== best);
  if (others.length)
    facts.push([
      'Also tried',
      `${formatList(others.map((b) => `${BASELINE_LABELS[b.model]}: ${b.task === 'regression' ? `R² ${metric3(b.r2)}` : `AUC ${intervalWords(b.auc)}`}`))}.`,
    ]);
  const targets = options.targets === false ? null : targetsText(f, plan);
  if (targets) facts.push(['Against the plan’s targets', targets]);
  const curve = curveWords(f, metric);
  if (curve) facts.push(['Learning curve', curve]);
  facts.push(...noiseFacts(f));
  const leak = leakFact(f);
  if (leak) facts.push(leak);
  const excluded = excludedFact(f);
  if (excluded) facts.push(excluded);
  return { band, reason: f.bandReason, facts };
}

/** The band in a few words, for the verdict's feasibility sentence: `Data Readiness Level B (valid)`. */
export function bandWords(f: Feasibility | undefined): string | null {
  return f ? `Data Readiness Level ${f.band} (${BAND_NAMES[f.band]})` : null;
}

/** The feasibility part of the report's summary chapter: an `h3`, the band, the facts and the learning-curve chart. */
export async function feasibilityPart(audit: AuditDocument, charts: ChartBudget): Promise<string> {
  const f = audit.feasibility;
  // The plan's targets against the baseline sit with the plan, in chapter 3.
  const text = feasibilityText(f, audit.plan?.plan, { targets: false });
  const lead = text.band
    ? `<p class="band"><strong>${e(text.band)}.</strong> ${e(text.reason)}</p>`
    : `<p class="placeholder">${e(text.reason)}</p>`;
  const facts = text.facts.length
    ? `<dl class="facts">${text.facts.map(([k, v]) => `<dt>${e(k)}</dt><dd>${e(v)}</dd>`).join('')}</dl>`
    : '';
  let chart = '';
  if (f?.status === 'done') {
    const spec = learningCurveSpec(f.learningCurve, f.learningFit, f.task === 'regression' ? 'r2' : 'auc');
    if (spec) chart = await charts.render(spec.spec, spec.label, CURVE_CHART);
  }
  return `<h3>Feasibility</h3>${lead}${facts}${chart ? `<div class="charts">${chart}</div>` : ''}`;
}

/** The metric-plan chapter's comparison of the plan's targets with the best baseline; empty when there is none. */
export function baselineTargetsPart(audit: AuditDocument): string {
  const text = targetsText(audit.feasibility, audit.plan?.plan);
  return text ? `<h3>Targets against the honest baseline</h3><p>${e(text)}</p>` : '';
}

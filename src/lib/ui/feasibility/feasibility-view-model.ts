import { bestBaseline, noiseUnreadableReason, signalJudgement } from '../../core/feasibility/findings';
import { BAND_NAMES } from '../../core/feasibility/names';
import type { Baseline, BaselineSplit, Feasibility, Interval, ReviewRow } from '../../core/model/feasibility';
import {
  BASELINE_LABELS,
  calibrationSpec,
  gainBandText,
  learningCurveSpec,
  prCurveSpec,
  rocCurveSpec,
  signed,
  type FeasibilityChart,
} from '../../core/charts/feasibility-charts';
import { primaryDataset, primaryDatasetId, rolesOf } from '../../core/audit/edits';
import type { AuditDocument } from '../../core/model/audit';
import { SEVERITY_LABELS, sortBySeverity } from '../../core/deliverable/presentation';
import {
  MISSING,
  formatCell,
  formatCount,
  formatDate,
  formatDuration,
  formatNumber,
  formatShare,
  formatTimestamp,
  plural,
} from '../../core/format';
import { FEASIBILITY_THRESHOLDS } from '../../core/thresholds';

/**
 * What the Feasibility view shows, as plain text and chart specs: the
 * component only lays it out. Every number is formatted here, through
 * core/format.
 */

/** Shown when the audit has no feasibility step yet. */
export const FEASIBILITY_EMPTY = 'Feasibility runs with the audit once a target is set.';

/** How a headline figure reads: good news, a caution, a problem, or nothing to judge. */
export type Tone = 'good' | 'warn' | 'bad' | 'neutral';

export interface BandView {
  letter: Feasibility['band'];
  /** Lawrence's name of the band. */
  name: string;
  reason: string;
}

export interface HeadlineItem {
  id: 'baseline' | 'target' | 'curve' | 'noise';
  label: string;
  value: string;
  detail: string;
  tone: Tone;
}

export interface BaselineRowView {
  model: string;
  best: boolean;
  featureCount: string;
  features: string;
  split: string;
  /** Cells of the task's metric columns, in the order of `FeasibilityDone.metricColumns`. */
  metrics: string[];
  trainRows: string;
  testRows: string;
}

export interface ReviewView {
  columns: string[];
  rows: { givenLabel: string; probability: string; cells: string[] }[];
  sizes: string[];
}

export interface FeasibilityDone {
  kind: 'done';
  band: BandView;
  /** Name of the model the charts show. */
  bestModel: string | null;
  headline: HeadlineItem[];
  metricColumns: string[];
  baselines: BaselineRowView[];
  excluded: { column: string; reason: string }[];
  charts: FeasibilityChart[];
  review: ReviewView | null;
  noiseNotes: string[];
  dropColumn: { column: string; aucWithout: string; drop: string }[];
  about: string;
}

export type FeasibilityViewModel =
  { kind: 'empty'; message: string } | { kind: 'not-run'; band: BandView; reason: string } | FeasibilityDone;

const metric3 = (x: number | null | undefined): string => formatNumber(x, { digits: 3 });

/** `0.781 (0.760–0.802)`: an estimate with its 95 % interval, compact for tables. */
export function intervalCell(i: Interval | null, show: (x: number) => string = metric3): string {
  if (!i) return MISSING;
  return i.lower === null || i.upper === null
    ? show(i.estimate)
    : `${show(i.estimate)} (${show(i.lower)}–${show(i.upper)})`;
}

/** The split in words: `time-ordered on snapshot_date, held out from 14 Aug 2025`. */
export function splitText(split: BaselineSplit): string {
  switch (split.design) {
    case 'time':
      return `Time-ordered on ${split.column ?? 'the time column'}${split.cut ? `, held out from ${formatDate(split.cut, 'day')}` : ''}`;
    case 'group':
      return `Grouped by ${split.column ?? 'the ID'} (no ID on both sides)`;
    case 'random':
      return 'Seeded hash split';
  }
}

function bandView(f: Feasibility): BandView {
  return { letter: f.band, name: BAND_NAMES[f.band], reason: f.bandReason };
}

function baselineItem(f: Feasibility, best: Baseline): HeadlineItem {
  const name = BASELINE_LABELS[best.model];
  const t = FEASIBILITY_THRESHOLDS;
  if (best.task === 'regression') {
    const r2 = best.r2;
    return {
      id: 'baseline',
      label: 'Best baseline',
      value: `R² ${metric3(r2)}`,
      detail: `${name}, MAE ${formatNumber(best.mae)}, on ${formatCount(best.n.test)} held-out rows.`,
      tone: signalJudgement(best) === 'none' ? 'bad' : signalJudgement(best) === 'found' ? 'good' : 'neutral',
    };
  }
  const auc = best.auc;
  const judgement = signalJudgement(best);
  const noSignal = judgement === 'none';
  const tooGood = auc !== null && auc.estimate >= t.leakAuc;
  const verdict = !auc
    ? 'No AUC could be computed.'
    : noSignal
      ? 'No learnable signal: the interval is tight around chance (0.5).'
      : judgement === 'inconclusive'
        ? 'Too uncertain to tell signal from chance: the interval is wide or the held-out rows too few.'
        : tooGood
          ? `At or above ${metric3(t.leakAuc)}: suspiciously good, check for leakage.`
          : 'Above 0.5: the features carry signal.';
  return {
    id: 'baseline',
    label: 'Best baseline',
    value: `AUC ${intervalCell(auc)}`,
    detail: `${name} on ${formatCount(best.n.test)} held-out rows (95 % interval). ${verdict}`,
    tone: !auc || judgement === 'inconclusive' ? 'neutral' : noSignal || tooGood ? 'bad' : 'good',
  };
}

function targetItem(f: Feasibility): HeadlineItem | null {
  const check = f.targetCheck;
  if (!check) return null;
  const short = check.targetPrecision !== null && check.precision.estimate < check.targetPrecision;
  return {
    id: 'target',
    label: 'Against the plan’s target',
    value: `Precision ${intervalCell(check.precision, (x) => formatShare(x))}`,
    detail: `At the target recall of ${formatShare(check.recall)}${check.targetPrecision !== null ? `, against a target precision of ${formatShare(check.targetPrecision)}` : ''}.`,
    tone: check.targetPrecision === null ? 'neutral' : short ? 'warn' : 'good',
  };
}

function curveItem(f: Feasibility, metricName: string): HeadlineItem {
  const fit = f.learningFit;
  if (!fit)
    return {
      id: 'curve',
      label: 'Learning curve',
      value: 'Not fitted',
      detail:
        f.learningCurve.length < 2
          ? 'Too few training sizes to draw a curve.'
          : 'No power law fits these points; read the chart.',
      tone: 'neutral',
    };
  const g = fit.doublingGain;
  const gain = `Doubling the training rows projects ${signed(g.estimate)} ${metricName}${gainBandText(g)}`;
  switch (fit.trend) {
    case 'flat':
      return {
        id: 'curve',
        label: 'Learning curve',
        value: 'Flat',
        detail: `${gain}: more rows of the same kind won’t help.`,
        tone: 'neutral',
      };
    case 'rising':
      return {
        id: 'curve',
        label: 'Learning curve',
        value: 'Still rising',
        detail: `${gain}: more data should help.`,
        tone: 'warn',
      };
    case 'unclear':
      return {
        id: 'curve',
        label: 'Learning curve',
        value: 'Unclear',
        detail: `${gain}; the band is too wide to say whether more rows help.`,
        tone: 'neutral',
      };
  }
}

function noiseItem(f: Feasibility): HeadlineItem {
  const noise = f.labelNoise;
  const best = bestBaseline(f);
  const t = FEASIBILITY_THRESHOLDS;
  if (!noise)
    return {
      id: 'noise',
      label: 'Label noise',
      value: 'Not estimated',
      detail:
        f.task === 'regression'
          ? 'Label noise is estimated for binary targets only.'
          : 'The out-of-fold predictions behind it were not available.',
      tone: 'neutral',
    };
  const value = `${intervalCell(noise, (x) => formatShare(x))} of labels`;
  if (!noise.interpretable)
    return {
      id: 'noise',
      label: 'Label noise (confident learning)',
      value,
      detail: `Not readable as label error: ${best ? (noiseUnreadableReason(f, best) ?? 'see the finding') : 'no baseline to judge it by'}.`,
      tone: 'neutral',
    };
  const level = noise.estimate > t.noiseBlocker ? 'bad' : noise.estimate > t.noiseMajor ? 'warn' : 'good';
  return {
    id: 'noise',
    label: 'Label noise (confident learning)',
    value,
    detail: `Estimated share of wrong labels on ${formatCount(noise.rows)} rows (95 % bootstrap interval); above ${formatShare(t.noiseMajor)} is a major finding, above ${formatShare(t.noiseBlocker)} a blocker.`,
    tone: level,
  };
}

/** The metric columns of the baseline table for a task. */
function metricColumns(task: Baseline['task']): string[] {
  return task === 'regression' ? ['R²', 'MAE'] : ['AUC (95 %)', 'PR-AUC (95 %)', 'Brier'];
}

function baselineRow(b: Baseline, best: Baseline | undefined): BaselineRowView {
  return {
    model: BASELINE_LABELS[b.model],
    best: b === best,
    featureCount: plural(b.features.length, 'column'),
    features: b.features.join(', '),
    split: splitText(b.split),
    metrics:
      b.task === 'regression'
        ? [metric3(b.r2), formatNumber(b.mae)]
        : [intervalCell(b.auc), intervalCell(b.prAuc), metric3(b.brier)],
    trainRows: formatCount(b.n.train),
    testRows: formatCount(b.n.test),
  };
}

/**
 * A review-sample value as text (never markup): data as written, dates at the
 * column's type (`2 Oct 2025`, not ISO text), missing as `—`.
 */
export function reviewCell(value: ReviewRow['values'][string] | undefined, type?: string): string {
  if (value === null || value === undefined) return MISSING;
  if (typeof value === 'boolean') return value ? 'true' : 'false';
  return formatCell(value, type === undefined ? {} : { type });
}

/** Column types of the assessed dataset, so review values read as the preview shows them. */
export function columnTypesOf(
  audit: Pick<AuditDocument, 'datasets' | 'primaryDatasetId'>,
): Record<string, string> {
  return Object.fromEntries((primaryDataset(audit)?.columns ?? []).map((c) => [c.name, c.type]));
}

export interface FeasibilityViewOptions {
  /** DuckDB type of each column of the assessed dataset, by name. */
  columnTypes?: Readonly<Record<string, string>>;
  /** The assessed dataset's target, when one is set. */
  target?: string | undefined;
}

/** What the view needs of the audit beside `audit.feasibility`. */
export function feasibilityViewOptions(
  audit: Pick<AuditDocument, 'datasets' | 'primaryDatasetId' | 'roles'>,
): FeasibilityViewOptions {
  return { columnTypes: columnTypesOf(audit), target: rolesOf(audit, primaryDatasetId(audit)).target };
}

function reviewView(f: Feasibility, types: Readonly<Record<string, string>>): ReviewView | null {
  const noise = f.labelNoise;
  if (!noise || noise.reviewSample.length === 0) return null;
  const columns = [...new Set(noise.reviewSample.flatMap((r) => Object.keys(r.values)))];
  return {
    columns,
    rows: noise.reviewSample.map((r) => ({
      givenLabel: r.givenLabel,
      probability: formatShare(r.givenLabelProbability),
      cells: columns.map((c) => reviewCell(r.values[c], types[c])),
    })),
    sizes: noise.reviewSizes.map(
      (s) =>
        `Hand-review ${formatCount(s.rows)} rows: if ${formatShare(noise.estimate)} of them are wrong, the 95 % Wilson interval is ${formatShare(s.lower)} to ${formatShare(s.upper)}.`,
    ),
  };
}

function noiseNotes(f: Feasibility): string[] {
  const notes: string[] = [];
  const knn = f.labelNoise?.knn;
  if (knn)
    notes.push(
      `A second way, k nearest neighbours (k = ${formatCount(knn.k)}) on ${formatCount(knn.sampleRows)} sampled rows: ${intervalCell(knn, (x) => formatShare(x))}.`,
    );
  const shape = f.noiseShape;
  if (shape)
    notes.push(
      `Disagreement among the 10 % of rows the baseline is surest of: ${formatShare(shape.surest10)}; among the surest 20 %: ${formatShare(shape.surest20)}. Wrong labels spread evenly keep both near the estimate; class overlap makes the first much lower.`,
    );
  return notes;
}

function charts(f: Feasibility, best: Baseline | undefined): FeasibilityChart[] {
  const model = best?.model ?? 'logistic';
  const prevalence = best?.positives && best.n.test > 0 ? best.positives.test / best.n.test : null;
  return [
    rocCurveSpec(f.roc, { model, auc: best?.auc ?? null, testRows: best?.n.test ?? 0 }),
    prCurveSpec(f.pr, { model, prAuc: best?.prAuc ?? null, prevalence }),
    learningCurveSpec(f.learningCurve, f.learningFit, f.task === 'regression' ? 'r2' : 'auc'),
    calibrationSpec(f.calibration, model),
  ].filter((c): c is FeasibilityChart => c !== null);
}

function aboutText(f: Feasibility): string {
  const capped = f.sample.capped ? ' (capped to keep the step fast)' : '';
  const seconds = formatDuration(f.durationMs / 1000, 'second');
  return `Computed ${formatTimestamp(f.computedAt)} in ${seconds}, on ${formatCount(f.sample.trainRows)} training and ${formatCount(f.sample.testRows)} held-out rows${capped}, with ${plural(f.designColumns, 'design column')} after encoding.`;
}

/** The Feasibility view of `audit.feasibility` (absent: the empty state). */
export function feasibilityView(
  f: Feasibility | undefined,
  options: FeasibilityViewOptions = {},
): FeasibilityViewModel {
  if (!f)
    return {
      kind: 'empty',
      message: options.target
        ? `${FEASIBILITY_EMPTY} The target “${options.target}” is set: it appears when the audit next runs.`
        : FEASIBILITY_EMPTY,
    };
  if (f.status === 'not-run')
    return { kind: 'not-run', band: bandView(f), reason: f.reason ?? 'The baselines did not run.' };
  const best = bestBaseline(f);
  const task = best?.task ?? (f.task === 'regression' ? 'regression' : 'binary');
  const metricName = task === 'regression' ? 'R²' : 'AUC';
  const headline = [
    best ? baselineItem(f, best) : null,
    targetItem(f),
    curveItem(f, metricName),
    noiseItem(f),
  ].filter((h): h is HeadlineItem => h !== null);
  return {
    kind: 'done',
    band: bandView(f),
    bestModel: best ? BASELINE_LABELS[best.model] : null,
    headline,
    metricColumns: metricColumns(task),
    baselines: f.baselines.map((b) => baselineRow(b, best)),
    excluded: f.excluded.map((e) => ({ column: e.column, reason: e.reason })),
    charts: charts(f, best),
    review: reviewView(f, options.columnTypes ?? {}),
    noiseNotes: noiseNotes(f),
    dropColumn: [...f.dropColumn]
      .sort((a, b) => b.drop - a.drop)
      .map((d) => ({ column: d.column, aucWithout: metric3(d.aucWithout), drop: signed(-d.drop) })),
    about: aboutText(f),
  };
}

export interface FindingLine {
  id: string;
  check: string;
  severity: string;
  title: string;
  recommendation: string;
  waived: boolean;
}

/** The audit's feasibility findings, most severe first, for the list under the headline. */
export function feasibilityFindingLines(audit: Pick<AuditDocument, 'findings' | 'waivers'>): FindingLine[] {
  const waived = new Set(audit.waivers.map((w) => w.findingId));
  return sortBySeverity(audit.findings.filter((f) => f.area === 'feasibility')).map((f) => ({
    id: f.id,
    check: f.check,
    severity: SEVERITY_LABELS[f.severity],
    title: f.title,
    recommendation: f.recommendation,
    waived: waived.has(f.id),
  }));
}

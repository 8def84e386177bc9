import type { Finding, Severity } from '../model/audit';
import type { Baseline, FeasibilityResult, Interval } from '../model/feasibility';
import type { FeasibilityFindingKind } from '../readiness/check-ids';
import type { FindingKindDefinition } from '../readiness/finding-facts';
import { findingId, fmtInt, fmtPct, round } from '../readiness/findings';
import { formatList, formatNumber } from '../format';
import { FEASIBILITY_THRESHOLDS, type FeasibilityThresholds } from '../thresholds';
import { BASELINE_DESCRIPTIONS } from './names';

/**
 * The feasibility step's findings: is there learnable signal, can the best
 * baseline reach the plan's targets, are the labels clean, would more rows
 * help, and does the baseline confirm a leak. Each is judged so that a senior
 * data scientist would sign it: "no signal" needs a tight interval, label
 * noise needs a baseline strong enough to tell errors from class overlap.
 */

export const FEASIBILITY_CHECKS = {
  noSignal: 'feasibility-no-signal',
  belowTarget: 'feasibility-below-target',
  labelNoise: 'feasibility-label-noise',
  learningCurve: 'feasibility-learning-curve',
  leak: 'feasibility-leak',
} as const satisfies Record<string, FeasibilityFindingKind>;

const AUC = { label: 'Held-out AUC', kind: 'number', digits: 3 } as const;
const AUC_LOWER = { label: 'AUC, lower end of the 95 % interval', kind: 'number', digits: 3 } as const;
const AUC_UPPER = { label: 'AUC, upper end of the 95 % interval', kind: 'number', digits: 3 } as const;
const TEST_ROWS = { label: 'Held-out rows', kind: 'count', unit: 'row' } as const;
const TRIED = { label: 'Baselines tried', kind: 'text' } as const;

export const FEASIBILITY_FINDING_DEFINITIONS: Readonly<
  Record<FeasibilityFindingKind, FindingKindDefinition>
> = {
  [FEASIBILITY_CHECKS.noSignal]: {
    id: FEASIBILITY_CHECKS.noSignal,
    area: 'feasibility',
    meaning:
      'Whether the columns predict the target at all, measured by simple baselines on rows they never saw; without signal no model will do better than chance.',
    fix: 'upstream',
    owner: 'domain-expertise',
    evidence: {
      auc: AUC,
      aucLower: AUC_LOWER,
      aucUpper: AUC_UPPER,
      r2: { label: 'Held-out R²', kind: 'number', digits: 3 },
      testRows: TEST_ROWS,
      tried: TRIED,
      features: { label: 'Features used', kind: 'count', unit: 'column' },
      upperBelow: { label: '“No signal” when the interval ends below', kind: 'number', digits: 2 },
      r2AtMost: { label: '“No signal” at an R² of at most', kind: 'number', digits: 2 },
    },
  },
  [FEASIBILITY_CHECKS.belowTarget]: {
    id: FEASIBILITY_CHECKS.belowTarget,
    area: 'feasibility',
    meaning:
      'What the simplest honest model reaches at the plan’s target recall; a gap shows how much a real model has to add.',
    fix: 'pipeline',
    owner: 'ml-engineering',
    evidence: {
      targetRecall: { label: 'Target recall', kind: 'share' },
      targetPrecision: { label: 'Target precision', kind: 'share' },
      precision: { label: 'Baseline precision at the target recall', kind: 'share' },
      precisionLower: { label: 'Precision, lower end of the 95 % interval', kind: 'share' },
      precisionUpper: { label: 'Precision, upper end of the 95 % interval', kind: 'share' },
      auc: AUC,
    },
  },
  [FEASIBILITY_CHECKS.labelNoise]: {
    id: FEASIBILITY_CHECKS.labelNoise,
    area: 'feasibility',
    meaning:
      'The share of labels that disagree confidently with what every other column predicts (confident learning); wrong labels cap any model and mislead its evaluation.',
    fix: 'upstream',
    owner: 'domain-expertise',
    evidence: {
      estimate: { label: 'Estimated share of wrong labels', kind: 'share' },
      lower: { label: 'Lower end of the 95 % interval', kind: 'share' },
      upper: { label: 'Upper end of the 95 % interval', kind: 'share' },
      knn: { label: 'Same estimate from nearest neighbours', kind: 'share' },
      rows: { label: 'Rows judged', kind: 'count', unit: 'row' },
      auc: AUC,
      surest10: { label: 'Disagreement among the surest 10 % of rows', kind: 'share' },
      surest20: { label: 'Disagreement among the surest 20 % of rows', kind: 'share' },
      reviewRows: { label: 'Suggested hand review', kind: 'count', unit: 'row' },
      majorAbove: { label: 'Major above', kind: 'share' },
      blockerAbove: { label: 'Blocker above', kind: 'share' },
    },
  },
  [FEASIBILITY_CHECKS.learningCurve]: {
    id: FEASIBILITY_CHECKS.learningCurve,
    area: 'feasibility',
    meaning:
      'Whether more rows of the same kind would still improve the baseline, from a learning curve on growing shares of the training rows.',
    fix: 'collect-more-data',
    owner: 'domain-expertise',
    evidence: {
      rows: { label: 'Training rows', kind: 'count', unit: 'row' },
      score: { label: 'Baseline score at all rows', kind: 'number', digits: 3 },
      gain: { label: 'Projected gain from doubling the rows', kind: 'number', digits: 3 },
      gainLower: { label: 'Gain, lower end', kind: 'number', digits: 3 },
      gainUpper: { label: 'Gain, upper end', kind: 'number', digits: 3 },
      metric: { label: 'Metric', kind: 'text' },
      flatBelow: { label: 'Flat below a gain of', kind: 'number', digits: 3 },
    },
  },
  [FEASIBILITY_CHECKS.leak]: {
    id: FEASIBILITY_CHECKS.leak,
    area: 'leakage',
    meaning:
      'A simple baseline that scores almost perfectly usually reads the answer from a column recorded after the outcome; removing each strong column in turn names it.',
    fix: 'pipeline',
    owner: 'domain-expertise',
    evidence: {
      auc: AUC,
      aucWithout: { label: 'AUC without the column', kind: 'number', digits: 3 },
      drop: { label: 'AUC lost without it', kind: 'number', digits: 3 },
      leakAt: { label: 'Suspicious from an AUC of', kind: 'number', digits: 2 },
    },
  },
};

/** What the findings need beside the result. */
export interface FeasibilityFindingInput {
  datasetId: string;
  target: string;
  thresholds?: Partial<FeasibilityThresholds>;
}

/** The baseline the findings judge: the result's best, else the first. */
export function bestBaseline(result: Pick<FeasibilityResult, 'baselines' | 'best'>): Baseline | undefined {
  return result.baselines.find((b) => b.model === result.best) ?? result.baselines[0];
}

const auc3 = (x: number | null | undefined): string => formatNumber(x ?? null, { digits: 3 });

function intervalText(i: Interval): string {
  return i.lower === null || i.upper === null
    ? auc3(i.estimate)
    : `${auc3(i.estimate)} (95 % interval ${auc3(i.lower)}–${auc3(i.upper)})`;
}

/** The feasibility findings of a result, most important first; none when the baselines did not run. */
export function feasibilityFindings(result: FeasibilityResult, input: FeasibilityFindingInput): Finding[] {
  if (result.status !== 'done') return [];
  const t = { ...FEASIBILITY_THRESHOLDS, ...input.thresholds };
  const best = bestBaseline(result);
  if (!best) return [];
  const make = maker(input, result.splitSql ?? '');
  return [
    signalFinding(result, best, t, make),
    targetFinding(result, best, make),
    noiseFinding(result, best, t, make),
    curveFinding(result, best, t, make),
    ...leakFindings(result, best, t, make),
  ].filter((f): f is Finding => f !== undefined);
}

interface Spec {
  severity: Severity;
  title: string;
  columns: string[];
  evidence: Record<string, number | string | boolean | null>;
  recommendation: string;
  details?: Record<string, unknown>[];
  key?: string;
}

type Make = (check: FeasibilityFindingKind, spec: Spec) => Finding;

function maker(input: FeasibilityFindingInput, sql: string): Make {
  return (check, spec) => ({
    id: findingId(check, input.datasetId, spec.key ?? 'summary'),
    check,
    area: FEASIBILITY_FINDING_DEFINITIONS[check].area,
    severity: spec.severity,
    title: spec.title,
    datasetId: input.datasetId,
    columns: spec.columns.length ? spec.columns : [input.target],
    evidence: Object.fromEntries(
      Object.entries(spec.evidence).map(([k, v]) => [k, typeof v === 'number' ? round(v) : v]),
    ),
    ...(spec.details ? { details: spec.details } : {}),
    // The fit itself is iterative (Newton steps solved in TypeScript), so no one statement gives
    // the AUC; the split's query reproduces the rows and positives each figure stands on.
    sql,
    recommendation: spec.recommendation,
  });
}

function triedText(result: FeasibilityResult): string {
  return formatList(result.baselines.map((b) => BASELINE_DESCRIPTIONS[b.model]));
}

/** What the best baseline's held-out score says about signal, by the one rule the findings, the view and the report share. */
export type SignalJudgement = 'none' | 'inconclusive' | 'found' | 'unknown';

/**
 * `none`: a tight interval around chance (binary: it covers 0.5 and ends below
 * `noSignalUpperAuc`; regression: R² at most `noSignalR2` on enough rows);
 * `inconclusive`: too few held-out rows, or an interval too wide to tell;
 * `found`: better than chance; `unknown`: no score.
 */
export function signalJudgement(
  best: Baseline,
  t: FeasibilityThresholds = FEASIBILITY_THRESHOLDS,
): SignalJudgement {
  if (best.task === 'regression') {
    if (best.r2 === null) return 'unknown';
    if (best.n.test < t.minTestRows) return 'inconclusive';
    // A clear R² needs few rows to show; "none" needs more, as R² has no interval here.
    if (best.r2 > t.noSignalR2) return 'found';
    return best.n.test >= t.noSignalMinTestRows ? 'none' : 'inconclusive';
  }
  const auc = best.auc;
  if (!auc || auc.lower === null || auc.upper === null) return 'unknown';
  const positives = best.positives;
  const enough =
    best.n.test >= t.minTestRows &&
    positives !== null &&
    positives.test >= t.minTestClassRows &&
    best.n.test - positives.test >= t.minTestClassRows;
  const coversChance = auc.lower <= 0.5 && auc.upper >= 0.5;
  if (!enough) return 'inconclusive';
  if (coversChance) return auc.upper < t.noSignalUpperAuc ? 'none' : 'inconclusive';
  return 'found';
}

function signalFinding(
  result: FeasibilityResult,
  best: Baseline,
  t: FeasibilityThresholds,
  make: Make,
): Finding | undefined {
  const features = best.features.length;
  const tried = triedText(result);
  const judgement = signalJudgement(best, t);
  if (judgement === 'unknown') return undefined;
  const none = judgement === 'none';
  if (best.task === 'regression') {
    const r2 = best.r2 ?? 0;
    return make(FEASIBILITY_CHECKS.noSignal, {
      severity: none ? 'blocker' : 'info',
      title: none
        ? `No learnable signal: the best baseline explains ${fmtPct(Math.max(0, r2))} of the target’s variance on ${fmtInt(best.n.test)} held-out rows`
        : judgement === 'found'
          ? `Signal found: the best baseline explains ${fmtPct(Math.max(0, r2))} of the target’s variance on held-out rows`
          : `Signal not judged: ${fmtInt(best.n.test)} held-out rows are too few to read an R²`,
      columns: best.features,
      evidence: { r2, testRows: best.n.test, tried, features, r2AtMost: t.noSignalR2 },
      recommendation: none
        ? `Tried ${tried} on ${fmtInt(features)} columns. Before any model work, check the target’s definition with the domain owner and look for the columns that drive it (other systems, the time before the prediction point).`
        : 'The baseline is the bar a real model must clear; see the learning curve for whether more rows would help.',
    });
  }
  const auc = best.auc!;
  return make(FEASIBILITY_CHECKS.noSignal, {
    severity: none ? 'blocker' : 'info',
    title: none
      ? `No learnable signal: the best baseline’s AUC is ${intervalText(auc)} on ${fmtInt(best.n.test)} held-out rows, no better than chance`
      : judgement === 'inconclusive'
        ? `Signal not established: the best baseline’s AUC is ${intervalText(auc)}, too uncertain on ${fmtInt(best.n.test)} held-out rows to tell`
        : `Signal found: the best baseline’s AUC is ${intervalText(auc)} on held-out rows`,
    columns: best.features,
    evidence: {
      auc: auc.estimate,
      aucLower: auc.lower,
      aucUpper: auc.upper,
      testRows: best.n.test,
      tried,
      features,
      upperBelow: t.noSignalUpperAuc,
    },
    recommendation: none
      ? `Tried ${tried} on ${fmtInt(features)} columns, on an honest split; none beats chance. Before any model work, check the target’s definition and its labelling with the domain owner, and look for the columns that drive it (other systems, behaviour before the prediction point).`
      : judgement === 'inconclusive'
        ? 'More labelled rows, or a longer history, are needed before the signal can be judged.'
        : 'This is the bar a real model must clear, measured on rows it never saw.',
  });
}

function targetFinding(result: FeasibilityResult, best: Baseline, make: Make): Finding | undefined {
  const check = result.targetCheck;
  if (!check || check.targetPrecision === null || best.auc === null) return undefined;
  const p = check.precision;
  // The plan is out of the baseline's reach only when even the interval's top end falls short.
  const gap = p.upper !== null && p.upper < check.targetPrecision;
  const reached = p.estimate >= check.targetPrecision;
  return make(FEASIBILITY_CHECKS.belowTarget, {
    severity: gap ? 'major' : 'info',
    title: gap
      ? `The baseline reaches ${fmtPct(p.estimate)} precision at the target recall of ${fmtPct(check.recall)}, short of the ${fmtPct(check.targetPrecision)} the plan asks`
      : reached
        ? `The baseline already reaches the plan’s target: ${fmtPct(p.estimate)} precision at ${fmtPct(check.recall)} recall`
        : `The baseline reaches ${fmtPct(p.estimate)} precision at ${fmtPct(check.recall)} recall; the plan’s ${fmtPct(check.targetPrecision)} is within its interval`,
    columns: [],
    evidence: {
      targetRecall: check.recall,
      targetPrecision: check.targetPrecision,
      precision: p.estimate,
      precisionLower: p.lower,
      precisionUpper: p.upper,
      auc: best.auc.estimate,
    },
    recommendation: gap
      ? 'A real model has to close this gap. Decide with the client whether the target is realistic, or which data would close it, before the build starts.'
      : 'The target is a fair bar: a model must beat the baseline by the plan’s required lift.',
  });
}

/**
 * Whether the label disagreement can be read as label error: the baseline
 * separates the classes well, enough rows were judged, and the disagreement is
 * as high where the baseline is surest as a little closer to the boundary
 * (errors spread evenly, not overlapping classes).
 */
export function noiseInterpretable(
  result: Pick<FeasibilityResult, 'labelNoise' | 'noiseShape'>,
  best: Baseline,
  t: FeasibilityThresholds = FEASIBILITY_THRESHOLDS,
): boolean {
  const shape = result.noiseShape ?? null;
  const strong = (best.auc?.estimate ?? 0) >= t.noiseInterpretableAuc;
  const flat = shape !== null && shape.surest10 > 0 && shape.surest20 / shape.surest10 <= t.noiseFlatRatio;
  return strong && flat && (result.labelNoise?.rows ?? 0) >= t.noiseMinRows;
}

/** Why the label disagreement can't be read as label error, in words; undefined when it can. */
export function noiseUnreadableReason(
  result: Pick<FeasibilityResult, 'labelNoise' | 'noiseShape'>,
  best: Baseline,
  t: FeasibilityThresholds = FEASIBILITY_THRESHOLDS,
): string | undefined {
  if (noiseInterpretable(result, best, t)) return undefined;
  if ((best.auc?.estimate ?? 0) < t.noiseInterpretableAuc)
    return `the baseline separates the classes too weakly (AUC below ${formatNumber(t.noiseInterpretableAuc, { digits: 2 })}) to tell wrong labels from classes that overlap`;
  const rows = result.labelNoise?.rows ?? 0;
  if (rows < t.noiseMinRows)
    return `${fmtInt(rows)} rows are too few to tell wrong labels from classes that overlap`;
  return 'the disagreement concentrates near the boundary between the classes, the mark of overlap rather than of wrong labels';
}

function noiseFinding(
  result: FeasibilityResult,
  best: Baseline,
  t: FeasibilityThresholds,
  make: Make,
): Finding | undefined {
  const noise = result.labelNoise;
  if (!noise) return undefined;
  const shape = result.noiseShape ?? null;
  const interpretable = noiseInterpretable(result, best, t);
  const severity: Severity = !interpretable
    ? 'info'
    : noise.estimate > t.noiseBlocker
      ? 'blocker'
      : noise.estimate > t.noiseMajor
        ? 'major'
        : 'info';
  const review = noise.reviewSizes[noise.reviewSizes.length - 1];
  const why = noiseUnreadableReason(result, best, t);
  return make(FEASIBILITY_CHECKS.labelNoise, {
    severity,
    title: interpretable
      ? `About ${fmtPct(noise.estimate)} of labels look wrong (95 % interval ${fmtPct(noise.lower ?? noise.estimate)}–${fmtPct(noise.upper ?? noise.estimate)})`
      : `${fmtPct(noise.estimate)} of labels disagree with the baseline, not read as label errors: ${why}`,
    columns: [],
    evidence: {
      estimate: noise.estimate,
      lower: noise.lower,
      upper: noise.upper,
      knn: noise.knn?.estimate ?? null,
      rows: noise.rows,
      auc: best.auc?.estimate ?? null,
      surest10: shape?.surest10 ?? null,
      surest20: shape?.surest20 ?? null,
      reviewRows: review?.rows ?? null,
      majorAbove: t.noiseMajor,
      blockerAbove: t.noiseBlocker,
    },
    recommendation:
      severity === 'info'
        ? 'No action on the labels from this alone; the review sample in the Feasibility view shows the rows the baseline disagrees with most.'
        : `Have the domain owner re-label a random sample of ${fmtInt(review?.rows ?? 200)} rows (the review sample lists the likeliest errors first) to confirm the rate, then fix the labelling process at its source.`,
  });
}

function curveFinding(
  result: FeasibilityResult,
  best: Baseline,
  t: FeasibilityThresholds,
  make: Make,
): Finding | undefined {
  const fit = result.learningFit;
  const last = result.learningCurve[result.learningCurve.length - 1];
  if (!fit || !last) return undefined;
  const metric = best.task === 'regression' ? 'R²' : 'AUC';
  const score = (best.task === 'regression' ? last.r2 : last.auc) ?? null;
  const g = fit.doublingGain;
  const rising = fit.trend === 'rising';
  return make(FEASIBILITY_CHECKS.learningCurve, {
    severity: rising ? 'minor' : 'info',
    title:
      fit.trend === 'flat'
        ? `Flat learning curve: more rows of the same kind won’t help the baseline (doubling adds ${auc3(g.estimate)} ${metric})`
        : rising
          ? `Still rising: doubling the rows is projected to add ${auc3(g.estimate)} ${metric} (${auc3(g.lower)} to ${auc3(g.upper)})`
          : `Learning curve unclear: doubling the rows would add ${auc3(g.lower)} to ${auc3(g.upper)} ${metric}`,
    columns: [],
    evidence: {
      rows: last.rows,
      score,
      gain: g.estimate,
      gainLower: g.lower,
      gainUpper: g.upper,
      metric,
      flatBelow: t.flatGain,
    },
    recommendation: rising
      ? result.sample.capped
        ? `The baselines were fitted on ${fmtInt(result.sample.trainRows)} of the training rows (a cap for speed) and still improve there: a model trained on every row will do better; collect more only if that one still rises.`
        : 'Plan for a longer history or more labelled rows; a model on today’s rows will improve with more.'
      : fit.trend === 'flat'
        ? 'Gains will come from better columns or a better target, not from more rows of the same kind.'
        : 'Re-run the curve once more rows are labelled.',
  });
}

function leakFindings(
  result: FeasibilityResult,
  best: Baseline,
  t: FeasibilityThresholds,
  make: Make,
): Finding[] {
  const auc = best.auc?.estimate;
  if (auc === undefined || auc < t.leakAuc) return [];
  const carriers = result.dropColumn.filter((d) => d.drop >= t.leakDrop);
  if (carriers.length === 0)
    return [
      make(FEASIBILITY_CHECKS.leak, {
        severity: 'info',
        key: 'baseline',
        title: `Near-perfect baseline (AUC ${auc3(auc)}), carried by no single column`,
        columns: [],
        evidence: { auc, leakAt: t.leakAuc },
        recommendation:
          'Removing any one strong column leaves the score near perfect: the signal is spread over many columns, as in an easy problem, not one leak. Confirm with the domain owner that every column is known at the prediction point.',
      }),
    ];
  return carriers.map((c) =>
    make(FEASIBILITY_CHECKS.leak, {
      severity: 'major',
      key: c.column,
      title: `“${c.column}” carries a near-perfect baseline (AUC ${auc3(auc)}, ${auc3(c.aucWithout)} without it): check that it is known before the outcome`,
      columns: [c.column],
      evidence: { auc, aucWithout: c.aucWithout, drop: c.drop, leakAt: t.leakAuc },
      recommendation: `Ask the domain owner when “${c.column}” is recorded. If after the outcome, drop it from every feature set; if before, keep it and note why the problem is this easy.`,
    }),
  );
}

/** The findings' kinds, for replacing them all when the step re-runs. */
export function isFeasibilityFinding(finding: Pick<Finding, 'check'>): boolean {
  return Object.hasOwn(FEASIBILITY_FINDING_DEFINITIONS, finding.check);
}

export { intervalText as feasibilityIntervalText };

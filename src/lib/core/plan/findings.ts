import type { Finding, Severity } from '../model/audit';
import type { PlanFindingKind } from '../readiness/check-ids';
import { GENERIC_MEANING, type FindingKindDefinition } from '../readiness/finding-facts';
import { findingId, fmtInt, fmtPct, round } from '../readiness/findings';
import { PLAN_THRESHOLDS, type PlanThresholds } from '../thresholds';
import type { PlanEvaluation } from './evaluate';
import type { MetricPlan, PlanResults } from '../model/plan';

/**
 * The plan's findings, in the `metrics` area, so the plan feeds the verdict
 * like every other check: no plan (info), accuracy on imbalanced data, a
 * target that cannot be verified, a target beyond capacity, a target not
 * above the best baseline (major), MAPE on a target with zeros (minor).
 */

export const PLAN_CHECKS = {
  noPlan: 'metrics-no-plan',
  accuracyParadox: 'metrics-accuracy-paradox',
  unverifiable: 'metrics-target-unverifiable',
  overCapacity: 'metrics-over-capacity',
  belowBaseline: 'metrics-below-baseline',
  mapeZeros: 'metrics-mape-zeros',
} as const satisfies Record<string, PlanFindingKind>;

type Evidence = Finding['evidence'];

/**
 * The plan's findings have no sentence of their own yet (the recommendation
 * says it), and go to ML engineering, handled in the modelling pipeline.
 */
const PLAN_FACTS = {
  area: 'metrics',
  meaning: GENERIC_MEANING,
  fix: 'pipeline',
  owner: 'ml-engineering',
} as const;

/** How each of the plan's findings reads: the label and kind of every evidence key, its fix and owner. */
export const PLAN_FINDING_DEFINITIONS: Readonly<Record<PlanFindingKind, FindingKindDefinition>> = {
  [PLAN_CHECKS.noPlan]: {
    id: PLAN_CHECKS.noPlan,
    ...PLAN_FACTS,
    evidence: {
      prevalence: { label: 'Positive rate', kind: 'share' },
      majorityAccuracy: { label: 'Accuracy of always the commonest class', kind: 'share' },
      bestRule: { label: 'Best one-feature rule', kind: 'text' },
    },
  },
  [PLAN_CHECKS.accuracyParadox]: {
    id: PLAN_CHECKS.accuracyParadox,
    ...PLAN_FACTS,
    evidence: {
      majorityLabel: { label: 'Commonest class', kind: 'text' },
      majorityAccuracy: { label: 'Accuracy of always the commonest class', kind: 'share' },
      minorityShare: { label: 'Share of the smallest class', kind: 'share' },
      imbalancedBelow: { label: 'Imbalanced below', kind: 'share' },
      accuracyTarget: { label: 'Accuracy target', kind: 'share' },
    },
  },
  [PLAN_CHECKS.overCapacity]: {
    id: PLAN_CHECKS.overCapacity,
    ...PLAN_FACTS,
    evidence: {
      precision: { label: 'Precision', kind: 'share' },
      recall: { label: 'Recall', kind: 'share' },
      prevalence: { label: 'Positive rate', kind: 'share' },
      flaggedShare: { label: 'Share of rows flagged', kind: 'share' },
      rowsPerPeriod: { label: 'Rows per period', kind: 'number' },
      flaggedPerPeriod: { label: 'Rows flagged per period', kind: 'number' },
      capacity: { label: 'Capacity per period', kind: 'count' },
      period: { label: 'Period', kind: 'text' },
    },
  },
  [PLAN_CHECKS.unverifiable]: {
    id: PLAN_CHECKS.unverifiable,
    ...PLAN_FACTS,
    evidence: {
      design: { label: 'Validation design', kind: 'text' },
      holdoutShare: { label: 'Held out', kind: 'share' },
      splitAt: { label: 'Split at', kind: 'date' },
      validationRows: { label: 'Validation rows', kind: 'count' },
      validationPositives: { label: 'Positives in validation', kind: 'count' },
      validationFlagged: { label: 'Rows flagged in validation', kind: 'number' },
      recallHalfWidth: { label: 'Recall uncertainty (±)', kind: 'share' },
      precisionHalfWidth: { label: 'Precision uncertainty (±)', kind: 'share' },
      maxHalfWidth: { label: 'Verifiable up to (±)', kind: 'share' },
      neededValidationRows: { label: 'Validation rows needed', kind: 'count' },
      baselineRecall: { label: 'Recall of the baseline', kind: 'share' },
      baselinePrecision: { label: 'Precision of the baseline', kind: 'share' },
    },
  },
  [PLAN_CHECKS.belowBaseline]: {
    id: PLAN_CHECKS.belowBaseline,
    ...PLAN_FACTS,
    evidence: {
      metric: { label: 'Metric', kind: 'text' },
      target: { label: 'Target', kind: 'number' },
      baseline: { label: 'Best baseline', kind: 'number' },
      baselineName: { label: 'Baseline', kind: 'text' },
      requiredLift: { label: 'Required lift over the baseline', kind: 'number' },
      required: { label: 'Target needed', kind: 'number' },
      excludedFromRuleSearch: { label: 'Left out of the rule search', kind: 'text' },
    },
  },
  [PLAN_CHECKS.mapeZeros]: {
    id: PLAN_CHECKS.mapeZeros,
    ...PLAN_FACTS,
    evidence: {
      zeros: { label: 'Rows with a target of zero', kind: 'count' },
      rows: { label: 'Labelled rows', kind: 'count' },
    },
  },
};

function scalarEvidence(values: Record<string, unknown>): Evidence {
  const out: Evidence = {};
  for (const [key, value] of Object.entries(values)) {
    if (value === undefined || value === null) out[key] = null;
    else if (typeof value === 'number') out[key] = Number.isFinite(value) ? value : null;
    else if (typeof value === 'string' || typeof value === 'boolean') out[key] = value;
    else out[key] = JSON.stringify(value);
  }
  return out;
}

function make(
  datasetId: string,
  check: PlanFindingKind,
  severity: Severity,
  spec: {
    title: string;
    columns: string[];
    evidence: Record<string, unknown>;
    sql: string;
    recommendation: string;
    details?: Record<string, unknown>[];
  },
): Finding {
  return {
    id: findingId(check, datasetId, 'plan'),
    check,
    area: 'metrics',
    severity,
    title: spec.title,
    datasetId,
    columns: spec.columns,
    evidence: scalarEvidence(spec.evidence),
    ...(spec.details ? { details: spec.details } : {}),
    sql: spec.sql,
    recommendation: spec.recommendation,
  };
}

const pct = (share: number | null | undefined): string =>
  share === null || share === undefined ? '?' : fmtPct(share);
const sqlOf = (results: PlanResults, ...keys: string[]): string =>
  keys
    .map((k) => results.sql[k])
    .filter((s): s is string => !!s)
    .join(';\n\n');

/** What every plan rule reads. */
interface PlanContext {
  id: string;
  /** The target column, as a finding's `columns`. */
  target: string[];
  plan: MetricPlan;
  results: PlanResults;
  evaluation: PlanEvaluation;
  thresholds: PlanThresholds;
}

type OperatingPoint = NonNullable<PlanEvaluation['operatingPoint']>;
type Verification = NonNullable<PlanEvaluation['verification']>;

/** Findings of the plan (or of its absence) against the computed results. */
export function planFindings(
  plan: MetricPlan | undefined,
  results: PlanResults,
  evaluation: PlanEvaluation,
  thresholds: PlanThresholds = PLAN_THRESHOLDS,
): Finding[] {
  const id = results.datasetId;
  const target = results.target ? [results.target] : [];
  if (!plan) return [noPlanFinding(id, target, results, evaluation)];
  const c: PlanContext = { id, target, plan, results, evaluation, thresholds };
  return [
    accuracyParadoxFinding(c),
    overCapacityFinding(c),
    unverifiableFinding(c),
    belowBaselineFinding(c),
    mapeZerosFinding(c),
  ].filter((f): f is Finding => f !== undefined);
}

function noPlanFinding(
  id: string,
  target: string[],
  results: PlanResults,
  evaluation: PlanEvaluation,
): Finding {
  return make(id, PLAN_CHECKS.noPlan, 'info', {
    title: 'No success-metric plan yet',
    columns: target,
    evidence: {
      prevalence: round(results.prevalence),
      majorityAccuracy: round(results.majorityAccuracy),
      bestRule: evaluation.bestRule ? evaluation.bestRule.feature : null,
    },
    sql: sqlOf(results, 'classes'),
    recommendation:
      'Before any modelling, write down with the client the decision a prediction triggers, who acts on it, the capacity, the cost of each kind of error and the minimum precision and recall worth running a model for. The baselines below are what the model must beat.',
  });
}

function accuracyParadoxFinding({
  id,
  target,
  plan,
  results,
  evaluation,
  thresholds,
}: PlanContext): Finding | undefined {
  if (plan.primaryMetric !== 'accuracy') return undefined;
  const comparison = evaluation.comparison;
  const atOrBelowMajority =
    comparison?.target !== null && comparison?.target !== undefined && results.majorityAccuracy !== null
      ? comparison.target <= results.majorityAccuracy
      : false;
  if (!evaluation.imbalanced && !atOrBelowMajority) return undefined;
  return make(id, PLAN_CHECKS.accuracyParadox, 'major', {
    title: `Accuracy is the primary metric, but always answering ${quoteLabel(results.majorityLabel)} is already ${pct(results.majorityAccuracy)} accurate`,
    columns: target,
    evidence: {
      majorityLabel: results.majorityLabel,
      majorityAccuracy: round(results.majorityAccuracy),
      minorityShare: round(Math.min(...results.classShares.map((c) => c.share))),
      imbalancedBelow: thresholds.imbalancedMinorityShare,
      accuracyTarget: comparison?.target ?? null,
    },
    details: results.classShares.map((c) => ({ label: c.label, count: c.count, share: round(c.share) })),
    sql: sqlOf(results, 'classes'),
    recommendation:
      'Make precision, recall (or F-beta, PR-AUC, expected cost) the primary metric: a model that never flags a case scores the majority share in accuracy and catches nothing (the accuracy paradox).',
  });
}

function overCapacityFinding({ id, target, plan, results, evaluation }: PlanContext): Finding | undefined {
  const point = evaluation.operatingPoint;
  if (!point?.overCapacity || point.flaggedPerPeriod === null || point.capacity === null) return undefined;
  return make(id, PLAN_CHECKS.overCapacity, 'major', {
    title: `The targets flag about ${fmtInt(point.flaggedPerPeriod)} cases a ${point.period}, but the team can act on ${fmtInt(point.capacity)}`,
    columns: target,
    evidence: {
      precision: point.precision,
      recall: round(point.recall),
      prevalence: round(point.prevalence),
      flaggedShare: round(point.flaggedShare),
      rowsPerPeriod: round(point.rowsPerPeriod, 1),
      flaggedPerPeriod: round(point.flaggedPerPeriod, 1),
      capacity: point.capacity,
      period: point.period,
    },
    sql: sqlOf(results, 'classes', 'periods'),
    recommendation: `Share flagged = prevalence × recall / precision = ${pct(point.flaggedShare)}. Raise the precision target, lower the recall target to what capacity allows (recall ≤ capacity × precision / (prevalence × rows per ${point.period})), or agree more capacity with ${plan.decision.actor || 'the team that acts'}.`,
  });
}

function unverifiableFinding({
  id,
  target,
  results,
  evaluation,
  thresholds,
}: PlanContext): Finding | undefined {
  const v = evaluation.verification;
  const point = evaluation.operatingPoint;
  if (!v || !point || v.verifiable !== false) return undefined;
  const parts = unverifiableReasons(v, point, thresholds);
  return make(id, PLAN_CHECKS.unverifiable, 'major', {
    title: `The target cannot be verified on the validation data: ${parts.join('; ') || 'too few validation rows'}`,
    columns: target,
    evidence: {
      design: results.split?.design ?? null,
      holdoutShare: results.split?.holdoutShare ?? null,
      splitAt: results.split?.splitAt ?? null,
      validationRows: v.validationRows,
      validationPositives: v.validationPositives,
      validationFlagged: round(v.validationFlagged, 1),
      recallHalfWidth: round(v.recallHalfWidth),
      precisionHalfWidth: round(v.precisionHalfWidth),
      maxHalfWidth: thresholds.maxTargetHalfWidth,
      neededValidationRows: v.neededValidationRows,
      baselineRecall: round(v.baselineRecall),
      baselinePrecision: round(v.baselinePrecision),
    },
    sql: sqlOf(results, 'split', 'classes'),
    recommendation: `Wilson 95 % intervals wider than ±${thresholds.maxTargetHalfWidth} (or fewer validation rows than the ${v.neededValidationRows === null ? '?' : fmtInt(v.neededValidationRows)} needed to tell the target from the best rule at 80 % power) mean a model could pass or fail by chance. Collect more labelled history, enlarge the holdout, or validate over several time folds.`,
  });
}

/** Each way the validation data falls short, as a clause of the finding's title. */
function unverifiableReasons(v: Verification, point: OperatingPoint, thresholds: PlanThresholds): string[] {
  const parts: string[] = [];
  const wide = (h: number | null): boolean => h !== null && h > thresholds.maxTargetHalfWidth;
  if (wide(v.recallHalfWidth) && v.recallHalfWidth !== null && v.validationPositives !== null)
    parts.push(
      `recall ${point.recall.toFixed(2)} ± ${v.recallHalfWidth.toFixed(2)} on ${fmtInt(v.validationPositives)} validation positives`,
    );
  if (wide(v.precisionHalfWidth) && v.precisionHalfWidth !== null && v.validationFlagged !== null)
    parts.push(
      `precision ${point.precision.toFixed(2)} ± ${v.precisionHalfWidth.toFixed(2)} on ${fmtInt(v.validationFlagged)} flagged validation rows`,
    );
  if (v.enoughRows === false && v.neededValidationRows !== null)
    parts.push(
      `telling it from the best rule (recall ${fmtNum(v.baselineRecall)}, precision ${fmtNum(v.baselinePrecision)}) needs about ${fmtInt(v.neededValidationRows)} validation rows, the design holds ${fmtInt(v.validationRows)}`,
    );
  return parts;
}

function belowBaselineFinding({ id, target, plan, results, evaluation }: PlanContext): Finding | undefined {
  const comparison = evaluation.comparison;
  if (!comparison?.notAbove) return undefined;
  const fmt = (x: number | null): string =>
    x === null ? '?' : comparison.lowerIsBetter || x > 1 ? String(round(x, 3)) : x.toFixed(3);
  return make(id, PLAN_CHECKS.belowBaseline, 'major', {
    title: `The ${comparison.metric} target (${fmt(comparison.target)}) is not above the best baseline, ${comparison.baselineName ?? '?'} (${fmt(comparison.baseline)})`,
    columns: [...target, ...(evaluation.bestRule ? [evaluation.bestRule.feature] : [])],
    evidence: {
      metric: comparison.metric,
      target: comparison.target,
      baseline: round(comparison.baseline),
      baselineName: comparison.baselineName,
      requiredLift: plan.targets.requiredLift,
      required: round(comparison.required),
      excludedFromRuleSearch: results.excludedColumns.map((c) => c.column).join(', '),
    },
    details: evaluation.rules.slice(0, 5).map((r) => ({
      rule: r.feature,
      direction: r.direction,
      threshold: r.threshold,
      precision: round(r.precision),
      recall: round(r.recall),
      flaggedShare: round(r.flaggedShare),
    })),
    sql: sqlOf(
      results,
      ...Object.keys(results.sql).filter(
        (k) => k.startsWith('rule:') || k === 'regression' || k === 'lastValue' || k === 'classes',
      ),
    ),
    recommendation:
      'Either the target is too modest — raise it above the baseline by the lift that justifies a model — or the simple rule may be all the client needs. Columns named by leakage findings were left out of the rule search, so the baseline is not a leak.',
  });
}

function mapeZerosFinding({ id, target, plan, results }: PlanContext): Finding | undefined {
  const usesMape = plan.primaryMetric === 'mape' || plan.secondaryMetrics.includes('mape');
  const zeros = results.regression?.zeros ?? 0;
  if (results.task !== 'regression' || !usesMape || zeros <= 0) return undefined;
  return make(id, PLAN_CHECKS.mapeZeros, 'minor', {
    title: `MAPE divides by the target, and ${fmtInt(zeros)} targets are zero`,
    columns: target,
    evidence: { zeros, rows: results.labelledRows },
    sql: sqlOf(results, 'regression'),
    recommendation:
      'MAPE is undefined on zero targets and explodes near them (those rows were left out of the baseline MAPE). Prefer MAE or a scaled error (MASE, Hyndman & Koehler 2006), or state how zeros are scored.',
  });
}

function fmtNum(x: number | null): string {
  return x === null ? '?' : x.toFixed(2);
}

function quoteLabel(label: string | null): string {
  return label === null ? '(missing)' : `“${label}”`;
}

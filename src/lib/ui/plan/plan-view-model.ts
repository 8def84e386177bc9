import { primaryDataset, rolesOf } from '../../core/audit/edits';
import type { AuditDocument } from '../../core/model/audit';
import {
  costVsShareSpec,
  rulePrCurveSpec,
  targetBandSpec,
  type PlanChart,
} from '../../core/charts/plan-charts';
import { evaluatePlan, ruleLabel, type PlanEvaluation } from '../../core/plan/evaluate';
import { planFindings } from '../../core/plan/findings';
import {
  BASELINE_CAVEAT,
  baselineAgainstTargets,
  type TargetComparison,
} from '../../core/feasibility/plan-comparison';
import { parsePlan } from '../../core/plan/document';
import { metricsForTask, type MetricName, type MetricPlan } from '../../core/model/plan';
import { costText, planSummary } from '../../core/plan/summary';
import { formatShare } from '../../core/format';
import { PLAN_THRESHOLDS } from '../../core/thresholds';

/**
 * The plan editor's form and what it shows, as plain functions: the component
 * only binds inputs and renders. Numbers the user leaves empty are `null` in
 * the form and absent in the plan.
 */
export interface PlanForm {
  action: string;
  actor: string;
  unit: 'money' | 'relative';
  currency: string;
  falsePositive: number | null;
  falseNegative: number | null;
  truePositiveValue: number | null;
  valueColumn: string;
  capacityCases: number | null;
  capacityPer: 'week' | 'month';
  primaryMetric: MetricName;
  secondaryMetrics: MetricName[];
  fBeta: number;
  minPrecision: number | null;
  minRecall: number | null;
  metricThreshold: number | null;
  requiredLift: number;
  design: 'random' | 'time' | 'group';
  holdoutShare: number;
  notes: string;
}

/** The form for the audit's saved plan, or a first one pre-filled from the task and roles. */
export function initialPlanForm(audit: AuditDocument): PlanForm {
  const plan = audit.plan?.plan;
  if (plan) return formFromPlan(plan);
  const primary = primaryDataset(audit);
  const roles = rolesOf(audit, primary?.id);
  const task = audit.context.task;
  return {
    action: audit.context.decision,
    actor: '',
    unit: 'relative',
    currency: '',
    falsePositive: null,
    falseNegative: null,
    truePositiveValue: null,
    valueColumn: '',
    capacityCases: null,
    capacityPer: 'month',
    primaryMetric: task === 'binary' ? 'recall' : task === 'multiclass' ? 'macro-f1' : 'mae',
    secondaryMetrics: [],
    fBeta: 1,
    minPrecision: null,
    minRecall: null,
    metricThreshold: null,
    requiredLift: 0,
    // Pre-filled from the roles: time-based with an event time, grouped by ID when there is one.
    design: roles.eventTime ? 'time' : roles.id ? 'group' : 'random',
    holdoutShare: PLAN_THRESHOLDS.defaultHoldoutShare,
    notes: '',
  };
}

export function formFromPlan(plan: MetricPlan): PlanForm {
  return {
    action: plan.decision.action,
    actor: plan.decision.actor,
    unit: plan.costs.unit,
    currency: plan.costs.currency ?? '',
    falsePositive: plan.costs.falsePositive ?? null,
    falseNegative: plan.costs.falseNegative ?? null,
    truePositiveValue: plan.costs.truePositiveValue ?? null,
    valueColumn: plan.costs.valueColumn ?? '',
    capacityCases: plan.capacity?.cases ?? null,
    capacityPer: plan.capacity?.per ?? 'month',
    primaryMetric: plan.primaryMetric,
    secondaryMetrics: [...plan.secondaryMetrics],
    fBeta: plan.fBeta,
    minPrecision: plan.targets.minPrecision ?? null,
    minRecall: plan.targets.minRecall ?? null,
    metricThreshold: plan.targets.metricThreshold ?? null,
    requiredLift: plan.targets.requiredLift,
    design: plan.validation.design,
    holdoutShare: plan.validation.holdoutShare,
    notes: plan.notes ?? '',
  };
}

const given = (x: number | null | undefined): x is number => typeof x === 'number' && Number.isFinite(x);

/** The plan a form describes, or the first problem with it. */
export function planFromForm(
  form: PlanForm,
): { ok: true; plan: MetricPlan } | { ok: false; message: string } {
  return parsePlan({
    decision: { action: form.action, actor: form.actor },
    costs: {
      unit: form.unit,
      ...(form.currency.trim() ? { currency: form.currency.trim() } : {}),
      ...(given(form.falsePositive) ? { falsePositive: form.falsePositive } : {}),
      ...(given(form.falseNegative) ? { falseNegative: form.falseNegative } : {}),
      ...(given(form.truePositiveValue) ? { truePositiveValue: form.truePositiveValue } : {}),
      ...(form.valueColumn ? { valueColumn: form.valueColumn } : {}),
    },
    ...(given(form.capacityCases) ? { capacity: { cases: form.capacityCases, per: form.capacityPer } } : {}),
    primaryMetric: form.primaryMetric,
    secondaryMetrics: form.secondaryMetrics.filter((m) => m !== form.primaryMetric),
    fBeta: form.fBeta,
    targets: {
      ...(given(form.minPrecision) ? { minPrecision: form.minPrecision } : {}),
      ...(given(form.minRecall) ? { minRecall: form.minRecall } : {}),
      ...(given(form.metricThreshold) ? { metricThreshold: form.metricThreshold } : {}),
      requiredLift: given(form.requiredLift) ? form.requiredLift : 0,
    },
    validation: { design: form.design, holdoutShare: form.holdoutShare },
    ...(form.notes.trim() ? { notes: form.notes } : {}),
  });
}

/** The metrics the editor offers for the audit's task. */
export function metricChoices(audit: AuditDocument): readonly MetricName[] {
  return metricsForTask(audit.context.task);
}

/** Numeric columns of the primary dataset: candidates for the per-row value column. */
export function valueColumnChoices(audit: AuditDocument): string[] {
  const primary = primaryDataset(audit);
  const profile = primary ? audit.profiles[primary.id] : undefined;
  return profile ? profile.columns.filter((c) => c.family === 'numeric').map((c) => c.name) : [];
}

export interface PlanPreview {
  evaluation: PlanEvaluation;
  summary: string;
  findings: ReturnType<typeof planFindings>;
  charts: PlanChart[];
  rules: { label: string; precision: string; recall: string; share: string; cost: string }[];
  /** The plan's targets against the best honest baseline (feasibility step); none before it ran. */
  baseline: { comparisons: TargetComparison[]; caveat: string | null };
}

/** The plan (as edited, not yet saved) against the stored feasibility baselines. */
export function baselineComparison(
  audit: AuditDocument,
  plan: MetricPlan | undefined,
): PlanPreview['baseline'] {
  const comparisons = baselineAgainstTargets(audit.feasibility, plan);
  return {
    comparisons,
    caveat: comparisons.some((c) => c.standing !== 'meets') ? BASELINE_CAVEAT : null,
  };
}

/** Everything the editor shows for a plan (or none) against the saved results; no SQL, so it runs on every keystroke. */
export function planPreview(audit: AuditDocument, plan: MetricPlan | undefined): PlanPreview | undefined {
  const results = audit.plan?.results;
  if (!results) return undefined;
  const evaluation = evaluatePlan(plan, results);
  const charts = [
    rulePrCurveSpec(evaluation, plan),
    costVsShareSpec(evaluation, plan, results),
    targetBandSpec(evaluation),
  ].filter((c): c is PlanChart => c !== null);
  return {
    evaluation,
    summary: planSummary(plan, results, evaluation),
    baseline: baselineComparison(audit, plan),
    findings: planFindings(plan, results, evaluation),
    charts,
    rules: evaluation.rules.map((r) => ({
      label: ruleLabel(r),
      precision: formatShare(r.precision),
      recall: formatShare(r.recall),
      share: formatShare(r.flaggedShare),
      cost: r.cost === null || !evaluation.costs ? '—' : costText(r.cost, evaluation.costs),
    })),
  };
}

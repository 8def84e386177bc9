import { primaryDatasetId, rolesOf, withReplacedFindings } from '../audit/edits';
import type { AuditDocument } from '../model/audit';
import type { Feasibility, FeasibilityResult } from '../model/feasibility';
import type { MetricPlan } from '../model/plan';
import { wilsonInterval } from '../stats/wilson';
import { bestBaseline, feasibilityFindings, isFeasibilityFinding, noiseInterpretable } from './findings';

/**
 * The feasibility step inside the audit document, as pure edits: its findings
 * replace the previous run's, the verdict follows them, and the band follows
 * the verdict (every edit derives both, see `withDerivedVerdict`).
 */

/** A result for a step that did not run, with why (no target, multiclass, `--no-baseline`…). */
export function feasibilityNotRun(reason: string, computedAt: string): FeasibilityResult {
  return {
    status: 'not-run',
    reason,
    excluded: [],
    designColumns: 0,
    sample: { capped: false, trainRows: 0, testRows: 0 },
    baselines: [],
    best: null,
    roc: [],
    pr: [],
    calibration: [],
    learningCurve: [],
    learningFit: null,
    labelNoise: null,
    dropColumn: [],
    computedAt,
    durationMs: 0,
  };
}

/**
 * The plan's targets against the best baseline (binary, with a minimum
 * recall): the precision at the highest threshold whose recall reaches the
 * target, read off the held-out precision–recall curve, with the Wilson
 * interval of that precision over the rows it flags. Derived from the plan
 * each time, so a plan edited later needs no SQL.
 */
export function targetCheckOf(
  result: FeasibilityResult,
  plan: MetricPlan | undefined,
): FeasibilityResult['targetCheck'] {
  const recall = plan?.targets.minRecall;
  const best = bestBaseline(result);
  if (recall === undefined || !best?.positives || best.task !== 'binary') return null;
  // Curve points run from high thresholds (low recall) to low; the first that reaches the recall is the highest threshold.
  const point = [...result.pr].sort((a, b) => a.x - b.x).find((p) => p.x >= recall);
  if (!point || point.y <= 0) return null;
  const truePositives = point.x * best.positives.test;
  const flagged = Math.round(truePositives / point.y);
  const interval = wilsonInterval(Math.min(flagged, Math.round(truePositives)), flagged);
  if (!interval) return null;
  return {
    recall,
    precision: { estimate: point.y, lower: interval.lower, upper: interval.upper },
    targetPrecision: plan?.targets.minPrecision ?? null,
  };
}

/** Save a feasibility result: its findings, the verdict and the band. */
export function withFeasibility(audit: AuditDocument, computed: FeasibilityResult): AuditDocument {
  const datasetId = primaryDatasetId(audit);
  const target = datasetId ? rolesOf(audit, datasetId).target : undefined;
  const best = bestBaseline(computed);
  const noise = computed.labelNoise;
  const result: FeasibilityResult = {
    ...computed,
    targetCheck: targetCheckOf(computed, audit.plan?.plan),
    labelNoise: noise && best ? { ...noise, interpretable: noiseInterpretable(computed, best) } : noise,
  };
  const fresh = datasetId && target ? feasibilityFindings(result, { datasetId, target }) : [];
  // The band is derived with the verdict (audit/edits), from the findings this run leaves.
  const feasibility: Feasibility = { ...result, band: 'C', bandReason: '' };
  return withReplacedFindings({ ...audit, feasibility }, isFeasibilityFinding, fresh);
}

/** The stored result's findings derived again (after the metric plan's targets changed). */
export function withFeasibilityRefreshed(audit: AuditDocument): AuditDocument {
  if (!audit.feasibility) return audit;
  const { band: _band, bandReason: _reason, ...result } = audit.feasibility;
  return withFeasibility(audit, result);
}

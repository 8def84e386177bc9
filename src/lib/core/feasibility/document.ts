import { primaryDatasetId, rolesOf, withReplacedFindings } from '../audit/edits';
import type { AuditDocument } from '../model/audit';
import type { Feasibility, FeasibilityResult } from '../model/feasibility';
import { feasibilityFindings, isFeasibilityFinding } from './findings';

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

/** Save a feasibility result: its findings, the verdict and the band. */
export function withFeasibility(audit: AuditDocument, result: FeasibilityResult): AuditDocument {
  const datasetId = primaryDatasetId(audit);
  const target = datasetId ? rolesOf(audit, datasetId).target : undefined;
  const fresh = datasetId && target ? feasibilityFindings(result, { datasetId, target }) : [];
  // The band is derived with the verdict (audit/edits), from the findings this run leaves.
  const feasibility: Feasibility = { ...result, band: 'C', bandReason: '' };
  return withReplacedFindings({ ...audit, feasibility }, isFeasibilityFinding, fresh);
}

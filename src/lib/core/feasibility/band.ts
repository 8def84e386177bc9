import type { Area, AuditDocument, Finding } from '../model/audit';
import type { Feasibility } from '../model/feasibility';
import { formatList } from '../format';
import { AREA_LABELS } from '../readiness/area-labels';
import { FEASIBILITY_CHECKS } from './findings';

/**
 * The Data Readiness Level band (Lawrence 2017, "Data Readiness Levels",
 * arXiv:1705.02245), mapped onto the audit (README, "Data Readiness Levels"):
 *
 * - C, "accessible": the data loads and is profiled;
 * - B, "valid": no open blocker or major in the areas that say whether the
 *   data is faithful (quality, consistency, timestamps, labels, coverage);
 * - A, "appropriate for the question": valid, a target is set, no open blocker
 *   anywhere, and the baselines found learnable signal.
 */

/** Areas whose open blockers and majors keep the data out of band B. */
export const VALIDITY_AREAS: readonly Area[] = ['quality', 'consistency', 'time', 'labels', 'coverage'];

export interface BandJudgement {
  band: Feasibility['band'];
  reason: string;
}

function openFindings(audit: AuditDocument): { blockers: Finding[]; majors: Finding[] } {
  const byId = new Map(audit.findings.map((f) => [f.id, f]));
  const pick = (ids: readonly string[] | undefined) =>
    (ids ?? []).map((id) => byId.get(id)).filter((f): f is Finding => f !== undefined);
  return { blockers: pick(audit.verdict?.openBlockers), majors: pick(audit.verdict?.openMajors) };
}

function areasText(findings: readonly Finding[]): string {
  return formatList([...new Set(findings.map((f) => AREA_LABELS[f.area].toLowerCase()))]);
}

/** The band of an audit whose primary dataset's target is `target`, with one sentence on why. */
export function readinessBand(audit: AuditDocument, target: string | undefined): BandJudgement {
  const { blockers, majors } = openFindings(audit);
  const invalid = [...blockers, ...majors].filter((f) => VALIDITY_AREAS.includes(f.area));
  if (invalid.length > 0)
    return {
      band: 'C',
      reason: `The data loads, but ${invalid.length === 1 ? 'an open finding' : `${invalid.length} open findings`} in ${areasText(invalid)} must be fixed before it can be called valid.`,
    };
  const feasibility = audit.feasibility;
  if (!target)
    return {
      band: 'B',
      reason: 'The data is valid; with no target set, whether it fits the question is not assessed.',
    };
  if (!feasibility || feasibility.status !== 'done')
    return {
      band: 'B',
      reason: `The data is valid; the baselines did not run${feasibility?.reason ? ` (${feasibility.reason.replace(/\.$/, '')})` : ''}, so learnability is not established.`,
    };
  const noSignal = blockers.some((f) => f.check === FEASIBILITY_CHECKS.noSignal);
  if (noSignal)
    return {
      band: 'B',
      reason: 'The data is valid, but no baseline finds learnable signal for this target.',
    };
  if (blockers.length > 0)
    return {
      band: 'B',
      reason: `The data is valid, but ${blockers.length === 1 ? 'a blocker' : `${blockers.length} blockers`} in ${areasText(blockers)} stand between it and the question.`,
    };
  return {
    band: 'A',
    reason:
      majors.length > 0
        ? `The data is valid and fits the question: the baselines find signal; ${majors.length === 1 ? 'one major finding is' : `${majors.length} major findings are`} still to handle.`
        : 'The data is valid and fits the question: the baselines find signal and nothing blocks.',
  };
}

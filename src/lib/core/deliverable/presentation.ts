import type { Finding, Severity } from '../model/audit';
import {
  findEvidenceLabel,
  formatEvidenceValue,
  keyWords,
  type EvidenceLabel,
  type EvidenceLabels,
  type EvidenceScalar,
} from '../format';
import type { FindingChart } from '../charts/finding-charts';
import { DRIFT_HISTORY_KIND } from '../drift/history';
import { PLAN_FINDING_DEFINITIONS } from '../plan/findings';
import { FEASIBILITY_FINDING_DEFINITIONS } from '../feasibility/findings';
import { RELATION_FINDING_DEFINITIONS } from '../relations/definitions';
import { isCheckId, type CheckId, type FindingKind } from '../readiness/check-ids';
import {
  GENERIC_MEANING,
  type FindingKindDefinition,
  type FindingPresentation,
} from '../readiness/finding-facts';
import { sortFindings } from '../readiness/findings';
import { checkById } from '../readiness/registry';
import { DELIVERABLE_FINDING_DEFINITIONS } from './findings';

/** Re-exported for the reports that import them from here; the home is core/format. */
export { formatCount, formatNumber, formatShare } from '../format';

/**
 * How findings read to a client: most severe first, evidence under human
 * labels with formatted numbers and percentages, and one sentence per check
 * on what it means for the project. Pure text; the reports escape it.
 */

/** Findings most severe first (blockers, majors, minors, info), then by area and id. */
export function sortBySeverity(findings: readonly Finding[]): Finding[] {
  return sortFindings(findings);
}

export const SEVERITY_LABELS: Record<Severity, string> = {
  blocker: 'Blocker',
  major: 'Major',
  minor: 'Minor',
  info: 'Info',
};

/** `minorityShare` → `Minority share`, `real-time` → `Real time`, `presenceAuc` → `Presence AUC`: words for an enum value or an unknown key. */
export function humanizeKey(key: string): string {
  const words = keyWords(key);
  return words.charAt(0).toUpperCase() + words.slice(1);
}

/** What a finding of a failed check carries (engine/run-readiness), whatever the check. */
const FAILED_CHECK_EVIDENCE: EvidenceLabels = {
  check: { label: 'Check', kind: 'text' },
  error: { label: 'Error', kind: 'text' },
};

/** Every finding kind that is not a readiness check, each defined next to the code that raises it. */
export const FINDING_KINDS: Readonly<Record<FindingKind, FindingKindDefinition>> = {
  ...PLAN_FINDING_DEFINITIONS,
  ...DELIVERABLE_FINDING_DEFINITIONS,
  ...FEASIBILITY_FINDING_DEFINITIONS,
  ...RELATION_FINDING_DEFINITIONS,
  'drift-history': DRIFT_HISTORY_KIND,
};

function isFindingKind(check: string): check is FindingKind {
  return Object.hasOwn(FINDING_KINDS, check);
}

/**
 * How the findings of a check read and are fixed: its meaning, work-plan fix
 * and owner, chart and evidence labels, from its definition (a readiness
 * check, or a finding kind of the plan, the deliverable or drift history).
 * Undefined only for a check this version does not know (an audit saved by
 * another version).
 */
export function presentationOf(check: CheckId | FindingKind): FindingPresentation;
export function presentationOf(check: string): FindingPresentation | undefined;
export function presentationOf(check: string): FindingPresentation | undefined {
  if (isCheckId(check)) return checkById(check);
  return isFindingKind(check) ? FINDING_KINDS[check] : undefined;
}

/** The evidence labels of a check, from its definition. */
export function evidenceLabelsOf(check: string): EvidenceLabels | undefined {
  return presentationOf(check)?.evidence;
}

/** The label of one evidence key of a check, or undefined when it has none (see the evidence-labels test). */
export function evidenceLabelOf(check: string, key: string): EvidenceLabel | undefined {
  return findEvidenceLabel(evidenceLabelsOf(check), key) ?? FAILED_CHECK_EVIDENCE[key];
}

/** The human label of an evidence key; words from the key for an audit saved before its label existed. */
export function evidenceLabel(check: string, key: string): string {
  return evidenceLabelOf(check, key)?.label ?? humanizeKey(key);
}

/** An evidence value formatted for a reader, as its check labels it (`2,831 rows`, `98.6 %`, `3 Nov 2023`). */
export function formatEvidence(
  finding: Pick<Finding, 'check' | 'evidence'>,
  key: string,
  value: EvidenceScalar = finding.evidence[key],
): string {
  return formatEvidenceValue(evidenceLabelOf(finding.check, key), value, finding.evidence);
}

/** Evidence keys whose value quotes a whole row of the data (e.g. one conflicting-label pair), not an aggregate. */
export const ROW_EVIDENCE_KEYS: ReadonlySet<string> = new Set(['example']);

/**
 * Evidence as label/value pairs, in the finding's own order. With
 * `aggregatesOnly`, values that quote a row of the data are left out, as the
 * client-facing reports promise.
 */
export function evidenceRows(
  finding: Pick<Finding, 'check' | 'evidence'>,
  options: { aggregatesOnly?: boolean } = {},
): { label: string; value: string }[] {
  return Object.entries(finding.evidence)
    .filter(([key]) => !(options.aggregatesOnly && ROW_EVIDENCE_KEYS.has(key)))
    .map(([key, value]) => ({
      label: evidenceLabel(finding.check, key),
      value: formatEvidence(finding, key, value),
    }));
}

/**
 * The one number a one-line summary shows for a finding: its first share, or
 * else its first count, labelled.
 */
export function keyNumber(finding: Pick<Finding, 'check' | 'evidence'>): string | null {
  const entries = Object.entries(finding.evidence).filter(
    (e): e is [string, number] => typeof e[1] === 'number' && !/threshold|above|below|reference/i.test(e[0]),
  );
  const pick = entries.find(([k]) => evidenceLabelOf(finding.check, k)?.kind === 'share') ?? entries[0];
  return pick
    ? `${evidenceLabel(finding.check, pick[0])}: ${formatEvidence(finding, pick[0], pick[1])}`
    : null;
}

/** The "what it means" sentence of a finding's check, or a generic one for a check this version does not know. */
export function findingMeaning(finding: Pick<Finding, 'check'>): string {
  return presentationOf(finding.check)?.meaning ?? GENERIC_MEANING;
}

/** The chart that helps read a finding (its check's own builder), or null when its details table says it all. */
export function findingChart(finding: Finding): FindingChart | null {
  const spec = presentationOf(finding.check)?.chart?.(finding);
  if (!spec) return null;
  const title = typeof spec.title === 'string' ? spec.title : 'Chart';
  return { spec, label: `${title}: ${finding.title}` };
}

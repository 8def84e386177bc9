import type { Finding, Severity } from '../audit/schema';
import {
  findEvidenceLabel,
  formatEvidenceValue,
  keyWords,
  type EvidenceLabel,
  type EvidenceLabels,
  type EvidenceScalar,
} from '../format';
import { DRIFT_HISTORY_EVIDENCE } from '../drift/history';
import { PLAN_EVIDENCE } from '../plan/findings';
import { sortFindings } from '../readiness/findings';
import { checkById } from '../readiness/registry';
import { DELIVERABLE_EVIDENCE } from './findings';

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

/**
 * The evidence labels of a check, from the one place each is defined: next
 * to the readiness check, the plan's findings, drift history, or the
 * deliverable's derived findings.
 */
export function evidenceLabelsOf(check: string): EvidenceLabels | undefined {
  return (
    checkById(check)?.evidence ??
    PLAN_EVIDENCE[check] ??
    DELIVERABLE_EVIDENCE[check] ??
    (check === 'drift-history' ? DRIFT_HISTORY_EVIDENCE : undefined)
  );
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

/** What each check's finding means for the project, in one sentence. */
export const CHECK_MEANINGS: Record<string, string> = {
  'volume-rows': 'How many rows there are to learn from; too few and any model will mostly learn noise.',
  'volume-classes':
    'How many examples each class has; the rarest class limits what a model can learn about it.',
  'volume-features':
    'What a model could learn from; with no candidate feature there is nothing to learn but time.',
  'volume-epv':
    'Rows (or rare-class rows) per candidate feature; too few and a model fits noise, so its reported accuracy will not hold.',
  'volume-segments': 'How many rows each segment has; thin segments get unreliable predictions.',
  'volume-months':
    'How many months the data spans; seasonality and trends need several cycles to be learned.',
  'labels-no-target':
    'Without a target column the label checks could not run, so nothing is known yet about the labels’ quality.',
  'labels-missing': 'Rows without a label cannot be used for training and may hide a biased selection.',
  'labels-variants':
    'The same label is spelled several ways; unless they are merged, one class is split in pieces.',
  'labels-conflicting':
    'Identical inputs carry different labels, which caps the accuracy any model can reach and suggests labelling errors.',
  'labels-by-source':
    'A source labels differently from the others; the model may learn the source instead of the outcome.',
  'labels-over-time':
    'The label rate changes over time; a model trained on the past may miss-estimate the future.',
  'time-role':
    'A column chosen as a time cannot be read as dates, so every time-based check and split is blind.',
  'time-future': 'Dates after the as-of date are impossible and point to entry or conversion errors.',
  'time-sentinel': 'Placeholder dates stand for “unknown” and would be read as real dates by a model.',
  'time-before-start': 'Dates before the business could have recorded them are errors or placeholders.',
  'time-text-formats': 'Dates stored as text in several formats will be misread unless parsed explicitly.',
  'time-of-day':
    'Timestamps stuck at midnight carry only a date; time-of-day features from them are meaningless.',
  'time-order': 'Events recorded in an impossible order break any time-based split or feature.',
  'time-outcome-before-event':
    'Outcomes dated before the prediction point mean the label or the dates are wrong for these rows.',
  'time-split':
    'The data is ordered in time, so a model must be validated on a later period than it learned from, or its scores overstate how it will do.',
  'coverage-span': 'The period the data covers; the model only knows the conditions seen in it.',
  'coverage-gaps': 'Months without data leave holes that skew trends and time-based validation.',
  'coverage-recency':
    'The newest data is old; the model would learn from conditions that may no longer hold.',
  'coverage-class-balance': 'The class balance shifts over time, so past performance may not carry forward.',
  'coverage-segments':
    'Some segments are missing in some periods, so the model cannot learn them consistently.',
  'coverage-categories': 'Categories appear or disappear over time; the model will meet values it never saw.',
  'consistency-nulls':
    'A source leaves a field empty far more often than others, a sign of a different process.',
  'consistency-distribution':
    'A field is distributed differently in one source, so combining sources mixes two populations.',
  'consistency-vocabulary':
    'Sources spell the same values differently; unmerged, one category becomes several.',
  'consistency-scale':
    'A source records a field on another scale (units, cents), which corrupts any model using it.',
  'leakage-single-feature':
    'A single field predicts the label almost perfectly, which usually means it is only known after the outcome.',
  'leakage-strong-features':
    'Some fields predict the label strongly but plausibly; confirm each is known when the prediction is made.',
  'leakage-derived':
    'The target can be computed from other fields, so a model would recompute it rather than predict it.',
  'structure-groups':
    'Rows come in groups of the same entity; a random split would test the model on entities it has seen.',
  'leakage-id-like':
    'An identifier carries signal about the label; a model would memorise IDs instead of learning.',
  'leakage-timestamps': 'A timestamp is recorded after the outcome, so it leaks the answer into training.',
  'leakage-split-duplicates':
    'Duplicates would land on both sides of a random split and inflate the measured accuracy.',
  'quality-duplicates': 'Exact duplicate rows over-weight some records and inflate validation scores.',
  'quality-constant': 'A field with a single value carries no information and can be dropped.',
  'quality-missing-like':
    'Text placeholders like “N/A” are missing values in disguise and must be treated as such.',
  'quality-sentinels': 'Numeric codes such as 99999 stand for “unknown” and distort any statistic or model.',
  'quality-mixed-types': 'A field mixes numbers, dates and text, so it cannot be used until it is cleaned.',
  'privacy-pii':
    'The field holds personal data; it must be removed or protected before modelling or sharing.',
  'integration-serving-freshness':
    'Real-time predictions need fresh inputs; a source exported daily or by hand cannot provide them.',
  'integration-history':
    'The source keeps less history than the training window needs, so the model cannot be trained as planned.',
  'integration-legacy-owner':
    'Nobody answers for a legacy system the pipeline depends on, so its failures will go unresolved.',
  'integration-access-unknown':
    'Until it is known how the source is reached, the pipeline cannot be planned.',
  'integration-serving-undecided':
    'How predictions reach their users decides the plumbing to build, its cost and its latency.',
  'team-gap': 'A role nobody covers becomes the bottleneck of the project.',
  'team-domain-review': 'Without regular review by a domain expert, label and feature errors are found late.',
};

/** The "what it means" sentence of a finding's check, or its area's generic one. */
export function findingMeaning(finding: Pick<Finding, 'check'>): string {
  return CHECK_MEANINGS[finding.check] ?? 'See the recommendation for what to do about it.';
}

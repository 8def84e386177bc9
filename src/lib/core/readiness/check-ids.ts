/**
 * Every finding kind the audit produces, as typed unions: the readiness
 * checks (`CheckId`, in the order the findings view lists them) and the kinds
 * derived elsewhere (`FindingKind`: the metric plan's, the deliverable's maps,
 * drift month by month). Each id owns its presentation facts (meaning, fix,
 * owner, chart, evidence labels) on its definition; TypeScript holds every id
 * to them. Imports nothing, so any module can name an id.
 */

export const READINESS_CHECK_IDS = [
  'volume-rows',
  'volume-classes',
  'volume-features',
  'volume-epv',
  'volume-segments',
  'volume-months',
  'labels-no-target',
  'labels-missing',
  'labels-variants',
  'labels-conflicting',
  'labels-by-source',
  'labels-over-time',
  'time-role',
  'time-future',
  'time-sentinel',
  'time-before-start',
  'time-text-formats',
  'time-of-day',
  'time-order',
  'time-outcome-before-event',
  'time-split',
  'coverage-span',
  'coverage-gaps',
  'coverage-recency',
  'coverage-class-balance',
  'coverage-segments',
  'coverage-categories',
  'consistency-nulls',
  'consistency-distribution',
  'consistency-vocabulary',
  'consistency-scale',
  'leakage-single-feature',
  'leakage-strong-features',
  'leakage-derived',
  'leakage-id-like',
  'leakage-timestamps',
  'leakage-split-duplicates',
  'structure-groups',
  'quality-duplicates',
  'quality-constant',
  'quality-missing-like',
  'quality-sentinels',
  'quality-mixed-types',
  'privacy-pii',
] as const;

/** The id of a readiness check, the `check` of its findings. */
export type CheckId = (typeof READINESS_CHECK_IDS)[number];

export const PLAN_FINDING_KINDS = [
  'metrics-no-plan',
  'metrics-accuracy-paradox',
  'metrics-target-unverifiable',
  'metrics-over-capacity',
  'metrics-below-baseline',
  'metrics-mape-zeros',
] as const;

export const DELIVERABLE_FINDING_KINDS = [
  'integration-serving-freshness',
  'integration-history',
  'integration-legacy-owner',
  'integration-access-unknown',
  'integration-serving-undecided',
  'team-gap',
  'team-domain-review',
] as const;

/** Findings of the feasibility step (core/feasibility/findings): signal, targets, label noise, learning curve, a leak the baseline confirms. */
export const FEASIBILITY_FINDING_KINDS = [
  'feasibility-no-signal',
  'feasibility-below-target',
  'feasibility-label-noise',
  'feasibility-learning-curve',
  'feasibility-leak',
] as const;

/** Findings on related tables (core/relations/findings): keys, orphans, fan-out, formats, point in time, reach. */
export const RELATION_FINDING_KINDS = [
  'relations-duplicate-keys',
  'relations-orphans',
  'relations-null-keys',
  'relations-childless',
  'relations-fanout',
  'relations-key-format',
  'relations-point-in-time',
  'relations-unreachable',
] as const;

/** The metric plan's findings (core/plan/findings). */
export type PlanFindingKind = (typeof PLAN_FINDING_KINDS)[number];
/** Findings derived from the deliverable's system and team maps (core/deliverable/findings). */
export type DeliverableFindingKind = (typeof DELIVERABLE_FINDING_KINDS)[number];
/** The feasibility step's findings. */
export type FeasibilityFindingKind = (typeof FEASIBILITY_FINDING_KINDS)[number];
/** Findings on related tables. */
export type RelationFindingKind = (typeof RELATION_FINDING_KINDS)[number];
/** Every finding kind that is not a readiness check. */
export type FindingKind =
  PlanFindingKind | DeliverableFindingKind | FeasibilityFindingKind | RelationFindingKind | 'drift-history';

const CHECK_ID_SET: ReadonlySet<string> = new Set(READINESS_CHECK_IDS);

/** Whether a finding's `check` names a readiness check (audits saved by other versions may carry others). */
export function isCheckId(id: string): id is CheckId {
  return CHECK_ID_SET.has(id);
}

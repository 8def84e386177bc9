import type { Area, ColumnRoles, DatasetProfile, ProjectContext } from '../model/audit';
import {
  consistencyDistribution,
  consistencyNulls,
  consistencyScale,
  consistencyVocabulary,
} from './consistency';
import { coverageCategories } from './coverage-categories';
import { coverageClassBalance } from './coverage-class-balance';
import { coverageGaps } from './coverage-gaps';
import { coverageRecency } from './coverage-recency';
import { coverageSegments } from './coverage-segments';
import { coverageSpan } from './coverage-span';
import { labelsBySource } from './labels-by-source';
import { labelsConflicting } from './labels-conflicting';
import { labelsOverTime } from './labels-over-time';
import { labelsMissing, labelsVariants } from './labels-spelling';
import { leakageDerived } from './leakage-derived';
import { leakageIdLike } from './leakage-id-like';
import { leakageSingleFeature, leakageStrongFeatures } from './leakage-single-feature';
import { leakageSplitDuplicates } from './leakage-split-duplicates';
import { leakageTimestamps } from './leakage-timestamps';
import { structureGroups } from './structure';
import {
  privacyPii,
  qualityConstant,
  qualityDuplicates,
  qualityMissingLike,
  qualityMixedTypes,
  qualitySentinels,
} from './quality';
import type { ReadinessThresholds } from '../thresholds';
import { timeTextFormats, timeRole } from './time-formats';
import { timeOfDay } from './time-of-day';
import { timeOrder, timeOutcomeBeforeEvent } from './time-order';
import { timeBeforeStart, timeFuture, timeSentinel } from './time-range';
import { timeSplit } from './time-split';
import type { CheckId } from './check-ids';
import { finder } from './findings';
import type { CheckDefinition, Dependency, ReadinessSetup } from './types';
import { volumeClasses } from './volume-classes';
import { volumeEpv } from './volume-epv';
import { volumeFeatures } from './volume-features';
import { volumeMonths } from './volume-months';
import { volumeRows } from './volume-rows';
import { volumeSegments } from './volume-segments';

/** Ids of the checks that need a target and could not run in this setup. */
export function checksNeedingTarget(setup: ReadinessSetup): CheckId[] {
  return READINESS_CHECKS.filter(
    (c) => c.id !== labelsNoTarget.id && c.dependsOn.includes('target') && !c.applies(setup),
  ).map((c) => c.id);
}

/** The checks named in plain words ("missing labels, label rates over time"); unknown ids as they are. */
export function checksInWords(ids: readonly string[]): string {
  return ids.map((id) => checkById(id)?.inWords ?? id).join(', ');
}

/**
 * Every task the audit supports is supervised, so without a target the label,
 * leakage, class-balance and label-coverage checks cannot run, and there is no
 * verdict: this finding makes it `not-assessed` ("Incomplete — set a target").
 * It is `info`, not a condition to meet: the verdict status carries it, and a
 * waiver cannot make the skipped checks run.
 */
export const labelsNoTarget: CheckDefinition = {
  id: 'labels-no-target',
  area: 'labels',
  meaning:
    'Without a target column the label checks could not run, so nothing is known yet about the labels’ quality.',
  fix: 'upstream',
  owner: 'domain-expertise',
  description: 'No target column: the checks that need one could not run.',
  evidence: {
    task: { label: 'Task', kind: 'text' },
    notAssessed: { label: 'Checks not run', kind: 'text' },
    notAssessedInWords: { label: 'What they look at', kind: 'text' },
    checks: { label: 'Checks not run', kind: 'count' },
  },
  dependsOn: ['target', 'task'],
  applies: (s) => s.target === undefined,
  queries: () => ({}),
  findings(s) {
    const skipped = checksNeedingTarget(s);
    const named = s.input.roles.target;
    const words = checksInWords(skipped);
    return [
      finder(
        s,
        this.id,
        this.area,
      )({
        severity: 'info',
        key: 'target',
        title: named
          ? `Incomplete: the target “${named}” is not a column of this table, so ${skipped.length} checks could not run`
          : `Incomplete: no target column is set, so ${skipped.length} checks could not run`,
        columns: [],
        evidence: {
          task: s.input.context.task,
          notAssessed: skipped.join(', '),
          notAssessedInWords: words,
          checks: skipped.length,
        },
        sql: '',
        recommendation: `Set the target role (or accept the suggested roles) so the audit can look at ${words}. Readiness for a ${s.input.context.task} model cannot be judged without the label it learns from, so the audit gives no verdict until then.`,
      }),
    ];
  },
};

/** Every readiness check, in the order the findings view lists areas. */
export const READINESS_CHECKS: readonly CheckDefinition[] = [
  volumeRows,
  volumeClasses,
  volumeFeatures,
  volumeEpv,
  volumeSegments,
  volumeMonths,
  labelsNoTarget,
  labelsMissing,
  labelsVariants,
  labelsConflicting,
  labelsBySource,
  labelsOverTime,
  timeRole,
  timeFuture,
  timeSentinel,
  timeBeforeStart,
  timeTextFormats,
  timeOfDay,
  timeOrder,
  timeOutcomeBeforeEvent,
  timeSplit,
  coverageSpan,
  coverageGaps,
  coverageRecency,
  coverageClassBalance,
  coverageSegments,
  coverageCategories,
  consistencyNulls,
  consistencyDistribution,
  consistencyVocabulary,
  consistencyScale,
  leakageSingleFeature,
  leakageStrongFeatures,
  leakageDerived,
  leakageIdLike,
  leakageTimestamps,
  leakageSplitDuplicates,
  structureGroups,
  qualityDuplicates,
  qualityConstant,
  qualityMissingLike,
  qualitySentinels,
  qualityMixedTypes,
  privacyPii,
];

/** Check ids, for validation and the CLI (the same order as `READINESS_CHECK_IDS`; a test holds them so). */
export const CHECK_IDS: readonly CheckId[] = READINESS_CHECKS.map((c) => c.id);

/** A check by id. */
export function checkById(id: string): CheckDefinition | undefined {
  return READINESS_CHECKS.find((c) => c.id === id);
}

/** The checks of one area. */
export function checksInArea(area: Area): CheckDefinition[] {
  return READINESS_CHECKS.filter((c) => c.area === area);
}

/** The inputs a run depends on besides the data. */
export interface AuditInputs {
  roles: ColumnRoles;
  context: ProjectContext;
  profile?: DatasetProfile | undefined;
  thresholds?: Partial<ReadinessThresholds> | undefined;
}

const same = (a: unknown, b: unknown): boolean => JSON.stringify(a ?? null) === JSON.stringify(b ?? null);
const sameSet = (a: readonly string[], b: readonly string[]): boolean => same([...a].sort(), [...b].sort());

/** Which dependencies differ between two sets of inputs. */
export function changedDependencies(before: AuditInputs, after: AuditInputs): Dependency[] {
  const changed: Dependency[] = [];
  const r0 = before.roles;
  const r1 = after.roles;
  if (r0.target !== r1.target) changed.push('target');
  if (r0.id !== r1.id) changed.push('id');
  if (r0.eventTime !== r1.eventTime) changed.push('eventTime');
  if (r0.outcomeTime !== r1.outcomeTime) changed.push('outcomeTime');
  if (r0.source !== r1.source) changed.push('source');
  if (!sameSet(r0.segments, r1.segments)) changed.push('segments');
  if (!sameSet(r0.excluded, r1.excluded)) changed.push('excluded');
  const c0 = before.context;
  const c1 = after.context;
  if (c0.asOf !== c1.asOf) changed.push('asOf');
  if ((c0.historyFrom ?? '') !== (c1.historyFrom ?? '')) changed.push('historyFrom');
  if (c0.task !== c1.task) changed.push('task');
  if (c0.positiveClass !== c1.positiveClass) changed.push('positiveClass');
  if (c0.predictionPoint !== c1.predictionPoint) changed.push('predictionPoint');
  if ((before.profile?.computedAt ?? null) !== (after.profile?.computedAt ?? null)) changed.push('profile');
  if (!same(before.thresholds, after.thresholds)) changed.push('thresholds');
  return changed;
}

/** Ids of the checks that read any of the given dependencies. */
export function checksDependingOn(dependencies: readonly Dependency[]): CheckId[] {
  const set = new Set(dependencies);
  return READINESS_CHECKS.filter((c) => c.dependsOn.some((d) => set.has(d))).map((c) => c.id);
}

/** The checks to re-run after a role or context edit: only those that depend on what changed. */
export function checksToRerun(before: AuditInputs, after: AuditInputs): CheckId[] {
  return checksDependingOn(changedDependencies(before, after));
}

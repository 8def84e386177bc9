import type { AuditDocument } from '../model/audit';
import { DEFAULT_COST, DEFAULT_PIPELINE_STEPS, DEFAULT_TIMELINE } from './defaults';
import {
  TEAM_ROLES,
  type Cost,
  type Deliverable,
  type Integration,
  type SourceSystem,
  type Team,
  type Timeline,
  type WorkPlan,
} from '../model/deliverable';

/** The deliverable with every section present: stored values where given, defaults elsewhere. */
export interface ResolvedDeliverable {
  constraints: Deliverable['constraints'];
  integration: Integration;
  team: Team;
  workPlan: WorkPlan;
  timeline: Timeline;
  cost: Cost;
  signOff: Deliverable['signOff'];
  nextStep: string;
}

type SourceInput = Pick<AuditDocument, 'datasets' | 'primaryDatasetId' | 'profiles' | 'roles'>;

/**
 * Names of the source systems seen in the data: the values of the source role
 * on the primary dataset, from its profile's top values (aggregates already
 * saved, so no query is needed). The primary dataset is the chosen one, or
 * the first, as in `core/audit/edits` (repeated here to keep this module free
 * of the editing layer).
 */
export function sourceNamesFromData(audit: SourceInput): string[] {
  const chosen = audit.primaryDatasetId;
  const id =
    chosen !== undefined && audit.datasets.some((d) => d.id === chosen) ? chosen : audit.datasets[0]?.id;
  if (id === undefined) return [];
  const column = audit.roles[id]?.source;
  if (!column) return [];
  const profile = audit.profiles[id]?.columns.find((c) => c.name === column);
  if (!profile) return [];
  const names = profile.topK
    .map((v) => (v.value === null ? '' : String(v.value).trim()))
    .filter((name) => name !== '');
  return [...new Set(names)].slice(0, 50);
}

function blankSource(name: string): SourceSystem {
  return {
    name: name.slice(0, 200),
    owner: '',
    access: 'unknown',
    refresh: 'unknown',
    historyMonths: null,
    legacy: false,
    notes: '',
  };
}

/**
 * The system map's sources: the stored ones first (the consultant's entries
 * win), then one blank entry for every source value in the data not listed
 * yet. A source named `legacy…` is pre-marked as legacy, which the
 * consultant can undo.
 */
export function prefillSources(audit: SourceInput, stored: readonly SourceSystem[] = []): SourceSystem[] {
  const known = new Set(stored.map((s) => s.name));
  const added = sourceNamesFromData(audit)
    .filter((name) => !known.has(name))
    .map((name) => ({ ...blankSource(name), legacy: /legacy/i.test(name) }));
  return [...stored, ...added].slice(0, 50);
}

/** Every section of the deliverable, with defaults where nothing was entered and sources pre-filled from the data. */
export function resolveDeliverable(
  audit: SourceInput & Pick<AuditDocument, 'deliverable'>,
): ResolvedDeliverable {
  const d = audit.deliverable;
  const integration: Integration = d?.integration ?? {
    sources: [],
    serving: { mode: 'undecided', latency: '', consumer: '' },
    trainingWindowMonths: null,
    pipeline: DEFAULT_PIPELINE_STEPS.map((name) => ({ name, status: 'unknown', notes: '' })),
  };
  const team: Team = d?.team ?? {
    members: TEAM_ROLES.map((role) => ({ role, who: '', gap: false, plan: '' })),
    domainReviewCadence: 'none',
  };
  return {
    constraints: d?.constraints ?? [],
    integration: { ...integration, sources: prefillSources(audit, integration.sources) },
    team,
    workPlan: d?.workPlan ?? { edits: [], manual: [], dataEngineers: 1 },
    timeline: d?.timeline ?? DEFAULT_TIMELINE,
    cost: d?.cost ?? DEFAULT_COST,
    signOff: d?.signOff ?? [],
    nextStep: d?.nextStep ?? '',
  };
}

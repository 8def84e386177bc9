import type { Finding, Severity, Waiver } from '../model/audit';
import { EFFORT_DAYS, WORKING_DAYS_PER_WEEK } from './defaults';
import { presentationOf } from './presentation';
import type { EffortBand, FixKind, OwnerRole, WorkPlan } from '../model/deliverable';

/** One item of the data-engineering plan. */
export interface WorkItem {
  /** The finding's id, or the manual item's id. */
  id: string;
  origin: 'finding' | 'manual';
  title: string;
  severity?: Severity;
  area?: Finding['area'];
  fix: FixKind;
  ownerRole: OwnerRole;
  effort: EffortBand;
  notes: string;
  /** Whether the consultant changed the generated fix, owner or effort. */
  edited: boolean;
}

/** A waived finding: it carries the reason it was accepted instead of a work item. */
export interface WaivedItem {
  findingId: string;
  title: string;
  severity: Severity;
  reason: string;
}

export interface Range {
  min: number;
  max: number;
}

/** The plan: work items (most severe first), waived findings with their reasons, and the total effort. */
export interface WorkPlanView {
  items: WorkItem[];
  waived: WaivedItem[];
  /** Person-days, summed over the items' effort bands. */
  effortDays: Range;
  /** Calendar weeks for the plan's data engineers working in parallel. */
  weeks: Range;
}

/**
 * Findings of a check this version does not know (an audit saved by another
 * version) go to ML engineering, handled in the pipeline; every known check
 * names its own fix and owner on its definition.
 */
const FALLBACK: { fix: FixKind; owner: OwnerRole } = { fix: 'pipeline', owner: 'ml-engineering' };

/**
 * Default effort by severity and fix (team assumption): collecting data or
 * changing a source system takes longer than a pipeline step; XL is left for
 * the consultant to choose.
 */
function defaultEffort(severity: Severity, fix: FixKind): EffortBand {
  const slow = fix === 'collect-more-data' || fix === 'upstream';
  if (severity === 'blocker') return slow ? 'L' : 'M';
  if (severity === 'major') return slow ? 'M' : 'S';
  return 'S';
}

/**
 * The generated work item of one finding, before the consultant's edits.
 * Info findings describe the data and need no work: they return null.
 */
export function defaultWorkItem(finding: Finding): WorkItem | null {
  if (finding.severity === 'info') return null;
  const mapping = presentationOf(finding.check) ?? FALLBACK;
  return {
    id: finding.id,
    origin: 'finding',
    title: finding.title,
    severity: finding.severity,
    area: finding.area,
    fix: mapping.fix,
    ownerRole: mapping.owner,
    effort: defaultEffort(finding.severity, mapping.fix),
    notes: finding.recommendation,
    edited: false,
  };
}

const SEVERITY_RANK: Record<Severity, number> = { blocker: 0, major: 1, minor: 2, info: 3 };

/** Sum of the effort bands' person-days. */
export function effortDays(items: readonly Pick<WorkItem, 'effort'>[]): Range {
  return items.reduce(
    (sum, item) => ({
      min: sum.min + EFFORT_DAYS[item.effort].min,
      max: sum.max + EFFORT_DAYS[item.effort].max,
    }),
    { min: 0, max: 0 },
  );
}

/**
 * The data-engineering plan generated from the open findings: one work item
 * per open finding (info excluded) with the consultant's edits applied, then
 * the manual items; waived findings carry their waiver reason instead. The
 * effort is summed in person-days and turned into weeks for the plan's data
 * engineers working in parallel.
 */
export function buildWorkPlan(
  findings: readonly Finding[],
  waivers: readonly Waiver[],
  plan?: WorkPlan,
): WorkPlanView {
  const reasons = new Map(waivers.map((w) => [w.findingId, w.reason]));
  const edits = new Map((plan?.edits ?? []).map((e) => [e.findingId, e]));
  const items: WorkItem[] = [];
  const waived: WaivedItem[] = [];
  for (const f of findings) {
    const reason = reasons.get(f.id);
    if (reason !== undefined) {
      waived.push({ findingId: f.id, title: f.title, severity: f.severity, reason });
      continue;
    }
    const item = defaultWorkItem(f);
    if (!item) continue;
    const edit = edits.get(f.id);
    if (edit) {
      const edited = { ...item };
      if (edit.fix) edited.fix = edit.fix;
      if (edit.ownerRole) edited.ownerRole = edit.ownerRole;
      if (edit.effort) edited.effort = edit.effort;
      if (edit.notes !== undefined) edited.notes = edit.notes;
      edited.edited =
        edited.fix !== item.fix ||
        edited.ownerRole !== item.ownerRole ||
        edited.effort !== item.effort ||
        edited.notes !== item.notes;
      items.push(edited);
    } else items.push(item);
  }
  items.sort((a, b) => SEVERITY_RANK[a.severity ?? 'info'] - SEVERITY_RANK[b.severity ?? 'info']);
  for (const m of plan?.manual ?? []) items.push({ ...m, origin: 'manual', edited: false });
  waived.sort((a, b) => SEVERITY_RANK[a.severity] - SEVERITY_RANK[b.severity]);
  const days = effortDays(items);
  const engineers = plan?.dataEngineers ?? 1;
  const perWeek = WORKING_DAYS_PER_WEEK * engineers;
  return {
    items,
    waived,
    effortDays: days,
    weeks: { min: days.min / perWeek, max: days.max / perWeek },
  };
}

import {
  DEFAULT_COST,
  DEFAULT_TIMELINE,
  SCOPE_LABELS,
  WORKING_DAYS_PER_WEEK,
  WORK_PLAN_PHASES,
} from './defaults';
import type { Cost, Scope, Timeline } from '../model/deliverable';
import type { Range } from './work-plan';

/** One phase of the estimate, with what the work plan and the waived-blocker uplift added to it. */
export interface PhaseEstimate {
  id: string;
  name: string;
  /** The phase as entered (or the default). */
  base: Range;
  /** Weeks added because the data-engineering plan does not fit in the first phases. */
  fromWorkPlan: Range;
  /** Weeks added for blockers waived instead of fixed. */
  uplift: Range;
  /** base + fromWorkPlan + uplift. */
  weeks: Range;
  source: string;
}

export interface TimelineEstimate {
  phases: PhaseEstimate[];
  total: Range;
  waivedBlockers: number;
  /** The uplift share applied to the phases after the first (0.3 = +30 %). */
  upliftShare: number;
  /** How the numbers were computed, in words, for the report. */
  method: string;
}

const add = (a: Range, b: Range): Range => ({ min: a.min + b.min, max: a.max + b.max });
const ZERO: Range = { min: 0, max: 0 };
/** Half-week precision: finer would suggest an accuracy the estimate does not have. */
const halfWeeks = (n: number): number => Math.round(n * 2) / 2;

/**
 * The timeline estimate from editable phases:
 *
 * 1. The data-engineering plan's effort runs during the phases in
 *    `WORK_PLAN_PHASES` (the audit and the baseline). When its weeks exceed
 *    those phases' combined weeks, the excess is added to the last of them;
 *    the minimum and the maximum are compared separately.
 * 2. Each blocker waived instead of fixed adds `waivedBlockerUplift` (share)
 *    to every phase after the first, capped at `waivedBlockerUpliftCap`: the
 *    team works around a known defect for the rest of the project.
 *
 * Weeks are rounded to half weeks.
 */
export function timelineEstimate(
  workWeeks: Range,
  waivedBlockers: number,
  timeline: Timeline = DEFAULT_TIMELINE,
): TimelineEstimate {
  const fed = timeline.phases.filter((p) => WORK_PLAN_PHASES.includes(p.id));
  const fedWeeks = fed.reduce((sum, p) => add(sum, { min: p.minWeeks, max: p.maxWeeks }), ZERO);
  const excess: Range = {
    min: Math.max(0, workWeeks.min - fedWeeks.min),
    max: Math.max(0, workWeeks.max - fedWeeks.max),
  };
  const lastFed = fed.at(-1)?.id;
  const upliftShare = Math.min(
    timeline.waivedBlockerUpliftCap,
    Math.max(0, waivedBlockers) * timeline.waivedBlockerUplift,
  );
  const phases = timeline.phases.map((p, index): PhaseEstimate => {
    const base = { min: p.minWeeks, max: p.maxWeeks };
    const fromWorkPlan = p.id === lastFed ? { min: halfWeeks(excess.min), max: halfWeeks(excess.max) } : ZERO;
    const before = add(base, fromWorkPlan);
    const uplift =
      index === 0
        ? ZERO
        : { min: halfWeeks(before.min * upliftShare), max: halfWeeks(before.max * upliftShare) };
    return {
      id: p.id,
      name: p.name,
      base,
      fromWorkPlan,
      uplift,
      weeks: add(before, uplift),
      source: p.source,
    };
  });
  const total = phases.reduce((sum, p) => add(sum, p.weeks), ZERO);
  const fedNames = fed.map((p) => p.name.toLowerCase()).join(' and ');
  const method =
    `The data-engineering plan (${fmtRange(workWeeks)} weeks) runs during ${fedNames || 'the first phases'}; ` +
    `only what does not fit in them is added. ` +
    (waivedBlockers > 0
      ? `${waivedBlockers} blocker${waivedBlockers === 1 ? ' is' : 's are'} waived instead of fixed, so every phase after the first is extended by ${Math.round(upliftShare * 100)} % (${Math.round(timeline.waivedBlockerUplift * 100)} % per waived blocker, at most ${Math.round(timeline.waivedBlockerUpliftCap * 100)} %).`
      : 'No blocker is waived, so no uplift applies.');
  return { phases, total, waivedBlockers, upliftShare, method };
}

/** `3–4` or `3` when both ends agree (half weeks kept). */
export function fmtRange(r: Range, digits = 1): string {
  const f = (n: number): string => (Number.isInteger(n) ? String(n) : n.toFixed(digits));
  return r.min === r.max ? f(r.min) : `${f(r.min)}–${f(r.max)}`;
}

/** The cost band of one scope. */
export interface CostBand {
  scope: Scope;
  label: string;
  teamSize: number;
  weeks: Range;
  /** teamSize × dailyRate × working days. */
  cost: Range;
  currency: string;
}

/**
 * Cost bands by scope: for each scope, the weeks of its phases (from the
 * timeline estimate, times its duration factor) × its team size × the daily
 * rate × working days per week.
 */
export function costBands(estimate: TimelineEstimate, cost: Cost = DEFAULT_COST): CostBand[] {
  return cost.scopes.map((s) => {
    const phases = estimate.phases.filter((p) => s.phases.includes(p.id));
    const raw = phases.reduce((sum, p) => add(sum, p.weeks), ZERO);
    const weeks = { min: halfWeeks(raw.min * s.durationFactor), max: halfWeeks(raw.max * s.durationFactor) };
    const perWeek = s.teamSize * cost.dailyRate * WORKING_DAYS_PER_WEEK;
    return {
      scope: s.scope,
      label: SCOPE_LABELS[s.scope],
      teamSize: s.teamSize,
      weeks,
      cost: { min: weeks.min * perWeek, max: weeks.max * perWeek },
      currency: cost.currency,
    };
  });
}

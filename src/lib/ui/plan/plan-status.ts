import type { PlanOutcome } from '../../session/plan';
import { formatCount } from '../../core/format';

/** The two plan buttons that change the saved audit. */
export type PlanAction = 'save' | 'compute';

// The user's own wall clock, not the reports' UTC: it stamps a moment they just saw on this screen.
const clock = (at: Date): string => at.toLocaleTimeString('en-GB', { hour: '2-digit', minute: '2-digit' });

/**
 * The polite status line after "Save plan" or "(Re)compute baselines": what was
 * done, on how many rows, and when. Undefined when the action failed (the
 * failure is shown as an error instead). `previousComputedAt` is when the
 * baselines shown before the action were computed, so a save says whether it
 * also recomputed them.
 */
export function planStatusLine(
  action: PlanAction,
  outcome: PlanOutcome,
  at: Date,
  previousComputedAt?: string,
): string | undefined {
  const rows = outcome.results ? formatCount(outcome.results.rows) : undefined;
  if (action === 'compute') {
    if (outcome.status !== 'done' || rows === undefined) return undefined;
    return `Baselines ${previousComputedAt ? 'recomputed' : 'computed'} on ${rows} rows at ${clock(at)}.`;
  }
  if (outcome.status === 'not-loaded')
    return `Plan saved at ${clock(at)}. Its baselines are computed once the audit’s file is loaded again.`;
  if (outcome.status !== 'done') return undefined;
  const recomputed = outcome.results !== undefined && outcome.results.computedAt !== previousComputedAt;
  return `Plan saved at ${clock(at)}.${recomputed ? ` Baselines recomputed on ${rows} rows.` : ''}`;
}

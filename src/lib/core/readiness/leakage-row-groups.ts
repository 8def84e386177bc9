import { rowGroupsQuery } from '../sql/readiness-leakage';
import type { ReadinessSetup } from './types';

/** Conflicting groups shown with their feature values. */
const CONFLICT_EXAMPLES = 3;

/**
 * The one statement that groups the rows by their features for both
 * leakage-split-duplicates and labels-conflicting: built the same way for
 * both, so the run executes it once (identical SQL is cached).
 */
export function rowGroupsQueryFor(s: ReadinessSetup): string {
  return rowGroupsQuery(
    s.sql,
    s.features.map((c) => c.name),
    { testShare: s.thresholds.testShare, examples: CONFLICT_EXAMPLES },
  );
}

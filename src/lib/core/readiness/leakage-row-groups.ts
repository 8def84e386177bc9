import { rowGroupsQuery } from '../sql/readiness-leakage';
import type { ReadinessSetup } from './types';

/** Conflicting groups shown with their feature values. */
const CONFLICT_EXAMPLES = 3;

/**
 * The one statement that groups the rows by their features for
 * leakage-split-duplicates, labels-conflicting, quality-duplicates and
 * structure-groups: built the same way for all, so the run executes it once
 * (identical SQL is cached). With a grouping (`setup.grouping`) it also counts
 * the entities of each duplicate group, for a group-aware split.
 */
export function rowGroupsQueryFor(s: ReadinessSetup): string {
  return rowGroupsQuery(
    s.sql,
    s.features.map((c) => c.name),
    {
      testShare: s.thresholds.testShare,
      examples: CONFLICT_EXAMPLES,
      ...(s.grouping ? { group: s.grouping.column } : {}),
    },
  );
}

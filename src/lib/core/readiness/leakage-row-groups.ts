import { rowGroupsQuery } from '../sql/readiness-leakage';
import type { ReadinessSetup } from './types';

/** Conflicting groups shown with their feature values. */
const CONFLICT_EXAMPLES = 3;

/**
 * The column whose values are the entities a split must keep together: the
 * grouping structure found, else the ID role. Identical rows of different
 * entities are then told apart from copies of one entity.
 */
export function entityColumn(s: ReadinessSetup): string | undefined {
  return s.grouping?.column ?? s.id?.name;
}

/**
 * The one statement that groups the rows by their features for
 * leakage-split-duplicates, labels-conflicting, quality-duplicates and
 * structure-groups: built the same way for all, so the run executes it once
 * (identical SQL is cached). With an entity column (the grouping found, else
 * the ID role) it also counts the entities of each duplicate group, for a
 * split by entity.
 */
export function rowGroupsQueryFor(s: ReadinessSetup): string {
  const entity = entityColumn(s);
  return rowGroupsQuery(
    s.sql,
    s.features.map((c) => c.name),
    {
      testShare: s.thresholds.testShare,
      examples: CONFLICT_EXAMPLES,
      ...(entity ? { group: entity } : {}),
    },
  );
}

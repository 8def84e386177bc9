import type { Finding } from '../model/audit';
import { repeatedIdsQuery } from '../sql/readiness-leakage';
import { FEATURE_DEPS, LABEL_DEPS } from './deps';
import { count, finder, first, fmtInt, q } from './findings';
import { assessRowGroups, rowGroupsQueries, splitDuplicatesSpec } from './structure';
import type { CheckDefinition, ColumnFacts, ReadinessSetup } from './types';

/**
 * Whether the profile counted every value of the column exactly and found each
 * once: then no value repeats, and nothing needs counting again.
 */
function knownUnique(s: ReadinessSetup, c: ColumnFacts): boolean {
  const profile = s.input.profile;
  if (!profile || profile.sample.sampled) return false;
  const column = profile.columns.find((p) => p.name === c.name);
  return !!column && !column.distinct.approximate && column.distinct.value === column.count;
}

export const leakageSplitDuplicates: CheckDefinition = {
  id: 'leakage-split-duplicates',
  area: 'leakage',
  meaning: 'Duplicates would land on both sides of a random split and inflate the measured accuracy.',
  fix: 'pipeline',
  owner: 'ml-engineering',
  inWords: 'duplicates a train/test split would share',
  description:
    'Duplicate rows (same features and label) that a train/test split would put on both sides (a split by the grouping column when structure-groups finds one), judged against the matches chance gives; and IDs spread over several rows.',
  evidence: {
    repeatedIds: { label: 'IDs on several rows', kind: 'count' },
    rows: { label: 'Rows in duplicate groups', kind: 'count' },
    maxRowsPerId: { label: 'Most rows for one ID', kind: 'count' },
    total: { label: 'Rows', kind: 'count' },
    groups: { label: 'Duplicate groups', kind: 'count' },
    share: { label: 'Share of rows', kind: 'share' },
    expectedStraddlingGroups: { label: 'Groups a random split would cut', kind: 'number' },
    matchingPairs: { label: 'Matching pairs', kind: 'count' },
    expectedPairsByChance: { label: 'Pairs expected by chance', kind: 'number' },
    chanceRatio: { label: 'Flagged from', kind: 'number', unit: '× chance' },
    groupedBy: { label: 'Entity column', kind: 'text' },
    expectedStraddlingGroupsByGroup: { label: 'Groups a split by entity would cut', kind: 'number' },
    groupsAcrossEntities: { label: 'Groups across entities', kind: 'count' },
    testShare: { label: 'Test share', kind: 'share' },
    majorAbove: { label: 'Major above', kind: 'share' },
    minStraddling: { label: 'Major from groups cut', kind: 'count' },
  },
  dependsOn: [...FEATURE_DEPS, ...LABEL_DEPS, 'thresholds'],
  applies: (s) => s.label !== undefined && s.features.length > 0,
  queries: (s) => ({
    // The same statements as labels-conflicting's, so the rows are grouped once for both checks.
    ...rowGroupsQueries(s),
    ...(s.id && !knownUnique(s, s.id) ? { ids: repeatedIdsQuery(s.sql) } : {}),
  }),
  findings(s, r) {
    const make = finder(s, this.id, this.area);
    const out: Finding[] = [];
    const a = assessRowGroups(s, r);
    if (a.groups > 0) out.push(make(splitDuplicatesSpec(s, a)));
    if (s.id && r.ids) {
      const ids = first(r.ids);
      const repeated = count(ids.ids);
      if (repeated > 0)
        out.push(
          make({
            severity: 'minor',
            key: 'ids',
            title: `${fmtInt(repeated)} ${q(s.id.name)} values occur on several rows (up to ${fmtInt(count(ids.max_rows))})`,
            columns: [s.id.name],
            evidence: {
              repeatedIds: repeated,
              rows: count(ids.rows),
              maxRowsPerId: count(ids.max_rows),
              total: count(ids.total),
            },
            sql: repeatedIdsQuery(s.sql),
            recommendation:
              'Rows of the same entity are not independent: split by ID (grouped cross-validation) so one customer is never in both train and test.',
          }),
        );
    }
    return out;
  },
};

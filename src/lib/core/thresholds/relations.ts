/**
 * Defaults of the related-tables step (issue 22): key discovery and the
 * severity of each relation finding. Each names its source in
 * `RELATION_THRESHOLD_SOURCES`; "team default" marks a value we chose.
 */
export const RELATION_THRESHOLDS = {
  maxTables: 20,
  maxColumnsPerTable: 200,
  maxCandidatePairs: 400,
  keyUniqueness: 0.95,
  minContainment: 0.9,
  minContainmentUnnamed: 0.98,
  minChildKeysUnnamed: 50,
  duplicateKeyMajorShare: 0.01,
  orphanMajorShare: 0.05,
  nullKeyMajorShare: 0.05,
  formatMismatchMajorShare: 0.01,
  pointInTimeMajorShare: 0.01,
  pointInTimeBlockerShare: 0.05,
  examples: 20,
};

export type RelationThresholds = typeof RELATION_THRESHOLDS;

export const RELATION_THRESHOLD_SOURCES: Record<keyof RelationThresholds, string> = {
  maxTables:
    'Key discovery runs on at most this many tables (the issue’s limit; team default for the time budget).',
  maxColumnsPerTable: 'Key discovery reads at most this many columns of each table (the issue’s limit).',
  maxCandidatePairs:
    'Inclusion tests run at most: candidate pairs are ranked by name agreement, then distinct-count fit (team default for the time budget).',
  keyUniqueness:
    'A column is a candidate key when its distinct values are at least this share of its non-null rows: “unique, or nearly so”, so a key with a few duplicates is still found and its duplicates reported (team default).',
  minContainment:
    'A child column is suggested as a foreign key when at least this share of its distinct values is found among the parent key’s, with agreeing names (inclusion dependency, Abedjan, Golab & Naumann 2015, “Profiling relational data”, §4; team default for partial inclusion).',
  minContainmentUnnamed:
    'Without agreeing names the inclusion must be nearly complete (team default: small integer codes fall inside any numeric key, so a name-free match needs more evidence).',
  minChildKeysUnnamed:
    'Without agreeing names the child column needs at least this many distinct values, so a 1–5 rating is never read as a key into a customer ID (team default).',
  duplicateKeyMajorShare:
    'Duplicated parent keys are major from this share of the parent’s keys, minor below: a few duplicates inflate a few joins, more distort every count (team default).',
  orphanMajorShare:
    'Orphan child keys are major from this share of the distinct child keys, minor below (team default; dbt’s `relationships` test fails on any orphan, but a few late-arriving keys are usual between extracts).',
  nullKeyMajorShare:
    'Null child keys are major from this share of the child rows, minor below (team default).',
  formatMismatchMajorShare:
    'Keys that join only once normalised are major from this share of the distinct child keys: an exact join drops them silently (team default).',
  pointInTimeMajorShare:
    'Child rows dated after their parent’s prediction time are major from this share (the issue: 1 %; Kaufman et al. 2012, “Leakage in data mining”, on time-travel leakage).',
  pointInTimeBlockerShare:
    'From this share the child table cannot feed features as extracted: a blocker (the issue: 5 %).',
  examples: 'Rows of examples each finding carries in its details (team default).',
};

import type { Finding } from '../model/audit';
import { EXACT_DISTINCT_MAX_ROWS } from '../sql/readiness-setup';
import {
  collisionPairsQuery,
  groupSizesQuery,
  groupingCandidatesQuery,
  repeatedVectorsQuery,
} from '../sql/readiness-structure';
import { FEATURE_DEPS, LABEL_DEPS } from './deps';
import { plural } from './time-encoding';
import { count, finder, first, fmtInt, fmtPct, q, round, toNumber, type FindingSpec } from './findings';
import { splitDuplicatesQuery } from '../sql/readiness-leakage';
import { entityColumn, rowGroupsQueryFor } from './leakage-row-groups';
import type {
  CheckDefinition,
  ColumnFacts,
  Grouping,
  QueryResults,
  ReadinessSetup,
  ResultRow,
  SetupStage,
} from './types';

/**
 * Structure of the rows (issue 17 §4): repeated entities and matches by
 * chance. A grouping column (4 rows per traveller, 20 years per firm) is
 * found in the setup (`structureStage`), so the duplicate checks can judge a
 * group-aware split; identical rows are compared with the pairs independent
 * columns would give (`assessRowGroups`), so coarse survey answers are not
 * called copies or label noise.
 */

/** Candidate grouping columns measured at most (one grouped pass each). */
const MAX_GROUPING_CANDIDATES = 8;
/** Attributes tested for being constant within each entity, at most. */
const MAX_ATTRIBUTES = 64;

function isTimeRole(s: ReadinessSetup, name: string): boolean {
  return name === s.input.roles.eventTime || name === s.input.roles.outcomeTime;
}

/** Columns that could hold one entity per value: no NULLs, at least `groupMinEntities` values, 2+ rows each on average. */
export function groupingCandidates(s: ReadinessSetup): ColumnFacts[] {
  const n = s.rows;
  const excluded = new Set(s.input.roles.excluded);
  const timeFacts = s.time ? s.columns.find((c) => c.name === s.time!.column) : undefined;
  const timeRepeats = !!timeFacts && timeFacts.distinct * 2 <= n;
  const candidates = s.columns.filter(
    (c) =>
      c.name !== s.input.roles.target &&
      !excluded.has(c.name) &&
      !isTimeRole(s, c.name) &&
      (c.family === 'numeric' || c.family === 'categorical' || c.family === 'text') &&
      c.nonNull === n &&
      c.distinct >= s.thresholds.groupMinEntities &&
      c.distinct * 2 <= n &&
      (n % c.distinct === 0 || timeRepeats),
  );
  // The ID role first: when it repeats it is the entity by definition.
  candidates.sort((a, b) => Number(b.name === s.input.roles.id) - Number(a.name === s.input.roles.id));
  return candidates.slice(0, MAX_GROUPING_CANDIDATES);
}

function attributesOf(s: ReadinessSetup): string[] {
  return s.features.slice(0, MAX_ATTRIBUTES).map((c) => c.name);
}

function timeColumnOf(s: ReadinessSetup): string | undefined {
  const t = s.time ? s.columns.find((c) => c.name === s.time!.column) : undefined;
  return t && t.distinct * 2 <= s.rows ? t.name : undefined;
}

/** The statement that measures the grouping candidates, or undefined when there is none. */
export function groupingQueryFor(s: ReadinessSetup): string | undefined {
  const candidates = groupingCandidates(s);
  if (candidates.length === 0) return undefined;
  const time = timeColumnOf(s);
  return groupingCandidatesQuery(
    s.input.tableName,
    candidates.map((c) => c.name),
    { attributes: attributesOf(s), ...(time ? { time } : {}) },
  );
}

/**
 * The grouping among the measured candidates: a column whose every value has
 * the same number of rows (2 or more) and carries at least one entity-level
 * attribute (a feature constant within each value, like a traveller's
 * income), or whose (value, event time) pairs are unique while both repeat
 * (a panel: each firm once a year). The ID role wins, then a panel, then the
 * most attributes, then the fewest entities.
 */
export function resolveGrouping(
  s: ReadinessSetup,
  rows: readonly ResultRow[],
  sql: string,
): Grouping | undefined {
  const candidates = groupingCandidates(s);
  const attributes = attributesOf(s);
  const time = timeColumnOf(s);
  const found: Grouping[] = [];
  for (const row of rows) {
    const column = candidates[count(row.candidate)];
    if (!column) continue;
    const minRows = count(row.min_rows);
    const maxRows = count(row.max_rows);
    const total = count(row.rows);
    const balanced = minRows >= 2 && minRows === maxRows;
    const panel = time !== undefined && count(row.time_keys) === total && total === s.rows;
    const constant = attributes.filter((a, j) => a !== column.name && row[`a_${j}`] === true);
    if (!((balanced && constant.length > 0) || panel)) continue;
    found.push({
      column: column.name,
      entities: count(row.entities),
      minRows,
      maxRows,
      balanced,
      panel,
      attributes: constant,
      sql,
    });
  }
  const id = s.input.roles.id;
  found.sort(
    (a, b) =>
      Number(b.column === id) - Number(a.column === id) ||
      Number(b.panel) - Number(a.panel) ||
      b.attributes.length - a.attributes.length ||
      a.entities - b.entities,
  );
  return found[0];
}

/** The checks that read the setup's grouping (`ReadinessSetup.grouping`, through `assessRowGroups`). */
const GROUPING_READERS: readonly string[] = [
  'structure-groups',
  'leakage-split-duplicates',
  'quality-duplicates',
  'labels-conflicting',
];

/** Setup stage: the repeated entity, if any, that splits must keep together. */
export const structureStage: SetupStage = {
  feeds: (check) => GROUPING_READERS.includes(check.id),
  queries: (s): Record<string, string> => {
    const sql = groupingQueryFor(s);
    return sql ? { grouping: sql } : {};
  },
  resolve(s, results) {
    const { grouping: _previous, ...rest } = s;
    const sql = groupingQueryFor(s);
    const grouping = sql ? resolveGrouping(s, results.grouping ?? [], sql) : undefined;
    return grouping ? { ...rest, grouping } : rest;
  },
};

// ---- Matches against chance -------------------------------------------------------------------

/** Matching pairs the setup's counts give: unique columns (exact counts only), whose only matches are missing values. */
function uniqueColumnPairs(s: ReadinessSetup, c: ColumnFacts): number | undefined {
  if (s.rows > EXACT_DISTINCT_MAX_ROWS || c.distinct !== c.nonNull) return undefined;
  const nulls = s.rows - c.nonNull;
  return nulls * (nulls - 1);
}

/** Matching pairs the profile counted on every row of this table (`matchingPairs`), missing values added as one value. */
function profiledPairs(s: ReadinessSetup, c: ColumnFacts): number | undefined {
  const profile = s.input.profile;
  if (!profile || profile.sample.sampled || profile.rows !== s.rows) return undefined;
  const profiled = profile.columns.find((p) => p.name === c.name);
  if (profiled?.matchingPairs === undefined || profiled.count !== c.nonNull) return undefined;
  const nulls = s.rows - c.nonNull;
  return profiled.matchingPairs + nulls * (nulls - 1);
}

function knownPairs(s: ReadinessSetup, c: ColumnFacts): number | undefined {
  return uniqueColumnPairs(s, c) ?? profiledPairs(s, c);
}

/**
 * The one statement of matching pairs per column (and for the label), shared
 * by leakage-split-duplicates, labels-conflicting, quality-duplicates and
 * structure-groups (identical SQL, run once). Columns whose pairs are known
 * are left out: unique ones, and those the profile counted.
 */
export function collisionsQueryFor(s: ReadinessSetup): string {
  const measured = s.columns.filter((c) => knownPairs(s, c) === undefined).map((c) => c.name);
  return collisionPairsQuery(s.input.tableName, measured, s.sql.label);
}

/**
 * The same statement with only unique columns left out, as a finding shows
 * it: run alone, it reproduces every count the finding used, including those
 * read from the profile.
 */
export function collisionsEvidenceSql(s: ReadinessSetup): string {
  const measured = s.columns.filter((c) => uniqueColumnPairs(s, c) === undefined).map((c) => c.name);
  return collisionPairsQuery(s.input.tableName, measured, s.sql.label);
}

/** Matching pairs per column and for the label, from `collisionsQueryFor`'s row. */
export interface ChanceFacts {
  rows: number;
  /** Ordered pairs of rows with equal values (NULL a value), by column. */
  pairs: Map<string, number>;
  labelPairs: number;
  labelPairsLabelled: number;
  labelled: number;
}

export function chanceFacts(s: ReadinessSetup, row: ResultRow): ChanceFacts {
  const measured = s.columns.filter((c) => knownPairs(s, c) === undefined);
  const pairs = new Map<string, number>();
  for (const c of s.columns) {
    const known = knownPairs(s, c);
    if (known !== undefined) pairs.set(c.name, known);
  }
  measured.forEach((c, i) => pairs.set(c.name, toNumber(row[`pairs_${i}`]) ?? 0));
  return {
    rows: count(row.n) || s.rows,
    pairs,
    labelPairs: toNumber(row.label_pairs) ?? 0,
    labelPairsLabelled: toNumber(row.label_pairs_labelled) ?? 0,
    labelled: count(row.labelled),
  };
}

/**
 * Expected unordered pairs of rows equal on every given column if the columns
 * were independent: C(n,2) · Π_f P(two rows match on f), each probability the
 * unbiased k(k−1)/(n(n−1)) estimate; `extra` multiplies in one more
 * probability (the label's).
 */
export function expectedPairs(c: ChanceFacts, columns: readonly string[], extra = 1): number {
  const n = c.rows;
  if (n < 2) return 0;
  const all = n * (n - 1);
  let p = extra;
  for (const name of columns) p *= (c.pairs.get(name) ?? 0) / all;
  return (all / 2) * p;
}

/** More matches than independent columns would give, by the `chanceMatchRatio` margin. */
export function beyondChance(observed: number, expected: number, ratio: number): boolean {
  return observed > 0 && observed >= ratio * expected;
}

/** What the row-groups statement and the pairs statement say together. */
export interface RowGroupsAssessment {
  total: number;
  groups: number;
  rows: number;
  dupPairs: number;
  expectedDupPairs: number;
  dupBeyondChance: boolean;
  vectorPairs: number;
  expectedVectorPairs: number;
  vectorRows: number;
  vectorGroups: number;
  conflictPairs: number;
  expectedConflictPairs: number;
  conflictBeyondChance: boolean;
  /** Most rows repeat their feature vector, far beyond chance, with different targets: entities recurring without an ID. */
  repeatedEntities: boolean;
  randomStraddling: number;
  groupStraddling: number | null;
  crossGroups: number | null;
  crossRows: number | null;
}

/** Judge identical rows against chance and against the rows' structure. */
export function assessRowGroups(s: ReadinessSetup, results: QueryResults): RowGroupsAssessment {
  const t = s.thresholds;
  const g = first(results.groups);
  const chance = chanceFacts(s, first(results.chance));
  const features = s.features.map((c) => c.name);
  const n = chance.rows;
  const all = n * (n - 1);
  const total = count(g.rz_total);
  const dupPairs = toNumber(g.rz_dup_pairs) ?? 0;
  const vectorPairs = toNumber(g.rz_vector_pairs) ?? 0;
  const conflictPairs = toNumber(g.rz_conflict_pairs) ?? 0;
  const expectedDupPairs = all > 0 ? expectedPairs(chance, features, chance.labelPairs / all) : 0;
  const expectedVectorPairs = expectedPairs(chance, features);
  const differentLabels =
    all > 0 ? (chance.labelled * (chance.labelled - 1) - chance.labelPairsLabelled) / all : 0;
  const expectedConflictPairs = expectedPairs(chance, features, differentLabels);
  const vectorRows = count(g.rz_vector_rows);
  const repeatedEntities =
    s.grouping === undefined &&
    total > 0 &&
    vectorRows / total >= t.repeatedVectorShare &&
    beyondChance(vectorPairs, expectedVectorPairs, t.chanceMatchRatio) &&
    dupPairs < t.repeatedVectorSameTarget * vectorPairs;
  const grouped = entityColumn(s) !== undefined;
  return {
    total,
    groups: count(g.rz_dup_groups),
    rows: count(g.rz_dup_rows),
    dupPairs,
    expectedDupPairs,
    dupBeyondChance: beyondChance(dupPairs, expectedDupPairs, t.chanceMatchRatio),
    vectorPairs,
    expectedVectorPairs,
    vectorRows,
    vectorGroups: count(g.rz_vector_groups),
    conflictPairs,
    expectedConflictPairs,
    conflictBeyondChance: beyondChance(conflictPairs, expectedConflictPairs, t.chanceMatchRatio),
    repeatedEntities,
    randomStraddling: toNumber(g.rz_dup_expected) ?? 0,
    groupStraddling: grouped ? (toNumber(g.rz_dup_group_expected) ?? 0) : null,
    crossGroups: grouped ? count(g.rz_dup_cross_groups) : null,
    crossRows: grouped ? count(g.rz_dup_cross_rows) : null,
  };
}

/** The queries `assessRowGroups` reads (the same SQL in every check that uses them). */
export function rowGroupsQueries(s: ReadinessSetup): Record<string, string> {
  return { groups: rowGroupsQueryFor(s), chance: collisionsQueryFor(s) };
}

/** "4 rows each" or "2–20 rows each". */
export function rowsPerEntityText(g: Grouping): string {
  return g.minRows === g.maxRows
    ? `${fmtInt(g.minRows)} rows each`
    : `${fmtInt(g.minRows)}–${fmtInt(g.maxRows)} rows each`;
}

function chanceText(observed: number, expected: number): string {
  return `${fmtInt(observed)} matching pairs where independent columns give ≈${expected < 10 ? round(expected, 1) : fmtInt(expected)}`;
}

/**
 * The leakage-split-duplicates finding for the duplicate groups: as many as
 * chance gives (info); repeated entities without an ID (minor); with a
 * grouping, what a split by it would still cut (info when nothing); otherwise
 * major only when both the share of rows and the groups a split would cut are
 * large.
 */
export function splitDuplicatesSpec(s: ReadinessSetup, a: RowGroupsAssessment): FindingSpec {
  const t = s.thresholds;
  const features = s.features.map((c) => c.name);
  const g = s.grouping;
  const share = a.total ? a.rows / a.total : 0;
  const split = `${fmtPct(1 - t.testShare, 0)}/${fmtPct(t.testShare, 0)}`;
  const evidence = {
    groups: a.groups,
    rows: a.rows,
    share: round(share, 5),
    expectedStraddlingGroups: round(a.randomStraddling, 1),
    matchingPairs: a.dupPairs,
    expectedPairsByChance: round(a.expectedDupPairs, 3),
    chanceRatio: t.chanceMatchRatio,
    groupedBy: entityColumn(s) ?? null,
    expectedStraddlingGroupsByGroup: a.groupStraddling === null ? null : round(a.groupStraddling, 1),
    groupsAcrossEntities: a.crossGroups,
    testShare: t.testShare,
    majorAbove: t.splitDuplicateShareMajor,
    minStraddling: t.splitDuplicateMinStraddling,
  };
  const entity = entityColumn(s);
  const sql = `${splitDuplicatesQuery(s.sql, features, t.testShare, entity)};\n${collisionsEvidenceSql(s)}`;
  const base = { key: 'rows', columns: features, evidence, sql };
  const head = `${plural(a.groups, 'group', fmtInt(a.groups))} of identical rows (${fmtInt(a.rows)} rows)`;
  if (!a.dupBeyondChance)
    return {
      ...base,
      severity: 'info',
      title: `${head}, about as many as chance gives with these features (${chanceText(a.dupPairs, a.expectedDupPairs)})`,
      recommendation:
        'With few distinct values per feature, different records coincide by chance: these are not copies, and a split that separates them leaks nothing. If the rows should differ, a distinguishing feature is missing from the extract.',
    };
  if (a.repeatedEntities)
    return {
      ...base,
      severity: 'minor',
      title: `${head}: the same entities recurring with the same target, not copies`,
      recommendation: `Most rows share their whole feature vector with other rows (see structure-groups): these are the same people or units observed several times, and identical rows are the same entity with the same outcome twice. A random split puts one entity on both sides. Ask the client for the entity ID and split by it (until then, by the feature vector); then no duplicate straddles the split.`,
    };
  if (entity && a.groupStraddling !== null) {
    const seeGroups = g ? ' (see structure-groups)' : '';
    if ((a.crossGroups ?? 0) === 0)
      return {
        ...base,
        severity: 'info',
        title: `${head}, each within one ${q(entity)}: a split by ${q(entity)} keeps them together`,
        recommendation: `Split by ${q(entity)}${seeGroups}; no duplicate then straddles the split. Deduplicate within ${q(entity)} if the copies are not real repeated observations.`,
      };
    // Different entities sharing every value are not copies of one record: new entities will
    // coincide with known ones at the same rate in production, so a split by entity measures
    // what the model will meet. Worth a look (a record filed under two IDs), never a major.
    return {
      ...base,
      severity: 'minor',
      title: `${plural(a.crossGroups ?? 0, 'group', fmtInt(a.crossGroups ?? 0))} of identical rows span several ${q(entity)} values (${fmtInt(a.crossRows ?? 0)} rows): different ${q(entity)} values share every feature and the target`,
      recommendation: `With coarse values, different entities coincide, and a split by ${q(entity)}${seeGroups} then tests the model as production will. Check a few of these groups: if they are one record filed under two ${q(entity)} values, deduplicate before splitting.`,
    };
  }
  const major = share >= t.splitDuplicateShareMajor && a.randomStraddling >= t.splitDuplicateMinStraddling;
  return {
    ...base,
    severity: major ? 'major' : 'minor',
    title: `${plural(a.groups, 'group', fmtInt(a.groups))} of duplicate rows (${fmtInt(a.rows)} rows); a random ${split} split would put ≈${plural(Math.round(a.randomStraddling), 'group', fmtInt(a.randomStraddling))} on both sides`,
    recommendation:
      'A duplicate in both train and test lets the model score well by memorising. Deduplicate before splitting, or split by group (ID or duplicate group) so copies stay together.',
  };
}

// ---- The check ---------------------------------------------------------------------------------

export const structureGroups: CheckDefinition = {
  id: 'structure-groups',
  area: 'leakage',
  meaning:
    'Rows come in groups of the same entity; a random split would test the model on entities it has seen.',
  fix: 'pipeline',
  owner: 'ml-engineering',
  inWords: 'repeated entities a random split would divide',
  description:
    'Repeated entities: a column grouping the rows (a fixed number of rows per traveller, a firm every year), or whole feature vectors recurring with different targets (the same person in several years, without an ID). Splits must keep each entity on one side.',
  evidence: {
    column: { label: 'Entity column', kind: 'text' },
    entities: { label: 'Entities', kind: 'count' },
    minRowsPerEntity: { label: 'Fewest rows per entity', kind: 'count' },
    maxRowsPerEntity: { label: 'Most rows per entity', kind: 'count' },
    balanced: { label: 'Same rows per entity', kind: 'boolean' },
    panel: { label: 'A panel over time', kind: 'boolean' },
    entityAttributes: { label: 'Attributes fixed per entity', kind: 'text' },
    reason: { label: 'Why it matters', kind: 'text' },
    minEntities: { label: 'Judged from', kind: 'count', unit: 'entity' },
    rowsInRepeatedVectors: { label: 'Rows whose features recur', kind: 'count' },
    repeatedVectors: { label: 'Feature vectors that recur', kind: 'count' },
    rows: { label: 'Rows', kind: 'count' },
    share: { label: 'Share of rows', kind: 'share' },
    matchingPairs: { label: 'Matching pairs', kind: 'count' },
    expectedPairsByChance: { label: 'Pairs expected by chance', kind: 'number' },
    pairsAlsoSharingTarget: { label: 'Pairs that also share the target', kind: 'count' },
    chanceRatio: { label: 'Flagged from', kind: 'number', unit: '× chance' },
    minShare: { label: 'Judged from a share of', kind: 'share' },
  },
  dependsOn: [...FEATURE_DEPS, ...LABEL_DEPS, 'thresholds'],
  applies: (s) => s.grouping !== undefined || (s.label !== undefined && s.features.length > 0),
  queries: (s) => (s.grouping === undefined ? rowGroupsQueries(s) : {}),
  findings(s, r) {
    const make = finder(s, this.id, this.area);
    const out: Finding[] = [];
    const g = s.grouping;
    if (g) {
      const others = g.attributes.slice(0, 4).map(q).join(', ') + (g.attributes.length > 4 ? ', …' : '');
      const why = g.panel
        ? `each ${q(g.column)} appears once per ${q(s.time!.column)}: a panel of ${fmtInt(g.entities)} entities over time`
        : `every ${q(g.column)} has exactly ${fmtInt(g.minRows)} rows${g.attributes.length ? ` and one value of ${others}` : ''}`;
      out.push(
        make({
          severity: 'minor',
          key: g.column,
          title: `The rows come in groups: ${fmtInt(g.entities)} ${q(g.column)} values, ${rowsPerEntityText(g)}`,
          columns: [g.column, ...g.attributes],
          evidence: {
            column: g.column,
            entities: g.entities,
            minRowsPerEntity: g.minRows,
            maxRowsPerEntity: g.maxRows,
            balanced: g.balanced,
            panel: g.panel,
            entityAttributes: g.attributes.join(', ') || null,
            reason: why,
            minEntities: s.thresholds.groupMinEntities,
          },
          sql: `${groupSizesQuery(s.input.tableName, g.column)};\n${g.sql}`,
          recommendation: `Rows of one ${q(g.column)} are not independent (${why}). Split train and test by ${q(g.column)} (grouped cross-validation, e.g. scikit-learn's GroupKFold) so no ${q(g.column)} is on both sides${g.panel ? `, or by time if the model is to forecast the same ${q(g.column)} values` : ''}; a random split would score the model on entities it has already seen. The duplicate checks judge a split by ${q(g.column)}.`,
        }),
      );
      return out;
    }
    if (!r.groups || !r.chance) return out;
    const a = assessRowGroups(s, r);
    if (!a.repeatedEntities) return out;
    const features = s.features.map((c) => c.name);
    const label = s.label!.column;
    out.push(
      make({
        severity: 'minor',
        key: 'feature-vectors',
        title: `${fmtPct(a.vectorRows / a.total)} of the rows share every feature value with other rows: the same entities seem to recur without an ID`,
        columns: features,
        evidence: {
          rowsInRepeatedVectors: a.vectorRows,
          repeatedVectors: a.vectorGroups,
          rows: a.total,
          share: round(a.vectorRows / a.total, 4),
          matchingPairs: a.vectorPairs,
          expectedPairsByChance: round(a.expectedVectorPairs, 2),
          pairsAlsoSharingTarget: a.dupPairs,
          chanceRatio: s.thresholds.chanceMatchRatio,
          minShare: s.thresholds.repeatedVectorShare,
        },
        sql: `${repeatedVectorsQuery(s.input.tableName, features, label)};\n${collisionsEvidenceSql(s)}`,
        recommendation: `${fmtInt(a.vectorGroups)} feature vectors cover ${fmtInt(a.vectorRows)} rows, ${fmtInt(Math.round(a.vectorPairs / Math.max(a.expectedVectorPairs, 1e-9)))}× the matches independent columns would give, and most rows sharing a vector differ in ${q(label)}: these look like the same people or units observed several times (person-years, repeated visits), with no column naming them. Ask the client for the entity ID and split by it; until then, split by the whole feature vector so one entity never lands in both train and test.`,
      }),
    );
    return out;
  },
};

import type { RelationResult, RelationSuggestion } from '../model/relations';
import type { Analysis, QueryResults, Row, Stage, StageFailure, Statements } from '../pipeline/stage';
import { containmentQuery, keyUniquenessQuery, relationMeasureQuery } from '../sql/relations';
import { RELATION_THRESHOLDS } from '../thresholds/relations';
import {
  candidatePairs,
  keyCandidates,
  suggestionsFrom,
  type CandidatePair,
  type DiscoveryColumn,
  type KeyStats,
  type MeasuredPair,
} from './discover';
import { exampleQueries, measuredRelation, relationResult, type MeasuredRelation } from './measure';
import type { RelationExamples, RelationsInput, RelationsOutcome } from './types';

export type { RelationExamples, RelationTable, RelationsInput, RelationsOutcome } from './types';

/**
 * The related-tables analysis (issue 22) as stages:
 *   keys (uniqueness of candidate keys, one scan per table)
 *   → inclusion (each candidate child column's distinct values against its
 *     candidate keys, one statement per child column) → suggestions
 *   → measure-<i> (one statement per accepted relation: every count)
 *   → examples (the rows behind the findings, only where a count is above 0).
 * Discovery stages run only with `discover`. No temporary table: nothing to clean up.
 */

/** What the stages have measured so far; run from `{}`. */
export interface RelationsRunState {
  /** Measured uniqueness of the candidate keys. */
  keys?: { column: DiscoveryColumn; stats: KeyStats }[];
  /** Child columns to test against each key. */
  pairs?: CandidatePair[];
  suggestions?: RelationSuggestion[];
  /** Per accepted relation (in the analysis's order); absent when its statement failed. */
  results?: Record<number, RelationResult>;
  examples?: Record<number, RelationExamples>;
  /** Statements that failed: their stage's figures are left out, the rest of the analysis goes on. */
  failures?: StageFailure[];
}

type Stage_ = Stage<RelationsRunState>;

type ExampleKind = keyof Omit<RelationExamples, 'link'>;

/** A failed statement leaves its stage's figures out; discovery or one relation failing never stops the others. */
function recovering(stage: Stage_): Stage_ {
  return {
    ...stage,
    recover: (state, failure) => ({ ...state, failures: [...(state.failures ?? []), failure] }),
  };
}

const number = (row: Row | undefined, key: string): number => Number(row?.[key] ?? 0) || 0;

function keysStage(candidates: readonly DiscoveryColumn[]): Stage_ {
  const byTable = new Map<string, DiscoveryColumn[]>();
  for (const c of candidates) byTable.set(c.table.tableName, [...(byTable.get(c.table.tableName) ?? []), c]);
  const groups = [...byTable.entries()];
  return {
    id: 'keys',
    label: 'Finding candidate keys',
    applies: () => groups.length > 0,
    queries: () =>
      Object.fromEntries(
        groups.map(([table, columns], i) => [
          `keys:${i}`,
          {
            sql: keyUniquenessQuery(
              table,
              columns.map((c) => c.column),
            ),
            oneRow: true,
          },
        ]),
      ),
    resolve: (state, results) => ({
      ...state,
      keys: groups.flatMap(([, columns], i) => {
        const row = results[`keys:${i}`]?.[0];
        return columns.map((column, j) => ({
          column,
          stats: { nonNull: number(row, `nonnull_${j}`), distinct: number(row, `distinct_${j}`) },
        }));
      }),
    }),
  };
}

/** Candidate pairs grouped by child column: one inclusion statement each. */
function byChild(pairs: readonly CandidatePair[]): CandidatePair[][] {
  const groups = new Map<DiscoveryColumn, CandidatePair[]>();
  for (const pair of pairs) groups.set(pair.child, [...(groups.get(pair.child) ?? []), pair]);
  return [...groups.values()];
}

const tableColumn = (c: DiscoveryColumn) => ({ table: c.table.tableName, column: c.column, type: c.type });

function inclusionStage(input: RelationsInput): Stage_ {
  const pairsOf = (state: RelationsRunState): CandidatePair[] =>
    state.pairs ??
    candidatePairs(input, new Map((state.keys ?? []).map((k) => [k.column, k.stats])), RELATION_THRESHOLDS);
  return {
    id: 'inclusion',
    label: 'Testing which columns point at the keys',
    applies: (state) => pairsOf(state).length > 0,
    queries: (state): Statements =>
      Object.fromEntries(
        byChild(pairsOf(state)).map((group, i) => [
          `inclusion:${i}`,
          {
            sql: containmentQuery(
              tableColumn(group[0]!.child),
              group.map((p) => tableColumn(p.parent)),
            ),
            oneRow: true,
          },
        ]),
      ),
    resolve: (state, results: QueryResults) => {
      const measured: MeasuredPair[] = byChild(pairsOf(state)).flatMap((group, i) => {
        const row = results[`inclusion:${i}`]?.[0];
        return group.map((pair, j) => ({
          ...pair,
          childKeys: number(row, 'child_keys'),
          contained: number(row, `contained_${j}`),
        }));
      });
      return { ...state, pairs: pairsOf(state), suggestions: suggestionsFrom(measured) };
    },
  };
}

function measureStage(relation: MeasuredRelation, index: number, labels: Map<string, string>): Stage_ {
  const { child, parent } = relation.link;
  const name = (dataset: string) => labels.get(dataset) ?? dataset;
  return {
    id: `measure-${index}`,
    label: `Checking ${name(child.dataset)} ${child.column} → ${name(parent.dataset)} ${parent.column}`,
    queries: () => ({ measure: { sql: relationMeasureQuery(relation.sql), oneRow: true } }),
    resolve: (state, results) => {
      const row = results.measure?.[0];
      if (!row) return state;
      return { ...state, results: { ...state.results, [index]: relationResult(relation, row) } };
    },
  };
}

function examplesStage(relations: readonly MeasuredRelation[]): Stage_ {
  const statements = (state: RelationsRunState): [string, string][] =>
    relations.flatMap((relation, i) => {
      const result = state.results?.[i];
      if (!result) return [];
      return Object.entries(exampleQueries(relation, result)).map(([kind, sql]): [string, string] => [
        `${i}:${kind}`,
        sql,
      ]);
    });
  return {
    id: 'examples',
    label: 'Collecting example rows',
    applies: (state) => Object.keys(state.results ?? {}).length > 0,
    queries: (state) => Object.fromEntries(statements(state)),
    resolve: (state, results) => {
      const examples: Record<number, RelationExamples> = {};
      for (const [i, relation] of relations.entries()) {
        if (!state.results?.[i]) continue;
        const rows = (kind: ExampleKind): Row[] => results[`${i}:${kind}`] ?? [];
        examples[i] = {
          link: relation.link,
          duplicateKeys: rows('duplicateKeys'),
          orphanKeys: rows('orphanKeys'),
          formatMismatches: rows('formatMismatches'),
          afterParentTime: rows('afterParentTime'),
        };
      }
      return { ...state, examples };
    },
  };
}

/** The accepted relations that name loaded columns, once each. */
function acceptedRelations(input: RelationsInput): MeasuredRelation[] {
  const seen = new Set<string>();
  return input.accepted.flatMap((link) => {
    const key = JSON.stringify([
      link.child.dataset,
      link.child.column,
      link.parent.dataset,
      link.parent.column,
    ]);
    if (seen.has(key)) return [];
    seen.add(key);
    const relation = measuredRelation(link, input.tables);
    return relation ? [relation] : [];
  });
}

/**
 * The relations analysis: discovery (when `input.discover`) and the checks
 * of every accepted relation. Run it with `new QueryRunner(conn).run(analysis, {})`
 * and read the outcome with `relationsOutcome`.
 */
export function relationsAnalysis(input: RelationsInput): Analysis<RelationsRunState> {
  const relations = acceptedRelations(input);
  const labels = new Map(input.tables.map((t) => [t.datasetId, t.label]));
  const stages: Stage_[] = [
    ...(input.discover ? [keysStage(keyCandidates(input)), inclusionStage(input)] : []),
    ...relations.map((relation, i) => measureStage(relation, i, labels)),
    examplesStage(relations),
  ];
  return { name: 'relations', stages: stages.map(recovering) };
}

/** What the analysis found: suggestions, one result per measured relation, and their example rows. */
export function relationsOutcome(state: RelationsRunState): RelationsOutcome {
  const indices = Object.keys(state.results ?? {})
    .map(Number)
    .sort((a, b) => a - b);
  return {
    suggestions: state.suggestions ?? [],
    results: indices.map((i) => state.results![i]!),
    examples: indices.flatMap((i) => (state.examples?.[i] ? [state.examples[i]] : [])),
  };
}

import { primaryDatasetId, rolesOf, withReplacedFindings } from '../audit/edits';
import type { AuditDocument, Finding } from '../model/audit';
import {
  sameLink,
  type JoinPath,
  type RelationLink,
  type RelationResult,
  type RelationsState,
} from '../model/relations';
import { RELATION_CHECKS } from './definitions';
import { relationFindingIds, relationFindings } from './findings';
import { datasetLabels } from './labels';
import { joinPaths } from './paths';
import type { RelationExamples, RelationsInput, RelationsOutcome, RelationTable } from './types';

/**
 * Related tables inside the audit document, as pure edits: which datasets
 * take part, what the user accepted or dismissed, and the findings of the
 * last run. Every edit leaves the verdict derived from the findings it ends
 * with (`withReplacedFindings`).
 */

/** The state of a document that never ran the step. */
export const NO_RELATIONS: RelationsState = {
  accepted: [],
  dismissed: [],
  suggestions: [],
  discovery: 'not-run',
};

/** The document's relation state, or the empty one. */
export function relationStateOf(audit: Pick<AuditDocument, 'relationState'>): RelationsState {
  return audit.relationState ?? NO_RELATIONS;
}

const RELATION_CHECK_IDS: ReadonlySet<string> = new Set(Object.values(RELATION_CHECKS));

/** Whether a finding belongs to the related-tables step. */
export function isRelationFinding(f: Pick<Finding, 'check'>): boolean {
  return RELATION_CHECK_IDS.has(f.check);
}

/**
 * The datasets that can be related, in load order: all but the other side of
 * a drift comparison between two datasets. That one is a second extract of
 * the same table (last month against this month), not a related table; the
 * label's table is always kept, else the comparison's reference is dropped.
 */
export function relatedDatasetIds(
  audit: Pick<AuditDocument, 'datasets' | 'primaryDatasetId' | 'drift'>,
): string[] {
  const ids = audit.datasets.map((d) => d.id);
  const comparison = audit.drift?.report?.comparison;
  if (comparison?.kind !== 'datasets' || comparison.referenceDatasetId === comparison.currentDatasetId)
    return ids;
  const label = primaryDatasetId(audit);
  const extract =
    comparison.referenceDatasetId === label ? comparison.currentDatasetId : comparison.referenceDatasetId;
  return ids.filter((id) => id !== extract);
}

/** The loaded datasets taking part (see `relatedDatasetIds`), as the analysis reads them; `tables` maps dataset id to engine table. */
export function relationTables(
  audit: AuditDocument,
  tables: Readonly<Record<string, string>>,
): RelationTable[] {
  const labels = datasetLabels(audit);
  const related = new Set(relatedDatasetIds(audit));
  return audit.datasets.flatMap((d) => {
    const tableName = tables[d.id];
    if (tableName === undefined || !related.has(d.id)) return [];
    const profile = audit.profiles[d.id];
    return [
      {
        datasetId: d.id,
        label: labels[d.id] ?? d.fileName,
        tableName,
        columns: d.columns.map((c) => ({ name: c.name, type: c.type })),
        ...(profile ? { profile } : {}),
        rows: profile?.rows ?? d.rowCount,
        roles: rolesOf(audit, d.id),
      },
    ];
  });
}

const linkOf = (l: RelationLink): RelationLink => ({
  child: { dataset: l.child.dataset, column: l.child.column },
  parent: { dataset: l.parent.dataset, column: l.parent.column },
});

/**
 * What the analysis runs on, or undefined when fewer than two datasets take
 * part (nothing to relate). Accepted relations naming a dataset or column no
 * longer loaded are left out rather than failing the run.
 */
export function relationsInput(
  audit: AuditDocument,
  tables: Readonly<Record<string, string>>,
  options: { discover: boolean },
): RelationsInput | undefined {
  const participating = relationTables(audit, tables);
  if (participating.length < 2) return undefined;
  const columns = new Map(participating.map((t) => [t.datasetId, new Set(t.columns.map((c) => c.name))]));
  const present = (l: RelationLink): boolean =>
    (columns.get(l.child.dataset)?.has(l.child.column) ?? false) &&
    (columns.get(l.parent.dataset)?.has(l.parent.column) ?? false);
  const state = relationStateOf(audit);
  const label = primaryDatasetId(audit);
  return {
    tables: participating,
    ...(label !== undefined && columns.has(label) ? { labelDataset: label } : {}),
    accepted: state.accepted.filter(present).map(linkOf),
    dismissed: state.dismissed.map(linkOf),
    discover: options.discover,
  };
}

/** How each related dataset reaches the label's table through the accepted relations. */
export function relationPaths(audit: AuditDocument): JoinPath[] {
  return joinPaths(relatedDatasetIds(audit), primaryDatasetId(audit), relationStateOf(audit).accepted);
}

function findingsOf(
  audit: AuditDocument,
  results: readonly RelationResult[],
  examples: readonly RelationExamples[],
  suggestions: RelationsState['suggestions'],
): Finding[] {
  return relationFindings(results, examples, {
    labels: datasetLabels(audit),
    labelDataset: primaryDatasetId(audit),
    paths: relationPaths(audit),
    rowsOf: Object.fromEntries(audit.datasets.map((d) => [d.id, d.rowCount])),
    suggestions,
  });
}

/**
 * Save a run: its suggestions and measurements, and its findings in place of
 * the previous run's. Results and suggestions for links the user accepted,
 * removed or dismissed while the run was going are dropped, so the saved
 * state always agrees with the decisions.
 */
export function withRelations(
  audit: AuditDocument,
  outcome: RelationsOutcome,
  options: { discovery: 'ran' | 'off'; computedAt: string; durationMs: number },
): AuditDocument {
  const state = relationStateOf(audit);
  const accepted = (l: RelationLink) => state.accepted.some((a) => sameLink(a, l));
  const decided = (l: RelationLink) => accepted(l) || state.dismissed.some((d) => sameLink(d, l));
  const results = outcome.results.filter(accepted);
  const suggestions = outcome.suggestions.filter((s) => !decided(s));
  const next: AuditDocument = {
    ...audit,
    relationState: {
      ...state,
      suggestions,
      discovery: options.discovery,
      computedAt: options.computedAt,
      durationMs: options.durationMs,
    },
    relations: results,
  };
  return withReplacedFindings(
    next,
    isRelationFinding,
    findingsOf(next, results, outcome.examples, suggestions),
  );
}

/** The unreachable-table findings derived again after an edit to the relations (they need no SQL). */
function withUnreachableRefreshed(audit: AuditDocument): AuditDocument {
  const unreachable = (f: Pick<Finding, 'check'>) => f.check === RELATION_CHECKS.unreachable;
  const fresh = findingsOf(audit, audit.relations ?? [], [], relationStateOf(audit).suggestions).filter(
    unreachable,
  );
  return withReplacedFindings(audit, unreachable, fresh);
}

/**
 * Accept a relation (named by the user, or a suggestion taken): it leaves the
 * suggestions and the dismissed list. Its measurements come with the next
 * run; the join paths, and so the unreachable-table findings, change now.
 */
export function acceptRelation(
  audit: AuditDocument,
  link: RelationLink,
  origin: 'user' | 'suggested',
): AuditDocument {
  const state = relationStateOf(audit);
  if (state.accepted.some((a) => sameLink(a, link))) return audit;
  return withUnreachableRefreshed({
    ...audit,
    relationState: {
      ...state,
      accepted: [...state.accepted, { ...linkOf(link), origin }],
      suggestions: state.suggestions.filter((s) => !sameLink(s, link)),
      dismissed: state.dismissed.filter((d) => !sameLink(d, link)),
    },
  });
}

/** Dismiss a suggestion: discovery will not suggest it again. */
export function dismissSuggestion(audit: AuditDocument, link: RelationLink): AuditDocument {
  const state = relationStateOf(audit);
  const known = state.dismissed.some((d) => sameLink(d, link));
  return withUnreachableRefreshed({
    ...audit,
    relationState: {
      ...state,
      suggestions: state.suggestions.filter((s) => !sameLink(s, link)),
      dismissed: known ? state.dismissed : [...state.dismissed, linkOf(link)],
    },
  });
}

/**
 * Remove an accepted relation with its measurements and findings. Not
 * dismissed: discovery may suggest it again. A parent's duplicate keys stay
 * while another accepted relation still joins that parent key.
 */
export function removeRelation(audit: AuditDocument, link: RelationLink): AuditDocument {
  const state = relationStateOf(audit);
  const accepted = state.accepted.filter((a) => !sameLink(a, link));
  const sharesParent = accepted.some(
    (a) => a.parent.dataset === link.parent.dataset && a.parent.column === link.parent.column,
  );
  const ids = relationFindingIds(link);
  const owned = new Set(sharesParent ? ids.own : [...ids.own, ids.parentKey]);
  const next: AuditDocument = {
    ...audit,
    relationState: { ...state, accepted },
    ...(audit.relations ? { relations: audit.relations.filter((r) => !sameLink(r, link)) } : {}),
  };
  return withUnreachableRefreshed(withReplacedFindings(next, (f) => owned.has(f.id), []));
}

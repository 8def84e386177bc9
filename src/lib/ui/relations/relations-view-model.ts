import type { AuditDocument, Severity } from '../../core/model/audit';
import {
  sameLink,
  type AcceptedRelation,
  type RelationLink,
  type RelationResult,
  type RelationSuggestion,
} from '../../core/model/relations';
import { primaryDatasetId, rolesOf } from '../../core/audit/edits';
import { relatedDatasetIds, relationPaths } from '../../core/relations/document';
import { isFindingOfRelation } from '../../core/relations/findings';
import { datasetLabels } from '../../core/relations/labels';
import {
  relationsDiagram,
  type DiagramRelation,
  type DiagramTable,
  type RelationsDiagram,
} from '../../core/charts/relations-diagram';
import {
  formatCount,
  formatCountShare,
  formatList,
  formatNumber,
  formatShare,
  formatTimestamp,
  plural,
} from '../../core/format';
import {
  findingViews,
  groupFindings,
  type FindingView,
  type SeverityGroup,
} from '../readiness/findings-view-model';

/** Display labels of the datasets by id (`datasetLabels(audit)` in core/relations/labels). */
export type DatasetLabels = Readonly<Record<string, string>>;

/** One line of a facts or evidence table. */
export interface FactLine {
  label: string;
  value: string;
  /** A value worth a second look (a defect was measured). */
  flagged?: boolean;
}

export interface SuggestionView {
  key: string;
  link: RelationLink;
  name: string;
  evidence: FactLine[];
  reason: string;
}

export interface AcceptedView {
  key: string;
  link: RelationLink;
  name: string;
  origin: string;
  /** Short cells for the table that lists the diagram's arrows. */
  cardinality: string;
  orphans: string;
  fanout: string;
  pointInTime: string;
  /** Some joined child rows are dated after the prediction time. */
  leaksFuture: boolean;
  /** Undefined until the relation's checks have run. */
  facts: FactLine[] | undefined;
  asOfSql: string | undefined;
  sql: string | undefined;
  severity: Severity | undefined;
}

export interface RelationsReady {
  kind: 'ready';
  labels: DatasetLabels;
  status: string;
  /** Discovery has not run on this audit (or ran off): offer to look for relations. */
  canDiscover: boolean;
  labelTable: string | undefined;
  diagram: RelationsDiagram;
  diagramName: string;
  accepted: AcceptedView[];
  suggestions: SuggestionView[];
  /** The relation findings by severity, blocker first. */
  findings: SeverityGroup[];
  /** `12 findings on the relations: 1 blocker, 1 major, 5 minor, 5 info`; empty without findings. */
  findingsLine: string;
}

export type RelationsView = { kind: 'too-few'; message: string } | RelationsReady;

/** A stable key for a link (child and parent columns), for keyed lists and element ids. */
export function linkKey(link: RelationLink): string {
  return [link.child.dataset, link.child.column, link.parent.dataset, link.parent.column].join('\u0001');
}

/** `subscriptions.csv · customer_id → customers.csv · id` */
export function linkName(link: RelationLink, labels: DatasetLabels): string {
  return `${end(link.child, labels)} → ${end(link.parent, labels)}`;
}

function end(e: { dataset: string; column: string }, labels: DatasetLabels): string {
  return `${labels[e.dataset] ?? e.dataset} · ${e.column}`;
}

const SEVERITY_RANK: Record<Severity, number> = { blocker: 0, major: 1, minor: 2, info: 3 };

/** The worst severity among a relation's open (not waived) findings, info excepted. */
function worstOpen(views: readonly FindingView[], link: RelationLink): Severity | undefined {
  return views
    .filter((v) => !v.waiver && v.finding.severity !== 'info' && isFindingOfRelation(v.finding, link))
    .map((v) => v.finding.severity)
    .sort((a, b) => SEVERITY_RANK[a] - SEVERITY_RANK[b])[0];
}

function suggestionView(s: RelationSuggestion, labels: DatasetLabels): SuggestionView {
  const evidence: FactLine[] = [
    { label: 'Child values found in the parent key', value: formatShare(s.containment) },
    { label: 'Distinct child values', value: formatCount(s.childKeys) },
    { label: 'Parent column unique', value: formatShare(s.parentUniqueness) },
    { label: 'Names match', value: s.nameMatch ? 'Yes' : 'No' },
  ];
  if (s.comparedAsText) evidence.push({ label: 'Types differ', value: 'Compared as text' });
  return {
    key: linkKey(s),
    link: { child: s.child, parent: s.parent },
    name: linkName(s, labels),
    evidence,
    reason: s.reason,
  };
}

/** Why a relation's point-in-time check did not run, in the user's words. */
function pointInTimeMissing(audit: AuditDocument, link: RelationLink, labels: DatasetLabels): string {
  const parent = labels[link.parent.dataset] ?? link.parent.dataset;
  if (!rolesOf(audit, link.parent.dataset).eventTime)
    return `Not checked: ${parent} has no event time (the prediction time; set it under Readiness & verdict).`;
  return `Not checked: ${labels[link.child.dataset] ?? link.child.dataset} has no time column.`;
}

function fanoutText(r: RelationResult): string {
  if (r.fanout.mean === null) return 'No key matches';
  return `mean ${formatNumber(r.fanout.mean, { digits: 2 })} · p95 ${formatNumber(r.fanout.p95)} · max ${formatCount(r.fanout.max)}`;
}

const KIND_WORDS = { 'leading-zeros': 'leading zeros', case: 'case', whitespace: 'spaces' } as const;

/** The compact facts table of one measured relation. */
export function relationFacts(audit: AuditDocument, r: RelationResult, labels: DatasetLabels): FactLine[] {
  const pit = r.pointInTime;
  const format =
    r.formatMismatch.keys > 0
      ? `${plural(r.formatMismatch.keys, 'key')} (${formatList(r.formatMismatch.kinds.map((k) => KIND_WORDS[k]))})`
      : 'None';
  return [
    { label: 'Cardinality (parent : child)', value: r.cardinality },
    {
      label: 'Orphan child keys (no parent)',
      value: `${formatCountShare(r.orphanKeys, r.childKeys)} of ${plural(r.childKeys, 'key')}, on ${plural(r.orphanRows, 'row')}`,
      flagged: r.orphanKeys > 0,
    },
    {
      label: 'Child rows with no key',
      value: formatCountShare(r.nullKeys, r.childRows),
      flagged: r.nullKeys > 0,
    },
    {
      label: 'Duplicated parent keys',
      value:
        r.duplicateParentKeys > 0
          ? `${plural(r.duplicateParentKeys, 'key')} on ${plural(r.duplicateParentRows, 'row')}`
          : 'None',
      flagged: r.duplicateParentKeys > 0,
    },
    { label: 'Parents with no child', value: formatCountShare(r.childlessParents, r.parentKeys) },
    { label: 'Child rows per parent (with children)', value: fanoutText(r) },
    {
      label: 'Rows before → after the join',
      value: `${formatCount(r.rowsBeforeJoin)} → ${formatCount(r.rowsAfterJoin)}`,
    },
    {
      label: 'Key format mismatches',
      value: r.comparedAsText ? `${format}; types differ, compared as text` : format,
      flagged: r.formatMismatch.keys > 0,
    },
    {
      label: 'Child rows after the prediction time',
      value: !pit
        ? pointInTimeMissing(audit, r, labels)
        : pit.rowsAfterParentTime === 0
          ? `None of ${plural(pit.timedRows, 'timed row')} (${pit.childTime} never after ${pit.parentTime})`
          : `${formatCountShare(pit.rowsAfterParentTime, pit.timedRows)} of ${plural(pit.timedRows, 'timed row')} (${pit.childTime} after ${pit.parentTime})`,
      flagged: (pit?.rowsAfterParentTime ?? 0) > 0,
    },
  ];
}

function acceptedView(
  audit: AuditDocument,
  a: AcceptedRelation,
  result: RelationResult | undefined,
  views: readonly FindingView[],
  labels: DatasetLabels,
): AcceptedView {
  const pit = result?.pointInTime;
  return {
    key: linkKey(a),
    link: { child: a.child, parent: a.parent },
    name: linkName(a, labels),
    origin: a.origin === 'user' ? 'Added by hand' : 'Accepted suggestion',
    cardinality: result?.cardinality ?? '—',
    orphans: result ? formatShare(result.orphanKeyShare) : '—',
    fanout: result ? formatNumber(result.fanout.mean, { digits: 2 }) : '—',
    pointInTime: result ? (pit ? formatShare(pit.share) : 'Not checked') : '—',
    leaksFuture: (pit?.rowsAfterParentTime ?? 0) > 0,
    facts: result ? relationFacts(audit, result, labels) : undefined,
    asOfSql: pit?.asOfSql,
    sql: result?.sql,
    severity: worstOpen(views, a),
  };
}

/** The tables the diagram draws (those that can be related), each at its join distance from the label's table. */
function diagramTables(
  audit: AuditDocument,
  labelId: string | undefined,
  labels: DatasetLabels,
): DiagramTable[] {
  const target = labelId ? rolesOf(audit, labelId).target : undefined;
  const related = new Set(relatedDatasetIds(audit));
  const paths = new Map(relationPaths(audit).map((p) => [p.dataset, p.path]));
  return audit.datasets
    .filter((d) => related.has(d.id))
    .map((d) => {
      const path = paths.get(d.id) ?? [];
      return {
        id: d.id,
        label: labels[d.id] ?? d.fileName,
        rowsText: plural(d.rowCount, 'row'),
        labelTable: d.id === labelId,
        note: d.id === labelId ? (target ? `Label’s table · target ${target}` : 'Label’s table') : undefined,
        depth: path.length > 0 ? path.length - 1 : undefined,
      };
    });
}

function diagramRelation(v: AcceptedView): DiagramRelation {
  const lines = v.facts
    ? [
        `${v.cardinality} · ${v.fanout} per parent`,
        `${v.orphans} orphan keys`,
        ...(v.leaksFuture ? [`${v.pointInTime} after prediction time`] : []),
      ]
    : ['not measured yet'];
  return {
    key: v.key,
    child: v.link.child.dataset,
    parent: v.link.parent.dataset,
    lines,
    severity: v.severity,
  };
}

/** The accessible name of a table box. */
export function tableName(
  t: Pick<DiagramTable, 'label' | 'rowsText' | 'note'> & { joined: boolean },
): string {
  const parts = [t.label, t.rowsText, t.note, t.joined ? undefined : 'not joined to the label’s table'];
  return parts.filter((p) => p !== undefined).join(', ');
}

/** The accessible name of an arrow. */
export function arrowName(v: AcceptedView): string {
  if (!v.facts) return `${v.name}: not measured yet`;
  const worst = v.severity ? `, worst finding ${v.severity}` : '';
  const late = v.leaksFuture ? `, ${v.pointInTime} of child rows after the prediction time` : '';
  return `${v.name}: ${v.cardinality}, ${v.orphans} orphan keys, ${v.fanout} child rows per parent on average${late}${worst}`;
}

/** `2 blockers`, `5 minor`: severities read as adjectives past the blocker. */
function severityCount(n: number, severity: Severity): string {
  return severity === 'blocker' ? plural(n, 'blocker') : `${formatCount(n)} ${severity}`;
}

function statusLine(audit: AuditDocument): string {
  const state = audit.relationState;
  if (!state || state.discovery === 'not-run')
    return 'Relations between these tables have not been looked for yet.';
  if (state.discovery === 'off') return 'Discovery is off: only the relations named by hand are checked.';
  const when = state.computedAt ? ` on ${formatTimestamp(state.computedAt)}` : '';
  const waiting =
    state.suggestions.length === 0 ? 'no suggestion' : plural(state.suggestions.length, 'suggestion');
  return `Looked for keys shared by these tables${when}: ${waiting} waiting.`;
}

/** Everything the Relations tab shows, from the audit document. */
export function relationsView(audit: AuditDocument): RelationsView {
  if (audit.datasets.length < 2)
    return { kind: 'too-few', message: 'Relations need at least two tables: add the related extracts.' };
  const state = audit.relationState;
  const labels = datasetLabels(audit);
  const labelId = primaryDatasetId(audit);
  const views = findingViews(audit);
  const accepted = (state?.accepted ?? []).map((a) =>
    acceptedView(
      audit,
      a,
      audit.relations?.find((r) => sameLink(r, a)),
      views,
      labels,
    ),
  );
  const tables = diagramTables(audit, labelId, labels);
  const diagram = relationsDiagram(tables, accepted.map(diagramRelation));
  const relationsGroup = groupFindings(views).find((g) => g.area === 'relations');
  return {
    kind: 'ready',
    labels,
    status: statusLine(audit),
    canDiscover: !state || state.discovery !== 'ran',
    labelTable: labelId ? labels[labelId] : undefined,
    diagram,
    diagramName: `Diagram of ${plural(tables.length, 'table')} and ${plural(accepted.length, 'accepted relation')}; arrows point from the child table to its parent.`,
    accepted,
    suggestions: (state?.suggestions ?? []).map((s) => suggestionView(s, labels)),
    findings: relationsGroup?.severities ?? [],
    findingsLine: relationsGroup
      ? `${plural(relationsGroup.count, 'finding')} on the relations: ${formatList(
          relationsGroup.severities.map((g) => severityCount(g.items.length, g.severity)),
        )}`
      : '',
  };
}

/** What the hand-drawn relation form holds. */
export interface RelationForm {
  childDataset: string;
  childColumn: string;
  parentDataset: string;
  parentColumn: string;
}

export const EMPTY_FORM: RelationForm = {
  childDataset: '',
  childColumn: '',
  parentDataset: '',
  parentColumn: '',
};

/** The columns of a dataset, for the form's selects. */
export function columnsOf(audit: AuditDocument, datasetId: string): string[] {
  return audit.datasets.find((d) => d.id === datasetId)?.columns.map((c) => c.name) ?? [];
}

/** The form's relation, or why it can't be added. */
export function formLink(
  audit: AuditDocument,
  form: RelationForm,
): { ok: true; link: RelationLink } | { ok: false; message: string } {
  if (!form.childDataset || !form.childColumn || !form.parentDataset || !form.parentColumn)
    return { ok: false, message: 'Choose a child table and column, and a parent table and key column.' };
  if (
    !columnsOf(audit, form.childDataset).includes(form.childColumn) ||
    !columnsOf(audit, form.parentDataset).includes(form.parentColumn)
  )
    return { ok: false, message: 'That column is no longer in its table: choose again.' };
  const link = {
    child: { dataset: form.childDataset, column: form.childColumn },
    parent: { dataset: form.parentDataset, column: form.parentColumn },
  };
  if (form.childDataset === form.parentDataset && form.childColumn === form.parentColumn)
    return { ok: false, message: 'A column can’t point at itself: choose another parent column.' };
  if (audit.relationState?.accepted.some((a) => sameLink(a, link)))
    return { ok: false, message: 'This relation is already accepted.' };
  return { ok: true, link };
}

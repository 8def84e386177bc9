import { primaryDatasetId, rolesOf } from '../../core/audit/edits';
import type { DiagramRelation, DiagramTable } from '../../core/charts/relations-diagram';
import { formatCount, formatList, formatNumber, formatShare, plural } from '../../core/format';
import type { AuditDocument, Severity } from '../../core/model/audit';
import type { FormatMismatchKind, JoinPath, RelationLink, RelationResult } from '../../core/model/relations';
import { findingId } from '../../core/readiness/findings';
import { RELATION_CHECKS } from '../../core/relations/definitions';
import {
  isRelationFinding,
  relatedDatasetIds,
  relationPaths,
  relationStateOf,
} from '../../core/relations/document';
import { relationKey } from '../../core/relations/findings';
import { datasetLabels } from '../../core/relations/labels';
import { sqlListings, table, type SqlListing } from '../report-template';
import { prettySql, withSourceNames } from '../sql-listing';
import { e } from './common';
import { relationsDiagramSvg } from './relations-diagram';

/**
 * The related tables (issue 22) in the sprint-0 report and the Markdown
 * summary: which table holds the label, how every other table reaches it
 * (the join path), a small diagram of the accepted relations, what each
 * relation's checks measured, and the as-of join that keeps a child's rows
 * known at prediction time. Counts and column names only, every number
 * through core/format; the key values behind the findings stay in the
 * findings (redacted like every example).
 */

/** An as-of statement longer than this many lines goes to the appendix, cited from the section. */
const MAX_INLINE_SQL_LINES = 12;

/** The appendix the long as-of statements are listed in. */
export const RELATIONS_APPENDIX_TITLE = 'Appendix C. As-of joins for related tables';
const APPENDIX_PREFIX = 'C';

const KIND_WORDS: Record<FormatMismatchKind, string> = {
  'leading-zeros': 'leading zeros',
  case: 'upper or lower case',
  whitespace: 'spaces around the key',
};

const SEVERITY_RANK: Record<Severity, number> = { blocker: 3, major: 2, minor: 1, info: 0 };

/** One accepted relation, its numbers as text. */
interface RelationRow {
  link: RelationLink;
  name: string;
  cardinality: string;
  orphans: string;
  nullKeys: string;
  duplicates: string;
  fanout: string;
  /** Short forms for the diagram's arrows. */
  fanoutMean: string;
  orphanShare: string;
  join: string;
  afterTime: string;
  notes: string[];
  asOf: { title: string; sql: string; ref?: string } | null;
  severity: Severity | undefined;
}

interface RelationsView {
  /** `customers.csv holds the target “churned” and the prediction time “snapshot_date”.` */
  labelSentence: string;
  /** The accepted relations and the pending suggestions, in one sentence. */
  decisions: string;
  tables: {
    id: string;
    label: string;
    rows: string;
    path: string;
    depth: number | undefined;
    holdsLabel: boolean;
  }[];
  relations: RelationRow[];
}

/** Datasets a reader sees in the section: the related ones, and any a stored relation names. */
function datasetIdsOf(audit: AuditDocument): string[] {
  const named = new Set((audit.relations ?? []).flatMap((r) => [r.child.dataset, r.parent.dataset]));
  const related = new Set(relatedDatasetIds(audit));
  return audit.datasets.map((d) => d.id).filter((id) => related.has(id) || named.has(id));
}

/**
 * Whether the report has a related-tables section: when relations were
 * measured, or at least two tables could be related. A single table (the
 * demo) has none, so its report keeps its length.
 */
export function hasRelationsSection(audit: AuditDocument): boolean {
  return (audit.relations?.length ?? 0) > 0 || datasetIdsOf(audit).length >= 2;
}

const share = (x: number): string => formatShare(x);
const countShare = (n: number, s: number): string => (n > 0 ? `${formatCount(n)} (${share(s)})` : '0');

function worstSeverity(audit: AuditDocument, r: RelationResult): Severity | undefined {
  const waived = new Set(audit.waivers.map((w) => w.findingId));
  const ids = new Set([
    ...Object.values(RELATION_CHECKS).map((check) => findingId(check, r.child.dataset, relationKey(r))),
    findingId(RELATION_CHECKS.duplicateKeys, r.parent.dataset, r.parent.column),
  ]);
  let worst: Severity | undefined;
  for (const f of audit.findings)
    if (isRelationFinding(f) && ids.has(f.id) && !waived.has(f.id))
      if (!worst || SEVERITY_RANK[f.severity] > SEVERITY_RANK[worst]) worst = f.severity;
  return worst;
}

function relationRow(
  audit: AuditDocument,
  r: RelationResult,
  name: (id: string) => string,
  listed: { n: number },
): RelationRow {
  const relation = `${name(r.child.dataset)} (${r.child.column}) → ${name(r.parent.dataset)} (${r.parent.column})`;
  const notes: string[] = [];
  if (r.comparedAsText) notes.push('The two key columns have different types: keys were compared as text.');
  if (r.formatMismatch.keys > 0)
    notes.push(
      `${plural(r.formatMismatch.keys, 'orphan key')} ${r.formatMismatch.keys === 1 ? 'matches' : 'match'} a parent key once written the same way (${formatList(r.formatMismatch.kinds.map((k) => KIND_WORDS[k]))}).`,
    );
  if (r.childlessParents > 0)
    notes.push(
      `${countShare(r.childlessParents, r.childlessParentShare)} of the parent keys have no child row.`,
    );
  const pit = r.pointInTime;
  let asOf: RelationRow['asOf'] = null;
  if (pit) {
    const sql = prettySql(withSourceNames(pit.asOfSql, audit.datasets));
    const title = `As-of join: ${relation}, child time “${pit.childTime}” at or before “${pit.parentTime}”`;
    asOf =
      sql.split('\n').length > MAX_INLINE_SQL_LINES
        ? { title, sql, ref: `${APPENDIX_PREFIX}.${++listed.n}` }
        : { title, sql };
  }
  const fan = r.fanout;
  return {
    link: r,
    name: relation,
    cardinality: r.cardinality,
    orphans: `${countShare(r.orphanKeys, r.orphanKeyShare)} of ${formatCount(r.childKeys)}${r.orphanRows > 0 ? `, ${plural(r.orphanRows, 'row')}` : ''}`,
    nullKeys: countShare(r.nullKeys, r.nullKeyShare),
    duplicates:
      r.duplicateParentKeys > 0
        ? `${formatCount(r.duplicateParentKeys)} (${plural(r.duplicateParentRows, 'row')})`
        : '0',
    fanout:
      fan.mean === null
        ? 'no match'
        : `${formatNumber(fan.mean, { digits: 2 })} / ${formatNumber(fan.p95)} / ${formatCount(fan.max)}`,
    fanoutMean: formatNumber(fan.mean, { digits: 2 }),
    orphanShare: share(r.orphanKeyShare),
    join: `${formatCount(r.rowsBeforeJoin)} → ${formatCount(r.rowsAfterJoin)}`,
    afterTime: pit
      ? `${countShare(pit.rowsAfterParentTime, pit.share)} of ${formatCount(pit.timedRows)}`
      : 'not checked',
    notes,
    asOf,
    severity: worstSeverity(audit, r),
  };
}

function pathWords(p: JoinPath | undefined, holdsLabel: boolean, name: (id: string) => string): string {
  if (holdsLabel) return 'Holds the label';
  if (!p || p.path.length === 0) return 'Not joined: no accepted relation leads to the label’s table';
  return p.path.map(name).join(' → ');
}

function relationsView(audit: AuditDocument): RelationsView {
  const labels = datasetLabels(audit);
  const name = (id: string): string => labels[id] ?? 'a removed file';
  const labelId = primaryDatasetId(audit);
  const roles = rolesOf(audit, labelId);
  const paths = relationPaths(audit);
  const pathOf = new Map(paths.map((p) => [p.dataset, p]));
  const rowsOf = new Map(audit.datasets.map((d) => [d.id, audit.profiles[d.id]?.rows ?? d.rowCount]));
  const tables = datasetIdsOf(audit).map((id) => {
    const holdsLabel = id === labelId;
    const p = pathOf.get(id);
    return {
      id,
      label: name(id),
      rows: plural(rowsOf.get(id) ?? 0, 'row'),
      path: pathWords(p, holdsLabel, name),
      depth: p && p.path.length > 0 ? p.path.length - 1 : undefined,
      holdsLabel,
    };
  });
  const what = [
    roles.target ? `the target “${roles.target}”` : '',
    roles.eventTime ? `the prediction time “${roles.eventTime}”` : '',
  ].filter((x) => x !== '');
  const labelSentence =
    labelId === undefined
      ? 'No dataset is loaded as the label’s table.'
      : what.length
        ? `${name(labelId)} holds ${formatList(what)}: the other tables are joined to it.`
        : `${name(labelId)} is the label’s table, but no target is set: join paths lead to it all the same.`;
  const state = relationStateOf(audit);
  const pending = state.suggestions.length;
  const decisions = `${plural(state.accepted.length, 'relation')} accepted${
    state.discovery === 'off'
      ? ', discovery off'
      : pending > 0
        ? `, ${plural(pending, 'suggested relation')} awaiting a decision in the app`
        : ''
  }.`;
  const listed = { n: 0 };
  const relations = (audit.relations ?? []).map((r) => relationRow(audit, r, name, listed));
  return { labelSentence, decisions, tables, relations };
}

function diagram(view: RelationsView): string {
  const tables: DiagramTable[] = view.tables.map((t) => ({
    id: t.id,
    label: t.label,
    rowsText: t.rows,
    labelTable: t.holdsLabel,
    ...(t.holdsLabel ? { note: 'Label’s table' } : t.depth === undefined ? { note: 'Not joined' } : {}),
    depth: t.depth,
  }));
  const relations: DiagramRelation[] = view.relations.map((r) => ({
    key: `${r.link.child.dataset}:${relationKey(r.link)}`,
    child: r.link.child.dataset,
    parent: r.link.parent.dataset,
    lines: [`${r.cardinality} · fan-out ${r.fanoutMean}`, `orphan keys ${r.orphanShare}`],
    ...(r.severity ? { severity: r.severity } : {}),
  }));
  const svg = relationsDiagramSvg(
    tables,
    relations,
    `Diagram of ${plural(tables.length, 'table')} and ${plural(relations.length, 'accepted relation')}, arrows from child to parent`,
  );
  return svg
    ? `<figure class="chart">${svg}<figcaption class="small muted">Arrows point from the child table to its parent; red: a blocker on the relation, orange: a major finding. A dashed box is not joined to the label’s table.</figcaption></figure>`
    : '';
}

/** The related-tables part of the report's summary chapter, or '' when there is nothing to relate. */
export function relationsPart(audit: AuditDocument): string {
  if (!hasRelationsSection(audit)) return '';
  const view = relationsView(audit);
  const tables = table(
    ['File', 'Rows', 'Join path to the label’s table'],
    view.tables.map((t) => [e(t.label), e(t.rows), e(t.path)]),
    { keep: true },
  );
  const parts = [
    '<h3>Related tables</h3>',
    `<p>${e(view.labelSentence)} ${e(view.decisions)}</p>`,
    tables,
    diagram(view),
  ];
  if (view.relations.length) {
    parts.push(
      table(
        [
          'Relation (child → parent)',
          'Cardinality (parent : child)',
          'Orphan keys',
          'Null keys',
          'Duplicate parent keys',
        ],
        view.relations.map((r) => [
          e(r.name),
          e(r.cardinality),
          e(r.orphans),
          e(r.nullKeys),
          e(r.duplicates),
        ]),
        // Orphans and late rows read as phrases: they wrap, where numeric cells would not.
        { numeric: [3, 4], keep: true },
      ),
      table(
        [
          'Relation (child → parent)',
          'Rows per parent (mean / p95 / max)',
          'Rows before → after the join',
          'Child rows after the prediction time',
        ],
        view.relations.map((r) => [e(r.name), e(r.fanout), e(r.join), e(r.afterTime)]),
        { keep: true },
      ),
    );
    const notes = view.relations.flatMap((r) => r.notes.map((n) => `${r.name}: ${n}`));
    if (notes.length) parts.push(`<ul class="small">${notes.map((n) => `<li>${e(n)}</li>`).join('')}</ul>`);
    for (const r of view.relations) {
      if (!r.asOf) continue;
      parts.push(
        r.asOf.ref
          ? `<p class="small">${e(`${r.asOf.title}: listing ${r.asOf.ref} in the appendix.`)}</p>`
          : `<div class="listing"><h4>${e(r.asOf.title)}</h4><pre><code>${e(r.asOf.sql)}</code></pre></div>`,
      );
    }
  } else {
    parts.push(
      '<p class="muted">No relation is accepted yet: accept or draw one in the app’s Relations view to measure its keys.</p>',
    );
  }
  return parts.join('\n');
}

/** The appendix of as-of joins too long to print in the section, or '' when there is none. */
export function relationsAppendix(audit: AuditDocument): string {
  if (!hasRelationsSection(audit)) return '';
  const listings: SqlListing[] = relationsView(audit).relations.flatMap((r) =>
    r.asOf?.ref ? [{ ref: r.asOf.ref, title: r.asOf.title, sql: r.asOf.sql }] : [],
  );
  if (listings.length === 0) return '';
  return `<section class="sec sql" id="s-relations-sql" aria-labelledby="h-relations-sql"><h2 id="h-relations-sql">${e(RELATIONS_APPENDIX_TITLE)}</h2>
<p class="small">Each statement keeps the child rows known at prediction time; build features from it, never from a plain join.</p>
<div class="listings">${sqlListings(listings)}</div>
</section>`;
}

/** A code fence longer than any run of backticks inside the text, so the text can't close it. */
function fence(text: string): string {
  const longest = Math.max(0, ...(text.match(/`+/g) ?? []).map((run) => run.length));
  return '`'.repeat(Math.max(3, longest + 1));
}

/** The Markdown summary's "Related tables" section as lines, or none; `m` escapes one line of text. */
export function relationsMarkdown(audit: AuditDocument, m: (text: string) => string): string[] {
  if (!hasRelationsSection(audit)) return [];
  const view = relationsView(audit);
  const lines = ['## Related tables', '', `${m(view.labelSentence)} ${m(view.decisions)}`, ''];
  for (const t of view.tables) lines.push(`- **${m(t.label)}** (${m(t.rows)}): ${m(t.path)}`);
  lines.push('');
  if (view.relations.length === 0) return lines;
  lines.push(
    '| Relation (child → parent) | Cardinality | Orphan keys | Null keys | Duplicate parent keys | Fan-out (mean / p95 / max) | Rows before → after join | Rows after prediction time |',
    '|---|---|---|---|---|---|---|---|',
  );
  for (const r of view.relations)
    lines.push(
      `| ${[r.name, r.cardinality, r.orphans, r.nullKeys, r.duplicates, r.fanout, r.join, r.afterTime].map(m).join(' | ')} |`,
    );
  lines.push('');
  for (const r of view.relations) for (const n of r.notes) lines.push(`- ${m(`${r.name}: ${n}`)}`);
  if (view.relations.some((r) => r.notes.length)) lines.push('');
  for (const r of view.relations) {
    if (!r.asOf) continue;
    const f = fence(r.asOf.sql);
    lines.push(`${m(r.asOf.title)}:`, '', `${f}sql`, r.asOf.sql, f, '');
  }
  return lines;
}

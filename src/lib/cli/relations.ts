import { isAbsolute, resolve } from 'node:path';
import { formatCount, formatNumber, formatShare } from '../core/format';
import type { AuditDocument } from '../core/model/audit';
import { sameLink, type RelationLink, type RelationResult } from '../core/model/relations';
import { acceptRelation } from '../core/relations/document';
import { datasetLabels } from '../core/relations/labels';
import type { AuditSession } from '../session';
import { UsageError, type CliFlags } from './flags';
import { quoted } from './output';

/**
 * The CLI's `--relation child.csv:column=parent.csv:column` (repeatable):
 * parsed, resolved against the loaded files, accepted before the analysis
 * measures it; and the lines that print what was accepted or suggested.
 *
 * File paths and column names may themselves hold `:` or `=`. A spec is read
 * at its last `=` and, on each side, its last `:` (so `C:\data\a.csv:id`
 * works); when that reading names no loaded file and column, every other
 * split is tried against the loaded files, and the one reading that matches
 * wins (two that match are a usage error).
 */

type Log = (line: string) => void;

export const RELATION_FORM = 'child.csv:column=parent.csv:column';

/** One side of a spec as written: a file (path or name) and a column. */
export interface RelationSpecEnd {
  file: string;
  column: string;
}

export interface RelationSpec {
  child: RelationSpecEnd;
  parent: RelationSpecEnd;
}

/** A loaded file a spec may name: by the path given on the command line, its file name, or its label. */
export interface RelationFile {
  id: string;
  path: string;
  fileName: string;
  label: string;
  columns: readonly string[];
}

/** Positions of `char` in `text`, last first. */
function positions(text: string, char: string): number[] {
  const at: number[] = [];
  for (let i = text.length - 1; i >= 0; i--) if (text[i] === char) at.push(i);
  return at;
}

/** Every way to read one side as `file:column` with both parts non-empty, last `:` first. */
function endReadings(side: string): RelationSpecEnd[] {
  return positions(side, ':')
    .map((i) => ({ file: side.slice(0, i), column: side.slice(i + 1) }))
    .filter((e) => e.file !== '' && e.column !== '');
}

/** Every reading of a spec, the documented one (last `=`, last `:` of each side) first. */
export function relationSpecReadings(spec: string): RelationSpec[] {
  return positions(spec, '=').flatMap((i) => {
    const parents = endReadings(spec.slice(i + 1));
    return endReadings(spec.slice(0, i)).flatMap((child) => parents.map((parent) => ({ child, parent })));
  });
}

/** The documented reading of a spec; a `UsageError` naming the expected form when it has none. */
export function parseRelationSpec(spec: string): RelationSpec {
  const reading = relationSpecReadings(spec)[0];
  if (!reading) throw new UsageError(`--relation ${quoted(spec)} must read ${RELATION_FORM}.`);
  return reading;
}

/** The loaded files a spec's file names: its path as given, else (a bare name) its file name or label. */
function filesNamed(file: string, files: readonly RelationFile[]): RelationFile[] {
  const byPath = files.filter((f) => f.path === file || resolve(f.path) === resolve(file));
  if (byPath.length > 0 || /[/\\]/.test(file) || isAbsolute(file)) return byPath;
  // Two files of that name are ambiguous; the label ("customers.csv (2)") or the path tells them apart.
  const byName = files.filter((f) => f.fileName === file);
  return byName.length > 0 ? byName : files.filter((f) => f.label === file);
}

type Resolved = { link: RelationLink } | { problem: string; filesFound: boolean };

function resolveReading(spec: string, reading: RelationSpec, files: readonly RelationFile[]): Resolved {
  const prefix = `--relation ${quoted(spec)}`;
  const ends: RelationFile[] = [];
  for (const end of [reading.child, reading.parent]) {
    const named = filesNamed(end.file, files);
    if (named.length === 0)
      return {
        problem: `${prefix}: no loaded file is ${quoted(end.file)}. Loaded: ${files.map((f) => quoted(f.path)).join(', ')}.`,
        filesFound: false,
      };
    if (named.length > 1)
      return {
        problem: `${prefix}: ${quoted(end.file)} names ${named.length} loaded files (${named.map((f) => quoted(f.path)).join(', ')}); name it by its path, or by its label (${named.map((f) => quoted(f.label)).join(', ')}).`,
        filesFound: false,
      };
    ends.push(named[0]!);
  }
  const [child, parent] = ends as [RelationFile, RelationFile];
  for (const [file, column] of [
    [child, reading.child.column],
    [parent, reading.parent.column],
  ] as const)
    if (!file.columns.includes(column))
      return {
        problem: `${prefix}: ${quoted(file.label)} has no column ${quoted(column)}. Columns: ${file.columns.map(quoted).join(', ')}.`,
        filesFound: true,
      };
  if (child.id === parent.id && reading.child.column === reading.parent.column)
    return { problem: `${prefix} relates a column to itself.`, filesFound: true };
  return {
    link: {
      child: { dataset: child.id, column: reading.child.column },
      parent: { dataset: parent.id, column: reading.parent.column },
    },
  };
}

/**
 * The link a spec names among the loaded files; a `UsageError` when it is
 * malformed, names an unknown or ambiguous file, or a missing column (the
 * message lists the loaded files, or that file's columns).
 */
export function resolveRelationSpec(spec: string, files: readonly RelationFile[]): RelationLink {
  const readings = relationSpecReadings(spec);
  if (readings.length === 0) parseRelationSpec(spec);
  const resolved = readings.map((r) => resolveReading(spec, r, files));
  const links = resolved.flatMap((r) => ('link' in r ? [r.link] : []));
  const distinct = links.filter((l, i) => links.findIndex((m) => sameLink(l, m)) === i);
  if (distinct.length === 1) return distinct[0]!;
  if (distinct.length > 1)
    throw new UsageError(
      `--relation ${quoted(spec)} can be read ${distinct.length} ways; rename the column or file so that ':' and '=' separate ${RELATION_FORM} once.`,
    );
  // No reading matches: explain the first whose files were found (a missing column), else the documented one.
  const failure = resolved.find((r) => 'problem' in r && r.filesFound) ?? resolved[0]!;
  throw new UsageError('problem' in failure ? failure.problem : RELATION_FORM);
}

/** The loaded files as `--relation` may name them; `paths` gives each loaded dataset's path as given. */
export function relationFiles(
  audit: AuditDocument,
  paths: readonly { id: string; path: string }[],
): RelationFile[] {
  const labels = datasetLabels(audit);
  return paths.flatMap(({ id, path }) => {
    const dataset = audit.datasets.find((d) => d.id === id);
    if (!dataset) return [];
    return [
      {
        id,
        path,
        fileName: dataset.fileName,
        label: labels[id] ?? dataset.fileName,
        columns: dataset.columns.map((c) => c.name),
      },
    ];
  });
}

/**
 * Accept the `--relation` flags before the analysis measures them. False
 * after an error line (a usage error: the run exits 1).
 */
export async function applyRelationFlags(
  session: AuditSession,
  flags: CliFlags,
  paths: readonly { id: string; path: string }[],
  log: Log,
): Promise<boolean> {
  const specs = flags.relation ?? [];
  if (specs.length === 0) return true;
  const files = relationFiles(session.audit!, paths);
  const links: RelationLink[] = [];
  try {
    for (const spec of specs) links.push(resolveRelationSpec(spec, files));
  } catch (error) {
    if (!(error instanceof UsageError)) throw error;
    log(`error: ${error.message}`);
    return false;
  }
  await session.edit((audit) => links.reduce((doc, link) => acceptRelation(doc, link, 'user'), audit));
  return true;
}

/** `subscriptions.csv:customer_id=customers.csv:id`, with the datasets' labels: the flag that names it. */
export function relationSpecText(link: RelationLink, labels: Readonly<Record<string, string>>): string {
  const end = (e: RelationLink['child']) => `${labels[e.dataset] ?? e.dataset}:${e.column}`;
  return `${end(link.child)}=${end(link.parent)}`;
}

/** One line of what a relation's checks measured: cardinality, orphans, null keys, fan-out, point in time. */
export function relationSummary(r: RelationResult): string {
  const parts = [
    r.cardinality,
    `orphan keys ${formatShare(r.orphanKeyShare)} (${formatCount(r.orphanKeys)} of ${formatCount(r.childKeys)})`,
  ];
  if (r.nullKeys > 0) parts.push(`null keys ${formatCount(r.nullKeys)} (${formatShare(r.nullKeyShare)})`);
  if (r.duplicateParentKeys > 0) parts.push(`duplicate parent keys ${formatCount(r.duplicateParentKeys)}`);
  parts.push(
    r.fanout.mean === null
      ? 'no parent matched'
      : `fan-out ${formatNumber(r.fanout.mean, { digits: 2 })} rows per parent (p95 ${formatNumber(r.fanout.p95)}, max ${formatCount(r.fanout.max)})`,
  );
  if (r.formatMismatch.keys > 0)
    parts.push(
      `${formatCount(r.formatMismatch.keys)} keys differ only in format (${r.formatMismatch.kinds.join(', ')})`,
    );
  if (r.pointInTime)
    parts.push(
      `${formatShare(r.pointInTime.share)} of timed rows after the parent’s time (${formatCount(r.pointInTime.rowsAfterParentTime)} of ${formatCount(r.pointInTime.timedRows)})`,
    );
  if (r.comparedAsText) parts.push('types differ: compared as text');
  return parts.join('; ');
}

/**
 * What the CLI prints after the analysis: the accepted relations (suggested
 * ones apart, as suggested roles are), each with its summary, and the
 * suggestions left for `--relation`. Nothing with fewer than two datasets.
 */
export function relationLines(audit: AuditDocument): string[] {
  const state = audit.relationState;
  if (!state || audit.datasets.length < 2) return [];
  const labels = datasetLabels(audit);
  const line = (link: RelationLink): string => {
    const result = audit.relations?.find((r) => sameLink(r, link));
    return `  --relation ${quoted(relationSpecText(link, labels))}: ${result ? relationSummary(result) : 'not measured'}`;
  };
  const user = state.accepted.filter((a) => a.origin === 'user');
  const suggested = state.accepted.filter((a) => a.origin === 'suggested');
  const lines: string[] = [];
  if (user.length > 0) lines.push('relations:', ...user.map(line));
  if (suggested.length > 0)
    lines.push(
      'relations suggested from the keys and accepted (pass --relation, or --no-suggest, to choose yourself):',
      ...suggested.map(line),
    );
  if (state.suggestions.length > 0)
    lines.push(
      'relations suggested, not accepted (pass them with --relation to check them):',
      ...state.suggestions.map((s) => `  --relation ${quoted(relationSpecText(s, labels))}: ${s.reason}`),
    );
  if (lines.length === 0 && state.discovery === 'ran')
    lines.push('relations: none found between the files (name them with --relation).');
  return lines;
}

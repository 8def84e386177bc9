import type { Area } from '../model/audit';
import { formatCount, formatDate, formatList, formatShare, plural } from '../format';
import { sourceWords } from '../model/dataset-source';
import type { CheckSpec, SpecColumn, SpecFinding, SpecObject } from './spec';

/**
 * The facts the Croissant RAI file and the Markdown dataset card share, each
 * in one place so the two never disagree: the collection timeframe, the
 * missing-data sentence, the personal columns, and the open findings sorted
 * into biases and limitations. Words only from the (already redacted) spec:
 * column names, kinds and numbers, never a value.
 */

/**
 * Which open findings describe a bias of the data (who or what it
 * over- or under-represents, and how that differs across sources, segments
 * and time) rather than another limitation. By area, then by check for the
 * label and volume checks that measure balance.
 */
const BIAS_AREAS: ReadonlySet<Area> = new Set(['coverage', 'consistency', 'drift']);
const BIAS_CHECKS: ReadonlySet<string> = new Set([
  'labels-by-source',
  'labels-over-time',
  'volume-classes',
  'volume-segments',
]);
/** Findings about the project (metric plan, systems, team), not about the data: neither. */
const PROJECT_AREAS: ReadonlySet<Area> = new Set(['metrics', 'integration', 'team']);

/**
 * How a finding counts for RAI: a bias, another limitation of the data, or
 * neither. Info findings describe the data without faulting it (row counts,
 * the split, feature counts), and personal data has its own property and
 * section, so they are neither.
 */
export function findingKind(f: SpecFinding): 'bias' | 'limitation' | undefined {
  if (PROJECT_AREAS.has(f.area) || f.area === 'privacy' || f.severity === 'info') return undefined;
  if (BIAS_AREAS.has(f.area) || BIAS_CHECKS.has(f.check)) return 'bias';
  return 'limitation';
}

/** Severity first, in the order the audit ranks them. */
const SEVERITY_RANK: Record<SpecFinding['severity'], number> = { blocker: 0, major: 1, minor: 2, info: 3 };

/** The open findings of one kind, most severe first. */
export function findingsOfKind(spec: CheckSpec, kind: 'bias' | 'limitation'): SpecFinding[] {
  return spec.findings
    .filter((f) => findingKind(f) === kind)
    .sort((a, b) => SEVERITY_RANK[a.severity] - SEVERITY_RANK[b.severity]);
}

/** One finding as a sentence: its title, where, and how severe. */
export function findingSentence(f: SpecFinding): string {
  // A finding over a whole row names every column: three are enough to say where.
  const shown =
    f.columns.length > 3
      ? [...f.columns.slice(0, 3), `${formatCount(f.columns.length - 3)} more`]
      : f.columns;
  const where = shown.length ? `${f.object}: ${shown.join(', ')}` : f.object;
  return `${f.title.trim().replace(/\.$/, '')} (${where}; ${f.severity}).`;
}

/** The span of the data's event times over every object that has one, ISO dates. */
export function collectionTimeframe(spec: CheckSpec): { from: string; to: string } | undefined {
  const spans = spec.objects.flatMap((o) => (o.timeCoverage ? [o.timeCoverage] : []));
  if (spans.length === 0) return undefined;
  return {
    from: spans.map((s) => s.from).reduce((a, b) => (b < a ? b : a)),
    to: spans.map((s) => s.to).reduce((a, b) => (b > a ? b : a)),
  };
}

/** At most this many columns are named in the missing-data sentence; the card's table lists every one. */
const MISSING_NAMED = 20;

/** The null shares of one object's columns, in words: which columns miss values and how much. */
export function missingDataSentence(o: SpecObject): string {
  const missing = o.columns.filter((c) => c.missingShare > 0).sort((a, b) => b.missingShare - a.missingShare);
  const head = `${sourceWords(o)} (${plural(o.rowCount, 'row')}, ${plural(o.columns.length, 'column')})`;
  if (missing.length === 0) return `${head}: no column has a missing (null) value.`;
  const named = missing.slice(0, MISSING_NAMED).map((c) => `${c.name} ${formatShare(c.missingShare)}`);
  const more = missing.length - named.length;
  const complete = o.columns.length - missing.length;
  return (
    `${head}: ${plural(missing.length, 'column')} ${missing.length === 1 ? 'misses' : 'miss'} values, ` +
    `${named.join(', ')}${more > 0 ? ` and ${formatCount(more)} more` : ''}; ` +
    `${complete === 0 ? 'none is complete' : `${formatCount(complete)} ${complete === 1 ? 'is' : 'are'} complete`}.`
  );
}

/** Every object's missing data, as one text (Croissant's `rai:dataCollectionMissingData` is a single Text). */
export function missingDataText(spec: CheckSpec): string {
  return [
    ...spec.objects.map(missingDataSentence),
    'Shares count null cells; values written as placeholders (such as "N/A" or sentinel dates) are listed as limitations when the audit found them.',
  ].join(' ');
}

const PERSONAL_REASON: Record<NonNullable<SpecColumn['personal']>['reason'], string> = {
  detected: 'detected in its values',
  marked: 'marked personal by the auditor',
  name: 'personal by its name',
};

/** One personal column in words: where, which kinds, why; never a value. */
export function personalSentence(o: SpecObject, c: SpecColumn): string {
  const p = c.personal!;
  const kinds = p.kinds.length ? formatList(p.kinds) : 'unspecified kind';
  return `${c.name} (${sourceWords(o)}): personal data (${kinds}), ${PERSONAL_REASON[p.reason]}.`;
}

/** The personal columns of every object, with their object. */
export function personalColumnsOf(spec: CheckSpec): { object: SpecObject; column: SpecColumn }[] {
  return spec.objects.flatMap((object) =>
    object.columns.filter((c) => c.personal).map((column) => ({ object, column })),
  );
}

/** The spec's redaction in words; a personal column's values never leave, whatever the mode. */
export const REDACTION_WORDS: Record<CheckSpec['redaction'], string> = {
  none: 'values kept by choice, except those of personal columns',
  personal: 'values of personal columns masked',
  strict: 'every value masked, no value lists',
};

/** What the export says about personal data beside the columns: none of their values is written. */
export function personalDataNote(spec: CheckSpec): string {
  const n = personalColumnsOf(spec).length;
  if (n === 0) return 'The audit found no personal data in these columns, and none was marked.';
  return `None of the values of ${n === 1 ? 'this column' : `these ${formatCount(n)} columns`} appears in this description (${REDACTION_WORDS[spec.redaction]}).`;
}

/** The timeframe in words, for a person: `1 Jan 2024 to 30 Jun 2024`. */
export function timeframeWords(t: { from: string; to: string }): string {
  return `${formatDate(t.from, 'day')} to ${formatDate(t.to, 'day')}`;
}

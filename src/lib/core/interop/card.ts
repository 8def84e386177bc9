import { escapeMarkdown } from '../format/markdown';
import { formatBytes, formatCount, formatDate, formatShare, formatTimestamp, plural } from '../format';
import {
  collectionTimeframe,
  findingSentence,
  findingsOfKind,
  missingDataSentence,
  personalColumnsOf,
  personalDataNote,
  personalSentence,
  REDACTION_WORDS,
  timeframeWords,
} from './dataset-facts';
import { isServerTable, sourceWords } from '../model/dataset-source';
import { SPEC_DIMENSIONS, type CheckSpec, type InteropFile, type SpecColumn, type SpecObject } from './spec';

/**
 * The dataset card: the Croissant file's facts for a person, in Markdown.
 * Title, description and verdict; the files (or server tables) with rows, size and sha256; each
 * dataset's columns (type, missing share, personal or not, role); the time
 * coverage; personal data; known biases and limitations (the open findings);
 * the rules by dimension. Every number through core/format.
 */

/** Card text escaped for Markdown, parentheses kept (see `escapeMarkdown`). */
export function escapeMarkdownText(text: string): string {
  return escapeMarkdown(text, { keepParentheses: true });
}

const md = escapeMarkdownText;

const ROLE_WORDS: Record<NonNullable<SpecColumn['role']>, string> = {
  target: 'target',
  id: 'record ID',
  eventTime: 'event time',
  outcomeTime: 'outcome time',
  source: 'source system',
  segment: 'segment',
  excluded: 'excluded',
};

function table(header: string[], rows: string[][]): string[] {
  return [
    `| ${header.join(' | ')} |`,
    `| ${header.map(() => '---').join(' | ')} |`,
    ...rows.map((r) => `| ${r.join(' | ')} |`),
  ];
}

function filesSection(spec: CheckSpec): string[] {
  const tables = spec.objects.filter(isServerTable).length;
  const title = tables === 0 ? 'Files' : tables === spec.objects.length ? 'Tables' : 'Files and tables';
  return [
    `## ${title}`,
    '',
    ...table(
      [tables === 0 ? 'File' : 'Source', 'Dataset', 'Format', 'Rows', 'Size', 'SHA-256'],
      spec.objects.map((o) => {
        const server = isServerTable(o);
        return [
          md(sourceWords(o)),
          md(o.objectName),
          md(o.format),
          formatCount(o.rowCount),
          server ? 'read in place' : formatBytes(o.sizeBytes),
          o.sha256 ? `\`${o.sha256}\`` : server ? 'none (a live table)' : 'not computed',
        ];
      }),
    ),
  ];
}

function columnsSection(o: SpecObject): string[] {
  return [
    `### ${md(o.objectName)} (${md(sourceWords(o))})`,
    '',
    md(missingDataSentence(o)),
    '',
    ...table(
      ['Column', 'Type', 'Missing', 'Personal', 'Role'],
      o.columns.map((c) => [
        md(c.name),
        `${md(c.logicalType)} (${md(c.physicalType)})`,
        formatShare(c.missingShare),
        c.personal ? `yes${c.personal.kinds.length ? `: ${md(c.personal.kinds.join(', '))}` : ''}` : 'no',
        c.role ? ROLE_WORDS[c.role] : '',
      ]),
    ),
  ];
}

function timeSection(spec: CheckSpec): string[] {
  const spans = spec.objects.flatMap((o) => (o.timeCoverage ? [{ o, t: o.timeCoverage }] : []));
  const all = collectionTimeframe(spec);
  if (!all)
    return ['## Time coverage', '', 'No event-time column was set, so the audit measured no time coverage.'];
  return [
    '## Time coverage',
    '',
    ...spans.map(({ o, t }) => `- ${md(o.objectName)}: ${md(t.column)} from ${timeframeWords(t)}`),
  ];
}

function personalSection(spec: CheckSpec): string[] {
  const personal = personalColumnsOf(spec);
  return [
    '## Personal data',
    '',
    ...personal.map(({ object, column }) => `- ${md(personalSentence(object, column))}`),
    ...(personal.length ? [''] : []),
    md(personalDataNote(spec)),
  ];
}

function findingsSection(spec: CheckSpec, kind: 'bias' | 'limitation'): string[] {
  const found = findingsOfKind(spec, kind);
  const title = kind === 'bias' ? '## Known biases' : '## Known limitations';
  if (found.length === 0) return [title, '', 'None open at the audit.'];
  return [title, '', ...found.map((f) => `- ${md(findingSentence(f))}`)];
}

function rulesSection(spec: CheckSpec): string[] {
  const counts = SPEC_DIMENSIONS.map((d) => ({
    d,
    n: spec.rules.filter((r) => r.dimension === d).length,
  })).filter((x) => x.n > 0);
  const errors = spec.rules.filter((r) => r.severity === 'error').length;
  return [
    '## Rules',
    '',
    `${plural(spec.rules.length, 'rule')} travel with this card (${formatCount(errors)} that fail a pipeline, ${formatCount(spec.rules.length - errors)} that warn), in the ODCS, dbt, Great Expectations and Soda files beside it.`,
    '',
    ...table(
      ['Dimension', 'Rules'],
      counts.map(({ d, n }) => [d, formatCount(n)]),
    ),
  ];
}

function relationsSection(spec: CheckSpec): string[] {
  if (spec.relationships.length === 0) return [];
  return [
    '## Relationships',
    '',
    ...spec.relationships.map(
      (r) =>
        `- ${md(r.child.object)}.${md(r.child.column)} → ${md(r.parent.object)}.${md(r.parent.column)} (${md(r.cardinality)})`,
    ),
    '',
  ];
}

/**
 * The Markdown dataset card of the spec, as `<name>.card.md`: the same facts
 * as the Croissant file (`writeCroissant`), for a person. Pure; every text
 * from data or people is escaped, so a column named `a|b` stays one cell.
 */
export function writeCard(spec: CheckSpec): InteropFile {
  const lines = [
    `# ${md(spec.title)}`,
    '',
    md(spec.description),
    '',
    `**Verdict:** ${md(spec.verdict.label)}. Audited as of ${formatDate(spec.asOf, 'day')}; described ${formatTimestamp(spec.createdAt)}; ${REDACTION_WORDS[spec.redaction]}.`,
    '',
    ...filesSection(spec),
    '',
    '## Columns',
    '',
    ...spec.objects.flatMap((o) => [...columnsSection(o), '']),
    ...relationsSection(spec),
    ...timeSection(spec),
    '',
    ...personalSection(spec),
    '',
    ...findingsSection(spec, 'bias'),
    '',
    ...findingsSection(spec, 'limitation'),
    '',
    ...rulesSection(spec),
  ];
  return { path: `${spec.name}.card.md`, mimeType: 'text/markdown', text: `${lines.join('\n')}\n` };
}

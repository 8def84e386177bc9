import type { AuditDiff, DatasetDiff } from '../../core/audit/diff';
import { VERDICT_LABELS } from '../../core/readiness/verdict';

const count = (n: number, one: string, many: string): string =>
  `${n.toLocaleString('en-US')} ${n === 1 ? one : many}`;

function verdictName(status: string | null): string {
  if (status === null) return 'none yet';
  return status in VERDICT_LABELS ? VERDICT_LABELS[status as keyof typeof VERDICT_LABELS] : status;
}

/** The diff's one-sentence summary: verdicts in words, counts with their nouns. */
export function diffSummary(diff: AuditDiff): string {
  const verdict =
    diff.old.verdict === diff.new.verdict
      ? `verdict unchanged (${verdictName(diff.new.verdict)})`
      : `verdict ${verdictName(diff.old.verdict)} → ${verdictName(diff.new.verdict)}`;
  const f = diff.findings;
  return `${verdict}; ${count(f.new.length, 'new finding', 'new findings')}, ${f.resolved.length.toLocaleString('en-US')} resolved, ${f.severityChanged.length.toLocaleString('en-US')} changed in severity, ${f.unchanged.toLocaleString('en-US')} unchanged.`;
}

/** A dataset pair's heading: added, removed, or the two files with their row counts. */
export function datasetHeading(d: DatasetDiff): string {
  const rows = (n: number | null): string => (n === null ? '–' : n.toLocaleString('en-US'));
  if (d.oldFile === null) return `Added: ${d.newFile ?? '?'} (${rows(d.rows.new)} rows)`;
  if (d.newFile === null) return `Removed: ${d.oldFile} (had ${rows(d.rows.old)} rows)`;
  const name = d.oldFile === d.newFile ? d.newFile : `${d.oldFile} → ${d.newFile}`;
  return `${name}: rows ${rows(d.rows.old)} → ${rows(d.rows.new)}`;
}

/** A moved statistic's value: numbers to four significant digits, text as is. */
export function statValue(value: number | string | null): string {
  if (value === null) return '–';
  if (typeof value === 'number') return Number(value.toPrecision(4)).toLocaleString('en-US');
  return value;
}

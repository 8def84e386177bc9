import type { AuditDiff, DatasetDiff } from '../../core/audit/diff';
import { VERDICT_LABELS } from '../../core/readiness/verdict';
import { formatCount, formatNumber, plural } from '../../core/format';

const count = (n: number, one: string, many: string): string => plural(n, one, many);

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
  return `${verdict}; ${count(f.new.length, 'new finding', 'new findings')}, ${formatCount(f.resolved.length)} resolved, ${formatCount(f.severityChanged.length)} changed in severity, ${formatCount(f.unchanged)} unchanged.`;
}

/** A dataset pair's heading: added, removed, or the two files with their row counts. */
export function datasetHeading(d: DatasetDiff): string {
  const rows = (n: number | null): string => (n === null ? '–' : formatCount(n));
  if (d.oldFile === null) return `Added: ${d.newFile ?? '?'} (${rows(d.rows.new)} rows)`;
  if (d.newFile === null) return `Removed: ${d.oldFile} (had ${rows(d.rows.old)} rows)`;
  const name = d.oldFile === d.newFile ? d.newFile : `${d.oldFile} → ${d.newFile}`;
  return `${name}: rows ${rows(d.rows.old)} → ${rows(d.rows.new)}`;
}

/** A moved statistic's value: numbers to four significant digits (never e-notation), text as is. */
export function statValue(value: number | string | null): string {
  if (value === null) return '–';
  if (typeof value === 'number') return formatNumber(value, { significant: 4 });
  return value;
}

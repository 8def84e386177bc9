import type { AuditDocument, RedactionMode } from '../../core/model/audit';
import { personalColumns, redactionSummary, type PersonalColumn } from '../../core/redact';
import { auditHtmlReport } from '../../report/html-report';
import { exportAuditFile, safeFileName } from '../../report/audit-file';

/** The exports the dialog can write. */
export type ExportKind = 'audit-file' | 'html-report';

export const EXPORT_TITLES: Record<ExportKind, string> = {
  'audit-file': 'Export audit file',
  'html-report': 'Export HTML report',
};

/** The redaction modes an export offers, in the words the export dialog and the checks menu show. */
export const REDACTION_CHOICES: readonly { value: RedactionMode; title: string; help: string }[] = [
  {
    value: 'personal',
    title: 'Mask personal data (recommended)',
    help: 'Values of personal-data columns become their shapes (aaaa.aaa@aaaa.aaa) everywhere; counts and shares stay.',
  },
  {
    value: 'strict',
    title: 'Aggregates only',
    help: 'Also masks every top value and example of every column, and removes example rows.',
  },
  {
    value: 'none',
    title: 'Include personal values',
    help: 'Only for recipients entitled to see the client’s personal data.',
  },
];

/** What an export in one mode contains, in the words the dialog shows before anything is written. */
export interface ExportPreview {
  columns: PersonalColumn[];
  maskedValues: number;
  removedExamples: number;
  /** The saved copy was already masked, so choosing `none` cannot bring values back. */
  alreadyMasked: boolean;
  sentence: string;
}

/** `a.csv: email, phone; b.csv: email`: each dataset named once, so a column in two files reads as two. */
function list(columns: PersonalColumn[], audit: AuditDocument): string {
  if (columns.length === 0) return 'none found';
  const byDataset = new Map<string, string[]>();
  for (const c of columns) byDataset.set(c.datasetId, [...(byDataset.get(c.datasetId) ?? []), c.column]);
  return [...byDataset]
    .map(([id, names]) => `${audit.datasets.find((d) => d.id === id)?.fileName ?? id}: ${names.join(', ')}`)
    .join('; ');
}

/** Describe what an export of this audit in this mode will contain. */
export function exportPreview(audit: AuditDocument, mode: RedactionMode): ExportPreview {
  const columns = personalColumns(audit);
  const summary = redactionSummary(audit, mode);
  const alreadyMasked = mode === 'none' && (audit.redaction?.mode ?? 'none') !== 'none';
  const sentence =
    mode === 'none'
      ? alreadyMasked
        ? `The saved audit already has personal values masked, so this export cannot include them (${columns.length} personal-data column(s): ${list(columns, audit)}).`
        : `This export includes the values of ${columns.length} personal-data column(s) (${list(columns, audit)}). Send it only to people entitled to see them.`
      : mode === 'strict'
        ? `This export masks ${summary.maskedValues} value(s), including every top value and example, and removes ${summary.removedExamples} example row(s). Only counts, shares and shapes remain.`
        : `This export masks ${summary.maskedValues} value(s) from ${columns.length} personal-data column(s) (${list(columns, audit)}). Counts, shares and shapes remain.`;
  return {
    columns,
    maskedValues: summary.maskedValues,
    removedExamples: summary.removedExamples,
    alreadyMasked,
    sentence,
  };
}

/** The file an export writes, redacted in the chosen mode. */
export function exportFile(
  audit: AuditDocument,
  kind: ExportKind,
  mode: RedactionMode,
  generatedAt: string,
): { fileName: string; mimeType: string; text: string } {
  if (kind === 'audit-file') return exportAuditFile(audit, { redaction: mode });
  return {
    fileName: `${safeFileName(audit.name)}.report.html`,
    mimeType: 'text/html',
    text: auditHtmlReport(audit, generatedAt, { redaction: mode }),
  };
}

/** Hand a text file to the browser's download. */
export function download(content: string | Uint8Array, mimeType: string, fileName: string): void {
  // A zip's bytes are a fresh ArrayBuffer view, never shared memory.
  const part = typeof content === 'string' ? content : (content as Uint8Array<ArrayBuffer>);
  const url = URL.createObjectURL(new Blob([part], { type: mimeType }));
  const link = document.createElement('a');
  link.href = url;
  link.download = fileName;
  link.click();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}

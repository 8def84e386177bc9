import type { AuditDocument, RedactionMode } from '../../core/model/audit';
import { safeFileName } from '../../report/audit-file';
import { sprint0MarkdownSummary } from '../../report/markdown-summary';
import { sprint0HtmlReport, withPrintedPages } from '../../report/sprint0-report';
import { printedPages } from './printed-pages';

/**
 * The sprint-0 report and summary as downloadable files; personal values
 * masked in the chosen mode. The report's closing note states its printed
 * pages, measured here on the report itself.
 */
export async function sprint0Files(
  audit: AuditDocument,
  mode: RedactionMode,
  generatedAt: string,
): Promise<{ html: { fileName: string; text: string }; markdown: { fileName: string; text: string } }> {
  const base = safeFileName(audit.name);
  const report = await sprint0HtmlReport(audit, { generatedAt, redaction: mode });
  const pages = typeof document === 'undefined' ? undefined : await printedPages(report);
  return {
    html: {
      fileName: `${base}.sprint0.html`,
      text: pages ? withPrintedPages(report, pages) : report,
    },
    markdown: { fileName: `${base}.sprint0.md`, text: sprint0MarkdownSummary(audit, generatedAt, mode) },
  };
}

/** Save text as a file through a temporary link (the app makes no request). */
export function downloadText(text: string, type: string, fileName: string): void {
  const url = URL.createObjectURL(new Blob([text], { type }));
  const link = document.createElement('a');
  link.href = url;
  link.download = fileName;
  link.click();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}

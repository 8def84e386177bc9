import { withDerivedVerdict } from '../core/audit/edits';
import type { AuditDocument, RedactionMode } from '../core/model/audit';
import { redactForExport } from '../core/redact';

/** How an audit file is written. Redaction options join here, so every export path gets them. */
export interface ExportAuditFileOptions {
  /** JSON indentation; 2 by default. */
  indent?: number;
  /** How personal values are masked (`core/redact`); `personal` by default, `none` only by the user's choice. */
  redaction?: RedactionMode;
}

/** An export ready to be downloaded or written to disk. */
export interface ExportedFile {
  fileName: string;
  mimeType: string;
  text: string;
}

/** A file name made from an audit name: letters, digits, dots and dashes only, never empty. */
export function safeFileName(name: string): string {
  return (
    name
      .replace(/[^\w.-]+/g, '-')
      .replace(/^-+|-+$/g, '')
      .slice(0, 80) || 'audit'
  );
}

/**
 * The audit document as a shareable `.audit.json` file: the schema the app
 * saves and the CLI writes, with the verdict recomputed from the findings and
 * waivers and personal values masked unless `options.redaction` is `none`.
 * The browser's download and the CLI's output both come from here.
 */
export function exportAuditFile(audit: AuditDocument, options: ExportAuditFileOptions = {}): ExportedFile {
  const document = redactForExport(withDerivedVerdict(audit), options.redaction ?? 'personal');
  return {
    fileName: `${safeFileName(audit.name)}.audit.json`,
    mimeType: 'application/json',
    text: `${JSON.stringify(document, null, options.indent ?? 2)}\n`,
  };
}

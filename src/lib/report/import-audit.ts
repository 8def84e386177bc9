import { parseAudit } from '../core/audit/edits';
import { AuditImportError } from '../core/model/document';
import type { AuditDocument } from '../core/model/audit';
import { personalColumns } from '../core/redact';

/** Largest audit file read at all; checked before a byte is read. Real audits are well under 5 MB. */
export const MAX_AUDIT_FILE_BYTES = 50 * 1024 * 1024;
/** Deepest nesting of arrays and objects accepted; the schema itself needs fewer than 10 levels. */
export const MAX_AUDIT_DEPTH = 32;

/** Refuse a file that is too large before reading it. */
export function checkAuditFileSize(sizeBytes: number, fileName: string): void {
  if (sizeBytes > MAX_AUDIT_FILE_BYTES)
    throw new AuditImportError(
      `“${fileName}” is ${(sizeBytes / 1024 / 1024).toFixed(0)} MB; an audit file is at most ${MAX_AUDIT_FILE_BYTES / 1024 / 1024} MB, so it was not read.`,
    );
}

/**
 * The path of the first place where JSON nests deeper than `maxDepth`, or
 * undefined. Walks iteratively, so a hostile depth cannot overflow the stack.
 */
export function tooDeepAt(json: unknown, maxDepth: number = MAX_AUDIT_DEPTH): string | undefined {
  const stack: { value: unknown; path: string; depth: number }[] = [{ value: json, path: '', depth: 0 }];
  while (stack.length > 0) {
    const { value, path, depth } = stack.pop()!;
    if (value === null || typeof value !== 'object') continue;
    if (depth >= maxDepth) return path || '(root)';
    const entries = Array.isArray(value)
      ? value.map((v, i) => [String(i), v] as const)
      : Object.entries(value);
    for (const [key, child] of entries)
      if (child !== null && typeof child === 'object')
        stack.push({ value: child, path: path ? `${path}.${key}` : key, depth: depth + 1 });
  }
  return undefined;
}

/**
 * Read the text of an audit file: JSON, then a nesting-depth guard, then the
 * bounded zod schema. A refusal says what is wrong and where (the path of
 * the first problems), and the verdict is recomputed, never trusted.
 */
export function readAuditText(text: string, fileName: string): AuditDocument {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    throw new AuditImportError(`“${fileName}” is not JSON, so it is not a Sprint Zero audit file.`);
  }
  const deep = tooDeepAt(json);
  if (deep)
    throw new AuditImportError(
      `“${fileName}” nests data deeper than ${MAX_AUDIT_DEPTH} levels (at ${deep.slice(0, 200)}), so it is not a Sprint Zero audit file.`,
      [deep],
    );
  try {
    return parseAudit(json);
  } catch (error) {
    if (error instanceof AuditImportError && error.issues.length > 0)
      throw new AuditImportError(`${error.message} ${error.issues.slice(0, 3).join('; ')}.`, error.issues);
    throw error;
  }
}

/** What the import worker answers. */
export type ImportReply =
  { ok: true; document: AuditDocument } | { ok: false; message: string; issues: string[] };

/** The worker's side of an import: read, parse and validate one file; never throws. */
export async function readAuditFileReply(file: Blob & { name?: string }): Promise<ImportReply> {
  const fileName = file.name ?? 'audit file';
  try {
    checkAuditFileSize(file.size, fileName);
    return { ok: true, document: readAuditText(await file.text(), fileName) };
  } catch (error) {
    if (error instanceof AuditImportError) return { ok: false, message: error.message, issues: error.issues };
    return {
      ok: false,
      message: `“${fileName}” could not be read as an audit file (${error instanceof Error ? error.message : String(error)}).`,
      issues: [],
    };
  }
}

/** Why an imported file would show personal values if it were trusted. */
export type ImportPrivacyReason = 'keeps-values' | 'exported-with-values';

/** What the user is asked before an imported audit is saved, when the file wants values kept. */
export interface ImportPrivacyQuestion {
  reasons: ImportPrivacyReason[];
  /** The personal-data columns whose values are at stake, by dataset file name. */
  columns: { fileName: string; columns: string[] }[];
}

/**
 * Whether to ask the user before saving an imported audit. A file is never
 * trusted to switch masking off: one that carries `storePersonalValues: true`,
 * or was exported with personal values included (`redaction.mode: none`) while
 * it has personal-data columns, leads to a question whose default answer is to
 * mask. Any other file is saved masked without asking.
 */
export function importPrivacyQuestion(doc: AuditDocument): ImportPrivacyQuestion | undefined {
  const personal = personalColumns(doc);
  const reasons: ImportPrivacyReason[] = [];
  if (doc.storePersonalValues === true) reasons.push('keeps-values');
  if (doc.redaction?.mode === 'none' && personal.length > 0) reasons.push('exported-with-values');
  if (reasons.length === 0) return undefined;
  const byDataset = new Map<string, string[]>();
  for (const c of personal) {
    const fileName = doc.datasets.find((d) => d.id === c.datasetId)?.fileName ?? c.datasetId;
    byDataset.set(fileName, [...(byDataset.get(fileName) ?? []), c.column]);
  }
  return { reasons, columns: [...byDataset].map(([fileName, columns]) => ({ fileName, columns })) };
}

/**
 * The imported document as it will be saved: personal values kept only when
 * the user chose to keep them, whatever the file said.
 */
export function withImportPrivacyChoice(doc: AuditDocument, keepValues: boolean): AuditDocument {
  const { storePersonalValues: _fromFile, ...rest } = doc;
  return keepValues ? { ...rest, storePersonalValues: true } : rest;
}

/** A step of an import, as the worker reports it. */
export type ImportProgress =
  | { stage: 'reading'; fileName: string; sizeBytes: number }
  | { stage: 'checking'; fileName: string }
  | { stage: 'masking'; columns: number }
  | { stage: 'saving'; maskedValues: number };

// Local until the shared core/format module lands; the same fixed English output.
const plural = (n: number, one: string): string =>
  `${n.toLocaleString('en-US')} ${n === 1 ? one : `${one}s`}`;

/** The progress notice for an import step, in the user's words. */
export function importProgressText(progress: ImportProgress): string {
  switch (progress.stage) {
    case 'reading':
      return `Reading “${progress.fileName}” (${(progress.sizeBytes / 1024 / 1024).toFixed(1)} MB)…`;
    case 'checking':
      return `Checking the file “${progress.fileName}”…`;
    case 'masking':
      return progress.columns === 0
        ? 'Looking for personal values to mask…'
        : `Masking the values of ${plural(progress.columns, 'personal-data column')}…`;
    case 'saving':
      return progress.maskedValues === 0
        ? 'Saving the audit in this browser…'
        : `Saving the audit in this browser (${plural(progress.maskedValues, 'personal value')} masked)…`;
  }
}

import { liveQuery, type Observable } from 'dexie';
import { AuditDocumentSchema, type AuditDocument } from '../core/audit/schema';
import { parseAudit } from '../core/audit/document';
import { redactForStorage } from '../core/redact';
import { auditDB, type AuditDB, type AuditRecord } from './db';
import { auditVerdict } from '../core/audit/edits';
import { AuditSaveError, StaleAuditError, toSaveError } from './storage-errors';

/** This tab's identity as a writer: its own successive saves supersede each other, another tab's do not. */
const TAB_WRITER = `tab-${Date.now().toString(36)}-${Math.random().toString(36).slice(2, 10)}`;

/** Ids the app's route (`#/audit/<id>`) accepts; an imported id outside this pattern is replaced. */
export const AUDIT_ID_PATTERN = /^[\w-]{1,128}$/;

export interface SaveAuditOptions {
  /** Who writes; a save based on an older revision written by someone else is refused. */
  writer?: string;
}

export interface AuditSummary {
  id: string;
  name: string;
  updatedAt: string;
  datasetCount: number;
  verdict: AuditDocument['verdict'] extends infer V
    ? (V extends { status: infer S } ? S : never) | undefined
    : never;
}

function summarise(record: AuditRecord): AuditSummary {
  return {
    id: record.id,
    name: record.name,
    updatedAt: record.updatedAt,
    datasetCount: record.document.datasets.length,
    // Recomputed from findings and waivers: a stored verdict is never trusted.
    verdict: auditVerdict(record.document)?.status,
  };
}

/** Saved audits, newest first, as a live query that re-emits on every change. */
export function liveAuditSummaries(db: AuditDB): Observable<AuditSummary[]> {
  return liveQuery(async () => (await db.audits.orderBy('updatedAt').reverse().toArray()).map(summarise));
}

/** One saved audit as a live query: re-emits when it changes, in this tab or another. */
export function liveAudit(db: AuditDB, id: string): Observable<AuditDocument | undefined> {
  return liveQuery(() => getAudit(db, id));
}

/**
 * One saved audit as written by another tab: emits the validated document
 * each time another tab saves it, and undefined while the last write is this
 * tab's own (so a tab never reloads its own in-flight saves).
 */
export function liveAuditFromOtherTabs(db: AuditDB, id: string): Observable<AuditDocument | undefined> {
  return liveQuery(async () => {
    const record = await db.audits.get(id);
    return record && record.writer !== TAB_WRITER ? parseAudit(record.document) : undefined;
  });
}

/** Load one audit, validated; a damaged record is reported rather than half-used. */
export async function getAudit(db: AuditDB, id: string): Promise<AuditDocument | undefined> {
  const record = await db.audits.get(id);
  return record ? parseAudit(record.document) : undefined;
}

/**
 * Save an audit atomically and return what was stored. The document is
 * validated first, so a bug or a hostile import can never leave a
 * half-written record behind; personal values are masked unless the user
 * chose to keep them (`storePersonalValues`). A save based on an older
 * revision than another tab's is refused (`StaleAuditError`), never silently
 * overwritten. Every failure is an `AuditSaveError` with a clear message.
 */
export async function saveAudit(
  db: AuditDB,
  audit: AuditDocument,
  now: Date = new Date(),
  options: SaveAuditOptions = {},
): Promise<AuditDocument> {
  const writer = options.writer ?? TAB_WRITER;
  try {
    // Validated and masked before the transaction opens, so it stays short and an invalid document never reaches it.
    const prepared = AuditDocumentSchema.parse(redactForStorage({ ...audit, updatedAt: now.toISOString() }));
    return await db.transaction('rw', db.audits, async () => {
      const existing = await db.audits.get(audit.id);
      const saved = existing?.revision ?? 0;
      const base = audit.revision ?? 0;
      if (existing && base < saved && existing.writer !== writer) throw new StaleAuditError(saved, base);
      const revision = saved + 1;
      const document: AuditDocument = { ...prepared, revision };
      await db.audits.put({
        id: document.id,
        name: document.name,
        updatedAt: document.updatedAt,
        revision,
        writer,
        document,
      });
      return document;
    });
  } catch (error) {
    throw toSaveError(error);
  }
}

/** Delete a saved audit; deleting one that does not exist does nothing. */
export async function deleteAudit(db: AuditDB, id: string): Promise<void> {
  await db.audits.delete(id);
}

/**
 * Import an audit file. It gets a fresh id when one with the same id exists,
 * so importing never overwrites work already saved.
 */
export async function importAudit(db: AuditDB, json: unknown, newId: () => string): Promise<AuditDocument> {
  const parsed = parseAudit(json);
  // The file's revision counted saves elsewhere; here the copy starts a history of its own.
  const { revision: _revision, ...fromFile } = parsed;
  const routable = AUDIT_ID_PATTERN.test(fromFile.id) ? fromFile : { ...fromFile, id: newId() };
  // The clash check and the write are one transaction: no other tab can take the id in between.
  return db.transaction('rw', db.audits, async () => {
    const clash = await db.audits.get(routable.id);
    const audit = clash ? { ...routable, id: newId(), name: `${routable.name} (imported)` } : routable;
    return saveAudit(db, audit);
  });
}

export { AuditSaveError, StaleAuditError };

/**
 * The app's saved audits in one database, as the operations the UI and the
 * session need. Its `load` and `save` are the storage port the browser's audit
 * session is given.
 */
export function savedAudits(db: AuditDB = auditDB()) {
  return {
    load: (id: string) => getAudit(db, id),
    save: (audit: AuditDocument) => saveAudit(db, audit),
    remove: (id: string) => deleteAudit(db, id),
    import: (json: unknown, newId: () => string) => importAudit(db, json, newId),
    summaries: () => liveAuditSummaries(db),
  };
}

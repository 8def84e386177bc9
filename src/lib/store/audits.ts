import { liveQuery, type Observable } from 'dexie';
import { AuditDocumentSchema, type AuditDocument } from '../core/model/audit';
import { parseAudit } from '../core/audit/edits';
import { redactForStorage } from '../core/redact';
import { auditDB, summaryOf, type AuditDB, type AuditSummaryRecord } from './db';
import { AuditSaveError, StaleAuditError, toSaveError } from './storage-errors';

/** This tab's identity as a writer: its own successive saves supersede each other, another tab's do not. */
const TAB_WRITER = `tab-${Date.now().toString(36)}-${Math.random().toString(36).slice(2, 10)}`;

/** This tab's writer id, for a save made on its behalf elsewhere (the store worker). */
export function thisTabWriter(): string {
  return TAB_WRITER;
}

/** Ids the app's route (`#/audit/<id>`) accepts; an imported id outside this pattern is replaced. */
export const AUDIT_ID_PATTERN = /^[\w-]{1,128}$/;

export interface SaveAuditOptions {
  /** Who writes; a save based on an older revision written by someone else is refused. */
  writer?: string;
}

export type AuditSummary = AuditSummaryRecord;

/** Saved audits, newest first, as a live query that re-emits on every change. */
export function liveAuditSummaries(db: AuditDB): Observable<AuditSummary[]> {
  // The summaries table only: listing never reads (nor clones on the page) the whole documents.
  return liveQuery(() => db.summaries.orderBy('updatedAt').reverse().toArray());
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
 * The copy of an audit that is stored: personal values masked unless the
 * user chose to keep them (`storePersonalValues`), then validated, so a bug
 * or a hostile import never reaches the database. The heavy part of a save:
 * run it where the page cannot stall (the import worker does).
 */
export function prepareForStorage(audit: AuditDocument, now: Date = new Date()): AuditDocument {
  return AuditDocumentSchema.parse(redactForStorage({ ...audit, updatedAt: now.toISOString() }));
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
    const prepared = prepareForStorage(audit, now);
    return await db.transaction('rw', db.audits, db.summaries, async () => {
      const existing = await db.audits.get(audit.id);
      const saved = existing?.revision ?? 0;
      const base = audit.revision ?? 0;
      if (existing && base < saved && existing.writer !== writer) throw new StaleAuditError(saved, base);
      return put(db, { ...prepared, revision: saved + 1 }, writer);
    });
  } catch (error) {
    throw toSaveError(error);
  }
}

async function put(db: AuditDB, document: AuditDocument, writer: string): Promise<AuditDocument> {
  const revision = document.revision ?? 1;
  await db.audits.put({
    id: document.id,
    name: document.name,
    updatedAt: document.updatedAt,
    revision,
    writer,
    document,
  });
  await db.summaries.put(summaryOf(document));
  return document;
}

/** Delete a saved audit; deleting one that does not exist does nothing. */
export async function deleteAudit(db: AuditDB, id: string): Promise<void> {
  await db.transaction('rw', db.audits, db.summaries, async () => {
    await db.audits.delete(id);
    await db.summaries.delete(id);
  });
}

export interface ImportAuditOptions {
  /**
   * The user's answer to "keep personal values?". A file's own
   * `storePersonalValues` is never trusted: without this, values are masked.
   */
  keepPersonalValues?: boolean;
  /** Who writes: an import gets its own writer, so a cancelled one can be discarded (`discardImport`). */
  writer?: string;
  /** Told the id just before the write, inside its transaction. */
  beforeWrite?: (id: string) => void;
}

/**
 * An imported document ready to store: the file's revision and its
 * `storePersonalValues` dropped (only the user's answer counts), an id the
 * route can open, personal values masked, validated. The heavy step of an
 * import; `storeImported` writes the result.
 */
export function prepareImport(
  audit: AuditDocument,
  newId: () => string,
  options: Pick<ImportAuditOptions, 'keepPersonalValues'> = {},
  now: Date = new Date(),
): AuditDocument {
  // The file's revision counted saves elsewhere; here the copy starts a history of its own.
  const { revision: _revision, storePersonalValues: _fromFile, ...fromFile } = audit;
  const chosen: AuditDocument = options.keepPersonalValues
    ? { ...fromFile, storePersonalValues: true }
    : fromFile;
  const routable = AUDIT_ID_PATTERN.test(chosen.id) ? chosen : { ...chosen, id: newId() };
  try {
    return prepareForStorage(routable, now);
  } catch (error) {
    throw toSaveError(error);
  }
}

/**
 * Write a prepared import (`prepareImport`) as a new audit. It gets a fresh
 * id when one with the same id exists, so importing never overwrites work
 * already saved; the clash check and the write are one transaction, so no
 * other tab can take the id in between.
 */
export async function storeImported(
  db: AuditDB,
  prepared: AuditDocument,
  newId: () => string,
  options: Omit<ImportAuditOptions, 'keepPersonalValues'> = {},
): Promise<AuditDocument> {
  try {
    return await db.transaction('rw', db.audits, db.summaries, async () => {
      const clash = await db.audits.get(prepared.id);
      const audit = clash ? { ...prepared, id: newId(), name: `${prepared.name} (imported)` } : prepared;
      options.beforeWrite?.(audit.id);
      return put(db, { ...audit, revision: 1 }, options.writer ?? TAB_WRITER);
    });
  } catch (error) {
    throw toSaveError(error);
  }
}

/**
 * Import an audit file's JSON: validated (`parseAudit`, a refusal says what is
 * wrong and where), then `prepareImport` and `storeImported`.
 */
export async function importAudit(
  db: AuditDB,
  json: unknown,
  newId: () => string,
  options: ImportAuditOptions = {},
): Promise<AuditDocument> {
  return storeImported(db, prepareImport(parseAudit(json), newId, options), newId, options);
}

/**
 * Undo an import that was cancelled while it was being written: the record
 * is deleted only when that import wrote it (same id and writer), so nothing
 * else can be lost. Resolves to whether a record was deleted.
 */
export async function discardImport(db: AuditDB, id: string, writer: string): Promise<boolean> {
  return db.transaction('rw', db.audits, db.summaries, async () => {
    const record = await db.audits.get(id);
    if (record?.writer !== writer) return false;
    await db.audits.delete(id);
    await db.summaries.delete(id);
    return true;
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
    fromOtherTabs: (id: string) => liveAuditFromOtherTabs(db, id),
  };
}

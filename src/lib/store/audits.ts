import { liveQuery, type Observable } from 'dexie';
import { AuditDocumentSchema, type AuditDocument } from '../core/audit/schema';
import { parseAudit } from '../core/audit/document';
import type { AuditDB, AuditRecord } from './db';

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
    verdict: record.document.verdict?.status,
  };
}

/** Saved audits, newest first, as a live query that re-emits on every change. */
export function liveAuditSummaries(db: AuditDB): Observable<AuditSummary[]> {
  return liveQuery(async () => (await db.audits.orderBy('updatedAt').reverse().toArray()).map(summarise));
}

/** Load one audit, validated; a damaged record is reported rather than half-used. */
export async function getAudit(db: AuditDB, id: string): Promise<AuditDocument | undefined> {
  const record = await db.audits.get(id);
  return record ? parseAudit(record.document) : undefined;
}

/**
 * Save an audit atomically. The document is validated first, so a bug or a
 * hostile import can never leave a half-written record behind.
 */
export async function saveAudit(
  db: AuditDB,
  audit: AuditDocument,
  now: Date = new Date(),
): Promise<AuditDocument> {
  const document = AuditDocumentSchema.parse({ ...audit, updatedAt: now.toISOString() });
  await db.transaction('rw', db.audits, async () => {
    await db.audits.put({ id: document.id, name: document.name, updatedAt: document.updatedAt, document });
  });
  return document;
}

export async function deleteAudit(db: AuditDB, id: string): Promise<void> {
  await db.audits.delete(id);
}

/**
 * Import an audit file. It gets a fresh id when one with the same id exists,
 * so importing never overwrites work already saved.
 */
export async function importAudit(db: AuditDB, json: unknown, newId: () => string): Promise<AuditDocument> {
  const parsed = parseAudit(json);
  const clash = await db.audits.get(parsed.id);
  const audit = clash ? { ...parsed, id: newId(), name: `${parsed.name} (imported)` } : parsed;
  return saveAudit(db, audit);
}

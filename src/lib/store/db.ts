import Dexie, { type EntityTable, type Transaction } from 'dexie';
import type { AuditDocument } from '../core/audit/schema';
import { redactForStorage } from '../core/redact';

/** One saved audit. The document is validated before every write; client rows are never stored. */
export interface AuditRecord {
  id: string;
  name: string;
  updatedAt: string;
  /** Save counter (version 2): a write based on an older revision from another tab is refused. */
  revision: number;
  /** The tab that wrote this revision, so a tab's own successive saves never conflict with each other. */
  writer?: string;
  document: AuditDocument;
}

/**
 * Version 1 → 2: every record gets a revision counter, and documents saved
 * before redaction existed have their personal values masked, as every saved
 * audit now does unless the user opts in.
 */
export function upgradeToVersion2(record: Partial<AuditRecord> & { document?: unknown }): void {
  const revision = typeof record.revision === 'number' ? record.revision : 1;
  record.revision = revision;
  const document = record.document as AuditDocument | undefined;
  if (!document || typeof document !== 'object') return;
  try {
    record.document = { ...redactForStorage(document), revision };
  } catch {
    // A damaged document is kept as it is: opening it reports the damage instead of the upgrade failing.
    record.document = { ...document, revision };
  }
}

/** The one IndexedDB database. A schema change adds a `version()`; old versions are never edited. */
export class AuditDB extends Dexie {
  audits!: EntityTable<AuditRecord, 'id'>;

  constructor(name = 'sprint-zero') {
    super(name);
    this.version(1).stores({ audits: 'id, updatedAt, name' });
    this.version(2)
      .stores({ audits: 'id, updatedAt, name' })
      .upgrade((tx: Transaction) =>
        tx
          .table('audits')
          .toCollection()
          .modify((record: AuditRecord) => upgradeToVersion2(record)),
      );
  }
}

let instance: AuditDB | undefined;

/** The app's database, opened on first use. */
export function auditDB(): AuditDB {
  instance ??= new AuditDB();
  return instance;
}

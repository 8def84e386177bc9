import Dexie, { type EntityTable } from 'dexie';
import type { AuditDocument } from '../core/audit/schema';

/** One saved audit. The document is validated before every write; client rows are never stored. */
export interface AuditRecord {
  id: string;
  name: string;
  updatedAt: string;
  document: AuditDocument;
}

/** The one IndexedDB database. A schema change adds a `version()`; old versions are never edited. */
export class AuditDB extends Dexie {
  audits!: EntityTable<AuditRecord, 'id'>;

  constructor(name = 'sprint-zero') {
    super(name);
    this.version(1).stores({ audits: 'id, updatedAt, name' });
  }
}

let instance: AuditDB | undefined;

/** The app's database, opened on first use. */
export function auditDB(): AuditDB {
  instance ??= new AuditDB();
  return instance;
}

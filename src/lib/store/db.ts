import Dexie, { type EntityTable, type Transaction } from 'dexie';
import type { AuditDocument } from '../core/model/audit';
import { auditVerdict } from '../core/audit/edits';
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
 * What the audit list shows of one saved audit (version 3), kept beside the
 * document and written in the same transaction, so listing audits never
 * reads (and clones on the page) every whole document.
 */
export interface AuditSummaryRecord {
  id: string;
  name: string;
  updatedAt: string;
  datasetCount: number;
  /** Recomputed from the findings and waivers when the document is written, never read from a file. */
  verdict: 'not-assessed' | 'not-ready' | 'conditional' | 'ready' | undefined;
}

/** The list's summary of a document about to be written. */
export function summaryOf(document: AuditDocument): AuditSummaryRecord {
  return {
    id: document.id,
    name: document.name,
    updatedAt: document.updatedAt,
    datasetCount: document.datasets.length,
    verdict: auditVerdict(document)?.status,
  };
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
  summaries!: EntityTable<AuditSummaryRecord, 'id'>;

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
    this.version(3)
      .stores({ audits: 'id, updatedAt, name', summaries: 'id, updatedAt' })
      .upgrade(async (tx: Transaction) => {
        const summaries = tx.table('summaries');
        await tx
          .table('audits')
          .toCollection()
          .each((record: AuditRecord) => {
            try {
              void summaries.put(summaryOf(record.document));
            } catch {
              // A damaged document is listed by name; opening it reports the damage.
              void summaries.put({
                id: record.id,
                name: record.name,
                updatedAt: record.updatedAt,
                datasetCount: 0,
                verdict: undefined,
              });
            }
          });
      });
  }
}

let instance: AuditDB | undefined;

/** The app's database, opened on first use. */
export function auditDB(): AuditDB {
  instance ??= new AuditDB();
  return instance;
}

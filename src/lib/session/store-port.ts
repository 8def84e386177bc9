import type { AuditDocument } from '../core/model/audit';

/**
 * Where a session keeps audit documents. The browser passes an IndexedDB
 * adapter, the CLI an in-memory one; the session never knows which, so it
 * imports nothing from `store/`.
 */
export interface AuditStorePort {
  /** The saved document with this id, validated, or undefined when there is none. */
  load(id: string): Promise<AuditDocument | undefined>;
  /**
   * Save a document and return what was stored (e.g. with `updatedAt` stamped).
   * Rejects when the document cannot be saved (quota, closed database, invalid
   * document); the session reports that and keeps the edit in memory.
   */
  save(document: AuditDocument): Promise<AuditDocument>;
}

/** A store that keeps documents in this process only: for the CLI and tests. */
export function memoryAuditStore(now: () => Date = () => new Date()): AuditStorePort {
  const documents = new Map<string, AuditDocument>();
  return {
    load: async (id) => documents.get(id),
    save: async (document) => {
      const saved = { ...document, updatedAt: now().toISOString() };
      documents.set(saved.id, saved);
      return saved;
    },
  };
}

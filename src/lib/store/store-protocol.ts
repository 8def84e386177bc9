import type { AuditDocument } from '../core/model/audit';
import type { SaveFailure } from './storage-errors';

/** What the page asks the store worker. */
export type StoreRequest =
  | { id: number; op: 'load'; dbName: string; auditId: string }
  | { id: number; op: 'save'; dbName: string; audit: AuditDocument; writer: string; now: string };

/** The store worker's answer to one request. */
export type StoreReply =
  | { id: number; ok: true; audit: AuditDocument | undefined }
  | {
      id: number;
      ok: false;
      /** Set for a save failure; absent for a load that failed (a damaged record). */
      reason?: SaveFailure;
      message: string;
      stale?: { savedRevision: number; baseRevision: number };
    };

import { AuditImportError } from '../core/model/document';
import type { AuditDocument } from '../core/model/audit';
import { savedAudits, thisTabWriter } from './audits';
import { auditDB, type AuditDB } from './db';
import { AuditSaveError, StaleAuditError } from './storage-errors';
import type { StoreReply, StoreRequest } from './store-protocol';

type WithoutId<T> = T extends unknown ? Omit<T, 'id'> : never;
type Pending = { resolve: (audit: AuditDocument | undefined) => void; reject: (error: Error) => void };

/**
 * The app's saved audits, with loads and saves run by a module worker
 * (`store-worker.ts`): masking, validation and the IndexedDB write of a
 * large audit never stall the page. Same operations and errors as
 * `savedAudits`; saves are written as this tab's (`thisTabWriter`), so the
 * revision checks and the other-tab live query behave as before.
 */
export function workerSavedAudits(db: AuditDB = auditDB()) {
  const local = savedAudits(db);
  if (typeof Worker === 'undefined') return local;
  const pending = new Map<number, Pending>();
  let next = 0;
  let worker: Worker | undefined;
  const start = (): Worker => {
    const started = new Worker(new URL('./store-worker.ts', import.meta.url), { type: 'module' });
    started.onmessage = (event: MessageEvent<StoreReply>) => settle(event.data);
    started.onerror = (event) => {
      event.preventDefault();
      // A worker that died cannot answer: every pending request fails, the next one starts a new worker.
      for (const { reject } of pending.values()) reject(new AuditSaveError('unknown'));
      pending.clear();
      worker = undefined;
    };
    return started;
  };
  const settle = (reply: StoreReply): void => {
    const waiting = pending.get(reply.id);
    if (!waiting) return;
    pending.delete(reply.id);
    if (reply.ok) waiting.resolve(reply.audit);
    else if (reply.stale)
      waiting.reject(new StaleAuditError(reply.stale.savedRevision, reply.stale.baseRevision));
    else if (reply.reason) waiting.reject(new AuditSaveError(reply.reason, reply.message));
    else waiting.reject(new AuditImportError(reply.message));
  };
  /** Post a request; throws at once (DataCloneError) for a value that cannot cross to a worker. */
  const ask = (request: WithoutId<StoreRequest>): Promise<AuditDocument | undefined> => {
    const id = ++next;
    worker ??= start();
    worker.postMessage({ ...request, id });
    return new Promise((resolve, reject) => pending.set(id, { resolve, reject }));
  };
  return {
    ...local,
    load: (id: string) => ask({ op: 'load', dbName: db.name, auditId: id }),
    save: async (audit: AuditDocument): Promise<AuditDocument> => {
      let reply: Promise<AuditDocument | undefined>;
      try {
        reply = ask({
          op: 'save',
          dbName: db.name,
          audit,
          writer: thisTabWriter(),
          now: new Date().toISOString(),
        });
      } catch {
        // Not cloneable (a live reactive object inside): saved here, as before the worker.
        return local.save(audit);
      }
      const saved = await reply;
      if (!saved) throw new AuditSaveError('unknown');
      return saved;
    },
  };
}

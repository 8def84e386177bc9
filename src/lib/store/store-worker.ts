/// <reference lib="webworker" />
import { getAudit, saveAudit } from './audits';
import { AuditDB } from './db';
import { StaleAuditError, toSaveError } from './storage-errors';
import type { StoreReply, StoreRequest } from './store-protocol';

// Saves and loads off the page: masking personal values, validating and
// cloning a large audit take seconds the page would otherwise freeze for.

const databases = new Map<string, AuditDB>();
const database = (name: string): AuditDB => {
  let db = databases.get(name);
  if (!db) databases.set(name, (db = new AuditDB(name)));
  return db;
};

self.onmessage = async (event: MessageEvent<StoreRequest>) => {
  const request = event.data;
  self.postMessage(await answer(request));
};

async function answer(request: StoreRequest): Promise<StoreReply> {
  const db = database(request.dbName);
  if (request.op === 'load') {
    try {
      return { id: request.id, ok: true, audit: await getAudit(db, request.auditId) };
    } catch (error) {
      return { id: request.id, ok: false, message: error instanceof Error ? error.message : String(error) };
    }
  }
  try {
    const saved = await saveAudit(db, request.audit, new Date(request.now), { writer: request.writer });
    return { id: request.id, ok: true, audit: saved };
  } catch (error) {
    const failure = toSaveError(error);
    return {
      id: request.id,
      ok: false,
      reason: failure.reason,
      message: failure.message,
      ...(failure instanceof StaleAuditError
        ? { stale: { savedRevision: failure.savedRevision, baseRevision: failure.baseRevision } }
        : {}),
    };
  }
}

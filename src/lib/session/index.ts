export { AuditSession } from './audit-session';
export {
  SessionError,
  type AnalyseOptions,
  type AnalyseOutcome,
  type AuditSessionOptions,
  type LoadOutcome,
  type RolesOutcome,
  type SessionEngine,
  type SessionErrorCode,
  type SessionEvents,
  type SessionLoadOptions,
  type SessionHost,
  type SessionNotice,
} from './types';
export { memoryAuditStore, type AuditStorePort } from './store-port';
export type { TaskContext, TaskState } from './task-queue';

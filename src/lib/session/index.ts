export { AuditSession } from './audit-session';
export * from './types';
export { memoryAuditStore, type AuditStorePort } from './store-port';
export type { TaskContext, TaskState } from './task-queue';

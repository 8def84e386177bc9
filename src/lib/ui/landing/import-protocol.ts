import type { ImportPrivacyQuestion, ImportProgress } from '../../report/import-audit';

/** What the page sends the import worker. */
export type ImportRequest =
  { type: 'start'; file: File; dbName: string; writer: string } | { type: 'answer'; keepValues: boolean };

/** What the import worker answers, step by step. */
export type ImportMessage =
  | { type: 'progress'; progress: ImportProgress }
  /** The file wants personal values kept: the user is asked, and the default is to mask them. */
  | { type: 'ask'; question: ImportPrivacyQuestion }
  /** The id about to be written, so a cancel from now on can discard exactly that record. */
  | { type: 'writing'; id: string }
  | { type: 'done'; id: string; name: string; maskedValues: number; keptValues: boolean }
  | { type: 'failed'; message: string };

/** A new import worker (a module worker, bundled by Vite from this literal). */
export function startImportWorker(): Worker {
  return new Worker(new URL('./import-worker.ts', import.meta.url), { type: 'module' });
}

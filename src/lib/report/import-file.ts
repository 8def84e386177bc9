import { AuditImportError } from '../core/model/document';
import type { AuditDocument } from '../core/model/audit';
import { checkAuditFileSize, type ImportReply } from './import-audit';

/** How long a worker may take on one file before the import is refused. */
const IMPORT_TIMEOUT_MS = 60_000;

/**
 * Read, parse and validate an audit file in a module worker (browser only).
 * The size is checked before anything is read; a refusal is an
 * `AuditImportError` saying what is wrong and where. Nothing is stored here:
 * pass the document to `importAudit` in `store/audits`.
 */
export async function readAuditFile(file: File): Promise<AuditDocument> {
  checkAuditFileSize(file.size, file.name);
  const worker = new Worker(new URL('./import-worker.ts', import.meta.url), { type: 'module' });
  try {
    const reply = await new Promise<ImportReply>((resolve, reject) => {
      const timer = setTimeout(
        () => reject(new AuditImportError(`“${file.name}” took too long to read, so it was not imported.`)),
        IMPORT_TIMEOUT_MS,
      );
      worker.onmessage = (event: MessageEvent<ImportReply>) => {
        clearTimeout(timer);
        resolve(event.data);
      };
      worker.onerror = (event) => {
        clearTimeout(timer);
        event.preventDefault();
        reject(new AuditImportError(`“${file.name}” could not be read as an audit file.`));
      };
      worker.postMessage({ file });
    });
    if (!reply.ok) throw new AuditImportError(reply.message, reply.issues);
    return reply.document;
  } finally {
    worker.terminate();
  }
}

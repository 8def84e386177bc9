/// <reference lib="webworker" />
import { AuditImportError } from '../../core/model/document';
import type { AuditDocument } from '../../core/model/audit';
import { personalColumns } from '../../core/redact';
import {
  checkAuditFileSize,
  importPrivacyQuestion,
  readAuditText,
  type ImportPrivacyQuestion,
} from '../../report/import-audit';
import { AuditSaveError, prepareImport, storeImported } from '../../store/audits';
import { AuditDB } from '../../store/db';
import type { ImportMessage, ImportRequest } from './import-protocol';

// The whole import runs here, off the page: reading, validating, masking and the
// IndexedDB write. A huge or hostile file can stall this worker, never the page,
// and the page's Cancel terminates it.

const post = (message: ImportMessage): void => self.postMessage(message);
const newId = (): string => crypto.randomUUID();
let answer: ((keepValues: boolean) => void) | undefined;

self.onmessage = (event: MessageEvent<ImportRequest>) => {
  const request = event.data;
  if (request.type === 'answer') {
    answer?.(request.keepValues);
    answer = undefined;
  } else void run(request).then(post);
};

function ask(question: ImportPrivacyQuestion): Promise<boolean> {
  return new Promise((resolve) => {
    answer = resolve;
    post({ type: 'ask', question });
  });
}

async function run({
  file,
  dbName,
  writer,
}: Extract<ImportRequest, { type: 'start' }>): Promise<ImportMessage> {
  const fileName = file.name;
  let db: AuditDB | undefined;
  try {
    post({ type: 'progress', progress: { stage: 'reading', fileName, sizeBytes: file.size } });
    checkAuditFileSize(file.size, fileName);
    const text = await file.text();
    post({ type: 'progress', progress: { stage: 'checking', fileName } });
    const parsed: AuditDocument = readAuditText(text, fileName);
    const question = importPrivacyQuestion(parsed);
    const keepValues = question ? await ask(question) : false;
    if (!keepValues)
      post({ type: 'progress', progress: { stage: 'masking', columns: personalColumns(parsed).length } });
    const prepared = prepareImport(parsed, newId, { keepPersonalValues: keepValues });
    const maskedValues = keepValues ? 0 : (prepared.redaction?.maskedValues ?? 0);
    post({ type: 'progress', progress: { stage: 'saving', maskedValues } });
    db = new AuditDB(dbName);
    const saved = await storeImported(db, prepared, newId, {
      writer,
      beforeWrite: (id) => post({ type: 'writing', id }),
    });
    return { type: 'done', id: saved.id, name: saved.name, maskedValues, keptValues: keepValues };
  } catch (error) {
    if (error instanceof AuditImportError) return { type: 'failed', message: error.message };
    if (error instanceof AuditSaveError)
      return { type: 'failed', message: `“${fileName}” was read but could not be saved: ${error.message}` };
    return { type: 'failed', message: `“${fileName}” could not be imported as an audit file.` };
  } finally {
    db?.close();
  }
}

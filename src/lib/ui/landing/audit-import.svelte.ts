import { importProgressText, type ImportPrivacyQuestion } from '../../report/import-audit';
import { discardImport } from '../../store/audits';
import { auditDB } from '../../store/db';
import { startImportWorker, type ImportMessage, type ImportRequest } from './import-protocol';

/** How long the worker may stay silent (outside the question to the user) before the import is refused. */
const SILENCE_LIMIT_MS = 120_000;

export type ImportOutcome =
  | { kind: 'done'; id: string; name: string; maskedValues: number; keptValues: boolean }
  | { kind: 'failed'; message: string }
  | { kind: 'cancelled' };

/**
 * One audit file being imported by a worker (`import-worker.ts`), as reactive
 * state for the landing page: the step it is at, the question the file
 * raises (keep personal values?), and a cancel that terminates the worker and
 * discards a record it was writing, so nothing is left half-saved.
 */
export class AuditImport {
  readonly fileName: string;
  /** The current step, in the user's words. */
  step = $state('');
  /** Set while the worker waits for the user's answer. */
  question = $state<ImportPrivacyQuestion | undefined>(undefined);
  cancelling = $state(false);
  readonly #file: File;
  readonly #writer = `import-${crypto.randomUUID()}`;
  #worker: Worker | undefined;
  #writingId: string | undefined;
  #timer: ReturnType<typeof setTimeout> | undefined;
  #settle: ((outcome: ImportOutcome) => void) | undefined;

  constructor(file: File) {
    this.#file = file;
    this.fileName = file.name;
    this.step = `Opening “${file.name}”…`;
  }

  /** Run the import; resolves once it is saved, refused or cancelled. Never rejects. */
  run(): Promise<ImportOutcome> {
    return new Promise<ImportOutcome>((resolve) => {
      this.#settle = resolve;
      const worker = startImportWorker();
      this.#worker = worker;
      worker.onmessage = (event: MessageEvent<ImportMessage>) => this.#receive(event.data);
      worker.onerror = (event) => {
        event.preventDefault();
        this.#finish({ kind: 'failed', message: `“${this.fileName}” could not be read as an audit file.` });
      };
      this.#watch();
      this.#send({ type: 'start', file: this.#file, dbName: auditDB().name, writer: this.#writer });
    });
  }

  /** The user's answer to the question: keep the personal values, or mask them (the default). */
  answer(keepValues: boolean): void {
    if (!this.question) return;
    this.question = undefined;
    this.#watch();
    this.#send({ type: 'answer', keepValues });
  }

  /** Stop the import: the worker is terminated and a record it may have written is deleted. */
  async cancel(): Promise<void> {
    if (!this.#settle || this.cancelling) return;
    this.cancelling = true;
    await this.#abandon({ kind: 'cancelled' });
  }

  #receive(message: ImportMessage): void {
    if (this.cancelling) return;
    this.#watch();
    switch (message.type) {
      case 'progress':
        this.step = importProgressText(message.progress);
        return;
      case 'ask':
        clearTimeout(this.#timer);
        this.step = 'Waiting for your answer about personal values…';
        this.question = message.question;
        return;
      case 'writing':
        this.#writingId = message.id;
        return;
      case 'done': {
        const { id, name, maskedValues, keptValues } = message;
        this.#finish({ kind: 'done', id, name, maskedValues, keptValues });
        return;
      }
      case 'failed':
        this.#finish({ kind: 'failed', message: message.message });
    }
  }

  #send(request: ImportRequest): void {
    this.#worker?.postMessage(request);
  }

  #watch(): void {
    clearTimeout(this.#timer);
    this.#timer = setTimeout(
      () =>
        void this.#abandon({
          kind: 'failed',
          message: `“${this.fileName}” took too long to import, so it was not imported.`,
        }),
      SILENCE_LIMIT_MS,
    );
  }

  /** Terminate the worker mid-way; a write in flight is aborted with it, or committed just before and removed. */
  async #abandon(outcome: ImportOutcome): Promise<void> {
    this.question = undefined;
    this.#stop();
    try {
      if (this.#writingId !== undefined) await discardImport(auditDB(), this.#writingId, this.#writer);
    } finally {
      this.#finish(outcome);
    }
  }

  #stop(): void {
    clearTimeout(this.#timer);
    this.#worker?.terminate();
    this.#worker = undefined;
  }

  #finish(outcome: ImportOutcome): void {
    this.#stop();
    const settle = this.#settle;
    this.#settle = undefined;
    settle?.(outcome);
  }
}

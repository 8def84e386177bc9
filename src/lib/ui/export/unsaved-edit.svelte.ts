import { untrack } from 'svelte';
import type { AuditDocument } from '../../core/model/audit';
import type { AuditSession } from '../../session';

/**
 * Whether the open audit holds an edit the browser refused to save (a full
 * disk, a closed database): set by the session's `save-failed` error, cleared
 * once a later save of the same audit goes through or a newer saved revision
 * is opened. Create it in a component: it subscribes for the component's life.
 */
export class UnsavedEdit {
  #failed = $state<{ auditId: string; revision: number; message: string } | undefined>(undefined);
  readonly #audit: () => AuditDocument;

  constructor(session: () => AuditSession, audit: () => AuditDocument) {
    this.#audit = audit;
    $effect(() =>
      session().on('error', (error) => {
        if (error.code !== 'save-failed') return;
        const current = untrack(audit);
        this.#failed = { auditId: current.id, revision: current.revision ?? 0, message: error.message };
      }),
    );
  }

  /** Why the latest edit is not saved, while it is not; undefined once it is saved or replaced. */
  get message(): string | undefined {
    const failed = this.#failed;
    const audit = this.#audit();
    return failed && failed.auditId === audit.id && (audit.revision ?? 0) <= failed.revision
      ? failed.message
      : undefined;
  }
}

/** Why an audit could not be saved. */
export type SaveFailure = 'quota' | 'closed' | 'stale' | 'invalid' | 'unknown';

const MESSAGES: Record<SaveFailure, string> = {
  quota: 'The browser’s storage for this site is full. Delete audits you no longer need, or free disk space.',
  closed:
    'The browser closed this site’s database (storage was cleared, or another tab is upgrading the app). Reload the page.',
  stale:
    'This audit was changed in another tab after this one opened it, and this tab will not overwrite the newer version. Reopen the audit to see the other tab’s changes.',
  invalid: 'The audit would not be valid after this change.',
  unknown: 'The browser refused to write to this site’s database.',
};

/** A save that failed, with a message for the user; the edit stays in memory and can be exported. */
export class AuditSaveError extends Error {
  override readonly name = 'AuditSaveError';
  constructor(
    readonly reason: SaveFailure,
    message: string = MESSAGES[reason],
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}

/** A write based on an older revision than the saved one, from another tab. */
export class StaleAuditError extends AuditSaveError {
  constructor(
    readonly savedRevision: number,
    readonly baseRevision: number,
  ) {
    super('stale');
  }
}

function names(error: unknown): string[] {
  const out: string[] = [];
  let current: unknown = error;
  for (let depth = 0; depth < 5 && current && typeof current === 'object'; depth++) {
    const e = current as { name?: unknown; inner?: unknown; cause?: unknown };
    if (typeof e.name === 'string') out.push(e.name);
    current = e.inner ?? e.cause;
  }
  return out;
}

/** Turn whatever IndexedDB, Dexie or zod threw into an `AuditSaveError` with a clear message. */
export function toSaveError(error: unknown): AuditSaveError {
  if (error instanceof AuditSaveError) return error;
  const seen = names(error);
  const has = (...candidates: string[]): boolean => seen.some((n) => candidates.includes(n));
  if (has('QuotaExceededError')) return new AuditSaveError('quota', undefined, { cause: error });
  if (has('DatabaseClosedError', 'InvalidStateError', 'UnknownError', 'VersionChangeError'))
    return new AuditSaveError('closed', undefined, { cause: error });
  if (has('ZodError')) return new AuditSaveError('invalid', undefined, { cause: error });
  return new AuditSaveError('unknown', undefined, { cause: error });
}

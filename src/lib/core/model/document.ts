import {
  AUDIT_FORMAT,
  AUDIT_VERSION,
  AuditDocumentSchema,
  type AuditDocument,
  type ColumnSchema,
} from './audit';

/** Today's date as ISO `YYYY-MM-DD` in the user's local calendar. */
export function todayIso(now: Date = new Date()): string {
  const local = new Date(now.getTime() - now.getTimezoneOffset() * 60_000);
  return local.toISOString().slice(0, 10);
}

/** A new, empty audit. */
export function newAudit(name: string, id: string, now: Date = new Date()): AuditDocument {
  const at = now.toISOString();
  return {
    format: AUDIT_FORMAT,
    version: AUDIT_VERSION,
    id,
    name,
    createdAt: at,
    updatedAt: at,
    context: {
      decision: '',
      task: 'binary',
      targetDefinition: '',
      positiveClass: '',
      predictionPoint: '',
      asOf: todayIso(now),
    },
    datasets: [],
    profiles: {},
    roles: {},
    findings: [],
    waivers: [],
    notes: [],
  };
}

/** A short, stable hash (FNV-1a) of a string; not cryptographic, only for recognising a file again. */
export function fnv1a(text: string): string {
  let hash = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    hash ^= text.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193) >>> 0;
  }
  return hash.toString(16).padStart(8, '0');
}

/** Identity of a loaded file: same name, size, modification time, rows and schema. */
export function datasetFingerprint(d: {
  fileName: string;
  sizeBytes: number;
  lastModified: number;
  rowCount: number;
  columns: ColumnSchema[];
}): string {
  const schema = d.columns.map((c) => `${c.name}:${c.type}`).join('|');
  return `${fnv1a(d.fileName)}-${d.sizeBytes}-${Math.round(d.lastModified)}-${d.rowCount}-${fnv1a(schema)}`;
}

/** Error raised when an imported audit file does not match the schema. */
export class AuditImportError extends Error {
  override readonly name = 'AuditImportError';
  constructor(
    message: string,
    readonly issues: string[] = [],
  ) {
    super(message);
  }
}

/**
 * Validate unknown JSON as an audit document, with readable reasons when it is
 * not one. The verdict is returned as stored: readers go through `parseAudit`
 * (core/audit/edits), which recomputes it, because a stored or imported
 * verdict is never trusted.
 */
export function parseAuditDocument(json: unknown): AuditDocument {
  if (typeof json !== 'object' || json === null || Array.isArray(json))
    throw new AuditImportError('This file is not a Sprint Zero audit: it is not a JSON object.');
  const record = json as Record<string, unknown>;
  if (record.format !== AUDIT_FORMAT)
    throw new AuditImportError(
      'This file is not a Sprint Zero audit: its “format” field is missing or different.',
    );
  if (typeof record.version === 'number' && record.version > AUDIT_VERSION)
    throw new AuditImportError(
      `This audit was written by a newer Sprint Zero (version ${record.version}); this app reads version ${AUDIT_VERSION}.`,
    );
  const result = AuditDocumentSchema.safeParse(json);
  if (!result.success) {
    const issues = result.error.issues
      .slice(0, 8)
      .map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`);
    throw new AuditImportError(
      `This audit file is damaged or incomplete (${result.error.issues.length} problem${result.error.issues.length > 1 ? 's' : ''}).`,
      issues,
    );
  }
  return result.data;
}

/** The current instant as an ISO timestamp, for waivers, notes and saves. */
export function nowIso(): string {
  return new Date().toISOString();
}

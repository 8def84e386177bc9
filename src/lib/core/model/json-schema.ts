import { z } from 'zod';
import { AuditDocumentSchema } from './audit';

/** The published JSON Schema of the audit document, derived from the zod schema (the one source of truth). */
export function auditJsonSchema(): Record<string, unknown> {
  return {
    $id: 'https://sprint-zero.local/schema/audit.schema.json',
    title: 'Sprint Zero audit document',
    ...z.toJSONSchema(AuditDocumentSchema, { io: 'input', unrepresentable: 'any' }),
  };
}

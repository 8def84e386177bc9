import { z } from 'zod';
import { ProjectContextSchema, type AuditDocument } from '../model/audit';
import { DeliverableSchema } from '../model/deliverable';

/**
 * The non-data sections of an audit as one JSON file, for the CLI's
 * `--context context.json`: the project context (decision, target
 * definition, prediction point…) and the sprint-0 deliverable (constraints,
 * system and team maps, plan edits, timeline, cost, sign-off), with the same
 * schema as the audit document's fields.
 */
/** The context's fields, each optional and without its default, so a file sets only what it names. */
const PartialContextSchema = z
  .object(
    Object.fromEntries(
      Object.entries(ProjectContextSchema.shape).map(([key, schema]) => [
        key,
        (schema instanceof z.ZodDefault ? (schema.unwrap() as z.ZodType) : (schema as z.ZodType)).optional(),
      ]),
    ),
  )
  .strict() as unknown as z.ZodType<Partial<AuditDocument['context']>>;

export const ContextFileSchema = z
  .object({
    name: z.string().min(1).max(200).optional(),
    context: PartialContextSchema.optional(),
    deliverable: DeliverableSchema.optional(),
  })
  .strict();
export type ContextFile = z.infer<typeof ContextFileSchema>;

/** A context file that does not follow the schema; the message lists where. */
export class ContextFileError extends Error {
  override readonly name = 'ContextFileError';
}

/** Parse a context file's text, with readable reasons when it does not follow the schema. */
export function parseContextFile(text: string): ContextFile {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    throw new ContextFileError('the context file is not JSON.');
  }
  const result = ContextFileSchema.safeParse(json);
  if (!result.success)
    throw new ContextFileError(
      `the context file does not follow the schema: ${result.error.issues
        .slice(0, 6)
        .map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`)
        .join('; ')}.`,
    );
  return result.data;
}

/** The audit with the context file's sections applied: given context fields replace, a given deliverable replaces. */
export function applyContextFile(audit: AuditDocument, file: ContextFile): AuditDocument {
  const context = { ...audit.context };
  for (const [key, value] of Object.entries(file.context ?? {}))
    if (value !== undefined) (context as Record<string, unknown>)[key] = value;
  return {
    ...audit,
    ...(file.name ? { name: file.name } : {}),
    context,
    ...(file.deliverable ? { deliverable: file.deliverable } : {}),
  };
}

import { z } from 'zod';

/**
 * Related tables (issue 22): the keys that join a client's extracts, the
 * relations the user accepted, and what each relation's checks measured in
 * SQL. Counts only: no key value is stored here (examples live in the
 * findings' details, where redaction reads them by column).
 */

const num = z.number().nullable();
const shortText = z.string().max(10_000);
const text = z.string().max(200_000);
const list = <T extends z.ZodType>(item: T, max = 10_000) => z.array(item).max(max);

/** One end of a relation: a dataset (by id) and one of its columns. */
export const RelationEndSchema = z.object({ dataset: shortText, column: shortText });

/** A child column whose values point at a parent key, e.g. subscriptions.customer_id → customers.id. */
export const RelationLinkSchema = z.object({ child: RelationEndSchema, parent: RelationEndSchema });

/** An accepted relation: `user` when named (CLI `--relation`, or drawn by hand), `suggested` when a suggestion was accepted. */
export const AcceptedRelationSchema = RelationLinkSchema.extend({
  origin: z.enum(['user', 'suggested']),
});

/** What discovery measured for a candidate foreign key, in SQL on distinct values. */
export const RelationSuggestionSchema = RelationLinkSchema.extend({
  /** Share of the child's distinct non-null values found among the parent's (an inclusion dependency). */
  containment: z.number(),
  /** Distinct values over non-null rows of the parent column (1: a key). */
  parentUniqueness: z.number(),
  /** Distinct non-null values of the child column. */
  childKeys: z.number(),
  /** The names agree (`customer_id` ↔ `customers.id`, or the same name). */
  nameMatch: z.boolean(),
  /** The two columns' types differ: values were compared as normalised text. */
  comparedAsText: z.boolean(),
  /** One sentence a consultant reads: why this is suggested. */
  reason: text,
});

export const CARDINALITIES = ['1:1', '1:n', 'n:1', 'n:m'] as const;
export const CardinalitySchema = z.enum(CARDINALITIES);

export const FORMAT_MISMATCH_KINDS = ['leading-zeros', 'case', 'whitespace'] as const;

/** Rows of a child dated after their parent's event time: features built from them leak the future. */
export const PointInTimeSchema = z.object({
  parentTime: shortText,
  childTime: shortText,
  /** Child rows that join a parent and carry both times. */
  timedRows: z.number(),
  rowsAfterParentTime: z.number(),
  /** rowsAfterParentTime / timedRows (0 when no row is timed). */
  share: z.number(),
  /** Copyable SQL: the child rows known at prediction time (an as-of join). */
  asOfSql: text,
});

/** What one accepted relation's checks measured. Shares are fractions (0–1). */
export const RelationResultSchema = RelationLinkSchema.extend({
  /** The two columns' types differ: keys were compared as text (and said so). */
  comparedAsText: z.boolean(),
  childRows: z.number(),
  parentRows: z.number(),
  /** Distinct non-null keys on each side. */
  childKeys: z.number(),
  parentKeys: z.number(),
  /** Distinct child keys with no parent, their share of childKeys, and the child rows they cover. */
  orphanKeys: z.number(),
  orphanKeyShare: z.number(),
  orphanRows: z.number(),
  /** Child rows whose key is null, apart from the orphans; their share of childRows. */
  nullKeys: z.number(),
  nullKeyShare: z.number(),
  /** Parent keys that appear on more than one parent row, and the rows carrying them. */
  duplicateParentKeys: z.number(),
  duplicateParentRows: z.number(),
  /** Parent keys no child row points at, and their share of parentKeys. */
  childlessParents: z.number(),
  childlessParentShare: z.number(),
  /** parent side : child side ("1" when that side's key is unique). */
  cardinality: CardinalitySchema,
  /** Child rows per parent key that has children. */
  fanout: z.object({ mean: num, p95: num, max: num }),
  /** Parent rows, and rows after the parent LEFT JOIN the child on the key. */
  rowsBeforeJoin: z.number(),
  rowsAfterJoin: z.number(),
  /** Orphan keys that match a parent once trimmed, lower-cased and stripped of leading zeros; which of those differences occur. */
  formatMismatch: z.object({
    keys: z.number(),
    kinds: list(z.enum(FORMAT_MISMATCH_KINDS), 3),
  }),
  /** Top level, as the CLI JSON promises; null when no point-in-time check ran. */
  rowsAfterParentTime: num,
  /** Null when the parent has no event time or the child no time column. */
  pointInTime: PointInTimeSchema.nullable(),
  /** The SELECT that reproduces these counts. */
  sql: text,
});

/** The join path from a dataset to the label's table, through accepted relations. */
export const JoinPathSchema = z.object({
  dataset: shortText,
  /** Dataset ids from this one to the label's table, both included; empty when it can't reach it. */
  path: list(shortText, 200),
});

/** Relations across the audit's datasets: decisions (accepted, dismissed), discovery, and measurements. */
export const RelationsStateSchema = z.object({
  accepted: list(AcceptedRelationSchema, 1_000).default([]),
  /** Suggestions the user dismissed: not suggested again. */
  dismissed: list(RelationLinkSchema, 1_000).default([]),
  suggestions: list(RelationSuggestionSchema, 1_000).default([]),
  /** Whether discovery ran (false with the CLI's --no-suggest). */
  discovery: z.enum(['ran', 'off', 'not-run']).default('not-run'),
  computedAt: shortText.optional(),
  durationMs: z.number().optional(),
});

export type RelationEnd = z.infer<typeof RelationEndSchema>;
export type RelationLink = z.infer<typeof RelationLinkSchema>;
export type AcceptedRelation = z.infer<typeof AcceptedRelationSchema>;
export type RelationSuggestion = z.infer<typeof RelationSuggestionSchema>;
export type Cardinality = z.infer<typeof CardinalitySchema>;
export type FormatMismatchKind = (typeof FORMAT_MISMATCH_KINDS)[number];
export type PointInTime = z.infer<typeof PointInTimeSchema>;
export type RelationResult = z.infer<typeof RelationResultSchema>;
export type JoinPath = z.infer<typeof JoinPathSchema>;
export type RelationsState = z.infer<typeof RelationsStateSchema>;

/** Whether two links name the same child and parent columns. */
export function sameLink(a: RelationLink, b: RelationLink): boolean {
  return (
    a.child.dataset === b.child.dataset &&
    a.child.column === b.child.column &&
    a.parent.dataset === b.parent.dataset &&
    a.parent.column === b.parent.column
  );
}

import type { AuditDocument } from '../model/audit';
import { resolveDeliverable, type ResolvedDeliverable } from './prefill';
import { DeliverableSchema, type WorkItemEdit } from '../model/deliverable';

/**
 * Edits of the deliverable as pure functions of the document, for the
 * session's `edit` (which saves). The first edit stores every section with
 * its defaults and the sources pre-filled from the data, so what the
 * consultant saw is what gets saved. The result is validated by the schema,
 * so an edit can never save an out-of-bounds value.
 */
export function updateDeliverable(
  audit: AuditDocument,
  change: (d: ResolvedDeliverable) => ResolvedDeliverable,
): AuditDocument {
  // A deep copy through JSON: the document may be a reactive proxy, which structuredClone refuses.
  const next = change(JSON.parse(JSON.stringify(resolveDeliverable(audit))) as ResolvedDeliverable);
  const parsed = DeliverableSchema.safeParse(next);
  if (!parsed.success) return audit;
  return { ...audit, deliverable: parsed.data };
}

/** Set (or clear, with an empty patch) the consultant's edit of one generated work item. */
export function editWorkItem(
  audit: AuditDocument,
  findingId: string,
  patch: Omit<WorkItemEdit, 'findingId'>,
): AuditDocument {
  return updateDeliverable(audit, (d) => {
    const others = d.workPlan.edits.filter((e) => e.findingId !== findingId);
    const previous = d.workPlan.edits.find((e) => e.findingId === findingId);
    const merged = { ...previous, ...patch, findingId };
    return { ...d, workPlan: { ...d.workPlan, edits: [...others, merged] } };
  });
}

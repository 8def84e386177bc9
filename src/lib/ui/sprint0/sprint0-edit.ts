import type { ResolvedDeliverable, WorkItemEdit } from '../../core/deliverable';

/** Apply one edit to the deliverable; the view saves it at once through the session (autosave). */
export type ChangeDeliverable = (edit: (d: ResolvedDeliverable) => ResolvedDeliverable) => void;

/** Set (or clear) the consultant's edit of one generated work item. */
export type EditWorkItem = (findingId: string, patch: Omit<WorkItemEdit, 'findingId'>) => void;

/** A number input's value, or null when it is empty. */
export function num(value: string): number | null {
  return value.trim() === '' ? null : Number(value);
}

/** The value when it is one of the options, else the fallback (a select's value is any string). */
export function pick<T extends string>(options: readonly T[], value: string, fallback: T): T {
  return (options as readonly string[]).includes(value) ? (value as T) : fallback;
}

/** A kebab-case option key as words: `real-time` → `Real time`. */
export function label(value: string): string {
  return value.replace(/-/g, ' ').replace(/^./, (c) => c.toUpperCase());
}

/** The list with the item at `index` patched. */
export function patchAt<T extends object>(list: readonly T[], index: number, patch: Partial<T>): T[] {
  return list.map((item, j) => (j === index ? { ...item, ...patch } : item));
}

/** The list without the item at `index`. */
export function removeAt<T>(list: readonly T[], index: number): T[] {
  return list.filter((_, j) => j !== index);
}

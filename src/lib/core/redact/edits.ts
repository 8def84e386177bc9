import type { AuditDocument } from '../audit/schema';

/**
 * Mark or unmark a column as personal data, beside the columns the profile
 * detects. Its values are masked in every export and in the saved audit.
 */
export function markPersonal(
  audit: AuditDocument,
  datasetId: string,
  column: string,
  personal: boolean,
): AuditDocument {
  const current = audit.personalColumns?.[datasetId] ?? [];
  const next = personal
    ? current.includes(column)
      ? current
      : [...current, column]
    : current.filter((c) => c !== column);
  if (next === current) return audit;
  return { ...audit, personalColumns: { ...audit.personalColumns, [datasetId]: next } };
}

/**
 * Keep personal values in the saved audit (an explicit opt-in), or mask them
 * again. Values masked earlier stay masked until the data file is loaded again.
 */
export function keepPersonalValues(audit: AuditDocument, keep: boolean): AuditDocument {
  if ((audit.storePersonalValues ?? false) === keep) return audit;
  return { ...audit, storePersonalValues: keep };
}

import type { AuditDocument } from '../model/audit';

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
  const marked = { ...audit, personalColumns: { ...audit.personalColumns, [datasetId]: next } };
  const notPersonal = audit.notPersonalColumns?.[datasetId];
  if (!personal || !notPersonal?.includes(column)) return marked;
  return {
    ...marked,
    notPersonalColumns: { ...audit.notPersonalColumns, [datasetId]: notPersonal.filter((c) => c !== column) },
  };
}

/**
 * Keep personal values in the saved audit (an explicit opt-in), or mask them
 * again. Values masked earlier stay masked until the data file is loaded again.
 */
export function keepPersonalValues(audit: AuditDocument, keep: boolean): AuditDocument {
  if ((audit.storePersonalValues ?? false) === keep) return audit;
  return { ...audit, storePersonalValues: keep };
}

/**
 * Say a column is not personal data (or take that back): detection and naming
 * no longer mask it, in any dataset of the audit. A column the user marks as
 * personal is no longer "not personal", and the other way round.
 */
export function markNotPersonal(
  audit: AuditDocument,
  datasetId: string,
  column: string,
  notPersonal: boolean,
): AuditDocument {
  const current = audit.notPersonalColumns?.[datasetId] ?? [];
  const next = notPersonal
    ? current.includes(column)
      ? current
      : [...current, column]
    : current.filter((c) => c !== column);
  const base = notPersonal ? markPersonal(audit, datasetId, column, false) : audit;
  if (next === current) return base;
  return { ...base, notPersonalColumns: { ...base.notPersonalColumns, [datasetId]: next } };
}

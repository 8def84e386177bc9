import type { AuditDocument } from '../../core/model/audit';
import { markNotPersonal, markPersonal, personalColumns, type PersonalColumn } from '../../core/redact';

/** Where a column stands on personal data, as the editor shows it. */
export interface PersonalState {
  personal: boolean;
  /** `detected`, `name` or `marked` while personal; `not-personal` when the user overrode detection. */
  reason: PersonalColumn['reason'] | 'not-personal' | undefined;
  /** What detection alone says (for a column the user overrode): `detected` or `name`. */
  detectedAs: 'detected' | 'name' | undefined;
  kinds: string[];
}

const has = (record: Record<string, string[]> | undefined, column: string): boolean =>
  Object.values(record ?? {}).some((columns) => columns.includes(column));

/**
 * Each column's personal-data state in each dataset, keyed `datasetId\u0000column`:
 * what the redactor masks, and why; a column the user said is not personal
 * keeps what detection would say, so the editor can show what was overridden.
 */
export function personalStates(audit: AuditDocument): Map<string, PersonalState> {
  const key = (datasetId: string, column: string): string => `${datasetId}\u0000${column}`;
  const masked = new Map(personalColumns(audit).map((c) => [key(c.datasetId, c.column), c]));
  const anyOverride = Object.values(audit.notPersonalColumns ?? {}).some((columns) => columns.length > 0);
  const overridden = !anyOverride
    ? undefined
    : new Map(
        personalColumns({ ...audit, notPersonalColumns: {}, personalColumns: {} }).map((c) => [
          key(c.datasetId, c.column),
          c,
        ]),
      );
  const out = new Map<string, PersonalState>();
  for (const dataset of audit.datasets)
    for (const { name } of dataset.columns) {
      const k = key(dataset.id, name);
      const hit = masked.get(k);
      const detected = overridden?.get(k);
      const detectedAs = detected && detected.reason !== 'marked' ? detected.reason : undefined;
      out.set(
        k,
        hit
          ? { personal: true, reason: hit.reason, detectedAs, kinds: hit.kinds }
          : {
              personal: false,
              reason: has(audit.notPersonalColumns, name) ? 'not-personal' : undefined,
              detectedAs,
              kinds: detected?.kinds ?? [],
            },
      );
    }
  return out;
}

/**
 * Say whether a column holds personal data, whatever made it personal or
 * not before. A column is personal or not by name across the audit's
 * datasets (a reference file's `email` is the current file's `email`), so the
 * choice applies to every dataset that has it: marking it personal clears a
 * "not personal" anywhere, and marking it not personal overrides detection
 * and clears the user's marks. The saved audit is re-masked on the save that
 * follows (profiles, findings, drift, metric plan and contract alike).
 */
export function setColumnPersonal(
  audit: AuditDocument,
  column: string,
  personal: boolean,
  datasetId: string,
): AuditDocument {
  const holders = audit.datasets.filter((d) => d.columns.some((c) => c.name === column)).map((d) => d.id);
  let next = audit;
  if (personal) {
    for (const id of holders) next = markNotPersonal(next, id, column, false);
    const stillMasked = personalColumns(next).some((c) => c.column === column);
    return stillMasked ? next : markPersonal(next, datasetId, column, true);
  }
  for (const id of holders) next = markPersonal(next, id, column, false);
  const stillMasked = personalColumns(next).some((c) => c.column === column);
  return stillMasked ? markNotPersonal(next, datasetId, column, true) : next;
}

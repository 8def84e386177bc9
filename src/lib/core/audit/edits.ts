import { allFindings } from '../deliverable/findings';
import { verdictFor } from '../readiness/verdict';
import type {
  AuditDocument,
  ColumnRoles,
  DatasetRef,
  Finding,
  ProjectContext,
  Verdict,
} from '../model/audit';
import { parseAuditDocument } from '../model/document';
import { readinessBand } from '../feasibility/band';

/**
 * Every change a user makes to an audit document, as pure functions: each
 * takes a document and returns a new one, never touching the input. The
 * session applies them and saves the result; the UI and the CLI never edit a
 * document by hand. Each edit leaves the verdict derived from the findings and
 * waivers it ends with, so a stored verdict can never disagree with them.
 */

/** Roles with nothing assigned. */
export const NO_ROLES: ColumnRoles = { segments: [], excluded: [] };

/**
 * The dataset the readiness checks run on: the one the user chose, or the
 * first dataset added. The one place this rule is written.
 */
export function primaryDatasetId(
  audit: Pick<AuditDocument, 'datasets' | 'primaryDatasetId'>,
): string | undefined {
  const chosen = audit.primaryDatasetId;
  if (chosen !== undefined && audit.datasets.some((d) => d.id === chosen)) return chosen;
  return audit.datasets[0]?.id;
}

/** The primary dataset itself (see `primaryDatasetId`). */
export function primaryDataset(
  audit: Pick<AuditDocument, 'datasets' | 'primaryDatasetId'>,
): DatasetRef | undefined {
  const id = primaryDatasetId(audit);
  return audit.datasets.find((d) => d.id === id);
}

/** A dataset's roles, or empty ones when none were set. */
export function rolesOf(audit: Pick<AuditDocument, 'roles'>, datasetId: string | undefined): ColumnRoles {
  return (datasetId ? audit.roles[datasetId] : undefined) ?? NO_ROLES;
}

/**
 * Every finding the verdict judges: the stored ones (readiness, metric plan,
 * drift) and those derived from the deliverable (integration, team).
 */
export function auditFindings(audit: Pick<AuditDocument, 'findings' | 'deliverable'>): Finding[] {
  return allFindings(audit);
}

/**
 * The verdict of a document, always recomputed from all its findings and
 * waivers by the documented rule; a verdict stored in the document (or claimed
 * by an imported file) is only read as "the checks have run" (`ran`).
 * Undefined while the audit has never run and nothing else has raised a
 * finding. The one place the verdict is derived: every screen, export, exit
 * code and stored document takes it from here.
 */
export function auditVerdict(
  audit: Pick<AuditDocument, 'findings' | 'waivers' | 'verdict' | 'deliverable'>,
  ran: boolean = audit.verdict !== undefined,
): Verdict | undefined {
  const findings = auditFindings(audit);
  if (findings.length === 0 && !ran) return undefined;
  return verdictFor(findings, audit.waivers);
}

/** The document with its verdict recomputed (see `auditVerdict`); `ran` says the checks have run. */
export function withDerivedVerdict(
  audit: AuditDocument,
  ran: boolean = audit.verdict !== undefined,
): AuditDocument {
  const { verdict: _stored, ...rest } = audit;
  const verdict = auditVerdict(audit, ran);
  return withBand(verdict ? { ...rest, verdict } : rest);
}

/** The feasibility band derived again from the findings and verdict it ends with (core/feasibility/band). */
function withBand(audit: AuditDocument): AuditDocument {
  if (!audit.feasibility) return audit;
  const { band, reason } = readinessBand(audit, rolesOf(audit, primaryDatasetId(audit)).target);
  if (audit.feasibility.band === band && audit.feasibility.bandReason === reason) return audit;
  return { ...audit, feasibility: { ...audit.feasibility, band, bandReason: reason } };
}

/**
 * The document with the findings one analysis owns (`owned`) replaced by
 * `fresh`, after the others, and the verdict derived: how the metric plan and
 * drift store their findings.
 */
export function withReplacedFindings(
  audit: AuditDocument,
  owned: (finding: Finding) => boolean,
  fresh: readonly Finding[],
): AuditDocument {
  return withDerivedVerdict({ ...audit, findings: [...audit.findings.filter((f) => !owned(f)), ...fresh] });
}

/**
 * Unknown JSON (an imported file, a stored record) as an audit document, its
 * verdict recomputed: a stored or imported verdict is never trusted. Throws
 * `AuditImportError` with readable reasons when it is not one.
 */
export function parseAudit(json: unknown): AuditDocument {
  return withDerivedVerdict(parseAuditDocument(json));
}

/** The document after a readiness run: its findings replace the old ones and the verdict follows (the checks ran). */
export function withFindings(audit: AuditDocument, findings: AuditDocument['findings']): AuditDocument {
  return withDerivedVerdict({ ...audit, findings }, true);
}

/** Waive a finding with a reason (trimmed); the verdict ignores waived findings. An empty reason changes nothing. */
export function waive(audit: AuditDocument, findingId: string, reason: string, at: string): AuditDocument {
  const text = reason.trim();
  if (text === '') return audit;
  const waivers = [
    ...audit.waivers.filter((w) => w.findingId !== findingId),
    { findingId, reason: text, at },
  ];
  return withDerivedVerdict({ ...audit, waivers });
}

/** Remove the waiver of a finding, if any. */
export function unwaive(audit: AuditDocument, findingId: string): AuditDocument {
  return withDerivedVerdict({ ...audit, waivers: audit.waivers.filter((w) => w.findingId !== findingId) });
}

/** Attach a note to a finding: one note per finding, and an empty text removes it. */
export function note(audit: AuditDocument, findingId: string, text: string, at: string): AuditDocument {
  const others = audit.notes.filter((n) => n.findingId !== findingId);
  const trimmed = text.trim();
  return { ...audit, notes: trimmed === '' ? others : [...others, { findingId, text: trimmed, at }] };
}

/** Rename the audit; a blank name changes nothing. */
export function rename(audit: AuditDocument, name: string): AuditDocument {
  const trimmed = name.trim();
  return trimmed === '' ? audit : { ...audit, name: trimmed };
}

/** Set a dataset's column roles. Findings stay until the affected checks re-run. */
export function setRoles(audit: AuditDocument, datasetId: string, roles: ColumnRoles): AuditDocument {
  return { ...audit, roles: { ...audit.roles, [datasetId]: roles } };
}

/** Change part of the project context (as-of date, task…). */
export function setContext(audit: AuditDocument, patch: Partial<ProjectContext>): AuditDocument {
  return { ...audit, context: { ...audit.context, ...patch } };
}

/**
 * Make a dataset the one the readiness checks run on. The findings belonged to
 * the previous primary dataset, so they and the verdict are cleared until the
 * checks run again. Unknown ids and the current primary change nothing.
 */
export function setPrimary(audit: AuditDocument, datasetId: string): AuditDocument {
  if (!audit.datasets.some((d) => d.id === datasetId) || primaryDatasetId(audit) === datasetId) return audit;
  const { verdict: _old, ...rest } = audit;
  return { ...rest, primaryDatasetId: datasetId, findings: [] };
}

/**
 * Remove a dataset with its profile, roles and findings. When it was the
 * primary one, the next dataset becomes primary.
 */
export function removeDataset(audit: AuditDocument, datasetId: string): AuditDocument {
  const datasets = audit.datasets.filter((d) => d.id !== datasetId);
  const profiles = { ...audit.profiles };
  delete profiles[datasetId];
  const roles = { ...audit.roles };
  delete roles[datasetId];
  const findings = audit.findings.filter((f) => f.datasetId !== datasetId);
  const { primaryDatasetId: _chosen, verdict: _verdict, ...rest } = audit;
  const primary = primaryDatasetId({ datasets, primaryDatasetId: audit.primaryDatasetId });
  // A relation naming the removed dataset would dangle in every export: it goes with it.
  const names = (l: { child: { dataset: string }; parent: { dataset: string } }): boolean =>
    l.child.dataset === datasetId || l.parent.dataset === datasetId;
  const state = audit.relationState;
  const next: AuditDocument = {
    ...rest,
    datasets,
    profiles,
    roles,
    findings,
    ...(state
      ? {
          relationState: {
            ...state,
            accepted: state.accepted.filter((l) => !names(l)),
            dismissed: state.dismissed.filter((l) => !names(l)),
            suggestions: state.suggestions.filter((l) => !names(l)),
          },
        }
      : {}),
    ...(audit.relations ? { relations: audit.relations.filter((r) => !names(r)) } : {}),
    ...(primary === undefined ? {} : { primaryDatasetId: primary }),
  };
  // Findings describe the primary dataset: a new primary one has not been checked yet.
  if (primary !== primaryDatasetId(audit)) return { ...next, findings: [] };
  return audit.verdict ? withDerivedVerdict({ ...next, verdict: audit.verdict }) : next;
}

/** Attach a loaded dataset, replacing an earlier load of the same file; the first dataset becomes primary. */
export function withDataset(audit: AuditDocument, dataset: DatasetRef): AuditDocument {
  const others = audit.datasets.filter((d) => d.id !== dataset.id);
  return { ...audit, datasets: [...others, dataset], primaryDatasetId: audit.primaryDatasetId ?? dataset.id };
}

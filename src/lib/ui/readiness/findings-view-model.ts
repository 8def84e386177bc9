import {
  AREAS,
  SEVERITIES,
  type Area,
  type AuditDocument,
  type Finding,
  type Note,
  type Severity,
  type Verdict,
  type Waiver,
} from '../../core/model/audit';
import { READINESS_CHECKS } from '../../core/readiness/registry';
import { auditFindings, auditVerdict } from '../../core/audit/edits';
import { evidenceLabel, formatEvidence } from '../../core/deliverable/presentation';
import { formatCell, formatCount, formatNumber, formatShare } from '../../core/format';

export { AREA_LABELS } from '../../core/readiness/area-labels';
import { AREA_LABELS } from '../../core/readiness/area-labels';

export const SEVERITY_LABELS: Record<Severity, string> = {
  blocker: 'Blocker',
  major: 'Major',
  minor: 'Minor',
  info: 'Info',
};

/** A finding with what the user attached to it. */
export interface FindingView {
  finding: Finding;
  waiver: Waiver | undefined;
  note: Note | undefined;
}

export interface SeverityGroup {
  severity: Severity;
  items: FindingView[];
}

export interface AreaGroup {
  area: Area;
  label: string;
  count: number;
  severities: SeverityGroup[];
}

export interface FindingFilter {
  severities: readonly Severity[];
  hideWaived: boolean;
}

export const ALL_FINDINGS: FindingFilter = { severities: SEVERITIES, hideWaived: false };

/**
 * The verdict for what is on screen, derived by the documented rule from the
 * findings and waivers. Undefined while the audit has never run.
 */
export function currentVerdict(audit: AuditDocument): Verdict | undefined {
  return auditVerdict(audit);
}

const CHECK_ORDER = new Map<string, number>(READINESS_CHECKS.map((c, i) => [c.id, i]));

function compareFindings(a: Finding, b: Finding): number {
  return (
    SEVERITIES.indexOf(a.severity) - SEVERITIES.indexOf(b.severity) ||
    (CHECK_ORDER.get(a.check) ?? Number.MAX_SAFE_INTEGER) -
      (CHECK_ORDER.get(b.check) ?? Number.MAX_SAFE_INTEGER) ||
    a.title.localeCompare(b.title)
  );
}

/** Findings joined with their waiver and note. */
export function findingViews(
  audit: Pick<AuditDocument, 'findings' | 'waivers' | 'notes' | 'deliverable'>,
): FindingView[] {
  const waivers = new Map(audit.waivers.map((w) => [w.findingId, w]));
  const notes = new Map(audit.notes.map((n) => [n.findingId, n]));
  // Integration and team findings come from the deliverable; the verdict counts them, so they are listed too.
  return auditFindings(audit).map((finding) => ({
    finding,
    waiver: waivers.get(finding.id),
    note: notes.get(finding.id),
  }));
}

/** Keep the findings whose severity is selected, and drop waived ones if asked. */
export function filterFindings(items: readonly FindingView[], filter: FindingFilter): FindingView[] {
  const severities = new Set(filter.severities);
  return items.filter((v) => severities.has(v.finding.severity) && !(filter.hideWaived && v.waiver));
}

/**
 * Findings grouped by area (in the spec's order) and, inside an area, by
 * severity (blocker first). Areas and severities without findings are left out.
 * Inside a severity, findings follow the check registry's order, then title.
 */
export function groupFindings(
  items: readonly FindingView[],
  filter: FindingFilter = ALL_FINDINGS,
): AreaGroup[] {
  const shown = filterFindings(items, filter);
  return AREAS.flatMap((area) => {
    const inArea = shown
      .filter((v) => v.finding.area === area)
      .sort((a, b) => compareFindings(a.finding, b.finding));
    if (inArea.length === 0) return [];
    const severities = SEVERITIES.flatMap((severity) => {
      const group = inArea.filter((v) => v.finding.severity === severity);
      return group.length > 0 ? [{ severity, items: group }] : [];
    });
    return [{ area, label: AREA_LABELS[area], count: inArea.length, severities }];
  });
}

export interface SeverityCount {
  severity: Severity;
  label: string;
  open: number;
  waived: number;
}

/** Open and waived findings per severity, for the filter controls. */
export function severityCounts(items: readonly FindingView[]): SeverityCount[] {
  return SEVERITIES.map((severity) => {
    const all = items.filter((v) => v.finding.severity === severity);
    const waived = all.filter((v) => v.waiver).length;
    return { severity, label: SEVERITY_LABELS[severity], open: all.length - waived, waived };
  });
}

export interface AreaSummaryRow {
  area: Area;
  label: string;
  blocker: number;
  major: number;
  minor: number;
  info: number;
  waived: number;
  total: number;
}

/** The verdict's per-area counts with labels, plus a final "All areas" row. */
export function areaSummary(verdict: Verdict): { rows: AreaSummaryRow[]; total: AreaSummaryRow } {
  const rows = AREAS.map((area) => {
    const c = verdict.byArea.find((x) => x.area === area) ?? {
      blocker: 0,
      major: 0,
      minor: 0,
      info: 0,
      waived: 0,
    };
    const total = c.blocker + c.major + c.minor + c.info + c.waived;
    return {
      area,
      label: AREA_LABELS[area],
      blocker: c.blocker,
      major: c.major,
      minor: c.minor,
      info: c.info,
      waived: c.waived,
      total,
    };
  });
  const sum = (k: 'blocker' | 'major' | 'minor' | 'info' | 'waived' | 'total'): number =>
    rows.reduce((a, r) => a + r[k], 0);
  const total: AreaSummaryRow = {
    area: 'volume',
    label: 'All areas',
    blocker: sum('blocker'),
    major: sum('major'),
    minor: sum('minor'),
    info: sum('info'),
    waived: sum('waived'),
    total: sum('total'),
  };
  return { rows, total };
}

export interface OpenIssue {
  id: string;
  severity: Severity;
  area: Area;
  title: string;
}

/** The verdict's open blockers, then open majors, as titled items; ids without a finding are skipped. */
export function openIssues(verdict: Verdict, findings: readonly Finding[]): OpenIssue[] {
  const byId = new Map(findings.map((f) => [f.id, f]));
  return [...verdict.openBlockers, ...verdict.openMajors].flatMap((id) => {
    const f = byId.get(id);
    return f ? [{ id, severity: f.severity, area: f.area, title: f.title }] : [];
  });
}

/** A DOM id for a finding's card: readable, safe in any selector, and unique per finding id. */
export function findingAnchor(findingId: string): string {
  let hash = 0x811c9dc5;
  for (let i = 0; i < findingId.length; i++) {
    hash ^= findingId.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193) >>> 0;
  }
  const readable = findingId.replace(/[^A-Za-z0-9_-]+/g, '-').slice(0, 60);
  return `finding-${readable}-${hash.toString(36)}`;
}

/** The filter with one severity shown or hidden, keeping the blocker → info order. */
export function withSeverity(filter: FindingFilter, severity: Severity, on: boolean): FindingFilter {
  const severities = SEVERITIES.filter((s) => (s === severity ? on : filter.severities.includes(s)));
  return { ...filter, severities };
}

/** The filter after making sure a finding would be shown by it. */
export function revealIn(filter: FindingFilter, item: FindingView): FindingFilter {
  const severities = filter.severities.includes(item.finding.severity)
    ? filter.severities
    : SEVERITIES.filter((s) => s === item.finding.severity || filter.severities.includes(s));
  return { severities, hideWaived: filter.hideWaived && !item.waiver };
}

// ---- Evidence and details ------------------------------------------------------------------

export interface EvidenceRow {
  key: string;
  label: string;
  /** What is shown. */
  text: string;
  /** What the copy button copies: the raw value, unrounded. */
  copy: string;
}

export { humanizeKey } from '../../core/deliverable/presentation';

/** The evidence of a finding as labelled rows, in the check's order, each in its unit. */
export function evidenceRows(finding: Pick<Finding, 'check' | 'evidence'>): EvidenceRow[] {
  return Object.entries(finding.evidence).map(([key, value]) => ({
    key,
    label: evidenceLabel(finding.check, key),
    text: formatEvidence(finding, key, value),
    copy: value === null ? '' : String(value),
  }));
}

export interface DetailTable {
  columns: string[];
  rows: string[][];
  /** Rows not shown because of the limit. */
  hidden: number;
}

const SHARE_COLUMN = /(^|_)(share|rate)$/i;
// Counts get separators; other integers (IDs, years, codes of the data) stay as written.
const COUNT_COLUMN = /(^|_)(rows|count|n|total|groups|pairs|positives|labelled|missing|values)$/i;

/**
 * A cell of the rows behind a finding: a share or rate column as a
 * percentage, counts with separators, other measures to four significant
 * digits; IDs, years and text (values of the data, periods) as written.
 */
function detailCell(value: unknown, column = ''): string {
  if (Array.isArray(value)) return value.map((v) => detailCell(v)).join(', ');
  if (typeof value === 'boolean') return value ? 'yes' : 'no';
  if (value !== null && typeof value === 'object') return JSON.stringify(value);
  if (value === null || value === undefined) return '—';
  if (typeof value === 'number' && Number.isFinite(value)) {
    if (SHARE_COLUMN.test(column) && value >= 0 && value <= 1) return formatShare(value);
    if (Number.isInteger(value)) return COUNT_COLUMN.test(column) ? formatCount(value) : formatCell(value);
    return formatNumber(value, { significant: 4 });
  }
  return formatCell(value);
}

/** A finding's detail rows as a text table: the union of their keys, in first-seen order. */
export function detailTable(
  details: readonly Record<string, unknown>[] | undefined,
  limit = 100,
): DetailTable {
  const rows = details ?? [];
  const columns: string[] = [];
  const seen = new Set<string>();
  for (const row of rows)
    for (const key of Object.keys(row))
      if (!seen.has(key)) {
        seen.add(key);
        columns.push(key);
      }
  const shown = rows.slice(0, Math.max(0, limit));
  return {
    columns,
    rows: shown.map((row) => columns.map((c) => (c in row ? detailCell(row[c], c) : ''))),
    hidden: rows.length - shown.length,
  };
}

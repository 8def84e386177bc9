import { psi } from '../stats/drift';
import { primaryDatasetId } from './edits';
import { resolveDriftThresholds, type DriftThresholds } from '../thresholds';
import type {
  AuditDocument,
  ColumnProfile,
  DatasetProfile,
  DatasetRef,
  Finding,
  Severity,
} from '../model/audit';

/**
 * The re-audit diff: what changed between a saved audit and a new one of the
 * refreshed extract, from the two documents alone (no data needed). Findings
 * are matched by check and key (their id without the dataset id, which
 * differs between the audits); datasets primary with primary, then by id,
 * then file name, then position.
 */

export interface MovedStatistic {
  column: string;
  statistic: 'missing share' | 'mean' | 'standard deviation' | 'top values' | 'type';
  old: number | string | null;
  new: number | string | null;
  /** The measure compared with the threshold (share points, reference stds, ratio, PSI). */
  change: number | null;
  threshold: number | null;
  rule: string;
}

export interface DatasetDiff {
  oldDatasetId: string | null;
  newDatasetId: string | null;
  oldFile: string | null;
  newFile: string | null;
  rows: { old: number | null; new: number | null };
  columnsAdded: string[];
  columnsRemoved: string[];
  moved: MovedStatistic[];
}

export interface SeverityChange {
  key: string;
  title: string;
  area: Finding['area'];
  old: Severity;
  new: Severity;
}

export interface AuditDiff {
  old: { id: string; name: string; updatedAt: string; verdict: string | null };
  new: { id: string; name: string; updatedAt: string; verdict: string | null };
  verdictChanged: boolean;
  datasets: DatasetDiff[];
  findings: {
    new: Finding[];
    resolved: Finding[];
    severityChanged: SeverityChange[];
    unchanged: number;
  };
}

/** A finding's identity across audits: its id with the dataset id taken out. */
export function findingKey(finding: Finding): string {
  const marker = `:${finding.datasetId}:`;
  const at = finding.id.indexOf(marker);
  return at >= 0 ? `${finding.id.slice(0, at)}::${finding.id.slice(at + marker.length)}` : finding.id;
}

/** Pair the datasets of two audits: same id, same file name, the primary datasets, then by position. */
function pairDatasets(a: AuditDocument, b: AuditDocument): [DatasetRef | null, DatasetRef | null][] {
  const left = [...a.datasets];
  const right = [...b.datasets];
  const pairs: [DatasetRef | null, DatasetRef | null][] = [];
  const take = (match: (x: DatasetRef, y: DatasetRef) => boolean): void => {
    for (const x of [...left]) {
      const y = right.find((candidate) => match(x, candidate));
      if (!y) continue;
      pairs.push([x, y]);
      left.splice(left.indexOf(x), 1);
      right.splice(right.indexOf(y), 1);
    }
  };
  // The audited (primary) datasets first: a re-audit of a renamed extract still compares like with like.
  take((x, y) => x.id === primaryDatasetId(a) && y.id === primaryDatasetId(b));
  take((x, y) => x.id === y.id);
  take((x, y) => x.fileName === y.fileName);
  while (left.length && right.length) pairs.push([left.shift()!, right.shift()!]);
  for (const x of left) pairs.push([x, null]);
  for (const y of right) pairs.push([null, y]);
  return pairs;
}

function round(value: number): number {
  return Number(value.toPrecision(6));
}

/** PSI between two top-value lists, with everything else lumped into "other". */
function topValuesPsi(a: ColumnProfile, b: ColumnProfile): number | null {
  const totalA = a.count;
  const totalB = b.count;
  if (!(totalA > 0 && totalB > 0) || a.topK.length === 0) return null;
  const keys = [...new Set([...a.topK, ...b.topK].map((v) => JSON.stringify(v.value)))];
  const countIn = (p: ColumnProfile, key: string): number =>
    p.topK.find((v) => JSON.stringify(v.value) === key)?.count ?? 0;
  const ca = keys.map((k) => countIn(a, k));
  const cb = keys.map((k) => countIn(b, k));
  ca.push(Math.max(0, totalA - ca.reduce((s, x) => s + x, 0)));
  cb.push(Math.max(0, totalB - cb.reduce((s, x) => s + x, 0)));
  return psi(ca, cb);
}

/** Profile statistics of one column that moved beyond their thresholds. */
export function movedStatistics(a: ColumnProfile, b: ColumnProfile, t: DriftThresholds): MovedStatistic[] {
  const moved: MovedStatistic[] = [];
  const column = a.name;
  if (a.type !== b.type || a.family !== b.family)
    moved.push({
      column,
      statistic: 'type',
      old: `${a.type} (${a.family})`,
      new: `${b.type} (${b.family})`,
      change: null,
      threshold: null,
      rule: 'the column type or family changed',
    });
  const rowsA = a.count + a.missing;
  const rowsB = b.count + b.missing;
  if (rowsA > 0 && rowsB > 0) {
    const ma = a.missing / rowsA;
    const mb = b.missing / rowsB;
    if (Math.abs(mb - ma) >= t.missingRateChange)
      moved.push({
        column,
        statistic: 'missing share',
        old: round(ma),
        new: round(mb),
        change: round(mb - ma),
        threshold: t.missingRateChange,
        rule: `missing share changed by ≥ ${t.missingRateChange * 100} points`,
      });
  }
  const na = a.numeric;
  const nb = b.numeric;
  if (na && nb && na.mean !== null && nb.mean !== null && na.std !== null) {
    // |Δmean| is a lower bound of the Wasserstein distance, so this flags no more than Evidently would.
    const shift = Math.abs(nb.mean - na.mean) / Math.max(na.std, 0.001);
    if (shift >= t.wasserstein)
      moved.push({
        column,
        statistic: 'mean',
        old: round(na.mean),
        new: round(nb.mean),
        change: round(shift),
        threshold: t.wasserstein,
        rule: `mean moved by ≥ ${t.wasserstein} old standard deviations`,
      });
    if (nb.std !== null && na.std > 0 && nb.std > 0) {
      const ratio = Math.max(nb.std / na.std, na.std / nb.std);
      if (ratio >= 1 + t.wasserstein * 5)
        moved.push({
          column,
          statistic: 'standard deviation',
          old: round(na.std),
          new: round(nb.std),
          change: round(ratio),
          threshold: 1 + t.wasserstein * 5,
          rule: `standard deviation changed by a factor ≥ ${1 + t.wasserstein * 5}`,
        });
    }
  }
  if (!na || !nb) {
    const value = topValuesPsi(a, b);
    if (value !== null && value >= t.psiModerate)
      moved.push({
        column,
        statistic: 'top values',
        old: a.topK
          .map((v) => `${String(v.value)} (${v.count})`)
          .slice(0, 5)
          .join(', '),
        new: b.topK
          .map((v) => `${String(v.value)} (${v.count})`)
          .slice(0, 5)
          .join(', '),
        change: round(value),
        threshold: t.psiModerate,
        rule: `PSI of the top values (rest lumped) ≥ ${t.psiModerate}`,
      });
  }
  return moved;
}

function datasetDiff(
  a: DatasetRef | null,
  b: DatasetRef | null,
  pa: DatasetProfile | undefined,
  pb: DatasetProfile | undefined,
  t: DriftThresholds,
): DatasetDiff {
  const colsA = a?.columns.map((c) => c.name) ?? [];
  const colsB = b?.columns.map((c) => c.name) ?? [];
  const moved: MovedStatistic[] = [];
  if (pa && pb)
    for (const ca of pa.columns) {
      const cb = pb.columns.find((c) => c.name === ca.name);
      if (cb) moved.push(...movedStatistics(ca, cb, t));
    }
  return {
    oldDatasetId: a?.id ?? null,
    newDatasetId: b?.id ?? null,
    oldFile: a?.fileName ?? null,
    newFile: b?.fileName ?? null,
    rows: { old: a?.rowCount ?? null, new: b?.rowCount ?? null },
    columnsAdded: a && b ? colsB.filter((c) => !colsA.includes(c)) : [],
    columnsRemoved: a && b ? colsA.filter((c) => !colsB.includes(c)) : [],
    moved,
  };
}

/**
 * Compare two audit documents: findings new, resolved or changed in severity;
 * profile statistics that moved beyond the drift thresholds; columns added or
 * removed; the verdict.
 */
export function auditDiff(
  oldDoc: AuditDocument,
  newDoc: AuditDocument,
  thresholds: Partial<DriftThresholds> = {},
): AuditDiff {
  const t = resolveDriftThresholds(thresholds);
  const before = new Map(oldDoc.findings.map((f) => [findingKey(f), f]));
  const after = new Map(newDoc.findings.map((f) => [findingKey(f), f]));
  const severityChanged: SeverityChange[] = [];
  let unchanged = 0;
  for (const [key, f] of after) {
    const old = before.get(key);
    if (!old) continue;
    if (old.severity !== f.severity)
      severityChanged.push({ key, title: f.title, area: f.area, old: old.severity, new: f.severity });
    else unchanged += 1;
  }
  const datasets = pairDatasets(oldDoc, newDoc).map(([a, b]) =>
    datasetDiff(a, b, a ? oldDoc.profiles[a.id] : undefined, b ? newDoc.profiles[b.id] : undefined, t),
  );
  const summary = (d: AuditDocument): AuditDiff['old'] => ({
    id: d.id,
    name: d.name,
    updatedAt: d.updatedAt,
    verdict: d.verdict?.status ?? null,
  });
  return {
    old: summary(oldDoc),
    new: summary(newDoc),
    verdictChanged: (oldDoc.verdict?.status ?? null) !== (newDoc.verdict?.status ?? null),
    datasets,
    findings: {
      new: [...after].filter(([k]) => !before.has(k)).map(([, f]) => f),
      resolved: [...before].filter(([k]) => !after.has(k)).map(([, f]) => f),
      severityChanged,
      unchanged,
    },
  };
}

/** The diff as plain text lines, for the CLI and the Markdown report. */
export function auditDiffLines(diff: AuditDiff): string[] {
  const lines = [
    `Re-audit diff: “${diff.old.name}” (${diff.old.updatedAt}) → “${diff.new.name}” (${diff.new.updatedAt})`,
    `Verdict: ${diff.old.verdict ?? 'none'} → ${diff.new.verdict ?? 'none'}${diff.verdictChanged ? ' (changed)' : ''}`,
    `Findings: ${diff.findings.new.length} new, ${diff.findings.resolved.length} resolved, ${diff.findings.severityChanged.length} changed in severity, ${diff.findings.unchanged} unchanged`,
  ];
  for (const f of diff.findings.new) lines.push(`  + [${f.severity}] ${f.title}`);
  for (const f of diff.findings.resolved) lines.push(`  − [${f.severity}] ${f.title}`);
  for (const c of diff.findings.severityChanged) lines.push(`  ~ [${c.old} → ${c.new}] ${c.title}`);
  for (const d of diff.datasets) {
    lines.push(
      `Dataset ${d.oldFile ?? '(none)'} → ${d.newFile ?? '(none)'}: rows ${d.rows.old ?? '–'} → ${d.rows.new ?? '–'}`,
    );
    if (d.columnsAdded.length) lines.push(`  columns added: ${d.columnsAdded.join(', ')}`);
    if (d.columnsRemoved.length) lines.push(`  columns removed: ${d.columnsRemoved.join(', ')}`);
    for (const m of d.moved)
      lines.push(`  ${m.column}: ${m.statistic} ${String(m.old)} → ${String(m.new)} (${m.rule})`);
  }
  return lines;
}

import { AREAS, SEVERITIES, type Area, type Finding, type Severity } from '../model/audit';
import { formatCount, formatShare } from '../format';
import type { ReadinessSetup, ResultRow } from './types';

type EvidenceValue = Finding['evidence'][string];

/** The stable id of a finding: `${check}:${datasetId}:${key}`, so waivers stay attached across re-runs. */
export function findingId(check: string, datasetId: string, key: string): string {
  return `${check}:${datasetId}:${key}`;
}

export interface FindingSpec {
  severity: Severity;
  /** Distinguishes findings of one check: a column, a source, `summary`… */
  key: string;
  title: string;
  columns: string[];
  evidence: Record<string, unknown>;
  details?: ResultRow[];
  sql: string;
  recommendation: string;
}

/** A finding factory bound to one check, so each check states its id and area once. */
export function finder(setup: ReadinessSetup, check: string, area: Area): (spec: FindingSpec) => Finding {
  const datasetId = setup.input.datasetId;
  return (spec) => ({
    id: findingId(check, datasetId, spec.key),
    check,
    area,
    severity: spec.severity,
    title: spec.title,
    datasetId,
    columns: spec.columns,
    evidence: evidence(spec.evidence),
    ...(spec.details ? { details: spec.details.map(plainRecord) } : {}),
    sql: spec.sql,
    recommendation: spec.recommendation,
  });
}

/** Evidence values must be JSON scalars: non-finite numbers and undefined become null. */
function evidence(values: Record<string, unknown>): Record<string, EvidenceValue> {
  const out: Record<string, EvidenceValue> = {};
  for (const [key, value] of Object.entries(values)) out[key] = scalar(value);
  return out;
}

function scalar(value: unknown): EvidenceValue {
  if (value === null || value === undefined) return null;
  if (typeof value === 'number') return Number.isFinite(value) ? value : null;
  if (typeof value === 'bigint') return Number(value);
  if (typeof value === 'string' || typeof value === 'boolean') return value;
  if (value instanceof Date) return value.toISOString();
  return JSON.stringify(value);
}

/** A result row as JSON-safe values (bigints, dates, non-finite numbers made plain), for a finding's details. */
export function plainRecord(row: ResultRow): ResultRow {
  const out: ResultRow = {};
  for (const [key, value] of Object.entries(row)) out[key] = Array.isArray(value) ? value : scalar(value);
  return out;
}

/** A result cell as a number, or null. */
export function toNumber(value: unknown): number | null {
  if (value === null || value === undefined) return null;
  if (typeof value === 'number') return Number.isFinite(value) ? value : null;
  if (typeof value === 'bigint') return Number(value);
  if (typeof value === 'string' && value.trim() !== '') {
    const n = Number(value);
    return Number.isFinite(n) ? n : null;
  }
  if (typeof value === 'boolean') return value ? 1 : 0;
  return null;
}

/** A result cell as a number, with 0 for null. */
export function count(value: unknown): number {
  return toNumber(value) ?? 0;
}

/** A result cell as text, or null. */
export function toText(value: unknown): string | null {
  if (value === null || value === undefined) return null;
  return typeof value === 'string' ? value : String(value);
}

/** The first row of a result, or an empty row. */
export function first(rows: ResultRow[] | undefined): ResultRow {
  return rows?.[0] ?? {};
}

/** The median of a list (the mean of the two middle values for an even count); null when empty. */
export function median(values: readonly number[]): number | null {
  if (values.length === 0) return null;
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

/** `12,345` (core/format's count, named short for the many titles that use it). */
export function fmtInt(n: number): string {
  return formatCount(n);
}

/** `12.3 %`, `<0.1 %`, `>99.9 %` (core/format's share). */
export function fmtPct(share: number, digits = 1): string {
  return formatShare(share, { digits });
}

/** Round for display in evidence (keeps 4 significant decimals). */
export function round(value: number | null, digits = 4): number | null {
  if (value === null || !Number.isFinite(value)) return null;
  const f = 10 ** digits;
  return Math.round(value * f) / f;
}

/** `“name”` for titles. */
export function q(text: string | null): string {
  return text === null ? '(missing)' : `“${text}”`;
}

const SEVERITY_ORDER = new Map(SEVERITIES.map((s, i) => [s, i]));
const AREA_ORDER = new Map(AREAS.map((a, i) => [a, i]));

/** Findings ordered by severity, then area, then id. */
export function sortFindings(findings: readonly Finding[]): Finding[] {
  return [...findings].sort(
    (a, b) =>
      (SEVERITY_ORDER.get(a.severity) ?? 9) - (SEVERITY_ORDER.get(b.severity) ?? 9) ||
      (AREA_ORDER.get(a.area) ?? 9) - (AREA_ORDER.get(b.area) ?? 9) ||
      a.id.localeCompare(b.id),
  );
}

/**
 * Replace the findings of re-run checks: keeps every earlier finding whose
 * check was not re-run, and adds the fresh ones.
 */
export function mergeFindings(
  previous: readonly Finding[],
  fresh: readonly Finding[],
  rerun: readonly string[],
): Finding[] {
  const replaced = new Set(rerun);
  return sortFindings([...previous.filter((f) => !replaced.has(f.check)), ...fresh]);
}

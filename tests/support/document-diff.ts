import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { AuditDocument, Finding } from '../../src/lib/core/model/audit';
import type { FeasibilityResult } from '../../src/lib/core/model/feasibility';
import { FIXTURES } from './paths';

/** Keys that differ between any two runs (clocks, durations), whatever the engine. */
const VOLATILE = new Set([
  'computedAt',
  'loadedAt',
  'createdAt',
  'updatedAt',
  'at',
  'durationMs',
  'loadMs',
  'ms',
]);

/** The engines sum floats in different orders: numbers agree to this relative difference. */
export const FLOAT_ORDER_TOLERANCE = 1e-9;

/** How far apart two numbers at a path may be, relative to the larger; `FLOAT_ORDER_TOLERANCE` when unsaid. */
export type ToleranceAt = (path: string) => number | undefined;

/**
 * Every path where two values differ: numbers beyond their relative tolerance,
 * anything else exactly. Volatile keys (clocks, durations) are left out.
 */
export function differences(a: unknown, b: unknown, toleranceAt: ToleranceAt = () => undefined): string[] {
  return diff(a, b, '$', toleranceAt);
}

function diff(a: unknown, b: unknown, path: string, toleranceAt: ToleranceAt): string[] {
  if (typeof a === 'number' && typeof b === 'number') {
    if (Number.isNaN(a) && Number.isNaN(b)) return [];
    const tolerance = toleranceAt(path) ?? FLOAT_ORDER_TOLERANCE;
    return Math.abs(a - b) <= tolerance * Math.max(1, Math.abs(a), Math.abs(b))
      ? []
      : [`${path}: ${a} ≠ ${b}`];
  }
  if (Array.isArray(a) && Array.isArray(b)) {
    if (a.length !== b.length) return [`${path}: length ${a.length} ≠ ${b.length}`];
    // Detail rows tied on their ORDER BY key come back in either order, on either engine.
    const [x, y] = path.endsWith('.details') ? [canonical(a), canonical(b)] : [a, b];
    return x.flatMap((v, i) => diff(v, y[i], `${path}[${i}]`, toleranceAt));
  }
  if (a && b && typeof a === 'object' && typeof b === 'object') {
    const keys = new Set([...Object.keys(a), ...Object.keys(b)]);
    return [...keys]
      .filter((k) => !VOLATILE.has(k))
      .flatMap((k) =>
        diff(
          (a as Record<string, unknown>)[k],
          (b as Record<string, unknown>)[k],
          `${path}.${k}`,
          toleranceAt,
        ),
      );
  }
  return Object.is(a, b) ? [] : [`${path}: ${JSON.stringify(a)} ≠ ${JSON.stringify(b)}`];
}

const canonical = (rows: unknown[]): unknown[] =>
  [...rows].sort((p, q) => (JSON.stringify(p) < JSON.stringify(q) ? -1 : 1));

/**
 * Checks whose example rows are picked among rows tied on the sort key: either
 * engine may pick another of the tied rows, so only how many they show is compared.
 */
const TIE_PICKED = new Set(['quality-duplicates', 'leakage-split-duplicates']);

/** A finding or alert about one of `columns` (ids end in `:<column>` or carry it inside). */
const aboutAny = (id: string, columns: readonly string[]): boolean =>
  columns.some((c) => id.includes(`:${c}`));

/**
 * The parts of an audit two engines must agree on: findings, verdict and
 * profiles, without the columns in `skipColumns` (typed apart by the engines)
 * and without the example row of a duplicate, which is one of several tied rows.
 */
export function comparable(audit: AuditDocument, skipColumns: readonly string[]): unknown {
  return {
    findings: audit.findings
      .filter((f) => !aboutAny(f.id, skipColumns))
      .map((f) => withoutValuesOf(f, skipColumns))
      .map((f) =>
        TIE_PICKED.has(f.check)
          ? { ...f, details: f.details?.length, evidence: { ...f.evidence, example: undefined } }
          : f,
      ),
    verdict: audit.verdict?.status,
    profiles: comparableProfiles(audit, skipColumns),
  };
}

/**
 * A finding without the values of `columns` in its rows and examples: a row
 * shown by a check about other columns still holds every column, as each engine types it.
 */
function withoutValuesOf(f: Finding, columns: readonly string[]): Finding {
  if (columns.length === 0) return f;
  const mask = (text: string): string =>
    columns.reduce(
      (t, c) => t.replace(new RegExp(`${escapeRegExp(c)}=("(?:[^"\\\\]|\\\\.)*"|[^,]*)`, 'g'), `${c}=…`),
      text,
    );
  return {
    ...f,
    evidence: Object.fromEntries(
      Object.entries(f.evidence).map(([k, v]) => [k, typeof v === 'string' ? mask(v) : v]),
    ),
    ...(f.details
      ? {
          details: f.details.map((row) =>
            Object.fromEntries(Object.entries(row).filter(([k]) => !columns.includes(k))),
          ),
        }
      : {}),
  };
}

const escapeRegExp = (text: string): string => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/** `comparable`'s profiles part alone. */
export function comparableProfiles(audit: AuditDocument, skipColumns: readonly string[]): unknown {
  return Object.fromEntries(
    Object.entries(audit.profiles).map(([id, p]) => [
      id,
      {
        ...p,
        duplicateExample: undefined,
        columns: p.columns.filter((c) => !skipColumns.includes(c.name)),
        alerts: p.alerts.filter((alert) => !skipColumns.includes(alert.column ?? '')),
      },
    ]),
  );
}

/** Finding ids of an audit, without those about `skipColumns`. */
export function findingIds(audit: AuditDocument, skipColumns: readonly string[]): string[] {
  return audit.findings.map((f) => f.id).filter((id) => !aboutAny(id, skipColumns));
}

/** Column types of an audit's first dataset that differ in `other`, as `name: type → other type`. */
export function typedApart(audit: AuditDocument, other: AuditDocument): Record<string, string> {
  const typesOf = (doc: AuditDocument): Map<string, string> =>
    new Map(doc.datasets[0]!.columns.map((col) => [col.name, col.type]));
  const [ta, tb] = [typesOf(audit), typesOf(other)];
  return Object.fromEntries(
    [...ta]
      .filter(([name, type]) => tb.get(name) !== type)
      .map(([name, type]) => [name, `${type} → ${tb.get(name)}`]),
  );
}

/**
 * The learning curve's fit (Gauss–Newton in TypeScript) turns the curve's
 * last-digit differences between engines into ~1e-7: its parameters agree to this.
 */
export const LEARNING_FIT_TOLERANCE = 1e-6;

/**
 * A feasibility result without the figures each engine draws by its own 64-bit
 * hash (DuckDB's `hash`, ClickHouse's `cityHash64`): the bootstrap intervals, the
 * out-of-fold label noise (folds by hash), the kNN sample, the review sample, the
 * noise shape, and the learning fit (compared at LEARNING_FIT_TOLERANCE). What is
 * left (split, design, every model's held-out AUC, Brier and curves, the learning
 * curve) is computed on the same rows by both engines: equal to FLOAT_ORDER_TOLERANCE.
 */
export function hashFreeFeasibility(result: FeasibilityResult): unknown {
  const { labelNoise: _noise, noiseShape: _shape, learningFit: _fit, ...rest } = result;
  return {
    ...rest,
    baselines: rest.baselines.map(({ prAuc, ...model }) => ({ ...model, prAuc: prAuc?.estimate ?? null })),
  };
}

/** An estimate with its interval (bounds may be missing). */
export interface IntervalEstimate {
  estimate?: number | null;
  lower: number | null;
  upper: number | null;
}

/**
 * Whether two engines' hash-drawn estimates of one quantity agree: each
 * engine's estimate lies inside the other's 95 % interval (a bootstrap of 200
 * replicates on its own resamples).
 */
export function estimatesOverlap(a: IntervalEstimate, b: IntervalEstimate): boolean {
  const inside = (x: IntervalEstimate, y: IntervalEstimate): boolean =>
    Number(x.estimate) >= Number(y.lower) && Number(x.estimate) <= Number(y.upper);
  return inside(a, b) && inside(b, a);
}

/**
 * Whether two engines' kNN label-noise estimates on the demo agree. Each engine's hash draws its
 * own kNN sample, and the bootstrap interval holds that sample fixed, so an honest interval still
 * misses the other engine's estimate about one time in six. They agree when they differ by less
 * than three standard deviations of the difference of two samples' estimates (3·√2·sd), sd being
 * the spread scikit-learn measured over 200 samples of the demo at that sample size
 * (tests/fixtures/feasibility/make_knn_spread_reference.py).
 */
export function knnEstimatesAgree(
  a: IntervalEstimate & { sampleRows: number },
  b: IntervalEstimate & { sampleRows: number },
): boolean {
  const spread = (
    JSON.parse(readFileSync(join(FIXTURES, 'feasibility', 'knn-spread-reference.json'), 'utf8')) as {
      bySampleRows: { sampleRows: number; sd: number }[];
    }
  ).bySampleRows.find((s) => s.sampleRows === a.sampleRows);
  if (!spread || a.sampleRows !== b.sampleRows)
    throw new Error(`No measured spread for kNN samples of ${a.sampleRows} and ${b.sampleRows} rows`);
  return Math.abs(Number(a.estimate) - Number(b.estimate)) < 3 * Math.SQRT2 * spread.sd;
}

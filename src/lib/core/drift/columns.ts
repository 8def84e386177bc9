import { formatCell, formatCount } from '../format';
import {
  binCountsQuery,
  categoryCountsQuery,
  isNumericDriftType,
  numericDriftQuery,
  referenceQuantilesQuery,
  type DriftSide,
} from '../sql/drift';
import type { Row } from '../pipeline/stage';
import { chiSquareDrift, jensenShannon, ksPValue, normalisedWasserstein, psi, shares } from '../stats/drift';
import { wilsonInterval } from '../stats/wilson';
import type { DriftThresholds } from '../thresholds';
import { chooseMethod, crosses, psiLevel, type MethodChoice } from './methods';
import type { ColumnDrift, DatasetDrift, DriftMethod, Rate } from '../model/drift';

/**
 * One column's drift, from the rows of its statements: the numeric column's
 * KS and Wasserstein summary, then its reference deciles, then its PSI bins
 * (each needs the one before); a categorical column's category counts. Pure:
 * `driftAnalysis` (compare.ts) names the statements and the runner runs them.
 */

/** A column offered for comparison, with the profile's family when known. */
export interface DriftColumnInput {
  name: string;
  type: string;
  family?: 'numeric' | 'temporal' | 'categorical' | 'text' | 'boolean' | 'other';
  /** Personal data (detected, marked or named so): never compared, so no value of it lands in the report. */
  personal?: boolean;
}

/** Number from a result cell (BigInt, numeric string or number). */
export function n(value: unknown): number {
  if (typeof value === 'number') return value;
  if (typeof value === 'bigint') return Number(value);
  if (typeof value === 'string' && value.trim() !== '') return Number(value);
  return Number.NaN;
}

export function round(value: number, digits = 6): number {
  return Number.isFinite(value) ? Number(value.toPrecision(digits)) : value;
}

/** A bin edge as written in the data (no separators inside interval notation, never e-notation). */
function fmtEdge(value: number): string {
  return formatCell(Number.isInteger(value) ? value : Number(value.toPrecision(4)));
}

/** Labels of the PSI bins: (−∞, e₀], (e₀, e₁], …, (eₖ₋₁, +∞). */
export function binLabels(edges: readonly number[]): string[] {
  if (edges.length === 0) return ['all values'];
  return Array.from({ length: edges.length + 1 }, (_, i) =>
    i === 0
      ? `≤ ${fmtEdge(edges[0]!)}`
      : i === edges.length
        ? `> ${fmtEdge(edges[i - 1]!)}`
        : `(${fmtEdge(edges[i - 1]!)}, ${fmtEdge(edges[i]!)}]`,
  );
}

/** Quantile levels of `bins` equal-frequency bins: 1/bins … (bins−1)/bins. */
export function decileLevels(bins: number): number[] {
  return Array.from({ length: Math.max(1, bins) - 1 }, (_, i) => (i + 1) / bins);
}

type Kind = 'numeric' | 'categorical' | { skip: string };

/** How a column is compared: as numbers, as categories, or not at all (with the reason). */
export function driftKind(column: DriftColumnInput): Kind {
  if (column.personal)
    return { skip: 'personal data: not compared, so none of its values enters the report' };
  if (column.family === 'temporal' || /^(DATE|TIME|TIMESTAMP)/i.test(column.type))
    return { skip: 'a time column: its range moves by construction between windows, so it is not compared' };
  if (column.family === 'text') return { skip: 'free text or an identifier (too many distinct values)' };
  if (column.family === 'other') return { skip: 'a nested or binary type' };
  if (isNumericDriftType(column.type) && column.family !== 'categorical' && column.family !== 'boolean')
    return 'numeric';
  return 'categorical';
}

export interface MissingFacts {
  reference: number;
  current: number;
  rowsReference: number;
  rowsCurrent: number;
}

export function missingOf(facts: MissingFacts, t: DriftThresholds): ColumnDrift['missing'] {
  const change = facts.current - facts.reference;
  return {
    reference: round(facts.reference),
    current: round(facts.current),
    change: round(change),
    drift: Math.abs(change) >= t.missingRateChange,
  };
}

export function skipped(
  column: string,
  reason: string,
  missing: ColumnDrift['missing'],
  t: DriftThresholds,
): ColumnDrift {
  return {
    column,
    kind: 'categorical',
    status: 'skipped',
    method: 'psi',
    methodOverridden: false,
    statistic: null,
    threshold: t.psiModerate,
    rule: 'not compared',
    reason,
    nReference: 0,
    nCurrent: 0,
    jensenShannon: null,
    psi: null,
    psiLevel: null,
    missing,
    shares: [],
    newCategories: [],
    goneCategories: [],
    sql: '',
  };
}

/** The fields a measured column (numeric or categorical) starts from: its chosen method and its value counts. */
function measuredFacts<K extends 'numeric' | 'categorical'>(
  column: string,
  kind: K,
  choice: MethodChoice,
  sides: { nRef: number; nCur: number; missing: ColumnDrift['missing'] },
) {
  return {
    column,
    kind,
    method: choice.method,
    methodOverridden: choice.overridden,
    threshold: choice.threshold,
    rule: choice.rule,
    nReference: sides.nRef,
    nCurrent: sides.nCur,
    missing: sides.missing,
  };
}

/** The "not enough data" outcome when either side has fewer values than the minimum sample (Deepchecks' `min_samples`). */
function tooFewValues(nRef: number, nCur: number, t: DriftThresholds) {
  if (nRef >= t.minSampleSize && nCur >= t.minSampleSize) return undefined;
  return {
    status: 'not-enough-data' as const,
    statistic: null,
    reason: `fewer than ${t.minSampleSize} values on a side (${formatCount(nRef)} reference, ${formatCount(nCur)} current)`,
    jensenShannon: null,
    psi: null,
    psiLevel: null,
  };
}

/**
 * The verdict: the chosen method decides, except that on large samples a
 * major PSI also calls drift. A normalised Wasserstein distance can stay
 * small when sentinels or a unit defect inflate the reference spread (the
 * demo's cents), while the deciles plainly moved.
 */
function decide(
  choice: ReturnType<typeof chooseMethod>,
  statistic: number,
  psiValue: number,
  nRef: number,
  t: DriftThresholds,
): { status: 'drift' | 'no-drift'; reason?: string } {
  if (crosses(choice, statistic)) return { status: 'drift' };
  if (!choice.overridden && nRef > t.testsMaxReferenceRows && psiValue >= t.psiMajor)
    return {
      status: 'drift',
      reason: `PSI ${round(psiValue, 3)} ≥ ${t.psiMajor} (major) although the ${choice.method === 'wasserstein' ? 'normalised Wasserstein distance' : 'Jensen–Shannon distance'} stays below ${choice.threshold}`,
    };
  return { status: 'no-drift' };
}

/** The statements of a numeric column, in the order their results are needed. */
export const numericStatements = {
  /** KS, Wasserstein and the counts per side (one row, or none without values). */
  summary: (reference: DriftSide, current: DriftSide, column: string): string =>
    numericDriftQuery(reference, current, column),
  /** The reference deciles: the PSI bin edges. */
  quantiles: (reference: DriftSide, column: string, t: DriftThresholds): string =>
    referenceQuantilesQuery(reference, column, decileLevels(t.psiBins)),
  /** Rows per bin and side. */
  bins: (reference: DriftSide, current: DriftSide, column: string, edges: readonly number[]): string =>
    binCountsQuery(reference, current, column, edges),
};

/** Whether both sides have enough values to compare, judged on the summary row: only then are deciles and bins read. */
export function hasEnoughValues(summary: Row | undefined, t: DriftThresholds): boolean {
  return !tooFewValues(n(summary?.n_ref) || 0, n(summary?.n_cur) || 0, t);
}

/** Sorted, distinct, finite bin edges from the reference quantiles' rows. */
export function binEdges(quantiles: readonly Row[]): number[] {
  return [...new Set(quantiles.map((q) => n(q.edge)).filter(Number.isFinite))].sort((a, b) => a - b);
}

/** What a numeric column's statements returned (bins absent when a side has too few values). */
export interface NumericRows {
  sql: string;
  summary: Row | undefined;
  edges?: number[];
  binSql?: string;
  bins?: readonly Row[];
}

/** Numeric column: KS and Wasserstein from the cumulative-count summary, PSI on reference deciles. */
export function numericColumnDrift(
  column: string,
  rows: NumericRows,
  missing: ColumnDrift['missing'],
  t: DriftThresholds,
  override?: DriftMethod,
): ColumnDrift {
  const { sql } = rows;
  const row = rows.summary ?? {};
  const nRef = n(row.n_ref) || 0;
  const nCur = n(row.n_cur) || 0;
  const choice = chooseMethod('numeric', nRef, t, override);
  const base = {
    ...measuredFacts(column, 'numeric', choice, { nRef, nCur, missing }),
    newCategories: [],
    goneCategories: [],
    sql,
  };
  const tooFew = tooFewValues(nRef, nCur, t);
  if (tooFew) return { ...base, ...tooFew, shares: [] };
  const d = n(row.ks_numerator) / nRef / nCur;
  const p = ksPValue(d, nRef, nCur);
  const distance = n(row.wasserstein);
  const refStd = n(row.ref_std);
  const normalised = normalisedWasserstein(distance, refStd);
  const edges = rows.edges ?? [];
  const refBins = new Array<number>(edges.length + 1).fill(0);
  const curBins = new Array<number>(edges.length + 1).fill(0);
  for (const r of rows.bins ?? []) (n(r.side) === 0 ? refBins : curBins)[n(r.bin)] = n(r.n);
  const psiValue = psi(refBins, curBins);
  const refShares = shares(refBins);
  const curShares = shares(curBins);
  const labels = binLabels(edges);
  const statistic =
    choice.method === 'ks' ? p.pValue : choice.method === 'wasserstein' ? normalised : psiValue;
  const verdict = decide(choice, statistic, psiValue, nRef, t);
  return {
    ...base,
    ...verdict,
    statistic: round(statistic),
    ks: { statistic: round(d), pValue: p.pValue, pValueMethod: p.method },
    wasserstein: { distance: round(distance), normalised: round(normalised), referenceStd: round(refStd) },
    jensenShannon: round(jensenShannon(refBins, curBins)),
    psi: round(psiValue),
    psiLevel: psiLevel(psiValue, t),
    shares: labels.map((label, i) => ({
      label,
      reference: round(refShares[i]!),
      current: round(curShares[i]!),
    })),
    edges,
    sql: choice.method === 'psi' ? (rows.binSql ?? sql) : sql,
  };
}

/** The category counts of a categorical column (see `categoryCountsQuery`). */
export function categoricalStatement(
  reference: DriftSide,
  current: DriftSide,
  column: string,
  t: DriftThresholds,
): string {
  return categoryCountsQuery(reference, current, column, t.maxCategories);
}

/** Categorical column: chi-square, Jensen–Shannon and PSI on category counts, new and gone categories. */
export function categoricalColumnDrift(
  column: string,
  sql: string,
  rows: readonly Row[],
  missing: ColumnDrift['missing'],
  t: DriftThresholds,
  override?: DriftMethod,
): ColumnDrift {
  const listed = rows.filter((r) => r.other !== true);
  const other = rows.find((r) => r.other === true);
  const refCounts = listed.map((r) => n(r.ref));
  const curCounts = listed.map((r) => n(r.cur));
  const categories = listed.map((r) => String(r.value));
  if (other) {
    refCounts.push(n(other.ref));
    curCounts.push(n(other.cur));
  }
  const nRef = refCounts.reduce((a, b) => a + b, 0);
  const nCur = curCounts.reduce((a, b) => a + b, 0);
  // Without a profile, free text and identifiers look like categories: most values are distinct.
  const distinct = listed.length + (other ? n(other.categories) : 0);
  if (distinct > t.maxCategories && distinct >= 0.5 * (nRef + nCur))
    return skipped(column, 'free text or an identifier (most values are distinct)', missing, t);
  const choice = chooseMethod('categorical', nRef, t, override);
  const refShares = shares(refCounts);
  const curShares = shares(curCounts);
  const labels = [...categories, ...(other ? ['(other)'] : [])];
  const newCategories = listed
    .filter((r) => n(r.ref) === 0 && n(r.cur) > 0)
    .map((r) => ({ value: String(r.value), rows: n(r.cur), share: round(n(r.cur) / nCur) }));
  const goneCategories = listed
    .filter((r) => n(r.cur) === 0 && n(r.ref) > 0)
    .map((r) => ({ value: String(r.value), rows: n(r.ref), share: round(n(r.ref) / nRef) }));
  const base = {
    ...measuredFacts(column, 'categorical', choice, { nRef, nCur, missing }),
    shares: labels.map((label, i) => ({
      label,
      reference: round(refShares[i]!),
      current: round(curShares[i]!),
    })),
    categories,
    newCategories,
    goneCategories,
    ...(other && n(other.new_categories) > 0
      ? {
          newOther: {
            categories: n(other.new_categories),
            share: round(n(other.new_rows) / Math.max(1, nCur)),
          },
        }
      : {}),
    ...(other && n(other.gone_categories) > 0
      ? {
          goneOther: {
            categories: n(other.gone_categories),
            share: round(n(other.gone_rows) / Math.max(1, nRef)),
          },
        }
      : {}),
    sql,
  };
  const tooFew = tooFewValues(nRef, nCur, t);
  if (tooFew) return { ...base, ...tooFew };
  const chi = chiSquareDrift(refCounts, curCounts);
  const js = jensenShannon(refCounts, curCounts);
  const psiValue = psi(refCounts, curCounts);
  // A single category on both sides: the test has no degrees of freedom and nothing moved.
  const statistic =
    choice.method === 'chi-square' ? (chi?.pValue ?? 1) : choice.method === 'jensen-shannon' ? js : psiValue;
  return {
    ...base,
    ...decide(choice, statistic, psiValue, nRef, t),
    statistic: round(statistic),
    ...(chi ? { chiSquare: { statistic: round(chi.statistic), df: chi.df, pValue: chi.pValue } } : {}),
    jensenShannon: round(js),
    psi: round(psiValue),
    psiLevel: psiLevel(psiValue, t),
  };
}

/** A rate with its Wilson interval (95 % unless `alpha` says otherwise). */
export function rateOf(positives: number, total: number, alpha = 0.05): Rate {
  const interval = wilsonInterval(positives, total, alpha);
  return {
    n: total,
    positives,
    rate: round(total > 0 ? positives / total : 0),
    lower: round(interval?.lower ?? 0),
    upper: round(interval?.upper ?? 1),
  };
}

/** Share of drifted columns among those with a verdict, and whether the dataset drifts. */
export function datasetDrift(columns: readonly ColumnDrift[], t: DriftThresholds): DatasetDrift {
  const judged = columns.filter((c) => c.status === 'drift' || c.status === 'no-drift');
  const drifted = judged.filter((c) => c.status === 'drift').length;
  const share = judged.length ? drifted / judged.length : 0;
  return {
    compared: judged.length,
    drifted,
    notEnoughData: columns.filter((c) => c.status === 'not-enough-data').length,
    share: round(share),
    threshold: t.datasetDriftShare,
    drift: judged.length > 0 && share >= t.datasetDriftShare,
  };
}

const STATUS_ORDER: Record<ColumnDrift['status'], number> = {
  drift: 0,
  'no-drift': 1,
  'not-enough-data': 2,
  skipped: 3,
};

/** Drifted columns first, then by PSI (the one statistic every compared column has), descending. */
export function sortColumns(columns: readonly ColumnDrift[]): ColumnDrift[] {
  return [...columns].sort(
    (a, b) =>
      STATUS_ORDER[a.status] - STATUS_ORDER[b.status] ||
      Number(b.missing.drift) - Number(a.missing.drift) ||
      (b.psi ?? -1) - (a.psi ?? -1) ||
      a.column.localeCompare(b.column),
  );
}

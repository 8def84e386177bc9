import { TEXT_STATS, type TextStat } from '../sql/profile-values';
import { columnPairs } from '../sql/profile-pairs';
import { MISSING_PAIR, type ProfileColumn } from '../sql/profile';
import { isNumericKind, isTemporalKind } from '../sql/types';
import { cramersV } from '../stats/cramers-v';
import type { CentralSums } from '../stats/moments';

/**
 * Turn the rows of the profile's queries (see `core/sql/profile*.ts`) into
 * typed values. Rows are plain objects as the `Connector` returns them:
 * BIGINTs as numbers (or strings when unsafe), nested values as JSON text.
 */

type Row = Record<string, unknown>;

/** A finite number, or null. Accepts numbers, bigints and numeric strings. */
export function toNumber(value: unknown): number | null {
  if (value === null || value === undefined) return null;
  const n =
    typeof value === 'number'
      ? value
      : typeof value === 'bigint'
        ? Number(value)
        : typeof value === 'string' && value.trim() !== ''
          ? Number(value)
          : NaN;
  return Number.isFinite(n) ? n : null;
}

/** A count: a non-negative integer, 0 when absent. */
export function toCount(value: unknown): number {
  const n = toNumber(value);
  return n === null ? 0 : Math.round(n);
}

/** A list, whether it arrives as an array or as JSON text. */
export function toList(value: unknown): unknown[] {
  if (Array.isArray(value)) return value;
  if (typeof value === 'string') {
    try {
      const parsed: unknown = JSON.parse(value);
      return Array.isArray(parsed) ? parsed : [];
    } catch {
      return [];
    }
  }
  return [];
}

function toText(value: unknown): string | null {
  if (value === null || value === undefined) return null;
  return typeof value === 'string' ? value : String(value);
}

/** Summary statistics of one column, from `summaryQuery`. */
export interface ColumnSummary {
  count: number;
  distinct: number | null;
  min: number | string | null;
  max: number | string | null;
  mean: number | null;
  std: number | null;
  quantiles: Record<string, number | null>;
  zeros: number;
  negatives: number;
  nonFinite: number;
  midnight: number;
  trueCount: number;
  falseCount: number;
  lengthMin: number | null;
  lengthMax: number | null;
  lengthMean: number | null;
}

export interface Summary {
  rows: number;
  columns: Map<number, ColumnSummary>;
}

export function decodeSummary(
  row: Row | undefined,
  columns: readonly ProfileColumn[],
  quantileLevels: readonly number[],
): Summary {
  const r = row ?? {};
  const out = new Map<number, ColumnSummary>();
  for (const column of columns) {
    const a = `c${column.index}`;
    const q = toList(r[`${a}_q`]);
    const temporal = isTemporalKind(column.kind);
    out.set(column.index, {
      count: toCount(r[`${a}_n`]),
      distinct: r[`${a}_d`] === undefined ? null : toCount(r[`${a}_d`]),
      min: temporal ? toText(r[`${a}_min`]) : toNumber(r[`${a}_min`]),
      max: temporal ? toText(r[`${a}_max`]) : toNumber(r[`${a}_max`]),
      mean: toNumber(r[`${a}_mean`]),
      std: toNumber(r[`${a}_std`]),
      quantiles: isNumericKind(column.kind)
        ? Object.fromEntries(quantileLevels.map((p, i) => [String(p), toNumber(q[i])]))
        : {},
      zeros: toCount(r[`${a}_zeros`]),
      negatives: toCount(r[`${a}_neg`]),
      nonFinite: toCount(r[`${a}_nonfinite`]),
      midnight: toCount(r[`${a}_midnight`]),
      trueCount: toCount(r[`${a}_true`]),
      falseCount: toCount(r[`${a}_false`]),
      lengthMin: toNumber(r[`${a}_lmin`]),
      lengthMax: toNumber(r[`${a}_lmax`]),
      lengthMean: toNumber(r[`${a}_lmean`]),
    });
  }
  return { rows: toCount(r.n), columns: out };
}

/** Distributions of one column, from `distributionQuery`. */
export interface ColumnDistribution {
  bins: Map<number, number>;
  iqrOutliers: number;
  /** Sums of the powers of deviations from the mean, over all bins. */
  moments: CentralSums;
  sentinels: Map<number, number>;
  months: Map<number, number>;
  weekdays: Map<number, number>;
  hours: Map<number, number>;
  defaultDates: Map<number, number>;
}

export function emptyDistribution(): ColumnDistribution {
  return {
    bins: new Map(),
    iqrOutliers: 0,
    moments: { n: 0, m2: 0, m3: 0, m4: 0 },
    sentinels: new Map(),
    months: new Map(),
    weekdays: new Map(),
    hours: new Map(),
    defaultDates: new Map(),
  };
}

export function decodeDistributions(rows: readonly Row[]): Map<number, ColumnDistribution> {
  const out = new Map<number, ColumnDistribution>();
  for (const row of rows) {
    if (row.kind === MISSING_PAIR) continue;
    const col = toCount(row.col);
    const k = toNumber(row.k);
    const n = toCount(row.n);
    if (k === null) continue;
    let d = out.get(col);
    if (!d) out.set(col, (d = emptyDistribution()));
    const add = (map: Map<number, number>): void => void map.set(k, (map.get(k) ?? 0) + n);
    switch (row.kind) {
      case 'bin':
        add(d.bins);
        d.iqrOutliers += toCount(row.o);
        d.moments.n += n;
        d.moments.m2 += toNumber(row.m2) ?? 0;
        d.moments.m3 += toNumber(row.m3) ?? 0;
        d.moments.m4 += toNumber(row.m4) ?? 0;
        break;
      case 'sentinel':
        add(d.sentinels);
        break;
      case 'month':
        add(d.months);
        break;
      case 'weekday':
        add(d.weekdays);
        break;
      case 'hour':
        add(d.hours);
        break;
      case 'default-date':
        add(d.defaultDates);
        break;
    }
  }
  return out;
}

/** Top values and distinct count of one column (from the sample when there is one). */
export interface ColumnValues {
  top: { value: string; count: number }[];
  distinct: number;
  /** Ordered pairs of rows sharing a non-missing value, Σ c(c − 1). */
  matchingPairs: number;
}

export interface Values {
  sourceRows: number;
  columns: Map<number, ColumnValues>;
}

export function decodeValues(rows: readonly Row[]): Values {
  const columns = new Map<number, ColumnValues>();
  let sourceRows = 0;
  for (const row of rows) {
    const col = toCount(row.col);
    if (toNumber(row.col) === -1) {
      sourceRows = toCount(row.c);
      continue;
    }
    let entry = columns.get(col);
    if (!entry) columns.set(col, (entry = { top: [], distinct: 0, matchingPairs: 0 }));
    entry.top.push({ value: toText(row.v) ?? '', count: toCount(row.c) });
    entry.distinct = toCount(row.d);
    entry.matchingPairs = toNumber(row.p) ?? 0;
  }
  for (const entry of columns.values())
    entry.top.sort((a, b) => b.count - a.count || (a.value < b.value ? -1 : a.value > b.value ? 1 : 0));
  return { sourceRows, columns };
}

/** Text patterns of one string column, from `textPatternsQuery`. */
export interface ColumnText {
  stats: Record<TextStat, number>;
  missing: { value: string; count: number }[];
  shapes: { value: string; count: number }[];
  variants: Map<string, { value: string; count: number }[]>;
}

export function emptyText(): ColumnText {
  return {
    stats: Object.fromEntries(TEXT_STATS.map((s) => [s, 0])) as Record<TextStat, number>,
    missing: [],
    shapes: [],
    variants: new Map(),
  };
}

export function decodeText(rows: readonly Row[]): Map<number, ColumnText> {
  const out = new Map<number, ColumnText>();
  for (const row of rows) {
    const col = toCount(row.col);
    let t = out.get(col);
    if (!t) out.set(col, (t = emptyText()));
    const key = toText(row.key) ?? '';
    const n = toCount(row.n);
    if (row.kind === 'stat' && (TEXT_STATS as readonly string[]).includes(key)) t.stats[key as TextStat] = n;
    else if (row.kind === 'missing') t.missing.push({ value: key, count: n });
    else if (row.kind === 'shape') t.shapes.push({ value: key, count: n });
    else if (row.kind === 'variant') {
      const spellings = t.variants.get(key) ?? [];
      spellings.push({ value: toText(row.key2) ?? '', count: n });
      t.variants.set(key, spellings);
    }
  }
  const byCount = (a: { value: string; count: number }, b: { value: string; count: number }): number =>
    b.count - a.count || (a.value < b.value ? -1 : a.value > b.value ? 1 : 0);
  for (const t of out.values()) {
    t.missing.sort(byCount);
    t.shapes.sort(byCount);
    for (const spellings of t.variants.values()) spellings.sort(byCount);
  }
  return out;
}

export interface Correlation {
  a: string;
  b: string;
  pearson: number | null;
  spearman: number | null;
  n: number;
}

export function decodeCorrelations(rows: readonly Row[], columns: readonly ProfileColumn[]): Correlation[] {
  const byPair = new Map(rows.map((r) => [`${toCount(r.a)}_${toCount(r.b)}`, r]));
  const clamp = (v: number | null): number | null => (v === null ? null : Math.max(-1, Math.min(1, v)));
  return columnPairs(columns).map(([a, b]) => {
    const r = byPair.get(`${a.index}_${b.index}`) ?? {};
    return {
      a: a.name,
      b: b.name,
      pearson: clamp(toNumber(r.p)),
      spearman: clamp(toNumber(r.s)),
      n: toCount(r.n),
    };
  });
}

export interface Association {
  a: string;
  b: string;
  v: number | null;
  n: number;
}

export function decodeContingency(rows: readonly Row[], columns: readonly ProfileColumn[]): Association[] {
  const cellsByPair = new Map<number, { row: string; col: string; count: number }[]>();
  for (const row of rows)
    if (row.u != null && row.v != null) {
      const pair = toCount(row.g);
      const cells = cellsByPair.get(pair) ?? [];
      cells.push({ row: String(row.u), col: String(row.v), count: toCount(row.n) });
      cellsByPair.set(pair, cells);
    }
  return columnPairs(columns).map(([a, b], pair) => {
    const result = cramersV(cellsByPair.get(pair) ?? []);
    return { a: a.name, b: b.name, v: result.v, n: result.n };
  });
}

export interface Cooccurrence {
  a: string;
  b: string;
  both: number;
  jaccard: number;
}

/** Pairs of columns that are missing together, with the Jaccard index of their missing rows. */
export function decodeMissingness(
  rows: readonly Row[],
  columns: readonly { index: number; name: string; missing: number }[],
): Cooccurrence[] {
  const both = new Map(
    rows
      .filter((r) => r.kind === MISSING_PAIR)
      .map((r) => [`${toCount(r.col)}_${toCount(r.k)}`, toCount(r.n)]),
  );
  return columnPairs(columns).map(([a, b]) => {
    const n = both.get(`${a.index}_${b.index}`) ?? 0;
    const union = a.missing + b.missing - n;
    return { a: a.name, b: b.name, both: n, jaccard: union > 0 ? n / union : 0 };
  });
}

/** Exact duplicate rows and the most repeated row (null when no row repeats). */
export interface Duplicates {
  count: number;
  /** Σ C(copies, 2): the pairs of identical rows `quality-duplicates` weighs against chance. */
  pairs: number;
  example: Record<string, unknown> | null;
}

/**
 * The one row of `duplicatesQuery`: the count, and the most repeated row with
 * its aliases `c0`… mapped back to the column names, in table order.
 */
export function decodeDuplicates(row: Row | undefined, names: readonly string[]): Duplicates {
  const count = toCount(row?.duplicates);
  const pairs = toNumber(row?.pairs) ?? 0;
  if (!row || count === 0 || toCount(row.copies) < 2) return { count, pairs, example: null };
  const example: Row = {};
  for (const [i, name] of names.entries())
    // defineProperty, not assignment: a column may be named `__proto__`.
    Object.defineProperty(example, name, {
      value: row[`c${i}`] ?? null,
      enumerable: true,
      writable: true,
      configurable: true,
    });
  return { count, pairs, example };
}

/** The one row of `duplicatesByHashQuery`: the count, the identical pairs, and the hash of the most repeated row when one repeats. */
export function decodeDuplicateHash(row: Row | undefined): {
  count: number;
  pairs: number;
  topHash: string | null;
} {
  const count = toCount(row?.duplicates);
  const hash = row?.top_hash;
  return {
    count,
    pairs: toNumber(row?.pairs) ?? 0,
    topHash: count === 0 || hash === null || hash === undefined ? null : String(hash),
  };
}

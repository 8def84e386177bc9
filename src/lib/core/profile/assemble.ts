import type { ColumnProfile, DatasetProfile, ValueCount } from '../model/audit';
import type { Thresholds } from '../thresholds';
import type { DistinctMode, ProfileColumn } from '../sql/profile';
import { binEdges, type NiceBins } from '../stats/bins';
import { kurtosis, skewness } from '../stats/moments';
import { columnFamily, isNumericKind, isTemporalKind } from '../sql/types';
import { profileAlerts } from './alerts';
import {
  emptyDistribution,
  emptyText,
  type Association,
  type ColumnDistribution,
  type ColumnSummary,
  type ColumnText,
  type ColumnValues,
  type Cooccurrence,
  type Correlation,
  type Duplicates,
  type Summary,
  type Values,
} from './decode';

/** Everything the profile's queries returned, decoded. */
export interface ProfileParts {
  datasetId: string;
  columns: readonly ProfileColumn[];
  summary: Summary;
  distinctMode: DistinctMode;
  distributions: Map<number, ColumnDistribution>;
  bins: Map<number, NiceBins>;
  values: Values;
  text: Map<number, ColumnText>;
  correlations: Correlation[];
  associations: Association[];
  cooccurrence: Cooccurrence[];
  duplicates: Duplicates;
  sample: DatasetProfile['sample'];
  thresholds: Thresholds;
  computedAt: string;
  durationMs: number;
}

const PII_KINDS = ['email', 'phone', 'payment-card', 'iban', 'ipv4', 'national-id'] as const;

/**
 * Build the `DatasetProfile` from decoded query results. Counts measured on
 * a sample (top values, text patterns, PII) are scaled to the whole table, so
 * they compare with the exact row and missing counts; `sample` says so.
 */
export function assembleProfile(parts: ProfileParts): DatasetProfile {
  const { summary, values, thresholds: t } = parts;
  const rows = summary.rows;
  const scale = parts.sample.sampled && values.sourceRows > 0 ? rows / values.sourceRows : 1;
  const scaled = (n: number): number => (scale === 1 ? n : Math.round(n * scale));

  const columns = parts.columns.map((column) =>
    columnProfile(column, {
      rows,
      summary: summary.columns.get(column.index),
      distinctMode: parts.distinctMode,
      distribution: parts.distributions.get(column.index) ?? emptyDistribution(),
      bins: parts.bins.get(column.index),
      values: values.columns.get(column.index),
      text: parts.text.get(column.index),
      scaled,
      exact: !parts.sample.sampled,
      t,
    }),
  );

  const partial: Omit<DatasetProfile, 'alerts'> = {
    datasetId: parts.datasetId,
    rows,
    columnCount: columns.length,
    columns,
    duplicateRows: parts.duplicates.count,
    identicalPairs: parts.duplicates.pairs,
    duplicateExample: parts.duplicates.example,
    constantColumns: columns
      .filter((c) => c.count > 0 && c.distinct.value <= t.constantMaxDistinct)
      .map((c) => c.name),
    allMissingColumns: columns.filter((c) => c.count === 0).map((c) => c.name),
    missingCooccurrence: parts.cooccurrence
      .filter((c) => c.both > 0)
      .sort((a, b) => b.jaccard - a.jaccard || b.both - a.both),
    correlations: parts.correlations,
    cramersV: parts.associations,
    sample: parts.sample,
    computedAt: parts.computedAt,
    durationMs: parts.durationMs,
  };
  return { ...partial, alerts: profileAlerts(partial, t) };
}

interface ColumnInputs {
  rows: number;
  summary: ColumnSummary | undefined;
  distinctMode: DistinctMode;
  distribution: ColumnDistribution;
  bins: NiceBins | undefined;
  values: ColumnValues | undefined;
  text: ColumnText | undefined;
  scaled: (n: number) => number;
  /** The values were counted on every row, not a sample. */
  exact: boolean;
  t: Thresholds;
}

function columnProfile(column: ProfileColumn, input: ColumnInputs): ColumnProfile {
  const { rows, summary: s, distribution: d, scaled, t } = input;
  const count = s?.count ?? 0;
  const distinct =
    s?.distinct !== null && s?.distinct !== undefined
      ? { value: Math.min(s.distinct, count), approximate: input.distinctMode === 'approx' }
      : { value: input.values?.distinct ?? 0, approximate: false };
  const family = columnFamily(column.type, distinct.value, count, t);
  const topK: ValueCount[] = (input.values?.top ?? []).map((v) => ({
    value: typedValue(v.value, column),
    count: scaled(v.count),
  }));
  const topTotal = topK.reduce((sum, v) => sum + v.count, 0);

  const profile: ColumnProfile = {
    name: column.name,
    type: column.type,
    family,
    count,
    missing: Math.max(0, rows - count),
    missingLike: { total: 0, values: [] },
    distinct,
    topK,
    otherCount: Math.max(0, count - topTotal),
    ...(input.exact && (input.values || count === 0)
      ? { matchingPairs: input.values?.matchingPairs ?? 0 }
      : {}),
    pii: [],
  };

  if (isNumericKind(column.kind) && s) {
    const q25 = s.quantiles['0.25'] ?? null;
    const q75 = s.quantiles['0.75'] ?? null;
    profile.numeric = {
      min: typeof s.min === 'number' ? s.min : null,
      max: typeof s.max === 'number' ? s.max : null,
      mean: s.mean,
      std: s.std,
      skewness: skewness(d.moments),
      kurtosis: kurtosis(d.moments),
      quantiles: s.quantiles,
      zeros: s.zeros,
      negatives: s.negatives,
      nonFinite: s.nonFinite,
      iqrOutliers: q25 !== null && q75 !== null ? d.iqrOutliers : 0,
      sentinels: [...d.sentinels]
        .map(([value, n]) => ({ value, count: n }))
        .sort((a, b) => b.count - a.count || a.value - b.value),
    };
    if (input.bins) profile.histogram = histogram(input.bins, d.bins);
  }

  if (isTemporalKind(column.kind) && s) {
    profile.temporal = {
      min: typeof s.min === 'string' ? s.min : null,
      max: typeof s.max === 'string' ? s.max : null,
      byMonth: [...d.months]
        .sort((a, b) => a[0] - b[0])
        .map(([m, n]) => ({ month: monthLabel(m), count: n })),
      byDayOfWeek: Array.from({ length: 7 }, (_, i) => d.weekdays.get(i + 1) ?? 0),
      byHour: column.kind === 'timestamp' ? Array.from({ length: 24 }, (_, h) => d.hours.get(h) ?? 0) : [],
      midnight: s.midnight,
      defaultDates: [...d.defaultDates]
        .sort((a, b) => b[1] - a[1] || a[0] - b[0])
        .map(([days, n]) => ({ value: isoDay(days), count: n })),
    };
  }

  if (column.kind === 'boolean' && s) profile.boolean = { trueCount: s.trueCount, falseCount: s.falseCount };

  if (column.kind === 'string') {
    const tx = input.text ?? emptyText();
    const missingValues = tx.missing.map((v) => ({ value: v.value, count: scaled(v.count) }));
    profile.missingLike = {
      total: missingValues.reduce((sum, v) => sum + v.count, 0),
      values: missingValues,
    };
    const variants = [...tx.variants.values()]
      .filter((spellings) => spellings.length > 1)
      .map((spellings) => ({
        canonical: spellings[0]!.value,
        spellings: spellings.map((v) => ({ value: v.value, count: scaled(v.count) })),
        total: spellings.reduce((sum, v) => sum + v.count, 0),
      }))
      .sort((a, b) => b.total - a.total || (a.canonical < b.canonical ? -1 : 1))
      .map(({ canonical, spellings }) => ({ canonical, spellings }));
    profile.text = {
      lengthMin: s?.lengthMin ?? null,
      lengthMax: s?.lengthMax ?? null,
      lengthMean: s?.lengthMean ?? null,
      shapes: tx.shapes.map((v) => ({ value: v.value, count: scaled(v.count) })),
      numericLike: scaled(tx.stats['numeric-like']),
      dateLike: scaled(tx.stats['date-like']),
      untrimmed: scaled(tx.stats.untrimmed),
      variants,
    };
    profile.pii = PII_KINDS.filter((kind) => tx.stats[kind] > 0).map((kind) => {
      const matches = Math.min(count, scaled(tx.stats[kind]));
      return { kind, matches, share: count > 0 ? matches / count : 0 };
    });
  }
  return profile;
}

/** A value from the engine's text form back to the column's JSON type. */
function typedValue(text: string, column: ProfileColumn): string | number | boolean {
  if (isNumericKind(column.kind)) {
    const n = Number(text);
    return Number.isFinite(n) && (column.kind !== 'integer' || Number.isSafeInteger(n)) ? n : text;
  }
  if (column.kind === 'boolean') return text === 'true';
  return text;
}

function histogram(
  bins: NiceBins,
  counts: Map<number, number>,
): { start: number; end: number; count: number }[] {
  const edges = binEdges(bins);
  const totals = new Array<number>(bins.count).fill(0);
  for (const [k, n] of counts) {
    const i = Math.min(Math.max(k, 0), bins.count - 1);
    totals[i] = (totals[i] ?? 0) + n;
  }
  return totals.map((n, i) => ({ start: edges[i]!, end: edges[i + 1]!, count: n }));
}

/** `year * 12 + month - 1` as `YYYY-MM`. */
export function monthLabel(index: number): string {
  const year = Math.floor(index / 12);
  const month = index - year * 12 + 1;
  return `${String(year).padStart(4, '0')}-${String(month).padStart(2, '0')}`;
}

/** Days since 1970-01-01 as `YYYY-MM-DD`. */
export function isoDay(days: number): string {
  const date = new Date(days * 86_400_000);
  const year = date.getUTCFullYear();
  return `${String(year).padStart(4, '0')}-${String(date.getUTCMonth() + 1).padStart(2, '0')}-${String(date.getUTCDate()).padStart(2, '0')}`;
}

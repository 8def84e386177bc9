import type { DatasetProfile } from '../model/audit';
import type { Statement } from '../pipeline/stage';
import {
  distributionQuery,
  missingnessQuery,
  withMissingness,
  columnBatches,
  PROFILE_COLUMN_BATCH,
  summaryHeldValuesPerRow,
  type DistinctMode,
  type DistributionPlan,
  type ProfileColumn,
} from '../sql/profile';
import { columnPairs, contingencyQuery, correlationQuery, pairsQuery } from '../sql/profile-pairs';
import { columnFamily, isNumericKind } from '../sql/types';
import { niceBins, type NiceBins } from '../stats/bins';
import type { ProfileContext, ProfileState } from './state';

/**
 * What the profile's later statements cover, chosen from the earlier
 * stages' results: histogram bins and fences, the columns whose missingness
 * is compared, the columns correlated and associated, and what ran on a sample.
 */

/** How `summaryBatches` splits the summary: the budget of held values, and the columns per statement. */
export interface SummaryBatchOptions {
  maxHeldValues: number;
  columnBatch?: number | undefined;
}

/**
 * The summary's columns split into statements, in order: each holds at most
 * `maxHeldValues` values in its exact aggregates (rows × the columns' held
 * values per row) and `columnBatch` columns. A column that alone exceeds the
 * budget gets a statement of its own. Within budget, the same batches as
 * `columnBatches`.
 */
export function summaryBatches<T extends ProfileColumn>(
  columns: readonly T[],
  rows: number,
  distinct: DistinctMode,
  options: SummaryBatchOptions,
): T[][] {
  const size = Math.max(1, Math.floor(options.columnBatch ?? PROFILE_COLUMN_BATCH));
  const batches: T[][] = [];
  let batch: T[] = [];
  let held = 0;
  for (const column of columns) {
    const cost = rows * summaryHeldValuesPerRow(column, distinct);
    const overBudget = cost > 0 && held + cost > options.maxHeldValues;
    if (batch.length > 0 && (batch.length >= size || overBudget)) {
      batches.push(batch);
      batch = [];
      held = 0;
    }
    batch.push(column);
    held += cost;
  }
  batches.push(batch);
  return batches;
}

/** Each column's distribution plan, with the histogram bins of the numeric ones. */
export function distributionPlans(
  ctx: ProfileContext,
  s: ProfileState,
): { plans: DistributionPlan[]; bins: Map<number, NiceBins> } {
  const { t } = ctx;
  const bins = new Map<number, NiceBins>();
  const plans = s.columns.map((column): DistributionPlan => {
    const summary = s.summary.columns.get(column.index);
    if (!isNumericKind(column.kind) || !summary) return { column };
    if (typeof summary.min === 'number' && typeof summary.max === 'number')
      bins.set(column.index, niceBins(summary.min, summary.max, t.histogramBins, column.kind === 'integer'));
    const q25 = summary.quantiles['0.25'];
    const q75 = summary.quantiles['0.75'];
    const fences = (k: number): { low: number; high: number } | null =>
      q25 != null && q75 != null ? { low: q25 - k * (q75 - q25), high: q75 + k * (q75 - q25) } : null;
    return {
      column,
      bins: bins.get(column.index) ?? null,
      outlierFences: fences(t.iqrOutlierMultiplier),
      sentinelFences: fences(t.sentinelIqrMultiplier),
      mean: summary.mean,
    };
  });
  return { plans, bins };
}

/** The partly missing columns whose missingness is compared pairwise: the most missing, at most 52, in table order. */
export function missingColumns(
  ctx: ProfileContext,
  s: ProfileState,
): (ProfileColumn & { missing: number })[] {
  return s.columns
    .map((c) => ({ ...c, missing: s.rows - (s.summary.columns.get(c.index)?.count ?? 0) }))
    .filter((c) => c.missing > 0 && c.missing < s.rows)
    .sort((a, b) => b.missing - a.missing || a.index - b.index)
    .slice(0, Math.min(52, ctx.t.maxMissingCooccurrenceColumns))
    .sort((a, b) => a.index - b.index);
}

/** The distribution statements, one per column batch; missingness shares the first (same table, one round trip less). */
export function distributionStatements(ctx: ProfileContext, s: ProfileState): string[] {
  const options = { sentinelValues: ctx.t.sentinelValues, defaultDates: ctx.t.defaultDates };
  const missingness = missingnessQuery(ctx.table, missingColumns(ctx, s));
  return columnBatches(distributionPlans(ctx, s).plans, ctx.columnBatch)
    .map((batch, i) =>
      withMissingness(distributionQuery(ctx.table, batch, options), i === 0 ? missingness : null),
    )
    .filter((sql): sql is string => sql !== null);
}

/** The columns the pairwise statistics cover: the most complete numeric ones, and the low-cardinality categorical ones. */
export function pairColumns(
  ctx: ProfileContext,
  s: ProfileState,
): { numeric: ProfileColumn[]; categorical: ProfileColumn[] } {
  const { t } = ctx;
  const countOf = (index: number): number => s.summary.columns.get(index)?.count ?? 0;
  const sampledDistinct = (index: number): number => s.values.columns.get(index)?.distinct ?? 0;
  const distinctOf = (index: number): number =>
    s.summary.columns.get(index)?.distinct ?? sampledDistinct(index);
  const numeric = s.columns
    .filter((c) => isNumericKind(c.kind) && countOf(c.index) > 0)
    .sort((a, b) => countOf(b.index) - countOf(a.index) || a.index - b.index)
    .slice(0, t.maxCorrelationColumns)
    .sort((a, b) => a.index - b.index);
  const categorical = s.columns
    .filter((c) => {
      const family = columnFamily(c.type, distinctOf(c.index), countOf(c.index), t);
      const distinct = sampledDistinct(c.index);
      return (
        (family === 'categorical' || family === 'boolean') &&
        distinct >= 2 &&
        distinct <= t.cramersMaxDistinct
      );
    })
    .slice(0, t.maxCorrelationColumns);
  return { numeric, categorical };
}

/** Ranks and contingency tables cost a sort or a GROUP BY per column or pair: above `pairwiseMaxRows` they read a smaller sample. */
export function needsPairSample(ctx: ProfileContext, s: ProfileState): boolean {
  const { numeric, categorical } = pairColumns(ctx, s);
  return s.values.sourceRows > ctx.t.pairwiseMaxRows && (numeric.length >= 2 || categorical.length >= 2);
}

/** The correlation and contingency statements (null when a side has fewer than two columns), and both as one. */
export function pairStatements(
  ctx: ProfileContext,
  s: ProfileState,
): { correlation: string | null; contingency: string | null; both: string | null } {
  const { numeric, categorical } = pairColumns(ctx, s);
  const withMissing = new Set(
    numeric.filter((c) => (s.summary.columns.get(c.index)?.count ?? 0) < s.rows).map((c) => c.index),
  );
  const pairsWithMissing = columnPairs(numeric).filter(
    ([a, b]) => withMissing.has(a.index) || withMissing.has(b.index),
  ).length;
  const pairRows = s.pairSampleRows ?? s.values.sourceRows;
  const correlation = correlationQuery(s.source, s.pairSource, numeric, {
    withMissing,
    pairwiseRanks: pairRows * pairsWithMissing <= ctx.t.spearmanExactMaxCells,
  });
  const contingency = contingencyQuery(s.pairSource, categorical);
  return { correlation, contingency, both: pairsQuery(correlation, contingency) };
}

/** What ran on a sample, in words for the report. */
export function sampleInfo(ctx: ProfileContext, s: ProfileState): DatasetProfile['sample'] {
  const { t } = ctx;
  const { rows, sampled, pairSampleRows } = s;
  const fmt = (n: number): string => n.toLocaleString('en-US');
  const pairs =
    pairSampleRows === null
      ? ''
      : ` Spearman correlations and Cramér's V use a further uniform sample of about ${fmt(pairSampleRows)} rows.`;
  if (!sampled)
    return pairSampleRows === null
      ? { sampled: false, rows }
      : { sampled: false, rows, reason: pairs.trim() };
  const sampleRows = s.values.sourceRows;
  return {
    sampled: true,
    rows: sampleRows,
    reason:
      `${fmt(rows)} rows is above ${fmt(t.sampleAboveRows)}: top values, distinct counts${s.distinctMode === 'approx' ? ' (approximate, HyperLogLog)' : ''}, ` +
      `text patterns, personal data, correlations and associations use a uniform random sample of ${fmt(sampleRows)} rows; their counts are scaled to the whole table. ` +
      `Row and missing counts, extremes, moments, quantiles, histograms and duplicates cover every row.${pairs}`,
  };
}

/** One statement per batch, keyed `<key>-<i>`; with more than one, each names its batch on the progress line. */
export function batched(key: string, label: string, sqls: readonly string[]): Record<string, Statement> {
  const progress = (i: number): string => `${label} (batch ${i + 1} of ${sqls.length})`;
  return Object.fromEntries(
    sqls.map((sql, i) => [`${key}-${i}`, sqls.length > 1 ? { sql, progress: progress(i) } : { sql }]),
  );
}

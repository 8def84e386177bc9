import { categoryBatchQuery, sourceBatchQuery } from '../sql/consistency-batch';
import type { ColumnFacts, ReadinessSetup, ResultRow } from './types';

/**
 * The batches the consistency and coverage checks share. Every check that
 * needs one builds it from the setup alone, so they all build the same SQL
 * string and the engine runs it once.
 */

/**
 * Numeric columns with at most this many distinct values are counted per value
 * rather than sorted (see `SourceBatchColumn.counted`). Measured at 1M rows:
 * counting a column of 145 values costs a fifth of sorting it; at 55,000
 * values both cost the same; at 600,000, counting costs seven times more.
 */
export const COUNTED_MAX_DISTINCT = 50_000;

/** Features compared across sources (never the source column itself, never ID-like columns). */
export function comparableColumns(s: ReadinessSetup): ColumnFacts[] {
  return s.features.filter((c) => c.name !== s.source?.name && !c.idLike);
}

/** Features whose distributions are compared across sources. */
export function distributionColumns(s: ReadinessSetup): ColumnFacts[] {
  return comparableColumns(s).filter(
    (c) => c.family === 'numeric' || c.family === 'categorical' || c.family === 'boolean',
  );
}

/** Numeric features compared across sources. */
export function numericColumns(s: ReadinessSetup): ColumnFacts[] {
  return comparableColumns(s).filter((c) => c.family === 'numeric');
}

/** Categorical features whose spellings are compared across sources. */
export function vocabularyColumns(s: ReadinessSetup): ColumnFacts[] {
  return comparableColumns(s).filter((c) => c.family === 'categorical');
}

/** Columns whose values are compared between old and recent rows: categorical features, segments, the source. */
export function periodColumns(s: ReadinessSetup): ColumnFacts[] {
  const out: ColumnFacts[] = [];
  for (const c of [
    ...s.features.filter((f) => f.family === 'categorical'),
    ...s.segments,
    ...(s.source ? [s.source] : []),
  ])
    if (!out.some((o) => o.name === c.name)) out.push(c);
  return out;
}

/** The consistency checks' per-source batch: null counts, scale and numeric shift (with a source only). */
export function sourceBatch(s: ReadinessSetup): string | undefined {
  if (!s.source) return undefined;
  const nullColumns = comparableColumns(s).map((c) => c.name);
  const numeric = numericColumns(s).map((c) => ({
    name: c.name,
    counted: c.distinct <= COUNTED_MAX_DISTINCT,
  }));
  if (nullColumns.length === 0) return undefined;
  return sourceBatchQuery(s.sql, { nullColumns, numeric, minRows: s.thresholds.minGroupRows });
}

/**
 * The categorical batch: spellings and shift across sources (with a source),
 * old against recent values (with an event time).
 */
export function categoryBatch(s: ReadinessSetup): string | undefined {
  const t = s.thresholds;
  const bySource = s.source
    ? distributionColumns(s)
        .filter((c) => c.family !== 'numeric')
        .map((c) => c.name)
    : [];
  const periods = s.time ? periodColumns(s).map((c) => c.name) : [];
  if (bySource.length === 0 && periods.length === 0) return undefined;
  return categoryBatchQuery(s.sql, {
    bySource,
    vocabulary: s.source ? vocabularyColumns(s).map((c) => c.name) : [],
    maxCategories: t.maxCategories,
    minRows: t.minGroupRows,
    periods,
    recentShare: t.recentRowShare,
    minCategoryRows: t.minCategoryRows,
  });
}

/** A check's statements: the entries whose batch is defined. */
export function statements(entries: Record<string, string | undefined>): Record<string, string> {
  return Object.fromEntries(Object.entries(entries).filter((e): e is [string, string] => e[1] !== undefined));
}

/** The rows a batch returned for one part and column, in that part's order. */
export function batchRows(rows: readonly ResultRow[] | undefined, part: string, column: string): ResultRow[] {
  return (rows ?? []).filter((r) => r.part === part && r.col === column);
}

import { categoryBatchQuery, sourceBatchQuery } from '../sql/consistency-batch';
import type { ColumnFacts, ReadinessSetup, ResultRow } from './types';

/**
 * The batches the consistency and coverage checks share. Every check that
 * needs one builds it from the setup alone, so they all build the same SQL
 * string and the engine runs it once.
 */

/**
 * A numeric column is counted per value rather than sorted (see
 * `SourceBatchColumn.counted`) when its distinct values times the sources,
 * the most (value, source) pairs it can have, stay under this. Measured at 1M
 * rows, one column: at 75,000 pairs counting costs 250 ms against 415 ms for
 * sorting on native DuckDB (one thread), about the same on DuckDB-WASM; at
 * 300,000 pairs it costs 770 ms against 420 ms, twice as much on DuckDB-WASM.
 * A column of a few hundred values costs a seventh of its sorting.
 */
export const COUNTED_MAX_PAIRS = 100_000;

/**
 * The categorical batch counts value combinations first (see
 * `CategoryBatchOptions.combined`) when there are at least this many rows per
 * possible combination. Measured at 1M rows and six columns (native DuckDB,
 * one thread): 12,000 combinations (the churn extract, 266,000 possible) take
 * 270 ms combined against 390 ms per column; 700,000 combinations of
 * independent columns take 480–620 ms against 350–420 ms.
 */
export const COMBINED_ROWS_PER_GROUP = 2;

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

/** Features compared across sources as text: their values in the categorical batch. */
function textBySourceColumns(s: ReadinessSetup): ColumnFacts[] {
  return distributionColumns(s).filter((c) => c.family !== 'numeric');
}

/**
 * The consistency checks' per-source batch (with a source only): scale,
 * numeric shift, and the null counts of every compared column not counted in
 * the categorical batch.
 */
export function sourceBatch(s: ReadinessSetup): string | undefined {
  if (!s.source) return undefined;
  const sources = Math.max(1, s.source.distinct);
  const numeric = numericColumns(s).map((c) => ({
    name: c.name,
    counted: c.distinct * sources <= COUNTED_MAX_PAIRS,
  }));
  const elsewhere = new Set([...numeric.map((c) => c.name), ...textBySourceColumns(s).map((c) => c.name)]);
  const nullColumns = comparableColumns(s)
    .map((c) => c.name)
    .filter((c) => !elsewhere.has(c));
  if (numeric.length === 0 && nullColumns.length === 0) return undefined;
  return sourceBatchQuery(s.sql, { nullColumns, numeric, minRows: s.thresholds.minGroupRows });
}

/**
 * The categorical batch: spellings and shift across sources (with a source),
 * old against recent values (with an event time).
 */
export function categoryBatch(s: ReadinessSetup): string | undefined {
  const t = s.thresholds;
  const bySource = s.source ? textBySourceColumns(s).map((c) => c.name) : [];
  const periods = s.time ? periodColumns(s).map((c) => c.name) : [];
  if (bySource.length === 0 && periods.length === 0) return undefined;
  // The most value combinations the batch can meet: each column's values (and NULL), by source and period.
  const columns = [...new Set([...bySource, ...periods])].filter((c) => c !== s.source?.name);
  const byName = new Map(s.columns.map((c) => [c.name, c]));
  const combinations = [
    ...columns.map((c) => (byName.get(c)?.distinct ?? s.rows) + 1),
    ...(s.source ? [s.source.distinct + 1] : []),
    ...(periods.length ? [3] : []),
  ].reduce((a, b) => a * b, 1);
  return categoryBatchQuery(s.sql, {
    combined: combinations <= s.rows / COMBINED_ROWS_PER_GROUP,
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

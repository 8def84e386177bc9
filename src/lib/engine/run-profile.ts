import type { Connector, Row } from './connector';
import { arrowToRows } from './arrow-rows';
import { errorText, isOutOfMemory, plainEngineMessage } from './errors';
import type { DatasetProfile } from '../core/audit/schema';
import { resolveThresholds, type Thresholds } from '../core/thresholds';
import {
  distributionQuery,
  dropTableStatement,
  duplicatesQuery,
  duplicatesByHashQuery,
  rowByHashQuery,
  missingnessQuery,
  sampleStatement,
  summaryQuery,
  tableColumnsAndRowsQuery,
  tableColumnsQuery,
  withMissingness,
  columnBatches,
  type DistinctMode,
  type DistributionPlan,
  type ProfileColumn,
  type SampleMethod,
} from '../core/sql/profile';
import {
  appendValueCountsStatement,
  textPatternsQuery,
  valueCountsStatement,
  valuesAndTextQuery,
  valuesQuery,
  type TextPatternsOptions,
} from '../core/sql/profile-values';
import { columnPairs, contingencyQuery, correlationQuery, pairsQuery } from '../core/sql/profile-pairs';
import { niceBins, type NiceBins } from '../core/stats/bins';
import { columnFamily, isNumericKind, sqlKind } from '../core/profile/family';
import {
  decodeContingency,
  decodeCorrelations,
  decodeDistributions,
  decodeMissingness,
  decodeSummary,
  decodeText,
  decodeValues,
  toCount,
  type ColumnText,
  type Summary,
  type Values,
} from '../core/profile/decode';
import { assembleProfile } from '../core/profile/assemble';

export type ProfileErrorCode = 'cancelled' | 'not-found' | 'engine';

/** Why a profile could not be computed, with a message for the consultant. */
export class ProfileError extends Error {
  override readonly name = 'ProfileError';
  constructor(
    readonly code: ProfileErrorCode,
    message: string,
    readonly detail?: string,
  ) {
    super(message);
  }
}

export interface ProfileProgress {
  /** Phases finished. */
  done: number;
  total: number;
  /** The phase now running, for display. */
  label: string;
}

export interface ProfileOptions {
  signal?: AbortSignal;
  onProgress?: (progress: ProfileProgress) => void;
  /** Overrides of `core/thresholds`, e.g. a lower `sampleAboveRows`. */
  thresholds?: Partial<Thresholds>;
  /** How the sample for heavy statistics is drawn; `bernoulli` is the faster default. */
  sampleMethod?: SampleMethod;
  /** Columns per statement, `PROFILE_COLUMN_BATCH` by default; tests set it low to exercise batching. */
  columnBatch?: number;
}

let profileCounter = 0;

/**
 * Profile a loaded table: summary statistics, distributions, top values,
 * text patterns and PII, duplicates, missingness, correlations and Cramér's V.
 *
 * The table is scanned a fixed number of times whatever its width: six
 * statements for a table of up to `PROFILE_COLUMN_BATCH` columns below the
 * sampling threshold (small ones are fused: each costs a round trip to the
 * engine), a few more for samples and hashed duplicates on large tables; wider
 * tables run the per-column statements in batches. Above `sampleAboveRows` rows, the heavy statistics (top values,
 * exact distinct counts, text patterns, PII, correlations, associations) run on
 * a uniform sample of `sampleRows` rows; row, missing, min/max, moments,
 * quantiles, histograms and duplicates always cover the whole table.
 *
 * Cancel with `options.signal`: the running statement is interrupted and the
 * promise rejects with a `ProfileError` of code `cancelled`.
 */
export async function profileDataset(
  conn: Connector,
  tableName: string,
  datasetId: string,
  options: ProfileOptions = {},
): Promise<DatasetProfile> {
  const started = performance.now();
  const t = resolveThresholds(options.thresholds);
  const { signal } = options;
  const id = ++profileCounter;
  const sampleTable = `__sz_profile_${id}_sample`;
  const valueTable = `__sz_profile_${id}_values`;
  const pairsTable = `__sz_profile_${id}_pairs`;
  const created: string[] = [];
  const cancelled = (): ProfileError =>
    new ProfileError('cancelled', `Profiling “${tableName}” was cancelled.`);

  let done = 0;
  let total = 8;
  const report = (label: string): void => options.onProgress?.({ done, total, label });
  /** Run one phase: checks for cancellation first, wraps engine errors. */
  const phase = async <T>(label: string, run: () => Promise<T>): Promise<T> => {
    if (signal?.aborted) throw cancelled();
    report(label);
    try {
      const result = await run();
      done += 1;
      return result;
    } catch (error) {
      if (signal?.aborted) throw cancelled();
      if (error instanceof ProfileError) throw error;
      if (isOutOfMemory(error))
        throw new ProfileError(
          'engine',
          `Profiling “${tableName}” ran out of memory while ${label.toLowerCase()}: the browser engine holds at most about 4 GB. Load fewer columns or a sample of the rows.`,
          errorText(error),
        );
      throw new ProfileError(
        'engine',
        `Profiling “${tableName}” failed while ${label.toLowerCase()}: ${plainEngineMessage(error)}.`,
        errorText(error),
      );
    }
  };
  const skip = (): void => void (done += 1);
  const onAbort = (): void => void conn.cancel().catch(() => {});
  signal?.addEventListener('abort', onAbort);

  try {
    const schema = await phase('Reading the columns', () =>
      conn.query(tableColumnsAndRowsQuery(tableName)).catch(async (error: unknown) => {
        // The row count cannot bind on a missing table: tell that apart from an engine error.
        if ((await conn.query(tableColumnsQuery(tableName)).catch(() => [])).length === 0) return [];
        throw error;
      }),
    );
    if (schema.length === 0)
      throw new ProfileError('not-found', `There is no table “${tableName}” to profile.`);
    const columns: ProfileColumn[] = schema.map((r, index) => ({
      index,
      name: String(r.column_name),
      type: String(r.data_type),
      kind: sqlKind(String(r.data_type)),
    }));
    const rows = toCount(schema[0]?.n);
    const sampled = rows > t.sampleAboveRows && t.sampleRows < rows;
    const distinctMode: DistinctMode = rows > t.exactDistinctMaxRows ? 'approx' : sampled ? 'exact' : 'none';

    // Wide tables run the per-column statements in batches of columns (see PROFILE_COLUMN_BATCH).
    const batches = columnBatches(columns, options.columnBatch);
    const eachBatch = async <T>(label: string, items: readonly T[][], run: (batch: T[]) => Promise<void>) => {
      for (const [i, batch] of items.entries()) {
        if (signal?.aborted) throw cancelled();
        if (items.length > 1) report(`${label} (batch ${i + 1} of ${items.length})`);
        await run(batch);
      }
    };
    const summary: Summary = { rows, columns: new Map() };
    await phase(`Summarising ${columns.length} columns`, () =>
      eachBatch(`Summarising ${columns.length} columns`, batches, async (batch) => {
        const [row] = await conn.query(
          summaryQuery(tableName, batch, { quantileLevels: t.quantileLevels, distinct: distinctMode }),
        );
        for (const [index, s] of decodeSummary(row, batch, t.quantileLevels).columns)
          summary.columns.set(index, s);
      }),
    );

    const bins = new Map<number, NiceBins>();
    const plans: DistributionPlan[] = columns.map((column) => {
      const s = summary.columns.get(column.index);
      if (!isNumericKind(column.kind) || !s) return { column };
      if (typeof s.min === 'number' && typeof s.max === 'number')
        bins.set(column.index, niceBins(s.min, s.max, t.histogramBins, column.kind === 'integer'));
      const q25 = s.quantiles['0.25'];
      const q75 = s.quantiles['0.75'];
      const fences = (k: number): { low: number; high: number } | null =>
        q25 != null && q75 != null ? { low: q25 - k * (q75 - q25), high: q75 + k * (q75 - q25) } : null;
      return {
        column,
        bins: bins.get(column.index) ?? null,
        outlierFences: fences(t.iqrOutlierMultiplier),
        sentinelFences: fences(t.sentinelIqrMultiplier),
        mean: s.mean,
      };
    });
    const missingColumns = columns
      .map((c) => ({ ...c, missing: rows - (summary.columns.get(c.index)?.count ?? 0) }))
      .filter((c) => c.missing > 0 && c.missing < rows)
      .sort((a, b) => b.missing - a.missing || a.index - b.index)
      .slice(0, Math.min(52, t.maxMissingCooccurrenceColumns))
      .sort((a, b) => a.index - b.index);
    // Missingness shares the first distribution statement (same columns), saving a round trip.
    const distributionSqls = columnBatches(plans, options.columnBatch)
      .map((batch, i) =>
        withMissingness(
          distributionQuery(tableName, batch, {
            sentinelValues: t.sentinelValues,
            defaultDates: t.defaultDates,
          }),
          i === 0 ? missingnessQuery(tableName, missingColumns) : null,
        ),
      )
      .filter((sql): sql is string => sql !== null);
    const distributionRows: Row[] = [];
    if (distributionSqls.length > 0)
      await phase('Computing distributions and missing values', () =>
        eachBatch(
          'Computing distributions and missing values',
          distributionSqls.map((sql) => [sql]),
          async ([sql]) => void distributionRows.push(...(await conn.query(sql!))),
        ),
      );
    else skip();
    const distributions = decodeDistributions(distributionRows);
    const cooccurrence = decodeMissingness(distributionRows, missingColumns);

    const names = columns.map((c) => c.name);
    // Grouping on every column copies the table into a hash table; above the
    // sampling threshold that runs out of wasm memory, so rows are hashed instead.
    const duplicates = await phase('Looking for duplicate rows', async () =>
      rows > t.exactDuplicatesMaxRows
        ? duplicatesByHash(conn, tableName, names)
        : decodeDuplicates(await conn.queryArrow(duplicatesQuery(tableName, names)), columns.length),
    );

    let source = tableName;
    if (sampled) {
      await phase(`Drawing a sample of ${t.sampleRows.toLocaleString('en-US')} rows`, async () => {
        created.push(sampleTable);
        await conn.exec(sampleStatement(tableName, sampleTable, t.sampleRows, rows, options.sampleMethod));
      });
      source = sampleTable;
    } else skip();

    const textOptions: TextPatternsOptions = {
      missingTokens: t.missingTokens,
      topShapes: t.topShapes,
      variantMaxDistinct: t.variantMaxDistinct,
      variantMaxGroups: t.variantMaxGroups,
    };
    const stringColumns = columns.filter((c) => c.kind === 'string');
    const label = `Finding the most frequent values${stringColumns.length > 0 ? ' and text patterns' : ''}`;
    const values: Values = { sourceRows: 0, columns: new Map() };
    let text: Map<number, ColumnText> = new Map();
    if (batches.length === 1) {
      // One statement: the value counts live in a CTE that top values and text patterns both read.
      const result = await phase(label, () =>
        conn.query(valuesAndTextQuery(source, columns, t.topK, textOptions)),
      );
      const decoded = decodeValues(result.filter((r) => r.kind == null));
      values.sourceRows = decoded.sourceRows;
      for (const [index, v] of decoded.columns) values.columns.set(index, v);
      text = decodeText(result.filter((r) => r.kind != null));
    } else {
      // Wide tables: value counts go to a temporary table, filled and read one batch at a time.
      await phase(label, async () => {
        const valueCountsSqls = columnBatches(stringColumns, options.columnBatch)
          .map((batch, i) =>
            i === 0
              ? valueCountsStatement(source, valueTable, batch)
              : appendValueCountsStatement(source, valueTable, batch),
          )
          .filter((sql): sql is string => sql !== null);
        for (const sql of valueCountsSqls) {
          if (signal?.aborted) throw cancelled();
          if (!created.includes(valueTable)) created.push(valueTable);
          await conn.exec(sql);
        }
        const counted = valueCountsSqls.length > 0;
        await eachBatch(label, batches, async (batch) => {
          const decoded = decodeValues(
            await conn.query(valuesQuery(source, counted ? valueTable : null, batch, t.topK)),
          );
          values.sourceRows = decoded.sourceRows;
          for (const [index, v] of decoded.columns) values.columns.set(index, v);
        });
        if (counted) text = decodeText(await conn.query(textPatternsQuery(valueTable, textOptions)));
      });
    }

    const distinctOf = (index: number): number =>
      summary.columns.get(index)?.distinct ?? values.columns.get(index)?.distinct ?? 0;
    const countOf = (index: number): number => summary.columns.get(index)?.count ?? 0;

    const numeric = columns
      .filter((c) => isNumericKind(c.kind) && countOf(c.index) > 0)
      .sort((a, b) => countOf(b.index) - countOf(a.index) || a.index - b.index)
      .slice(0, t.maxCorrelationColumns)
      .sort((a, b) => a.index - b.index);
    const categorical = columns
      .filter((c) => {
        const family = columnFamily(c.type, distinctOf(c.index), countOf(c.index), t);
        const distinct = values.columns.get(c.index)?.distinct ?? 0;
        return (
          (family === 'categorical' || family === 'boolean') &&
          distinct >= 2 &&
          distinct <= t.cramersMaxDistinct
        );
      })
      .slice(0, t.maxCorrelationColumns);

    // Ranks and contingency tables cost a sort or a GROUP BY per column or pair: cap their rows.
    let pairSource = source;
    let pairRows = values.sourceRows;
    if (values.sourceRows > t.pairwiseMaxRows && (numeric.length >= 2 || categorical.length >= 2)) {
      await phase('Drawing a sample for pairwise statistics', async () => {
        created.push(pairsTable);
        await conn.exec(
          sampleStatement(source, pairsTable, t.pairwiseMaxRows, values.sourceRows, options.sampleMethod),
        );
      });
      pairSource = pairsTable;
      pairRows = t.pairwiseMaxRows;
    } else skip();

    const withMissing = new Set(numeric.filter((c) => countOf(c.index) < rows).map((c) => c.index));
    const pairsWithMissing = columnPairs(numeric).filter(
      ([a, b]) => withMissing.has(a.index) || withMissing.has(b.index),
    ).length;
    const correlationSql = correlationQuery(source, pairSource, numeric, {
      withMissing,
      pairwiseRanks: pairRows * pairsWithMissing <= t.spearmanExactMaxCells,
    });
    const contingencySql = contingencyQuery(pairSource, categorical);
    const pairsSql = pairsQuery(correlationSql, contingencySql);
    const pairRowsOut = pairsSql
      ? await phase(
          `Correlating ${numeric.length} numeric and comparing ${categorical.length} categorical columns`,
          () => conn.query(pairsSql),
        )
      : (skip(), []);
    const correlations = correlationSql
      ? decodeCorrelations(
          pairRowsOut.filter((r) => r.g == null),
          numeric,
        )
      : [];
    const associations = contingencySql
      ? decodeContingency(
          pairRowsOut.filter((r) => r.g != null),
          categorical,
        )
      : [];

    total = done;
    report('Done');
    return assembleProfile({
      datasetId,
      columns,
      summary,
      distinctMode,
      distributions,
      bins,
      values,
      text,
      correlations,
      associations,
      cooccurrence,
      duplicates,
      sample: sampleInfo(
        rows,
        sampled,
        values.sourceRows,
        pairSource === pairsTable ? pairRows : null,
        distinctMode,
        t,
      ),
      thresholds: t,
      computedAt: new Date().toISOString(),
      durationMs: performance.now() - started,
    });
  } finally {
    signal?.removeEventListener('abort', onAbort);
    for (const table of created) await conn.exec(dropTableStatement(table)).catch(() => {});
  }
}

/** What ran on a sample, in words for the report. */
function sampleInfo(
  rows: number,
  sampled: boolean,
  sampleRows: number,
  pairRows: number | null,
  distinctMode: DistinctMode,
  t: Thresholds,
): DatasetProfile['sample'] {
  const fmt = (n: number): string => n.toLocaleString('en-US');
  const pairs =
    pairRows === null
      ? ''
      : ` Spearman correlations and Cramér's V use a further uniform sample of about ${fmt(pairRows)} rows.`;
  if (!sampled)
    return pairRows === null ? { sampled: false, rows } : { sampled: false, rows, reason: pairs.trim() };
  return {
    sampled: true,
    rows: sampleRows,
    reason:
      `${fmt(rows)} rows is above ${fmt(t.sampleAboveRows)}: top values, distinct counts${distinctMode === 'approx' ? ' (approximate, HyperLogLog)' : ''}, ` +
      `text patterns, personal data, correlations and associations use a uniform random sample of ${fmt(sampleRows)} rows; their counts are scaled to the whole table. ` +
      `Row and missing counts, extremes, moments, quantiles, histograms and duplicates cover every row.${pairs}`,
  };
}

async function duplicatesByHash(
  conn: Connector,
  tableName: string,
  names: string[],
): Promise<{ count: number; example: Record<string, unknown> | null }> {
  const [summary] = await conn.query(duplicatesByHashQuery(tableName, names));
  const count = toCount(summary?.duplicates);
  if (count === 0 || summary?.top_hash === null || summary?.top_hash === undefined)
    return { count, example: null };
  const [example] = await conn.query(rowByHashQuery(tableName, names, String(summary.top_hash)));
  return { count, example: example ?? null };
}

/** Column 0 is the duplicate count; columns 1…n the most repeated row, then its copies (see `duplicatesQuery`). */
function decodeDuplicates(
  table: Awaited<ReturnType<Connector['queryArrow']>>,
  columnCount: number,
): { count: number; example: Record<string, unknown> | null } {
  const count = toCount(table.getChildAt(0)?.get(0));
  const copies = toCount(table.getChildAt(columnCount + 1)?.get(0));
  if (count === 0 || copies < 2 || table.numRows === 0) return { count, example: null };
  const exampleTable = table.selectAt(Array.from({ length: columnCount }, (_, i) => i + 1));
  const [example]: Row[] = arrowToRows(exampleTable);
  return { count, example: example ?? null };
}

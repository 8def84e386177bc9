import type { DatasetProfile } from '../model/audit';
import type { Analysis, QueryResults, Row, Stage, Statement, Statements } from '../pipeline/stage';
import {
  columnBatches,
  dropTableStatement,
  duplicatesByHashQuery,
  duplicatesQuery,
  rowByHashQuery,
  sampleSelect,
  sampleStatement,
  summaryQuery,
  tableColumnsAndRowsQuery,
  tableColumnsQuery,
  withRelations,
  type DistinctMode,
} from '../sql/profile';
import { sqlKind } from '../sql/types';
import { assembleProfile } from './assemble';
import {
  batched,
  distributionPlans,
  distributionStatements,
  missingColumns,
  needsPairSample,
  pairColumns,
  pairStatements,
  sampleInfo,
  summaryBatches,
} from './choices';
import {
  decodeContingency,
  decodeCorrelations,
  decodeDistributions,
  decodeDuplicateHash,
  decodeDuplicates,
  decodeMissingness,
  decodeSummary,
  toCount,
} from './decode';
import {
  initialProfileState,
  profileContext,
  type ProfileAnalysisOptions,
  type ProfileContext,
  type ProfileState,
} from './state';
import { valueStatements, resolveValues, valuesLabel } from './value-stage';

/** The profile as an analysis the session's `QueryRunner` runs, with where it starts and how it ends. */
export interface ProfileAnalysis extends Analysis<ProfileState> {
  /** The state to run from. */
  initial: ProfileState;
  /** The `DatasetProfile` of a finished run (`found`), stamped with when and how long. */
  profile(state: ProfileState, timing: { computedAt: string; durationMs: number }): DatasetProfile;
}

/**
 * Profile a loaded table: summary statistics, distributions, top values,
 * text patterns and PII, duplicates, missingness, correlations and Cramér's V.
 *
 * The table is scanned a fixed number of times whatever its width: six
 * statements for a table of up to `PROFILE_COLUMN_BATCH` columns below the
 * sampling threshold, a few more for samples and hashed duplicates on large
 * tables; wider tables run the per-column statements in batches. Above `sampleAboveRows`
 * rows, the heavy statistics (top values, exact distinct counts, text
 * patterns, PII, correlations, associations) run on a uniform sample of
 * `sampleRows` rows; row, missing, min/max, moments, quantiles, histograms and
 * duplicates always cover the whole table.
 *
 * A missing table stops after the first stages with `missing` set; a failure
 * to read the columns of an existing table leaves `columnsFailure`.
 */
export function profileAnalysis(
  tableName: string,
  datasetId: string,
  options: ProfileAnalysisOptions = {},
): ProfileAnalysis {
  const ctx = profileContext(tableName, datasetId, options);
  return {
    name: 'profile',
    stages: [
      columnsStage(ctx),
      tableExistsStage(ctx),
      summaryStage(ctx),
      distributionStage(ctx),
      duplicatesStage(ctx),
      duplicateExampleStage(ctx),
      sampleStage(ctx),
      valuesStage(ctx),
      pairSampleStage(ctx),
      pairsStage(ctx),
    ],
    cleanup: (s) => temporaryTables(ctx, s).map(dropTableStatement),
    initial: initialProfileState(tableName),
    profile: (s, timing) => profileOf(ctx, s, timing),
  };
}

const found = (s: ProfileState): boolean => s.found;

function columnsStage(ctx: ProfileContext): Stage<ProfileState> {
  return {
    id: 'columns',
    label: 'Reading the columns',
    queries: () => ({ columns: tableColumnsAndRowsQuery(ctx.table) }),
    resolve: (s, r) => withColumns(ctx, s, r.columns ?? []),
    // The row count cannot bind on a missing table: the next stage tells that apart from an engine error.
    recover: (s, failure) => ({ ...s, columnsFailure: failure }),
  };
}

function withColumns(ctx: ProfileContext, s: ProfileState, schema: readonly Row[]): ProfileState {
  if (schema.length === 0) return { ...s, missing: true };
  const { t } = ctx;
  const rows = toCount(schema[0]?.n);
  const sampled = rows > t.sampleAboveRows && t.sampleRows < rows;
  const distinctMode: DistinctMode = rows > t.exactDistinctMaxRows ? 'approx' : sampled ? 'exact' : 'none';
  const columns = schema.map((r, index) => ({
    index,
    name: String(r.column_name),
    type: String(r.data_type),
    kind: sqlKind(String(r.data_type)),
  }));
  return { ...s, found: true, columns, rows, sampled, distinctMode, summary: { rows, columns: new Map() } };
}

function tableExistsStage(ctx: ProfileContext): Stage<ProfileState> {
  return {
    id: 'table-exists',
    label: 'Reading the columns',
    applies: (s) => s.columnsFailure !== null,
    queries: () => ({ columns: tableColumnsQuery(ctx.table) }),
    resolve: (s, r) => ((r.columns ?? []).length === 0 ? { ...s, missing: true } : s),
    recover: (s) => ({ ...s, missing: true }),
  };
}

/**
 * One statement per column batch (`summaryBatches`: at most `columnBatch`
 * columns, and on a long table few enough that their quantile buffers fit the
 * wasm heap). Each returns one row, but they are not marked `oneRow`: fused, 3
 * batches of 200 columns bound and ran 1.4–2× slower than one by one
 * (DuckDB-WASM, 600 columns × 2,000 rows), and every batch's quantile buffers
 * would be held at once.
 */
const summaryLabel = (s: ProfileState): string => `Summarising ${s.columns.length} columns`;

function summaryStage(ctx: ProfileContext): Stage<ProfileState> {
  const batches = (s: ProfileState): ProfileState['columns'][] =>
    summaryBatches(s.columns, s.rows, s.distinctMode, {
      maxHeldValues: ctx.summaryMaxHeldValues,
      columnBatch: ctx.columnBatch,
    });
  return {
    id: 'summary',
    label: (s) => summaryLabel(s),
    applies: found,
    queries: (s) =>
      batched(
        'summary',
        summaryLabel(s),
        batches(s).map((batch) =>
          summaryQuery(ctx.table, batch, { quantileLevels: ctx.t.quantileLevels, distinct: s.distinctMode }),
        ),
      ),
    resolve: (s, r) => {
      const columns = new Map(s.summary.columns);
      for (const [i, batch] of batches(s).entries())
        for (const [index, summary] of decodeSummary(r[`summary-${i}`]?.[0], batch, ctx.t.quantileLevels)
          .columns)
          columns.set(index, summary);
      return { ...s, summary: { rows: s.rows, columns } };
    },
  };
}

const DISTRIBUTIONS = 'Computing distributions and missing values';

function distributionStage(ctx: ProfileContext): Stage<ProfileState> {
  return {
    id: 'distributions',
    label: DISTRIBUTIONS,
    applies: (s) => s.found && distributionStatements(ctx, s).length > 0,
    queries: (s) => batched('distribution', DISTRIBUTIONS, distributionStatements(ctx, s)),
    resolve: (s, r) => {
      const rows = allRows(r);
      return {
        ...s,
        bins: distributionPlans(ctx, s).bins,
        distributions: decodeDistributions(rows),
        cooccurrence: decodeMissingness(rows, missingColumns(ctx, s)),
      };
    },
  };
}

/** Every statement's rows, in key order. */
function allRows(results: QueryResults): Row[] {
  return Object.values(results).flat();
}

// Grouping on every column copies the table into a hash table; above
// `exactDuplicatesMaxRows` that runs out of wasm memory, so rows are hashed instead.
const byHash = (ctx: ProfileContext, s: ProfileState): boolean => s.rows > ctx.t.exactDuplicatesMaxRows;
const names = (s: ProfileState): string[] => s.columns.map((c) => c.name);

function duplicatesStage(ctx: ProfileContext): Stage<ProfileState> {
  return {
    id: 'duplicates',
    label: 'Looking for duplicate rows',
    applies: found,
    queries: (s): Statements =>
      byHash(ctx, s)
        ? { hash: { sql: duplicatesByHashQuery(ctx.table, names(s)), oneRow: true } }
        : { duplicates: { sql: duplicatesQuery(ctx.table, names(s)), oneRow: true } },
    resolve: (s, r) => {
      if (!byHash(ctx, s)) return { ...s, duplicates: decodeDuplicates(r.duplicates?.[0], names(s)) };
      const { count, pairs, topHash } = decodeDuplicateHash(r.hash?.[0]);
      return { ...s, duplicates: { count, pairs, example: null }, topHash };
    },
  };
}

function duplicateExampleStage(ctx: ProfileContext): Stage<ProfileState> {
  return {
    id: 'duplicate-example',
    label: 'Looking for duplicate rows',
    applies: (s) => s.found && s.topHash !== null,
    queries: (s) => ({ example: rowByHashQuery(ctx.table, names(s), s.topHash ?? '') }),
    resolve: (s, r) => ({ ...s, duplicates: { ...s.duplicates, example: r.example?.[0] ?? null } }),
  };
}

function sampleStage(ctx: ProfileContext): Stage<ProfileState> {
  const { t } = ctx;
  return {
    id: 'sample',
    label: `Drawing a sample of ${t.sampleRows.toLocaleString('en-US')} rows`,
    applies: (s) => s.found && s.sampled,
    // In place, the sample is a CTE of the statements that read it: nothing runs here.
    queries: (s): Statements =>
      ctx.inPlace
        ? {}
        : {
            sample: {
              sql: sampleStatement(ctx.table, ctx.temp.sample, t.sampleRows, s.rows, ctx.sampleMethod),
              effect: true,
            },
          },
    resolve: (s) => ({
      ...s,
      source: ctx.temp.sample,
      pairSource: ctx.temp.sample,
      relations: ctx.inPlace
        ? [...s.relations, [ctx.temp.sample, sampleSelect(ctx.table, t.sampleRows, s.rows, ctx.sampleMethod)]]
        : s.relations,
    }),
  };
}

/** Statements that read `source` or `pairSource`, with the CTEs those name when the profile reads in place. */
function reading(s: ProfileState, statements: Record<string, string | Statement>): Statements {
  if (s.relations.length === 0) return statements;
  return Object.fromEntries(
    Object.entries(statements).map(([key, st]) => [
      key,
      typeof st === 'string'
        ? withRelations(s.relations, st)
        : { ...st, sql: withRelations(s.relations, st.sql) },
    ]),
  );
}

function valuesStage(ctx: ProfileContext): Stage<ProfileState> {
  return {
    id: 'values',
    label: valuesLabel,
    applies: found,
    queries: (s) => reading(s, valueStatements(ctx, s)),
    resolve: (s, r) => resolveValues(ctx, s, r),
  };
}

function pairSampleStage(ctx: ProfileContext): Stage<ProfileState> {
  const { t } = ctx;
  return {
    id: 'pair-sample',
    label: 'Drawing a sample for pairwise statistics',
    applies: (s) => s.found && needsPairSample(ctx, s),
    queries: (s): Statements =>
      ctx.inPlace
        ? {}
        : {
            sample: {
              sql: sampleStatement(
                s.source,
                ctx.temp.pairs,
                t.pairwiseMaxRows,
                s.values.sourceRows,
                ctx.sampleMethod,
              ),
              effect: true,
            },
          },
    resolve: (s) => ({
      ...s,
      pairSource: ctx.temp.pairs,
      pairSampleRows: t.pairwiseMaxRows,
      relations: ctx.inPlace
        ? [
            ...s.relations,
            [
              ctx.temp.pairs,
              sampleSelect(s.source, t.pairwiseMaxRows, s.values.sourceRows, ctx.sampleMethod),
            ],
          ]
        : s.relations,
    }),
  };
}

function pairsStage(ctx: ProfileContext): Stage<ProfileState> {
  return {
    id: 'pairs',
    label: (s) => {
      const { numeric, categorical } = pairColumns(ctx, s);
      return `Correlating ${numeric.length} numeric and comparing ${categorical.length} categorical columns`;
    },
    applies: (s) => s.found && pairStatements(ctx, s).both !== null,
    queries: (s) => reading(s, { pairs: pairStatements(ctx, s).both ?? '' }),
    resolve: (s, r) => {
      // Fewer than two columns on a side: no statement part, and no pairs to decode.
      const { numeric, categorical } = pairColumns(ctx, s);
      const rows = r.pairs ?? [];
      const correlations = decodeCorrelations(
        rows.filter((row) => row.g == null),
        numeric,
      );
      return {
        ...s,
        correlations,
        associations: decodeContingency(
          rows.filter((row) => row.g != null),
          categorical,
        ),
      };
    },
  };
}

/**
 * The temporary tables the stages reached may have created. Judged on the
 * last state a stage resolved, so a table created by a stage that then
 * failed or was cancelled is dropped too (`DROP TABLE IF EXISTS`).
 */
function temporaryTables(ctx: ProfileContext, s: ProfileState): string[] {
  if (!s.found || ctx.inPlace) return [];
  const tables: string[] = [];
  if (s.sampled) tables.push(ctx.temp.sample);
  if (columnBatches(s.columns, ctx.columnBatch).length > 1 && s.columns.some((c) => c.kind === 'string'))
    tables.push(ctx.temp.values);
  if (s.values.sourceRows > 0 && needsPairSample(ctx, s)) tables.push(ctx.temp.pairs);
  return tables;
}

function profileOf(
  ctx: ProfileContext,
  s: ProfileState,
  timing: { computedAt: string; durationMs: number },
): DatasetProfile {
  return assembleProfile({
    datasetId: ctx.datasetId,
    columns: s.columns,
    summary: s.summary,
    distinctMode: s.distinctMode,
    distributions: s.distributions,
    bins: s.bins,
    values: s.values,
    text: s.text,
    correlations: s.correlations,
    associations: s.associations,
    cooccurrence: s.cooccurrence,
    duplicates: s.duplicates,
    sample: sampleInfo(ctx, s),
    thresholds: ctx.t,
    ...timing,
  });
}

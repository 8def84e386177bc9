import type { StageFailure } from '../pipeline/stage';
import { SUMMARY_MAX_HELD_VALUES, resolveThresholds, type Thresholds } from '../thresholds';
import type { DistinctMode, ProfileColumn, Relation, SampleMethod } from '../sql/profile';
import { dialect } from '../sql/dialect';
import type { NiceBins } from '../stats/bins';
import type {
  Association,
  ColumnDistribution,
  ColumnText,
  Cooccurrence,
  Correlation,
  Duplicates,
  Summary,
  Values,
} from './decode';

/** How a profile is computed: the options that flow once into `profileAnalysis`. */
export interface ProfileAnalysisOptions {
  /** Overrides of `core/thresholds`, e.g. a lower `sampleAboveRows`. */
  thresholds?: Partial<Thresholds>;
  /** How the sample for heavy statistics is drawn; `bernoulli` is the faster default. */
  sampleMethod?: SampleMethod;
  /** Columns per statement, `PROFILE_COLUMN_BATCH` by default; tests set it low to exercise batching. */
  columnBatch?: number;
  /** Values the summary's exact aggregates may hold per statement, `SUMMARY_MAX_HELD_VALUES` by default; tests set it low. */
  summaryMaxHeldValues?: number;
  /**
   * Write nothing: samples are CTEs of the statements that read them, and wide
   * tables count values batch by batch, instead of temporary tables. The
   * default where the dialect `readsInPlace` (ClickHouse).
   */
  inPlace?: boolean;
}

/** What every stage of one profile reads: the options, resolved once. */
export interface ProfileContext {
  readonly table: string;
  readonly datasetId: string;
  readonly t: Thresholds;
  readonly sampleMethod: SampleMethod | undefined;
  readonly columnBatch: number | undefined;
  readonly summaryMaxHeldValues: number;
  /** No temporary table: samples are CTEs (`ProfileAnalysisOptions.inPlace`). */
  readonly inPlace: boolean;
  /** Names of the temporary tables (or, in place, CTEs) this profile may create (unique per profile). */
  readonly temp: { sample: string; values: string; pairs: string };
}

/** What the profile's stages know so far: each stage's decoded results. */
export interface ProfileState {
  /** The columns were read: the table exists and the other stages run. */
  readonly found: boolean;
  /** Reading the columns failed on a table that does not exist. */
  readonly missing: boolean;
  /** Reading the columns failed: the engine's reason, kept to tell a missing table apart. */
  readonly columnsFailure: StageFailure | null;
  readonly columns: readonly ProfileColumn[];
  readonly rows: number;
  /** Above `sampleAboveRows`: the heavy statistics run on a sample. */
  readonly sampled: boolean;
  readonly distinctMode: DistinctMode;
  readonly summary: Summary;
  readonly distributions: Map<number, ColumnDistribution>;
  readonly bins: Map<number, NiceBins>;
  readonly cooccurrence: Cooccurrence[];
  readonly duplicates: Duplicates;
  /** Hash of the most repeated row, when duplicates were counted by hash and one repeats. */
  readonly topHash: string | null;
  /** Where the heavy statistics read: the table, or its sample. */
  readonly source: string;
  /** In place, the samples `source` and `pairSource` name, as CTEs every statement reading them defines. */
  readonly relations: readonly Relation[];
  readonly values: Values;
  readonly text: Map<number, ColumnText>;
  /** Where ranks and contingency tables read: `source`, or a smaller sample of it. */
  readonly pairSource: string;
  /** Rows of the pairwise sample, null when there is none. */
  readonly pairSampleRows: number | null;
  readonly correlations: Correlation[];
  readonly associations: Association[];
}

let profileCounter = 0;

/** The context of one profile. Each call names its own temporary tables. */
export function profileContext(
  table: string,
  datasetId: string,
  options: ProfileAnalysisOptions = {},
): ProfileContext {
  const id = ++profileCounter;
  return {
    table,
    datasetId,
    t: resolveThresholds(options.thresholds),
    sampleMethod: options.sampleMethod,
    columnBatch: options.columnBatch,
    summaryMaxHeldValues: options.summaryMaxHeldValues ?? SUMMARY_MAX_HELD_VALUES,
    inPlace: options.inPlace ?? dialect.readsInPlace,
    temp: {
      sample: `__sz_profile_${id}_sample`,
      values: `__sz_profile_${id}_values`,
      pairs: `__sz_profile_${id}_pairs`,
    },
  };
}

/** The state before any stage ran. */
export function initialProfileState(table: string): ProfileState {
  return {
    found: false,
    missing: false,
    columnsFailure: null,
    columns: [],
    rows: 0,
    sampled: false,
    distinctMode: 'none',
    summary: { rows: 0, columns: new Map() },
    distributions: new Map(),
    bins: new Map(),
    cooccurrence: [],
    duplicates: { count: 0, pairs: 0, example: null },
    topHash: null,
    source: table,
    relations: [],
    values: { sourceRows: 0, columns: new Map() },
    text: new Map(),
    pairSource: table,
    pairSampleRows: null,
    correlations: [],
    associations: [],
  };
}

import type {
  Area,
  ColumnRoles,
  ColumnSchema,
  DatasetProfile,
  Finding,
  ProjectContext,
  TaskType,
} from '../model/audit';
import type { EvidenceLabels } from '../format';
import type { CheckId } from './check-ids';
import type { FindingPresentation } from './finding-facts';
import type { ReadinessSqlContext, TimeRef } from '../sql/readiness-common';
import type { ReadinessThresholds } from '../thresholds';
import type { QueryResults, Row } from '../pipeline/stage';

/** A result row as the engine returns it (the pipeline's `Row`). */
export type ResultRow = Row;

/** Query results of one check, keyed like its `queries()` (the pipeline's `QueryResults`). */
export type { QueryResults };

/** One day of `earlyDatesQuery`, read. */
export interface EarlyDay {
  day: string;
  rows: number;
}

/**
 * Dates isolated far before the bulk of a time column (`isolatedEarlyDates`
 * in time-encoding.ts). Declared here, with the setup that carries it, so
 * types.ts imports no check code.
 */
export interface IsolatedEarlyDates {
  /** The first day of the bulk: every isolated day is before it. */
  bulkStart: string;
  /** The isolated days, earliest first, with their rows. */
  days: EarlyDay[];
  rows: number;
  /** The gap in days between the last isolated day and `bulkStart`. */
  gapDays: number;
  q1: string;
  q3: string;
  fence: string;
  /** Rows judged (plausible, non-placeholder values). */
  judged: number;
}

/** How the readiness checks treat a column. */
export type ReadinessFamily =
  'numeric' | 'boolean' | 'temporal' | 'date-text' | 'categorical' | 'text' | 'other';

export interface ColumnFacts {
  name: string;
  type: string;
  family: ReadinessFamily;
  nonNull: number;
  distinct: number;
  /** Share of non-null text values that look like dates (0 for non-text). */
  dateLike: number;
  /** Unique or near-unique text (or an integer named like an ID). */
  idLike: boolean;
}

export interface ClassFacts {
  /** Canonical label (trimmed, lower-cased, yes/no folded). */
  label: string;
  /** The most frequent literal spelling. */
  display: string;
  rows: number;
  spellings: { raw: string | null; rows: number }[];
}

export interface LabelFacts {
  column: string;
  task: TaskType;
  kind: 'classes' | 'numeric';
  /** Classes by rows, descending (classification only). */
  classes: ClassFacts[];
  labelled: number;
  missing: number;
  /** Canonical positive class: the configured one, else the minority class. */
  positive?: string;
  positiveDisplay?: string;
  /** The positive class typed in the context, when it matches no class in the data. */
  positiveNotFound?: string;
  minority?: ClassFacts;
}

/** What `runReadiness` is asked to audit. */
export interface ReadinessInput {
  tableName: string;
  datasetId: string;
  columns: ColumnSchema[];
  roles: ColumnRoles;
  context: ProjectContext;
  profile?: DatasetProfile;
  thresholds?: Partial<ReadinessThresholds>;
}

/** Facts every check shares, resolved once per run from a few cheap queries. */
export interface ReadinessSetup {
  input: ReadinessInput;
  thresholds: ReadinessThresholds;
  rows: number;
  columns: ColumnFacts[];
  /** Candidate features: every column except target, ID, event and outcome time, and excluded ones. */
  features: ColumnFacts[];
  target?: ColumnFacts;
  label?: LabelFacts;
  id?: ColumnFacts;
  source?: ColumnFacts;
  segments: ColumnFacts[];
  time?: TimeRef;
  outcome?: TimeRef;
  /** Columns the timestamp checks inspect: event and outcome time plus any other date column. */
  timeColumns: TimeRef[];
  sql: ReadinessSqlContext;
  /** Role columns that do not exist in the table. */
  missingRoleColumns: string[];
  /** Time-role columns that cannot be read as time: left out of the time checks, reported by `time-role`. */
  unreadableTime: { column: string; role: 'event time' | 'outcome time'; message: string }[];
  /** How each time column is read ("read as calendar years"), by column name. */
  timeReadAs: Record<string, string>;
  /** Event times isolated far before the bulk, when no "history expected from" is set. */
  earlyEventTimes?: IsolatedEarlyDates;
  /** A column whose values each cover several rows (4 rows per traveller): splits must keep its groups together. */
  grouping?: Grouping;
}

/** A repeated entity: one value of `column` per entity, several rows each (see core/readiness/structure). */
export interface Grouping {
  column: string;
  entities: number;
  minRows: number;
  maxRows: number;
  /** Every entity has the same number of rows. */
  balanced: boolean;
  /** Each (entity, event time) pair occurs once: a panel of entities over time. */
  panel: boolean;
  /** Other features with one value within every entity (entity-level attributes). */
  attributes: string[];
  /** The statement that measured it. */
  sql: string;
}

/**
 * A step of the setup that needs the previous steps' facts: the time columns'
 * encodings and granularity, then the event time's history bounds.
 */
export interface SetupStage {
  queries(setup: ReadinessSetup): Record<string, string>;
  resolve(setup: ReadinessSetup, results: QueryResults): ReadinessSetup;
  /** Whether a check reads what this stage resolves: when its statement fails, that check cannot run. */
  feeds(check: Pick<CheckDefinition, 'id' | 'dependsOn'>): boolean;
}

/** What a check reads; a change to any of these re-runs it. */
export type Dependency =
  | 'target'
  | 'id'
  | 'eventTime'
  | 'outcomeTime'
  | 'source'
  | 'segments'
  | 'excluded'
  | 'asOf'
  | 'historyFrom'
  | 'task'
  | 'positiveClass'
  | 'predictionPoint'
  | 'profile'
  | 'thresholds';

/** One check of the registry: pure SQL in, findings out; it owns its presentation facts. */
export interface CheckDefinition extends FindingPresentation {
  /** Stable kebab-case id, the `check` of its findings. */
  id: CheckId;
  /** What it looks at in plain words, for "Incomplete — set a target" (checks that need a target). */
  inWords?: string;
  area: Area;
  /** What the check looks for, one line. */
  description: string;
  /** The label and kind of every evidence key its findings carry (a test holds every key to it). */
  evidence: EvidenceLabels;
  dependsOn: readonly Dependency[];
  /** Whether the roles and context allow the check at all. */
  applies(setup: ReadinessSetup): boolean;
  /** The statements to run, keyed by name. */
  queries(setup: ReadinessSetup): Record<string, string>;
  /** Findings from the statements' results. */
  findings(setup: ReadinessSetup, results: QueryResults): Finding[];
}

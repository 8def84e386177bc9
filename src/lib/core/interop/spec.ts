import type { Area, RedactionMode, ServerTable, Severity } from '../model/audit';

/**
 * The check spec (issue 23): one engine-neutral description of what the audit
 * says should hold of the client's data, which every export writer (ODCS,
 * dbt, Great Expectations, Soda, Croissant, the dataset card) reads. It is
 * derived from an already redacted audit (`deriveCheckSpec`), so a writer
 * never sees a personal value and never decides what to mask.
 *
 * SQL in a rule is DuckDB SQL with tokens a writer binds to its own
 * placeholder: `{{table}}` the rule's table, `{{parent}}` a relation's
 * parent table, `{{today}}` the run date (a DATE expression). Tests bind them
 * to loaded tables and the audit's as-of date (`bindSpecSql`).
 */

export const SPEC_TOKENS = { table: '{{table}}', parent: '{{parent}}', today: '{{today}}' } as const;

/** ODCS v3.1's quality dimensions; every rule names one. */
export const SPEC_DIMENSIONS = [
  'accuracy',
  'completeness',
  'conformity',
  'consistency',
  'coverage',
  'timeliness',
  'uniqueness',
] as const;
export type SpecDimension = (typeof SPEC_DIMENSIONS)[number];

/** The column's logical type, the common ground of ODCS, dbt, GX, Soda and Croissant. */
export type LogicalType =
  'string' | 'integer' | 'number' | 'boolean' | 'date' | 'timestamp' | 'object' | 'array';

export type RuleKind =
  /** The table has at least `minRows` rows. */
  | 'row-count'
  /** The column is never null. */
  | 'not-null'
  /** The column's null share stays at or below `maxShare`. */
  | 'null-rate'
  /** No value of the column (or the `columns` together) appears twice: the value counts values seen more than once, as dbt's `unique`. */
  | 'unique'
  /** Every non-null value is one of `values`. */
  | 'accepted-values'
  /** Every non-null value lies within [`min`, `max`]. */
  | 'range'
  /** None of `values` appears (sentinels, placeholder dates, missing-like tokens). */
  | 'invalid-values'
  /** The newest `column` value is at most `maxAgeDays` days before `{{today}}`. */
  | 'freshness'
  /** Every non-null key of `column` exists in the parent's `parentColumn`: the value counts child rows without a parent, as dbt's `relationships`. */
  | 'relationship'
  /** No whole row appears twice: the value counts rows beyond the first copy. */
  | 'duplicate-rows'
  /** A statement written for one check (outcome before event, future dates…): the value counts violating rows. */
  | 'sql'
  /** A drift statistic from the monitoring contract, against the reference's shares. */
  | 'drift';

/** What the rule's SQL returns, in one row and one column named `value`. */
export type RuleMeasure = 'violations' | 'rows' | 'share' | 'days' | 'statistic';

/** How `value` is judged: the rule holds when `value <op> threshold`. */
export interface RuleExpectation {
  op: '=' | '<=' | '>=';
  threshold: number;
}

export interface SpecRule {
  /** Stable and readable: `<kind>:<object>:<column or key>`; unique within the spec. */
  id: string;
  kind: RuleKind;
  /** The dataset (spec `objectName`) the rule reads. */
  object: string;
  /** The column(s) it reads; empty for table-level rules. */
  columns: string[];
  dimension: SpecDimension;
  /** `error` fails a pipeline, `warn` asks for a look. */
  severity: 'error' | 'warn';
  /** One dialect-neutral sentence, in plain words, no SQL (through core/format for numbers). */
  description: string;
  measure: RuleMeasure;
  expect: RuleExpectation;
  /** DuckDB SQL returning one row with one column, `value`; uses the tokens above. */
  sql: string;
  /** DuckDB SQL selecting the violating rows (dbt singular tests, GX's unexpected_rows_expectation); absent for aggregate rules. */
  failingRowsSql?: string;
  /** `value` on the audited data: what `sql` returns there (tests hold the two equal). */
  observed: number;
  /** Kind-specific parameters, for writers with a native test (dbt `accepted_values`, GX `expect_column_values_to_be_between`…). */
  params: {
    minRows?: number;
    maxShare?: number;
    values?: (string | number | boolean)[];
    min?: number | string;
    max?: number | string;
    maxAgeDays?: number;
    parentObject?: string;
    parentColumn?: string;
    /** Keys compared as trimmed text, as the relation's measurement did (types differ). */
    comparedAsText?: boolean;
    /** Drift: the statistic's name and its retrain level beside the review level in `expect`. */
    statistic?: 'psi' | 'jensen-shannon' | 'missing-rate';
    retrain?: number;
  };
  /** Where the rule comes from: the profile, a finding (its check and id), a relation, the monitoring contract. */
  source: {
    from: 'profile' | 'finding' | 'relation' | 'volume' | 'time' | 'monitoring';
    check?: string;
    findingId?: string;
  };
}

export interface SpecColumn {
  name: string;
  /** The engine's type as loaded (DuckDB's name). */
  physicalType: string;
  logicalType: LogicalType;
  /** No null at the audit. */
  required: boolean;
  /** No value repeats at the audit and the column is a key (id role, a relation's parent key, a key-like name). */
  unique: boolean;
  primaryKey: boolean;
  /** Personal data (detected, marked or by name) with the kinds found; values never leave. */
  personal?: { reason: 'detected' | 'marked' | 'name'; kinds: string[] };
  /** The audit's role for it, if any. */
  role?: 'target' | 'id' | 'eventTime' | 'outcomeTime' | 'source' | 'segment' | 'excluded';
  /** Null share at the audit (0–1). */
  missingShare: number;
  distinct: number;
  /** A short plain-words description: role, type, personal data. */
  description: string;
}

export interface SpecObject {
  /** The dataset's id in the audit. */
  datasetId: string;
  /** Identifier-safe, unique in the spec (`customers`, from `customers.csv`): model, schema and file names. */
  objectName: string;
  fileName: string;
  /** The file's format, or `clickhouse` for a table read in place on a server (no size, no checksum). */
  format: string;
  /** A `clickhouse` object's server and table, never a credential; absent for a file (and in audits saved before it). */
  server?: ServerTable;
  sizeBytes: number;
  /** Hex sha256 of the file's bytes, when the loader computed it. */
  sha256?: string;
  rowCount: number;
  primary: boolean;
  columns: SpecColumn[];
  /** The event time's span at the audit, ISO dates. */
  timeCoverage?: { column: string; from: string; to: string };
}

export interface SpecRelationship {
  child: { object: string; column: string };
  parent: { object: string; column: string };
  cardinality: string;
  comparedAsText: boolean;
}

/** An open finding, in words, for cards' limitations and biases (already redacted). */
export interface SpecFinding {
  id: string;
  check: string;
  area: Area;
  severity: Severity;
  title: string;
  object: string;
  columns: string[];
  recommendation: string;
}

export interface CheckSpec {
  /** Identifier-safe name of the audit, for file names (`<name>.odcs.yaml`). */
  name: string;
  title: string;
  /** The audit's decision and target definition, in words. */
  description: string;
  /** ISO timestamp of the audit's last update, and the as-of date the rules were judged at. */
  createdAt: string;
  asOf: string;
  /** The verdict's status and its sentence. */
  verdict: { status: string; label: string };
  /** How personal values were masked before derivation. */
  redaction: RedactionMode;
  objects: SpecObject[];
  relationships: SpecRelationship[];
  rules: SpecRule[];
  findings: SpecFinding[];
  /** The target column and task, when set. */
  target?: { object: string; column: string; task: string };
}

/** One written file: a path relative to the export folder (`dbt/models/x.yml`), its type and text. */
export interface InteropFile {
  path: string;
  mimeType: string;
  text: string;
}

/**
 * Replace a rule's tokens with this run's SQL fragments: `table` and `parent`
 * as quoted identifiers (or a writer's own placeholder), `today` as a DATE
 * expression (`DATE '2024-06-30'`, `CURRENT_DATE`).
 */
export function bindSpecSql(sql: string, bind: { table: string; parent?: string; today?: string }): string {
  let out = sql.replaceAll(SPEC_TOKENS.table, bind.table);
  if (bind.parent !== undefined) out = out.replaceAll(SPEC_TOKENS.parent, bind.parent);
  if (bind.today !== undefined) out = out.replaceAll(SPEC_TOKENS.today, bind.today);
  return out;
}

/**
 * A rule's threshold as written in a check file's SQL: the shortest decimal
 * that reads back as the same number (`0.1`, not `0.10000000000000001`), never
 * in e-notation, so a client's engineer reads the number the description says.
 */
export function thresholdLiteral(value: number): string {
  if (!Number.isFinite(value)) return 'NULL';
  const shortest = String(value);
  if (!/e/i.test(shortest)) return shortest;
  // Below 1e-6 or from 1e21 JavaScript switches to e-notation; spell the digits out instead.
  const fixed =
    Math.abs(value) < 1 ? value.toFixed(20).replace(/0+$/, '') : BigInt(Math.round(value)).toString();
  return Number(fixed) === value ? fixed : value.toPrecision(17);
}

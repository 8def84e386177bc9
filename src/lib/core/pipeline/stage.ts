/**
 * The one contract every analysis follows (profile, readiness, plan, drift,
 * feasibility, relations): a stage names its statements from the state so far,
 * the session's `QueryRunner` runs them, and the stage folds the rows back
 * into a new state. Stages are pure; only the runner talks to an engine.
 */

/** A result row as the engine returns it: column name to plain scalar. */
export type Row = Record<string, unknown>;

/** The rows of each statement of a stage, keyed like its `queries()`. */
export type QueryResults = Record<string, Row[]>;

/** Runs one statement and returns its rows (what core code that predates stages receives). */
export type RunQuery = (sql: string) => Promise<Row[]>;

/** A statement with how the runner may run it. */
export interface Statement {
  sql: string;
  /**
   * Run for its effect (a temporary table), before the stage's other
   * statements, in key order; its result is `[]`.
   */
  effect?: boolean;
  /**
   * Always returns exactly one row (an aggregate without GROUP BY): the
   * runner may fuse it with the stage's other one-row statements into one
   * round trip, where the engine allows.
   */
  oneRow?: boolean;
  /** What the progress line says while this statement runs (a batch of a long stage); the stage's label otherwise. */
  progress?: string;
}

/** A stage's statements by key: plain SQL returns rows, one after another, in key order. */
export type Statements = Readonly<Record<string, string | Statement>>;

/** Why a statement failed, as a stage's `recover` receives it. */
export interface StageFailure {
  /** The stage's id. */
  stage: string;
  /** The key of the statement that failed. */
  key: string;
  sql: string;
  /** One line for the consultant. */
  message: string;
  /** The engine's own text. */
  detail: string;
}

export interface Stage<S> {
  /** Stable id: the timing mark (`sz:<analysis>:<id>`) and progress key, e.g. a check id. */
  id: string;
  /** What the progress line says while it runs. */
  label: string | ((state: S) => string);
  /** Whether to run at all, judged on the state the earlier stages left (default: yes). */
  applies?(state: S): boolean;
  /** The statements to run, from the state so far. */
  queries(state: S): Statements;
  /** The state with this stage's results folded in. */
  resolve(state: S, results: QueryResults): S;
  /**
   * A statement failed: the state with the failure recorded (a finding), or
   * `undefined` to stop the analysis. Absent: stop.
   */
  recover?(state: S, failure: StageFailure): S | undefined;
}

/** An analysis: its stages in order, and what to drop afterwards however it ended. */
export interface Analysis<S> {
  /** `profile`, `readiness`, `plan`, `drift`…: the first part of every timing mark. */
  name: string;
  stages: readonly Stage<S>[];
  /** Statements that undo the stages' effects (DROP TABLE of temporary tables), run even after a failure or cancel. */
  cleanup?(state: S): string[];
}

/** The SQL of a statement, whichever way it was written. */
export function statementSql(statement: string | Statement): string {
  return typeof statement === 'string' ? statement : statement.sql;
}

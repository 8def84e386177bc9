import type { ReadinessSetupMemo } from './setup-memo';
import type { AuditDocument } from '../core/model/audit';
import type { RoleSuggestions } from '../core/readiness/roles';
import type { Connector, DataSource } from '../engine/connector';
import type { Decoders } from '../engine/decoders/types';
import type { LoadedDataset, LoadOptions } from '../engine/load-dataset';
import type { AuditStorePort } from './store-port';
import type { TaskContext, TaskState } from './task-queue';

/** The engine a session drives: one DuckDB connection and the JS/WASM decoders. */
export interface SessionEngine {
  connector: Connector;
  decoders: Decoders;
  /**
   * Loads a file into a table in place of the shared loader (`loadDataset`), for an
   * engine that reads formats itself: the CLI's native DuckDB reads Parquet folders,
   * globs and JSON from disk. The session stays engine-agnostic.
   */
  load?: (source: DataSource, options: LoadOptions) => Promise<LoadedDataset>;
}

export interface AuditSessionOptions {
  /** The engine, or a function that starts it on first use (the browser starts DuckDB lazily). */
  engine: SessionEngine | (() => Promise<SessionEngine>);
  store: AuditStorePort;
  /** New audit ids; random UUIDs by default. */
  newId?: () => string;
}

export type SessionErrorCode =
  | 'save-failed'
  | 'not-found'
  | 'open-failed'
  | 'engine-failed'
  | 'load-failed'
  | 'analysis-failed'
  | 'role-refused';

/** A failure the user must hear about. The message is written for them. */
export class SessionError extends Error {
  override readonly name = 'SessionError';
  constructor(
    readonly code: SessionErrorCode,
    message: string,
    override readonly cause?: unknown,
  ) {
    super(message);
  }
}

/** Something worth telling the user that is not a failure: a load warning, a cancellation. */
export interface SessionNotice {
  kind: 'warning' | 'info';
  text: string;
}

/** Everything a session reports. Subscribe with `session.on(name, listener)`. */
export interface SessionEvents {
  /** The open document changed (an edit, a load, an analysis, a save, or closing it). */
  audit: AuditDocument | undefined;
  /** The dataset → table registry changed. */
  tables: ReadonlyMap<string, LoadedDataset>;
  /** The running task started, progressed, was cancelled or ended (undefined). */
  task: TaskState | undefined;
  notice: SessionNotice;
  error: SessionError;
  /** Roles were filled in from the suggestions, the first time a primary dataset was analysed. */
  'roles-suggested': { datasetId: string; suggestions: RoleSuggestions };
}

/** Load options the caller may set; the session supplies the signal, the progress and the table name. */
export type SessionLoadOptions = Omit<LoadOptions, 'signal' | 'onProgress' | 'tableName'>;

export interface LoadOutcome {
  /** Ids of the datasets loaded. */
  loaded: string[];
  /** Files that could not be loaded, with the error already reported. */
  failed: { name: string; error: SessionError }[];
  cancelled: boolean;
}

export interface AnalyseOptions {
  /** Recompute profiles even when they are up to date. */
  reprofile?: boolean;
  /** Re-run only these readiness checks. */
  onlyChecks?: readonly string[];
  /**
   * Fill in the suggested roles when the primary dataset has none yet (default true),
   * and the task the suggested target's values point to. A suggested source system is
   * only offered (`roles-suggested`), never filled in: the consultant is asked first.
   */
  suggestRoles?: boolean;
  /**
   * Follow a finished analysis with the metric plan's baselines (default true).
   * The CLI says false: it computes them itself, with its `--plan` file.
   */
  plan?: boolean;
  /** Train the feasibility baselines after the analysis (default true); false records them as skipped (the CLI's `--no-baseline`). */
  baselines?: boolean;
  /** Suggest relations between the datasets after the analysis (default true); false is the CLI's `--no-suggest`. */
  discoverRelations?: boolean;
  /** Accept every suggested relation and measure it (the CLI without `--relation`). */
  acceptSuggestedRelations?: boolean;
  /** Keep the context's task even when suggested roles are filled in (the CLI's `--task`). */
  keepTask?: boolean;
  /**
   * Read the task again from the primary dataset's target even when its roles
   * are already set: another dataset became the assessed one.
   */
  taskFromTarget?: boolean;
}

/** Whether `setRoles` set the roles, and why not when it refused them. */
export type RolesOutcome = { set: true } | { set: false; reason: string };

export type AnalyseOutcome = 'done' | 'cancelled' | 'failed' | 'not-loaded' | 'no-audit';

/**
 * What an analysis module (drift, plan, feasibility…) needs of the session:
 * the open document, the loaded tables, the engine, the task queue and the
 * edit path. `AuditSession` implements it; modules take this, not the class,
 * so none of them imports the session back.
 */
export interface SessionHost {
  readonly audit: AuditDocument | undefined;
  /** DuckDB table of each loaded dataset, by dataset id. */
  tableMap(): Readonly<Record<string, string>>;
  engine(): Promise<SessionEngine>;
  /** The readiness setup the last analysis read, for feasibility and the plan to reuse. */
  readonly readinessSetups?: ReadinessSetupMemo;
  runTask<T>(label: string, body: (task: TaskContext) => Promise<T>): Promise<T>;
  edit(change: (audit: AuditDocument) => AuditDocument): Promise<boolean>;
}

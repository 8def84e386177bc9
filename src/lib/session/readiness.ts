import type { ColumnSchema, DatasetProfile, Finding } from '../core/model/audit';
import { readinessAnalysis, readinessFindings, unknownCheckIds } from '../core/readiness/analysis';
import {
  roleStatsFromFacts,
  roleStatsFromProfile,
  suggestRoles,
  type RoleSuggestions,
} from '../core/readiness/roles';
import { validateTimeRole, type TimeRoleCheck } from '../core/readiness/time-encoding';
import type { ReadinessInput, ReadinessSetup } from '../core/readiness/types';
import { columnFactsQuery, labelSpellingsQuery } from '../core/sql/readiness-setup';
import { timeFactsQuery } from '../core/sql/readiness-time';
import { isTemporalType } from '../core/sql/types';
import { READINESS_THRESHOLDS } from '../core/thresholds';
import { AnalysisError, QueryRunner, type QueryPort } from './query-runner';

export interface ReadinessProgress {
  /** Stages finished so far (the shared facts, then one per check). */
  done: number;
  total: number;
  /** The check about to run (`setup…` while the shared facts are read, `done` at the end). */
  check: string;
}

export interface RunReadinessOptions extends ReadinessInput {
  /** Re-run only these check ids (e.g. from `checksToRerun`); all checks when absent. */
  only?: readonly string[];
  signal?: AbortSignal;
  onProgress?: (progress: ReadinessProgress) => void;
  /** Names the `sz:readiness:<subject>` timing mark. */
  subject?: string;
  /** Receives the setup the run read, when every setup statement succeeded (for `ReadinessSetupMemo`). */
  onSetup?: (input: ReadinessInput, setup: ReadinessSetup) => void;
}

/** Why a readiness run stopped. */
export class ReadinessError extends Error {
  override readonly name = 'ReadinessError';
  constructor(
    readonly code: 'cancelled' | 'unknown-check',
    message: string,
  ) {
    super(message);
  }
}

/**
 * Run the readiness audit on a loaded table and return its findings, most
 * severe first: the stages of `readinessAnalysis` through one `QueryRunner`
 * (statements shared by several checks run once; cancel interrupts the
 * running statement). A check whose SQL fails yields a `major` finding
 * instead of failing the whole audit.
 */
export async function runReadiness(
  engine: QueryPort | QueryRunner,
  options: RunReadinessOptions,
): Promise<Finding[]> {
  const { signal, onProgress, only, subject, onSetup, ...input } = options;
  const unknown = unknownCheckIds(only);
  if (unknown.length > 0)
    throw new ReadinessError('unknown-check', `Unknown readiness check: ${unknown.join(', ')}.`);
  try {
    const state = await runnerOf(engine).run(
      readinessAnalysis(only),
      { input, findings: [] },
      {
        ...(signal ? { signal } : {}),
        ...(subject ? { subject } : {}),
        ...(onProgress
          ? { onProgress: (p) => onProgress({ done: p.done, total: p.total, check: p.stage }) }
          : {}),
      },
    );
    if (onSetup && state.setup && !state.setupFailures?.length) onSetup(input, state.setup);
    return readinessFindings(state);
  } catch (error) {
    if (signal?.aborted || (error instanceof AnalysisError && error.code === 'cancelled'))
      throw new ReadinessError('cancelled', 'The readiness audit was cancelled.');
    throw error;
  }
}

/**
 * Suggest column roles for a loaded table, from the profile when given, or
 * from one pass of counts otherwise. A column suggested for a time role is
 * read with `checkTimeRole` first (dates and timestamps need no check): one
 * that cannot be read as time (a "Running Time min" column of minutes) is
 * dropped and the next candidate taken, so no suggestion offers a time role
 * the audit would refuse.
 */
export async function suggestRolesFor(
  engine: QueryPort | QueryRunner,
  options: { tableName: string; columns: ColumnSchema[]; profile?: DatasetProfile },
): Promise<RoleSuggestions> {
  const runner = runnerOf(engine);
  let stats;
  if (options.profile) stats = roleStatsFromProfile(options.profile);
  else {
    const [row] = await runner.rows(columnFactsQuery(options.tableName, options.columns));
    stats = roleStatsFromFacts(options.columns, row ?? {});
  }
  const first = suggestRoles(options.columns, stats);
  const notTime = new Set<string>();
  const candidates = new Set(
    first.suggestions.filter((x) => x.role === 'eventTime' || x.role === 'outcomeTime').map((x) => x.column),
  );
  for (const name of candidates) {
    const column = options.columns.find((c) => c.name === name);
    if (
      column &&
      !isTemporalType(column.type) &&
      !(await checkTimeRole(runner, options.tableName, column)).ok
    )
      notTime.add(name);
  }
  // A target with few values: its classes, counted as the label checks count them, decide the task and the positive class.
  const target = first.roles.target;
  const few =
    target !== undefined && (stats.columns[target]?.distinct ?? 0) <= READINESS_THRESHOLDS.targetMaxClasses;
  const targetSpellings = few
    ? { column: target, rows: await labelSpellings(runner, options.tableName, target) }
    : undefined;
  return notTime.size === 0 && !targetSpellings
    ? first
    : suggestRoles(options.columns, stats, { notTime, ...(targetSpellings ? { targetSpellings } : {}) });
}

/** A label column's literal spellings and their canonical labels, as the label checks count them. */
export async function labelSpellings(
  engine: QueryPort | QueryRunner,
  tableName: string,
  column: string,
): Promise<{ raw: string | null; label: string | null; rows: number }[]> {
  const runner = runnerOf(engine);
  const text = (v: unknown): string | null => (v === null || v === undefined ? null : String(v));
  return (await runner.rows(labelSpellingsQuery(tableName, column, 1000))).map((r) => ({
    raw: text(r.raw),
    label: text(r.label),
    rows: Number(r.rows ?? 0),
  }));
}

/**
 * Whether a column can take the event- or outcome-time role: one pass of
 * `timeFactsQuery`, judged by the pure `validateTimeRole`. The app and the
 * CLI call this when a role is set, and refuse the role with the returned
 * message when `ok` is false (e.g. a text column of names, a BOOLEAN).
 */
export async function checkTimeRole(
  engine: QueryPort | QueryRunner,
  tableName: string,
  column: Pick<ColumnSchema, 'name' | 'type'>,
): Promise<TimeRoleCheck> {
  const runner = runnerOf(engine);
  const [row] = await runner.rows(timeFactsQuery(tableName, { column: column.name, type: column.type }));
  return validateTimeRole(column, row ?? {});
}

/** The caller's runner (its cache and cancel), or a new one on a bare engine. */
function runnerOf(engine: QueryPort | QueryRunner): QueryRunner {
  return engine instanceof QueryRunner ? engine : new QueryRunner(engine);
}

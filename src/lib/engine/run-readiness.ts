import { isTemporalType } from '../core/profile/family';
import { FindingSchema, type ColumnSchema, type DatasetProfile, type Finding } from '../core/audit/schema';
import { finder, sortFindings } from '../core/readiness/findings';
import { READINESS_CHECKS } from '../core/readiness/registry';
import {
  roleStatsFromFacts,
  roleStatsFromProfile,
  suggestRoles,
  type RoleSuggestions,
} from '../core/readiness/roles';
import { SETUP_STAGES, resolveSetup, setupQueries } from '../core/readiness/setup';
import type { CheckDefinition, QueryResults, ReadinessInput, ReadinessSetup } from '../core/readiness/types';
import { columnFactsQuery, labelSpellingsQuery } from '../core/sql/readiness-setup';
import { READINESS_THRESHOLDS } from '../core/thresholds';
import { timeFactsQuery } from '../core/sql/readiness-time';
import { validateTimeRole, type TimeRoleCheck } from '../core/readiness/time-encoding';
import type { Connector, Row } from './connector';
import { errorText } from './errors';

export interface ReadinessProgress {
  /** Checks finished so far. */
  done: number;
  total: number;
  /** The check about to run (or `setup`). */
  check: string;
}

export interface RunReadinessOptions extends ReadinessInput {
  /** Re-run only these check ids (e.g. from `checksToRerun`); all checks when absent. */
  only?: readonly string[];
  signal?: AbortSignal;
  onProgress?: (progress: ReadinessProgress) => void;
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
 * severe first. Each check's SQL comes from `core`; statements shared by
 * several checks run once. A check whose SQL fails yields a `major` finding in
 * its area, naming the check and the error, instead of failing the whole
 * audit: the verdict cannot read Ready while a check did not run, and the user
 * can still waive it with a reason. The profile, when given, feeds
 * the quality and privacy findings and saves the column-facts pass.
 */
export async function runReadiness(conn: Connector, options: RunReadinessOptions): Promise<Finding[]> {
  const { signal, onProgress, only, ...input } = options;
  const unknown = (only ?? []).filter((id) => !READINESS_CHECKS.some((c) => c.id === id));
  if (unknown.length > 0)
    throw new ReadinessError('unknown-check', `Unknown readiness check: ${unknown.join(', ')}.`);
  const cache = new Map<string, Row[]>();
  const onAbort = (): void => void conn.cancel();
  signal?.addEventListener('abort', onAbort);
  const throwIfCancelled = (): void => {
    if (signal?.aborted) throw new ReadinessError('cancelled', 'The readiness audit was cancelled.');
  };
  const run = async (sql: string): Promise<Row[]> => {
    throwIfCancelled();
    const hit = cache.get(sql);
    if (hit) return hit;
    const rows = await conn.query(sql);
    cache.set(sql, rows);
    return rows;
  };
  try {
    onProgress?.({ done: 0, total: 0, check: 'setup' });
    const setupResults: QueryResults = {};
    for (const [key, sql] of Object.entries(setupQueries(input))) setupResults[key] = await run(sql);
    let setup = resolveSetup(input, setupResults);
    for (const stage of SETUP_STAGES) {
      const stageResults: QueryResults = {};
      for (const [key, sql] of Object.entries(stage.queries(setup))) stageResults[key] = await run(sql);
      setup = stage.resolve(setup, stageResults);
    }
    const wanted = only ? new Set(only) : undefined;
    const checks = READINESS_CHECKS.filter((c) => !wanted || wanted.has(c.id)).filter((c) =>
      c.applies(setup),
    );
    const findings: Finding[] = [];
    for (const [index, check] of checks.entries()) {
      onProgress?.({ done: index, total: checks.length, check: check.id });
      findings.push(...(await runCheck(check, setup, run, throwIfCancelled)));
    }
    onProgress?.({ done: checks.length, total: checks.length, check: 'done' });
    return sortFindings(findings);
  } catch (error) {
    if (signal?.aborted) throw new ReadinessError('cancelled', 'The readiness audit was cancelled.');
    throw error;
  } finally {
    signal?.removeEventListener('abort', onAbort);
  }
}

async function runCheck(
  check: CheckDefinition,
  setup: ReadinessSetup,
  run: (sql: string) => Promise<Row[]>,
  throwIfCancelled: () => void,
): Promise<Finding[]> {
  const queries = check.queries(setup);
  const results: QueryResults = {};
  let failedSql = '';
  try {
    for (const [key, sql] of Object.entries(queries)) {
      failedSql = sql;
      results[key] = await run(sql);
    }
    failedSql = '';
    const findings = check.findings(setup, results);
    for (const f of findings) {
      const parsed = FindingSchema.safeParse(f);
      if (!parsed.success)
        throw new Error(
          `finding ${f.id} does not match the schema: ${parsed.error.issues[0]?.message ?? ''}`,
        );
    }
    return findings;
  } catch (error) {
    throwIfCancelled();
    return [
      finder(
        setup,
        check.id,
        check.area,
      )({
        severity: 'major',
        key: 'error',
        title: `Check ${check.id} could not run: ${errorText(error).split('\n')[0]!.slice(0, 160)}`,
        columns: [],
        evidence: { check: check.id, error: errorText(error).slice(0, 500) },
        sql: failedSql,
        recommendation: `The ${check.area} area was not fully assessed: ${check.description} Check the column roles and types and re-run; if they look right, report the error, or waive this finding with a reason.`,
      }),
    ];
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
  conn: Connector,
  options: { tableName: string; columns: ColumnSchema[]; profile?: DatasetProfile },
): Promise<RoleSuggestions> {
  let stats;
  if (options.profile) stats = roleStatsFromProfile(options.profile);
  else {
    const [row] = await conn.query(columnFactsQuery(options.tableName, options.columns));
    stats = roleStatsFromFacts(options.columns, row ?? {});
  }
  const first = suggestRoles(options.columns, stats);
  const notTime = new Set<string>();
  const candidates = new Set(
    first.suggestions.filter((x) => x.role === 'eventTime' || x.role === 'outcomeTime').map((x) => x.column),
  );
  for (const name of candidates) {
    const column = options.columns.find((c) => c.name === name);
    if (column && !isTemporalType(column.type) && !(await checkTimeRole(conn, options.tableName, column)).ok)
      notTime.add(name);
  }
  // A target with few values: its classes, counted as the label checks count them, decide the task and the positive class.
  const target = first.roles.target;
  const few =
    target !== undefined && (stats.columns[target]?.distinct ?? 0) <= READINESS_THRESHOLDS.targetMaxClasses;
  const targetSpellings = few
    ? {
        column: target,
        rows: (await conn.query(labelSpellingsQuery(options.tableName, target, 1000))).map((r) => ({
          raw: r.raw === null || r.raw === undefined ? null : String(r.raw),
          label: r.label === null || r.label === undefined ? null : String(r.label),
          rows: Number(r.rows ?? 0),
        })),
      }
    : undefined;
  return notTime.size === 0 && !targetSpellings
    ? first
    : suggestRoles(options.columns, stats, { notTime, ...(targetSpellings ? { targetSpellings } : {}) });
}

/**
 * Whether a column can take the event- or outcome-time role: one pass of
 * `timeFactsQuery`, judged by the pure `validateTimeRole`. The app and the
 * CLI call this when a role is set, and refuse the role with the returned
 * message when `ok` is false (e.g. a text column of names, a BOOLEAN).
 */
export async function checkTimeRole(
  conn: Connector,
  tableName: string,
  column: Pick<ColumnSchema, 'name' | 'type'>,
): Promise<TimeRoleCheck> {
  const [row] = await conn.query(timeFactsQuery(tableName, { column: column.name, type: column.type }));
  return validateTimeRole(column, row ?? {});
}

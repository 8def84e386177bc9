/**
 * One full audit (load, profile, readiness with every role set, the
 * feasibility baselines as the session runs them after every analysis, the
 * demo's example metric plan, and drift of the later half of the history against the
 * earlier half) on one engine, timed per phase and per readiness check. Shared
 * by `npm run bench` and `npm run bench:first-verdict`.
 */
import type { Connector, Row } from '../src/lib/engine/connector';
import type { ColumnRoles, Finding, ProjectContext } from '../src/lib/core/model/audit';
import { nodeDecoders } from '../src/lib/engine/node-decoders';
import { fileSource } from '../src/lib/engine/node-source';
import { loadDataset } from '../src/lib/engine/load-dataset';
import { profileDataset } from '../src/lib/session/profile';
import { runReadiness } from '../src/lib/session/readiness';
import { ident } from '../src/lib/core/sql/quote';
import { newAudit } from '../src/lib/core/model/document';
import { withDataset } from '../src/lib/core/audit/edits';
import { toDatasetRef } from '../src/lib/engine/dataset-ref';
import { computePlanResults } from '../src/lib/session/plan';
import { QueryRunner } from '../src/lib/session/query-runner';
import { planPersonalColumns, planReadinessInput } from '../src/lib/core/plan/document';
import { exampleChurnPlan } from '../src/lib/core/plan/summary';
import { driftInputFor, historyInputFor } from '../src/lib/core/drift/request';
import { driftHistory, driftReport } from '../src/lib/session/drift';
import { timeFeasibility, type FeasibilityTiming, type TimedStatement } from './feasibility';

export interface AuditTiming {
  load: number;
  profile: number;
  readiness: number;
  /** The feasibility step (issue 21), run before the plan as the session does (absent: no target). */
  feasibility?: number;
  /** Its stages and statements. */
  feasibilityDetail?: FeasibilityTiming;
  /** The metric plan's baselines and checks (absent: no target). */
  plan?: number;
  /** Drift report (date split at the median event month) and monthly history (absent: no event time). */
  drift?: number;
  /** Milliseconds of SQL per readiness check (`setup` = the shared statements). */
  checks: Record<string, number>;
  /** Statements each check ran. */
  statements: Record<string, number>;
  findings: Finding[];
  rows: number;
}

/**
 * Wrap a connector so the time of every statement is charged to the check that
 * is running. Checks run one after another, so the current one is unambiguous.
 */
export function chargingConnector(conn: Connector): {
  conn: Connector;
  charge: (check: string) => void;
  times: Record<string, number>;
  counts: Record<string, number>;
  /** Every statement with its check and time, in the order sent. */
  log: TimedStatement[];
} {
  let current = 'setup';
  const times: Record<string, number> = {};
  const counts: Record<string, number> = {};
  const log: TimedStatement[] = [];
  const timed =
    <R>(fn: (sql: string) => Promise<R>) =>
    async (sql: string): Promise<R> => {
      const t = performance.now();
      try {
        return await fn(sql);
      } finally {
        const ms = performance.now() - t;
        times[current] = (times[current] ?? 0) + ms;
        counts[current] = (counts[current] ?? 0) + 1;
        log.push({ stage: current, ms, sql });
      }
    };
  const wrapped: Connector = {
    ...conn,
    query: timed((sql): Promise<Row[]> => conn.query(sql)),
    queryArrow: timed((sql) => conn.queryArrow(sql)),
    exec: timed((sql) => conn.exec(sql)),
  };
  return { conn: wrapped, charge: (check) => (current = check), times, counts, log };
}

/** Load `path` with the shared loader, profile it, and run every readiness check. */
export async function timeFullAudit(
  conn: Connector,
  path: string,
  roles: ColumnRoles,
  context: ProjectContext,
): Promise<AuditTiming> {
  const loaded = await loadDataset(conn, nodeDecoders, await fileSource(path));
  let t = performance.now();
  const profile = await profileDataset(conn, loaded.tableName, 'bench');
  const profileMs = performance.now() - t;
  const charging = chargingConnector(conn);
  t = performance.now();
  const findings = await runReadiness(charging.conn, {
    tableName: loaded.tableName,
    datasetId: 'bench',
    columns: loaded.columns,
    roles,
    context,
    profile,
    onProgress: (p) => charging.charge(p.check),
  });
  const readiness = performance.now() - t;

  const ref = toDatasetRef(loaded, []);
  const audit = {
    ...withDataset(newAudit('bench', 'bench'), ref),
    context,
    roles: { [ref.id]: roles },
    profiles: { [ref.id]: profile },
    findings,
  };
  const tables = { [ref.id]: loaded.tableName };
  const runner = new QueryRunner(conn);
  const planInput = planReadinessInput(audit, tables);
  let feasibility: FeasibilityTiming | undefined;
  if (planInput && roles.target)
    feasibility = await timeFeasibility(
      conn,
      {
        readiness: planInput,
        findings,
        plan: exampleChurnPlan(),
        personalColumns: planPersonalColumns(audit),
        computedAt: new Date().toISOString(),
      },
      loaded.tableName,
    );
  let plan: number | undefined;
  if (planInput && roles.target) {
    t = performance.now();
    await computePlanResults(runner, {
      readiness: planInput,
      plan: exampleChurnPlan(),
      findings,
      personalColumns: planPersonalColumns(audit),
      computedAt: new Date().toISOString(),
    });
    plan = performance.now() - t;
  }
  let drift: number | undefined;
  if (roles.eventTime) {
    // The split date is the harness's choice, not part of the timed work.
    const [mid] = await conn.query(
      `SELECT strftime(date_trunc('month', quantile_disc(TRY_CAST(${ident(roles.eventTime)} AS TIMESTAMP), 0.5)), '%Y-%m-%d') AS at FROM ${ident(loaded.tableName)}`,
    );
    t = performance.now();
    const splitAt = String(mid?.at);
    await driftReport(
      runner,
      driftInputFor(audit, { kind: 'date-split', currentDatasetId: ref.id, splitAt }, tables),
    );
    const history = historyInputFor(audit, ref.id, tables);
    if (history) await driftHistory(runner, history);
    drift = performance.now() - t;
  }
  await conn.exec(`DROP TABLE IF EXISTS ${ident(loaded.tableName)}`);
  return {
    load: loaded.loadMs,
    profile: profileMs,
    readiness,
    ...(feasibility ? { feasibility: feasibility.ms, feasibilityDetail: feasibility } : {}),
    ...(plan !== undefined ? { plan } : {}),
    ...(drift !== undefined ? { drift } : {}),
    checks: charging.times,
    statements: charging.counts,
    findings,
    rows: loaded.rowCount,
  };
}

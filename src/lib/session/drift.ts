import type { AuditDocument, ColumnRoles } from '../core/model/audit';
import { driftReport } from '../core/drift/compare';
import { monitoringContract } from '../core/drift/contract';
import { driftHistory, historyFindings } from '../core/drift/history';
import {
  DriftRequestError,
  driftInputFor,
  historyInputFor,
  withDriftResults,
  type DriftRequest,
} from '../core/drift/request';
import type { DriftHistory, DriftReport, MonitoringContract } from '../core/model/drift';
import type { SessionHost } from './types';

export interface DriftOutcome {
  status: 'done' | 'no-audit' | 'invalid' | 'cancelled' | 'failed';
  message?: string;
  report?: DriftReport;
  history?: DriftHistory;
  contract?: MonitoringContract;
}

export interface DriftRunOptions {
  /** Also compute drift inside the current dataset's history (needs an event-time role). Default true. */
  history?: boolean;
}

/**
 * Drift for the open audit, as a queued, cancellable session task: compare
 * reference and current, compute the history heatmap and its findings, derive
 * the monitoring contract, and save all of it in the audit document. The app
 * and the CLI both call this; the session's own methods stay untouched.
 */
export async function runDrift(
  session: SessionHost,
  request: DriftRequest,
  options: DriftRunOptions = {},
): Promise<DriftOutcome> {
  if (!session.audit) return { status: 'no-audit' };
  return session.runTask('Measuring drift', async (task) => {
    const open: AuditDocument | undefined = session.audit;
    if (!open) return { status: 'no-audit' } as DriftOutcome;
    const audit = withInheritedRoles(open, request);
    const tables = session.tableMap();
    let input;
    try {
      input = driftInputFor(audit, request, tables);
    } catch (error) {
      if (error instanceof DriftRequestError)
        return { status: 'invalid', message: error.message } as DriftOutcome;
      throw error;
    }
    try {
      const { connector } = await session.engine();
      const run = (sql: string): Promise<Record<string, unknown>[]> => {
        if (task.signal.aborted) throw new DOMException('Drift cancelled', 'AbortError');
        return connector.query(sql);
      };
      task.progress('Comparing reference and current', 0.1);
      const report = await driftReport(run, input);
      const contract = monitoringContract(report);
      let history: DriftHistory | undefined;
      const historyInput =
        options.history === false ? null : historyInputFor(audit, request.currentDatasetId, tables);
      if (historyInput) {
        task.progress('Drift inside the history', 0.6);
        history = await driftHistory(run, historyInput);
      }
      const findings = history
        ? historyFindings(
            history,
            request.currentDatasetId,
            historyInput!.side.table,
            historyInput!.thresholds,
          )
        : undefined;
      await session.edit((current) =>
        current.id === audit.id
          ? withDriftResults(current, {
              report,
              contract,
              ...(history ? { history } : {}),
              ...(findings ? { findings } : {}),
            })
          : current,
      );
      task.progress('Done', 1);
      return { status: 'done', report, contract, ...(history ? { history } : {}) } as DriftOutcome;
    } catch (error) {
      if (task.signal.aborted) return { status: 'cancelled' } as DriftOutcome;
      return {
        status: 'failed',
        message: error instanceof Error ? error.message : String(error),
      } as DriftOutcome;
    }
  });
}

/**
 * A later extract added for drift has no roles of its own: it takes the
 * reference dataset's roles (its ID, times, label, segments and exclusions),
 * restricted to the columns it has, so both sides leave out the same columns
 * and the label and history are measured. Not saved; roles set on the current
 * dataset win.
 */
export function withInheritedRoles(audit: AuditDocument, request: DriftRequest): AuditDocument {
  const refId = request.kind === 'datasets' ? request.referenceDatasetId : undefined;
  const from = refId ? audit.roles[refId] : undefined;
  const current = audit.datasets.find((d) => d.id === request.currentDatasetId);
  if (!from || !current || audit.roles[current.id]) return audit;
  const names = new Set(current.columns.map((c) => c.name));
  const has = (c: string | undefined): c is string => c !== undefined && names.has(c);
  const roles: ColumnRoles = {
    segments: from.segments.filter(has),
    excluded: from.excluded.filter(has),
  };
  for (const key of ['target', 'id', 'eventTime', 'outcomeTime', 'source'] as const)
    if (has(from[key])) roles[key] = from[key];
  return { ...audit, roles: { ...audit.roles, [current.id]: roles } };
}

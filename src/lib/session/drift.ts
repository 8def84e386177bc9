import type { AuditDocument, ColumnRoles } from '../core/model/audit';
import { driftAnalysis, driftStart, type DriftInput } from '../core/drift/compare';
import { monitoringContract } from '../core/drift/contract';
import {
  driftHistoryAnalysis,
  historyFindings,
  historyStart,
  type HistoryInput,
} from '../core/drift/history';
import {
  DriftRequestError,
  driftInputFor,
  historyInputFor,
  withDriftResults,
  type DriftRequest,
} from '../core/drift/request';
import type { DriftHistory, DriftReport, MonitoringContract } from '../core/model/drift';
import { AnalysisError, QueryRunner, type RunOptions } from './query-runner';
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
      const runner = new QueryRunner(connector);
      const fileName = audit.datasets.find((d) => d.id === request.currentDatasetId)?.fileName;
      const runOptions: RunOptions = {
        signal: task.signal,
        ...(fileName ? { subject: fileName } : {}),
      };
      const historyInput =
        options.history === false ? null : historyInputFor(audit, request.currentDatasetId, tables);
      // The comparison fills the first 60 % of the bar, the history the rest.
      const share = historyInput ? 0.6 : 1;
      const report = await driftReport(runner, input, {
        ...runOptions,
        onProgress: (p) => {
          // 'Done' only once, at the end of the history when one follows.
          if (p.stage !== 'done' || !historyInput)
            task.progress(p.label, (share * p.done) / Math.max(1, p.total));
        },
      });
      const contract = monitoringContract(report);
      let history: DriftHistory | undefined;
      if (historyInput)
        history = await driftHistory(runner, historyInput, {
          ...runOptions,
          onProgress: (p) => task.progress(p.label, share + ((1 - share) * p.done) / Math.max(1, p.total)),
        });
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
      return { status: 'done', report, contract, ...(history ? { history } : {}) } as DriftOutcome;
    } catch (error) {
      if (task.signal.aborted || (error instanceof AnalysisError && error.code === 'cancelled'))
        return { status: 'cancelled' } as DriftOutcome;
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

/**
 * Compare reference and current through `runner` (see `driftAnalysis`): cancel
 * interrupts the running statement, and a `subject` names the
 * `sz:drift:<subject>` timing mark the browser bench reads.
 */
export async function driftReport(
  runner: QueryRunner,
  input: DriftInput,
  options: RunOptions = {},
): Promise<DriftReport> {
  const started = Date.now();
  const computedAt = input.computedAt ?? new Date().toISOString();
  const { report } = await runner.run(driftAnalysis({ ...input, computedAt }), driftStart(), options);
  if (!report) throw new AnalysisError('failed', 'The drift comparison computed no report.', 'drift');
  return { ...report, durationMs: Date.now() - started };
}

/** Drift inside one history through `runner` (see `driftHistoryAnalysis`); its timing mark is `sz:drift-history:<subject>`. */
export async function driftHistory(
  runner: QueryRunner,
  input: HistoryInput,
  options: RunOptions = {},
): Promise<DriftHistory> {
  const { history } = await runner.run(driftHistoryAnalysis(input), historyStart(), options);
  if (!history) throw new AnalysisError('failed', 'The drift history computed nothing.', 'drift-history');
  return history;
}

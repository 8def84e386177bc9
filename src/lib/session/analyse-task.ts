import type { AuditDocument } from '../core/model/audit';
import { errorText } from '../engine/errors';
import { QueryRunner } from './query-runner';
import { runAnalysis } from './analyse';
import { withSuggestedRoles, withTaskOfTarget } from './roles';
import type { TaskContext } from './task-queue';
import type { AnalyseOptions, SessionEvents, SessionHost } from './types';

/** How one analysis task ended: the analysed copy to merge and save, or why there is none. */
export type AnalyseRun =
  | { status: 'done'; working: AuditDocument }
  | { status: 'cancelled' | 'not-loaded' }
  | { status: 'failed'; message: string; error: unknown };

/** What the task tells the user while it runs. */
export interface AnalyseListeners {
  notice: (notice: SessionEvents['notice']) => void;
  rolesSuggested: (suggested: SessionEvents['roles-suggested']) => void;
  /** The profiles are ready (readiness still to run): the working copy so far, to show early. */
  profiled?: (working: AuditDocument) => void;
}

/**
 * Profile the loaded datasets, suggest roles the first time, then run the
 * readiness checks (all, or only those a role or context change affects), on
 * a copy of `audit`. The session merges the copy into whatever the document
 * became meanwhile and saves it; nothing is saved here.
 */
export async function analyseLoaded(
  host: SessionHost,
  audit: AuditDocument,
  options: AnalyseOptions,
  task: TaskContext,
  listeners: AnalyseListeners,
): Promise<AnalyseRun> {
  const tables = host.tableMap();
  if (!audit.datasets.some((d) => tables[d.id] !== undefined)) {
    listeners.notice({ kind: 'warning', text: 'Load the audit’s files first: their data is not in memory.' });
    return { status: 'not-loaded' };
  }
  const common = { tables, signal: task.signal };
  try {
    const { connector } = await host.engine();
    const runner = new QueryRunner(connector);
    let working = audit;
    if (!options.onlyChecks) {
      working = await runAnalysis(connector, working, {
        ...common,
        skipReadiness: true,
        ...(options.reprofile ? { reprofile: true } : {}),
        onProgress: (p) => task.progress(p.label, p.fraction / 2),
      });
      if (options.suggestRoles !== false) {
        const suggested = await withSuggestedRoles(runner, working, tables, options.keepTask === true);
        if (suggested.suggested) listeners.rolesSuggested(suggested.suggested);
        working = suggested.audit;
      }
      if (options.taskFromTarget) working = await withTaskOfTarget(runner, working, tables);
      listeners.profiled?.(working);
    }
    working = await runAnalysis(connector, working, {
      ...common,
      ...(options.onlyChecks ? { onlyChecks: options.onlyChecks } : {}),
      ...(host.readinessSetups
        ? { onReadinessSetup: host.readinessSetups.remember.bind(host.readinessSetups) }
        : {}),
      onProgress: (p) => task.progress(p.label, options.onlyChecks ? p.fraction : 0.5 + p.fraction / 2),
    });
    return { status: 'done', working };
  } catch (error) {
    if (task.signal.aborted) {
      listeners.notice({ kind: 'info', text: 'Analysis cancelled. Results so far were not saved.' });
      return { status: 'cancelled' };
    }
    return { status: 'failed', message: errorText(error), error };
  }
}

import { feasibilityAnalysis, feasibilityResult } from '../core/feasibility/analysis';
import { feasibilityNotRun, withFeasibility } from '../core/feasibility/document';
import { primaryDataset } from '../core/audit/edits';
import { planPersonalColumns, planReadinessInput } from '../core/plan/document';
import type { FeasibilityResult } from '../core/model/feasibility';
import { AnalysisError, QueryRunner } from './query-runner';
import type { SessionHost } from './types';
import { readinessOrSetup } from './setup-memo';

export interface FeasibilityOutcome {
  status: 'done' | 'skipped' | 'no-audit' | 'not-loaded' | 'cancelled' | 'failed';
  message?: string;
  result?: FeasibilityResult;
}

export interface FeasibilityOptions {
  /** False: record that the baselines were skipped (the CLI's `--no-baseline`) instead of running them. */
  run?: boolean;
}

/** Why the baselines are not run on this audit, or undefined when they can be. */
function notRunReason(target: string | undefined, run: boolean): string | undefined {
  if (!run) return 'Skipped on request (--no-baseline).';
  if (!target) return 'No target is set.';
  return undefined;
}

/**
 * Train the baselines on the assessed dataset, as a queued, cancellable task:
 * the honest split, logistic regression (or ridge) and naive Bayes, the
 * learning curve, the label-noise estimate and drop-column importance, all in
 * SQL; then the feasibility findings, the verdict and the band, saved in the
 * document. Every analysis is followed by this, before the metric plan.
 */
export async function computeFeasibility(
  session: SessionHost,
  options: FeasibilityOptions = {},
): Promise<FeasibilityOutcome> {
  if (!session.audit) return { status: 'no-audit' };
  return session.runTask('Training the baselines', async (task): Promise<FeasibilityOutcome> => {
    const audit = session.audit;
    if (!audit) return { status: 'no-audit' };
    const input = planReadinessInput(audit, session.tableMap());
    if (!input) return { status: 'not-loaded', message: 'Load the audit’s primary file first.' };
    const computedAt = new Date().toISOString();
    const reason = notRunReason(input.roles.target, options.run !== false);
    const save = async (result: FeasibilityResult, status: FeasibilityOutcome['status']) => {
      await session.edit((current) => (current.id === audit.id ? withFeasibility(current, result) : current));
      return { status, result };
    };
    if (reason) return save(feasibilityNotRun(reason, computedAt), 'skipped');
    try {
      const { connector } = await session.engine();
      const fileName = primaryDataset(audit)?.fileName;
      const started = performance.now();
      const state = await new QueryRunner(connector).run(
        feasibilityAnalysis({
          ...readinessOrSetup(session.readinessSetups, input),
          findings: audit.findings,
          ...(audit.plan?.plan ? { plan: audit.plan.plan } : {}),
          personalColumns: planPersonalColumns(audit),
          computedAt,
        }),
        {},
        {
          signal: task.signal,
          onProgress: (p) => task.progress(p.label, p.done / Math.max(1, p.total)),
          ...(fileName ? { subject: fileName } : {}),
        },
      );
      const result = { ...feasibilityResult(state), durationMs: Math.round(performance.now() - started) };
      return save(result, result.status === 'done' ? 'done' : 'skipped');
    } catch (error) {
      if (task.signal.aborted || (error instanceof AnalysisError && error.code === 'cancelled'))
        return { status: 'cancelled' };
      return { status: 'failed', message: error instanceof Error ? error.message : String(error) };
    }
  });
}

import { planAnalysis, type PlanAnalysisInput } from '../core/plan/compute';
import { primaryDataset } from '../core/audit/edits';
import {
  planNeedsRecompute,
  planPersonalColumns,
  planReadinessInput,
  withPlan,
  withPlanResults,
} from '../core/plan/document';
import type { MetricPlan, PlanResults } from '../core/model/plan';
import { withFeasibilityRefreshed } from '../core/feasibility/document';
import { AnalysisError, QueryRunner, type RunOptions } from './query-runner';
import type { SessionHost } from './types';
import { readinessOrSetup } from './setup-memo';

export interface PlanOutcome {
  status: 'done' | 'no-audit' | 'not-loaded' | 'no-target' | 'cancelled' | 'failed';
  message?: string;
  results?: PlanResults;
}

/**
 * Compute the metric plan's baselines and checks for the open audit, as a
 * queued, cancellable session task: prevalence, majority and rule baselines,
 * rows per period and the validation split, all in SQL on the primary
 * dataset, then the plan's findings (area `metrics`) and the verdict, saved in
 * the document. Without `plan` the saved plan is used (or none: baselines
 * only). The app and the CLI both call this; the session's own methods stay
 * untouched.
 */
export async function computePlan(session: SessionHost, plan?: MetricPlan): Promise<PlanOutcome> {
  if (!session.audit) return { status: 'no-audit' };
  return session.runTask('Checking the metric plan', async (task): Promise<PlanOutcome> => {
    const audit = session.audit;
    if (!audit) return { status: 'no-audit' };
    const tables = session.tableMap();
    const input = planReadinessInput(audit, tables);
    if (!input) return { status: 'not-loaded', message: 'Load the audit’s primary file first.' };
    if (!input.roles.target) return { status: 'no-target', message: 'Choose the target column first.' };
    const chosen = plan ?? audit.plan?.plan;
    try {
      const { connector } = await session.engine();
      const fileName = primaryDataset(audit)?.fileName;
      const results = await computePlanResults(
        new QueryRunner(connector),
        {
          ...readinessOrSetup(session.readinessSetups, input),
          ...(chosen ? { plan: chosen } : {}),
          findings: audit.findings,
          personalColumns: planPersonalColumns(audit),
          computedAt: new Date().toISOString(),
        },
        {
          signal: task.signal,
          onProgress: (p) => task.progress(p.label, p.done / Math.max(1, p.total)),
          ...(fileName ? { subject: fileName } : {}),
        },
      );
      await session.edit((current) =>
        current.id === audit.id
          ? withFeasibilityRefreshed(withPlanResults(current, chosen, results))
          : current,
      );
      return { status: 'done', results };
    } catch (error) {
      if (task.signal.aborted || (error instanceof AnalysisError && error.code === 'cancelled'))
        return { status: 'cancelled' };
      return { status: 'failed', message: error instanceof Error ? error.message : String(error) };
    }
  });
}

/**
 * Save an edited plan. Costs, capacity, metrics and targets are re-evaluated
 * at once against the saved results (no SQL); a new value column or
 * validation design recomputes the results through `computePlan`.
 */
export async function savePlan(session: SessionHost, plan: MetricPlan | undefined): Promise<PlanOutcome> {
  const audit = session.audit;
  if (!audit) return { status: 'no-audit' };
  const recompute = planNeedsRecompute(audit.plan?.results, audit.plan?.plan, plan);
  // A failed save is reported by the session (an `error` event); the caller must not say "saved".
  // The feasibility findings compare the baseline with the plan's targets: they follow the plan.
  if (!(await session.edit((current) => withFeasibilityRefreshed(withPlan(current, plan)))))
    return {
      status: 'failed',
      message: 'Not saved: the plan is kept in this tab only (see the message above).',
    };
  if (recompute) return computePlan(session, plan);
  return { status: 'done', ...(audit.plan?.results ? { results: audit.plan.results } : {}) };
}

/**
 * The plan's results for a readiness input (or a setup already read), through
 * `runner`: cancel interrupts the running statement, and a `subject` names the
 * `sz:plan:<subject>` timing mark the browser bench reads.
 */
export async function computePlanResults(
  runner: QueryRunner,
  input: PlanAnalysisInput,
  options: RunOptions = {},
): Promise<PlanResults> {
  const state = await runner.run(planAnalysis(input), {}, options);
  if (!state.results) throw new AnalysisError('failed', 'The plan computed no results.', 'plan');
  return state.results;
}

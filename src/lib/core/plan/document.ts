import { primaryDataset, rolesOf, withReplacedFindings } from '../audit/edits';
import type { AuditDocument } from '../model/audit';
import { personalColumns } from '../redact/redact';
import type { ReadinessInput } from '../readiness/types';
import { evaluatePlan } from './evaluate';
import { planFindings } from './findings';
import { MetricPlanSchema, type MetricPlan, type PlanResults } from '../model/plan';

/**
 * The metric plan inside the audit document, as pure edits: the session
 * applies them and saves the result. The plan's findings (area `metrics`)
 * always follow the plan and the results they were computed from, and the
 * verdict follows the findings.
 */

/** The readiness input of the primary dataset, from which the plan's SQL is built; undefined when it has no table. */
export function planReadinessInput(
  audit: AuditDocument,
  tables: Readonly<Record<string, string>>,
): ReadinessInput | undefined {
  const primary = primaryDataset(audit);
  const table = primary ? tables[primary.id] : undefined;
  if (!primary || !table) return undefined;
  const profile = audit.profiles[primary.id];
  return {
    tableName: table,
    datasetId: primary.id,
    columns: primary.columns,
    roles: rolesOf(audit, primary.id),
    context: audit.context,
    ...(profile ? { profile } : {}),
  };
}

/** Personal-data columns of the primary dataset (detected, marked or named so): kept out of the rule search. */
export function planPersonalColumns(audit: AuditDocument): string[] {
  const primary = primaryDataset(audit);
  return personalColumns(audit)
    .filter((c) => c.datasetId === primary?.id)
    .map((c) => c.column);
}

/**
 * Whether saved results no longer fit a plan: they were computed for another
 * validation design or holdout share, or another value column (the previous
 * plan's), so the SQL must run again. Costs, capacity, metrics and targets
 * never need SQL.
 */
export function planNeedsRecompute(
  results: PlanResults | undefined,
  before: MetricPlan | undefined,
  after: MetricPlan | undefined,
): boolean {
  if (!after) return false;
  if (!results) return true;
  const split = results.split;
  if (
    split &&
    (split.design !== after.validation.design || split.holdoutShare !== after.validation.holdoutShare)
  )
    return true;
  return before?.costs.valueColumn !== after.costs.valueColumn;
}

/** The document with the plan's findings replaced by those of `plan` against `results`, and the verdict derived. */
function withMetricsFindings(
  audit: AuditDocument,
  plan: MetricPlan | undefined,
  results: PlanResults | undefined,
): AuditDocument {
  const fresh = results ? planFindings(plan, results, evaluatePlan(plan, results)) : [];
  return withReplacedFindings(audit, (f) => f.area === 'metrics', fresh);
}

/** Save freshly computed results (and the plan they were computed for). */
export function withPlanResults(
  audit: AuditDocument,
  plan: MetricPlan | undefined,
  results: PlanResults,
): AuditDocument {
  const state = { ...(plan ? { plan } : {}), results };
  return withMetricsFindings({ ...audit, plan: state }, plan, results);
}

/**
 * Save an edited plan, re-evaluated against the saved results without any SQL
 * (the editor calls this on every change; `planNeedsRecompute` says when the
 * results must be recomputed first).
 */
export function withPlan(audit: AuditDocument, plan: MetricPlan | undefined): AuditDocument {
  const results = audit.plan?.results;
  const state = { ...(plan ? { plan } : {}), ...(results ? { results } : {}) };
  return withMetricsFindings({ ...audit, plan: state }, plan, results);
}

/** Parse a plan from untrusted JSON (a CLI `--plan` file, an import), with readable errors. */
export function parsePlan(input: unknown): { ok: true; plan: MetricPlan } | { ok: false; message: string } {
  const parsed = MetricPlanSchema.safeParse(input);
  if (parsed.success) return { ok: true, plan: parsed.data };
  const issue = parsed.error.issues[0];
  const where = issue?.path.length ? ` at ${issue.path.join('.')}` : '';
  return { ok: false, message: `Not a valid metric plan${where}: ${issue?.message ?? 'unknown error'}.` };
}

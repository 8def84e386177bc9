import * as edits from '../core/audit/edits';
import type { AuditDocument, ColumnRoles } from '../core/model/audit';
import { inferTask, rolesToApply, type RoleSuggestions } from '../core/readiness/roles';
import { isTemporalType } from '../core/sql/types';
import { READINESS_THRESHOLDS } from '../core/thresholds';
import type { QueryRunner } from './query-runner';
import { checkTimeRole, labelSpellings, suggestRolesFor } from './readiness';

/**
 * The audit with the suggested roles of its primary dataset filled in, when it
 * has none yet, and the task the suggested target points to (unless
 * `keepTask`). Time roles are offered only to columns that read as time, as
 * `setRoles` would require. `suggestions` is what was offered, for the
 * `roles-suggested` event.
 */
export async function withSuggestedRoles(
  runner: QueryRunner,
  audit: AuditDocument,
  tables: Readonly<Record<string, string>>,
  keepTask: boolean,
): Promise<{ audit: AuditDocument; suggested?: { datasetId: string; suggestions: RoleSuggestions } }> {
  const primary = edits.primaryDataset(audit);
  if (!primary || audit.roles[primary.id]) return { audit };
  const profile = audit.profiles[primary.id];
  const tableName = tables[primary.id];
  if (!profile || !tableName) return { audit };
  const suggestions = await suggestRolesFor(runner, { tableName, columns: primary.columns, profile });
  const roles = rolesToApply(suggestions);
  const task = suggestions.task;
  const withRoles = edits.setRoles(audit, primary.id, roles);
  const next =
    task && !keepTask && task.column === roles.target
      ? edits.setContext(withRoles, { task: task.task })
      : withRoles;
  return { audit: next, suggested: { datasetId: primary.id, suggestions } };
}

/**
 * The audit with the task its primary dataset's target points to, its
 * classes counted as the label checks count them (`inferTask`); unchanged
 * when there is no target or its values do not decide.
 */
export async function withTaskOfTarget(
  runner: QueryRunner,
  audit: AuditDocument,
  tables: Readonly<Record<string, string>>,
): Promise<AuditDocument> {
  const primary = edits.primaryDataset(audit);
  const target = primary ? edits.rolesOf(audit, primary.id).target : undefined;
  const column = primary?.columns.find((c) => c.name === target);
  const profiled = primary ? audit.profiles[primary.id]?.columns.find((c) => c.name === target) : undefined;
  const table = primary ? tables[primary.id] : undefined;
  if (!column || !profiled || !table) return audit;
  const distinct = profiled.distinct.value;
  const spellings =
    distinct <= READINESS_THRESHOLDS.targetMaxClasses
      ? await labelSpellings(runner, table, column.name)
      : undefined;
  const inferred = inferTask(column, distinct, spellings);
  return inferred && inferred.task !== audit.context.task
    ? edits.setContext(audit, { task: inferred.task })
    : audit;
}

/**
 * Why these roles cannot be set, or undefined when they can: a column newly
 * given a time role (event or outcome time) must read as time (dates, date
 * text, years, yyyymm, yyyymmdd or epoch numbers), judged on its loaded data
 * by `checkTimeRole`. Without the data in memory only a DATE or TIMESTAMP
 * column is accepted. Roles already set are not judged again.
 */
export async function timeRoleProblem(
  audit: AuditDocument,
  datasetId: string,
  roles: ColumnRoles,
  table: string | undefined,
  runner: () => Promise<QueryRunner>,
): Promise<string | undefined> {
  const dataset = audit.datasets.find((d) => d.id === datasetId);
  if (!dataset) return undefined;
  const before = edits.rolesOf(audit, datasetId);
  for (const role of ['eventTime', 'outcomeTime'] as const) {
    const name = roles[role];
    if (name === undefined || name === before[role]) continue;
    const column = dataset.columns.find((c) => c.name === name);
    if (!column || isTemporalType(column.type)) continue;
    if (!table)
      return `“${name}” can be the time axis only once its values are checked: choose “${dataset.fileName}” again first.`;
    const check = await checkTimeRole(await runner(), table, column);
    if (!check.ok) return check.message;
  }
  return undefined;
}

import type { AuditDocument, ColumnRoles } from '../../core/model/audit';
import { READINESS_CHECKS } from '../../core/readiness/registry';
import {
  ASK_FIRST_ROLES,
  roleStatsFromProfile,
  suggestRoles,
  type RoleSuggestion,
  type RoleSuggestions,
  type SuggestedRole,
  type TaskSuggestion,
} from '../../core/readiness/roles';

/**
 * The column-role editor's model: the roles it offers, the suggestions it
 * shows with their reasons, and the role edits it makes. Pure functions; the
 * editor commits the result through the app state.
 */

/** Role suggestions with reasons for a dataset, from its profile; undefined until it is profiled. */
export function roleSuggestionsFor(
  audit: Pick<AuditDocument, 'datasets' | 'profiles'>,
  datasetId: string,
): RoleSuggestions | undefined {
  const dataset = audit.datasets.find((d) => d.id === datasetId);
  const profile = audit.profiles[datasetId];
  return dataset && profile ? suggestRoles(dataset.columns, roleStatsFromProfile(profile)) : undefined;
}

export type SingleRole = 'target' | 'id' | 'eventTime' | 'outcomeTime' | 'source';
export type ListRole = 'segments' | 'excluded';

export interface RoleField {
  role: SingleRole;
  label: string;
  testId: string;
  help: string;
}

export const SINGLE_ROLES: readonly RoleField[] = [
  { role: 'target', label: 'Target', testId: 'role-target', help: 'The label the model will predict.' },
  {
    role: 'id',
    label: 'ID',
    testId: 'role-id',
    help: 'Identifies the entity (customer, account…) a row is about.',
  },
  {
    role: 'eventTime',
    label: 'Event timestamp',
    testId: 'role-event-time',
    help: 'When the row was observed: the prediction point by default.',
  },
  {
    role: 'outcomeTime',
    label: 'Outcome timestamp (optional)',
    testId: 'role-outcome-time',
    help: 'When the outcome happened, if recorded.',
  },
  {
    role: 'source',
    label: 'Source system',
    testId: 'role-source',
    help: 'Which system or extract a row came from.',
  },
];

export const LIST_ROLES: readonly { role: ListRole; label: string; help: string }[] = [
  {
    role: 'segments',
    label: 'Segment columns',
    help: 'Business segments whose coverage is checked (region, plan…).',
  },
  {
    role: 'excluded',
    label: 'Excluded columns',
    help: 'Kept out of the candidate features (personal data, free text…).',
  },
];

/** The suggestion behind the suggested column of a single-valued role, with its reason. */
export function suggestionFor(
  suggestions: RoleSuggestions | undefined,
  role: SingleRole,
): RoleSuggestion | undefined {
  const column = suggestions?.roles[role];
  if (!suggestions || !column) return undefined;
  return suggestions.suggestions.find((s) => s.role === role && s.column === column);
}

/** The suggested columns of a list role, each with its reason (one per column, the best). */
export function listSuggestions(suggestions: RoleSuggestions | undefined, role: ListRole): RoleSuggestion[] {
  if (!suggestions) return [];
  const wanted = new Set(suggestions.roles[role]);
  const out: RoleSuggestion[] = [];
  for (const s of suggestions.suggestions as readonly RoleSuggestion[])
    if (s.role === (role as SuggestedRole) && wanted.has(s.column) && !out.some((o) => o.column === s.column))
      out.push(s);
  return out;
}

/** Roles with one single-valued role set (or cleared with undefined / ''). */
export function withRole(roles: ColumnRoles, role: SingleRole, column: string | undefined): ColumnRoles {
  const next: ColumnRoles = { ...roles, segments: [...roles.segments], excluded: [...roles.excluded] };
  if (column) next[role] = column;
  else delete next[role];
  return next;
}

/** Roles with a column added to or removed from a list role, keeping the table's column order. */
export function withListColumn(
  roles: ColumnRoles,
  role: ListRole,
  column: string,
  on: boolean,
  order: readonly string[] = [],
): ColumnRoles {
  const set = new Set(roles[role]);
  if (on) set.add(column);
  else set.delete(column);
  const rank = (c: string): number => {
    const i = order.indexOf(c);
    return i < 0 ? Number.MAX_SAFE_INTEGER : i;
  };
  const list = [...set].sort((a, b) => rank(a) - rank(b));
  return { ...roles, segments: [...roles.segments], excluded: [...roles.excluded], [role]: list };
}

/** Whether applying the suggestion for a role would change anything. */
export function suggestionDiffers(
  roles: ColumnRoles,
  suggestions: RoleSuggestions | undefined,
  role: SingleRole | ListRole,
): boolean {
  if (!suggestions) return false;
  if (role === 'segments' || role === 'excluded')
    return suggestions.roles[role].some((c) => !roles[role].includes(c));
  const suggested = suggestions.roles[role];
  return suggested !== undefined && suggested !== roles[role];
}

/** Roles with the suggestion for one role applied (list roles gain the suggested columns). */
export function withSuggestion(
  roles: ColumnRoles,
  suggestions: RoleSuggestions,
  role: SingleRole | ListRole,
  order: readonly string[] = [],
): ColumnRoles {
  if (role === 'segments' || role === 'excluded')
    return suggestions.roles[role].reduce((acc, c) => withListColumn(acc, role, c, true, order), roles);
  return withRole(roles, role, suggestions.roles[role]);
}

/** Whether a role's suggestion is only offered, never applied with the others (the source system). */
export function asksFirst(role: SingleRole | ListRole): boolean {
  return ASK_FIRST_ROLES.includes(role);
}

/** The roles "apply all" applies: every one but those that ask first. */
const APPLY_ALL_ROLES: readonly (SingleRole | ListRole)[] = [
  ...SINGLE_ROLES.map((r) => r.role),
  'segments' as const,
  'excluded' as const,
].filter((role) => !asksFirst(role));

/** Whether applying every suggestion (but those that ask first) would change anything. */
export function anySuggestionDiffers(roles: ColumnRoles, suggestions: RoleSuggestions | undefined): boolean {
  return APPLY_ALL_ROLES.some((role) => suggestionDiffers(roles, suggestions, role));
}

/** Every suggestion applied at once, but those that ask first (the source system): each needs its own yes. */
export function withAllSuggestions(
  roles: ColumnRoles,
  suggestions: RoleSuggestions,
  order: readonly string[] = [],
): ColumnRoles {
  return APPLY_ALL_ROLES.reduce(
    (acc, role) =>
      suggestionDiffers(acc, suggestions, role) ? withSuggestion(acc, suggestions, role, order) : acc,
    roles,
  );
}

/** The task suggested for the current target, when the suggestion was made for that column. */
export function taskSuggestionFor(
  suggestions: RoleSuggestions | undefined,
  roles: ColumnRoles,
): TaskSuggestion | undefined {
  const task = suggestions?.task;
  return task && roles.target === task.column ? task : undefined;
}

/** The checks that read the target (they are skipped, or report less, without one). */
export function checksNeedingTarget(): { id: string; description: string }[] {
  return READINESS_CHECKS.filter((c) => c.dependsOn.includes('positiveClass')).map((c) => ({
    id: c.id,
    description: c.description,
  }));
}

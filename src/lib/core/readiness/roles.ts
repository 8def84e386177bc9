import { isBooleanType, isIntegerType, isNumericType, isTemporalType, isTextType } from '../sql/types';
import type { ColumnRoles, ColumnSchema, DatasetProfile } from '../model/audit';

import { READINESS_THRESHOLDS, ROLE_SUGGESTION_THRESHOLDS as ROLES } from '../thresholds';
import { fmtInt, fmtPct } from './findings';
import { inferTask, type TargetSpelling, type TaskSuggestion } from './target-task';

export { inferTask, type TargetSpelling, type TaskSuggestion } from './target-task';

/** Counts the suggestions need per column. */
export interface RoleStats {
  rows: number;
  columns: Record<
    string,
    { nonNull: number; distinct: number; /** text values that look like dates */ dateLike?: number }
  >;
}

export type SuggestedRole =
  'target' | 'id' | 'eventTime' | 'outcomeTime' | 'source' | 'segments' | 'excluded';

export interface RoleSuggestion {
  role: SuggestedRole;
  column: string;
  /** 0–1: how sure the rule is; the best per single-valued role is used. */
  score: number;
  /** Why, in words the consultant can check. */
  reason: string;
}

export interface RoleSuggestions {
  /**
   * The best guess per role, ready to edit. Roles in `ASK_FIRST_ROLES` (the
   * source system) are offered here but applied only when the user says so:
   * apply `rolesToApply(suggestions)`, never `roles` as a whole.
   */
  roles: ColumnRoles;
  /** Every candidate with its reason, best first per role. */
  suggestions: RoleSuggestion[];
  /** The task the suggested target's values point to, with the positive class of a binary target. */
  task?: TaskSuggestion;
}

/**
 * Roles a suggestion never fills in by itself: the consultant is asked first.
 * A "source" column name (channel, platform, dataset) is as often a business
 * attribute (an energy source, a sales channel) as the system a row came from,
 * and the source role turns on per-source comparisons whose findings read as
 * extraction defects.
 */
export const ASK_FIRST_ROLES: readonly SuggestedRole[] = ['source'];

/** The suggested roles that may be applied without asking: every role but `ASK_FIRST_ROLES`. */
export function rolesToApply(suggestions: RoleSuggestions): ColumnRoles {
  const roles: ColumnRoles = {
    ...suggestions.roles,
    segments: [...suggestions.roles.segments],
    excluded: [...suggestions.roles.excluded],
  };
  for (const role of ASK_FIRST_ROLES) if (role !== 'segments' && role !== 'excluded') delete roles[role];
  return roles;
}

const TARGET_NAME =
  /(^|[^a-z])(label|target|class|outcome|churn|churned|fraud|default|defaulted|y|is_?fraud|converted|response)([^a-z]|$)/i;
const ID_NAME =
  /(^|[^a-z])(id|uuid|guid|key|nr|no)$|_id$|Id$|ID$|^id_|identifier|^customer$|account_?(number|no)$/i;
const EVENT_NAME =
  /(snapshot|event|created|timestamp|observ|record|transaction|order|as_?of|^date$|_at$|^time$|date|time)/i;
const STRONG_EVENT_NAME = /(snapshot|event|observ|as_?of|scoring|prediction)/i;
/**
 * Names of an outcome a model predicts, beyond the generic label words: the whole
 * name is one of these words (“diagnosis”, “species”, “vote”…).
 */
const OUTCOME_WORD =
  /^(outcome|result|diagnosis|species|vote|choice|grade|cultivar|survived|verdict|decision|disposition)$/i;
/** A status as the last word of a longer name (“loan_status”, “LoanStatus”, “claim status”); “status” alone is usually a record's processing state. */
const STATUS_NAME = /[a-z0-9][_ .-]status$|[a-z0-9]Status$/i;
/** Statuses that describe a person or an account holder: features, however few their values (“marital_status”). */
const ATTRIBUTE_STATUS =
  /(marital|marriage|employ|job|work|occupation|smok|alcohol|drink|citizen|immigra|visa|resid|housing|home|famil|relationship|socio|economic|veteran|student|educat|filing|tax|incumbent|challenger|insur|health|disab|vaccin|legal|military|income)/i;
/** Names that mean “the value to predict” whatever its type: a continuous one is a regression target. */
const GENERIC_TARGET_NAME = /^(target|label|y|response|outcome|dependent)$/i;
const OUTCOME_NAME =
  /(churn|cancel|outcome|closed|close|end|resolved|terminat|default|expir|exit|lost|fraud|label)/i;
const SOURCE_NAME = /(source|system|channel|provider|platform|dataset|file|feed|database|^db$|crm|erp)/i;
/** Names that describe the content, not the system a row came from ("Source category name", "Energy source type"). */
const NOT_SOURCE_NAME = /(name|category|type|genre|kind|code)/i;
/** Names of a calendar-year column ("years" alone is usually a duration). */
const YEAR_NAME = /(^|[^a-z])year([^a-z]|$)|Year$|^yr$/i;
/** Names of a numeric timestamp (epoch seconds or milliseconds, yyyymmdd). */
const NUMERIC_TIME_NAME = /(^|[^a-z])(time|timestamp|epoch|created|updated|date)([^a-z]|$)|_at$|_ts$/i;
/** Names of calendar units: such a column is a time, never an identifier, however unique. */
const TIME_NAME = /(^|[^a-z])(year|month|date|day|time|period|quarter|week)s?([^a-z]|$)|_at$|Date$|Year$/i;
const SEGMENT_NAME =
  /(region|country|state|segment|plan|tier|product|market|branch|store|category|island|city|area)/i;
const PII_NAME =
  /(e-?mail|phone|mobile|first_?name|last_?name|surname|full_?name|address|street|postcode|zip|ssn|social_?security|passport|iban|card|credit_?card|birth|dob|ip_?address)/i;

/** Every column a set of roles names, in role order (for validating roles against a schema). */
export function roleColumns(roles: ColumnRoles): string[] {
  return [
    roles.target,
    roles.id,
    roles.eventTime,
    roles.outcomeTime,
    roles.source,
    ...roles.segments,
    ...roles.excluded,
  ].filter((name): name is string => name !== undefined && name !== '');
}

/** Role-suggestion counts from a profile. */
export function roleStatsFromProfile(profile: DatasetProfile): RoleStats {
  const columns: RoleStats['columns'] = {};
  for (const c of profile.columns)
    columns[c.name] = { nonNull: c.count, distinct: c.distinct.value, dateLike: c.text?.dateLike ?? 0 };
  return { rows: profile.rows, columns };
}

/** Role-suggestion counts from a `columnFactsQuery` result row. */
export function roleStatsFromFacts(
  columns: readonly ColumnSchema[],
  row: Record<string, unknown>,
): RoleStats {
  const out: RoleStats['columns'] = {};
  columns.forEach((c, i) => {
    out[c.name] = {
      nonNull: Number(row[`nn_${i}`] ?? 0),
      distinct: Number(row[`d_${i}`] ?? 0),
      dateLike: Number(row[`dl_${i}`] ?? 0),
    };
  });
  return { rows: Number(row.n ?? 0), columns: out };
}

/** Options of `suggestRoles`. */
export interface SuggestOptions {
  /** Columns already refused as time (`validateTimeRole`): never suggested for a time role. */
  notTime?: ReadonlySet<string>;
  /** The suggested target's spellings and counts: the task and the positive class are then read from its values. */
  targetSpellings?: { column: string; rows: readonly TargetSpelling[] };
}

type AddSuggestion = (role: SuggestedRole, column: string, score: number, reason: string) => void;

/** What the rules read about one column. */
interface ColumnFacts {
  column: ColumnSchema;
  name: string;
  nonNull: number;
  distinct: number;
  /** Distinct values per non-null value. */
  unique: number;
  text: boolean;
  /** A date type, or text whose values mostly read as dates. */
  temporal: boolean;
}

/** Facts about the column set as a whole that change how a name reads. */
interface TableContext {
  rows: number;
  notTime: ReadonlySet<string>;
  hasX: boolean;
  /** A “target” beside a “source” is the end of an edge in a graph's edge list. */
  edgeList: boolean;
}

/**
 * Suggest column roles from names, types and counts, each with its reason.
 * ID-like: unique or near-unique and high-cardinality. Target-like: low
 * cardinality and a name such as label, target, class, outcome, churn, fraud,
 * default or y. The user overrides any of them.
 */
export function suggestRoles(
  columns: readonly ColumnSchema[],
  stats: RoleStats,
  options: SuggestOptions = {},
): RoleSuggestions {
  const suggestions = collectSuggestions(columns, stats, options.notTime ?? new Set<string>());
  suggestions.sort(
    (a, b) => a.role.localeCompare(b.role) || b.score - a.score || a.column.localeCompare(b.column),
  );
  const roles = pickRoles(suggestions);
  const task = suggestedTask(columns, stats, roles.target, options.targetSpellings);
  return { roles, suggestions, ...(task ? { task } : {}) };
}

function collectSuggestions(
  columns: readonly ColumnSchema[],
  stats: RoleStats,
  notTime: ReadonlySet<string>,
): RoleSuggestion[] {
  const table: TableContext = {
    rows: stats.rows,
    notTime,
    hasX: columns.some((c) => /^x$/i.test(c.name.trim())),
    edgeList: columns.some((c) => /^(source|from)$/i.test(c.name.trim())),
  };
  const suggestions: RoleSuggestion[] = [];
  const add: AddSuggestion = (role, column, score, reason) => {
    suggestions.push({ role, column, score: Math.max(0, Math.min(1, score)), reason });
  };
  for (const column of columns) {
    const s = stats.columns[column.name];
    if (!s) continue;
    const facts = columnFacts(column, s);
    if (facts.nonNull === 0) {
      add('excluded', facts.name, 0.9, `Always empty (${fmtInt(table.rows)} rows, no values).`);
      continue;
    }
    suggestExcluded(facts, add);
    suggestId(facts, table, add);
    suggestTarget(facts, table, add);
    suggestTimes(facts, table, add);
    suggestGroups(facts, add);
  }
  return suggestions;
}

function columnFacts(column: ColumnSchema, s: RoleStats['columns'][string]): ColumnFacts {
  const { nonNull, distinct } = s;
  const text = isTextType(column.type);
  const temporal =
    isTemporalType(column.type) ||
    (text && nonNull > 0 && (s.dateLike ?? 0) / nonNull >= READINESS_THRESHOLDS.dateLikeShare);
  const unique = nonNull > 0 ? distinct / nonNull : 0;
  return { column, name: column.name, nonNull, distinct, unique, text, temporal };
}

function suggestExcluded({ name, nonNull, distinct, temporal }: ColumnFacts, add: AddSuggestion): void {
  if (distinct === 1)
    add('excluded', name, 0.8, `Constant: a single value in ${fmtInt(nonNull)} rows carries no information.`);
  if (PII_NAME.test(name) && !temporal)
    add('excluded', name, 0.7, `The name suggests personal data (“${name}”); keep it out of the features.`);
}

/**
 * ID: unique or near-unique, high cardinality, not a measurement. Never a date (flights'
 * unique timestamps), a year or month named as such, or personal data (names).
 */
function suggestId(f: ColumnFacts, table: TableContext, add: AddSuggestion): void {
  const { name, nonNull, distinct, unique, text } = f;
  const idType =
    (text || isIntegerType(f.column.type)) && !f.temporal && !TIME_NAME.test(name) && !PII_NAME.test(name);
  const idFloor = Math.min(table.rows, ROLES.idDistinctRows) * ROLES.idDistinctRowsShare;
  if (
    !idType ||
    nonNull < READINESS_THRESHOLDS.idLikeMinValues ||
    unique < ROLES.idDistinctShare ||
    distinct < idFloor
  )
    return;
  const named = ID_NAME.test(name);
  if (text || named)
    add(
      'id',
      name,
      (named ? 0.6 : 0.35) + 0.4 * unique,
      `${fmtPct(unique)} of ${fmtInt(nonNull)} values are distinct${named ? `, and the name “${name}” reads like an identifier` : ''}.`,
    );
}

/**
 * Target: low cardinality with a label-like name, or an outcome-like one (a status, a
 * diagnosis, a vote); or numbers named like the value to predict (a regression target).
 */
function suggestTarget(f: ColumnFacts, table: TableContext, add: AddSuggestion): void {
  const { name, distinct } = f;
  const fewValues = distinct >= 2 && distinct <= READINESS_THRESHOLDS.targetMaxClasses && !f.temporal;
  const bare = name.trim();
  if (fewValues && TARGET_NAME.test(name)) {
    add(
      'target',
      name,
      distinct === 2 ? 0.9 : 0.7,
      `${distinct} distinct values (low cardinality) and the name “${name}” reads like a label.`,
    );
  } else if (isBooleanType(f.column.type) && TARGET_NAME.test(name)) {
    add('target', name, 0.85, `A true/false column named “${name}”.`);
  } else if (fewValues && OUTCOME_WORD.test(bare)) {
    // “grade” is as often a feature (a loan grade) as the outcome: below any other candidate.
    add(
      'target',
      name,
      (distinct === 2 ? 0.8 : 0.7) - (/^grade$/i.test(bare) ? 0.25 : 0),
      `${distinct} distinct values (low cardinality) and the name “${name}” reads like an outcome to predict.`,
    );
  } else if (fewValues && STATUS_NAME.test(bare) && !ATTRIBUTE_STATUS.test(bare)) {
    add(
      'target',
      name,
      distinct === 2 ? 0.75 : 0.6,
      `${distinct} distinct values (low cardinality) and the name “${name}” reads like the status of a case, an outcome to predict.`,
    );
  } else if (isRegressionTargetName(f, table)) {
    add(
      'target',
      name,
      0.6,
      `${fmtInt(distinct)} distinct numbers and the name “${name}” reads like the value to predict.`,
    );
  }
}

function isRegressionTargetName(f: ColumnFacts, table: TableContext): boolean {
  const bare = f.name.trim();
  return (
    isNumericType(f.column.type) &&
    !f.temporal &&
    f.distinct > READINESS_THRESHOLDS.targetMaxClasses &&
    GENERIC_TARGET_NAME.test(bare) &&
    // “y” beside an “x” is a coordinate; “target” beside “source” an edge's end.
    !(/^y$/i.test(bare) && table.hasX) &&
    !(/^target$/i.test(bare) && table.edgeList)
  );
}

function suggestTimes(f: ColumnFacts, table: TableContext, add: AddSuggestion): void {
  const { name, nonNull, temporal } = f;
  if (table.notTime.has(name)) return;
  if (temporal) {
    if (OUTCOME_NAME.test(name))
      add(
        'outcomeTime',
        name,
        0.7,
        `A date column whose name (“${name}”) suggests when the outcome happened.`,
      );
    else
      add(
        'eventTime',
        name,
        STRONG_EVENT_NAME.test(name) ? 0.9 : EVENT_NAME.test(name) ? 0.7 : 0.5,
        `A date column${EVENT_NAME.test(name) ? ` named like an event time (“${name}”)` : ''}; ${fmtInt(nonNull)} values.`,
      );
    return;
  }
  // Numbers named like a year or a time are read as calendar years, yyyymmdd or epoch time once they take
  // the time role; below any real date column, and `suggestRolesFor` drops those whose values are not time.
  if ((isIntegerType(f.column.type) || f.text) && YEAR_NAME.test(name))
    add('eventTime', name, 0.45, `Values named like a year (“${name}”), read as calendar years.`);
  else if (isNumericType(f.column.type) && NUMERIC_TIME_NAME.test(name))
    add(
      'eventTime',
      name,
      0.4,
      `Numbers named like a time (“${name}”), read as seconds or milliseconds since 1970 or as yyyymmdd.`,
    );
}

/** Source system and segments: few distinct text values. */
function suggestGroups({ name, distinct, text, temporal }: ColumnFacts, add: AddSuggestion): void {
  if (!text || distinct < 2 || distinct > ROLES.groupMaxValues || temporal) return;
  if (SOURCE_NAME.test(name) && !NOT_SOURCE_NAME.test(name))
    add(
      'source',
      name,
      0.8,
      `${distinct} distinct values and the name “${name}” suggests the system a row came from.`,
    );
  else if (SEGMENT_NAME.test(name) && !TARGET_NAME.test(name))
    add(
      'segments',
      name,
      0.6,
      `${distinct} distinct values; “${name}” looks like a business segment worth checking coverage for.`,
    );
}

/** The best column per single-valued role (each column used once), then the rest as segments and exclusions. */
function pickRoles(sorted: readonly RoleSuggestion[]): ColumnRoles {
  const taken = new Set<string>();
  const take = (role: SuggestedRole): string | undefined => {
    const column = sorted.find((s) => s.role === role && !taken.has(s.column))?.column;
    if (column) taken.add(column);
    return column;
  };
  const target = take('target');
  const id = take('id');
  const eventTime = take('eventTime');
  const outcomeTime = take('outcomeTime');
  const source = take('source');
  const rest = (role: SuggestedRole): string[] =>
    sorted.filter((s) => s.role === role && !taken.has(s.column)).map((s) => s.column);
  return {
    ...(target ? { target } : {}),
    ...(id ? { id } : {}),
    ...(eventTime ? { eventTime } : {}),
    ...(outcomeTime ? { outcomeTime } : {}),
    ...(source ? { source } : {}),
    segments: rest('segments'),
    excluded: [...new Set(rest('excluded'))],
  };
}

function suggestedTask(
  columns: readonly ColumnSchema[],
  stats: RoleStats,
  target: string | undefined,
  spellings: SuggestOptions['targetSpellings'],
): TaskSuggestion | undefined {
  const targetColumn = target ? columns.find((c) => c.name === target) : undefined;
  if (!targetColumn) return undefined;
  return inferTask(
    targetColumn,
    stats.columns[targetColumn.name]?.distinct ?? 0,
    spellings?.column === targetColumn.name ? spellings.rows : undefined,
  );
}

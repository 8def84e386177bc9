import { isBooleanType, isIntegerType, isNumericType, isTemporalType, isTextType } from '../sql/types';
import type { ColumnRoles, ColumnSchema, DatasetProfile, TaskType } from '../model/audit';

import { READINESS_THRESHOLDS, ROLE_SUGGESTION_THRESHOLDS as ROLES } from '../thresholds';
import { fmtInt, fmtPct } from './findings';

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

/** The task a target's values point to, and for a binary target its minority class. */
export interface TaskSuggestion {
  /** The target column it was inferred from. */
  column: string;
  task: TaskType;
  /** Why, in words the consultant can check. */
  reason: string;
  /** Binary only: the minority class, which the audit treats as positive unless told otherwise. */
  positiveClass?: string;
  positiveReason?: string;
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

/** One spelling of a target's values with its canonical label and count (a `labelSpellingsQuery` row). */
export interface TargetSpelling {
  raw: string | null;
  /** The canonical label the readiness checks group by; null for a missing value. */
  label: string | null;
  rows: number;
}

/** Options of `suggestRoles`. */
export interface SuggestOptions {
  /** Columns already refused as time (`validateTimeRole`): never suggested for a time role. */
  notTime?: ReadonlySet<string>;
  /** The suggested target's spellings and counts: the task and the positive class are then read from its values. */
  targetSpellings?: { column: string; rows: readonly TargetSpelling[] };
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
  const notTime = options.notTime ?? new Set<string>();
  const maxClasses = READINESS_THRESHOLDS.targetMaxClasses;
  const hasX = columns.some((c) => /^x$/i.test(c.name.trim()));
  // A “target” beside a “source” is the end of an edge in a graph's edge list.
  const edgeList = columns.some((c) => /^(source|from)$/i.test(c.name.trim()));
  const suggestions: RoleSuggestion[] = [];
  const add = (role: SuggestedRole, column: string, score: number, reason: string): void => {
    suggestions.push({ role, column, score: Math.max(0, Math.min(1, score)), reason });
  };
  for (const column of columns) {
    const s = stats.columns[column.name];
    if (!s) continue;
    const { nonNull, distinct } = s;
    const unique = nonNull > 0 ? distinct / nonNull : 0;
    const text = isTextType(column.type);
    const temporal =
      isTemporalType(column.type) ||
      (text && nonNull > 0 && (s.dateLike ?? 0) / nonNull >= READINESS_THRESHOLDS.dateLikeShare);
    const name = column.name;

    if (nonNull === 0) {
      add('excluded', name, 0.9, `Always empty (${fmtInt(stats.rows)} rows, no values).`);
      continue;
    }
    if (distinct === 1)
      add(
        'excluded',
        name,
        0.8,
        `Constant: a single value in ${fmtInt(nonNull)} rows carries no information.`,
      );
    if (PII_NAME.test(name) && !temporal)
      add('excluded', name, 0.7, `The name suggests personal data (“${name}”); keep it out of the features.`);

    // ID: unique or near-unique, high cardinality, not a measurement.
    // Never a date (flights' unique timestamps), a year or month named as such, or personal data (names).
    const idType =
      (text || isIntegerType(column.type)) && !temporal && !TIME_NAME.test(name) && !PII_NAME.test(name);
    const idFloor = Math.min(stats.rows, ROLES.idDistinctRows) * ROLES.idDistinctRowsShare;
    if (
      idType &&
      nonNull >= READINESS_THRESHOLDS.idLikeMinValues &&
      unique >= ROLES.idDistinctShare &&
      distinct >= idFloor
    ) {
      const named = ID_NAME.test(name);
      if (text || named)
        add(
          'id',
          name,
          (named ? 0.6 : 0.35) + 0.4 * unique,
          `${fmtPct(unique)} of ${fmtInt(nonNull)} values are distinct${named ? `, and the name “${name}” reads like an identifier` : ''}.`,
        );
    }

    // Target: low cardinality with a label-like name, or an outcome-like one (a status, a
    // diagnosis, a vote); or numbers named like the value to predict (a regression target).
    const fewValues = distinct >= 2 && distinct <= maxClasses && !temporal;
    const bare = name.trim();
    if (fewValues && TARGET_NAME.test(name)) {
      add(
        'target',
        name,
        distinct === 2 ? 0.9 : 0.7,
        `${distinct} distinct values (low cardinality) and the name “${name}” reads like a label.`,
      );
    } else if (isBooleanType(column.type) && TARGET_NAME.test(name)) {
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
    } else if (
      isNumericType(column.type) &&
      !temporal &&
      distinct > maxClasses &&
      GENERIC_TARGET_NAME.test(bare) &&
      // “y” beside an “x” is a coordinate; “target” beside “source” an edge's end.
      !(/^y$/i.test(bare) && hasX) &&
      !(/^target$/i.test(bare) && edgeList)
    ) {
      add(
        'target',
        name,
        0.6,
        `${fmtInt(distinct)} distinct numbers and the name “${name}” reads like the value to predict.`,
      );
    }

    // Times.
    if (temporal && !notTime.has(name)) {
      const outcome = OUTCOME_NAME.test(name);
      if (outcome)
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
    }

    // Numbers named like a year or a time are read as calendar years, yyyymmdd or epoch time once they take
    // the time role; below any real date column, and `suggestRolesFor` drops those whose values are not time.
    if (!temporal && !notTime.has(name) && (isIntegerType(column.type) || text) && YEAR_NAME.test(name))
      add('eventTime', name, 0.45, `Values named like a year (“${name}”), read as calendar years.`);
    else if (!temporal && !notTime.has(name) && isNumericType(column.type) && NUMERIC_TIME_NAME.test(name))
      add(
        'eventTime',
        name,
        0.4,
        `Numbers named like a time (“${name}”), read as seconds or milliseconds since 1970 or as yyyymmdd.`,
      );

    // Source system and segments: few distinct text values.
    if (text && distinct >= 2 && distinct <= ROLES.groupMaxValues && !temporal) {
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
  }

  suggestions.sort(
    (a, b) => a.role.localeCompare(b.role) || b.score - a.score || a.column.localeCompare(b.column),
  );
  const best = (role: SuggestedRole, taken: Set<string>): string | undefined =>
    suggestions.find((s) => s.role === role && !taken.has(s.column))?.column;
  const taken = new Set<string>();
  const take = (role: SuggestedRole): string | undefined => {
    const column = best(role, taken);
    if (column) taken.add(column);
    return column;
  };
  const target = take('target');
  const id = take('id');
  const eventTime = take('eventTime');
  const outcomeTime = take('outcomeTime');
  const source = take('source');
  const segments = suggestions
    .filter((s) => s.role === 'segments' && !taken.has(s.column))
    .map((s) => s.column);
  const excluded = [
    ...new Set(suggestions.filter((s) => s.role === 'excluded' && !taken.has(s.column)).map((s) => s.column)),
  ];
  const targetColumn = target ? columns.find((c) => c.name === target) : undefined;
  const task = targetColumn
    ? inferTask(
        targetColumn,
        stats.columns[targetColumn.name]?.distinct ?? 0,
        options.targetSpellings?.column === targetColumn.name ? options.targetSpellings.rows : undefined,
      )
    : undefined;
  const roles: ColumnRoles = {
    ...(target ? { target } : {}),
    ...(id ? { id } : {}),
    ...(eventTime ? { eventTime } : {}),
    ...(outcomeTime ? { outcomeTime } : {}),
    ...(source ? { source } : {}),
    segments,
    excluded,
  };
  return { roles, suggestions, ...(task ? { task } : {}) };
}

/**
 * The task a target's values point to, after scikit-learn's `type_of_target`:
 * two values (or true/false) are binary; 3 to `targetMaxClasses` text or
 * whole-number values are multiclass; numbers that are not all whole, or more
 * whole numbers than that, are a regression target. With the spellings
 * (`labelSpellingsQuery` rows) classes are counted as the readiness checks
 * count them, and a binary target's minority class is named as the positive
 * class the audit will use. Undefined when the values do not decide (decimals
 * without their values, a single class).
 */
export function inferTask(
  column: ColumnSchema,
  distinct: number,
  spellings?: readonly TargetSpelling[],
): TaskSuggestion | undefined {
  const max = READINESS_THRESHOLDS.targetMaxClasses;
  const numeric = isNumericType(column.type);
  const base = { column: column.name };
  if (isBooleanType(column.type) && !spellings)
    return { ...base, task: 'binary', reason: 'True/false values: a binary target.' };
  if (!spellings) {
    if (numeric && distinct > max)
      return {
        ...base,
        task: 'regression',
        reason: `${fmtInt(distinct)} distinct numbers, more than ${max} classes: a regression target.`,
      };
    if (!numeric && !isTextType(column.type)) return undefined;
    if (numeric && !isIntegerType(column.type)) return undefined;
    if (distinct === 2) return { ...base, task: 'binary', reason: '2 distinct values: a binary target.' };
    // Whole numbers need their values to tell class codes from amounts.
    if (!numeric && distinct >= 3 && distinct <= max)
      return {
        ...base,
        task: 'multiclass',
        reason: `${distinct} distinct text values: a multiclass target.`,
      };
    return undefined;
  }
  const classes = new Map<string, { rows: number; spellings: { raw: string; rows: number }[] }>();
  for (const s of spellings) {
    if (s.label === null || s.raw === null) continue;
    const c = classes.get(s.label) ?? { rows: 0, spellings: [] };
    c.rows += s.rows;
    c.spellings.push({ raw: s.raw, rows: s.rows });
    classes.set(s.label, c);
  }
  // Sorted as the readiness checks sort them (most rows first, then by label): the last is the minority.
  const list = [...classes.entries()]
    .map(([label, c]) => ({
      label,
      rows: c.rows,
      display: [...c.spellings].sort((a, b) => b.rows - a.rows)[0]!.raw,
    }))
    .sort((a, b) => b.rows - a.rows || a.label.localeCompare(b.label));
  const n = list.length;
  const whole = numeric && list.every((c) => Number.isInteger(Number(c.display)));
  const quoted = (values: string[]): string => values.map((v) => `“${v}”`).join(', ');
  if (numeric && !whole)
    return {
      ...base,
      task: 'regression',
      reason: `Numbers that are not all whole (${quoted(list.slice(0, 3).map((c) => c.display))}…): a regression target.`,
    };
  if (n === 2) {
    const labelled = list[0]!.rows + list[1]!.rows;
    const minority = list[1]!;
    return {
      ...base,
      task: 'binary',
      reason: `2 classes (${quoted(list.map((c) => c.display))}): a binary target.`,
      positiveClass: minority.display,
      positiveReason: `“${minority.display}” is the minority class (${fmtInt(minority.rows)} of ${fmtInt(labelled)} labelled rows, ${fmtPct(minority.rows / labelled)}); the audit treats it as the positive class unless you choose another.`,
    };
  }
  if (numeric && n >= 3 && n <= max) {
    // Class codes fill their range (0–9, 1–5); a few amounts spread over a wide one (7 to 42) are measurements.
    const values = list.map((c) => Number(c.display));
    const low = Math.min(...values);
    const high = Math.max(...values);
    if (n * 2 < high - low + 1)
      return {
        ...base,
        task: 'regression',
        reason: `${n} whole numbers spread over ${fmtInt(low)} to ${fmtInt(high)}: amounts, not class codes; a regression target.`,
      };
  }
  if (n >= 3 && n <= max)
    return {
      ...base,
      task: 'multiclass',
      reason: `${n} classes of ${numeric ? 'whole numbers' : 'text'} (${quoted(list.slice(0, 5).map((c) => c.display))}${n > 5 ? '…' : ''}): a multiclass target.`,
    };
  if (numeric && n > max)
    return {
      ...base,
      task: 'regression',
      reason: `${fmtInt(n)} distinct whole numbers, more than ${max} classes: a regression target.`,
    };
  return undefined;
}

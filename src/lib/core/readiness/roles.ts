import { isBooleanType, isIntegerType, isNumericType, isTemporalType, isTextType } from '../profile/family';
import type { ColumnRoles, ColumnSchema, DatasetProfile } from '../audit/schema';

import { READINESS_THRESHOLDS } from '../thresholds';
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
  /** The best guess per role, ready to edit. */
  roles: ColumnRoles;
  /** Every candidate with its reason, best first per role. */
  suggestions: RoleSuggestion[];
}

const TARGET_NAME =
  /(^|[^a-z])(label|target|class|outcome|churn|churned|fraud|default|defaulted|y|is_?fraud|converted|response)([^a-z]|$)/i;
const ID_NAME =
  /(^|[^a-z])(id|uuid|guid|key|nr|no)$|_id$|Id$|ID$|^id_|identifier|^customer$|account_?(number|no)$/i;
const EVENT_NAME =
  /(snapshot|event|created|timestamp|observ|record|transaction|order|as_?of|^date$|_at$|^time$|date|time)/i;
const STRONG_EVENT_NAME = /(snapshot|event|observ|as_?of|scoring|prediction)/i;
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
    if (idType && nonNull >= 20 && unique >= 0.95 && distinct >= Math.min(stats.rows, 50) * 0.5) {
      const named = ID_NAME.test(name);
      if (text || named)
        add(
          'id',
          name,
          (named ? 0.6 : 0.35) + 0.4 * unique,
          `${fmtPct(unique)} of ${fmtInt(nonNull)} values are distinct${named ? `, and the name “${name}” reads like an identifier` : ''}.`,
        );
    }

    // Target: low cardinality with a target-like name.
    if (distinct >= 2 && distinct <= 20 && TARGET_NAME.test(name) && !temporal) {
      add(
        'target',
        name,
        distinct === 2 ? 0.9 : 0.7,
        `${distinct} distinct values (low cardinality) and the name “${name}” reads like a label.`,
      );
    } else if (isBooleanType(column.type) && TARGET_NAME.test(name)) {
      add('target', name, 0.85, `A true/false column named “${name}”.`);
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
    if (text && distinct >= 2 && distinct <= 20 && !temporal) {
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
  const roles: ColumnRoles = {
    ...(target ? { target } : {}),
    ...(id ? { id } : {}),
    ...(eventTime ? { eventTime } : {}),
    ...(outcomeTime ? { outcomeTime } : {}),
    ...(source ? { source } : {}),
    segments,
    excluded,
  };
  return { roles, suggestions };
}

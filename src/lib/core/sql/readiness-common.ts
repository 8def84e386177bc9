import { dateLiteral, ident, str } from './quote';
import { LABEL_SYNONYMS, MISSING_LABEL_TOKENS, SENTINEL_DATES } from '../readiness/thresholds';

/**
 * Shared pieces of the readiness SQL: the canonical label, the positive flag,
 * the event time and the "valid time" filter. Every builder receives the
 * values it needs; none reads a clock (the as-of date is a DATE literal).
 */

/** A column used as a time axis, with its DuckDB type (text dates are parsed). */
export interface TimeRef {
  column: string;
  type: string;
}

/** What the label means in SQL. */
export interface LabelRef {
  column: string;
  /** `classes`: compared as canonical text; `numeric`: cast to DOUBLE (regression). */
  kind: 'classes' | 'numeric';
  /** The canonical positive class (classification); the minority class by default. */
  positive?: string;
}

/** Everything a readiness builder may need about the table and its roles. */
export interface ReadinessSqlContext {
  table: string;
  label?: LabelRef;
  time?: TimeRef;
  outcome?: TimeRef;
  source?: string;
  id?: string;
  /** ISO date: "today" for the audit. */
  asOf: string;
  /** ISO date: earlier dates are implausible. */
  plausibleStart: string;
}

/** Text formats tried, in order, when a date column is stored as text. */
export const TEXT_DATE_FORMATS: readonly string[] = [
  '%Y-%m-%d %H:%M:%S',
  '%Y-%m-%dT%H:%M:%S',
  '%Y-%m-%d %H:%M',
  '%Y-%m-%d',
  '%Y/%m/%d',
  '%d/%m/%Y %H:%M:%S',
  '%d/%m/%Y %H:%M',
  '%d/%m/%Y',
  '%m/%d/%Y',
  '%d.%m.%Y',
  '%d-%m-%Y',
  '%b %d %Y',
  '%b %d, %Y',
  '%B %d %Y',
  '%B %d, %Y',
  '%d %b %Y',
  '%d %B %Y',
  '%d-%b-%Y',
  '%d-%b-%y',
];

/** POSIX regex (DuckDB `regexp_matches`) for text that looks like a calendar date. */
export const DATE_LIKE_REGEX =
  '^\\s*(\\d{4}[-/.]\\d{1,2}[-/.]\\d{1,2}|\\d{1,2}[-/.]\\d{1,2}[-/.]\\d{2,4}|[A-Za-z]{3,9}\\.? \\d{1,2},? \\d{4}|\\d{1,2}[ -][A-Za-z]{3,9}\\.?[ -]\\d{2,4})([ T]\\d{1,2}:\\d{2}(:\\d{2}(\\.\\d+)?)?)?\\s*$';

const WHITESPACE = `' ' || chr(9) || chr(10) || chr(13)`;

/** DuckDB type families the readiness checks distinguish. */
export function isNumericType(type: string): boolean {
  return /^(TINYINT|SMALLINT|INTEGER|BIGINT|HUGEINT|UTINYINT|USMALLINT|UINTEGER|UBIGINT|UHUGEINT|FLOAT|DOUBLE|REAL|DECIMAL)/i.test(
    type,
  );
}
export function isIntegerType(type: string): boolean {
  return /^(TINYINT|SMALLINT|INTEGER|BIGINT|HUGEINT|UTINYINT|USMALLINT|UINTEGER|UBIGINT|UHUGEINT)/i.test(
    type,
  );
}
export function isTemporalType(type: string): boolean {
  return /^(DATE|TIMESTAMP)/i.test(type);
}
export function isDateType(type: string): boolean {
  return /^DATE$/i.test(type.trim());
}
export function isTextType(type: string): boolean {
  return /^(VARCHAR|TEXT|STRING|CHAR|BPCHAR)/i.test(type);
}
export function isBooleanType(type: string): boolean {
  return /^BOOL/i.test(type);
}

/** Trimmed, lower-cased text of any column. */
export function normalisedText(expression: string): string {
  return `lower(trim(CAST(${expression} AS VARCHAR), ${WHITESPACE}))`;
}

/** Looser key for spotting spelling variants: lower-case letters and digits only. */
export function spellingKey(expression: string): string {
  return `regexp_replace(lower(CAST(${expression} AS VARCHAR)), '[^a-z0-9]+', '', 'g')`;
}

/**
 * The canonical label: trimmed and lower-cased, missing-like tokens become NULL,
 * and y/yes/true/t and n/no/false/f fold to `yes` and `no`.
 */
export function canonicalLabelSql(column: string): string {
  const text = normalisedText(ident(column));
  const list = (values: readonly string[]): string => values.map(str).join(', ');
  const synonyms = Object.entries(LABEL_SYNONYMS)
    .map(([canonical, spellings]) => `WHEN ${text} IN (${list(spellings)}) THEN ${str(canonical)}`)
    .join(' ');
  return `(CASE WHEN ${text} IN (${list(MISSING_LABEL_TOKENS)}) THEN NULL ${synonyms} ELSE ${text} END)`;
}

/** The same canonicalisation in TypeScript, for matching a user-typed positive class. */
export function canonicalLabel(value: string): string | null {
  const text = value.replace(/^[ \t\n\r]+|[ \t\n\r]+$/g, '').toLowerCase();
  if (MISSING_LABEL_TOKENS.includes(text)) return null;
  for (const [canonical, spellings] of Object.entries(LABEL_SYNONYMS))
    if (spellings.includes(text)) return canonical;
  return text;
}

/** The label expression: canonical text for classes, DOUBLE for regression. */
export function labelSql(label: LabelRef): string {
  return label.kind === 'numeric'
    ? `TRY_CAST(${ident(label.column)} AS DOUBLE)`
    : canonicalLabelSql(label.column);
}

/** 1 for the positive class, 0 for other labelled rows, NULL when unlabelled. */
export function positiveSql(label: LabelRef): string {
  if (label.kind === 'numeric' || label.positive === undefined) return 'NULL';
  const canonical = canonicalLabelSql(label.column);
  return `(CASE WHEN ${canonical} IS NULL THEN NULL WHEN ${canonical} = ${str(label.positive)} THEN 1 ELSE 0 END)`;
}

/** A TIMESTAMP expression for a time column; text is parsed with `TEXT_DATE_FORMATS`. */
export function timeSql(ref: TimeRef): string {
  const column = ident(ref.column);
  if (isTemporalType(ref.type)) return `CAST(${column} AS TIMESTAMP)`;
  if (isTextType(ref.type)) {
    const formats = TEXT_DATE_FORMATS.map(str).join(', ');
    return `COALESCE(TRY_CAST(trim(${column}) AS TIMESTAMP), try_strptime(trim(${column}), [${formats}]))`;
  }
  return 'CAST(NULL AS TIMESTAMP)';
}

/** The SQL list of sentinel dates. */
export function sentinelDateList(): string {
  return SENTINEL_DATES.map((d) => dateLiteral(d)).join(', ');
}

/** True when the time is neither missing, a sentinel, in the future, nor before the plausible start. */
export function validTimeSql(timeExpression: string, asOf: string, plausibleStart: string): string {
  const day = `CAST(${timeExpression} AS DATE)`;
  return `(${timeExpression} IS NOT NULL AND ${day} <= ${dateLiteral(asOf)} AND ${day} >= ${dateLiteral(plausibleStart)} AND ${day} NOT IN (${sentinelDateList()}))`;
}

/** `FROM table` with the table name quoted. */
export function fromTable(table: string): string {
  return `FROM ${ident(table)}`;
}

/** Comma-separated quoted identifiers. */
export function identList(columns: readonly string[]): string {
  return columns.map(ident).join(', ');
}

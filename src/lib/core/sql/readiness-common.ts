import { isNumericType, isTemporalType, isTextType } from './types';
import { dialect as d } from './dialect';
import { dateLiteral, ident, str } from './quote';
import { LABEL_SYNONYMS, MISSING_TOKENS, SENTINEL_DATES } from '../thresholds';

/**
 * Naming in core/sql: a builder of a whole statement ends in `Query`
 * (`timeSpanQuery`); a builder of an expression or fragment ends in `Sql`
 * (`timeSql`, `labelSql`); `fromTable` and `identList` are clause helpers.
 *
 * Shared pieces of the readiness SQL: the canonical label, the positive flag,
 * the event time and the "valid time" filter. Every builder receives the
 * values it needs; none reads a clock (the as-of date is a DATE literal).
 */

/**
 * How a column's values are read as time: `native` DATE/TIMESTAMP, `text`
 * parsed with `TEXT_DATE_FORMATS`, `quarter` text (`1974Q1`, `1974-Q1`,
 * `Q1 1974`), or numbers: calendar years, `yyyymm` and `yyyymmdd` integers,
 * seconds or milliseconds since 1970-01-01 UTC.
 */
export type TimeEncoding =
  'native' | 'text' | 'quarter' | 'year' | 'yyyymm' | 'yyyymmdd' | 'epoch-seconds' | 'epoch-milliseconds';

/**
 * The finest unit a time column's values carry: every value on 1 January is
 * `year`, on the first day of January, April, July or October `quarter`.
 * A value of a coarse granularity stands for the whole period: 1970 is the
 * year 1970, from 1970-01-01 up to 1971-01-01.
 */
export type TimeGranularity = 'year' | 'quarter' | 'month' | 'day' | 'instant';

/**
 * A column beside a year column that says which quarter or month of the year
 * a row is (`year` 1959 with `quarter` 3 is 1959-Q3): read together, the two
 * are one period.
 */
export interface TimePeriodPart {
  column: string;
  unit: 'quarter' | 'month';
}

/** A column used as a time axis, with its DuckDB type and how it is read. */
export interface TimeRef {
  column: string;
  type: string;
  /** How the values are read; from the type when absent (numbers then read as nothing). */
  encoding?: TimeEncoding;
  /** The column's granularity, once measured; placeholder dates it explains are not sentinels. */
  granularity?: TimeGranularity;
  /** With a `year` encoding: the quarter or month column read with it as one period. */
  period?: TimePeriodPart;
}

// Singular names only: "months" or "tenure_quarters" is usually a duration, not a calendar position.
const QUARTER_NAME = /(^|[^a-z])(quarter|qtr)([^a-z]|$)|Quarter$|^q$/i;
const MONTH_NAME = /(^|[^a-z])(month|mth)([^a-z]|$)|Month$|^m$/i;

/**
 * Numeric columns beside `column` named like a quarter or a month: the
 * candidates read with a year column as one period. Months first (the finer
 * unit wins when both qualify). Pure, so the facts query and the judgement
 * of its result see the same list.
 */
export function periodPartCandidates(
  column: string,
  columns: readonly { name: string; type: string }[],
): TimePeriodPart[] {
  const others = columns.filter((c) => c.name !== column && isNumericType(c.type));
  return [
    ...others.filter((c) => MONTH_NAME.test(c.name)).map((c) => ({ column: c.name, unit: 'month' as const })),
    ...others
      .filter((c) => QUARTER_NAME.test(c.name))
      .map((c) => ({ column: c.name, unit: 'quarter' as const })),
  ];
}

/**
 * Value ranges of the numeric time encodings. They do not overlap, so one
 * integer is read one way only: years 1000–2999; yyyymm 100001–299912;
 * yyyymmdd 10000101–29991231; epoch seconds 1e8–1e10 (1973–2286); epoch
 * milliseconds 1e11–1e13 (1973–2286).
 */
export const NUMERIC_TIME_RANGES = {
  year: [1000, 2999],
  yyyymm: [100001, 299912],
  yyyymmdd: [10000101, 29991231],
  'epoch-seconds': [1e8, 1e10],
  'epoch-milliseconds': [1e11, 1e13],
} as const satisfies Record<Exclude<TimeEncoding, 'native' | 'text' | 'quarter'>, readonly [number, number]>;

/** What the label means in SQL. */
export interface LabelRef {
  column: string;
  /** `classes`: compared as canonical text; `numeric`: cast to DOUBLE (regression). */
  kind: 'classes' | 'numeric';
  /** The canonical positive class (classification); the minority class by default. */
  positive?: string;
  /**
   * Every literal spelling of the target with its canonical label, when the
   * setup saw them all. Rows are then labelled by comparing their raw text with
   * this short list instead of trimming and lower-casing every value, several
   * times cheaper per row; a spelling outside the list still gets the full
   * canonicalisation, so the result is the same on any data.
   */
  spellings?: readonly LabelSpelling[];
}

/** One literal spelling of the target (as text) and its canonical label (NULL: missing-like). */
export interface LabelSpelling {
  raw: string;
  label: string | null;
}

/** Above this many spellings the raw-text CASE stops paying for itself. */
const MAX_MAPPED_SPELLINGS = 64;

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
  /**
   * ISO date: event times before it are outside the history (the context's
   * "history expected from", or the start of the bulk when a few dates sit
   * isolated far before it). Absent: no lower bound.
   */
  validFrom?: string;
}

/** The text form of times in the readiness results (a strftime pattern). */
export const TIMESTAMP_FORMAT = '%Y-%m-%d %H:%M:%S';

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
  '%b-%d-%Y',
  '%B-%d-%Y',
  '%Y-%m',
];

/** POSIX regex (DuckDB `regexp_matches`) for text that looks like a calendar date. */
export const DATE_LIKE_REGEX =
  '^\\s*(\\d{4}[-/.]\\d{1,2}[-/.]\\d{1,2}|\\d{1,2}[-/.]\\d{1,2}[-/.]\\d{2,4}|[A-Za-z]{3,9}\\.?[ -]\\d{1,2},?[ -]\\d{4}|\\d{1,2}[ -][A-Za-z]{3,9}\\.?[ -]\\d{2,4})([ T]\\d{1,2}:\\d{2}(:\\d{2}(\\.\\d+)?)?(Z|[+-]\\d{2}:?\\d{2})?)?\\s*$';

/** A function, not a constant: the dialect is read at call time. */
const whitespace = (): string => [`' '`, ...[9, 10, 13].map((code) => d.charFromCode(code))].join(' || ');

/** Trimmed, lower-cased text of any column. */
export function normalisedTextSql(expression: string): string {
  return d.lowerText(`trim(CAST(${expression} AS VARCHAR), ${whitespace()})`);
}

/** Looser key for spotting spelling variants: lower-case letters and digits only. */
export function spellingKeySql(expression: string): string {
  return d.regexReplace(`lower(CAST(${expression} AS VARCHAR))`, `'[^a-z0-9]+'`, `''`, true);
}

/**
 * The canonical label: trimmed and lower-cased, missing-like tokens become NULL,
 * and y/yes/true/t and n/no/false/f fold to `yes` and `no`.
 */
export function canonicalLabelSql(column: string): string {
  return canonicalOf(normalisedTextSql(ident(column)));
}

function canonicalOf(text: string): string {
  const list = (values: readonly string[]): string => values.map(str).join(', ');
  const synonyms = Object.entries(LABEL_SYNONYMS)
    .map(([canonical, spellings]) => `WHEN ${text} IN (${list(spellings)}) THEN ${str(canonical)}`)
    .join(' ');
  return `(CASE WHEN ${text} IN (${list(MISSING_TOKENS)}) THEN NULL ${synonyms} ELSE ${text} END)`;
}

/**
 * `canonicalLabelSql` with the trimmed, lower-cased text written once, inside a
 * lambda: as the fallback branch of the spellings CASE it then runs only on the
 * rows that reach it. Written out several times, DuckDB lifts the repeated
 * lower/trim out of the branch and computes it for every row (0.65 s per
 * million rows in WASM once the CASE sits in a subquery).
 */
function canonicalFallbackSql(column: string): string {
  return d.bindValue(normalisedTextSql(ident(column)), 'rz_text', canonicalOf('rz_text'));
}

/** The same canonicalisation in TypeScript, for matching a user-typed positive class. */
export function canonicalLabel(value: string): string | null {
  const text = value.replace(/^[ \t\n\r]+|[ \t\n\r]+$/g, '').toLowerCase();
  if (MISSING_TOKENS.includes(text)) return null;
  for (const [canonical, spellings] of Object.entries(LABEL_SYNONYMS))
    if (spellings.includes(text)) return canonical;
  return text;
}

/** The label expression: canonical text for classes, DOUBLE for regression. */
export function labelSql(label: LabelRef): string {
  if (label.kind === 'numeric') return d.tryCast(ident(label.column), 'DOUBLE');
  const spellings = mappedSpellings(label);
  if (!spellings) return canonicalLabelSql(label.column);
  const raw = rawTextSql(label.column);
  const byLabel = new Map<string | null, string[]>();
  for (const s of spellings) byLabel.set(s.label, [...(byLabel.get(s.label) ?? []), s.raw]);
  const whens = [...byLabel].map(
    ([canonical, raws]) =>
      `WHEN ${raw} IN (${raws.map(str).join(', ')}) THEN ${canonical === null ? 'NULL' : str(canonical)}`,
  );
  return `(CASE ${whens.join(' ')} ELSE ${canonicalFallbackSql(label.column)} END)`;
}

/** 1 for the positive class, 0 for other labelled rows, NULL when unlabelled. */
export function positiveSql(label: LabelRef): string {
  const positive = label.positive;
  if (label.kind === 'numeric' || positive === undefined) return 'NULL';
  const flag = (canonical: string): string =>
    `(CASE WHEN ${canonical} IS NULL THEN NULL WHEN ${canonical} = ${str(positive)} THEN 1 ELSE 0 END)`;
  const spellings = mappedSpellings(label);
  if (!spellings) return flag(canonicalLabelSql(label.column));
  const full = flag(canonicalFallbackSql(label.column));
  const raw = rawTextSql(label.column);
  const raws = (keep: (canonical: string | null) => boolean): string[] =>
    spellings.filter((s) => keep(s.label)).map((s) => s.raw);
  const groups: [string[], string][] = [
    [raws((l) => l === label.positive), '1'],
    [raws((l) => l !== null && l !== label.positive), '0'],
    [raws((l) => l === null), 'NULL'],
  ];
  const whens = groups
    .filter(([list]) => list.length > 0)
    .map(([list, value]) => `WHEN ${raw} IN (${list.map(str).join(', ')}) THEN ${value}`);
  return `(CASE ${whens.join(' ')} ELSE ${full} END)`;
}

function mappedSpellings(label: LabelRef): readonly LabelSpelling[] | undefined {
  const spellings = label.spellings;
  return spellings && spellings.length > 0 && spellings.length <= MAX_MAPPED_SPELLINGS
    ? spellings
    : undefined;
}

function rawTextSql(column: string): string {
  return `CAST(${ident(column)} AS VARCHAR)`;
}

/** The encoding a column's type implies without looking at its values. */
export function defaultTimeEncoding(type: string): TimeEncoding | undefined {
  if (isTemporalType(type)) return 'native';
  if (isTextType(type)) return 'text';
  return undefined;
}

/** A numeric time encoding's read of `column`, NULL outside the encoding's range. */
export function numericTimeSql(column: string, encoding: keyof typeof NUMERIC_TIME_RANGES): string {
  const [lo, hi] = NUMERIC_TIME_RANGES[encoding];
  const inRange = `${column} BETWEEN ${lo} AND ${hi}`;
  // Integer division and modulo on a BIGINT copy, so DOUBLE columns holding whole numbers work too.
  const n = `CAST(${column} AS BIGINT)`;
  const whole = `${inRange} AND ${column} = floor(${column})`;
  switch (encoding) {
    case 'year':
      return `(CASE WHEN ${whole} THEN ${d.cast(d.makeDate(`CAST(${n} AS INTEGER)`, '1', '1'), 'TIMESTAMP')} END)`;
    case 'yyyymm': {
      const date = d.makeDate(`CAST(${d.intDiv(n, '100')} AS INTEGER)`, `CAST(${n} % 100 AS INTEGER)`, '1');
      return `(CASE WHEN ${whole} AND ${n} % 100 BETWEEN 1 AND 12 THEN ${d.cast(date, 'TIMESTAMP')} END)`;
    }
    case 'yyyymmdd':
      return `(CASE WHEN ${whole} THEN ${d.tryStrptime(`CAST(${n} AS VARCHAR)`, '%Y%m%d')} END)`;
    case 'epoch-seconds':
      return `(CASE WHEN ${inRange} THEN ${d.timestampFromMicros(`CAST(round(${column} * 1000000) AS BIGINT)`)} END)`;
    case 'epoch-milliseconds':
      return `(CASE WHEN ${inRange} THEN ${d.timestampFromMicros(`CAST(round(${column} * 1000) AS BIGINT)`)} END)`;
  }
}

/**
 * Quarter text (`1974Q1`, `1974-Q1`, `1974 q1`, `Q1 1974`, `Q1-1974`) read as
 * the first day of the quarter; NULL for anything else.
 */
export function quarterTextSql(expression: string): string {
  const raw = `CAST(${expression} AS VARCHAR)`;
  const text = `upper(trim(${raw}))`;
  // Both orders become `1974Q1`; one regex per order, then fixed positions.
  const qFirst = d.regexReplace(text, `'^Q([1-4])[-/ ]*([0-9]{4})$'`, `'\\2Q\\1'`);
  const canonical = d.regexReplace(qFirst, `'^([0-9]{4})[-/ ]*Q([1-4])$'`, `'\\1Q\\2'`);
  const date = d.makeDate(
    `CAST(${d.textSlice('rz_q', 1, 4)} AS INTEGER)`,
    `CAST(${d.textSlice('rz_q', 6, 6)} AS INTEGER) * 3 - 2`,
    '1',
  );
  const read = d.bindValue(
    canonical,
    'rz_q',
    `CASE WHEN ${d.regexFullMatch('rz_q', `'[0-9]{4}Q[1-4]'`)} THEN ${d.cast(date, 'TIMESTAMP')} END`,
  );
  // The regexes only run on short text holding a Q: 1M ISO dates take 0.09 s instead of 0.8–1.2 s in WASM.
  const hasQ = `${d.containsText(raw, `'Q'`)} OR ${d.containsText(raw, `'q'`)}`;
  return `(CASE WHEN ${d.textLength(raw)} <= 12 AND (${hasQ}) THEN ${read} END)`;
}

/**
 * A year and a quarter (1–4) or month (1–12) number read as the first day of
 * that period; NULL when either is missing or out of range.
 */
export function yearPeriodSql(yearExpression: string, period: TimePeriodPart): string {
  const p = ident(period.column);
  const last = period.unit === 'quarter' ? 4 : 12;
  const month = period.unit === 'quarter' ? `CAST(${p} AS INTEGER) * 3 - 2` : `CAST(${p} AS INTEGER)`;
  const [lo, hi] = NUMERIC_TIME_RANGES.year;
  const y = yearExpression;
  return `(CASE WHEN ${y} BETWEEN ${lo} AND ${hi} AND ${y} = floor(${y}) AND ${p} BETWEEN 1 AND ${last} AND ${p} = floor(${p}) THEN ${d.cast(d.makeDate(`CAST(${y} AS INTEGER)`, month, '1'), 'TIMESTAMP')} END)`;
}

/**
 * A TIMESTAMP expression for a time column: native types are cast, text is
 * parsed with `TEXT_DATE_FORMATS` (or as quarters), numbers are read with the
 * ref's encoding (NULL when it has none), and a year with its `period` column
 * as one quarter or month. Never a zoned type, so no ICU call (ENGINE-NOTES).
 */
export function timeSql(ref: TimeRef): string {
  const column = ident(ref.column);
  const encoding = ref.encoding ?? defaultTimeEncoding(ref.type);
  // Years written as text ("1565" in a JSON string) are read as numbers first.
  const numeric = isTextType(ref.type) ? d.tryCast(`trim(${column})`, 'DOUBLE') : column;
  switch (encoding) {
    case 'native':
      return d.cast(column, 'TIMESTAMP');
    case 'text':
      return `COALESCE(${d.tryCast(`trim(${column})`, 'TIMESTAMP')}, ${d.tryStrptime(`trim(${column})`, TEXT_DATE_FORMATS)})`;
    case 'quarter':
      return quarterTextSql(column);
    case undefined:
      return d.cast('NULL', 'TIMESTAMP');
    case 'year':
      return ref.period ? yearPeriodSql(numeric, ref.period) : numericTimeSql(numeric, encoding);
    default:
      return numericTimeSql(numeric, encoding);
  }
}

/**
 * The placeholder dates that count as sentinels in a column of this
 * granularity: in a year-granular column 1 January is every value, in a
 * month-granular one the 1st is, so those days are not placeholders there.
 */
export function sentinelDatesFor(granularity: TimeGranularity | undefined): string[] {
  if (granularity === 'year') return SENTINEL_DATES.filter((d) => !d.endsWith('-01-01'));
  if (granularity === 'month' || granularity === 'quarter')
    return SENTINEL_DATES.filter((d) => !d.endsWith('-01'));
  return [...SENTINEL_DATES];
}

/** The SQL list of sentinel dates for a column of this granularity (never empty). */
export function sentinelDatesSql(granularity?: TimeGranularity): string {
  const dates = sentinelDatesFor(granularity);
  // `NOT IN ()` is a syntax error; a date no column holds keeps the list valid.
  return (dates.length ? dates : ['0001-01-02']).map((d) => dateLiteral(d)).join(', ');
}

/** Options of `validTimeSql`. */
export interface ValidTimeOptions {
  /** ISO date: earlier days are outside the history. */
  from?: string | undefined;
  granularity?: TimeGranularity | undefined;
}

/**
 * True when the time is neither missing, a sentinel (for the column's
 * granularity), after the as-of date, nor before `from` when one is given.
 */
export function validTimeSql(timeExpression: string, asOf: string, options: ValidTimeOptions = {}): string {
  const day = `${d.cast(timeExpression, 'DATE')}`;
  const from = options.from ? ` AND ${day} >= ${dateLiteral(options.from)}` : '';
  return `(${timeExpression} IS NOT NULL AND ${day} <= ${dateLiteral(asOf)}${from} AND ${day} NOT IN (${sentinelDatesSql(options.granularity)}))`;
}

/** `validTimeSql` for the context's event time, with its history bound and granularity. */
export function validEventTimeSql(ctx: ReadinessSqlContext): string {
  if (!ctx.time) throw new RangeError('validEventTimeSql needs an event time');
  return validTimeSql(timeSql(ctx.time), ctx.asOf, {
    from: ctx.validFrom,
    granularity: ctx.time.granularity,
  });
}

/** `FROM table` with the table name quoted. */
export function fromTable(table: string): string {
  return `FROM ${ident(table)}`;
}

/**
 * A one-row aggregate statement kept as parts, so that several of them over
 * the same table can run as one scan (`fusedOneRowQuery`) while each
 * finding still shows its own standalone statement (`oneRowQuery`).
 */
export interface OneRowAggregate {
  table: string;
  /** Output name and aggregate expression, in order. */
  columns: readonly (readonly [name: string, expression: string])[];
}

const aliasSql = (name: string): string => (/^[a-z_][a-z0-9_]*$/.test(name) ? name : ident(name));

/** `SELECT <aggregates> FROM <table>`: the standalone statement of one aggregate. */
export function oneRowQuery(aggregate: OneRowAggregate): string {
  const list = aggregate.columns.map(([name, expression]) => `${expression} AS ${aliasSql(name)}`);
  return `SELECT ${list.join(', ')} ${fromTable(aggregate.table)}`;
}

/**
 * Several one-row aggregates over one table in a single scan: output `name`
 * of part `i` is named `name__i`. Read a part back with `fusedPart`.
 */
export function fusedOneRowQuery(parts: readonly OneRowAggregate[]): string {
  const tables = new Set(parts.map((p) => p.table));
  if (tables.size !== 1) throw new RangeError('fusedOneRowQuery needs parts over one table');
  const list = parts.flatMap((part, i) =>
    part.columns.map(([name, expression]) => `${expression} AS ${ident(`${name}__${i}`)}`),
  );
  return `SELECT ${list.join(', ')} ${fromTable(parts[0]!.table)}`;
}

/** Part `index` of a `fusedOneRowQuery` row, under its own output names. */
export function fusedPart(row: Readonly<Record<string, unknown>>, index: number): Record<string, unknown> {
  const suffix = `__${index}`;
  return Object.fromEntries(
    Object.entries(row)
      .filter(([key]) => key.endsWith(suffix))
      .map(([key, value]) => [key.slice(0, -suffix.length), value]),
  );
}

/** Comma-separated quoted identifiers. */
export function identList(columns: readonly string[]): string {
  return columns.map(ident).join(', ');
}

/**
 * `UNION ALL BY NAME` both engines run (ClickHouse has no BY NAME): each part
 * selects every part's columns, by name, NULL for those it lacks. `columns`
 * names the part's own output columns.
 */
export function unionAllByName(parts: readonly { sql: string; columns: readonly string[] }[]): string {
  const names = [...new Set(parts.flatMap((p) => p.columns))];
  return parts
    .map((p) => {
      const own = new Set(p.columns);
      return `SELECT ${names.map((n) => (own.has(n) ? ident(n) : `NULL AS ${ident(n)}`)).join(', ')} FROM (${p.sql})`;
    })
    .join(' UNION ALL ');
}

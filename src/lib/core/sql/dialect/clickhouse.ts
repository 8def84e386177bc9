import { ident, str } from '../quote';
import type { SqlDialect } from './types';

/**
 * strftime (DuckDB) to MySQL-style (ClickHouse `formatDateTime`) codes that
 * differ: minutes, full month and weekday names. Every other code the builders
 * use (`%Y %m %d %H %S %b %y %j %p %I %f`) is spelled alike.
 */
const FORMAT_CODES: Readonly<Record<string, string>> = { M: 'i', B: 'M', A: 'W' };
/** Parsing also takes months, days and hours without a leading zero (`2024-1-2`), as DuckDB's strptime does. */
const PARSE_CODES: Readonly<Record<string, string>> = { ...FORMAT_CODES, m: 'c', d: 'e', H: 'k' };

function clickhouseFormat(strftime: string, codes = FORMAT_CODES): string {
  return strftime.replace(/%(.)/g, (code, letter: string) => (codes[letter] ? `%${codes[letter]}` : code));
}

/** ClickHouse base types by their DuckDB names (`describeColumnsQuery`). */
const DUCKDB_NAMES: Readonly<Record<string, string>> = {
  Int8: 'TINYINT',
  Int16: 'SMALLINT',
  Int32: 'INTEGER',
  Int64: 'BIGINT',
  Int128: 'HUGEINT',
  UInt8: 'UTINYINT',
  UInt16: 'USMALLINT',
  UInt32: 'UINTEGER',
  UInt64: 'UBIGINT',
  UInt128: 'UHUGEINT',
  Float32: 'FLOAT',
  Float64: 'DOUBLE',
  Bool: 'BOOLEAN',
  String: 'VARCHAR',
  Date: 'DATE',
  Date32: 'DATE',
  UUID: 'UUID',
};

function clickhouseArray(items: readonly string[]): string {
  return `[${items.map((item) => `'${item}'`).join(', ')}]`;
}

/** DuckDB type names the builders cast to, as ClickHouse spells them. */
const TYPES: Readonly<Record<string, string>> = {
  DOUBLE: 'Float64',
  FLOAT: 'Float32',
  BIGINT: 'Int64',
  INTEGER: 'Int32',
  SMALLINT: 'Int16',
  TINYINT: 'Int8',
  UBIGINT: 'UInt64',
  HUGEINT: 'Int128',
  VARCHAR: 'String',
  BOOLEAN: 'Bool',
  DATE: 'Date32',
  TIMESTAMP: "DateTime64(6, 'UTC')",
};

/** The ClickHouse spelling of a DuckDB type the builders name. */
export function clickhouseType(duckdbType: string): string {
  const type = TYPES[duckdbType.trim().toUpperCase()];
  if (!type) throw new RangeError(`No ClickHouse type for ${duckdbType}`);
  return type;
}

/**
 * A ClickHouse type (`system.columns.type`) as DuckDB names it, in SQL: the
 * profile and the checks classify DuckDB names. `Nullable(…)` and
 * `LowCardinality(…)` wrap the type that matters; unknown types pass as they are.
 */
const BASE_TYPE = String.raw`replaceRegexpOne(replaceRegexpOne(type, '^LowCardinality\\((.*)\\)$', '\\1'), '^Nullable\\((.*)\\)$', '\\1')`;
const DUCKDB_TYPE_NAME = `multiIf(
  startsWith(${BASE_TYPE}, 'DateTime'), 'TIMESTAMP',
  startsWith(${BASE_TYPE}, 'Decimal'), replaceOne(${BASE_TYPE}, 'Decimal', 'DECIMAL'),
  startsWith(${BASE_TYPE}, 'FixedString') OR startsWith(${BASE_TYPE}, 'Enum'), 'VARCHAR',
  transform(${BASE_TYPE}, ${clickhouseArray(Object.keys(DUCKDB_NAMES))}, ${clickhouseArray(Object.values(DUCKDB_NAMES))}, ${BASE_TYPE}))`.replace(
  /\s*\n\s*/g,
  ' ',
);

/** `levels` (a fraction literal or a list literal of fractions) as the parameter list of a `quantiles*` call. */
function levelList(levels: string): { list: boolean; params: string } {
  const list = levels.trim().startsWith('[');
  return { list, params: list ? levels.trim().slice(1, -1) : levels };
}

/**
 * A fraction literal as DuckDB reads it: a decimal literal (`0.80000000000000004`, as `num`
 * writes 0.8) is an exact DECIMAL there, so n·q of 300 rows is 240.000000000000012 and its
 * ceil 241, where Float64 rounds the product to 240. Anything else stays a float, as in DuckDB.
 */
function exactLevel(level: string): string {
  const decimal = /^\s*(\d*)\.(\d{1,37})\s*$/.exec(level);
  return decimal ? `toDecimal128('${decimal[1] || '0'}.${decimal[2]}', ${decimal[2]!.length})` : level;
}

/** DuckDB rounds 2.5 to 3 and -2.5 to -3; ClickHouse's round() to the even neighbour. */
function halfAwayFromZero(x: string): string {
  return `sign(${x}) * floor(abs(${x}) + 0.5)`;
}

/**
 * A parsed time held to the last time ClickHouse supports. Parsing keeps `9999-12-31` as is,
 * but a Date32 column and a date literal (`toDate32`) hold it as 2299-12-31: clamped alike, a
 * placeholder date read from text still matches the placeholder list. NULL stays NULL.
 */
function withinTimeRange(time: string): string {
  const last = "toDateTime64('2299-12-31 23:59:59.999999', 6, 'UTC')";
  return `if(${time} > ${last}, ${last}, ${time})`;
}

/**
 * Text read as a time the way DuckDB's cast reads it: an ISO-like date first
 * (`2024-01-02`, `2024/01/02`, a time may follow), and a day that exists.
 * ClickHouse's own casts roll 2024-02-30 over to 2024-03-01, and its best-effort
 * parser also reads `02/01/2024`, which DuckDB's cast refuses.
 */
function isoLikeTime(text: string): string {
  const parsed = withinTimeRange(`parseDateTime64BestEffortOrNull(${text}, 6, 'UTC')`);
  const day = `toUInt8OrZero(extract(${text}, '^[0-9]{4}[-/.][0-9]{1,2}[-/.]([0-9]{1,2})'))`;
  return `if(toDayOfMonth(${parsed}) = ${day}, ${parsed}, NULL)`;
}

/**
 * ClickHouse (embedded as chDB, or a server): one dialect, verified against
 * DuckDB-WASM statement by statement in tests/integration/core/sql/clickhouse-dialect.test.ts.
 * Where results can't match exactly, the tolerance is written next to the spelling.
 * Statements run with `CLICKHOUSE_SETTINGS` (settings.ts), which make empty
 * aggregates, outer joins and inferred columns NULL-aware as DuckDB is.
 */
export const CLICKHOUSE: SqlDialect = {
  name: 'clickhouse',
  backslashEscapes: true,

  // parseDateTime64OrNull, not parseDateTimeOrNull: the latter fails before 1970.
  tryStrptime: (text, formats) => {
    const parse = (format: string): string =>
      withinTimeRange(`parseDateTime64OrNull(${text}, ${str(clickhouseFormat(format, PARSE_CODES))}, 'UTC')`);
    return typeof formats === 'string' ? parse(formats) : `coalesce(${formats.map(parse).join(', ')})`;
  },
  // toString writes all six decimals of a DateTime64; DuckDB none when they are zero.
  // Only a fraction's trailing zeros go ('.500000' → '.5', '.000000' → ''): a DateTime has no fraction to trim.
  timestampText: (time) =>
    String.raw`replaceRegexpOne(toString(${time}), '(\\.[0-9]*[1-9])0+$|\\.0+$', '\\1')`,
  formatTime: (time, format) => `formatDateTime(${time}, ${str(clickhouseFormat(format))})`,
  // makeDate32 rolls an impossible day over (2 30 → 3 1); the builders pass only real days.
  makeDate: (year, month, day) => `makeDate32(${year}, ${month}, ${day})`,
  timestampFromMicros: (micros) => `fromUnixTimestamp64Micro(toInt64(${micros}), 'UTC')`,
  epochMicros: (time) => `toUnixTimestamp64Micro(toDateTime64(${time}, 6, 'UTC'))`,
  isoWeekday: (time) => `toDayOfWeek(${time})`,
  timeSeries: (lo, hi, step) => {
    const match = /^INTERVAL\s+(\d+)\s+(DAY|WEEK|MONTH|QUARTER|YEAR)S?$/i.exec(step.trim());
    if (!match) throw new RangeError(`Not an INTERVAL literal of days to years: ${step}`);
    const [, n, unit] = match as unknown as [string, string, string];
    const add = `add${unit[0]!.toUpperCase()}${unit.slice(1).toLowerCase()}s`;
    const [from, to] = [`assumeNotNull(${lo})`, `assumeNotNull(${hi})`];
    // dateDiff counts calendar boundaries (1969-11 to 1971-02 is 2 years), so one step may pass `hi`: filtered.
    const steps = `range(toUInt64(intDiv(dateDiff('${unit.toLowerCase()}', ${from}, ${to}), ${n}) + 1))`;
    return `arrayJoin(arrayFilter(t -> t <= ${to}, arrayMap(i -> ${add}(${from}, i * ${n}), ${steps})))`;
  },

  // DuckDB's TRY_CAST trims blanks, rounds '1.5' to an integer and fails on an
  // impossible date; accurateCastOrNull does none of that, so each is spelled out.
  tryCast: (expression, type) => {
    const target = clickhouseType(type);
    const text = `trimBoth(toString(${expression}))`;
    if (/^U?Int/.test(target))
      return `coalesce(accurateCastOrNull(${text}, '${target}'), accurateCastOrNull(${halfAwayFromZero(`accurateCastOrNull(${text}, 'Float64')`)}, '${target}'))`;
    if (target === 'Date32') return `toDate32(${isoLikeTime(text)})`;
    if (target.startsWith('DateTime64')) return isoLikeTime(text);
    return `accurateCastOrNull(${text}, ${str(target)})`;
  },
  // DuckDB's `//` gives NULL for a zero divisor; plain intDiv throws.
  intDiv: (dividend, divisor) => `intDivOrNull(${dividend}, ${divisor})`,
  textLength: (text) => `lengthUTF8(${text})`,
  textSlice: (text, from, to) => `substringUTF8(${text}, ${from}, ${Math.max(0, to - from + 1)})`,
  // No chr(); char() writes bytes, so a code point past ASCII goes through its UTF-8 text.
  charFromCode: (code) => (code < 128 ? `char(${Math.trunc(code)})` : `'${String.fromCodePoint(code)}'`),
  // lower() folds ASCII only.
  lowerText: (text) => `lowerUTF8(${text})`,
  containsText: (text, needle) => `(position(${text}, ${needle}) > 0)`,
  isFinite: (number) => `isFinite(${number})`,

  regexMatches: (text, pattern) => `match(${text}, ${pattern})`,
  regexFullMatch: (text, pattern) => `match(${text}, concat('^(?:', ${pattern}, ')$'))`,
  regexReplace: (text, pattern, replacement, all = false) =>
    `${all ? 'replaceRegexpAll' : 'replaceRegexpOne'}(${text}, ${pattern}, ${replacement})`,

  bindValue: (value, name, body) => `arrayMap(${name} -> ${body}, [${value}])[1]`,
  // ngrams(t, 1) splits UTF-8 characters; splitByString('', t) splits bytes.
  // DuckDB splits '' into [''], ngrams into [].
  splitChars: (text) => `if(${text} = '', [''], ngrams(${text}, 1))`,
  listTransform: (list, params, body) =>
    params.length > 1
      ? `arrayMap((${params.join(', ')}) -> ${body}, ${list}, arrayEnumerate(${list}))`
      : `arrayMap(${params[0]} -> ${body}, ${list})`,
  // arrayFold needs the lambda to return the accumulator's type: Int64 both, so digits do not overflow UInt8.
  listReduce: (list, params, body, initial) =>
    `arrayFold((${params.join(', ')}) -> toInt64(${body}), ${list}, toInt64(${initial}))`,
  listSum: (list) => `arraySum(${list})`,

  countIf: (condition) => `countIf(${condition})`,
  argMax: (arg, by) => `argMax(${arg}, ${by})`,
  // HyperLogLog with a different sketch than DuckDB's: both within 5 % of the true count (see the test).
  approxDistinct: (expression) => `uniqCombined(${expression})`,
  // quantileExactInclusive interpolates as quantile_cont does (type 7).
  quantileCont: (expression, levels) => {
    const { list, params } = levelList(levels);
    return `${list ? 'quantilesExactInclusive' : 'quantileExactInclusive'}(${params})(${expression})`;
  },
  // quantileExact picks index floor(n·q), DuckDB ceil(n·q): they differ when n·q is whole.
  quantileDisc: (expression, level) =>
    `arrayElementOrNull(arraySort(groupArray(${expression})), greatest(toUInt64(ceil(count(${expression}) * ${exactLevel(level)})), 1))`,
  median: (expression) => `quantileExactInclusive(0.5)(${expression})`,
  hash: (expressions) => `cityHash64(tuple(${expressions.join(', ')}))`,
  hashLiteral: (digits) => `toUInt64(${digits})`,

  groupByAll: () => 'GROUP BY ALL',
  qualify: (condition) => `QUALIFY ${condition}`,
  // No USING SAMPLE (SAMPLE BY needs a sampling key in the table): a seeded hash
  // of the row's position keeps a reproducible share, or orders for exactly `rows`.
  sample: (spec) => {
    const key = `cityHash64(rowNumberInAllBlocks(), ${spec.seed})`;
    return spec.method === 'reservoir'
      ? `ORDER BY ${key} LIMIT ${spec.rows}`
      : `WHERE ${key} % 1000000 < 10000 * ${spec.percent}`;
  },
  starReplace: (replacements) =>
    `* REPLACE (${replacements.map(([expression, column]) => `${expression} AS ${ident(column)}`).join(', ')})`,
  describeColumnsQuery: (table) =>
    `SELECT name AS column_name, ${DUCKDB_TYPE_NAME} AS data_type FROM system.columns WHERE database = currentDatabase() AND table = ${str(table)} ORDER BY position`,

  // DATE and TIMESTAMP are aliases of Date and DateTime in ClickHouse, which wrap before 1970 and drop
  // sub-seconds; Date32 and DateTime64 hold 1900-01-01 to 2299-12-31, so 9999-12-31 reads as 2299-12-31.
  cast: (expression, type) => `CAST(${expression} AS ${clickhouseType(type)})`,
  dateLiteral: (isoDate) => `toDate32('${isoDate}')`,
  // ARRAY JOIN of several arrays walks them side by side, as DuckDB's unnests do.
  unnestQuery: (select, lists, from) =>
    `SELECT ${select.join(', ')} FROM ${from} ARRAY JOIN ${lists.map(([list, alias]) => `${list} AS ${alias}`).join(', ')}`,
  // A tuple of plain columns is named after them (enable_named_columns_in_function_tuple in CLICKHOUSE_SETTINGS).
  rowOf: (names) => `tuple(${names.join(', ')})`,
  createTempTableAs: (table, select) => `CREATE TEMPORARY TABLE ${ident(table)} ENGINE = Memory AS ${select}`,
  readsInPlace: true,
  // No rowOrder: a MergeTree table is stored sorted by its key, and a Memory table (chDB's load)
  // is read by parallel streams in no set order. A file's order (`_row_number`) lives only in
  // file() reads, so a loader that wants the check must keep it as a column.
};

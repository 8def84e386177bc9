import type { ColumnFamily } from '../model/audit';

/**
 * How the profile's SQL treats a column, from its DuckDB type. A string column
 * becomes `categorical` or `text` only once its distinct count is known.
 */
export type SqlKind = 'integer' | 'float' | 'decimal' | 'date' | 'timestamp' | 'boolean' | 'string' | 'other';

// Keys are the spellings `duckdb_columns()` reports plus the aliases DuckDB
// accepts in DDL (a schema typed by hand, or read from another tool, may use them).
const INTEGER_TYPES = new Set([
  'TINYINT',
  'SMALLINT',
  'INTEGER',
  'BIGINT',
  'HUGEINT',
  'UTINYINT',
  'USMALLINT',
  'UINTEGER',
  'UBIGINT',
  'UHUGEINT',
  'INT',
  'INT1',
  'INT2',
  'INT4',
  'INT8',
  'SHORT',
  'LONG',
  'SIGNED',
]);
const FLOAT_TYPES = new Set(['FLOAT', 'DOUBLE', 'REAL', 'FLOAT4', 'FLOAT8']);
const TIMESTAMP_TYPES = new Set([
  'TIMESTAMP',
  'TIMESTAMP_S',
  'TIMESTAMP_MS',
  'TIMESTAMP_NS',
  'TIMESTAMP_US',
  'DATETIME',
  'TIMESTAMP WITHOUT TIME ZONE',
]);
const STRING_TYPES = new Set(['VARCHAR', 'TEXT', 'STRING', 'CHAR', 'BPCHAR', 'NVARCHAR']);
const BOOLEAN_TYPES = new Set(['BOOLEAN', 'BOOL', 'LOGICAL']);

/**
 * The SQL kind of a DuckDB type name, as `duckdb_columns()` spells it or as an
 * alias DuckDB accepts. This is the project's one type classifier: the profile
 * and the readiness checks both call it. Zoned timestamps (`TIMESTAMPTZ`,
 * `TIMESTAMP WITH TIME ZONE`) are `other`: any date function on them makes
 * DuckDB-WASM fetch ICU (see ENGINE-NOTES), and the loaders already convert
 * them to UTC.
 */
export function sqlKind(duckdbType: string): SqlKind {
  const type = duckdbType.trim().toUpperCase().replace(/\s+/g, ' ');
  if (INTEGER_TYPES.has(type)) return 'integer';
  if (FLOAT_TYPES.has(type)) return 'float';
  if (/^(DECIMAL|NUMERIC)(\(\d+(,\s*\d+)?\))?$/.test(type)) return 'decimal';
  if (type === 'DATE') return 'date';
  if (TIMESTAMP_TYPES.has(type)) return 'timestamp';
  if (BOOLEAN_TYPES.has(type)) return 'boolean';
  if (
    STRING_TYPES.has(type) ||
    /^(VARCHAR|CHAR|BPCHAR|NVARCHAR)\(\d+\)$/.test(type) ||
    type.startsWith('ENUM(')
  )
    return 'string';
  return 'other';
}

export function isNumericKind(kind: SqlKind): boolean {
  return kind === 'integer' || kind === 'float' || kind === 'decimal';
}

export function isTemporalKind(kind: SqlKind): boolean {
  return kind === 'date' || kind === 'timestamp';
}

/** A number of any width or precision. */
export function isNumericType(type: string): boolean {
  return isNumericKind(sqlKind(type));
}
/** An exact integer (signed or unsigned). */
export function isIntegerType(type: string): boolean {
  return sqlKind(type) === 'integer';
}
/** A date or a timestamp without a time zone (zoned timestamps are `other`, see `sqlKind`). */
export function isTemporalType(type: string): boolean {
  return isTemporalKind(sqlKind(type));
}
/** A calendar date without a time of day. */
export function isDateType(type: string): boolean {
  return sqlKind(type) === 'date';
}
/** Text, including ENUMs. */
export function isTextType(type: string): boolean {
  return sqlKind(type) === 'string';
}
export function isBooleanType(type: string): boolean {
  return sqlKind(type) === 'boolean';
}

/** The thresholds that split strings into categorical and text. */
export interface FamilyThresholds {
  categoricalMaxDistinct: number;
  categoricalMaxDistinctShare: number;
}

/** The profile family of a column; strings split by `isCategorical`. */
export function columnFamily(
  duckdbType: string,
  distinct: number,
  nonMissing: number,
  t: FamilyThresholds,
): ColumnFamily {
  const kind = sqlKind(duckdbType);
  if (isNumericKind(kind)) return 'numeric';
  if (isTemporalKind(kind)) return 'temporal';
  if (kind === 'boolean') return 'boolean';
  if (kind === 'string') return isCategorical(duckdbType, distinct, nonMissing, t) ? 'categorical' : 'text';
  return 'other';
}

/**
 * The one categorical rule, for the profile and the readiness checks alike: a
 * text column is categorical when it has few distinct values, in number
 * (`categoricalMaxDistinct`) or as a share of its non-missing values
 * (`categoricalMaxDistinctShare`); an ENUM always is.
 */
export function isCategorical(
  duckdbType: string,
  distinct: number,
  nonMissing: number,
  t: FamilyThresholds,
): boolean {
  if (duckdbType.trim().toUpperCase().startsWith('ENUM(')) return true;
  return (
    distinct <= t.categoricalMaxDistinct ||
    (nonMissing > 0 && distinct / nonMissing <= t.categoricalMaxDistinctShare)
  );
}

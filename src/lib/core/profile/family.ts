import type { ColumnFamily } from '../audit/schema';

/**
 * How the profile's SQL treats a column, from its DuckDB type. A string column
 * becomes `categorical` or `text` only once its distinct count is known.
 */
export type SqlKind = 'integer' | 'float' | 'decimal' | 'date' | 'timestamp' | 'boolean' | 'string' | 'other';

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
]);
const FLOAT_TYPES = new Set(['FLOAT', 'DOUBLE', 'REAL']);
const TIMESTAMP_TYPES = new Set(['TIMESTAMP', 'TIMESTAMP_S', 'TIMESTAMP_MS', 'TIMESTAMP_NS', 'DATETIME']);

/**
 * The SQL kind of a DuckDB type name as `duckdb_columns()` spells it. Zoned
 * timestamps are `other`: any date function on them makes DuckDB-WASM fetch
 * ICU (see ENGINE-NOTES), and the loaders already convert them to UTC.
 */
export function sqlKind(duckdbType: string): SqlKind {
  const type = duckdbType.trim().toUpperCase();
  if (INTEGER_TYPES.has(type)) return 'integer';
  if (FLOAT_TYPES.has(type)) return 'float';
  if (/^DECIMAL(\(\d+,\s*\d+\))?$/.test(type) || /^NUMERIC(\(\d+,\s*\d+\))?$/.test(type)) return 'decimal';
  if (type === 'DATE') return 'date';
  if (TIMESTAMP_TYPES.has(type)) return 'timestamp';
  if (type === 'BOOLEAN') return 'boolean';
  if (type === 'VARCHAR' || /^VARCHAR\(\d+\)$/.test(type) || type.startsWith('ENUM(')) return 'string';
  return 'other';
}

export function isNumericKind(kind: SqlKind): boolean {
  return kind === 'integer' || kind === 'float' || kind === 'decimal';
}

export function isTemporalKind(kind: SqlKind): boolean {
  return kind === 'date' || kind === 'timestamp';
}

/** The thresholds that split strings into categorical and text. */
export interface FamilyThresholds {
  categoricalMaxDistinct: number;
  categoricalMaxDistinctShare: number;
}

/**
 * The profile family of a column. Strings are categorical when they have few
 * distinct values, in number (`categoricalMaxDistinct`) or as a share of the
 * non-missing values (`categoricalMaxDistinctShare`); ENUMs always are.
 */
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
  if (kind === 'string') {
    if (duckdbType.trim().toUpperCase().startsWith('ENUM(')) return 'categorical';
    const few =
      distinct <= t.categoricalMaxDistinct ||
      (nonMissing > 0 && distinct / nonMissing <= t.categoricalMaxDistinctShare);
    return few ? 'categorical' : 'text';
  }
  return 'other';
}

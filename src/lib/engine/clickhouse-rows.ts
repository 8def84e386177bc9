import type { Row } from './connector';

/** ClickHouse's `JSONCompact` result: column names and types, then rows as arrays. */
export interface JsonCompactResult {
  meta: { name: string; type: string }[];
  data: unknown[][];
}

/** The output format both ClickHouse connectors read: types travel with the rows. */
export const ROWS_FORMAT = 'JSONCompact';

/**
 * How `clickhouseRows` needs ClickHouse to print: 64-bit integers quoted (exact
 * beyond 2^53), times in UTC ISO form whatever a column's zone.
 */
export const ROWS_SETTINGS: Readonly<Record<string, string | number>> = {
  output_format_json_quote_64bit_integers: 1,
  date_time_output_format: 'iso',
};

/** `Nullable(T)` and `LowCardinality(T)` as `T`. */
function baseType(type: string): string {
  let t = type.trim();
  for (;;) {
    const m = /^(?:Nullable|LowCardinality)\((.*)\)$/.exec(t);
    if (!m) return t;
    t = m[1]!.trim();
  }
}

const WIDE_INT = /^U?Int(64|128|256)$/;
const DATE = /^Date(32)?$/;
const DATE_TIME = /^DateTime(64)?\b/;

/** A date-time as ClickHouse prints it (`2024-01-02 10:00:00[.123]`, or ISO with `Z`), read as UTC. */
function isoTime(text: string): string | null {
  const m = /^(\d{4}-\d{2}-\d{2})[ T](\d{2}:\d{2}:\d{2})(\.\d+)?Z?$/.exec(text);
  if (!m) return null;
  const ms = Date.parse(`${m[1]}T${m[2]}${(m[3] ?? '').slice(0, 4)}Z`);
  return Number.isFinite(ms) ? new Date(ms).toISOString() : null;
}

/** A 64-bit or wider integer as printed (quoted): a number when exact, else its digits, as `arrowToRows` does. */
function wideInt(value: unknown): unknown {
  const text = String(value);
  if (!/^-?\d+$/.test(text)) return value;
  const big = BigInt(text);
  return big <= BigInt(Number.MAX_SAFE_INTEGER) && big >= BigInt(Number.MIN_SAFE_INTEGER)
    ? Number(big)
    : text;
}

function plainValue(value: unknown, type: string): unknown {
  if (value === null || value === undefined) return null;
  const t = baseType(type);
  if (WIDE_INT.test(t)) return wideInt(value);
  if (DATE.test(t)) return typeof value === 'string' ? isoTime(`${value} 00:00:00`) : null;
  if (DATE_TIME.test(t)) return typeof value === 'string' ? isoTime(value) : null;
  if (/^Decimal/.test(t)) return Number(value);
  // Arrays, maps, tuples and JSON as JSON text, as DuckDB's lists and structs reach the checks.
  if (typeof value === 'object') return JSON.stringify(value);
  return value;
}

/**
 * Plain rows from a `JSONCompact` result, the same values `arrowToRows` makes of
 * DuckDB's: integers beyond 2^53 as digit strings (ClickHouse quotes them with
 * `output_format_json_quote_64bit_integers`), dates and times as UTC ISO
 * strings, nested values as JSON text, ±inf and NaN as null.
 */
export function clickhouseRows(result: JsonCompactResult): Row[] {
  return result.data.map((values) => {
    const row: Row = {};
    result.meta.forEach((column, i) => {
      // defineProperty, not assignment: a column may be named `__proto__`.
      Object.defineProperty(row, column.name, {
        value: plainValue(values[i], column.type),
        enumerable: true,
        writable: true,
        configurable: true,
      });
    });
    return row;
  });
}

/** Parse a `JSONCompact` body; an empty body (a statement with no result) has no rows. */
export function parseJsonCompact(text: string): JsonCompactResult {
  if (text.trim() === '') return { meta: [], data: [] };
  const parsed = JSON.parse(text) as Partial<JsonCompactResult>;
  return { meta: parsed.meta ?? [], data: parsed.data ?? [] };
}

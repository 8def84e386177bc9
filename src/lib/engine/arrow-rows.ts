import { DataType, type Table, type Field } from 'apache-arrow';
import type { Row } from './connector';

/**
 * Turn an Arrow result into plain rows that survive JSON, structured clone and
 * Svelte state: BigInts become numbers (or strings when unsafe), dates and
 * timestamps become ISO strings, nested values become JSON text.
 */
export function arrowToRows(table: Table): Row[] {
  const fields = table.schema.fields;
  const columns = fields.map((_, i) => table.getChildAt(i));
  const rows: Row[] = new Array<Row>(table.numRows);
  for (let r = 0; r < table.numRows; r++) {
    const row: Row = {};
    for (let c = 0; c < fields.length; c++) {
      const field = fields[c]!;
      // defineProperty, not assignment: a column may be named `__proto__`.
      Object.defineProperty(row, field.name, {
        value: plainValue(columns[c]?.get(r), field),
        enumerable: true,
        writable: true,
        configurable: true,
      });
    }
    rows[r] = row;
  }
  return rows;
}

function plainValue(value: unknown, field: Field): unknown {
  if (value === null || value === undefined) return null;
  const type = field.type;
  if (DataType.isTimestamp(type) || DataType.isDate(type)) {
    const ms =
      typeof value === 'bigint' ? Number(value) : value instanceof Date ? value.getTime() : Number(value);
    return Number.isFinite(ms) ? new Date(ms).toISOString() : null;
  }
  if (DataType.isDecimal(type)) return decimalToNumber(value, type.scale);
  return plainScalar(value);
}

function plainScalar(value: unknown): unknown {
  if (typeof value === 'bigint') {
    return value <= BigInt(Number.MAX_SAFE_INTEGER) && value >= BigInt(Number.MIN_SAFE_INTEGER)
      ? Number(value)
      : value.toString();
  }
  if (value instanceof Date) return value.toISOString();
  if (value instanceof Uint8Array) return `<${value.byteLength} bytes>`;
  if (typeof value === 'object' && value !== null) {
    const maybeJson = value as { toJSON?: () => unknown };
    const json = typeof maybeJson.toJSON === 'function' ? maybeJson.toJSON() : value;
    return JSON.stringify(json, (_k, v: unknown) => (typeof v === 'bigint' ? v.toString() : v));
  }
  return value;
}

function decimalToNumber(value: unknown, scale: number): number | null {
  // Arrow JS returns decimals as little-endian 32-bit words; DuckDB limits DECIMAL to 128 bits.
  if (value instanceof Uint32Array) {
    let big = 0n;
    for (let i = value.length - 1; i >= 0; i--) big = (big << 32n) | BigInt(value[i]!);
    if (value[value.length - 1]! & 0x80000000) big -= 1n << BigInt(32 * value.length);
    return Number(big) / 10 ** scale;
  }
  const n = Number(value);
  return Number.isFinite(n) ? n : null;
}

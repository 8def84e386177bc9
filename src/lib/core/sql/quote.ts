/**
 * The one place identifiers and literals become SQL text.
 * Column names come from client files, so they are hostile input: every
 * identifier in generated SQL must pass through `ident`.
 */

import type { SqlDialect } from './dialect/types';

/** What quoting needs of the active engine's dialect. */
type QuoteStyle = Pick<SqlDialect, 'backslashEscapes' | 'dateLiteral'>;

/**
 * The active engine's quoting. Set only by `useDialect` (core/sql/dialect),
 * once per process, before any builder runs: one engine per process.
 */
let style: QuoteStyle = { backslashEscapes: false, dateLiteral: (isoDate) => `DATE '${isoDate}'` };

/** Called by `useDialect` only: quote for the engine `next` speaks. */
export function quoteFor(next: QuoteStyle): void {
  style = next;
}

/** Quoted text's own backslashes, doubled where the engine would read them as escapes. */
function escapeBackslashes(text: string): string {
  return style.backslashEscapes ? text.replaceAll('\\', '\\\\') : text;
}

/** Quote an identifier (table or column name) for the active engine. */
export function ident(name: string): string {
  return `"${escapeBackslashes(name).replaceAll('"', '""')}"`;
}

/** Quote a qualified column reference `table.column`. */
export function qualified(table: string, column: string): string {
  return `${ident(table)}.${ident(column)}`;
}

/** A string literal. NUL bytes cannot appear in DuckDB strings, so they are dropped. */
export function str(value: string): string {
  return `'${escapeBackslashes(value.replaceAll('\0', '')).replaceAll("'", "''")}'`;
}

/** A numeric literal; non-finite numbers become NULL rather than invalid SQL. */
export function num(value: number): string {
  if (!Number.isFinite(value)) return 'NULL';
  return Number.isInteger(value) ? value.toString() : value.toPrecision(17);
}

/** A list literal of SQL expressions (the same spelling in DuckDB and ClickHouse). */
export function sqlList(items: readonly string[]): string {
  return `[${items.join(', ')}]`;
}

/** Any JS scalar as a SQL literal. */
export function literal(value: string | number | boolean | null | Date): string {
  if (value === null) return 'NULL';
  if (typeof value === 'number') return num(value);
  if (typeof value === 'boolean') return value ? 'TRUE' : 'FALSE';
  if (value instanceof Date)
    return `TIMESTAMP ${str(value.toISOString().replace('T', ' ').replace('Z', ''))}`;
  return str(value);
}

/** A DATE literal from an ISO `YYYY-MM-DD` string (validated, so it cannot smuggle SQL), as the engine spells it. */
export function dateLiteral(isoDate: string): string {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(isoDate)) throw new RangeError(`Not an ISO date: ${isoDate}`);
  return style.dateLiteral(isoDate);
}

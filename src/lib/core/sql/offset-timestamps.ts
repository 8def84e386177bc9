import { dialect as d } from './dialect';
import { ident, str } from './quote';

/**
 * ISO-8601 date-times with an explicit offset (`2026-06-01T08:00:00+02:00`, `…Z`).
 * DuckDB 1.4's JSON reader leaves them as text where 1.5's types them, and the
 * browser's JSON importer reads them as UTC times: native DuckDB, pinned to
 * the 1.4 the browser runs, promotes such columns itself so every engine types
 * the same file alike.
 */
export const OFFSET_TIMESTAMP_PATTERN = String.raw`\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?(Z|[+-]\d{2}(:?\d{2})?)`;

/**
 * One row: for each text column `i`, how many values it holds (`n_i`) and how
 * many read as offset date-times (`m_i`). Native DuckDB only (the JSON reader's path).
 */
export function offsetTimestampCountsQuery(table: string, textColumns: readonly string[]): string {
  const pattern = str(OFFSET_TIMESTAMP_PATTERN);
  const items = textColumns.flatMap((name, i) => [
    `count(${ident(name)}) AS n_${i}`,
    `${d.countIf(d.regexFullMatch(ident(name), pattern))} AS m_${i}`,
  ]);
  return `SELECT ${items.join(', ')} FROM ${ident(table)}`;
}

/** Retype a column of offset date-times as UTC `TIMESTAMP`, the type DuckDB 1.5's JSON reader gives it. */
export function promoteOffsetTimestampQuery(table: string, column: string): string {
  return `ALTER TABLE ${ident(table)} ALTER ${ident(column)} SET DATA TYPE TIMESTAMP USING timezone('UTC', CAST(${ident(column)} AS TIMESTAMPTZ))`;
}

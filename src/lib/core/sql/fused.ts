import type { Row } from '../pipeline/stage';
import { dialect as activeDialect, type SqlDialect } from './dialect';

/** Separates a fused part's prefix from its own column name; no SQL or data name holds it. */
const SEPARATOR = '\u001f';

/** The column prefix of the `index`-th fused statement: `f0␟`, `f1␟`… (only digits and letters, so it is safe in the rename pattern). */
function prefix(index: number): string {
  return `f${index}${SEPARATOR}`;
}

/**
 * One statement that returns the single row of each of `statements` side by
 * side, each column renamed `f<i>␟<name>`: several one-row aggregates cost one
 * round trip to the engine instead of one each. The renaming is the dialect's
 * (DuckDB's `COLUMNS(*) AS '…\0'` keeps every column's own name after the
 * prefix, whatever its characters); ask `canFuseOneRow` first on another engine.
 * Read the result with `readFusedRow`.
 */
export function fusedOneRowQuery(statements: readonly string[], dialect: SqlDialect = activeDialect): string {
  if (!dialect.fuseOneRow) throw new RangeError(`The ${dialect.name} dialect cannot fuse one-row statements`);
  return dialect.fuseOneRow(statements, prefix);
}

/** Whether the engine of `dialect` can run several one-row statements as one (`fusedOneRowQuery`). */
export function canFuseOneRow(dialect: SqlDialect = activeDialect): boolean {
  return dialect.fuseOneRow !== undefined;
}

/**
 * The one row of each fused statement, in order, from the row
 * `fusedOneRowQuery` returned; `undefined` when there is no row (a part
 * returned none, so the caller runs the statements one by one).
 */
export function readFusedRow(rows: readonly Row[], count: number): Row[] | undefined {
  const [row] = rows;
  if (rows.length !== 1 || !row) return undefined;
  const parts: Row[] = Array.from({ length: count }, () => ({}));
  for (const [name, value] of Object.entries(row)) {
    const cut = name.indexOf(SEPARATOR);
    const index = Number(name.slice(1, cut));
    const part = parts[index];
    if (cut < 0 || !part) return undefined;
    // defineProperty, not assignment: a column may be named `__proto__`.
    Object.defineProperty(part, name.slice(cut + 1), {
      value,
      enumerable: true,
      writable: true,
      configurable: true,
    });
  }
  return parts;
}

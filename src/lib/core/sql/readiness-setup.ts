import { isIntegerType, isTextType } from './types';
import { dialect as d } from './dialect';
import { ident, str } from './quote';
import { DATE_LIKE_REGEX, canonicalLabelSql, fromTable } from './readiness-common';

/** Columns above this many rows get approximate (HyperLogLog) distinct counts. */
export const EXACT_DISTINCT_MAX_ROWS = 2_000_000;

/**
 * One pass over the table: row count, and per column (by position, so hostile
 * names never become aliases) the non-null count `nn_i`, the distinct count
 * `d_i`, for text how many values look like dates `dl_i`, and for integers
 * the range `lo_i`, `hi_i`.
 */
export function columnFactsQuery(
  table: string,
  columns: readonly { name: string; type: string }[],
  approximate = false,
): string {
  const parts = ['count(*) AS n'];
  columns.forEach((column, i) => {
    const c = ident(column.name);
    parts.push(`count(${c}) AS nn_${i}`);
    parts.push(approximate ? `${d.approxDistinct(c)} AS d_${i}` : `count(DISTINCT ${c}) AS d_${i}`);
    if (isTextType(column.type))
      parts.push(`count(*) FILTER (WHERE ${d.regexMatches(c, str(DATE_LIKE_REGEX))}) AS dl_${i}`);
    // Integer range: a run of consecutive integers (max − min + 1 = distinct = count) is ID-like.
    if (isIntegerType(column.type)) parts.push(`min(${c}) AS lo_${i}`, `max(${c}) AS hi_${i}`);
  });
  return `SELECT ${parts.join(', ')} ${fromTable(table)}`;
}

/** Every literal spelling of the target with its canonical label and count (unlabelled rows have label NULL). */
export function labelSpellingsQuery(table: string, target: string, limit = 1000): string {
  // Group the raw text first: the canonical label is then computed once per spelling, not per row.
  const spellings = `SELECT CAST(${ident(target)} AS VARCHAR) AS raw, count(*) AS rows ${fromTable(table)} GROUP BY 1`;
  return `SELECT raw, ${canonicalLabelSql('raw')} AS label, rows FROM (${spellings}) ORDER BY label NULLS LAST, rows DESC, raw LIMIT ${limit}`;
}

/** Non-null and numeric-parsable counts of a regression target. */
export function numericTargetQuery(table: string, target: string): string {
  const c = ident(target);
  return `SELECT count(*) AS n, count(${c}) AS nonnull, count(${d.tryCast(c, 'DOUBLE')}) AS numeric, count(DISTINCT ${c}) AS distinct_values, min(${d.tryCast(c, 'DOUBLE')}) AS min, max(${d.tryCast(c, 'DOUBLE')}) AS max ${fromTable(table)}`;
}

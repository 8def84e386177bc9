import { dialect as d } from './dialect';
import { ident, literal, str } from './quote';
import { fromTable, identList, normalisedTextSql } from './readiness-common';
import { shapeSql } from './profile-patterns';
import { MISSING_TOKENS } from '../thresholds';
import { unorderedPairsSum } from './pairs';

/**
 * Rows that repeat an earlier row exactly (all columns; NULLs compare equal),
 * the groups they form and the pairs of identical rows (Σ C(n, 2)), which
 * `quality-duplicates` compares with the pairs chance would give. Grouped by
 * the row's 64-bit hash, as the profile's large-table count is: a third of the
 * CPU of grouping by every column at 1M × 18, and a false match needs a hash
 * collision (about n²/2⁶⁵).
 */
export function duplicateRowsQuery(table: string, columns: readonly string[]): string {
  return `SELECT coalesce(sum(n - 1), 0) AS duplicate_rows, count(*) AS groups, coalesce(${unorderedPairsSum('n')}, 0) AS pairs FROM (SELECT count(*) AS n ${fromTable(table)} GROUP BY ${d.hash([identList(columns)])}) AS rz_groups WHERE n > 1`;
}

/** Distinct non-null values per column (by position: `d_i`). */
export function distinctCountsQuery(table: string, columns: readonly string[]): string {
  return `SELECT ${columns.map((c, i) => `count(DISTINCT ${ident(c)}) AS d_${i}`).join(', ')} ${fromTable(table)}`;
}

/** Values of a column that mean "unknown" (N/A, null, -, …), with their counts. */
export function missingLikeValuesQuery(table: string, column: string): string {
  return `SELECT CAST(${ident(column)} AS VARCHAR) AS value, count(*) AS rows ${fromTable(table)} WHERE ${normalisedTextSql(ident(column))} IN (${MISSING_TOKENS.map(str).join(', ')}) GROUP BY 1 ORDER BY rows DESC`;
}

/** How often given values occur in a column. */
export function valueCountsQuery(
  table: string,
  column: string,
  values: readonly (string | number | boolean | null)[],
): string {
  const list = values.filter((v) => v !== null).map((v) => literal(v));
  const where = list.length
    ? `CAST(${ident(column)} AS VARCHAR) IN (${list.map((v) => `CAST(${v} AS VARCHAR)`).join(', ')})`
    : 'FALSE';
  return `SELECT CAST(${ident(column)} AS VARCHAR) AS value, count(*) AS rows ${fromTable(table)} WHERE ${where} GROUP BY 1 ORDER BY rows DESC`;
}

/** Text values that parse as numbers, or look like dates, against all non-null values. */
export function mixedTypesQuery(table: string, column: string): string {
  const c = ident(column);
  return `SELECT count(${c}) AS nonnull, count(${d.tryCast(`trim(CAST(${c} AS VARCHAR))`, 'DOUBLE')}) AS numeric_like, count(${d.tryCast(`trim(CAST(${c} AS VARCHAR))`, 'DATE')}) AS date_like ${fromTable(table)}`;
}

/** Patterns (RE2) used to recount personal data by kind; the profile decides what it detects. */
export const PII_PATTERNS: Readonly<Record<string, string>> = {
  email: '[A-Za-z0-9._%+-]+@[A-Za-z0-9.-]+\\.[A-Za-z]{2,}',
  phone: '^\\+?[0-9][0-9 ()./-]{6,}[0-9]$',
  card: '^[0-9]{4}[ -]?[0-9]{4}[ -]?[0-9]{4}[ -]?[0-9]{1,7}$',
  iban: '^[A-Z]{2}[0-9]{2}[A-Z0-9 ]{11,30}$',
  ip: '^([0-9]{1,3}\\.){3}[0-9]{1,3}$',
  ssn: '^[0-9]{3}-[0-9]{2}-[0-9]{4}$',
};

/**
 * Values whose shape, as the profile writes it (`Aa Aa` for Jane Doe, `9 Aa Aa` for
 * 12 Baker Street), matches `shapePattern`: the recount of names and addresses.
 */
export function shapeMatchesQuery(table: string, column: string, shapePattern: string): string {
  const shape = shapeSql(`CAST(${ident(column)} AS VARCHAR)`);
  return `SELECT count(${ident(column)}) AS nonnull, count(*) FILTER (WHERE ${d.regexFullMatch(shape, str(shapePattern))}) AS matches ${fromTable(table)}`;
}

/** Matches of a personal-data pattern in a column (the pattern is chosen by kind, e.g. `email`, `card`). */
export function piiMatchesQuery(table: string, column: string, kind: string): string {
  const key = Object.keys(PII_PATTERNS).find((k) => kind.toLowerCase().includes(k));
  const c = `trim(CAST(${ident(column)} AS VARCHAR))`;
  const match = key ? d.regexMatches(c, str(PII_PATTERNS[key]!)) : 'FALSE';
  return `SELECT count(${ident(column)}) AS nonnull, count(*) FILTER (WHERE ${match}) AS matches ${fromTable(table)}`;
}

import { dialect as d } from './dialect';
import { ident, str, sqlList } from './quote';
import type { ProfileColumn } from './profile';
import { PATTERNS, digitsOnly, fullMatch, ibanSql, luhnSql, shapeSql, trimAll } from './profile-patterns';
import { orderedPairsSum } from './pairs';

/**
 * Builders for value counts (top-k, distinct) and text patterns. Text columns
 * are grouped once into a value-count relation `(col, v, c)`, so every
 * regular expression runs once per distinct value, not once per row: a
 * materialised CTE when one statement reads it (`valuesAndTextQuery`), a
 * temporary table when wide tables read it in batches.
 */

/**
 * Group each string column of `source` by value into a new temporary table
 * `(col INTEGER, v VARCHAR, c BIGINT)`; NULLs are left out.
 */
export function valueCountsStatement(
  source: string,
  target: string,
  stringColumns: readonly ProfileColumn[],
): string | null {
  const select = valueCountsSelect(source, stringColumns);
  return select && d.createTempTableAs(target, select);
}

/**
 * Add the value counts of more string columns to a table made by
 * `valueCountsStatement`: wide tables fill it one batch of columns at a time.
 */
export function appendValueCountsStatement(
  source: string,
  target: string,
  stringColumns: readonly ProfileColumn[],
): string | null {
  const select = valueCountsSelect(source, stringColumns);
  return select && `INSERT INTO ${ident(target)} ${select}`;
}

function valueCountsSelect(source: string, stringColumns: readonly ProfileColumn[]): string | null {
  if (stringColumns.length === 0) return null;
  return stringColumns
    .map(
      (c) =>
        `SELECT ${c.index} AS col, v, CAST(count(*) AS BIGINT) AS c FROM (SELECT CAST(${ident(c.name)} AS VARCHAR) AS v FROM ${ident(source)}) WHERE v IS NOT NULL GROUP BY v`,
    )
    .join('\nUNION ALL\n');
}

/**
 * Top-k values with counts and the number of distinct values, for every
 * column, plus the row count of `source` (as `col = -1`). String columns read
 * the value-count table; the others are grouped here. Ties are broken by the
 * value's text, as the pandas reference does.
 * Result rows: `col`, `v` (value as text), `c` (rows), `d` (distinct values),
 * `p` (ordered pairs of rows sharing a non-missing value, Σ c(c − 1) over all
 * the column's values: readiness's matches against chance read it instead of
 * grouping the column again).
 */
export function valuesQuery(
  source: string,
  valueCounts: string | null,
  columns: readonly ProfileColumn[],
  topK: number,
): string {
  const k = Math.max(1, Math.floor(topK));
  const branches = [
    `SELECT -1 AS col, CAST(NULL AS VARCHAR) AS v, CAST(count(*) AS BIGINT) AS c, CAST(NULL AS BIGINT) AS d, CAST(NULL AS DOUBLE) AS p FROM ${ident(source)}`,
  ];
  for (const column of columns) {
    if (column.kind === 'string' && valueCounts) {
      branches.push(
        `SELECT * FROM (SELECT col, v, c, CAST(count(*) OVER () AS BIGINT) AS d, ${pairsOver('c')} AS p FROM ${ident(valueCounts)} WHERE col = ${column.index} ORDER BY c DESC, v LIMIT ${k})`,
      );
    } else {
      branches.push(
        `SELECT * FROM (SELECT ${column.index} AS col, ${column.kind === 'timestamp' ? d.timestampText('x') : 'CAST(x AS VARCHAR)'} AS v, c, d, ${pairsOver('c')} AS p FROM (` +
          `SELECT x, CAST(count(*) AS BIGINT) AS c, CAST(count(*) OVER () AS BIGINT) AS d FROM (SELECT ${ident(column.name)} AS x FROM ${ident(source)}) WHERE x IS NOT NULL GROUP BY x` +
          `) ORDER BY c DESC, v LIMIT ${k})`,
      );
    }
  }
  return branches.join('\nUNION ALL\n');
}

/** Σ c(c − 1) over every row of the grouped relation, on each row (before its top-k cut). */
function pairsOver(c: string): string {
  return `CAST(${orderedPairsSum(c)} OVER () AS DOUBLE)`;
}

/** The per-column counts the text query returns as `kind = 'stat'` rows, by `key`. */
export const TEXT_STATS = [
  'email',
  'phone',
  'payment-card',
  'iban',
  'ipv4',
  'national-id',
  'numeric-like',
  'date-like',
  'untrimmed',
] as const;
export type TextStat = (typeof TEXT_STATS)[number];

export interface TextPatternsOptions {
  missingTokens: readonly string[];
  topShapes: number;
  variantMaxDistinct: number;
  variantMaxGroups: number;
}

/** The SQL predicate of each text statistic on a value `v`. */
export function textStatPredicates(v = 'v'): Record<TextStat, string> {
  const digits = digitsOnly(v);
  return {
    email: `${d.containsText(v, `'@'`)} AND ${fullMatch(v, PATTERNS.email)}`,
    phone: `${fullMatch(v, PATTERNS.phone)} AND ${d.textLength(digits)} BETWEEN 7 AND 15 AND NOT ${fullMatch(v, PATTERNS.dottedQuad)} AND NOT ${fullMatch(v, PATTERNS.nationalId)} AND NOT ${fullMatch(v, PATTERNS.dateLike)}`,
    'payment-card': `CASE WHEN ${fullMatch(v, PATTERNS.cardCandidate)} AND ${d.textLength(digits)} BETWEEN 13 AND 19 THEN ${luhnSql(digits)} ELSE false END`,
    iban: `CASE WHEN ${fullMatch(v, PATTERNS.ibanCandidate)} THEN ${ibanSql(`upper(replace(${v}, ' ', ''))`)} ELSE false END`,
    ipv4: fullMatch(v, PATTERNS.ipv4),
    'national-id': fullMatch(v, PATTERNS.nationalId),
    'numeric-like': fullMatch(v, PATTERNS.numberLike),
    'date-like': fullMatch(v, PATTERNS.dateLike),
    untrimmed: d.regexMatches(v, str(PATTERNS.surroundingSpace)),
  };
}

/**
 * Text patterns of every string column from the value-count table, in one
 * statement. Result rows `(col, kind, key, key2, n)`:
 * - `stat`: `key` one of `TEXT_STATS`, `n` matching rows;
 * - `missing`: `key` a missing-like value ("NA", "   "…), `n` its rows;
 * - `shape`: `key` a value shape (`Aa 9`), `n` its rows (top shapes only);
 * - `variant`: `key` the normalised spelling (letters and digits, lower case), `key2` one spelling, `n` its rows;
 *   only for columns with at most `variantMaxDistinct` values, groups with more than one spelling, and
 *   values that do not look missing (those are reported as `missing`).
 */
export function textPatternsQuery(valueCounts: string, options: TextPatternsOptions): string {
  const vc = ident(valueCounts);
  const predicates = textStatPredicates('v');
  const stats = TEXT_STATS.map(
    (name, i) => `CAST(sum(CASE WHEN ${predicates[name]} THEN c ELSE 0 END) AS BIGINT) AS s${i}`,
  );
  const statRows = d.unnestQuery(
    ['col', `'stat' AS kind`, 'stat_key AS key', 'CAST(NULL AS VARCHAR) AS key2', 'stat_n AS n'],
    [
      [sqlList(TEXT_STATS.map(str)), 'stat_key'],
      [`[${TEXT_STATS.map((_, i) => `s${i}`).join(', ')}]`, 'stat_n'],
    ],
    `(SELECT col, ${stats.join(', ')} FROM ${vc} GROUP BY col)`,
  );
  const tokens = options.missingTokens.map((t) => str(t.toLowerCase())).join(', ');
  const missingLike = `${d.lowerText(trimAll('v'))} IN (${tokens})`;
  const missingRows = `SELECT col, 'missing' AS kind, v AS key, CAST(NULL AS VARCHAR) AS key2, c AS n FROM ${vc} WHERE ${missingLike}`;
  const shapeRows =
    `SELECT col, 'shape' AS kind, shape AS key, CAST(NULL AS VARCHAR) AS key2, n FROM (` +
    `SELECT col, shape, CAST(sum(c) AS BIGINT) AS n FROM (SELECT col, ${shapeSql('v')} AS shape, c FROM ${vc}) GROUP BY col, shape ` +
    `${d.qualify(`row_number() OVER (PARTITION BY col ORDER BY n DESC, shape) <= ${Math.max(1, Math.floor(options.topShapes))}`)})`;
  const variantRows =
    `SELECT col, 'variant' AS kind, canon AS key, v AS key2, c AS n FROM (` +
    `SELECT col, v, c, canon, count(*) OVER (PARTITION BY col, canon) AS spellings, sum(c) OVER (PARTITION BY col, canon) AS total FROM (` +
    `SELECT col, v, c, ${d.lowerText(d.regexReplace('v', str(PATTERNS.notAlnum), `''`, true))} AS canon FROM ${vc} ` +
    `WHERE col IN (SELECT col FROM ${vc} GROUP BY col HAVING count(*) <= ${Math.floor(options.variantMaxDistinct)}) AND NOT (${missingLike})` +
    `) WHERE canon <> '' ${d.qualify('spellings > 1')}) ` +
    d.qualify(
      `dense_rank() OVER (PARTITION BY col ORDER BY total DESC, canon) <= ${Math.max(1, Math.floor(options.variantMaxGroups))}`,
    );
  return [statRows, missingRows, shapeRows, variantRows].join('\nUNION ALL\n');
}

/**
 * `valuesQuery` and `textPatternsQuery` in one statement, for tables whose
 * columns fit one batch: the string columns' value counts are grouped once in
 * a materialised CTE that both read, so no temporary table is created and
 * dropped. The two parts are one UNION ALL, each with the other's columns as
 * NULLs: rows of `valuesQuery` have `kind` NULL, rows of `textPatternsQuery` a `kind`. Without string
 * columns it is `valuesQuery` alone.
 */
export function valuesAndTextQuery(
  source: string,
  columns: readonly ProfileColumn[],
  topK: number,
  options: TextPatternsOptions,
): string {
  const select = valueCountsSelect(
    source,
    columns.filter((c) => c.kind === 'string'),
  );
  if (!select) return valuesQuery(source, null, columns, topK);
  const counts = source.toLowerCase() === VALUE_COUNTS.toLowerCase() ? `${VALUE_COUNTS}_1` : VALUE_COUNTS;
  return (
    `WITH ${ident(counts)} AS MATERIALIZED (${select})\n` +
    `SELECT col, v, c, d, p, ${TEXT_ROW_NULLS} FROM (${valuesQuery(source, counts, columns, topK)})\nUNION ALL\n` +
    `SELECT col, ${VALUE_ROW_NULLS}, kind, key, key2, n FROM (${textPatternsQuery(counts, options)})`
  );
}

/** The CTE name of the value counts in `valuesAndTextQuery`. */
const VALUE_COUNTS = '__sz_value_counts';

// The columns the other side of valuesAndTextQuery's union lacks, as NULLs (no engine-neutral UNION BY NAME).
const TEXT_ROW_NULLS =
  'CAST(NULL AS VARCHAR) AS kind, CAST(NULL AS VARCHAR) AS key, CAST(NULL AS VARCHAR) AS key2, CAST(NULL AS BIGINT) AS n';
const VALUE_ROW_NULLS =
  'CAST(NULL AS VARCHAR) AS v, CAST(NULL AS BIGINT) AS c, CAST(NULL AS BIGINT) AS d, CAST(NULL AS DOUBLE) AS p';

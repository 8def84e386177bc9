import { ident } from './quote';
import { numericExpr, type ProfileColumn } from './profile';

/**
 * Pairwise statistics in one scan each: Pearson and Spearman correlations of
 * numeric columns, and the contingency tables behind Cramér's V.
 */

export interface CorrelationQueryOptions {
  /**
   * Columns (by index) that have missing values. For a pair that involves one,
   * Spearman ranks are computed over the pair's complete rows, as SciPy does on
   * `dropna()`, when `pairwiseRanks` is on; otherwise over each column's own
   * non-missing rows, which is exact only for pairs without missing values.
   */
  withMissing: ReadonlySet<number>;
  pairwiseRanks: boolean;
}

/** The pairs a correlation query covers, in output order. */
export function columnPairs<T>(items: readonly T[]): [T, T][] {
  const pairs: [T, T][] = [];
  for (let i = 0; i < items.length; i++) for (let j = i + 1; j < items.length; j++) pairs.push([items[i]!, items[j]!]);
  return pairs;
}

/**
 * Average rank (ties get the mean of their positions) of `x` among the
 * non-NULL values of its partition: (first position + last position) / 2,
 * with the last position from `cume_dist`, so one sort serves both.
 */
function averageRank(x: string, partition: string | null): string {
  const over = `OVER (${partition ? `PARTITION BY ${partition} ` : ''}ORDER BY ${x} ASC NULLS LAST)`;
  const total = `count(*) OVER (${partition ? `PARTITION BY ${partition}` : ''})`;
  return `(rank() ${over} + round(cume_dist() ${over} * ${total})) / 2.0`;
}

/**
 * Pearson (`corr`) and Spearman (Pearson of average ranks) for every pair of
 * `columns`, on pairwise-complete rows. Result: one row with `p_<i>_<j>`,
 * `s_<i>_<j>` and `n_<i>_<j>` per pair of column indices (NaN or NULL when a
 * side is constant).
 */
export function correlationQuery(source: string, columns: readonly ProfileColumn[], options: CorrelationQueryOptions): string | null {
  if (columns.length < 2) return null;
  const x = (c: ProfileColumn): string => `x${c.index}`;
  const inner = columns.map((c) => `${numericExpr(c)} AS ${x(c)}`);
  const ranked: string[] = columns.map((c) => x(c));
  const rankOf = new Map<string, string>();
  for (const c of columns) {
    const r = `r${c.index}`;
    ranked.push(`CASE WHEN ${x(c)} IS NOT NULL THEN ${averageRank(x(c), null)} END AS ${r}`);
    rankOf.set(`${c.index}`, r);
  }
  const pairs = columnPairs(columns);
  for (const [a, b] of pairs) {
    if (!options.pairwiseRanks || !(options.withMissing.has(a.index) || options.withMissing.has(b.index))) continue;
    for (const [self, other] of [
      [a, b],
      [b, a],
    ] as const) {
      const r = `r${self.index}_${other.index}`;
      ranked.push(`CASE WHEN ${x(self)} IS NOT NULL AND ${x(other)} IS NOT NULL THEN ${averageRank(x(self), `${x(other)} IS NULL`)} END AS ${r}`);
      rankOf.set(`${self.index}_${other.index}`, r);
    }
  }
  const outputs = pairs.flatMap(([a, b]) => {
    const ra = rankOf.get(`${a.index}_${b.index}`) ?? rankOf.get(`${a.index}`)!;
    const rb = rankOf.get(`${b.index}_${a.index}`) ?? rankOf.get(`${b.index}`)!;
    const id = `${a.index}_${b.index}`;
    return [`corr(${x(b)}, ${x(a)}) AS p_${id}`, `corr(${rb}, ${ra}) AS s_${id}`, `regr_count(${x(b)}, ${x(a)}) AS n_${id}`];
  });
  return `SELECT ${outputs.join(', ')} FROM (SELECT ${ranked.join(', ')} FROM (SELECT ${inner.join(', ')} FROM ${ident(source)}))`;
}

/**
 * Contingency tables of every pair of `columns` in one scan (GROUPING SETS).
 * Result rows: `g` (GROUPING bit mask: bit `columns.length - 1 - k` set when
 * column k is not in the set), `k<i>` (the value of column index i as text,
 * NULL outside its sets) and `n`. Cells with a NULL value belong to no pair and
 * are dropped when decoding.
 */
export function contingencyQuery(source: string, columns: readonly ProfileColumn[]): string | null {
  if (columns.length < 2) return null;
  if (columns.length > 62) throw new RangeError('contingencyQuery handles at most 62 columns');
  const keys = columns.map((c) => `k${c.index}`);
  const inner = columns.map((c, i) => `CAST(${ident(c.name)} AS VARCHAR) AS ${keys[i]}`);
  const sets = columnPairs(keys).map(([a, b]) => `(${a}, ${b})`);
  return `SELECT GROUPING(${keys.join(', ')}) AS g, ${keys.join(', ')}, count(*) AS n FROM (SELECT ${inner.join(', ')} FROM ${ident(source)}) GROUP BY GROUPING SETS (${sets.join(', ')})`;
}

/** The GROUPING mask of the set of positions `i` and `j` among `count` grouped columns. */
export function groupingMask(count: number, i: number, j: number): number {
  const all = 2 ** count - 1;
  return all - 2 ** (count - 1 - i) - 2 ** (count - 1 - j);
}

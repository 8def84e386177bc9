/**
 * Pairs of rows that share a group, from a grouped relation's per-group row
 * counts `n`. Cast to DOUBLE: n(n − 1) summed over a large table outgrows
 * BIGINT. Both are NULL over no groups, so callers wrap them in `coalesce`
 * (or add `OVER ()`).
 */

/** Σ n(n − 1): ordered pairs, as the chance that two rows match is estimated from. */
export function orderedPairsSum(n: string): string {
  return `sum(CAST(${n} AS DOUBLE) * (${n} - 1))`;
}

/** Σ C(n, 2) = Σ n(n − 1) / 2: unordered pairs, as pairs of identical rows are counted. */
export function unorderedPairsSum(n: string): string {
  return `sum(CAST(${n} AS DOUBLE) * (${n} - 1) / 2)`;
}

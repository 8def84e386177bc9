/** One cell of a two-way contingency table. */
export interface ContingencyCell {
  row: string;
  col: string;
  count: number;
}

/** Pearson's chi-square statistic and Cramér's V of a two-way table. */
export interface CramersVResult {
  /** Cramér's V in [0, 1]; null when a margin has fewer than two levels or the table is empty. */
  v: number | null;
  chi2: number | null;
  n: number;
  rows: number;
  cols: number;
}

/**
 * Cramér's V without bias correction, sqrt(χ² / (n · (min(r, c) − 1))), from
 * the non-empty cells of a contingency table (χ² without Yates' correction, as
 * `scipy.stats.chi2_contingency(correction=False)`).
 */
export function cramersV(cells: readonly ContingencyCell[]): CramersVResult {
  const rowTotals = new Map<string, number>();
  const colTotals = new Map<string, number>();
  let n = 0;
  for (const { row, col, count } of cells) {
    if (count <= 0) continue;
    rowTotals.set(row, (rowTotals.get(row) ?? 0) + count);
    colTotals.set(col, (colTotals.get(col) ?? 0) + count);
    n += count;
  }
  const r = rowTotals.size;
  const c = colTotals.size;
  if (n === 0 || Math.min(r, c) < 2) return { v: null, chi2: null, n, rows: r, cols: c };
  // χ² = n · (Σ n_ij² / (n_i· n_·j) − 1): only the non-empty cells contribute to the sum.
  let sum = 0;
  for (const { row, col, count } of cells) {
    if (count <= 0) continue;
    sum += (count * count) / (rowTotals.get(row)! * colTotals.get(col)!);
  }
  const chi2 = Math.max(0, n * (sum - 1));
  const v = Math.min(1, Math.sqrt(chi2 / (n * (Math.min(r, c) - 1))));
  return { v, chi2, n, rows: r, cols: c };
}

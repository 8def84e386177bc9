import type { Row } from '../pipeline/stage';
import { num, str } from '../sql/quote';

/**
 * How the disagreement between labels and out-of-fold predictions is spread
 * (binary): among the rows the baseline is surest of — the tenth with the
 * lowest predicted probability and the tenth with the highest — and among the
 * surest fifth on each side. Wrong labels spread at random disagree as often
 * where the model is surest as anywhere; overlapping classes disagree mostly
 * near the boundary, so the surest tenth disagrees much less than the fifth.
 * Ties are broken by row id, so each end holds its share of rows exactly.
 */
export function noiseShapeQuery(predTable: string, model: string): string {
  const end = (share: number) =>
    `count(*) FILTER (WHERE (k <= ${num(share)} * n AND y = 1) OR (k > ${num(1 - share)} * n AND y = 0)) / nullif(count(*) FILTER (WHERE k <= ${num(share)} * n OR k > ${num(1 - share)} * n), 0)`;
  return `WITH ranked AS (
  SELECT y, row_number() OVER (ORDER BY p, rid) AS k, count(*) OVER () AS n
  FROM ${predTable} WHERE model = ${str(model)}
)
SELECT count(*) AS rows, ${end(0.1)} AS surest10, ${end(0.2)} AS surest20 FROM ranked`;
}

export interface NoiseShape {
  surest10: number;
  surest20: number;
  rows: number;
}

export function readNoiseShape(rows: readonly Row[]): NoiseShape | null {
  const r = rows[0];
  if (!r) return null;
  const [rowCount, s10, s20] = [Number(r.rows), Number(r.surest10), Number(r.surest20)];
  if (!(rowCount > 0) || r.surest10 === null || r.surest20 === null) return null;
  return { rows: rowCount, surest10: s10, surest20: s20 };
}

import { dialect as d } from '../sql/dialect';
import { ident, num, str } from '../sql/quote';

/**
 * Label consistency by k nearest neighbours, the route cleanlab takes when
 * there is no model (`cleanlab.internal.neighbor`, after Northcutt et al.
 * 2021): on a seeded sample of the design rows, each row's probability of the
 * positive class is the share of its k nearest other sample rows labelled 1.
 * `confidentLearningQuery` over model 'knn' turns those into the same
 * label-error estimate a second way.
 */

/** Farther than any real distance (squared distances of standardised columns stay far below it). */
const FAR = '1e300';

/** The model name kNN predictions are stored under. */
export const KNN_MODEL = 'knn';

/**
 * One statement: INSERT INTO `predTable` (`model, rid, y, p`) a row
 * `'knn', rid, y, p` for each of at most `sampleRows` labelled design rows
 * (the first by a seeded hash of the row id, so a re-run picks the same
 * sample). Distance is Euclidean on `designColumns`, which the design
 * already puts on one scale (numeric columns standardised, indicators 0/1);
 * a row is never its own neighbour.
 *
 * The neighbours are every other row within the distance of the k-th
 * nearest, so rows tied at that distance all count (common with one-hot
 * columns, where many rows coincide) and the result never hangs on row order.
 * The k-th distance is a discrete quantile per row rather than a ranking
 * window: selecting is several times faster than sorting sampleRows² pairs
 * (about 4 million at 2,000 rows). Its fraction must be a constant, so each
 * row's distances are padded to sampleRows − 1 with a distance larger than
 * any real one when the sample is smaller.
 */
export function knnPredictionsStatement(
  designTable: string,
  predTable: string,
  designColumns: readonly string[],
  sampleRows: number,
  k: number,
  seed: number,
): string {
  return `INSERT INTO ${ident(predTable)} (model, rid, y, p)
${knnPredictionsSelect(designTable, designColumns, sampleRows, k, seed)}`;
}

/** The SELECT of `knnPredictionsStatement`'s rows, for a statement that reads them in place. */
export function knnPredictionsSelect(
  designTable: string,
  designColumns: readonly string[],
  sampleRows: number,
  k: number,
  seed: number,
): string {
  const size = Math.max(2, Math.floor(sampleRows));
  const neighbours = Math.min(size - 1, Math.max(1, Math.floor(k)));
  const columns = designColumns.map(ident);
  const distance =
    columns.length === 0
      ? '0'
      : columns.map((c) => `(kn_a.${c} - kn_b.${c}) * (kn_a.${c} - kn_b.${c})`).join(' + ');
  // ceil(n·q) = k with n = size − 1 distances per row: the k-th smallest.
  const fraction = (neighbours - 0.5) / (size - 1);
  return `WITH kn_sample AS (
  SELECT __sz_rid AS rid, __sz_y AS y${columns.map((c) => `, ${c}`).join('')} FROM ${ident(designTable)}
  WHERE __sz_y IS NOT NULL ORDER BY ${d.hash([num(seed), '__sz_rid'])}, __sz_rid LIMIT ${num(size)}
), kn_pairs AS (
  SELECT kn_a.rid, kn_a.y, CASE WHEN kn_b.y = 1 THEN 1.0 ELSE 0.0 END AS neighbour_y, ${distance} AS dist
  FROM kn_sample AS kn_a, kn_sample AS kn_b WHERE kn_a.rid <> kn_b.rid
), kn_radius AS (
  SELECT rid, ${d.quantileDisc('dist', num(fraction))} AS radius FROM (
    SELECT rid, dist FROM kn_pairs
    UNION ALL
    SELECT rid, ${FAR} FROM kn_sample, (${numbersUpTo(size)}) AS kn_pad
    WHERE kn_pad.i < ${num(size)} - (SELECT count(*) FROM kn_sample)
  ) AS kn_padded GROUP BY rid
)
SELECT ${str(KNN_MODEL)} AS model, kn_pairs.rid, max(kn_pairs.y) AS y, avg(neighbour_y) AS p
FROM kn_pairs JOIN kn_radius ON kn_pairs.rid = kn_radius.rid AND kn_pairs.dist <= kn_radius.radius
GROUP BY kn_pairs.rid`;
}

/**
 * The integers 0 … 10^D − 1 ≥ `count` − 1 as `i`, from cross joins of a
 * digits table: a recursive CTE would take one round per number.
 */
function numbersUpTo(count: number): string {
  const places = Math.max(1, Math.ceil(Math.log10(count + 1)));
  const digits = '(VALUES (0), (1), (2), (3), (4), (5), (6), (7), (8), (9))';
  const from = Array.from({ length: places }, (_, k) => `${digits} AS kn_d${k}(v)`).join(', ');
  const value = Array.from({ length: places }, (_, k) => `${10 ** k} * kn_d${k}.v`).join(' + ');
  return `SELECT ${value} AS i FROM ${from}`;
}

import { dialect as d } from '../sql/dialect';
import { ident, num, str, sqlList } from '../sql/quote';
import type { Row } from '../pipeline/stage';
import { toList } from '../profile/decode';

/**
 * The naive Bayes baseline: each raw feature cut into a few bins, counts per
 * (feature, bin, class) on the train side by one GROUP BY, Laplace smoothing
 * (alpha 1) and the train class prior, as scikit-learn's
 * `CategoricalNB(alpha=1)` with one category per bin. Scoring is one INSERT
 * whose per-feature log-likelihood ratios are literals.
 *
 * Bins of a numeric feature: `x <= c1`, `c1 < x <= c2`, …, `x > ck` over the
 * distinct train-side deciles, then NULL. Of a categorical feature: each
 * given level (compared as text), then "other", then NULL. Every bin counts
 * toward the smoothing denominator, seen in training or not.
 */

/** The model name naive Bayes predictions are stored under. */
export const NAIVE_BAYES_MODEL = 'naive-bayes';

/** Laplace smoothing, as `CategoricalNB(alpha=1)`. */
const ALPHA = 1;

/**
 * The decile levels numeric features are cut at, as exact decimals on every
 * engine (ClickHouse reads a bare `0.1` as a double), so the rank
 * ceil(n × 0.1) is exact, where the double 0.1 makes 420 × 0.1 round up past 42.
 */
const DECILES = [1, 2, 3, 4, 5, 6, 7, 8, 9].map((k) => `CAST('0.${k}' AS DECIMAL(2, 1))`);

/** A feature's deciles as one list, one quantile per level (ClickHouse takes no list of levels). */
const decilesOf = (column: string): string => sqlList(DECILES.map((level) => d.quantileDisc(column, level)));

/** A raw feature of the design table naive Bayes bins. */
export interface NaiveBayesFeature {
  /** The raw column's original name. */
  column: string;
  kind: 'numeric' | 'categorical';
  /** Categorical: the levels kept (as text); any other value is "other". */
  levels?: string[];
}

/** Per feature (aligned with the features): the distinct ascending cut points; empty for a categorical feature. */
export type NaiveBayesCuts = readonly (readonly number[])[];

/** Train-side counts: per class, and per feature and bin (aligned with `binLabels`). */
export interface NaiveBayesCounts {
  /** Train rows labelled 0 and 1. */
  negatives: number;
  positives: number;
  /** Per feature: rows per bin in each class. */
  bins: readonly { negatives: readonly number[]; positives: readonly number[] }[];
}

const TRAIN = `${ident('__sz_side')} = 'train'`;
const TEST = `${ident('__sz_side')} = 'test'`;

/**
 * One row: for each numeric feature i, column `c<i>` the list of its train-side
 * deciles (`quantile_disc`, the smallest value whose cumulative share reaches
 * the level; numpy's `inverted_cdf`). Read it with `readNaiveBayesCuts`.
 */
export function naiveBayesCutsQuery(designTable: string, features: readonly NaiveBayesFeature[]): string {
  const items = features.flatMap((f, i) =>
    f.kind === 'numeric' ? [`${decilesOf(asDouble(f.column))} AS c${i}`] : [],
  );
  return `SELECT count(*) AS train_rows${items.map((item) => `, ${item}`).join('')}
FROM ${ident(designTable)} WHERE ${TRAIN}`;
}

/** The cut points per feature from `naiveBayesCutsQuery`'s row: distinct, ascending, finite. */
export function readNaiveBayesCuts(
  rows: readonly Row[],
  features: readonly NaiveBayesFeature[],
): NaiveBayesCuts {
  const row = rows[0] ?? {};
  return features.map((f, i) => {
    if (f.kind !== 'numeric') return [];
    const values = toList(row[`c${i}`])
      .filter((v) => v !== null)
      .map(Number)
      .filter((v) => Number.isFinite(v));
    return [...new Set(values)].sort((a, b) => a - b);
  });
}

/**
 * One scan of the train side, grouped by class and by each feature's bin
 * (GROUPING SETS, so every feature is counted in the same statement), plus
 * the class totals. Row columns: `y`, `b<i>` (the bin of feature i, NULL
 * outside its grouping set), `n`. Read it with `readNaiveBayesCounts`.
 *
 * Measured on 18 features over 56k train rows (the design's cap), warm
 * DuckDB-WASM in Node: 0.5 s, against 0.6 s for per-feature `histogram`
 * lists and 1.1 s for one `count_if` per (feature, bin, class); no UNION ALL,
 * which hangs DuckDB-WASM on large tables.
 */
export function naiveBayesCountsQuery(
  designTable: string,
  features: readonly NaiveBayesFeature[],
  cuts: NaiveBayesCuts,
): string {
  const bins = features.map((f, i) => `${binExpression(f, cuts[i] ?? [])} AS b${i}`);
  const sets = ['(y)', ...features.map((_, i) => `(y, b${i})`)].join(', ');
  return `SELECT y${features.map((_, i) => `, b${i}`).join('')}, count(*) AS n
FROM (SELECT ${ident('__sz_y')} AS y${bins.map((b) => `, ${b}`).join('')}
  FROM ${ident(designTable)} WHERE ${TRAIN}) AS nb_binned
GROUP BY GROUPING SETS (${sets})`;
}

/** The class and per-bin counts from `naiveBayesCountsQuery`'s rows. */
export function readNaiveBayesCounts(
  rows: readonly Row[],
  features: readonly NaiveBayesFeature[],
  cuts: NaiveBayesCuts,
): NaiveBayesCounts {
  const bins = features.map((f, i) => ({
    negatives: new Array<number>(binCount(f, cuts[i] ?? [])).fill(0),
    positives: new Array<number>(binCount(f, cuts[i] ?? [])).fill(0),
  }));
  let negatives = 0;
  let positives = 0;
  for (const row of rows) {
    const positive = Number(row.y) === 1;
    const n = Number(row.n);
    const feature = features.findIndex((_, i) => row[`b${i}`] !== null && row[`b${i}`] !== undefined);
    if (feature < 0) {
      if (positive) positives += n;
      else negatives += n;
      continue;
    }
    const target = bins[feature]!;
    const bin = Number(row[`b${feature}`]);
    (positive ? target.positives : target.negatives)[bin] = n;
  }
  return { negatives, positives, bins };
}

/**
 * One statement: INSERT INTO `predTable` (`model, rid, y, p`) the posterior
 * probability of y = 1 for every test-side row of the design table: the
 * prior log-odds plus, per feature, the log-likelihood ratio of its bin
 * (a CASE over literals), through a logistic written not to overflow.
 */
export function naiveBayesScoreStatement(
  designTable: string,
  predTable: string,
  model: string,
  features: readonly NaiveBayesFeature[],
  cuts: NaiveBayesCuts,
  counts: NaiveBayesCounts,
): string {
  return `INSERT INTO ${ident(predTable)} (model, rid, y, p)
${naiveBayesScoreSelect(designTable, model, features, cuts, counts)}`;
}

/** The SELECT of `naiveBayesScoreStatement`'s rows, for a statement that reads them in place. */
export function naiveBayesScoreSelect(
  designTable: string,
  model: string,
  features: readonly NaiveBayesFeature[],
  cuts: NaiveBayesCuts,
  counts: NaiveBayesCounts,
): string {
  const terms = [num(priorLogOdds(counts))];
  features.forEach((f, i) => {
    const featureCuts = cuts[i] ?? [];
    const bins = counts.bins[i];
    if (bins) terms.push(ratioCase(f, featureCuts, logLikelihoodRatios(counts, bins)));
  });
  return `SELECT ${str(model)} AS model, rid, y,
  CASE WHEN z >= 0 THEN 1 / (1 + exp(-z)) ELSE exp(z) / (1 + exp(z)) END AS p
FROM (SELECT ${ident('__sz_rid')} AS rid, ${ident('__sz_y')} AS y,
  ${terms.join('\n  + ')} AS z
  FROM ${ident(designTable)} WHERE ${TEST}) AS nb_scored`;
}

/**
 * log P(bin | 1) − log P(bin | 0) per bin, smoothed as CategoricalNB:
 * (count + alpha) / (class rows + alpha × bins).
 */
export function logLikelihoodRatios(
  counts: Pick<NaiveBayesCounts, 'negatives' | 'positives'>,
  bins: NaiveBayesCounts['bins'][number],
): number[] {
  const k = bins.positives.length;
  const positiveDenominator = Math.log(counts.positives + ALPHA * k);
  const negativeDenominator = Math.log(counts.negatives + ALPHA * k);
  return bins.positives.map(
    (p, j) =>
      Math.log(p + ALPHA) -
      positiveDenominator -
      (Math.log((bins.negatives[j] ?? 0) + ALPHA) - negativeDenominator),
  );
}

/** log(train positives / train negatives); ±50 (p ≈ 0 or 1) when a class is absent, 0 with no train rows. */
function priorLogOdds(counts: NaiveBayesCounts): number {
  if (counts.positives === 0 && counts.negatives === 0) return 0;
  if (counts.positives === 0) return -50;
  if (counts.negatives === 0) return 50;
  return Math.log(counts.positives) - Math.log(counts.negatives);
}

/** Bins of a feature: numeric k cuts → k + 1 ranges and NULL; categorical L levels → L, other and NULL. */
function binCount(feature: NaiveBayesFeature, cuts: readonly number[]): number {
  return feature.kind === 'numeric' ? cuts.length + 2 : (feature.levels ?? []).length + 2;
}

/** A CASE mapping the raw value to `values[bin]`, bins in the order `binCount` counts them. */
function binCase(feature: NaiveBayesFeature, cuts: readonly number[], values: readonly string[]): string {
  const column = ident(feature.column);
  const last = values.length - 1;
  if (feature.kind === 'numeric') {
    const ranges = cuts.map((c, j) => ` WHEN ${asDouble(feature.column)} <= ${num(c)} THEN ${values[j]}`);
    return `CASE WHEN ${column} IS NULL THEN ${values[last]}${ranges.join('')} ELSE ${values[last - 1]} END`;
  }
  const levels = (feature.levels ?? []).map((level, j) => ` WHEN ${str(level)} THEN ${values[j]}`);
  const other = values[last - 1];
  const byLevel =
    levels.length === 0 ? other : `CASE CAST(${column} AS VARCHAR)${levels.join('')} ELSE ${other} END`;
  return `CASE WHEN ${column} IS NULL THEN ${values[last]} ELSE ${byLevel} END`;
}

function binExpression(feature: NaiveBayesFeature, cuts: readonly number[]): string {
  const codes = Array.from({ length: binCount(feature, cuts) }, (_, j) => num(j));
  return binCase(feature, cuts, codes);
}

function ratioCase(feature: NaiveBayesFeature, cuts: readonly number[], ratios: readonly number[]): string {
  return binCase(feature, cuts, ratios.map(num));
}

function asDouble(column: string): string {
  return `CAST(${ident(column)} AS DOUBLE)`;
}

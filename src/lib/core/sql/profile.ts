import { describeTableQuery, dropTableQuery } from './table';
// `dialect`, not `d`: the profile's moment SQL names a local `d`.
import { dialect, type SampleSpec } from './dialect';
import { ident, num, str, dateLiteral, sqlList } from './quote';
import { isNumericKind, isTemporalKind, type SqlKind } from './types';
import { unorderedPairsSum } from './pairs';

/**
 * Query builders for the data profile (issue #3): values in, SQL text out.
 *
 * Every builder scans a table a fixed number of times whatever the number of
 * columns: one wide aggregate for all columns' summary statistics, one
 * UNION ALL of GROUP BYs for distributions, and so on. Small statements are
 * fused (columns with the row count, distributions with missingness), since
 * each statement costs a round trip to the engine's worker. Column names are client
 * data: they only ever appear through `ident`, and results use our own aliases
 * (`c3_mean`), never a column's name.
 */

/** A column as the profile's SQL sees it. `index` is its position in the table and names its aliases. */
export interface ProfileColumn {
  index: number;
  name: string;
  type: string;
  kind: SqlKind;
}

/** How distinct values are counted in the summary query. */
export type DistinctMode = 'none' | 'approx' | 'exact';

/**
 * Columns per profile statement. The per-column builders join one branch or
 * one aggregate per column; past about a thousand, DuckDB's parser refuses the
 * statement ("max expression depth") and the binder spends seconds on it, so a
 * wide table is profiled in batches of this many columns. Narrower tables run
 * as one batch: the same statements as before.
 */
export const PROFILE_COLUMN_BATCH = 200;

/** Split columns into batches of at most `size`, in order. */
export function columnBatches<T>(columns: readonly T[], size = PROFILE_COLUMN_BATCH): T[][] {
  const step = Math.max(1, Math.floor(size));
  const out: T[][] = [];
  for (let i = 0; i < columns.length; i += step) out.push(columns.slice(i, i + step));
  return out.length > 0 ? out : [[]];
}

/** Columns and DuckDB types of a table, in order: the table module's `describeTableQuery`. */
export const tableColumnsQuery = describeTableQuery;

/**
 * The table's columns and DuckDB types in order (`column_name`, `data_type`),
 * each row also carrying the table's exact row count as `n`: one statement
 * instead of `tableColumnsQuery` and a count. Fails when the table is missing
 * (the count cannot bind); `tableColumnsQuery` then tells a missing table
 * from an engine error.
 */
export function tableColumnsAndRowsQuery(table: string): string {
  return `SELECT column_name, data_type, (SELECT count(*) FROM ${ident(table)}) AS n FROM (${describeTableQuery(table)})`;
}

/**
 * The column as a number for statistics: integers stay integers (exact
 * averages, faster quantiles), decimals become DOUBLE, and NaN/±Infinity
 * become NULL so they do not poison moments and quantiles.
 */
export function numericExpr(column: ProfileColumn): string {
  const x = ident(column.name);
  if (column.kind === 'float') return `CASE WHEN ${dialect.isFinite(x)} THEN CAST(${x} AS DOUBLE) END`;
  if (column.kind === 'integer' && !isWideInteger(column)) return x;
  return `CAST(${x} AS DOUBLE)`;
}

/** 128-bit integers overflow DuckDB's exact sums, so their statistics run on DOUBLEs. */
function isWideInteger(column: ProfileColumn): boolean {
  return /^U?HUGEINT$/i.test(column.type.trim());
}

/** Alias prefix of a column in generated SQL. */
export function alias(column: ProfileColumn): string {
  return `c${column.index}`;
}

export interface SummaryQueryOptions {
  quantileLevels: readonly number[];
  distinct: DistinctMode;
}

/**
 * One scan of the whole table: row count, and per column non-null count,
 * min/max, mean, standard deviation (sample), quantiles (linear
 * interpolation), zeros, negatives, non-finite values, text lengths, midnight
 * timestamps and boolean counts. Skewness and kurtosis come from the central
 * moments of `distributionQuery`, which knows the mean.
 * Result: a single row; see `decodeSummary` in `core/profile/decode`.
 */
export function summaryQuery(
  table: string,
  columns: readonly ProfileColumn[],
  options: SummaryQueryOptions,
): string {
  const inner: string[] = [];
  const outer: string[] = ['count(*) AS n'];
  const levels = sqlList(options.quantileLevels.map(num));
  for (const column of columns) {
    const a = alias(column);
    const raw = ident(column.name);
    inner.push(`${raw} AS ${a}`);
    outer.push(`count(${a}) AS ${a}_n`);
    if (options.distinct === 'approx') outer.push(`${dialect.approxDistinct(a)} AS ${a}_d`);
    if (options.distinct === 'exact') outer.push(`count(DISTINCT ${a}) AS ${a}_d`);
    if (isNumericKind(column.kind)) {
      let x = a;
      if (column.kind !== 'integer' || isWideInteger(column)) {
        x = `${a}_x`;
        inner.push(`${numericExpr(column)} AS ${x}`);
      }
      // count_if and CASE: a FILTER clause costs ~10 ms per aggregate in DuckDB-WASM whatever the table size.
      outer.push(
        `CAST(min(${x}) AS DOUBLE) AS ${a}_min`,
        `CAST(max(${x}) AS DOUBLE) AS ${a}_max`,
        `avg(${x}) AS ${a}_mean`,
        `stddev_samp(${x}) AS ${a}_std`,
        `${dialect.quantileCont(x, levels)} AS ${a}_q`,
        `${dialect.countIf(`${x} = 0`)} AS ${a}_zeros`,
        `${dialect.countIf(`${x} < 0`)} AS ${a}_neg`,
      );
      if (column.kind === 'float')
        outer.push(`${dialect.countIf(`NOT ${dialect.isFinite(a)}`)} AS ${a}_nonfinite`);
    } else if (isTemporalKind(column.kind)) {
      const text = (time: string): string =>
        column.kind === 'timestamp' ? dialect.timestampText(time) : `CAST(${time} AS VARCHAR)`;
      outer.push(`${text(`min(${a})`)} AS ${a}_min`, `${text(`max(${a})`)} AS ${a}_max`);
      if (column.kind === 'timestamp')
        outer.push(
          `${dialect.countIf(`${dialect.epochMicros(dialect.cast(a, 'TIMESTAMP'))} % 86400000000 = 0`)} AS ${a}_midnight`,
        );
    } else if (column.kind === 'boolean') {
      outer.push(`${dialect.countIf(a)} AS ${a}_true`, `${dialect.countIf(`NOT ${a}`)} AS ${a}_false`);
    } else if (column.kind === 'string') {
      inner.push(`${dialect.textLength(`CAST(${raw} AS VARCHAR)`)} AS ${a}_len`);
      outer.push(`min(${a}_len) AS ${a}_lmin`, `max(${a}_len) AS ${a}_lmax`, `avg(${a}_len) AS ${a}_lmean`);
    }
  }
  const projection = inner.length > 0 ? inner.join(', ') : '1 AS one';
  return `SELECT ${outer.join(', ')} FROM (SELECT ${projection} FROM ${ident(table)})`;
}

/**
 * Values `summaryQuery`'s exact aggregates hold per row of `column` until the
 * statement ends: one for the quantiles of a numeric column, one for an exact
 * distinct count. The other aggregates keep a fixed-size state.
 */
export function summaryHeldValuesPerRow(column: ProfileColumn, distinct: DistinctMode): number {
  return (isNumericKind(column.kind) ? 1 : 0) + (distinct === 'exact' ? 1 : 0);
}

/** Histogram bins of a numeric column: `floor((x - start) / step)`, clamped to [0, count - 1] when decoded. */
export interface BinSpec {
  start: number;
  step: number;
  count: number;
}

/** What the distribution query computes for one column, from the summary's results. */
export interface DistributionPlan {
  column: ProfileColumn;
  /** Numeric: histogram bins, or null when the column has no finite value. */
  bins?: BinSpec | null;
  /** Numeric: Tukey fences; each bin row also counts the values outside them. */
  outlierFences?: { low: number; high: number } | null;
  /** Numeric: sentinel codes are counted only outside these (wider) fences. */
  sentinelFences?: { low: number; high: number } | null;
  /** Numeric: the mean, for central moments (skewness, kurtosis) summed per bin. */
  mean?: number | null;
}

export interface DistributionQueryOptions {
  sentinelValues: readonly number[];
  defaultDates: readonly string[];
}

/**
 * One UNION ALL over the whole table with the distributions: numeric bins
 * (with IQR-outlier counts and central moments), sentinel codes beyond the
 * fences, and for dates counts by month, ISO weekday, hour and placeholder date.
 * Result rows: `col` (column index), `kind`, `k` (bin, month index
 * `year*12+month-1`, weekday 1–7, hour, days since 1970-01-01 or the sentinel
 * value), `n` (rows), and for bins `o` (IQR outliers) and `m2`, `m3`, `m4`
 * (sums of the 2nd–4th powers of the deviations from the mean). Central
 * moments summed after the mean is known (two passes) stay accurate when the
 * mean is large next to the spread, unlike sums of raw powers.
 */
export function distributionQuery(
  table: string,
  plans: readonly DistributionPlan[],
  options: DistributionQueryOptions,
): string | null {
  const from = ident(table);
  const branches: string[] = [];
  const branch = (
    col: number,
    kind: string,
    key: string,
    sourceExpr: string,
    where: string,
    extra = 'NULL AS o, NULL AS m2, NULL AS m3, NULL AS m4',
  ): string =>
    `SELECT ${col} AS col, ${str(kind)} AS kind, CAST(${key} AS BIGINT) AS k, count(*) AS n, ${extra} FROM (SELECT ${sourceExpr} AS x FROM ${from}) WHERE ${where} GROUP BY 3`;
  for (const plan of plans) {
    const { column } = plan;
    if (isNumericKind(column.kind)) {
      const x = numericExpr(column);
      if (plan.bins) {
        const { start, step } = plan.bins;
        const outliers = plan.outlierFences
          ? dialect.countIf(`x < ${num(plan.outlierFences.low)} OR x > ${num(plan.outlierFences.high)}`)
          : '0';
        const d = `(CAST(x AS DOUBLE) - ${num(plan.mean ?? 0)})`;
        const moments = `sum(${d} * ${d}) AS m2, sum(${d} * ${d} * ${d}) AS m3, sum(${d} * ${d} * ${d} * ${d}) AS m4`;
        // The small epsilon keeps values that sit on an edge (0.3 / 0.1 = 2.9999…) in the upper bin, as the edge says.
        branches.push(
          branch(
            column.index,
            'bin',
            `floor((x - ${num(start)}) / ${num(step)} + 1e-9)`,
            x,
            'x IS NOT NULL',
            `${outliers} AS o, ${moments}`,
          ),
        );
      }
      if (plan.sentinelFences && options.sentinelValues.length > 0) {
        const { low, high } = plan.sentinelFences;
        const values = options.sentinelValues.map(num).join(', ');
        branches.push(
          branch(
            column.index,
            'sentinel',
            'x',
            x,
            `x IN (${values}) AND (x < ${num(low)} OR x > ${num(high)})`,
          ),
        );
      }
    } else if (isTemporalKind(column.kind)) {
      const raw = ident(column.name);
      const t = column.kind === 'timestamp' ? dialect.cast(raw, 'TIMESTAMP') : raw;
      branches.push(branch(column.index, 'month', 'year(x) * 12 + month(x) - 1', t, 'x IS NOT NULL'));
      branches.push(branch(column.index, 'weekday', dialect.isoWeekday('x'), t, 'x IS NOT NULL'));
      if (column.kind === 'timestamp')
        branches.push(branch(column.index, 'hour', 'hour(x)', t, 'x IS NOT NULL'));
      if (options.defaultDates.length > 0) {
        const dates = options.defaultDates.map(dateLiteral).join(', ');
        branches.push(
          branch(
            column.index,
            'default-date',
            `datediff('day', ${dateLiteral('1970-01-01')}, x)`,
            dialect.cast(raw, 'DATE'),
            `x IN (${dates})`,
          ),
        );
      }
    }
  }
  return branches.length > 0 ? branches.join('\nUNION ALL\n') : null;
}

/** The `kind` of `missingnessQuery`'s rows, which share a statement with the distributions. */
export const MISSING_PAIR = 'missing-pair';

/**
 * Missingness co-occurrence over the whole table: one GROUP BY on the
 * pattern of NULLs (a bit mask over at most 52 columns), then, per pair, the
 * rows where both are NULL. Result rows have the columns of `distributionQuery`,
 * so the two run as one UNION ALL (see `withMissingness`): `col` and `k` are
 * the pair's column indices (`col < k`), `kind` is `missing-pair`, `n` the
 * rows where both are NULL, and `o`, `m2`–`m4` are NULL.
 */
export function missingnessQuery(table: string, columns: readonly ProfileColumn[]): string | null {
  if (columns.length < 2) return null;
  if (columns.length > 52) throw new RangeError('missingnessQuery handles at most 52 columns');
  // Sums of powers of two and integer division, not bit operators: ClickHouse has no `|`, `&` or `<<`.
  const mask = columns
    .map((c, bit) => `CAST(${ident(c.name)} IS NULL AS BIGINT) * ${num(2 ** bit)}`)
    .join(' + ');
  const isSet = (bit: number): string => `${dialect.intDiv('m', num(2 ** bit))} % 2 = 1`;
  const a: number[] = [];
  const b: number[] = [];
  const both: string[] = [];
  for (let i = 0; i < columns.length; i++)
    for (let j = i + 1; j < columns.length; j++) {
      a.push(columns[i]!.index);
      b.push(columns[j]!.index);
      both.push(`CAST(sum(CASE WHEN ${isSet(i)} AND ${isSet(j)} THEN n ELSE 0 END) AS BIGINT)`);
    }
  const patterns = `(SELECT ${sqlList(both)} AS nulls FROM (SELECT m, count(*) AS n FROM (SELECT ${mask} AS m FROM ${ident(table)}) GROUP BY m))`;
  return dialect.unnestQuery(
    [
      'CAST(pair_a AS INTEGER) AS col',
      `${str(MISSING_PAIR)} AS kind`,
      'CAST(pair_b AS BIGINT) AS k',
      'pair_n AS n',
      'NULL AS o',
      'NULL AS m2',
      'NULL AS m3',
      'NULL AS m4',
    ],
    [
      [sqlList(a.map(num)), 'pair_a'],
      [sqlList(b.map(num)), 'pair_b'],
      ['nulls', 'pair_n'],
    ],
    patterns,
  );
}

/**
 * One statement from a distribution query and a missingness query (either may
 * be null): their rows share columns, so they are one UNION ALL, and the table
 * is read in one round trip. Missingness rows are told apart by their `kind`.
 */
export function withMissingness(distribution: string | null, missingness: string | null): string | null {
  if (distribution && missingness) return `${distribution}\nUNION ALL\n${missingness}`;
  return distribution ?? missingness;
}

/**
 * Exact duplicate rows over the whole table (NULLs compare equal), and one
 * duplicated row. Result: one row: `duplicates`, the most repeated row's
 * values as `c0`…`c<n-1>` in table order (our aliases, so no client name can
 * clash with the counts), and `copies`, its number of copies (1: no
 * duplicates). `decodeDuplicates` maps the aliases back to the names.
 */
export function duplicatesQuery(table: string, columnNames: readonly string[]): string {
  const aliases = columnNames.map((_, i) => `c${i}`);
  const aliased = columnNames.map((name, i) => `${ident(name)} AS ${aliases[i]}`);
  return (
    `SELECT duplicates, pairs, ${[...aliases, 'copies'].map((c) => `example.${c} AS ${c}`).join(', ')} FROM (` +
    `SELECT CAST(sum(copies) - count(*) AS BIGINT) AS duplicates, ${identicalPairsSql('copies')} AS pairs, ${dialect.argMax(dialect.rowOf([...aliases, 'copies']), 'copies')} AS example ` +
    `FROM (SELECT ${[...aliased, 'count(*) AS copies'].join(', ')} FROM ${ident(table)} ${dialect.groupByAll()}))`
  );
}

/**
 * Duplicate rows counted by a 64-bit hash of each row, for tables too large to
 * group on every column: the hash table holds one key per distinct row instead
 * of a copy of the table. A false match needs a hash collision (about n²/2⁶⁵,
 * 3·10⁻⁶ at 10M rows). Returns the count, the most repeated row's hash and its copies.
 */
export function duplicatesByHashQuery(table: string, columnNames: readonly string[]): string {
  return (
    `SELECT CAST(sum(k) - count(*) AS BIGINT) AS duplicates, ${identicalPairsSql('k')} AS pairs, ${dialect.argMax('h', 'k')} AS top_hash, max(k) AS copies ` +
    `FROM (SELECT ${rowHash(columnNames)} AS h, count(*) AS k FROM ${ident(table)} GROUP BY 1)`
  );
}

/** One row whose hash is `hash` (see `duplicatesByHashQuery`). */
export function rowByHashQuery(table: string, columnNames: readonly string[], hash: string): string {
  if (!/^\d+$/.test(hash)) throw new RangeError(`Not a row hash: ${hash}`);
  return `SELECT * FROM ${ident(table)} WHERE ${rowHash(columnNames)} = ${dialect.hashLiteral(hash)} LIMIT 1`;
}

/** Σ C(n, 2) over groups of `n` identical rows (0 for a group of one): the pairs of identical rows. */
function identicalPairsSql(copies: string): string {
  return `coalesce(${unorderedPairsSum(copies)}, 0)`;
}

function rowHash(columnNames: readonly string[]): string {
  return dialect.hash(columnNames.map(ident));
}

export type SampleMethod = 'bernoulli' | 'reservoir';

/**
 * A uniform random sample of `rows` rows of `table`, reproducible (seed 42).
 * `bernoulli` keeps each row with probability rows/totalRows (about `rows`
 * rows, one streaming pass); `reservoir` keeps exactly `rows` rows but
 * measured 3–6× slower on 3M rows.
 */
export function sampleSelect(
  table: string,
  rows: number,
  totalRows: number,
  method: SampleMethod = 'bernoulli',
): string {
  const sample: SampleSpec =
    method === 'reservoir'
      ? { method, rows: Math.max(1, Math.floor(rows)), seed: 42 }
      : { method, percent: num(Math.min(100, Math.max(0, (100 * rows) / Math.max(1, totalRows)))), seed: 42 };
  return `SELECT * FROM ${ident(table)} ${dialect.sample(sample)}`;
}

/** `sampleSelect` into a new temporary table `target`. */
export function sampleStatement(
  table: string,
  target: string,
  rows: number,
  totalRows: number,
  method: SampleMethod = 'bernoulli',
): string {
  return dialect.createTempTableAs(target, sampleSelect(table, rows, totalRows, method));
}

export { withRelations, type Relation } from './cte';

/** Drop a table the profile created. */
export const dropTableStatement = dropTableQuery;

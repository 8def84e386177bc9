import type { Finding } from '../model/audit';
import { leakageColumns, personalColumnNames } from '../plan/compute';
import type { Row } from '../pipeline/stage';
import type { ReadinessSetup } from '../readiness/types';
import { dialect as d } from '../sql/dialect';
import { cteSql, exactLevel, joinLabels, labelMapCtes } from '../sql/plan';
import { ident, num, str } from '../sql/quote';
import { fromTable, labelSql, timeSql, validTimeSql } from '../sql/readiness-common';
import type { BaselineSplit } from '../model/feasibility';
import { FEASIBILITY_THRESHOLDS } from '../thresholds/feasibility';

/**
 * The baselines' design (issue 21): which columns become features, the honest
 * split, and the design table every model reads (`__sz_feas_design`, see the
 * contract in the module docs of `analysis.ts`). One scan of the dataset
 * builds a capped row table; the encoding is read off its train side; the
 * design table is then computed from that small table.
 */

export const DESIGN_TABLE = '__sz_feas_design';
/** The capped labelled rows before encoding (dropped once the design exists). */
export const ROWS_TABLE = '__sz_feas_rows';

/** One design column: a standardised numeric, a missing indicator or a one-hot level. */
export interface DesignColumn {
  /** `__sz_x3` */
  name: string;
  /** The original column. */
  feature: string;
  kind: 'numeric' | 'missing' | 'level' | 'other';
  level?: string;
  mean?: number;
  std?: number;
}

export interface DesignFeature {
  column: string;
  kind: 'numeric' | 'categorical';
}

export interface FeatureChoice {
  features: DesignFeature[];
  excluded: { column: string; reason: string }[];
}

/**
 * The baselines' features: numeric, categorical and boolean columns without
 * the leakage suspects, ID-like and personal-data columns; role columns
 * (ID, times, excluded) and text are listed with why they were left out.
 */
export function designFeatures(
  setup: ReadinessSetup,
  findings: readonly Finding[] = [],
  personal: readonly string[] = [],
): FeatureChoice {
  const roles = setup.input.roles;
  const leaks = leakageColumns(findings, roles.target);
  const pii = personalColumnNames(setup, personal);
  const excluded: FeatureChoice['excluded'] = [];
  const features: DesignFeature[] = [];
  const excludedRole = new Set(roles.excluded);
  for (const c of setup.columns) {
    if (c.name === roles.target) continue;
    if (c.name === roles.id) excluded.push({ column: c.name, reason: 'ID role' });
    else if (c.name === roles.eventTime || c.name === roles.outcomeTime)
      excluded.push({ column: c.name, reason: 'time role' });
    else if (excludedRole.has(c.name)) excluded.push({ column: c.name, reason: 'excluded role' });
    else if (leaks.has(c.name)) excluded.push({ column: c.name, reason: 'leakage suspect' });
    else if (pii.has(c.name)) excluded.push({ column: c.name, reason: 'personal data' });
    else if (c.idLike) excluded.push({ column: c.name, reason: 'looks like an ID' });
    else if (c.family === 'numeric') features.push({ column: c.name, kind: 'numeric' });
    else if (c.family === 'categorical' || c.family === 'boolean')
      features.push({ column: c.name, kind: 'categorical' });
    else excluded.push({ column: c.name, reason: `${c.family} column` });
  }
  return { features, excluded };
}

export interface SplitChoice {
  design: BaselineSplit['design'];
  holdoutShare: number;
}

export interface RowsTableOptions {
  features: readonly DesignFeature[];
  split: SplitChoice;
  task: 'binary' | 'regression';
  seed: number;
  maxTrainRows?: number;
  maxTestRows?: number;
  table?: string;
}

const BUCKETS = 10_000;

/**
 * CREATE TEMP TABLE (the dialect's) of the capped labelled rows: the raw features under their
 * names, `__sz_y` (1 = positive class; the numeric target for regression),
 * `__sz_side`, `__sz_fold`, `__sz_pos`, `__sz_rid` and `__sz_cut` (the time
 * split's first held-out time, as text). The split is the metric plan's:
 * by time, the (1 − holdout) `quantile_disc` of the valid event times of
 * labelled rows, held-out from it on; by group, an ID's hash bucket (the
 * plan's `groupSplitQuery`); else a seeded hash of the whole row. The train
 * side keeps its `maxTrainRows` most recent rows (by time) or a seeded hash
 * sample; the held-out side a seeded hash sample of `maxTestRows`.
 */
export function rowsTableStatement(setup: ReadinessSetup, options: RowsTableOptions): string {
  return d.createTempTableAs(options.table ?? ROWS_TABLE, `\n${rowsSelect(setup, options)}`);
}

/**
 * The query a reader runs to reproduce the split the baselines were scored on:
 * per side, the rows kept and (binary) the positives, or (regression) the
 * target's mean. The same statement as the rows table, so its counts are the
 * findings' own.
 */
export function splitCountsQuery(setup: ReadinessSetup, options: RowsTableOptions): string {
  const measure =
    options.task === 'binary' ? 'CAST(sum(__sz_y) AS BIGINT) AS positives' : 'avg(__sz_y) AS target_mean';
  return `SELECT __sz_side AS side, count(*) AS ${ident('rows')}, ${measure}
FROM (
${rowsSelect(setup, options)}
) AS split_rows
GROUP BY __sz_side ORDER BY __sz_side DESC`;
}

/** The SELECT of the rows table (`rowsTableStatement`), for a statement that reads it in place. */
export function rowsSelect(setup: ReadinessSetup, options: RowsTableOptions): string {
  const ctx = setup.sql;
  const label = ctx.label;
  if (!label) throw new RangeError('The baselines need a target.');
  const seed = num(options.seed);
  const maxTrain = num(options.maxTrainRows ?? FEASIBILITY_THRESHOLDS.maxTrainRows);
  const maxTest = num(options.maxTestRows ?? FEASIBILITY_THRESHOLDS.maxTestRows);
  const holdout = options.split.holdoutShare;
  const byTime = options.split.design === 'time' && ctx.time !== undefined;
  const shares = prefilterShares(setup, options);
  const folds = num(FEASIBILITY_THRESHOLDS.folds);
  const byGroup = options.split.design === 'group' && ctx.id !== undefined;
  const raw = options.features.map((f) => ident(f.column));
  const rawList = raw.map((c) => `${c}, `).join('');
  const allColumns = setup.columns.map((c) => ident(c.name));
  const rowHash = d.hash([seed, ...allColumns]);
  const t = byTime && ctx.time ? timeSql(ctx.time) : 'NULL';
  const g = ctx.id ? ident(ctx.id) : 'NULL';
  const ctes: string[] = [];
  let yExpr: string;
  let source: (select: string) => string;
  if (options.task === 'binary') {
    ctes.push(...labelMapCtes(ctx).map((c) => cteSql(c.name, c.sql, c.materialized)));
    source = (select) => `(SELECT ${select}${ident(label.column)} AS __sz_raw ${fromTable(ctx.table)}) AS r
  ${joinLabels('r')} WHERE __sz_y IS NOT NULL`;
    yExpr = 'CAST(__sz_y AS DOUBLE)';
  } else {
    const y = labelSql({ ...label, kind: 'numeric' });
    source = (select) => `(SELECT ${select}${y} AS __sz_yv ${fromTable(ctx.table)}) AS r
  WHERE ${d.isFinite('__sz_yv')}`;
    yExpr = '__sz_yv';
  }
  const validTime =
    byTime && ctx.time
      ? ` AND ${validTimeSql('__sz_t', ctx.asOf, { from: ctx.validFrom, granularity: ctx.time.granularity })}`
      : '';
  // Not materialised: carrying every raw column through a materialised CTE costs more than the
  // cut's own slim second read of the time and the label.
  ctes.push(
    cteSql(
      'fd_base',
      `SELECT ${rawList}${yExpr} AS __sz_y, __sz_t, __sz_g, __sz_h
  FROM ${source(`${rawList}${t} AS __sz_t, ${g} AS __sz_g, ${rowHash} AS __sz_h, `)}${validTime}`,
      false,
    ),
  );
  let side: string;
  if (byTime) {
    ctes.push(
      cteSql(
        'fd_cut',
        `SELECT ${d.quantileDisc('__sz_t', exactLevel(1 - holdout))} AS s, ${d.quantileDisc('__sz_t', exactLevel((1 - holdout) * (1 - shares.train)))} AS recent
  FROM ${source(`${t} AS __sz_t, `)}${validTime}`,
        false,
      ),
    );
    side = `CASE WHEN __sz_t >= fd_cut.s THEN 'test' ELSE 'train' END`;
  } else if (byGroup) {
    side = `CASE WHEN (${d.hash(['CAST(__sz_g AS VARCHAR)'])} % ${BUCKETS}) < ${num(Math.round(holdout * BUCKETS))} THEN 'test' ELSE 'train' END`;
  } else {
    side = `CASE WHEN (__sz_h % ${BUCKETS}) < ${num(Math.round(holdout * BUCKETS))} THEN 'test' ELSE 'train' END`;
  }
  // Folds follow the ID when one is set, so no ID straddles a fold; training order is time, else a second hash.
  const fold = ctx.id
    ? `CAST(${d.hash(['CAST(__sz_g AS VARCHAR)', seed])} % ${folds} AS INTEGER)`
    : `CAST(${d.hash(['__sz_h', '1'])} % ${folds} AS INTEGER)`;
  const order = byTime ? '__sz_t DESC, __sz_o DESC' : '__sz_o DESC';
  // Rows that can't make the cap are dropped before the windows sort, so they sort ~70k rows, not every row.
  const hashAbove = (share: number): string =>
    share >= 1
      ? 'TRUE'
      : `__sz_o >= ${d.hashLiteral((BigInt(Math.floor((1 - share) * 2 ** 53)) << 11n).toString())}`;
  const trainFilter = byTime
    ? shares.train >= 1
      ? 'TRUE'
      : '__sz_t >= __sz_recent'
    : hashAbove(shares.train);
  const prefilter = `(__sz_side = 'train' AND ${trainFilter}) OR (__sz_side = 'test' AND ${hashAbove(shares.test)})`;
  const cutText = byTime ? d.formatTime('fd_cut.s', '%Y-%m-%dT%H:%M:%S') : 'CAST(NULL AS VARCHAR)';
  ctes.push(
    cteSql(
      'fd_sided',
      `SELECT *, ${side} AS __sz_side, ${fold} AS __sz_fold, ${d.hash(['__sz_h', '2'])} AS __sz_o, ${cutText} AS __sz_cut${byTime ? ', fd_cut.recent AS __sz_recent' : ''}
  FROM fd_base${byTime ? ', fd_cut' : ''}`,
      false,
    ),
    cteSql(
      'fd_ranked',
      `SELECT *, least(__sz_avail, CASE WHEN __sz_side = 'train' THEN ${maxTrain} ELSE ${maxTest} END) AS __sz_kept
  FROM (SELECT *, row_number() OVER (PARTITION BY __sz_side ORDER BY ${order}) AS __sz_rn,
    count(*) OVER (PARTITION BY __sz_side) AS __sz_avail FROM fd_sided WHERE ${prefilter}) AS fd_numbered`,
      false,
    ),
  );
  return `WITH ${ctes.join(',\n')}
SELECT CAST(CASE WHEN __sz_side = 'train' THEN __sz_rn ELSE ${maxTrain} + __sz_rn END AS BIGINT) AS __sz_rid,
  __sz_y, __sz_side, __sz_fold, CAST(__sz_kept - __sz_rn + 1 AS DOUBLE) / __sz_kept AS __sz_pos, __sz_cut, __sz_avail, ${rawList}__sz_t
FROM fd_ranked WHERE __sz_rn <= __sz_kept`;
}

/** Over-sampling of the prefilter, so it keeps more than the cap but for freak hash or group-size draws. */
const PREFILTER_MARGIN = 1.3;
const PREFILTER_SLACK = 2_000;

/**
 * The share of each side's rows the rows table's prefilter keeps before the
 * caps (1: no prefilter), from the labelled rows the setup counted. When a
 * share is below 1 the side is capped.
 */
export function prefilterShares(
  setup: ReadinessSetup,
  options: Pick<RowsTableOptions, 'split' | 'maxTrainRows' | 'maxTestRows'>,
): { train: number; test: number } {
  const labelled = setup.label?.labelled ?? setup.rows;
  const share = (cap: number, expected: number): number =>
    expected <= 0 ? 1 : Math.min(1, (PREFILTER_MARGIN * cap + PREFILTER_SLACK) / expected);
  const h = options.split.holdoutShare;
  return {
    train: share(options.maxTrainRows ?? FEASIBILITY_THRESHOLDS.maxTrainRows, labelled * (1 - h)),
    test: share(options.maxTestRows ?? FEASIBILITY_THRESHOLDS.maxTestRows, labelled * h),
  };
}

/** A numeric feature's value as DOUBLE, NULL when missing or not finite. */
function numericValue(column: string): string {
  const v = d.tryCast(ident(column), 'DOUBLE');
  return `(CASE WHEN ${d.isFinite(v)} THEN ${v} END)`;
}

const levelValue = (column: string): string => `CAST(${ident(column)} AS VARCHAR)`;

/**
 * One row over the rows table: per side rows and positives (`train_n`,
 * `train_pos`, `test_n`, `test_pos`, `cut`, `y_mean`), and per numeric
 * feature i its train mean `m<i>`, population std `s<i>` and missing rows
 * `z<i>` (scikit-learn's `StandardScaler` divides by the population std).
 */
export function numericStatsQuery(features: readonly DesignFeature[], table = ROWS_TABLE): string {
  const parts = [
    `count(*) FILTER (WHERE __sz_side = 'train') AS train_n`,
    `sum(__sz_y) FILTER (WHERE __sz_side = 'train') AS train_pos`,
    `count(*) FILTER (WHERE __sz_side = 'test') AS test_n`,
    `sum(__sz_y) FILTER (WHERE __sz_side = 'test') AS test_pos`,
    `any_value(__sz_cut) AS cut`,
    `max(__sz_avail) FILTER (WHERE __sz_side = 'train') AS train_avail`,
    `max(__sz_avail) FILTER (WHERE __sz_side = 'test') AS test_avail`,
  ];
  features.forEach((f, i) => {
    if (f.kind !== 'numeric') return;
    const v = numericValue(f.column);
    const train = `FILTER (WHERE __sz_side = 'train')`;
    parts.push(
      `avg(${v}) ${train} AS m${i}`,
      `stddev_pop(${v}) ${train} AS s${i}`,
      `count(*) FILTER (WHERE __sz_side = 'train' AND ${v} IS NULL) AS z${i}`,
    );
  });
  return `SELECT ${parts.join(',\n  ')} FROM ${ident(table)}`;
}

/**
 * Per categorical feature i, its train-side levels by count (most frequent
 * first, then by text), the top `topLevels + 1` so we know whether an
 * "other" exists, and its missing rows (level NULL). Columns `f, level, n`.
 */
export function levelStatsQuery(
  features: readonly DesignFeature[],
  topLevels: number = FEASIBILITY_THRESHOLDS.topLevels,
  table = ROWS_TABLE,
): string | null {
  const parts = features.flatMap((f, i) =>
    f.kind === 'categorical'
      ? [
          `SELECT * FROM (SELECT ${num(i)} AS f, ${levelValue(f.column)} AS level, count(*) AS n FROM ${ident(table)}
  WHERE __sz_side = 'train' GROUP BY 2 ORDER BY (level IS NULL) DESC, n DESC, level LIMIT ${num(topLevels + 2)})`,
        ]
      : [],
  );
  return parts.length ? parts.join('\nUNION ALL\n') : null;
}

/** What the encoding stats say, read. */
export interface EncodingStats {
  trainRows: number;
  trainPositives: number;
  testRows: number;
  testPositives: number;
  cut: string | null;
}

const numberOf = (v: unknown): number | null => {
  if (v === null || v === undefined) return null;
  const n = typeof v === 'bigint' ? Number(v) : Number(v);
  return Number.isFinite(n) ? n : null;
};

/** Side counts from `numericStatsQuery`'s row. */
export function readEncodingStats(row: Row | undefined): EncodingStats {
  return {
    trainRows: numberOf(row?.train_n) ?? 0,
    trainPositives: numberOf(row?.train_pos) ?? 0,
    testRows: numberOf(row?.test_n) ?? 0,
    testPositives: numberOf(row?.test_pos) ?? 0,
    cut: typeof row?.cut === 'string' ? row.cut : null,
  };
}

/**
 * The design columns from the encoding stats, at most `maxColumns`: a
 * numeric feature gives its standardised value (dropped when constant) and a
 * missing indicator when any train row misses it; a categorical one a 0/1
 * column per top level, "other" when it has more levels, and missing.
 * Features left without a column (constant or empty on the train side) or
 * whose columns would pass the limit are returned in `dropped`, with why.
 */
export function designColumns(
  features: readonly DesignFeature[],
  numeric: Row | undefined,
  levels: readonly Row[],
  options: { topLevels?: number; maxColumns?: number } = {},
): { columns: DesignColumn[]; dropped: { column: string; reason: string }[] } {
  const top = options.topLevels ?? FEASIBILITY_THRESHOLDS.topLevels;
  const max = options.maxColumns ?? FEASIBILITY_THRESHOLDS.maxDesignColumns;
  const columns: DesignColumn[] = [];
  const dropped: { column: string; reason: string }[] = [];
  features.forEach((f, i) => {
    const own: Omit<DesignColumn, 'name'>[] = [];
    if (f.kind === 'numeric') {
      const mean = numberOf(numeric?.[`m${i}`]);
      const std = numberOf(numeric?.[`s${i}`]);
      const missing = numberOf(numeric?.[`z${i}`]) ?? 0;
      if (mean !== null && std !== null && std > 0)
        own.push({ feature: f.column, kind: 'numeric', mean, std });
      if (missing > 0 && own.length) own.push({ feature: f.column, kind: 'missing' });
    } else {
      const rows = levels.filter((r) => numberOf(r.f) === i);
      const named = rows.filter((r) => r.level !== null && r.level !== undefined);
      const missing = rows.some((r) => r.level === null || r.level === undefined);
      for (const r of named.slice(0, top))
        own.push({ feature: f.column, kind: 'level', level: String(r.level) });
      if (named.length > top) own.push({ feature: f.column, kind: 'other' });
      if (missing) own.push({ feature: f.column, kind: 'missing' });
      // One level and nothing else is a constant.
      if (own.length === 1) own.length = 0;
    }
    if (!own.length) {
      dropped.push({ column: f.column, reason: 'constant on the training side' });
      return;
    }
    if (columns.length + own.length > max) {
      dropped.push({ column: f.column, reason: 'beyond the design-column limit' });
      return;
    }
    for (const c of own) columns.push({ ...c, name: `__sz_x${columns.length + 1}` });
  });
  return { columns, dropped };
}

/** The SQL of one design column over the rows table ("other" is every level its siblings don't name). */
export function designColumnSql(
  column: DesignColumn,
  columns: readonly DesignColumn[],
  features: readonly DesignFeature[],
): string {
  const kind = features.find((f) => f.column === column.feature)?.kind ?? 'numeric';
  const level = levelValue(column.feature);
  switch (column.kind) {
    case 'numeric':
      return `coalesce((${numericValue(column.feature)} - ${num(column.mean ?? 0)}) / ${num(column.std ?? 1)}, 0)`;
    case 'missing':
      return `CASE WHEN ${kind === 'numeric' ? numericValue(column.feature) : ident(column.feature)} IS NULL THEN 1.0 ELSE 0.0 END`;
    case 'level':
      return `CASE WHEN ${level} = ${str(column.level ?? '')} THEN 1.0 ELSE 0.0 END`;
    case 'other': {
      const named = columns
        .filter((o) => o.feature === column.feature && o.kind === 'level')
        .map((o) => str(o.level ?? ''));
      return `CASE WHEN ${level} IS NOT NULL AND ${level} NOT IN (${named.join(', ')}) THEN 1.0 ELSE 0.0 END`;
    }
  }
}

/**
 * CREATE TEMP TABLE (the dialect's) of the design: the contract's columns
 * (`__sz_rid, __sz_y, __sz_side, __sz_fold, __sz_pos, __sz_x1…`) and the
 * raw features under their names, from the rows table.
 */
export function designTableStatement(
  columns: readonly DesignColumn[],
  features: readonly DesignFeature[],
  options: { table?: string; rowsTable?: string } = {},
): string {
  return d.createTempTableAs(
    options.table ?? DESIGN_TABLE,
    `\n${designSelect(columns, features, options.rowsTable)}`,
  );
}

/** The SELECT of the design table (`designTableStatement`), for a statement that reads it in place. */
export function designSelect(
  columns: readonly DesignColumn[],
  features: readonly DesignFeature[],
  rowsTable: string = ROWS_TABLE,
): string {
  const xs = columns.map((c) => `CAST(${designColumnSql(c, columns, features)} AS DOUBLE) AS ${c.name}`);
  const raw = features.map((f) => `, ${ident(f.column)}`).join('');
  return `SELECT __sz_rid, __sz_y, __sz_side, __sz_fold, __sz_pos${xs.map((x) => `, ${x}`).join('')}${raw}
FROM ${ident(rowsTable)}`;
}

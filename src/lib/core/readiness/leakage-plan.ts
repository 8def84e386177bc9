import { ident } from '../sql/quote';
import { timeSql } from '../sql/readiness-common';
import {
  type AucFeature,
  type RankAucOptions,
  categoryAucQuery,
  etaSquaredQuery,
  featureAucsQuery,
  featureBinsQuery,
  nonZeroByClassQuery,
  presenceByClassQuery,
  presenceCountsQuery,
  rankAucQuery,
  spearmanQuery,
  trendRhoQuery,
} from '../sql/readiness-leakage';
import { count, first, toNumber, toText } from './findings';
import type { ColumnFacts, QueryResults, ReadinessSetup, ResultRow } from './types';
import { isIntegerType } from '../sql/types';
import {
  idShapeBody,
  idShapeSql,
  idShapeWithBodySql,
  integerIdShapeSql,
  timeRankSql,
} from '../sql/readiness-leakage';

type Method = 'rank-auc' | 'category-auc' | 'spearman' | 'eta' | 'one-rule';

export interface FeaturePlan {
  column: ColumnFacts;
  method: Method;
  /** The value measure; absent for ID-like or too granular columns, whose presence is still measured. */
  value?: string;
  /** The value measure as a part of `featureAucsQuery`, when it can run there. */
  auc?: AucFeature;
  /** Multiclass targets: the feature as a part of `featureBinsQuery` (its one-rule). */
  bins?: AucFeature;
  presence?: string;
  /** Class targets, numeric and boolean features: the statement counting non-zero rows by class. */
  nonZero?: string;
  /** Regression targets with an event time: the expression ranked against time (`trendRhoQuery`). */
  trend?: string;
}

/**
 * Above this share of distinct values a rank AUC ranks the rows themselves
 * rather than (value, class) counts. Measured at 1M rows, native DuckDB: a
 * 99 %-distinct ID 3× faster by rows, a 5 %-distinct fee 2.5× faster by counts.
 */
const ROW_LEVEL_DISTINCT_SHARE = 0.3;

/**
 * Bins of an ordered feature's one-rule: its distinct values up to this many,
 * else this many equal-frequency bins (each about 0.1 % of the rows, far
 * finer than a one-rule's intervals).
 */
export const ONE_RULE_BINS = 1000;

/** Most null-free numeric features whose pairs the derived-target R² tries (p(p + 1)/2 covariances in one pass). */
export const MAX_PAIR_COLUMNS = 60;

export function rankOptions(c: ColumnFacts): RankAucOptions {
  return { rowLevel: c.nonNull > 0 && c.distinct / c.nonNull > ROW_LEVEL_DISTINCT_SHARE };
}

/** The SQL expression a feature is ranked by. */
function orderExpression(c: ColumnFacts): string {
  if (c.family === 'temporal' || c.family === 'date-text') return timeSql({ column: c.name, type: c.type });
  if (c.family === 'boolean') return `CAST(${ident(c.name)} AS INTEGER)`;
  if (c.family === 'numeric') return `CAST(${ident(c.name)} AS DOUBLE)`;
  return ident(c.name);
}

/** A class target judged as a whole (one-rule), not one class against the rest. */
export function isMulticlass(s: ReadinessSetup): boolean {
  return s.label?.kind === 'classes' && s.label.task === 'multiclass';
}

/** Which measure each feature gets; ID-like and too-granular categoricals get no value measure (see leakage-id-like). */
export function leakagePlan(s: ReadinessSetup): FeaturePlan[] {
  const label = s.label;
  if (!label) return [];
  const plans: FeaturePlan[] = [];
  for (const c of s.features) {
    const ordered =
      c.family === 'numeric' || c.family === 'boolean' || c.family === 'temporal' || c.family === 'date-text';
    const categorical = c.family === 'categorical' || c.family === 'text';
    if (!ordered && !categorical) continue;
    const granular =
      categorical &&
      (c.idLike || (c.distinct > 0 && c.nonNull / c.distinct < s.thresholds.aucMinRowsPerCategory));
    const hasNulls = c.nonNull > 0 && c.nonNull < s.rows;
    const time = c.family === 'temporal' || c.family === 'date-text';
    if (label.kind === 'numeric') {
      if (granular) continue;
      const ranked = time ? timeRankSql(orderExpression(c)) : orderExpression(c);
      plans.push(
        ordered
          ? {
              column: c,
              method: 'spearman',
              value: spearmanQuery(s.sql, ranked),
              ...(s.time ? { trend: ranked } : {}),
            }
          : { column: c, method: 'eta', value: etaSquaredQuery(s.sql, ident(c.name)) },
      );
      continue;
    }
    if (granular && !hasNulls) continue;
    const part: AucFeature = ordered
      ? { method: 'rank', expression: orderExpression(c), time }
      : { method: 'category', expression: ident(c.name) };
    const recorded = {
      ...(hasNulls ? { presence: presenceByClassQuery(s.sql, c.name) } : {}),
      ...(c.family === 'numeric' || c.family === 'boolean'
        ? { nonZero: nonZeroByClassQuery(s.sql, c.name) }
        : {}),
    };
    if (isMulticlass(s)) {
      plans.push({
        column: c,
        method: 'one-rule',
        ...(granular ? {} : { value: featureBinsQuery(s.sql, [part], ONE_RULE_BINS), bins: part }),
        ...recorded,
      });
      continue;
    }
    const byRows = ordered && rankOptions(c).rowLevel;
    plans.push({
      column: c,
      method: ordered ? 'rank-auc' : 'category-auc',
      ...(granular
        ? {}
        : {
            value: ordered
              ? rankAucQuery(s.sql, orderExpression(c), rankOptions(c))
              : categoryAucQuery(s.sql, ident(c.name)),
            ...(byRows ? {} : { auc: part }),
          }),
      ...recorded,
    });
  }
  return plans;
}

/** The strongest one-vs-rest AUC (oriented so 0.5 is chance and 1 is perfect) and the class it belongs to. */
export function strongestAuc(
  s: ReadinessSetup,
  rows: readonly ResultRow[],
): { auc: number; raw: number; cls: string | null } | null {
  const label = s.label!;
  const candidates = rows
    .map((row) => ({ cls: toText(row.class), raw: toNumber(row.auc) }))
    .filter((x): x is { cls: string | null; raw: number } => x.raw !== null)
    .filter((x) => label.task !== 'binary' || x.cls === label.positive);
  if (candidates.length === 0) return null;
  const best = candidates.reduce((a, b) => (Math.max(b.raw, 1 - b.raw) > Math.max(a.raw, 1 - a.raw) ? b : a));
  return { auc: Math.max(best.raw, 1 - best.raw), raw: best.raw, cls: best.cls };
}

/** AUC of "is filled in" for each class (0.5 + ½|filled share in class − in the rest|), the strongest. */
export function presenceAuc(
  s: ReadinessSetup,
  rows: readonly ResultRow[],
): { auc: number; cls: string | null; filledIn: number; filledRest: number } | null {
  const label = s.label!;
  const total = rows.reduce((a, r) => a + count(r.rows), 0);
  const filledTotal = rows.reduce((a, r) => a + count(r.filled), 0);
  let best: { auc: number; cls: string | null; filledIn: number; filledRest: number } | null = null;
  for (const row of rows) {
    const cls = toText(row.class);
    if (label.task === 'binary' && cls !== label.positive) continue;
    const n = count(row.rows);
    const filled = count(row.filled);
    if (n === 0 || n === total) continue;
    const filledIn = filled / n;
    const filledRest = (filledTotal - filled) / (total - n);
    const auc = 0.5 + 0.5 * Math.abs(filledIn - filledRest);
    if (!best || auc > best.auc) best = { auc, cls, filledIn, filledRest };
  }
  return best;
}

/**
 * The AUCs by counts of leakage-single-feature (feature values) and
 * leakage-id-like (ID shapes) in one `featureAucsQuery`, built the same way
 * for both checks so the run executes it once. Parts: the plan's features
 * that have an `auc`, in plan order, then from `shapesFrom` on each ID-like
 * column's shape (classes only).
 */
export function leakageAucParts(s: ReadinessSetup): { parts: AucFeature[]; shapesFrom: number } {
  const values = leakagePlan(s).flatMap((p) => (p.auc ? [p.auc] : []));
  const shapes: AucFeature[] =
    s.label?.kind === 'classes'
      ? idLikeColumns(s).map((c) => ({ method: 'category', expression: cheapIdShapeSql(s, c) }))
      : [];
  return { parts: [...values, ...shapes], shapesFrom: values.length };
}

export function leakageAucsQuery(s: ReadinessSetup): string | undefined {
  const { parts } = leakageAucParts(s);
  return parts.length > 0 ? featureAucsQuery(s.sql, parts) : undefined;
}

/** Rows of one part of `leakageAucsQuery`, as its own statement would give them. */
export function aucPart(r: QueryResults, part: number): ResultRow[] {
  return (r.aucs ?? []).filter((row) => Number(row.feature) === part).map(({ feature: _f, ...row }) => row);
}

/** Each feature's value rows: its part of `leakageAucsQuery` or of the bins statement, or its own statement's. */
export function valuesByFeature(plan: readonly FeaturePlan[], r: QueryResults): ResultRow[][] {
  let part = 0;
  let bin = 0;
  return plan.map((p, i) => {
    if (p.auc) return aucPart(r, part++);
    if (p.bins) {
      const j = bin++;
      return (r.bins ?? []).filter((row) => Number(row.feature) === j);
    }
    return r[`value_${i}`] ?? [];
  });
}

/** The presence counts rows split per column, shaped like `presenceByClassQuery`'s (class, rows, filled) and `nonZeroByClassQuery`'s (class, rows, nonzero). */
export function recordedByColumn(
  plan: readonly FeaturePlan[],
  r: QueryResults,
): { filled: Map<string, ResultRow[]>; nonZero: Map<string, ResultRow[]> } {
  const filled = new Map<string, ResultRow[]>();
  const nonZero = new Map<string, ResultRow[]>();
  const rows = r.presence ?? [];
  plan
    .filter((p) => p.presence)
    .forEach((p, j) =>
      filled.set(
        p.column.name,
        rows.map((row) => ({ class: row.class, rows: row.rows, filled: row[`filled_${j}`] })),
      ),
    );
  plan
    .filter((p) => p.nonZero)
    .forEach((p, j) =>
      nonZero.set(
        p.column.name,
        rows.map((row) => ({ class: row.class, rows: row.rows, nonzero: row[`nonzero_${j}`] })),
      ),
    );
  return { filled, nonZero };
}

/** The one statement of presence and non-zero counts, when any feature needs it. */
export function recordedQuery(s: ReadinessSetup, plan: readonly FeaturePlan[]): string | undefined {
  const present = plan.filter((p) => p.presence).map((p) => p.column.name);
  const nonZero = plan.filter((p) => p.nonZero).map((p) => p.column.name);
  return present.length + nonZero.length > 0 ? presenceCountsQuery(s.sql, present, nonZero) : undefined;
}

/** Regression with an event time: Spearman ρ of the target and of each ordered feature with time. */
export function trendQuery(s: ReadinessSetup): string | undefined {
  if (s.label?.kind !== 'numeric' || !s.time) return undefined;
  const expressions = leakagePlan(s).flatMap((p) => (p.trend ? [p.trend] : []));
  return expressions.length > 0 ? trendRhoQuery(s.sql, timeSql(s.time), expressions) : undefined;
}

/** The statements plus the shared trend statement when there is one (the same SQL for every check that reads it, run once). */
export function withTrend(s: ReadinessSetup, queries: Record<string, string>): Record<string, string> {
  const trend = trendQuery(s);
  return trend ? { ...queries, trend } : queries;
}

/** Features that share a trend with the target: both |ρ with time| ≥ `sharedTrendRho`; by column, ρ with time. */
export function sharedTrends(
  s: ReadinessSetup,
  r: QueryResults,
): { target: number | null; columns: Map<string, number> } {
  const columns = new Map<string, number>();
  if (!trendQuery(s)) return { target: null, columns };
  const row = first(r.trend);
  const target = toNumber(row.rho_target);
  const t = s.thresholds.sharedTrendRho;
  let i = 0;
  for (const p of leakagePlan(s)) {
    if (!p.trend) continue;
    const rho = toNumber(row[`rho_${i++}`]);
    if (rho !== null && target !== null && Math.abs(rho) >= t && Math.abs(target) >= t)
      columns.set(p.column.name, rho);
  }
  return { target, columns };
}

/** The ID role and the ID-like features, whose shapes (not values) leakage-id-like measures. */
export function idLikeColumns(s: ReadinessSetup): ColumnFacts[] {
  const out: ColumnFacts[] = [];
  if (s.id) out.push(s.id);
  for (const c of s.features) if (c.idLike && !out.some((o) => o.name === c.name)) out.push(c);
  return out;
}

/**
 * An expression equal to `idShapeSql` on this column, without its regular
 * expressions when the answer is known: integers are a first digit (or `-`)
 * and `9`; text whose complete profile shapes (every value counted, so no shape
 * left out) give one shape text differs only in the first character.
 */
export function cheapIdShapeSql(s: ReadinessSetup, c: ColumnFacts): string {
  if (isIntegerType(c.type)) return integerIdShapeSql(c.name);
  const profile = s.input.profile;
  const column =
    profile && !profile.sample.sampled ? profile.columns.find((p) => p.name === c.name) : undefined;
  const shapes = column?.text?.shapes ?? [];
  if (!column || shapes.length === 0 || shapes.reduce((a, x) => a + x.count, 0) !== column.count)
    return idShapeSql(c.name);
  const bodies = new Set(shapes.map((x) => (typeof x.value === 'string' ? idShapeBody(x.value) : '\0')));
  const [body] = bodies;
  // String literals drop NUL bytes (`str`), so such a shape keeps the per-row expression.
  return bodies.size === 1 && body !== undefined && !body.includes('\0')
    ? idShapeWithBodySql(c.name, body)
    : idShapeSql(c.name);
}

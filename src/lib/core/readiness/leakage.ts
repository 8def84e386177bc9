import { featureStrengthChart } from '../charts/check-charts';
import type { Finding } from '../model/audit';
import { isIntegerType } from '../sql/types';
import { plural } from './time-encoding';
import { ident } from '../sql/quote';
import { timeSql } from '../sql/readiness-common';
import {
  type AucFeature,
  type RankAucOptions,
  categoryAucQuery,
  derivedR2Query,
  etaSquaredQuery,
  featureAucsQuery,
  featureBinsQuery,
  idShapeBody,
  idShapeSql,
  idShapeWithBodySql,
  integerIdShapeSql,
  nonZeroByClassQuery,
  presenceByClassQuery,
  presenceCountsQuery,
  rankAucQuery,
  repeatedIdsQuery,
  spearmanQuery,
  targetCovarianceQuery,
  timestampsAfterQuery,
  trendRhoQuery,
} from '../sql/readiness-leakage';
import { FEATURE_DEPS, LABEL_DEPS } from './deps';
import {
  type FindingSpec,
  count,
  finder,
  first,
  fmtInt,
  fmtPct,
  q,
  round,
  toNumber,
  toText,
} from './findings';
import { type ConditionCount, determiningRule, isEarlierPeriod, oneRule, pairR2 } from './leakage-judgement';
import { assessRowGroups, rowGroupsQueries, splitDuplicatesSpec } from './structure';
import type { CheckDefinition, ColumnFacts, QueryResults, ReadinessSetup, ResultRow } from './types';

type Method = 'rank-auc' | 'category-auc' | 'spearman' | 'eta' | 'one-rule';

interface FeaturePlan {
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
const ONE_RULE_BINS = 1000;

/** Most null-free numeric features whose pairs the derived-target R² tries (p(p + 1)/2 covariances in one pass). */
const MAX_PAIR_COLUMNS = 60;

function rankOptions(c: ColumnFacts): RankAucOptions {
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
function isMulticlass(s: ReadinessSetup): boolean {
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
      const ranked = time ? `epoch(${orderExpression(c)})` : orderExpression(c);
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
function strongestAuc(
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
function presenceAuc(
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
function leakageAucParts(s: ReadinessSetup): { parts: AucFeature[]; shapesFrom: number } {
  const values = leakagePlan(s).flatMap((p) => (p.auc ? [p.auc] : []));
  const shapes: AucFeature[] =
    s.label?.kind === 'classes'
      ? idLikeColumns(s).map((c) => ({ method: 'category', expression: cheapIdShapeSql(s, c) }))
      : [];
  return { parts: [...values, ...shapes], shapesFrom: values.length };
}

function leakageAucsQuery(s: ReadinessSetup): string | undefined {
  const { parts } = leakageAucParts(s);
  return parts.length > 0 ? featureAucsQuery(s.sql, parts) : undefined;
}

/** Rows of one part of `leakageAucsQuery`, as its own statement would give them. */
function aucPart(r: QueryResults, part: number): ResultRow[] {
  return (r.aucs ?? []).filter((row) => Number(row.feature) === part).map(({ feature: _f, ...row }) => row);
}

/** Each feature's value rows: its part of `leakageAucsQuery` or of the bins statement, or its own statement's. */
function valuesByFeature(plan: readonly FeaturePlan[], r: QueryResults): ResultRow[][] {
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
function recordedByColumn(
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
function recordedQuery(s: ReadinessSetup, plan: readonly FeaturePlan[]): string | undefined {
  const present = plan.filter((p) => p.presence).map((p) => p.column.name);
  const nonZero = plan.filter((p) => p.nonZero).map((p) => p.column.name);
  return present.length + nonZero.length > 0 ? presenceCountsQuery(s.sql, present, nonZero) : undefined;
}

/** Regression with an event time: Spearman ρ of the target and of each ordered feature with time. */
function trendQuery(s: ReadinessSetup): string | undefined {
  if (s.label?.kind !== 'numeric' || !s.time) return undefined;
  const expressions = leakagePlan(s).flatMap((p) => (p.trend ? [p.trend] : []));
  return expressions.length > 0 ? trendRhoQuery(s.sql, timeSql(s.time), expressions) : undefined;
}

/** Features that share a trend with the target: both |ρ with time| ≥ `sharedTrendRho`; by column, ρ with time. */
function sharedTrends(
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

/** Numeric features the derived-target R² reads: all for single R², the null-free ones (up to a cap) for pairs. */
function derivedColumns(s: ReadinessSetup): { columns: string[]; complete: string[] } {
  const numeric = s.features.filter((c) => c.family === 'numeric');
  return {
    columns: numeric.map((c) => c.name),
    complete: numeric
      .filter((c) => c.nonNull === s.rows)
      .slice(0, MAX_PAIR_COLUMNS)
      .map((c) => c.name),
  };
}

function derivedQuery(s: ReadinessSetup): string | undefined {
  if (s.label?.kind !== 'numeric') return undefined;
  const { columns, complete } = derivedColumns(s);
  return columns.length > 0 ? targetCovarianceQuery(s.sql, columns, complete) : undefined;
}

interface Derivation {
  columns: string[];
  r2: number;
  n: number;
}

/**
 * Single numeric features, and pairs of null-free ones, that reproduce the
 * target with R² ≥ `derivedR2` over at least `derivedMinRows` rows, best
 * first; a pair only when neither column does alone, and pairs that share a
 * column with a better one left out. Earlier periods of the target's series
 * and features that share its trend are not derivations.
 */
function derivations(s: ReadinessSetup, r: QueryResults): Derivation[] {
  if (!derivedQuery(s)) return [];
  const t = s.thresholds;
  const row = first(r.cov);
  const { columns, complete } = derivedColumns(s);
  const trends = sharedTrends(s, r).columns;
  const exempt = (c: string): boolean => isEarlierPeriod(c, s.label!.column) || trends.has(c);
  const out: Derivation[] = [];
  const singles = new Set<string>();
  columns.forEach((c, i) => {
    const rho = toNumber(row[`r_${i}`]);
    const n = count(row[`n_${i}`]);
    if (rho === null || n < t.derivedMinRows || exempt(c)) return;
    if (rho * rho >= t.derivedR2) {
      out.push({ columns: [c], r2: rho * rho, n });
      singles.add(c);
    }
  });
  const n = count(row.n);
  if (complete.length >= 2 && n >= t.derivedMinRows) {
    const cov = (a: number, b: number): number | null =>
      toNumber(row[`cov_${Math.min(a, b)}_${Math.max(a, b)}`]);
    const corr = (a: number, b: number): number | null => {
      const ab = cov(a, b);
      const aa = cov(a, a);
      const bb = cov(b, b);
      return ab === null || aa === null || bb === null || aa <= 0 || bb <= 0 ? null : ab / Math.sqrt(aa * bb);
    };
    const pairs: Derivation[] = [];
    for (let i = 0; i < complete.length; i++)
      for (let j = i + 1; j < complete.length; j++) {
        const [a, b] = [complete[i]!, complete[j]!];
        if (exempt(a) || exempt(b) || singles.has(a) || singles.has(b)) continue;
        const ryi = corr(0, i + 1);
        const ryj = corr(0, j + 1);
        const rij = corr(i + 1, j + 1);
        if (ryi === null || ryj === null || rij === null) continue;
        const r2 = pairR2(ryi, ryj, rij);
        if (r2 !== null && r2 >= t.derivedR2 && ryi * ryi < t.derivedR2 && ryj * ryj < t.derivedR2)
          pairs.push({ columns: [a, b], r2, n });
      }
    const used = new Set<string>();
    for (const p of pairs.sort((x, y) => y.r2 - x.r2)) {
      if (p.columns.some((c) => used.has(c))) continue;
      p.columns.forEach((c) => used.add(c));
      out.push(p);
    }
  }
  return out.sort((a, b) => b.r2 - a.r2);
}

/** What the single-feature statistics say about the features, shared by leakage-single-feature and leakage-strong-features. */
interface SingleFeatureJudgement {
  /** One row per feature, for the summary. */
  table: ResultRow[];
  /** Features that determine the label, or are recorded almost only in one class: blockers. */
  blockers: FindingSpec[];
  /** Strong but plausible features, for the grouped minor finding. */
  strong: ResultRow[];
  /** Strong features that are earlier periods of the target's series. */
  series: ResultRow[];
  /** Strong features of a regression target that share its trend with time. */
  trend: ResultRow[];
  trendTarget: number | null;
}

function singleFeatureQueries(s: ReadinessSetup): Record<string, string> {
  const plan = leakagePlan(s);
  const queries: Record<string, string> = {};
  if (leakageAucParts(s).shapesFrom > 0) queries.aucs = leakageAucsQuery(s)!;
  plan.forEach((p, i) => {
    if (p.value && !p.auc && !p.bins) queries[`value_${i}`] = p.value;
  });
  const bins = plan.flatMap((p) => (p.bins ? [p.bins] : []));
  if (bins.length > 0) queries.bins = featureBinsQuery(s.sql, bins, ONE_RULE_BINS);
  const recorded = recordedQuery(s, plan);
  if (recorded) queries.presence = recorded;
  const trend = trendQuery(s);
  if (trend) queries.trend = trend;
  const derived = derivedQuery(s);
  if (derived) queries.cov = derived;
  return queries;
}

function judgeSingleFeatures(s: ReadinessSetup, r: QueryResults): SingleFeatureJudgement {
  const t = s.thresholds;
  const label = s.label!;
  const display = (c: string | null): string =>
    c === null ? '' : (label.classes.find((x) => x.label === c)?.display ?? c);
  const plan = leakagePlan(s);
  const { filled: filledRows, nonZero: nonZeroRows } = recordedByColumn(plan, r);
  const valueRows = valuesByFeature(plan, r);
  const trends = sharedTrends(s, r);
  const derived = new Set(
    derivations(s, r)
      .filter((d) => d.columns.length === 1)
      .map((d) => d.columns[0]!),
  );
  const out: SingleFeatureJudgement = {
    table: [],
    blockers: [],
    strong: [],
    series: [],
    trend: [],
    trendTarget: trends.target,
  };
  /** A strong or determining value measure: an earlier period or a shared trend explains it, else it is judged. */
  const explained = (name: string, entry: ResultRow): boolean => {
    if (isEarlierPeriod(name, label.column)) {
      out.series.push(entry);
      return true;
    }
    const rho = trends.columns.get(name);
    if (rho !== undefined) {
      out.trend.push({ ...entry, rhoWithTime: round(rho, 4) });
      return true;
    }
    return false;
  };
  plan.forEach((p, i) => {
    const name = p.column.name;
    const rows = valueRows[i] ?? [];
    if (p.method === 'spearman' || p.method === 'eta') {
      const row = first(rows);
      const strength =
        p.method === 'spearman' ? toNumber(row.rho) : Math.sqrt(Math.max(0, toNumber(row.eta_squared) ?? 0));
      const measure = p.method === 'spearman' ? 'Spearman ρ' : 'correlation ratio η';
      out.table.push({ column: name, method: measure, strength: round(strength, 4) });
      if (strength === null || Math.abs(strength) < t.strongRho) return;
      const entry: ResultRow = { column: name, measure, value: round(strength, 4) };
      if (explained(name, entry) || derived.has(name)) return;
      if (Math.abs(strength) < t.nearPerfectRho) {
        out.strong.push(entry);
        return;
      }
      const symbol = p.method === 'spearman' ? 'ρ' : 'η';
      out.blockers.push({
        severity: 'blocker',
        key: name,
        title: `${q(name)} alone determines ${q(label.column)}: they move together almost exactly (${symbol} = ${round(strength, 3)})`,
        columns: [name, label.column],
        evidence: {
          method: p.method === 'spearman' ? 'Spearman rank correlation' : 'correlation ratio',
          strength: round(strength, 4),
          threshold: t.nearPerfectRho,
          n: count(row.n),
        },
        sql: p.value ?? '',
        recommendation: `A column that tracks the target this closely is usually the target itself under another name, computed from it, or recorded after it. Find out how and when ${q(name)} is recorded; drop it unless it is truly known at the prediction point, and then a model may not be needed at all.`,
      });
      return;
    }
    // Class targets: first what is recorded (filled in, non-zero) by class, then the values.
    const presence = p.presence ? presenceAuc(s, filledRows.get(name) ?? []) : null;
    const counts = (rows: ResultRow[] | undefined, field: string): ConditionCount[] =>
      (rows ?? []).map((x) => ({ cls: toText(x.class) ?? '', rows: count(x.rows), hits: count(x[field]) }));
    const filledCounts = p.presence ? counts(filledRows.get(name), 'filled') : [];
    const nonZeroCounts = p.nonZero ? counts(nonZeroRows.get(name), 'nonzero') : [];
    const filledRule = determiningRule(filledCounts, t.determiningPrecision, t.determiningRecall);
    // "Non-zero" differs from "filled" only when some filled rows are zero.
    const labelledFilled = p.presence
      ? filledCounts.reduce((a, c) => a + c.hits, 0)
      : nonZeroCounts.reduce((a, c) => a + c.rows, 0);
    const nonZeroRule =
      nonZeroCounts.reduce((a, c) => a + c.hits, 0) < labelledFilled
        ? determiningRule(nonZeroCounts, t.determiningPrecision, t.determiningRecall)
        : null;
    const auc =
      p.method === 'rank-auc' || p.method === 'category-auc'
        ? p.value
          ? strongestAuc(s, rows)
          : null
        : null;
    const rule =
      p.method === 'one-rule' && p.value
        ? oneRule(
            rows.map((x) => ({ bin: count(x.bin), cls: toText(x.class) ?? '', rows: count(x.rows) })),
            p.bins?.method === 'rank',
            t.oneRuleMinBucket,
          )
        : null;
    out.table.push({
      column: name,
      method: p.value
        ? p.method === 'rank-auc'
          ? 'Mann–Whitney AUC'
          : p.method === 'category-auc'
            ? 'AUC of category rate'
            : 'one-rule λ'
        : 'presence only (ID-like or too many categories)',
      ...(p.method === 'one-rule'
        ? {
            strength: rule ? round(rule.lambda, 4) : null,
            accuracy: rule ? round(rule.accuracy, 4) : null,
            entropyShare: rule ? round(rule.uncertainty, 4) : null,
          }
        : { auc: auc ? round(auc.auc, 4) : null, class: auc ? display(auc.cls) : null }),
      presenceAuc: presence ? round(presence.auc, 4) : null,
    });
    if (presence && presence.auc >= t.presenceAuc) {
      out.blockers.push({
        severity: 'blocker',
        key: name,
        title: `Whether ${q(name)} is filled in determines ${q(label.column)}: filled for ${fmtPct(presence.filledIn)} of ${display(presence.cls)} rows and ${fmtPct(presence.filledRest)} of the others`,
        columns: [name, label.column],
        evidence: {
          presenceAuc: round(presence.auc, 4),
          filledShareInClass: round(presence.filledIn, 4),
          filledShareOthers: round(presence.filledRest, 4),
          class: display(presence.cls),
          valueAuc: auc ? round(auc.auc, 4) : null,
          threshold: t.presenceAuc,
        },
        details: (filledRows.get(name) ?? []).map((x) => ({
          class: display(toText(x.class)),
          rows: count(x.rows),
          filled: count(x.filled),
        })),
        sql: p.presence!,
        recommendation: `${q(name)} is only recorded when the outcome has happened (like a cancellation reason filled in for churners only): it leaks the label. Drop it from the features, or rebuild it as it was known at the prediction point.`,
      });
      return;
    }
    const recorded = filledRule
      ? { rule: filledRule, what: 'filled in', field: 'filled', rows: filledRows.get(name), sql: p.presence! }
      : nonZeroRule
        ? {
            rule: nonZeroRule,
            what: 'non-zero',
            field: 'nonzero',
            rows: nonZeroRows.get(name),
            sql: p.nonZero!,
          }
        : null;
    if (recorded) {
      const x = recorded.rule;
      const cls = display(x.cls);
      out.blockers.push({
        severity: 'blocker',
        key: name,
        title: `${q(name)} is ${recorded.what} almost only for ${q(cls)} rows: ${fmtPct(x.precision)} of the ${fmtInt(x.support)} rows where it is ${recorded.what} are ${q(cls)}, and they are ${fmtPct(x.recall)} of all ${q(cls)} rows`,
        columns: [name, label.column],
        evidence: {
          rule: `${recorded.what} ⇒ ${cls}`,
          class: cls,
          rowsWhere: x.support,
          rowsOfClass: x.hits,
          precision: round(x.precision, 4),
          balancedPrecision: round(x.balancedPrecision, 4),
          recall: round(x.recall, 4),
          shareOthers: round(x.rateOthers, 4),
          valueAuc: auc ? round(auc.auc, 4) : null,
          precisionThreshold: t.determiningPrecision,
          recallThreshold: t.determiningRecall,
        },
        details: (recorded.rows ?? []).map((row) => ({
          class: display(toText(row.class)),
          rows: count(row.rows),
          [recorded.what]: count(row[recorded.field]),
        })),
        sql: recorded.sql,
        recommendation: `A value that is ${recorded.what} almost only once the outcome has happened (an amount recovered after a charge-off, a refund after a cancellation) is recorded after the fact: it leaks the label, whatever its overall AUC. Drop ${q(name)}, or rebuild it as it stood at the prediction point.`,
      });
      return;
    }
    if (auc && auc.auc >= t.strongAuc) {
      const entry: ResultRow = {
        column: name,
        measure: p.method === 'rank-auc' ? 'Mann–Whitney AUC' : 'AUC of the per-category rate',
        value: round(auc.auc, 4),
      };
      if (explained(name, entry)) return;
      if (auc.auc < t.nearPerfectAuc) {
        out.strong.push(entry);
        return;
      }
      out.blockers.push({
        severity: 'blocker',
        key: name,
        title: `${q(name)} alone determines ${q(label.column)} (AUC ${round(auc.auc, 3)})`,
        columns: [name, label.column],
        evidence: {
          method: entry.measure,
          auc: round(auc.auc, 4),
          rawAuc: round(auc.raw, 4),
          class: display(auc.cls),
          threshold: t.nearPerfectAuc,
        },
        details: rows.map((x) => ({
          class: display(toText(x.class)),
          auc: round(toNumber(x.auc), 4),
          positives: count(x.positives),
          negatives: count(x.negatives),
        })),
        sql: p.value ?? '',
        recommendation: `A single column that separates the classes this completely is almost always recorded at or after the outcome, or computed from it. Find out when ${q(name)} becomes known; drop it unless it is truly available at the prediction point.`,
      });
      return;
    }
    if (rule && rule.lambda !== null && rule.lambda >= t.strongOneRule) {
      const entry: ResultRow = { column: name, measure: 'one-rule λ', value: round(rule.lambda, 4) };
      if (explained(name, entry)) return;
      if (rule.lambda < t.nearPerfectOneRule) {
        out.strong.push({ ...entry, accuracy: round(rule.accuracy, 4) });
        return;
      }
      out.blockers.push({
        severity: 'blocker',
        key: name,
        title: `${q(name)} alone determines ${q(label.column)}: one rule on it is right for ${fmtPct(rule.accuracy)} of rows, where always guessing the commonest class is right for ${fmtPct(rule.rows ? rule.commonest / rule.rows : 0)}`,
        columns: [name, label.column],
        evidence: {
          method: 'one-rule (Holte 1993)',
          accuracy: round(rule.accuracy, 4),
          baselineAccuracy: round(rule.rows ? rule.commonest / rule.rows : 0, 4),
          lambda: round(rule.lambda, 4),
          entropyShare: round(rule.uncertainty, 4),
          intervals: rule.intervals.length,
          threshold: t.nearPerfectOneRule,
        },
        details: rule.intervals.slice(0, 50).map((x) => ({
          from: toText(rows.find((b) => count(b.bin) === x.firstBin)?.lo),
          to: toText(rows.find((b) => count(b.bin) === x.lastBin)?.hi),
          predicts: display(x.cls),
          rows: x.rows,
          right: x.correct,
        })),
        sql: p.value ?? '',
        recommendation: `One column that gives every class away is almost always recorded at or after the outcome, or computed from it. Find out when ${q(name)} becomes known; drop it unless it is truly available at the prediction point.`,
      });
    }
  });
  return out;
}

/** The standalone statements that measure these features alone, for a finding that groups them. */
function featureStatements(s: ReadinessSetup, columns: readonly string[]): string {
  const wanted = new Set(columns);
  return leakagePlan(s)
    .filter((p) => wanted.has(p.column.name))
    .flatMap((p) => (p.value === undefined ? [] : [p.value]))
    .join(';\n');
}

export const leakageSingleFeature: CheckDefinition = {
  id: 'leakage-single-feature',
  area: 'leakage',
  meaning:
    'A single field predicts the label almost perfectly, which usually means it is only known after the outcome.',
  fix: 'pipeline',
  owner: 'ml-engineering',
  chart: featureStrengthChart,
  inWords: 'features that give the answer away (leakage)',
  description:
    'Features that determine the label alone (AUC ≥ 0.99 for binary targets, a one-rule for multiclass ones, |Spearman ρ| or η ≥ 0.99 for regression) or are filled in / non-zero almost only in one class; earlier periods of a series and shared trends with time, said as such.',
  evidence: {
    method: { label: 'Measure', kind: 'text' },
    strength: { label: 'Strength', kind: 'number' },
    threshold: { label: 'Flagged from', kind: 'number' },
    n: { label: 'Rows compared', kind: 'count' },
    presenceAuc: { label: 'AUC of “is filled in”', kind: 'number' },
    filledShareInClass: { label: 'Filled in, within the class', kind: 'share' },
    filledShareOthers: { label: 'Filled in, other rows', kind: 'share' },
    class: { label: 'Class', kind: 'text' },
    valueAuc: { label: 'AUC of the value', kind: 'number' },
    rule: { label: 'Rule', kind: 'text' },
    rowsWhere: { label: 'Rows where the rule holds', kind: 'count' },
    rowsOfClass: { label: 'Of which in the class', kind: 'count' },
    precision: { label: 'Precision', kind: 'share' },
    balancedPrecision: { label: 'Precision at balanced classes', kind: 'share' },
    recall: { label: 'Recall', kind: 'share' },
    shareOthers: { label: 'Share of other rows it catches', kind: 'share' },
    precisionThreshold: { label: 'Flagged from a precision of', kind: 'share' },
    recallThreshold: { label: 'Flagged from a recall of', kind: 'share' },
    auc: { label: 'AUC', kind: 'number' },
    rawAuc: { label: 'AUC before orienting', kind: 'number' },
    accuracy: { label: 'Accuracy of the one rule', kind: 'share' },
    baselineAccuracy: { label: 'Accuracy of always the commonest class', kind: 'share' },
    lambda: { label: 'Error reduction (λ)', kind: 'number' },
    entropyShare: { label: 'Uncertainty explained', kind: 'share' },
    intervals: { label: 'Bins or values', kind: 'count' },
    features: { label: 'Features', kind: 'count' },
    targetRhoWithTime: { label: 'Target’s correlation with time', kind: 'number' },
    determining: { label: 'Features that give the answer away', kind: 'count' },
    strong: { label: 'Strong features', kind: 'count' },
  },
  dependsOn: [...FEATURE_DEPS, ...LABEL_DEPS, 'thresholds'],
  applies: (s) => s.label !== undefined && leakagePlan(s).length > 0,
  // Value AUCs by counts in one statement, one-rule bins in another, every column's presence and
  // non-zero counts in a third, the rest one statement each; each finding still shows its feature's own statement.
  queries: singleFeatureQueries,
  findings(s, r) {
    const make = finder(s, this.id, this.area);
    const t = s.thresholds;
    const label = s.label!;
    const j = judgeSingleFeatures(s, r);
    const out: Finding[] = j.blockers.map(make);
    const names = (rows: ResultRow[]): string =>
      rows.length > 5
        ? `${rows
            .slice(0, 4)
            .map((x) => q(toText(x.column)))
            .join(', ')} and ${rows.length - 4} more columns`
        : rows.map((x) => q(toText(x.column))).join(', ');
    if (j.series.length > 0)
      out.push(
        make({
          severity: 'info',
          key: 'series',
          title: `${names(j.series)} ${j.series.length === 1 ? 'is an earlier period' : 'are earlier periods'} of the series ${q(label.column)}: ${j.series.length === 1 ? 'its' : 'their'} strong link to it is the series carrying on, not leakage`,
          columns: [...j.series.map((x) => toText(x.column)!), label.column],
          evidence: { features: j.series.length },
          details: j.series,
          sql: featureStatements(
            s,
            j.series.map((x) => toText(x.column)!),
          ),
          recommendation:
            'Earlier values of the same series are legitimate inputs when they are known at the prediction point. Validate on a time split (train on earlier periods, test on later ones) so the score reflects forecasting, not interpolation.',
        }),
      );
    if (j.trend.length > 0)
      out.push(
        make({
          severity: 'info',
          key: 'trend',
          title: `${names(j.trend)} and ${q(label.column)} all trend with ${q(s.time!.column)} (|ρ with time| ≥ ${t.sharedTrendRho}): their correlation is a shared trend, not leakage`,
          columns: [...j.trend.map((x) => toText(x.column)!), label.column, s.time!.column],
          evidence: {
            features: j.trend.length,
            targetRhoWithTime: round(j.trendTarget, 4),
            threshold: t.sharedTrendRho,
          },
          details: j.trend,
          sql: trendQuery(s) ?? '',
          recommendation:
            'Series that all rise or fall with time correlate with each other whatever their link. Judge the features on a time split, and on changes (differences) rather than levels, before trusting them.',
        }),
      );
    out.unshift(
      make({
        severity: 'info',
        key: 'summary',
        title: `Single-feature predictive power of ${plural(j.table.length, 'feature', fmtInt(j.table.length))}`,
        columns: [label.column],
        evidence: { features: j.table.length, determining: j.blockers.length, strong: j.strong.length },
        details: j.table.sort(
          (a, b) => (toNumber(b.auc ?? b.strength) ?? 0) - (toNumber(a.auc ?? a.strength) ?? 0),
        ),
        sql: leakagePlan(s)
          .flatMap((p) => [p.value, p.presence, p.nonZero].filter((x): x is string => x !== undefined))
          .join(';\n'),
        recommendation:
          'Start modelling from the strongest honest features; anything close to perfect deserves a leakage review before it is trusted.',
      }),
    );
    return out;
  },
};

export const leakageStrongFeatures: CheckDefinition = {
  id: 'leakage-strong-features',
  area: 'leakage',
  meaning:
    'Some fields predict the label strongly but plausibly; confirm each is known when the prediction is made.',
  fix: 'pipeline',
  owner: 'ml-engineering',
  inWords: 'features strong enough to confirm before trusting them',
  description:
    'Strong but plausible single features (AUC or one-rule λ 0.95–0.99, |ρ| 0.9–0.99), grouped into one finding that asks when each value becomes known.',
  evidence: {
    features: { label: 'Strong features', kind: 'count' },
    strongest: { label: 'Strongest feature', kind: 'text' },
    strongestValue: { label: 'Its strength', kind: 'number' },
    measure: { label: 'Measured by', kind: 'text' },
  },
  dependsOn: [...FEATURE_DEPS, ...LABEL_DEPS, 'thresholds'],
  applies: (s) => s.label !== undefined && leakagePlan(s).length > 0,
  // The same statements as leakage-single-feature's, so the run executes them once.
  queries: singleFeatureQueries,
  findings(s, r) {
    const make = finder(s, this.id, this.area);
    const t = s.thresholds;
    const label = s.label!;
    const { strong } = judgeSingleFeatures(s, r);
    if (strong.length === 0) return [];
    const sorted = [...strong].sort(
      (a, b) => Math.abs(toNumber(b.value) ?? 0) - Math.abs(toNumber(a.value) ?? 0),
    );
    const names = sorted.map((x) => toText(x.column)!);
    const range =
      label.kind === 'numeric'
        ? `|ρ| ${t.strongRho}–${t.nearPerfectRho}`
        : isMulticlass(s)
          ? `one-rule λ ${t.strongOneRule}–${t.nearPerfectOneRule}`
          : `AUC ${t.strongAuc}–${t.nearPerfectAuc}`;
    const shown = names.slice(0, 5).map(q).join(', ');
    return [
      make({
        severity: 'minor',
        key: 'summary',
        title: `${names.length === 1 ? `${shown} is a strong single predictor` : `${names.length} features are strong single predictors`} of ${q(label.column)} (${range})${names.length > 1 ? `: ${shown}${names.length > 5 ? '…' : ''}` : ''}; confirm when each value becomes known`,
        columns: names,
        evidence: {
          features: names.length,
          strongest: toText(sorted[0]!.column),
          strongestValue: toNumber(sorted[0]!.value),
          measure: toText(sorted[0]!.measure),
        },
        details: sorted,
        sql: featureStatements(s, names),
        recommendation:
          'Strong but plausible: measurements like these can genuinely predict the outcome. For each, confirm it is recorded before the prediction point, not after the outcome and not computed from it, then waive this finding with that answer; drop any that is not.',
      }),
    ];
  },
};

export const leakageDerived: CheckDefinition = {
  id: 'leakage-derived',
  area: 'leakage',
  meaning:
    'The target can be computed from other fields, so a model would recompute it rather than predict it.',
  fix: 'pipeline',
  owner: 'ml-engineering',
  inWords: 'columns computed from the target',
  description:
    'Regression targets that one numeric feature, or a pair of them, reproduces almost exactly (R² ≥ 0.99): the target derived from features, or features derived from the target.',
  evidence: {
    r2: { label: 'R² of the fit', kind: 'number' },
    rows: { label: 'Rows fitted', kind: 'count' },
    threshold: { label: 'Flagged from an R² of', kind: 'number' },
    features: { label: 'Features in the formula', kind: 'count' },
  },
  dependsOn: [...FEATURE_DEPS, ...LABEL_DEPS, 'thresholds'],
  applies: (s) => derivedQuery(s) !== undefined,
  queries: (s) => {
    const queries: Record<string, string> = { cov: derivedQuery(s)! };
    const trend = trendQuery(s);
    if (trend) queries.trend = trend;
    return queries;
  },
  findings(s, r) {
    const make = finder(s, this.id, this.area);
    const t = s.thresholds;
    const target = s.label!.column;
    return derivations(s, r).map((d) => {
      const [a, b] = d.columns as [string, string | undefined];
      const which = b ? `${q(a)} and ${q(b)} together` : `${q(a)} alone`;
      return make({
        severity: 'blocker',
        key: d.columns.join('+'),
        title: `${q(target)} is (almost) an exact linear function of ${which} (R² = ${round(d.r2, 4)}): a column derived from the target, or the target from them`,
        columns: [...d.columns, target],
        evidence: { r2: round(d.r2, 6), rows: d.n, threshold: t.derivedR2, features: d.columns.length },
        sql: derivedR2Query(s.sql, d.columns),
        recommendation: b
          ? `A target that two other columns reproduce exactly is bookkeeping, not something to learn: one of ${q(a)} and ${q(b)} is computed from ${q(target)} (like a real rate from a nominal rate minus inflation), or ${q(target)} from them. Find which, and drop the derived column; if the target is the derived one, it can be computed, not predicted.`
          : `${q(a)} reproduces ${q(target)} up to a rescaling: it is the target under another name, computed from it, or recorded after it. Drop it, or use it only if it is truly known at the prediction point.`,
      });
    });
  },
};

function idLikeColumns(s: ReadinessSetup): ColumnFacts[] {
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
function cheapIdShapeSql(s: ReadinessSetup, c: ColumnFacts): string {
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

export const leakageIdLike: CheckDefinition = {
  id: 'leakage-id-like',
  area: 'leakage',
  meaning: 'An identifier carries signal about the label; a model would memorise IDs instead of learning.',
  fix: 'pipeline',
  owner: 'ml-engineering',
  inWords: 'IDs that predict the label',
  description:
    'ID-like columns that predict the label, through their order (sequential IDs) or their shape (prefixes, lengths).',
  evidence: {
    rho: { label: 'Rank correlation with the target', kind: 'number' },
    threshold: { label: 'Flagged from', kind: 'number' },
    orderAuc: { label: 'AUC of the ID order', kind: 'number' },
    shapeAuc: { label: 'AUC of the ID shape', kind: 'number' },
    shapes: { label: 'ID shapes', kind: 'count' },
  },
  dependsOn: [...FEATURE_DEPS, ...LABEL_DEPS, 'thresholds'],
  applies: (s) => s.label !== undefined && idLikeColumns(s).length > 0,
  queries: (s) => {
    const queries: Record<string, string> = {};
    idLikeColumns(s).forEach((c, i) => {
      queries[`order_${i}`] =
        s.label!.kind === 'numeric'
          ? spearmanQuery(s.sql, ident(c.name))
          : rankAucQuery(s.sql, ident(c.name), rankOptions(c));
    });
    // The shapes run in leakage-single-feature's statement (the same SQL, run once), as does the trend.
    const aucs = s.label!.kind === 'classes' ? leakageAucsQuery(s) : undefined;
    if (aucs) queries.aucs = aucs;
    const trend = trendQuery(s);
    if (trend) queries.trend = trend;
    return queries;
  },
  findings(s, r) {
    const make = finder(s, this.id, this.area);
    const t = s.thresholds;
    const label = s.label!;
    const out: Finding[] = [];
    const { shapesFrom } = leakageAucParts(s);
    // An ID that rises with time tracks a target that trends with time: leakage-single-feature says so.
    const trends = sharedTrends(s, r).columns;
    idLikeColumns(s).forEach((c, i) => {
      if (label.kind === 'numeric') {
        const rho = toNumber(first(r[`order_${i}`]).rho);
        if (rho !== null && Math.abs(rho) >= t.strongRho && !trends.has(c.name))
          out.push(
            make({
              severity: 'major',
              key: c.name,
              title: `ID-like ${q(c.name)} tracks ${q(label.column)} (ρ = ${round(rho, 3)})`,
              columns: [c.name, label.column],
              evidence: { rho: round(rho, 4), threshold: t.strongRho },
              sql: spearmanQuery(s.sql, ident(c.name)),
              recommendation:
                'Identifiers should carry no signal; find out how they were assigned, and never use them as features.',
            }),
          );
        return;
      }
      const order = strongestAuc(s, r[`order_${i}`] ?? []);
      const shapeRows = aucPart(r, shapesFrom + i);
      const categories = count(shapeRows[0]?.categories);
      const shapeUsable = categories > 1 && c.nonNull / categories >= t.aucMinRowsPerCategory;
      const shape = shapeUsable ? strongestAuc(s, shapeRows) : null;
      const best = [order && { kind: 'order', ...order }, shape && { kind: 'shape', ...shape }]
        .filter((x): x is NonNullable<typeof x> => !!x)
        .sort((a, b) => b.auc - a.auc)[0];
      if (!best || best.auc < t.idLikeAuc) return;
      out.push(
        make({
          severity: 'major',
          key: c.name,
          title: `ID-like ${q(c.name)} predicts ${q(label.column)} through its ${best.kind === 'order' ? 'order' : 'format'} (AUC ${round(best.auc, 3)})`,
          columns: [c.name, label.column],
          evidence: {
            orderAuc: order ? round(order.auc, 4) : null,
            shapeAuc: shape ? round(shape.auc, 4) : null,
            shapes: categories,
            threshold: t.idLikeAuc,
          },
          sql:
            best.kind === 'order'
              ? rankAucQuery(s.sql, ident(c.name), rankOptions(c))
              : categoryAucQuery(s.sql, idShapeSql(c.name)),
          recommendation:
            'Identifiers should carry no signal. Sequential IDs track time (and any drift in the label rate); prefixes may encode the outcome or the source. Never use the ID as a feature, and split by time or by source if that is what the ID encodes.',
        }),
      );
    });
    return out;
  },
};

function featureTimes(s: ReadinessSetup): ColumnFacts[] {
  return s.features.filter((c) => c.family === 'temporal' || c.family === 'date-text');
}

type Reference = { kind: 'column'; ref: { column: string; type: string } } | { kind: 'date'; iso: string };

function predictionReference(s: ReadinessSetup): Reference | null {
  const point = s.input.context.predictionPoint.trim();
  if (/^\d{4}-\d{2}-\d{2}$/.test(point)) return { kind: 'date', iso: point };
  if (s.time) return { kind: 'column', ref: s.time };
  return null;
}

export const leakageTimestamps: CheckDefinition = {
  id: 'leakage-timestamps',
  area: 'leakage',
  meaning: 'A timestamp is recorded after the outcome, so it leaks the answer into training.',
  fix: 'pipeline',
  owner: 'ml-engineering',
  inWords: 'feature dates after the prediction point',
  description:
    'Feature timestamps later than the prediction point (the event time, or a fixed prediction date) or than the outcome time.',
  evidence: {
    afterPredictionPoint: { label: 'Rows after the prediction point', kind: 'count' },
    compared: { label: 'Rows compared', kind: 'count' },
    share: { label: 'Share after the prediction point', kind: 'share' },
    afterOutcome: { label: 'Rows after the outcome', kind: 'count' },
    comparedOutcome: { label: 'Rows compared with the outcome', kind: 'count' },
    outcomeShare: { label: 'Share after the outcome', kind: 'share' },
    majorAbove: { label: 'Major above', kind: 'share' },
  },
  dependsOn: [...FEATURE_DEPS, 'predictionPoint', 'thresholds'],
  applies: (s) => featureTimes(s).length > 0 && (predictionReference(s) !== null || s.outcome !== undefined),
  queries: (s) => {
    const reference = predictionReference(s) ?? { kind: 'column' as const, ref: s.outcome! };
    return Object.fromEntries(
      featureTimes(s).map((c, i) => [
        `after_${i}`,
        timestampsAfterQuery(s.sql, { column: c.name, type: c.type }, reference),
      ]),
    );
  },
  findings(s, r) {
    const make = finder(s, this.id, this.area);
    const t = s.thresholds;
    const reference = predictionReference(s) ?? { kind: 'column' as const, ref: s.outcome! };
    const referenceText =
      reference.kind === 'date' ? `the prediction date ${reference.iso}` : q(reference.ref.column);
    const out: Finding[] = [];
    featureTimes(s).forEach((c, i) => {
      const row = first(r[`after_${i}`]);
      const compared = count(row.compared);
      const after = count(row.after_reference);
      const comparedOutcome = count(row.compared_outcome);
      const afterOutcome = count(row.after_outcome);
      if (after === 0 && afterOutcome === 0) return;
      const share = compared ? after / compared : 0;
      const outcomeShare = comparedOutcome ? afterOutcome / comparedOutcome : 0;
      const severity = Math.max(share, outcomeShare) >= t.afterPredictionShareMajor ? 'major' : 'minor';
      out.push(
        make({
          severity,
          key: c.name,
          title: `${fmtInt(after)} ${q(c.name)} values are later than ${referenceText}${afterOutcome ? `, ${fmtInt(afterOutcome)} later than the outcome time` : ''}`,
          columns: [
            c.name,
            ...(reference.kind === 'column' ? [reference.ref.column] : []),
            ...(s.outcome && afterOutcome ? [s.outcome.column] : []),
          ],
          evidence: {
            afterPredictionPoint: after,
            compared,
            share: round(share, 5),
            afterOutcome,
            comparedOutcome,
            outcomeShare: round(outcomeShare, 5),
            majorAbove: t.afterPredictionShareMajor,
          },
          sql: timestampsAfterQuery(s.sql, { column: c.name, type: c.type }, reference),
          recommendation: `Information dated after the prediction point is not available when the model runs. Rebuild ${q(c.name)} as of the prediction point, or drop it.`,
        }),
      );
    });
    return out;
  },
};

/**
 * Whether the profile counted every value of the column exactly and found each
 * once: then no value repeats, and nothing needs counting again.
 */
function knownUnique(s: ReadinessSetup, c: ColumnFacts): boolean {
  const profile = s.input.profile;
  if (!profile || profile.sample.sampled) return false;
  const column = profile.columns.find((p) => p.name === c.name);
  return !!column && !column.distinct.approximate && column.distinct.value === column.count;
}

export const leakageSplitDuplicates: CheckDefinition = {
  id: 'leakage-split-duplicates',
  area: 'leakage',
  meaning: 'Duplicates would land on both sides of a random split and inflate the measured accuracy.',
  fix: 'pipeline',
  owner: 'ml-engineering',
  inWords: 'duplicates a train/test split would share',
  description:
    'Duplicate rows (same features and label) that a train/test split would put on both sides (a split by the grouping column when structure-groups finds one), judged against the matches chance gives; and IDs spread over several rows.',
  evidence: {
    repeatedIds: { label: 'IDs on several rows', kind: 'count' },
    rows: { label: 'Rows in duplicate groups', kind: 'count' },
    maxRowsPerId: { label: 'Most rows for one ID', kind: 'count' },
    total: { label: 'Rows', kind: 'count' },
    groups: { label: 'Duplicate groups', kind: 'count' },
    share: { label: 'Share of rows', kind: 'share' },
    expectedStraddlingGroups: { label: 'Groups a random split would cut', kind: 'number' },
    matchingPairs: { label: 'Matching pairs', kind: 'count' },
    expectedPairsByChance: { label: 'Pairs expected by chance', kind: 'number' },
    chanceRatio: { label: 'Flagged from', kind: 'number', unit: '× chance' },
    groupedBy: { label: 'Entity column', kind: 'text' },
    expectedStraddlingGroupsByGroup: { label: 'Groups a split by entity would cut', kind: 'number' },
    groupsAcrossEntities: { label: 'Groups across entities', kind: 'count' },
    testShare: { label: 'Test share', kind: 'share' },
    majorAbove: { label: 'Major above', kind: 'share' },
    minStraddling: { label: 'Major from groups cut', kind: 'count' },
  },
  dependsOn: [...FEATURE_DEPS, ...LABEL_DEPS, 'thresholds'],
  applies: (s) => s.label !== undefined && s.features.length > 0,
  queries: (s) => ({
    // The same statements as labels-conflicting's, so the rows are grouped once for both checks.
    ...rowGroupsQueries(s),
    ...(s.id && !knownUnique(s, s.id) ? { ids: repeatedIdsQuery(s.sql) } : {}),
  }),
  findings(s, r) {
    const make = finder(s, this.id, this.area);
    const out: Finding[] = [];
    const a = assessRowGroups(s, r);
    if (a.groups > 0) out.push(make(splitDuplicatesSpec(s, a)));
    if (s.id && r.ids) {
      const ids = first(r.ids);
      const repeated = count(ids.ids);
      if (repeated > 0)
        out.push(
          make({
            severity: 'minor',
            key: 'ids',
            title: `${fmtInt(repeated)} ${q(s.id.name)} values occur on several rows (up to ${fmtInt(count(ids.max_rows))})`,
            columns: [s.id.name],
            evidence: {
              repeatedIds: repeated,
              rows: count(ids.rows),
              maxRowsPerId: count(ids.max_rows),
              total: count(ids.total),
            },
            sql: repeatedIdsQuery(s.sql),
            recommendation:
              'Rows of the same entity are not independent: split by ID (grouped cross-validation) so one customer is never in both train and test.',
          }),
        );
    }
    return out;
  },
};

import { featureBinsQuery } from '../sql/readiness-leakage';
import { type FindingSpec, count, first, fmtInt, fmtPct, q, round, toNumber, toText } from './findings';
import {
  type ConditionCount,
  type ConditionRule,
  type OneRuleResult,
  determiningRule,
  isEarlierPeriod,
  oneRule,
} from './leakage-judgement';
import type { ReadinessThresholds } from '../thresholds';
import type { LabelFacts, QueryResults, ReadinessSetup, ResultRow } from './types';
import {
  type FeaturePlan,
  ONE_RULE_BINS,
  leakageAucParts,
  leakageAucsQuery,
  leakagePlan,
  presenceAuc,
  recordedByColumn,
  recordedQuery,
  sharedTrends,
  strongestAuc,
  valuesByFeature,
  withTrend,
} from './leakage-plan';
import { derivations, derivedQuery } from './leakage-derived';

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

export function singleFeatureQueries(s: ReadinessSetup): Record<string, string> {
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
  const derived = derivedQuery(s);
  if (derived) queries.cov = derived;
  return withTrend(s, queries);
}

/** What one feature's judgement reads and writes, shared by the steps below. */
interface Judging {
  s: ReadinessSetup;
  t: ReadinessThresholds;
  label: LabelFacts;
  display: (c: string | null) => string;
  out: SingleFeatureJudgement;
  /** A strong or determining value measure: an earlier period or a shared trend explains it, else it is judged. */
  explained: (name: string, entry: ResultRow) => boolean;
  /** Features that reproduce a regression target alone (leakage-derived says so). */
  derived: ReadonlySet<string>;
  filledRows: Map<string, ResultRow[]>;
  nonZeroRows: Map<string, ResultRow[]>;
}

type Auc = NonNullable<ReturnType<typeof strongestAuc>>;
type Presence = NonNullable<ReturnType<typeof presenceAuc>>;
type Recorded = {
  rule: ConditionRule;
  what: string;
  field: string;
  rows: ResultRow[] | undefined;
  sql: string;
};

/** A numeric target: Spearman ρ (ordered features) or η (categorical ones). */
function judgeCorrelation(j: Judging, p: FeaturePlan, rows: ResultRow[]): void {
  const { t, out, label, explained, derived } = j;
  const name = p.column.name;
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
}

/** A class target: first what is recorded (filled in, non-zero) by class, then the values. */
function judgeClassFeature(j: Judging, p: FeaturePlan, rows: ResultRow[]): void {
  const { s, t, out, display, filledRows, nonZeroRows } = j;
  const name = p.column.name;
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
    p.method === 'rank-auc' || p.method === 'category-auc' ? (p.value ? strongestAuc(s, rows) : null) : null;
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
    out.blockers.push(presenceBlocker(j, p, presence, auc));
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
  if (recorded) out.blockers.push(recordedBlocker(j, name, recorded, auc));
  else if (auc && auc.auc >= t.strongAuc) judgeAuc(j, p, rows, auc);
  else if (rule && rule.lambda !== null && rule.lambda >= t.strongOneRule) judgeOneRule(j, p, rows, rule);
}

/** Filled in almost only for one class: the value is recorded once the outcome is known. */
function presenceBlocker(j: Judging, p: FeaturePlan, presence: Presence, auc: Auc | null): FindingSpec {
  const { t, label, display, filledRows } = j;
  const name = p.column.name;
  return {
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
  };
}

/** Filled in, or non-zero, almost only for one class: a determining condition. */
function recordedBlocker(j: Judging, name: string, recorded: Recorded, auc: Auc | null): FindingSpec {
  const { t, label, display } = j;
  const x = recorded.rule;
  const cls = display(x.cls);
  return {
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
  };
}

/** A class target's AUC: strong, or determining (a blocker). */
function judgeAuc(j: Judging, p: FeaturePlan, rows: ResultRow[], auc: Auc): void {
  const { t, out, label, display, explained } = j;
  const name = p.column.name;
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
}

/** A multiclass target's one-rule λ: strong, or determining (a blocker). */
function judgeOneRule(j: Judging, p: FeaturePlan, rows: ResultRow[], rule: OneRuleResult): void {
  const { t, out, label, display, explained } = j;
  const name = p.column.name;
  if (rule.lambda === null) return;
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

function judgeAll(s: ReadinessSetup, r: QueryResults): SingleFeatureJudgement {
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
  const j: Judging = { s, t, label, display, out, explained, derived, filledRows, nonZeroRows };
  plan.forEach((p, i) => {
    const rows = valueRows[i] ?? [];
    if (p.method === 'spearman' || p.method === 'eta') judgeCorrelation(j, p, rows);
    else judgeClassFeature(j, p, rows);
  });
  return out;
}

const judged = new WeakMap<ReadinessSetup, { results: QueryResults; judgement: SingleFeatureJudgement }>();

/** Whether two checks' results hold the same statements' rows (the runner caches rows by statement). */
function sameResults(a: QueryResults, b: QueryResults): boolean {
  const keys = Object.keys(a);
  return keys.length === Object.keys(b).length && keys.every((k) => a[k] === b[k]);
}

/**
 * The single-feature judgement, computed once per run: leakage-single-feature
 * and leakage-strong-features run the same statements and read the same
 * judgement (the second check gets it from the first's results).
 */
export function judgeSingleFeatures(s: ReadinessSetup, r: QueryResults): SingleFeatureJudgement {
  const hit = judged.get(s);
  if (hit && sameResults(hit.results, r)) return hit.judgement;
  const judgement = judgeAll(s, r);
  judged.set(s, { results: r, judgement });
  return judgement;
}

/** The standalone statements that measure these features alone, for a finding that groups them. */
export function featureStatements(s: ReadinessSetup, columns: readonly string[]): string {
  const wanted = new Set(columns);
  return leakagePlan(s)
    .filter((p) => wanted.has(p.column.name))
    .flatMap((p) => (p.value === undefined ? [] : [p.value]))
    .join(';\n');
}

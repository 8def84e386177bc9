import type { ColumnProfile, Finding } from '../model/audit';
import { formatCount, formatDuration, formatNumber, formatShare, plural } from '../format';
import {
  duplicateRowsSql,
  duplicateValuesSql,
  freshnessSql,
  notAcceptedSql,
  nullRowsSql,
  nullShareSql,
  outOfRangeSql,
  rowCountSql,
} from '../sql/interop';
import { sqlKind } from '../sql/types';
import { INTEROP_THRESHOLDS } from '../thresholds';
import {
  allDistinct,
  eventTimeRef,
  keyLikeName,
  findingOf,
  invalidValueRules,
  type DeriveContext,
} from './derive-values';
import { SPEC_TOKENS, type SpecColumn, type SpecObject, type SpecRule } from './spec';

/**
 * The rules read from one dataset's profile and roles: volume, duplicate
 * rows, freshness (table level), and per column not-null, null rate,
 * uniqueness, accepted values, range and invalid values.
 */

const T = SPEC_TOKENS.table;

/** Table-level rules: row count, duplicate rows, freshness. */
export function tableRules(ctx: DeriveContext, o: SpecObject): SpecRule[] {
  const profile = ctx.doc.profiles[o.datasetId];
  if (!profile) return [];
  const rules: SpecRule[] = [];
  const rows = profile.rows;
  const minRows = Math.floor(rows * INTEROP_THRESHOLDS.minRowsShare);
  rules.push({
    id: `row-count:${o.objectName}`,
    kind: 'row-count',
    object: o.objectName,
    columns: [],
    dimension: 'completeness',
    severity: 'error',
    description: `${o.objectName} has at least ${formatCount(minRows)} rows (${formatShare(INTEROP_THRESHOLDS.minRowsShare)} of the ${formatCount(rows)} audited).`,
    measure: 'rows',
    expect: { op: '>=', threshold: minRows },
    sql: rowCountSql(T),
    observed: rows,
    params: { minRows },
    source: { from: 'volume' },
  });

  const names = o.columns.map((c) => c.name);
  if (names.length > 0) {
    const dup = duplicateRowsSql(T, names);
    const finding = findingOf(ctx, o.datasetId, 'quality-duplicates');
    rules.push({
      id: `duplicate-rows:${o.objectName}`,
      kind: 'duplicate-rows',
      object: o.objectName,
      columns: [],
      dimension: 'uniqueness',
      severity: 'warn',
      description: `No row of ${o.objectName} is an exact copy of another (the audit found ${plural(profile.duplicateRows, 'extra copy', 'extra copies')}).`,
      measure: 'violations',
      expect: { op: '=', threshold: 0 },
      ...dup,
      observed: profile.duplicateRows,
      params: {},
      source: finding
        ? { from: 'finding', check: finding.check, findingId: finding.id }
        : { from: 'profile' },
    });
  }

  const time = eventTimeRef(ctx, o);
  const age = time ? recencyAge(ctx, o.datasetId, time.column) : undefined;
  if (time && age) {
    const maxAgeDays = INTEROP_THRESHOLDS.freshnessMaxAgeDays;
    rules.push({
      id: `freshness:${o.objectName}:${time.column}`,
      kind: 'freshness',
      object: o.objectName,
      columns: [time.column],
      dimension: 'timeliness',
      severity: 'warn',
      description: `The newest ${time.column} is at most ${formatDuration(maxAgeDays, 'day')} old on the run date (${formatDuration(age.days, 'day')} at the audit).`,
      measure: 'days',
      expect: { op: '<=', threshold: maxAgeDays },
      sql: freshnessSql(T, time, SPEC_TOKENS.today),
      observed: age.days,
      params: { maxAgeDays },
      source: { from: 'finding', check: age.finding.check, findingId: age.finding.id },
    });
  }
  return rules;
}

/**
 * The newest event time's age from the coverage-recency finding, when it was
 * measured in days from the newest value (a period-granular time is measured
 * from its period's end, which SQL on the values does not reproduce).
 */
function recencyAge(
  ctx: DeriveContext,
  datasetId: string,
  column: string,
): { days: number; finding: Finding } | undefined {
  const finding = findingOf(ctx, datasetId, 'coverage-recency', column);
  const days = finding?.evidence.ageDays;
  if (!finding || typeof days !== 'number' || finding.evidence.newestPeriodEnd) return undefined;
  return { days, finding };
}

function ruleBase(o: SpecObject, c: SpecColumn) {
  return { object: o.objectName, columns: [c.name] };
}

/** Per-column rules, from the profile (and the findings that name sentinel values). */
export function columnRules(ctx: DeriveContext, o: SpecObject): SpecRule[] {
  const profile = ctx.doc.profiles[o.datasetId];
  if (!profile) return [];
  const rules: SpecRule[] = [];
  const personal = ctx.personal.get(o.datasetId) ?? new Set<string>();
  for (const c of o.columns) {
    const p = profile.columns.find((x) => x.name === c.name);
    if (!p) continue;
    rules.push(...nullRules(ctx, o, c, p));
    const unique = uniqueRule(ctx, o, c, p);
    if (unique) rules.push(unique);
    if (personal.has(c.name)) continue;
    if (!ctx.strict && !profile.sample.sampled) {
      const accepted = acceptedValuesRule(o, c, p);
      if (accepted) rules.push(accepted);
    }
    if (!profile.sample.sampled) {
      const range = rangeRule(ctx, o, c, p);
      if (range) rules.push(range);
    }
    if (!ctx.strict) rules.push(...invalidValueRules(ctx, o, c));
  }
  return rules;
}

function nullRules(ctx: DeriveContext, o: SpecObject, c: SpecColumn, p: ColumnProfile): SpecRule[] {
  const rules: SpecRule[] = [];
  const isTarget = c.role === 'target';
  if (p.missing === 0 || isTarget) {
    const finding = isTarget ? findingOf(ctx, o.datasetId, 'labels-missing', c.name) : undefined;
    rules.push({
      id: `not-null:${o.objectName}:${c.name}`,
      kind: 'not-null',
      ...ruleBase(o, c),
      dimension: 'completeness',
      severity: isTarget || c.primaryKey ? 'error' : 'warn',
      description: isTarget
        ? `Every row of ${o.objectName} has a label in ${c.name} (the audit found ${plural(p.missing, 'missing label')}).`
        : `${c.name} is never missing (as at the audit).`,
      measure: 'violations',
      expect: { op: '=', threshold: 0 },
      ...nullRowsSql(T, c.name),
      observed: p.missing,
      params: {},
      source: isTarget
        ? { from: 'finding', check: 'labels-missing', ...(finding ? { findingId: finding.id } : {}) }
        : { from: 'profile' },
    });
  }
  const rows = ctx.doc.profiles[o.datasetId]?.rows ?? 0;
  if (p.missing > 0 && rows > 0) {
    const share = p.missing / rows;
    const maxShare = Math.min(1, share + INTEROP_THRESHOLDS.nullRateMargin);
    rules.push({
      id: `null-rate:${o.objectName}:${c.name}`,
      kind: 'null-rate',
      ...ruleBase(o, c),
      dimension: 'completeness',
      severity: 'warn',
      description: `At most ${formatShare(maxShare)} of ${c.name} is missing (${formatShare(share)} at the audit, plus ${formatShare(INTEROP_THRESHOLDS.nullRateMargin)}).`,
      measure: 'share',
      expect: { op: '<=', threshold: maxShare },
      sql: nullShareSql(T, c.name),
      observed: share,
      params: { maxShare },
      source: { from: 'profile' },
    });
  }
  return rules;
}

/**
 * Keys only: values seen more than once, from the audit's own count (0 for a
 * key whose values were all distinct, the relation's duplicate parent keys,
 * the ID check's repeated IDs). No rule when the audit has no exact count.
 */
function uniqueRule(
  ctx: DeriveContext,
  o: SpecObject,
  c: SpecColumn,
  p: ColumnProfile,
): SpecRule | undefined {
  const relation = ctx.relations.find(
    (r) => r.result && r.link.parent.dataset === o.datasetId && r.link.parent.column === c.name,
  );
  const repeated =
    c.role === 'id' ? findingOf(ctx, o.datasetId, 'leakage-split-duplicates', c.name) : undefined;
  let observed: number;
  let source: SpecRule['source'];
  if (c.unique && allDistinct(p)) {
    observed = 0;
    source = { from: 'profile' };
  } else if (relation?.result) {
    observed = relation.result.duplicateParentKeys;
    const finding = findingOf(ctx, o.datasetId, 'relations-duplicate-keys', c.name);
    source = finding
      ? { from: 'relation', check: finding.check, findingId: finding.id }
      : { from: 'relation' };
  } else if (repeated && typeof repeated.evidence.repeatedIds === 'number') {
    observed = repeated.evidence.repeatedIds;
    source = { from: 'finding', check: repeated.check, findingId: repeated.id };
  } else return undefined;
  return {
    id: `unique:${o.objectName}:${c.name}`,
    kind: 'unique',
    ...ruleBase(o, c),
    dimension: 'uniqueness',
    severity: 'error',
    description: `No ${c.name} value appears on two rows of ${o.objectName} (${plural(observed, 'repeated value')} at the audit).`,
    measure: 'violations',
    expect: { op: '=', threshold: 0 },
    ...duplicateValuesSql(T, [c.name]),
    observed,
    params: {},
    source,
  };
}

/**
 * Text categories whose every value the profile saw (nothing folded into
 * "other"), at most `acceptedValuesMaxDistinct` of them. Missing-like tokens
 * ("N/A", "-") are not accepted: the audit's rows holding them are the rule's
 * violations.
 */
function acceptedValuesRule(o: SpecObject, c: SpecColumn, p: ColumnProfile): SpecRule | undefined {
  if (p.family !== 'categorical' || sqlKind(c.physicalType) !== 'string') return undefined;
  if (c.role === 'id' || p.distinct.approximate || p.otherCount !== 0) return undefined;
  const seen = p.topK.filter((v) => v.value !== null);
  if (seen.length !== p.distinct.value || seen.length === 0) return undefined;
  if (seen.length > INTEROP_THRESHOLDS.acceptedValuesMaxDistinct) return undefined;
  const placeholders = new Set(p.missingLike.values.map((v) => v.value));
  const values = seen.filter((v) => !placeholders.has(v.value)).map((v) => String(v.value));
  const observed = seen.filter((v) => placeholders.has(v.value)).reduce((a, v) => a + v.count, 0);
  const placeholderWords = placeholders.size
    ? ` Placeholders such as missing-value tokens are not accepted (${plural(observed, 'row')} at the audit).`
    : '';
  return {
    id: `accepted-values:${o.objectName}:${c.name}`,
    kind: 'accepted-values',
    ...ruleBase(o, c),
    dimension: 'conformity',
    severity: 'warn',
    description: `${c.name} takes one of the ${formatCount(values.length)} values seen at the audit.${placeholderWords}`,
    measure: 'violations',
    expect: { op: '=', threshold: 0 },
    ...notAcceptedSql(T, c.name, values),
    observed,
    params: { values },
    source: { from: 'profile' },
  };
}

/** Numbers stay within the audited minimum and maximum (IDs and personal columns excluded). */
/** A key's numbers say nothing about range: key-like names and either end of a relation. */
function isKey(ctx: DeriveContext, o: SpecObject, column: string): boolean {
  return (
    keyLikeName(column) ||
    ctx.relations.some(
      (r) =>
        (r.link.child.dataset === o.datasetId && r.link.child.column === column) ||
        (r.link.parent.dataset === o.datasetId && r.link.parent.column === column),
    )
  );
}

function rangeRule(ctx: DeriveContext, o: SpecObject, c: SpecColumn, p: ColumnProfile): SpecRule | undefined {
  const kind = sqlKind(c.physicalType);
  if (p.family !== 'numeric' || c.role === 'id' || c.role === 'target' || isKey(ctx, o, c.name))
    return undefined;
  if (kind !== 'integer' && kind !== 'float' && kind !== 'decimal') return undefined;
  const min = p.numeric?.min;
  const max = p.numeric?.max;
  if (typeof min !== 'number' || typeof max !== 'number') return undefined;
  const sentinelWords = p.numeric?.sentinels.length
    ? ' The audited range includes placeholder values, which the invalid-values rule reports.'
    : '';
  return {
    id: `range:${o.objectName}:${c.name}`,
    kind: 'range',
    ...ruleBase(o, c),
    dimension: 'conformity',
    severity: 'warn',
    description: `${c.name} lies between ${formatNumber(min)} and ${formatNumber(max)}, the audited range.${sentinelWords}`,
    measure: 'violations',
    expect: { op: '=', threshold: 0 },
    ...outOfRangeSql(T, c.name, { min, max, float: kind === 'float' }),
    observed: 0,
    params: { min, max },
    source: { from: 'profile' },
  };
}

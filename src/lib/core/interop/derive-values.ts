import type { AuditDocument, ColumnProfile, ColumnRoles, Finding } from '../model/audit';
import type { RelationLink, RelationResult } from '../model/relations';
import { formatList, plural } from '../format';
import { invalidValuesSql } from '../sql/interop';
import type { TimeGranularity, TimeRef } from '../sql/readiness-common';
import { sqlKind } from '../sql/types';
import { SPEC_TOKENS, type SpecColumn, type SpecObject, type SpecRule } from './spec';

/**
 * What the rules read from the findings: the first finding of a check on a
 * dataset (and column), the event time as the time checks read it, and the
 * invalid values (numeric sentinels, missing-like tokens, placeholder dates)
 * that findings name, each turned into an `invalid-values` rule.
 */

/** What the rule builders read: the redacted audit and the spec's objects so far. */
export interface DeriveContext {
  /** The redacted copy: every text and value comes from here. */
  doc: AuditDocument;
  /**
   * The monitoring contract's statements, from the unredacted audit: the
   * redaction's pattern masking reads their long decimals as card or phone
   * numbers and breaks them. They carry no personal column (drift skips them).
   */
  contractSql: (column: string, statistic: string) => string | undefined;
  strict: boolean;
  /** Personal columns by dataset id (from the unredacted audit's detection and marks). */
  personal: ReadonlyMap<string, ReadonlySet<string>>;
  objects: readonly SpecObject[];
  objectOf: (datasetId: string) => SpecObject | undefined;
  profileOf: (datasetId: string, column: string) => ColumnProfile | undefined;
  rolesOf: (datasetId: string) => ColumnRoles | undefined;
  /** Relations the user accepted, with what their checks measured. */
  relations: readonly { link: RelationLink; result?: RelationResult }[];
}

/** Every value distinct, counted exactly, and at least one value. */
export function allDistinct(profile: ColumnProfile): boolean {
  const nonNull = profile.count - profile.missing;
  return !profile.distinct.approximate && nonNull > 0 && profile.distinct.value === nonNull;
}

const KEY_NAME = /(^|[^a-z])(id|key|uuid|guid)$|[a-z0-9]Id$/i;

/** A name that reads like a key: `id`, `customer_id`, `orderId`, `account_key`. */
export function keyLikeName(name: string): boolean {
  return KEY_NAME.test(name);
}

const GRANULARITIES: readonly TimeGranularity[] = ['instant', 'day', 'month', 'quarter', 'year'];

/** The first finding of `check` on the dataset, on `column` first when given; waived ones only with `waived`. */
export function findingOf(
  ctx: DeriveContext,
  datasetId: string,
  check: string,
  column?: string,
  options: { waived?: boolean } = {},
): Finding | undefined {
  const waived = new Set(ctx.doc.waivers.map((w) => w.findingId));
  return ctx.doc.findings.find(
    (f) =>
      f.datasetId === datasetId &&
      f.check === check &&
      (column === undefined || f.columns[0] === column) &&
      (options.waived !== false || !waived.has(f.id)),
  );
}

/** Whether a finding is open (not waived). */
export function isOpen(ctx: DeriveContext, finding: Finding): boolean {
  return !ctx.doc.waivers.some((w) => w.findingId === finding.id);
}

/** A time column as the readiness checks read it, with the granularity their coverage findings measured. */
export function timeRef(ctx: DeriveContext, o: SpecObject, column: string): TimeRef | undefined {
  const type = o.columns.find((c) => c.name === column)?.physicalType;
  // Numbers read as time need the encoding the time checks detected, which the audit does not keep.
  const kind = type ? sqlKind(type) : 'other';
  if (!type || (kind !== 'date' && kind !== 'timestamp' && kind !== 'string')) return undefined;
  const measured = ['coverage-span', 'coverage-recency']
    .map((check) => findingOf(ctx, o.datasetId, check, column)?.evidence.granularity)
    .find((g): g is TimeGranularity => GRANULARITIES.includes(g as TimeGranularity));
  return { column, type, ...(measured ? { granularity: measured } : {}) };
}

/** The dataset's event-time role as a time reference. */
export function eventTimeRef(ctx: DeriveContext, o: SpecObject): TimeRef | undefined {
  const column = ctx.rolesOf(o.datasetId)?.eventTime;
  return column ? timeRef(ctx, o, column) : undefined;
}

type Scalar = string | number | boolean;

/** Values and their rows from a finding's details, when they add up to the finding's own count. */
function listedValues(
  finding: Finding,
  valueKey: string,
  count: number,
  keep: (row: Record<string, unknown>) => boolean = () => true,
): Scalar[] | undefined {
  const rows = (finding.details ?? []).filter(keep);
  const values: Scalar[] = [];
  let total = 0;
  for (const row of rows) {
    const value = row[valueKey];
    const n = row.rows;
    if (
      typeof n !== 'number' ||
      (typeof value !== 'string' && typeof value !== 'number' && typeof value !== 'boolean')
    )
      return undefined;
    values.push(value);
    total += n;
  }
  return values.length > 0 && total === count ? values : undefined;
}

function invalidRule(
  o: SpecObject,
  c: SpecColumn,
  finding: Finding,
  values: Scalar[],
  observed: number,
  what: string,
  asDate = false,
): SpecRule {
  return {
    id: `invalid-values:${o.objectName}:${c.name}`,
    kind: 'invalid-values',
    object: o.objectName,
    columns: [c.name],
    dimension: 'accuracy',
    severity: finding.severity === 'blocker' || finding.severity === 'major' ? 'error' : 'warn',
    description: `${c.name} holds none of the ${what} ${formatList(values.map((v) => `“${String(v)}”`))} (${plural(observed, 'row')} at the audit).`,
    measure: 'violations',
    expect: { op: '=', threshold: 0 },
    ...invalidValuesSql(SPEC_TOKENS.table, c.name, values, { asDate }),
    observed,
    params: { values },
    source: { from: 'finding', check: finding.check, findingId: finding.id },
  };
}

/**
 * Invalid values an open finding names on this (non-personal) column:
 * numeric sentinels (quality-sentinels), missing-like tokens
 * (quality-missing-like) and known placeholder dates (time-sentinel). The
 * caller leaves out personal columns and strict mode.
 */
export function invalidValueRules(ctx: DeriveContext, o: SpecObject, c: SpecColumn): SpecRule[] {
  const rules: SpecRule[] = [];
  const open = (check: string) => findingOf(ctx, o.datasetId, check, c.name, { waived: false });
  const sentinels = open('quality-sentinels');
  const sentinelRows = sentinels?.evidence.rows;
  if (sentinels && typeof sentinelRows === 'number') {
    const values = listedValues(sentinels, 'value', sentinelRows);
    if (values) rules.push(invalidRule(o, c, sentinels, values, sentinelRows, 'placeholder values'));
  }
  const tokens = open('quality-missing-like');
  const tokenRows = tokens?.evidence.rows;
  if (tokens && typeof tokenRows === 'number' && sqlKind(c.physicalType) === 'string') {
    const values = listedValues(tokens, 'value', tokenRows);
    if (values) rules.push(invalidRule(o, c, tokens, values, tokenRows, 'missing-value tokens'));
  }
  const dates = open('time-sentinel');
  const dateRows = dates?.evidence.sentinelRows;
  const kind = sqlKind(c.physicalType);
  if (dates && typeof dateRows === 'number' && dateRows > 0 && (kind === 'date' || kind === 'timestamp')) {
    const values = listedValues(dates, 'day', dateRows, (row) => row.knownSentinel === true);
    if (values) rules.push(invalidRule(o, c, dates, values, dateRows, 'placeholder dates', true));
  }
  return rules;
}

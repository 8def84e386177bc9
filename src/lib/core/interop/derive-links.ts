import type { MonitoredStatistic } from '../model/drift';
import { formatDate, formatNumber, formatShare, plural } from '../format';
import {
  afterParentTimeRowsSql,
  beforeDateRowsSql,
  futureRowsSql,
  orphanRowsSql,
  outcomeBeforeEventSql,
  statisticSql,
} from '../sql/interop';
import { findingOf, isOpen, timeRef, type DeriveContext } from './derive-values';
import { SPEC_TOKENS, type SpecObject, type SpecRule } from './spec';

/**
 * The rules that read more than one column's profile: accepted relations
 * (orphan rows, point in time), findings that count violating rows (future
 * dates, outcome before event), and the monitoring contract's drift
 * statistics.
 */

const T = SPEC_TOKENS.table;
const severityOf = (s: string): SpecRule['severity'] => (s === 'blocker' || s === 'major' ? 'error' : 'warn');

/** Per accepted relation: child rows without a parent, and child rows after the parent's event time. */
export function relationRules(ctx: DeriveContext): SpecRule[] {
  const rules: SpecRule[] = [];
  for (const { link, result } of ctx.relations) {
    const child = ctx.objectOf(link.child.dataset);
    const parent = ctx.objectOf(link.parent.dataset);
    if (!child || !parent || !result) continue;
    const key = `${link.child.column}>${parent.objectName}.${link.parent.column}`;
    const orphans = findingOf(ctx, child.datasetId, 'relations-orphans', link.child.column);
    rules.push({
      id: `relationship:${child.objectName}:${key}`,
      kind: 'relationship',
      object: child.objectName,
      columns: [link.child.column],
      dimension: 'consistency',
      severity: 'error',
      description:
        `Every filled-in ${link.child.column} of ${child.objectName} exists in ${parent.objectName}.${link.parent.column}` +
        ` (${plural(result.orphanRows, 'row')} without a parent at the audit${result.comparedAsText ? '; keys compared as text' : ''}).`,
      measure: 'violations',
      expect: { op: '=', threshold: 0 },
      ...orphanRowsSql(
        { table: T, column: link.child.column },
        { table: SPEC_TOKENS.parent, column: link.parent.column },
        result.comparedAsText,
      ),
      observed: result.orphanRows,
      params: {
        parentObject: parent.objectName,
        parentColumn: link.parent.column,
        comparedAsText: result.comparedAsText,
      },
      source: orphans
        ? { from: 'relation', check: orphans.check, findingId: orphans.id }
        : { from: 'relation' },
    });
    const pit = result.pointInTime;
    const childTime = pit ? child.columns.find((c) => c.name === pit.childTime) : undefined;
    const parentTime = pit ? parent.columns.find((c) => c.name === pit.parentTime) : undefined;
    if (!pit || !childTime || !parentTime) continue;
    const finding = findingOf(ctx, child.datasetId, 'relations-point-in-time', link.child.column);
    rules.push({
      id: `sql:${child.objectName}:${key}:point-in-time`,
      kind: 'sql',
      object: child.objectName,
      columns: [link.child.column, pit.childTime],
      dimension: 'timeliness',
      severity: finding ? severityOf(finding.severity) : 'warn',
      description:
        `No ${child.objectName} row is dated (${pit.childTime}) after its ${parent.objectName} row's ${pit.parentTime}` +
        ` (${plural(pit.rowsAfterParentTime, 'row')}, ${formatShare(pit.share)} of ${plural(pit.timedRows, 'timed row')}, at the audit).`,
      measure: 'violations',
      expect: { op: '=', threshold: 0 },
      ...afterParentTimeRowsSql(
        {
          table: T,
          column: link.child.column,
          time: { column: childTime.name, type: childTime.physicalType },
        },
        {
          table: SPEC_TOKENS.parent,
          column: link.parent.column,
          time: { column: parentTime.name, type: parentTime.physicalType },
        },
        result.comparedAsText,
      ),
      observed: pit.rowsAfterParentTime,
      params: {
        parentObject: parent.objectName,
        parentColumn: link.parent.column,
        comparedAsText: result.comparedAsText,
      },
      source: finding
        ? { from: 'relation', check: finding.check, findingId: finding.id }
        : { from: 'relation' },
    });
  }
  return rules;
}

/** Open findings whose count is the number of rows breaking one condition: future dates, dates before the history, outcome before event. */
export function findingRules(ctx: DeriveContext): SpecRule[] {
  const rules: SpecRule[] = [];
  for (const f of ctx.doc.findings) {
    if (!isOpen(ctx, f)) continue;
    const o = ctx.objectOf(f.datasetId);
    if (!o) continue;
    const base = {
      kind: 'sql' as const,
      object: o.objectName,
      columns: [...f.columns],
      severity: severityOf(f.severity),
      measure: 'violations' as const,
      expect: { op: '=' as const, threshold: 0 },
      params: {},
      source: { from: 'time' as const, check: f.check, findingId: f.id },
    };
    if (f.check === 'time-future' && typeof f.evidence.future === 'number') {
      const ref = timeRef(ctx, o, f.columns[0] ?? '');
      if (!ref) continue;
      rules.push({
        ...base,
        id: `sql:${o.objectName}:${ref.column}:time-future`,
        dimension: 'accuracy',
        description: `No ${ref.column} is after the run date (${plural(f.evidence.future, 'row')} after ${formatDate(ctx.doc.context.asOf, 'day')} at the audit).`,
        ...futureRowsSql(T, ref, SPEC_TOKENS.today),
        observed: f.evidence.future,
      });
    }
    const from = f.evidence.historyFrom;
    if (f.check === 'time-before-start' && typeof f.evidence.early === 'number' && typeof from === 'string') {
      const ref = timeRef(ctx, o, f.columns[0] ?? '');
      if (!ref) continue;
      rules.push({
        ...base,
        id: `sql:${o.objectName}:${ref.column}:time-before-start`,
        dimension: 'coverage',
        description: `No ${ref.column} is before the expected history start, ${formatDate(from, 'day')} (${plural(f.evidence.early, 'row')} at the audit).`,
        ...beforeDateRowsSql(T, ref, from),
        observed: f.evidence.early,
      });
    }
    if (f.check === 'time-outcome-before-event' && typeof f.evidence.before === 'number') {
      const [eventColumn, outcomeColumn] = f.columns;
      const event = timeRef(ctx, o, eventColumn ?? '');
      const outcome = timeRef(ctx, o, outcomeColumn ?? '');
      if (!event || !outcome) continue;
      rules.push({
        ...base,
        id: `sql:${o.objectName}:${outcome.column}:time-outcome-before-event`,
        dimension: 'consistency',
        description: `No ${outcome.column} is before its row's ${event.column} (${plural(f.evidence.before, 'row')} at the audit).`,
        ...outcomeBeforeEventSql(T, event, outcome),
        observed: f.evidence.before,
      });
    }
  }
  return rules;
}

const STATISTIC_OUTPUT: Record<MonitoredStatistic['name'], string> = {
  psi: 'psi',
  'jensen-shannon': 'jensen_shannon',
  'missing-rate': 'missing_rate',
};

const STATISTIC_WORDS: Record<MonitoredStatistic['name'], string> = {
  psi: 'The population stability index',
  'jensen-shannon': 'The Jensen–Shannon distance',
  'missing-rate': 'The missing rate',
};

/**
 * The monitoring contract's statistics, each a rule on the monitored dataset:
 * its SQL rebound from the contract's table placeholder to `{{table}}`, review
 * level as the expectation, retrain level beside it. Observed is the value on
 * the reference (0 for PSI and Jensen–Shannon). Personal columns are never
 * monitored; in strict mode neither are categories, whose SQL lists values.
 */
export function driftRules(ctx: DeriveContext): SpecRule[] {
  const contract = ctx.doc.drift?.contract;
  if (!contract) return [];
  const datasetId = ctx.doc.drift?.report?.comparison.currentDatasetId;
  const o: SpecObject | undefined =
    (datasetId ? ctx.objectOf(datasetId) : undefined) ?? ctx.objects.find((x) => x.primary);
  if (!o) return [];
  const personal = ctx.personal.get(o.datasetId) ?? new Set<string>();
  // The reference's label can name values (a source split): strict mode lists none.
  const reference = ctx.strict ? 'the reference' : contract.reference;
  const rules: SpecRule[] = [];
  for (const column of [...contract.columns, ...(contract.label ? [contract.label] : [])]) {
    if (personal.has(column.column) || !o.columns.some((c) => c.name === column.column)) continue;
    if (ctx.strict && column.kind === 'categorical') continue;
    for (const s of column.statistics) {
      const sql = ctx.contractSql(column.column, s.name);
      if (!sql) continue;
      rules.push({
        id: `drift:${o.objectName}:${column.column}:${s.name}`,
        kind: 'drift',
        object: o.objectName,
        columns: [column.column],
        dimension: 'consistency',
        severity: 'warn',
        description:
          `${STATISTIC_WORDS[s.name]} of ${column.column} against ${reference} stays at or below ${formatNumber(s.review)}` +
          ` (review; retrain from ${formatNumber(s.retrain)}).`,
        measure: 'statistic',
        expect: { op: '<=', threshold: s.review },
        sql: statisticSql(sql, contract.tablePlaceholder, STATISTIC_OUTPUT[s.name], T),
        observed: s.reference,
        params: { statistic: s.name, retrain: s.retrain },
        source: { from: 'monitoring' },
      });
    }
  }
  return rules;
}

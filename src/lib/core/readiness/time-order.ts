import { outOfOrderQuery, outcomeBeforeEventQuery, engineWithoutRowOrder } from '../sql/readiness-time';
import { count, finder, first, fmtInt, q, round, toNumber, toText } from './findings';
import type { CheckDefinition } from './types';

export const timeOrder: CheckDefinition = {
  id: 'time-order',
  area: 'time',
  meaning: 'Events recorded in an impossible order break any time-based split or feature.',
  fix: 'upstream',
  owner: 'source-owner',
  description: 'Events out of order per ID (the event time goes backwards in file order).',
  evidence: {
    idsOutOfOrder: { label: 'IDs out of time order', kind: 'count' },
    backwardSteps: { label: 'Steps back in time', kind: 'count' },
    repeatedIds: { label: 'IDs on several rows', kind: 'count' },
    exampleId: { label: 'Example ID', kind: 'text' },
    engine: { label: 'Engine', kind: 'text' },
  },
  dependsOn: ['id', 'eventTime'],
  applies: (s) => s.id !== undefined && s.time !== undefined,
  queries: (s): Record<string, string> =>
    engineWithoutRowOrder() === undefined ? { order: outOfOrderQuery(s.sql) } : {},
  findings(s, r) {
    // An engine without a load order (a ClickHouse table) has no file order to judge: said, not guessed.
    const engine = engineWithoutRowOrder();
    if (engine !== undefined)
      return [
        finder(
          s,
          this.id,
          this.area,
        )({
          severity: 'info',
          key: 'no-row-order',
          title: 'Events per ID were not checked for file order: this engine keeps no row order',
          columns: [s.id!.name, s.time!.column],
          evidence: { engine },
          sql: '',
          recommendation:
            'Sort by ID and event time before building sequence features (lags, "previous value", running totals); to check the file order itself, audit the file with the default engine.',
        }),
      ];
    const row = first(r.order);
    const ids = count(row.ids_out_of_order);
    if (ids === 0) return [];
    return [
      finder(
        s,
        this.id,
        this.area,
      )({
        severity: 'minor',
        key: s.id!.name,
        title: `${fmtInt(ids)} IDs have events out of order (${fmtInt(count(row.backward_steps))} backward steps)`,
        columns: [s.id!.name, s.time!.column],
        evidence: {
          idsOutOfOrder: ids,
          backwardSteps: count(row.backward_steps),
          repeatedIds: count(row.repeated_ids),
          exampleId: toText(row.example_id),
        },
        sql: outOfOrderQuery(s.sql),
        recommendation:
          'Sort by ID and event time before building sequence features (lags, "previous value", running totals); file order is not time order here.',
      }),
    ];
  },
};

export const timeOutcomeBeforeEvent: CheckDefinition = {
  id: 'time-outcome-before-event',
  area: 'time',
  meaning: 'Outcomes dated before the prediction point mean the label or the dates are wrong for these rows.',
  fix: 'upstream',
  owner: 'source-owner',
  description: 'Outcome timestamps earlier than the event timestamp.',
  evidence: {
    before: { label: 'Rows with the outcome before the event', kind: 'count' },
    compared: { label: 'Rows compared', kind: 'count' },
    share: { label: 'Share of rows', kind: 'share' },
    worstDays: { label: 'Worst gap', kind: 'duration', unit: 'day' },
    majorAbove: { label: 'Major above', kind: 'share' },
  },
  dependsOn: ['eventTime', 'outcomeTime', 'thresholds'],
  applies: (s) => s.time !== undefined && s.outcome !== undefined,
  queries: (s) => ({ order: outcomeBeforeEventQuery(s.sql) }),
  findings(s, r) {
    const row = first(r.order);
    const before = count(row.before);
    if (before === 0) return [];
    const compared = count(row.compared);
    const share = compared ? before / compared : 0;
    return [
      finder(
        s,
        this.id,
        this.area,
      )({
        severity: share >= s.thresholds.outcomeBeforeEventMajor ? 'major' : 'minor',
        key: s.outcome!.column,
        title: `${fmtInt(before)} rows have ${q(s.outcome!.column)} before ${q(s.time!.column)}`,
        columns: [s.time!.column, s.outcome!.column],
        evidence: {
          before,
          compared,
          share: round(share, 5),
          worstDays: toNumber(row.worst_days),
          majorAbove: s.thresholds.outcomeBeforeEventMajor,
        },
        sql: outcomeBeforeEventQuery(s.sql),
        recommendation:
          'An outcome cannot precede the event it is predicted from. These rows either have a wrong date or were labelled with an earlier outcome; fix or drop them, and check how the snapshot and outcome were joined.',
      }),
    ];
  },
};

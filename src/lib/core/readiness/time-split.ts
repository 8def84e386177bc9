import { timeSplitQuery } from '../sql/plan';
import { PLAN_THRESHOLDS } from '../thresholds';
import { LABEL_DEPS } from './deps';
import { count, finder, first, fmtInt, fmtPct, q, round, toText } from './findings';
import { formatTimeValue } from './time-encoding';
import type { CheckDefinition } from './types';

/** The holdout share the readiness finding proposes: the metric plan's default. */
const SPLIT_HOLDOUT = PLAN_THRESHOLDS.defaultHoldoutShare;

export const timeSplit: CheckDefinition = {
  id: 'time-split',
  area: 'time',
  meaning:
    'The data is ordered in time, so a model must be validated on a later period than it learned from, or its scores overstate how it will do.',
  fix: 'upstream',
  owner: 'source-owner',
  inWords: 'where to cut a time-based validation split',
  description:
    'With an event time, the data is time-ordered: validate on the newest period, cut where the metric plan cuts (its default holdout share of the labelled rows, by time).',
  evidence: {
    splitAt: { label: 'Split at', kind: 'date', granularityFrom: 'granularity' },
    cut: { label: 'Cut', kind: 'text' },
    holdoutShare: { label: 'Held out (newest)', kind: 'share' },
    trainRows: { label: 'Training rows', kind: 'count' },
    validationRows: { label: 'Validation rows', kind: 'count' },
    validationShare: { label: 'Share in validation', kind: 'share' },
    trainPositives: { label: 'Positives in training', kind: 'count' },
    validationPositives: { label: 'Positives in validation', kind: 'count' },
    sharedIds: { label: 'IDs on both sides', kind: 'count' },
    granularity: { label: 'Granularity', kind: 'text' },
  },
  dependsOn: ['eventTime', 'id', 'asOf', 'historyFrom', ...LABEL_DEPS],
  applies: (s) => s.time !== undefined && s.label !== undefined,
  queries: (s) => ({ split: timeSplitQuery(s.sql, SPLIT_HOLDOUT) }),
  findings(s, r) {
    const row = first(r.split);
    const at = toText(row.split_at);
    const train = count(row.train_rows);
    const validation = count(row.validation_rows);
    if (at === null || train + validation === 0) return [];
    const ref = s.time!;
    const cut = formatTimeValue(at.replace('T', ' '), ref.granularity);
    const shared = s.id ? count(row.shared_groups) : 0;
    const ids = s.id
      ? ` ${fmtInt(shared)} ${q(s.id.name)} value${shared === 1 ? ' has' : 's have'} rows on both sides of the cut: if the model must also serve ${s.id.name} values it has never seen, hold some out entirely as well.`
      : '';
    // A binary target with no positive on one side cannot be validated (or trained) on that split.
    const binary =
      s.label!.kind === 'classes' && s.label!.task === 'binary' && s.label!.positive !== undefined;
    const trainPositives = binary ? count(row.train_positives) : null;
    const validationPositives = binary ? count(row.validation_positives) : null;
    const noPositives = binary && (trainPositives === 0 || validationPositives === 0);
    const positives = binary
      ? `; ${fmtInt(trainPositives ?? 0)} and ${fmtInt(validationPositives ?? 0)} ${q(s.label!.positiveDisplay ?? s.label!.positive ?? null)}`
      : '';
    return [
      finder(
        s,
        this.id,
        this.area,
      )({
        severity: noPositives ? 'minor' : 'info',
        key: ref.column,
        title: `Time-ordered data: train before ${cut}, validate on ${cut} onwards (${fmtInt(train)} and ${fmtInt(validation)} labelled rows${positives})`,
        columns: [ref.column, s.label!.column],
        evidence: {
          splitAt: at,
          cut,
          holdoutShare: SPLIT_HOLDOUT,
          trainRows: train,
          validationRows: validation,
          validationShare: round(validation / (train + validation)),
          trainPositives,
          validationPositives,
          sharedIds: s.id ? shared : null,
          granularity: ref.granularity ?? null,
        },
        sql: timeSplitQuery(s.sql, SPLIT_HOLDOUT),
        recommendation: `Split by time, not at random: a random split lets the model learn from rows later than the ones it is validated on, and neighbouring periods resemble each other, so random-split scores overstate how it will do on the next period. Train on the rows before ${cut} and validate on ${cut} onwards (the newest ${fmtPct(SPLIT_HOLDOUT, 0)} of labelled rows, the cut the metric plan uses); for tuning, use expanding-window folds within the training rows.${ids}${noPositives ? ` One side of this cut has no ${q(s.label!.positiveDisplay ?? s.label!.positive ?? null)} rows, so it cannot be validated on: move the cut, or collect positives for the missing period.` : ''}`,
      }),
    ];
  },
};

import { formatDate } from '../format';
import { timeSpanQuery } from '../sql/readiness-coverage';
import type { TimeGranularity } from '../sql/readiness-common';
import { count, finder, first, fmtInt, q, toNumber, toText } from './findings';
import { formatTimeCell, isPeriodGranularity, periodStart, periodsBetween, plural } from './time-encoding';
import type { CheckDefinition } from './types';
import { TIME_DEPS, timeQuery, timeRows } from './coverage-time';

/**
 * The span in the data's unit: "61 years" for a column of years (first to last inclusive, each
 * value a whole period), "55 quarters", "257 months"; days otherwise.
 */
function spanText(
  first: string | null,
  last: string | null,
  granularity: TimeGranularity | undefined,
  days: number,
): string {
  if (!isPeriodGranularity(granularity) || first === null || last === null)
    return plural(days, 'day', fmtInt(days));
  const periods =
    periodsBetween(periodStart(first, granularity), periodStart(last, granularity), granularity) + 1;
  return plural(periods, granularity, fmtInt(periods));
}

export const coverageSpan: CheckDefinition = {
  id: 'coverage-span',
  area: 'coverage',
  meaning: 'The period the data covers; the model only knows the conditions seen in it.',
  fix: 'collect-more-data',
  owner: 'source-owner',
  description: 'First and last valid event time and the span between them.',
  evidence: {
    first: { label: 'First usable value', kind: 'date', granularityFrom: 'granularity' },
    last: { label: 'Last usable value', kind: 'date', granularityFrom: 'granularity' },
    earliest: { label: 'Earliest value', kind: 'date', granularityFrom: 'granularity' },
    latest: { label: 'Latest value', kind: 'date', granularityFrom: 'granularity' },
    days: { label: 'Span', kind: 'duration', unit: 'day' },
    validRows: { label: 'Rows with a usable time', kind: 'count' },
    readableRows: { label: 'Rows read as time', kind: 'count' },
    rows: { label: 'Rows', kind: 'count' },
    invalidRows: { label: 'Rows without a usable time', kind: 'count' },
    readAs: { label: 'Read as', kind: 'text' },
    granularity: { label: 'Granularity', kind: 'text' },
    historyFrom: { label: 'History expected from', kind: 'date', granularity: 'day' },
  },
  dependsOn: TIME_DEPS,
  applies: (s) => s.time !== undefined,
  queries: (s) => ({ time: timeQuery(s) }),
  findings(s, r) {
    const row = first(timeRows(r, 'span'));
    const days = toNumber(row.days);
    const rows = count(row.rows);
    const total = count(row.total);
    const readable = count(row.readable);
    const ref = s.time!;
    const at = (v: unknown): string => formatTimeCell(v, ref.granularity);
    const readAs = s.timeReadAs[ref.column];
    const firstValid = toText(row.first);
    const lastValid = toText(row.last);
    const earliest = toText(row.earliest);
    const latest = toText(row.latest);
    // The title always states the real first and last values; the valid span follows when they differ.
    const real = `${at(earliest)} to ${at(latest)}`;
    const valid = `${at(firstValid)} to ${at(lastValid)}`;
    const reasons = [
      'placeholders',
      s.input.context.historyFrom ? `before ${formatDate(s.input.context.historyFrom, 'day')}` : '',
      s.earlyEventTimes ? `isolated before ${at(s.earlyEventTimes.bulkStart)}` : '',
      `after ${formatDate(s.input.context.asOf, 'day')}`,
    ].filter(Boolean);
    return [
      finder(
        s,
        this.id,
        this.area,
      )({
        severity: rows === 0 ? 'major' : 'info',
        key: ref.column,
        title:
          rows === 0
            ? readable === 0
              ? `No ${q(ref.column)} value can be read as time`
              : `No usable ${q(ref.column)} values: all ${fmtInt(readable)} (${real}) are ${reasons.join(' or ')}`
            : `${real}${real === valid ? '' : `; usable ${valid}, ${plural(readable - rows, 'value', fmtInt(readable - rows))} left out as ${reasons.join(', ')}`} (${spanText(firstValid, lastValid, ref.granularity, days ?? 0)}${readAs ? `, ${readAs}` : ''})`,
        columns: [ref.column],
        evidence: {
          first: firstValid,
          last: lastValid,
          earliest,
          latest,
          days,
          validRows: rows,
          readableRows: readable,
          rows: total,
          invalidRows: total - rows,
          readAs: readAs ?? null,
          granularity: ref.granularity ?? null,
          historyFrom: s.sql.validFrom ?? null,
        },
        sql: timeSpanQuery(s.sql),
        recommendation:
          rows === 0
            ? 'The coverage checks had nothing to measure. Check that the event-time role names the right column and that the as-of date and "history expected from" fit the data.'
            : 'The span bounds what a model can learn about seasonality and trends: a year or more covers one seasonal cycle.',
      }),
    ];
  },
};

import { timeOfDayChart } from '../charts/check-charts';
import { isTemporalType, isDateType } from '../sql/types';
import type { Finding } from '../model/audit';
import { type TimeRef } from '../sql/readiness-common';
import { midnightBySourceQuery, timeOfDayQuery } from '../sql/readiness-time';
import { count, finder, fmtPct, q, round, toText } from './findings';
import type { CheckDefinition, ReadinessSetup } from './types';
import { TIME_DEPS } from './time-columns';

function clockColumns(s: ReadinessSetup): TimeRef[] {
  return s.timeColumns.filter((ref) => isTemporalType(ref.type) && !isDateType(ref.type));
}

export const timeOfDay: CheckDefinition = {
  id: 'time-of-day',
  area: 'time',
  meaning: 'Timestamps stuck at midnight carry only a date; time-of-day features from them are meaningless.',
  fix: 'upstream',
  owner: 'source-owner',
  chart: timeOfDayChart,
  description: 'Suspicious time-of-day patterns: timestamps at exactly midnight, a spike at one hour.',
  evidence: {
    midnight: { label: 'Values at 00:00:00', kind: 'count' },
    total: { label: 'Values present', kind: 'count' },
    share: { label: 'Share of values', kind: 'share' },
    expectedMidnight: { label: 'Values at 00:00 expected by chance', kind: 'number' },
    dateOnlySources: { label: 'Sources with dates only', kind: 'text' },
    hour: { label: 'Hour', kind: 'number' },
    rows: { label: 'Rows in that hour', kind: 'count' },
    threshold: { label: 'Flagged from a share of', kind: 'share' },
  },
  dependsOn: [...TIME_DEPS, 'source', 'thresholds'],
  applies: (s) => clockColumns(s).length > 0,
  queries: (s) => {
    const queries: Record<string, string> = {};
    clockColumns(s).forEach((ref, i) => {
      queries[`hours_${i}`] = timeOfDayQuery(s.sql, ref);
      if (s.source) queries[`midnight_${i}`] = midnightBySourceQuery(s.sql, ref);
    });
    return queries;
  },
  findings(s, r) {
    const make = finder(s, this.id, this.area);
    const t = s.thresholds;
    const out: Finding[] = [];
    clockColumns(s).forEach((ref, i) => {
      const hours = r[`hours_${i}`] ?? [];
      const total = hours.reduce((a, x) => a + count(x.rows), 0);
      if (total === 0) return;
      const midnight = hours.reduce((a, x) => a + count(x.midnight), 0);
      const share = midnight / total;
      // Midnights the other hours' precision explains: hourly data has 1/24 of its rows at 00:00:00.
      const others = hours.filter((x) => count(x.hour) !== 0);
      const otherRows = others.reduce((a, x) => a + count(x.rows), 0);
      const onHourShare = otherRows ? others.reduce((a, x) => a + count(x.on_hour), 0) / otherRows : 0;
      const hourZero = hours.filter((x) => count(x.hour) === 0).reduce((a, x) => a + count(x.rows), 0);
      const expectedMidnight = Math.min(midnight, hourZero * onHourShare);
      const excessShare = (midnight - expectedMidnight) / total;
      const bySource = (r[`midnight_${i}`] ?? []).map((x) => ({
        source: toText(x.source),
        rows: count(x.rows),
        midnight: count(x.midnight),
        share: count(x.rows) ? round(count(x.midnight) / count(x.rows)) : null,
      }));
      const sql = s.source
        ? `${timeOfDayQuery(s.sql, ref)};\n${midnightBySourceQuery(s.sql, ref)}`
        : timeOfDayQuery(s.sql, ref);
      if (share >= t.midnightDateOnlyShare) {
        out.push(
          make({
            severity: 'info',
            key: `${ref.column}:date-only`,
            title: `${q(ref.column)} holds dates without a time (${fmtPct(share)} at 00:00:00)`,
            columns: [ref.column],
            evidence: { midnight, total, share: round(share) },
            sql,
            recommendation: 'Treat this column as a date: do not derive hour-of-day features from it.',
          }),
        );
      } else if (excessShare >= t.midnightMixedShare) {
        const allMidnight = bySource
          .filter((x) => x.rows > 0 && x.midnight / x.rows >= t.midnightDateOnlyShare)
          .map((x) => x.source);
        out.push(
          make({
            severity: 'minor',
            key: `${ref.column}:midnight`,
            title: `${fmtPct(share)} of ${q(ref.column)} is exactly 00:00:00${allMidnight.length ? ` (all of source ${allMidnight.map((x) => q(x)).join(', ')})` : ''}`,
            columns: s.source ? [ref.column, s.source.name] : [ref.column],
            evidence: {
              midnight,
              total,
              share: round(share),
              expectedMidnight: round(expectedMidnight, 1),
              dateOnlySources: allMidnight.join(', ') || null,
            },
            details: bySource.length
              ? bySource
              : hours.map((x) => ({ hour: count(x.hour), rows: count(x.rows) })),
            sql,
            recommendation:
              'Part of the data has no time of day (a date stored as a timestamp). Derive time-of-day features only from rows that carry a real time, or round everything to the date.',
          }),
        );
      }
      // Exact midnights are judged above; the spike test looks at rows that carry a real time.
      const clock = hours
        .map((x) => ({ hour: count(x.hour), rows: count(x.rows) - count(x.midnight) }))
        .filter((x) => x.rows > 0);
      const clockRows = clock.reduce((a, x) => a + x.rows, 0);
      const top = [...clock].sort((a, b) => b.rows - a.rows)[0];
      const topRows = top?.rows ?? 0;
      if (
        top &&
        clockRows >= t.minGroupRows &&
        clock.length >= t.hourSpikeMinHours &&
        topRows / clockRows >= t.hourSpikeShare
      )
        out.push(
          make({
            severity: 'minor',
            key: `${ref.column}:hour`,
            title: `${fmtPct(topRows / clockRows)} of ${q(ref.column)} falls in hour ${top.hour}:00`,
            columns: [ref.column],
            evidence: {
              hour: top.hour,
              rows: topRows,
              share: round(topRows / clockRows),
              threshold: t.hourSpikeShare,
            },
            details: hours.map((x) => ({ hour: count(x.hour), rows: count(x.rows) })),
            sql,
            recommendation:
              'A single hour this dominant is usually a batch-load or default time, not when the event happened. Do not use it as the event time without checking.',
          }),
        );
    });
    return out;
  },
};

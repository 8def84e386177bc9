import type { Finding } from '../model/audit';
import { fusedOneRowQuery, fusedPart } from '../sql/readiness-common';
import {
  beforeHistoryQuery,
  earlyDatesQuery,
  futureDatesAggregate,
  futureDatesQuery,
  sentinelDatesQuery,
} from '../sql/readiness-time';
import { formatDate } from '../format';
import { count, finder, first, fmtInt, q, round, toNumber, toText } from './findings';
import { formatTimeCell, formatTimeValue, isolatedEarlyDates } from './time-encoding';
import type { CheckDefinition } from './types';
import { TIME_DEPS, roleOf } from './time-columns';

export const timeFuture: CheckDefinition = {
  id: 'time-future',
  area: 'time',
  meaning: 'Dates after the as-of date are impossible and point to entry or conversion errors.',
  fix: 'upstream',
  owner: 'source-owner',
  description: 'Dates after the as-of date.',
  evidence: {
    future: { label: 'Rows after the as-of date', kind: 'count' },
    nonNull: { label: 'Values present', kind: 'count' },
    share: { label: 'Share of values', kind: 'share' },
    latest: { label: 'Latest value', kind: 'date', granularity: 'day' },
    asOf: { label: 'As-of date', kind: 'date', granularity: 'day' },
    role: { label: 'Role', kind: 'text' },
  },
  dependsOn: [...TIME_DEPS, 'asOf', 'thresholds'],
  applies: (s) => s.timeColumns.length > 0,
  // Every time column in one scan; each finding still shows its own column's statement.
  queries: (s) => ({
    future: fusedOneRowQuery(s.timeColumns.map((ref) => futureDatesAggregate(s.sql, ref))),
  }),
  findings(s, r) {
    const make = finder(s, this.id, this.area);
    const out: Finding[] = [];
    s.timeColumns.forEach((ref, i) => {
      const row = fusedPart(first(r.future), i);
      const future = count(row.future);
      if (future === 0) return;
      const nonnull = count(row.nonnull);
      const share = nonnull ? future / nonnull : 0;
      out.push(
        make({
          severity: share >= s.thresholds.dateProblemShareMajor ? 'major' : 'minor',
          key: ref.column,
          title: `${fmtInt(future)} ${q(ref.column)} values are after the as-of date ${formatDate(s.input.context.asOf, 'day')} (latest ${formatTimeCell(row.latest, ref.granularity)})`,
          columns: [ref.column],
          evidence: {
            future,
            nonNull: nonnull,
            share: round(share, 5),
            latest: toText(row.latest),
            asOf: s.input.context.asOf,
            role: roleOf(s, ref.column),
          },
          sql: futureDatesQuery(s.sql, ref),
          recommendation:
            'Dates in the future are data-entry or conversion errors (two-digit years, swapped day/month, time zones). Correct them at the source or drop the rows; never let them define the "recent" period.',
        }),
      );
    });
    return out;
  },
};

export const timeSentinel: CheckDefinition = {
  id: 'time-sentinel',
  area: 'time',
  meaning: 'Placeholder dates stand for “unknown” and would be read as real dates by a model.',
  fix: 'pipeline',
  owner: 'data-engineering',
  description:
    'Placeholder dates (1900-01-01, 1970-01-01, 9999-12-31, …) and single days with a default-date spike.',
  evidence: {
    sentinelRows: { label: 'Rows on a placeholder date', kind: 'count' },
    spikeRows: { label: 'Rows on a spike date', kind: 'count' },
    share: { label: 'Share of values', kind: 'share' },
    nonNull: { label: 'Values present', kind: 'count' },
    days: { label: 'Dates (rows)', kind: 'text' },
    medianRowsPerDay: { label: 'Median rows per day', kind: 'number' },
  },
  dependsOn: [...TIME_DEPS, 'thresholds'],
  applies: (s) => s.timeColumns.length > 0,
  queries: (s) =>
    Object.fromEntries(
      s.timeColumns.map((ref, i) => [
        `sentinel_${i}`,
        sentinelDatesQuery(s.sql, ref, s.thresholds.daySpikeFactor, s.thresholds),
      ]),
    ),
  findings(s, r) {
    const make = finder(s, this.id, this.area);
    const out: Finding[] = [];
    s.timeColumns.forEach((ref, i) => {
      const rows = r[`sentinel_${i}`] ?? [];
      if (rows.length === 0) return;
      const total = count(rows[0]?.total);
      const known = rows.filter((x) => x.known === true);
      const spikes = rows.filter((x) => x.known !== true);
      const knownRows = known.reduce((a, x) => a + count(x.rows), 0);
      const spikeRows = spikes.reduce((a, x) => a + count(x.rows), 0);
      const share = total ? (knownRows + spikeRows) / total : 0;
      out.push(
        make({
          // Only known placeholders can be major: a spike may be a real event (a campaign, a cut-off date).
          severity: knownRows / Math.max(total, 1) >= s.thresholds.dateProblemShareMajor ? 'major' : 'minor',
          key: ref.column,
          title: `${fmtInt(knownRows + spikeRows)} ${q(ref.column)} values are placeholder or default dates (${rows.map((x) => toText(x.day)).join(', ')})`,
          columns: [ref.column],
          evidence: {
            sentinelRows: knownRows,
            spikeRows,
            share: round(share, 5),
            nonNull: total,
            days: rows.map((x) => `${toText(x.day)}: ${count(x.rows)}`).join(', '),
            medianRowsPerDay: toNumber(rows[0]?.median_per_day),
          },
          details: rows.map((x) => ({
            day: toText(x.day),
            rows: count(x.rows),
            knownSentinel: x.known === true,
          })),
          sql: sentinelDatesQuery(s.sql, ref, s.thresholds.daySpikeFactor, s.thresholds),
          recommendation: spikes.length
            ? 'Ask the source owner what the over-represented day stands for (a default, a migration, a cap at the extract date). Treat placeholders as missing (NULL) before computing ages, tenures or time splits.'
            : 'Treat placeholder dates as missing (set them to NULL) before computing ages, tenures or time splits, and ask the source owner what they stand for.',
        }),
      );
    });
    return out;
  },
};

export const timeBeforeStart: CheckDefinition = {
  id: 'time-before-start',
  area: 'time',
  meaning: 'Dates before the business could have recorded them are errors or placeholders.',
  fix: 'upstream',
  owner: 'source-owner',
  description:
    'Dates before the history: before "history expected from" when the context sets it, otherwise dates isolated far before the bulk of the column (a robust rule on its own distribution, never a fixed year).',
  evidence: {
    early: { label: 'Rows before the history starts', kind: 'count' },
    nonNull: { label: 'Values present', kind: 'count' },
    share: { label: 'Share of values', kind: 'share' },
    earliest: { label: 'Earliest value', kind: 'date', granularity: 'day' },
    historyFrom: { label: 'History expected from', kind: 'date', granularity: 'day' },
    bulkStart: { label: 'Bulk of the history starts', kind: 'date', granularity: 'day' },
    gapDays: { label: 'Gap before the bulk', kind: 'duration', unit: 'day' },
    q1: { label: 'First quartile', kind: 'date', granularity: 'day' },
    q3: { label: 'Third quartile', kind: 'date', granularity: 'day' },
    fence: { label: 'Lower fence', kind: 'date', granularity: 'day' },
    judged: { label: 'Judged', kind: 'boolean' },
    rule: { label: 'Rule', kind: 'text' },
  },
  dependsOn: [...TIME_DEPS, 'historyFrom', 'asOf', 'thresholds'],
  applies: (s) => s.timeColumns.length > 0,
  queries: (s) => {
    const from = s.input.context.historyFrom;
    return Object.fromEntries(
      s.timeColumns.map((ref, i) => [
        `early_${i}`,
        from
          ? beforeHistoryQuery(s.sql, ref, from)
          : earlyDatesQuery(s.sql, ref, { fenceIqr: s.thresholds.earlyDateFenceIqr }),
      ]),
    );
  },
  findings(s, r) {
    const make = finder(s, this.id, this.area);
    const from = s.input.context.historyFrom;
    const out: Finding[] = [];
    s.timeColumns.forEach((ref, i) => {
      const rows = r[`early_${i}`] ?? [];
      if (from) {
        const row = first(rows);
        const early = count(row.early);
        if (early === 0) return;
        const nonnull = count(row.nonnull);
        out.push(
          make({
            severity: 'minor',
            key: ref.column,
            title: `${fmtInt(early)} ${q(ref.column)} values are before the expected history start ${formatDate(from, 'day')} (earliest ${formatTimeCell(row.earliest, ref.granularity)})`,
            columns: [ref.column],
            evidence: {
              early,
              nonNull: nonnull,
              share: round(nonnull ? early / nonnull : 0, 5),
              earliest: toText(row.earliest),
              historyFrom: from,
            },
            sql: beforeHistoryQuery(s.sql, ref, from),
            recommendation:
              'The context says the history starts later. Confirm these early dates: if the business or system did not exist then, treat them as errors; otherwise move "history expected from" earlier.',
          }),
        );
        return;
      }
      const early = isolatedEarlyDates(rows, s.thresholds.earlyDateMinGapDays);
      if (!early) return;
      const shown = early.days
        .slice(0, 5)
        .map((d) => `${formatTimeValue(d.day, ref.granularity)} (${d.rows})`);
      out.push(
        make({
          severity: 'minor',
          key: ref.column,
          title: `${fmtInt(early.rows)} ${q(ref.column)} values lie isolated far before the rest of the data (${shown.join(', ')}${early.days.length > 5 ? ', …' : ''}; the bulk starts ${formatTimeValue(early.bulkStart, ref.granularity)})`,
          columns: [ref.column],
          evidence: {
            early: early.rows,
            earliest: early.days[0]?.day ?? null,
            bulkStart: early.bulkStart,
            gapDays: early.gapDays,
            q1: early.q1,
            q3: early.q3,
            fence: early.fence,
            judged: early.judged,
            rule: `below Q1 − ${s.thresholds.earlyDateFenceIqr} × IQR and separated by a gap of at least max(IQR, ${s.thresholds.earlyDateMinGapDays} days)`,
          },
          details: early.days.map((d) => ({ day: d.day, rows: d.rows })),
          sql: earlyDatesQuery(s.sql, ref, { fenceIqr: s.thresholds.earlyDateFenceIqr }),
          recommendation:
            'Dates this far from the rest are usually typos (1901 for 2019), defaults or conversion errors. Confirm them with the source owner; if the history really starts that early, set "history expected from" in the context. The coverage checks leave them out of the event-time span.',
        }),
      );
    });
    return out;
  },
};

import { timeOfDayChart } from '../charts/check-charts';
import { isTemporalType, isDateType, isTextType } from '../sql/types';
import type { Finding } from '../model/audit';
import { type TimeRef, fusedOneRowQuery, fusedPart } from '../sql/readiness-common';
import {
  beforeHistoryQuery,
  dateFormatsQuery,
  earlyDatesQuery,
  timeFactsQuery,
  futureDatesAggregate,
  futureDatesQuery,
  midnightBySourceQuery,
  outOfOrderQuery,
  outcomeBeforeEventQuery,
  sentinelDatesQuery,
  timeOfDayQuery,
} from '../sql/readiness-time';
import { timeSplitQuery } from '../sql/plan';
import { formatDate } from '../format';
import { PLAN_THRESHOLDS } from '../thresholds';
import { LABEL_DEPS } from './deps';
import { count, finder, first, fmtInt, fmtPct, q, round, toNumber, toText } from './findings';
import { formatTimeValue, isolatedEarlyDates } from './time-encoding';
import type { CheckDefinition, ReadinessSetup } from './types';

const TIME_DEPS = ['eventTime', 'outcomeTime', 'excluded'] as const;

function roleOf(s: ReadinessSetup, column: string): string {
  if (s.time?.column === column) return 'event time';
  if (s.outcome?.column === column) return 'outcome time';
  return 'date column';
}

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
          title: `${fmtInt(future)} ${q(ref.column)} values are after the as-of date ${formatDate(s.input.context.asOf, 'day')} (latest ${formatTimeValue(toText(row.latest), ref.granularity)})`,
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
        sentinelDatesQuery(s.sql, ref, s.thresholds.daySpikeFactor),
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
          sql: sentinelDatesQuery(s.sql, ref, s.thresholds.daySpikeFactor),
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
            title: `${fmtInt(early)} ${q(ref.column)} values are before the expected history start ${formatDate(from, 'day')} (earliest ${formatTimeValue(toText(row.earliest), ref.granularity)})`,
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

export const timeRole: CheckDefinition = {
  id: 'time-role',
  area: 'time',
  meaning: 'A column chosen as a time cannot be read as dates, so every time-based check and split is blind.',
  fix: 'upstream',
  owner: 'source-owner',
  description: 'A column given the event- or outcome-time role that cannot be read as time.',
  evidence: {
    role: { label: 'Role', kind: 'text' },
    reason: { label: 'Why', kind: 'text' },
  },
  dependsOn: ['eventTime', 'outcomeTime'],
  applies: (s) => s.unreadableTime.length > 0,
  // The facts were read by the setup; the finding quotes the statement that read them.
  queries: () => ({}),
  findings(s) {
    const make = finder(s, this.id, this.area);
    return s.unreadableTime.map((u) =>
      make({
        severity: 'major',
        key: u.column,
        title: `${q(u.column)} cannot be read as time, so it was not used as the ${u.role}`,
        columns: [u.column],
        evidence: { role: u.role, reason: u.message },
        sql: timeFactsQuery(s.input.tableName, {
          column: u.column,
          type: s.columns.find((c) => c.name === u.column)?.type ?? '',
        }),
        recommendation: `${u.message} The time and coverage checks that need the ${u.role} did not run.`,
      }),
    );
  },
};

/** Text columns read as dates; text read as years or quarters has one shape by construction. */
function textTimeColumns(s: ReadinessSetup): TimeRef[] {
  return s.timeColumns.filter(
    (ref) => isTextType(ref.type) && (ref.encoding === undefined || ref.encoding === 'text'),
  );
}

export const timeTextFormats: CheckDefinition = {
  id: 'time-text-formats',
  area: 'time',
  meaning: 'Dates stored as text in several formats will be misread unless parsed explicitly.',
  fix: 'pipeline',
  owner: 'data-engineering',
  description:
    'Dates stored as text in several formats (ISO, day/month, month-name), or values that are not dates.',
  evidence: {
    formats: { label: 'Date formats', kind: 'count' },
    notDates: { label: 'Values that are not dates', kind: 'count' },
    total: { label: 'Values present', kind: 'count' },
    secondFormatShare: { label: 'Share in the second format', kind: 'share' },
    examples: { label: 'Examples', kind: 'text' },
  },
  dependsOn: [...TIME_DEPS, 'thresholds'],
  applies: (s) => textTimeColumns(s).length > 0,
  queries: (s) =>
    Object.fromEntries(
      textTimeColumns(s).map((ref, i) => [`formats_${i}`, dateFormatsQuery(s.sql, ref.column)]),
    ),
  findings(s, r) {
    const make = finder(s, this.id, this.area);
    const out: Finding[] = [];
    textTimeColumns(s).forEach((ref, i) => {
      const rows = r[`formats_${i}`] ?? [];
      const total = rows.reduce((a, x) => a + count(x.rows), 0);
      const dates = rows.filter((x) => x.shape !== '(not a date)');
      const notDates = total - dates.reduce((a, x) => a + count(x.rows), 0);
      if (dates.length < 2 && notDates === 0) return;
      const secondShare = dates.length >= 2 && total ? count(dates[1]!.rows) / total : 0;
      const major =
        secondShare >= s.thresholds.mixedFormatShareMajor ||
        (notDates / Math.max(total, 1) >= s.thresholds.mixedFormatShareMajor &&
          roleOf(s, ref.column) !== 'date column');
      out.push(
        make({
          severity: major ? 'major' : 'minor',
          key: ref.column,
          title:
            dates.length >= 2
              ? `${q(ref.column)} mixes ${dates.length} date formats (${dates.map((x) => toText(x.shape)).join(', ')})`
              : `${fmtInt(notDates)} ${q(ref.column)} values are not dates`,
          columns: [ref.column],
          evidence: {
            formats: dates.length,
            notDates,
            total,
            secondFormatShare: round(secondShare),
            examples: dates.map((x) => toText(x.example)).join(' | '),
          },
          details: rows.map((x) => ({
            shape: toText(x.shape),
            rows: count(x.rows),
            example: toText(x.example),
          })),
          sql: dateFormatsQuery(s.sql, ref.column),
          recommendation:
            'Parse each format explicitly (day/month and month/day cannot be told apart from the text alone), store one ISO format, and ask which format each source system writes.',
        }),
      );
    });
    return out;
  },
};

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
      if (top && clockRows >= t.minGroupRows && clock.length >= 3 && topRows / clockRows >= t.hourSpikeShare)
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
  },
  dependsOn: ['id', 'eventTime'],
  applies: (s) => s.id !== undefined && s.time !== undefined,
  queries: (s) => ({ order: outOfOrderQuery(s.sql) }),
  findings(s, r) {
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

import { formatDate } from '../format';
import { recencyQuery } from '../sql/readiness-coverage';
import type { TimeGranularity } from '../sql/readiness-common';
import type { ReadinessThresholds } from '../thresholds';
import { count, finder, first, fmtInt, fmtPct, round, toNumber, toText } from './findings';
import {
  daysBetween,
  formatTimeValue,
  isPeriodGranularity,
  periodEnd,
  periodStart,
  periodUnit,
  periodsBetween,
  plural,
} from './time-encoding';
import type { CheckDefinition, ResultRow } from './types';
import { TIME_DEPS, recencyWindowsOf, timeQuery, timeRows } from './coverage-time';

type Severity = 'info' | 'minor' | 'major';

const SEVERITY_RANK: Record<Severity, number> = { info: 0, minor: 1, major: 2 };

/** One window of the share rule: rows in the last `days`, against the history's usual rate. */
export interface RecencyWindow {
  days: number;
  rows: number;
  /** Rows the window would hold at the history's usual rate (rows ÷ days of history × window). */
  expected: number;
  /** Whether the window is judged: the history is at least twice as long and `expected` is large enough. */
  judged: boolean;
  /** Judged, and under `recencyShareRatio` of `expected`. */
  thin: boolean;
}

/** What `judgeRecency` concludes. */
export interface RecencyJudgement {
  severity: Severity;
  /** Newest valid value (`%Y-%m-%d %H:%M:%S`). */
  newest: string;
  /**
   * Days of data missing at the as-of date. For a value that stands for a
   * whole year, quarter or month: from the end of the newest period to the
   * start of the period holding the as-of date (0 when the newest period is
   * the last complete one). Otherwise the newest record's age in days.
   */
  ageDays: number;
  /** Complete periods missing between the newest period and the as-of date (coarse granularities). */
  missingPeriods: number | null;
  /** The day after the newest period ends (coarse granularities). */
  newestPeriodEnd: string | null;
  /** Days from the first valid day to the as-of date. */
  historyDays: number;
  rows: number;
  medianDay: string | null;
  minorWindow: RecencyWindow;
  majorWindow: RecencyWindow;
  /** Severity from the age alone, and from the share rule alone. */
  byAge: Severity;
  byShare: Severity;
}

/**
 * Recency at the data's own granularity, from the `recency` row of
 * `timeCoverageQuery` (or `recencyQuery`). A value that stands for a year, a
 * quarter or a month is measured from the end of its period: a yearly series
 * complete to the as-of date is current, not a year old. And recency is judged
 * by share, not by the newest row alone: when the last `recencyMinorDays`
 * (and `recencyMajorDays`) hold fewer than `recencyShareRatio` of the rows the
 * history's usual rate would put there, the bulk of the data is old, however
 * fresh its newest handful of rows. Windows are judged only when the history
 * is at least twice as long and the usual rate would put at least
 * `recencyShareMinRows` rows in them.
 */
export function judgeRecency(
  row: ResultRow,
  granularity: TimeGranularity | undefined,
  asOf: string,
  t: ReadinessThresholds,
): RecencyJudgement | undefined {
  const rows = count(row.rows);
  const newest = toText(row.newest);
  const firstDay = toText(row.first_day);
  if (rows === 0 || newest === null) return undefined;
  let ageDays = toNumber(row.age_days) ?? 0;
  let missingPeriods: number | null = null;
  let newestPeriodEnd: string | null = null;
  if (isPeriodGranularity(granularity)) {
    newestPeriodEnd = periodEnd(newest, granularity);
    const current = periodStart(asOf, granularity);
    ageDays = Math.max(0, daysBetween(newestPeriodEnd, current));
    missingPeriods = Math.max(0, periodsBetween(newestPeriodEnd, current, granularity));
  }
  const historyDays = firstDay ? Math.max(0, daysBetween(firstDay, asOf)) : 0;
  const windowOf = (days: number): RecencyWindow => {
    const inWindow = count(row[`last_${Math.round(days)}`]);
    const expected = historyDays > 0 ? (rows * days) / historyDays : 0;
    const judged = historyDays >= 2 * days && expected >= t.recencyShareMinRows;
    return {
      days,
      rows: inWindow,
      expected,
      judged,
      thin: judged && inWindow < t.recencyShareRatio * expected,
    };
  };
  const minorWindow = windowOf(t.recencyMinorDays);
  const majorWindow = windowOf(t.recencyMajorDays);
  const byAge: Severity =
    ageDays > t.recencyMajorDays ? 'major' : ageDays > t.recencyMinorDays ? 'minor' : 'info';
  const byShare: Severity =
    minorWindow.thin && majorWindow.thin ? 'major' : minorWindow.thin ? 'minor' : 'info';
  return {
    severity: SEVERITY_RANK[byShare] > SEVERITY_RANK[byAge] ? byShare : byAge,
    newest,
    ageDays,
    missingPeriods,
    newestPeriodEnd,
    historyDays,
    rows,
    medianDay: toText(row.median_day),
    minorWindow,
    majorWindow,
    byAge,
    byShare,
  };
}

/** The first sentence of the recency finding: the newest data, in the data's unit. */
function recencyHeadline(
  j: RecencyJudgement,
  granularity: TimeGranularity | undefined,
  asOf: string,
): string {
  const newest = formatTimeValue(j.newest, granularity);
  const asOfText = formatDate(asOf, 'day');
  if (!isPeriodGranularity(granularity) || j.newestPeriodEnd === null)
    return `Newest record is ${plural(j.ageDays, 'day', fmtInt(j.ageDays))} old at ${asOfText} (${newest})`;
  const unit = granularity;
  if (j.missingPeriods && j.missingPeriods > 0) {
    const firstMissing = formatTimeValue(j.newestPeriodEnd, granularity);
    return `Newest ${unit} is ${newest}: ${plural(j.missingPeriods, `complete ${unit}`)} (from ${firstMissing}) missing at ${asOfText}, ${fmtInt(j.ageDays)} days`;
  }
  return j.newestPeriodEnd > asOf
    ? `Up to date: the newest ${unit}, ${newest}, includes the as-of date ${asOfText}`
    : `Up to date: the newest ${unit}, ${newest}, is the last complete ${unit} before ${asOfText}`;
}

export const coverageRecency: CheckDefinition = {
  id: 'coverage-recency',
  area: 'coverage',
  meaning: 'The newest data is old; the model would learn from conditions that may no longer hold.',
  fix: 'collect-more-data',
  owner: 'source-owner',
  description:
    'How current the data is at the as-of date, measured from the end of the newest period (a year means the whole year), and the share of rows in the last 90/180/365 days against the history’s usual rate.',
  evidence: {
    newest: { label: 'Newest value', kind: 'date', granularityFrom: 'granularity' },
    newestPeriodEnd: { label: 'End of the newest period', kind: 'date', granularity: 'day' },
    granularity: { label: 'Granularity', kind: 'text' },
    ageDays: { label: 'Age at the as-of date', kind: 'duration', unit: 'day' },
    missingPeriods: { label: 'Complete periods missing', kind: 'count' },
    asOf: { label: 'As-of date', kind: 'date', granularity: 'day' },
    'shareLast*Days': { label: 'Rows in the last {} days', kind: 'share' },
    recentRows: { label: 'Rows in the judged window', kind: 'count' },
    recentWindowDays: { label: 'Judged window', kind: 'duration', unit: 'day' },
    expectedRecentRows: { label: 'Rows the usual rate gives', kind: 'number' },
    recentShareJudged: { label: 'Recent share judged', kind: 'boolean' },
    medianDay: { label: 'Half the rows predate', kind: 'date', granularity: 'day' },
    historyDays: { label: 'History', kind: 'duration', unit: 'day' },
    minorAboveDays: { label: 'Minor from an age of', kind: 'duration', unit: 'day' },
    majorAboveDays: { label: 'Major from an age of', kind: 'duration', unit: 'day' },
    shareRatio: { label: 'Thin below this share of the usual rate', kind: 'share' },
  },
  dependsOn: TIME_DEPS,
  applies: (s) => s.time !== undefined,
  queries: (s) => ({ time: timeQuery(s) }),
  findings(s, r) {
    const t = s.thresholds;
    const row = first(timeRows(r, 'recency'));
    const asOf = s.input.context.asOf;
    const granularity = s.time!.granularity;
    const j = judgeRecency(row, granularity, asOf, t);
    if (!j) return [];
    const shares = Object.fromEntries(
      t.recencyWindows.map((d) => [`shareLast${d}Days`, round(count(row[`last_${Math.round(d)}`]) / j.rows)]),
    );
    const w = j.byShare === 'info' ? undefined : j.minorWindow;
    const thin = w
      ? `${j.byAge === 'info' ? ', but' : ';'} only ${fmtPct(w.rows / j.rows)} of rows (${fmtInt(w.rows)}) are from the last ${w.days} days, where the history’s usual rate would put ${fmtPct(w.expected / j.rows)}${j.medianDay ? `; half the rows predate ${formatDate(j.medianDay, 'day')}` : ''}`
      : '';
    const unit = periodUnit(granularity);
    const recommendation =
      j.severity === 'info'
        ? 'The data is recent enough to validate on the newest period.'
        : j.byShare !== 'info' && j.byAge === 'info'
          ? 'The newest rows are fresh but few: the bulk of the history is old, so a model trained on it learns a world that has moved on, and the recent rows are too few to validate on. Ask why recent volume dropped (a partial extract, a migration, a filter) and get the full recent period before validating on it.'
          : isPeriodGranularity(granularity)
            ? `The newest complete ${unit} is missing: the model would be validated on a world that has moved on. Ask for the missing ${unit}s, or document why the gap does not matter.`
            : `The newest data is ${fmtInt(j.ageDays)} days old: the model would be validated on a world that has moved on. Ask for a fresh extract, or document why the gap does not matter.`;
    return [
      finder(
        s,
        this.id,
        this.area,
      )({
        severity: j.severity,
        key: s.time!.column,
        title: `${recencyHeadline(j, granularity, asOf)}${thin}`,
        columns: [s.time!.column],
        evidence: {
          newest: j.newest,
          newestPeriodEnd: j.newestPeriodEnd,
          granularity: granularity ?? null,
          ageDays: j.ageDays,
          missingPeriods: j.missingPeriods,
          asOf,
          ...shares,
          recentRows: j.minorWindow.rows,
          recentWindowDays: j.minorWindow.days,
          expectedRecentRows: round(j.minorWindow.expected, 1),
          recentShareJudged: j.minorWindow.judged,
          medianDay: j.medianDay,
          historyDays: j.historyDays,
          minorAboveDays: t.recencyMinorDays,
          majorAboveDays: t.recencyMajorDays,
          shareRatio: t.recencyShareRatio,
        },
        sql: recencyQuery(s.sql, recencyWindowsOf(t)),
        recommendation,
      }),
    ];
  },
};

import { classBalanceChart, rowsByMonthChart } from '../charts/check-charts';
import { formatDate, formatPValue } from '../format';
import type { Finding } from '../model/audit';
import {
  type CoverageUnit,
  categoryPeriodsQuery,
  classByPeriodQuery,
  classByPeriodsQuery,
  monthGapsQuery,
  recencyQuery,
  timeCoverageQuery,
  timeSpanQuery,
} from '../sql/readiness-coverage';
import type { TimeGranularity } from '../sql/readiness-common';
import type { ReadinessThresholds } from '../thresholds';
import { segmentClassCountsQuery } from '../sql/readiness-volume';
import { chiSquareHomogeneity } from '../stats/chi-square';
import { batchRows, categoryBatch, periodColumns, statements } from './consistency-batch';
import { FEATURE_DEPS, LABEL_DEPS } from './deps';
import { count, finder, first, fmtInt, fmtPct, median, q, round, toNumber, toText } from './findings';
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
import type { CheckDefinition, QueryResults, ReadinessSetup, ResultRow } from './types';
import { segmentSummary } from './volume';

const TIME_DEPS = ['eventTime', 'asOf', 'historyFrom', 'thresholds'] as const;

/** The one statement behind the span, gaps and recency checks (each finding shows its own query). */
function timeQuery(s: ReadinessSetup): string {
  return timeCoverageQuery(s.sql, gapUnit(s), recencyWindowsOf(s.thresholds));
}

/** The windows recency counts rows in: the reported ones and the two it judges by. */
function recencyWindowsOf(t: ReadinessThresholds): number[] {
  return [...new Set([...t.recencyWindows, t.recencyMinorDays, t.recencyMajorDays].map(Math.round))].sort(
    (a, b) => a - b,
  );
}

function timeRows(r: QueryResults, part: 'span' | 'months' | 'recency'): ResultRow[] {
  return (r.time ?? []).filter((x) => x.part === part);
}

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
    const at = (v: unknown): string => formatTimeValue(toText(v), ref.granularity);
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

/** The unit gaps are judged in: the column's own years or quarters, else months. */
function gapUnit(s: ReadinessSetup): CoverageUnit {
  return periodUnit(s.time?.granularity);
}

function gcd(a: number, b: number): number {
  return b === 0 ? a : gcd(b, a % b);
}

/**
 * The step, in periods, between a series' readings: the gcd of the distances
 * between filled periods (1 for a continuous series). The series starts at a
 * filled period, so index 0 is on the cadence. Needs three readings.
 */
export function cadenceOf(periods: readonly { rows: number }[]): number {
  const filled = periods.flatMap((p, i) => (p.rows > 0 ? [i] : []));
  if (filled.length < 3) return 1;
  let step = 0;
  for (let k = 1; k < filled.length; k++) step = gcd(step, filled[k]! - filled[k - 1]!);
  return Math.max(1, step);
}

export const coverageGaps: CheckDefinition = {
  id: 'coverage-gaps',
  area: 'coverage',
  meaning: 'Months without data leave holes that skew trends and time-based validation.',
  fix: 'collect-more-data',
  owner: 'source-owner',
  chart: rowsByMonthChart,
  description:
    'Months (years or quarters, for a column of years or quarters) with no rows, or far fewer rows than the median; a gap in the same calendar month every year is reported as seasonal. A history too thin to judge by counts is still judged when it is regular (the same rows in every filled period, as one reading a quarter).',
  evidence: {
    months: { label: 'Months', kind: 'text' },
    emptyMonths: { label: 'Empty months', kind: 'count' },
    sparseMonths: { label: 'Sparse months', kind: 'count' },
    medianRowsPerMonth: { label: 'Median rows per month', kind: 'number' },
    minMedian: { label: 'Judged from a median of', kind: 'count', unit: 'row' },
    cadence: { label: 'Cadence', kind: 'text' },
    ratio: { label: 'Sparse below this share of the median', kind: 'share' },
  },
  dependsOn: TIME_DEPS,
  applies: (s) => s.time !== undefined,
  queries: (s) => ({ time: timeQuery(s) }),
  findings(s, r) {
    const make = finder(s, this.id, this.area);
    const t = s.thresholds;
    const unit = gapUnit(s);
    const sql = monthGapsQuery(s.sql, unit);
    const all = timeRows(r, 'months').map((m) => ({ month: toText(m.month) ?? '', rows: count(m.rows) }));
    // A series read every k periods (a census every 10 years, a survey every 5) is empty in between by
    // design: judge only the periods on its cadence, the gcd of the steps between filled periods.
    const cadence = cadenceOf(all);
    const months = cadence > 1 ? all.filter((_, i) => i % cadence === 0) : all;
    if (months.length < 3) return [];
    const filled = months.filter((m) => m.rows > 0).map((m) => m.rows);
    const typical = median(filled) ?? 0;
    const empty = months.filter((m) => m.rows === 0);
    const column = s.time!.column;
    const every = cadence > 1 ? ` (one reading every ${cadence} ${unit}s)` : '';
    const out: Finding[] = [];
    // A regular series (the same rows in every filled period: one reading a quarter, ten firms a year)
    // shows a missing period however few rows it has; only irregular thin histories are left unjudged.
    const regular = filled.length >= 3 && filled.every((n) => n === filled[0]);
    if (typical < t.minMedianMonthRows && !regular) {
      if (empty.length > 0)
        out.push(
          make({
            severity: 'info',
            key: 'sparse-history',
            title: `History too thin to judge ${unit}ly gaps: median ${plural(typical, 'row', fmtInt(typical))} per ${unit}, ${plural(empty.length, `empty ${unit}`)}`,
            columns: [column],
            evidence: {
              months: months.length,
              emptyMonths: empty.length,
              medianRowsPerMonth: typical,
              minMedian: t.minMedianMonthRows,
            },
            sql,
            recommendation:
              'Judge coverage by year rather than by month, or restrict the audit to the period the model will be trained on.',
          }),
        );
      return out;
    }
    // The same calendar month empty in several years is a season (a league's summer break), not a broken extract.
    const emptyPerCalendarMonth = new Map<string, number>();
    for (const m of empty)
      emptyPerCalendarMonth.set(m.month.slice(5), (emptyPerCalendarMonth.get(m.month.slice(5)) ?? 0) + 1);
    const seasonal =
      unit !== 'year' &&
      empty.length >= 2 &&
      empty.every((m) => (emptyPerCalendarMonth.get(m.month.slice(5)) ?? 0) >= 2);
    if (empty.length > 0)
      out.push(
        make({
          severity: seasonal ? 'minor' : 'major',
          key: 'empty',
          title: `${empty.length} ${unit}${empty.length === 1 ? '' : 's'} with no rows: ${empty
            .slice(0, 6)
            .map((m) => formatDate(m.month, unit))
            .join(
              ', ',
            )}${empty.length > 6 ? ', …' : ''}${every}${seasonal ? ' (the same calendar months every year: a seasonal pause?)' : ''}`,
          columns: [column],
          evidence: {
            emptyMonths: empty.length,
            months: empty.map((m) => formatDate(m.month, unit)).join(', '),
            medianRowsPerMonth: typical,
            cadence,
          },
          details: months,
          sql,
          recommendation: seasonal
            ? 'The gaps recur in the same calendar months, which suggests a seasonal pause (a sports off-season, a closed period) rather than lost data. Confirm it with the source owner, and make sure validation windows and the prediction period respect the season.'
            : `A ${unit} with no data is usually a broken extract or a system migration. Recover the missing period, or keep it out of validation windows and check that the model does not learn the gap as a seasonal effect.`,
        }),
      );
    const interior = months.slice(1, -1);
    const sparse = interior.filter((m) => m.rows > 0 && m.rows < t.sparseMonthRatio * typical);
    if (sparse.length > 0)
      out.push(
        make({
          severity: 'minor',
          key: 'sparse',
          title: `${sparse.length} ${unit}${sparse.length === 1 ? '' : 's'} with under ${fmtPct(t.sparseMonthRatio, 0)} of the usual volume: ${sparse
            .slice(0, 6)
            .map((m) => m.month)
            .join(', ')}`,
          columns: [column],
          evidence: {
            sparseMonths: sparse.length,
            months: sparse.map((m) => `${m.month} (${m.rows})`).join(', '),
            medianRowsPerMonth: typical,
            ratio: t.sparseMonthRatio,
          },
          details: months,
          sql,
          recommendation:
            'Find out why volume drops in these months (partial extract, outage, migration) before relying on them for training or validation.',
        }),
      );
    return out;
  },
};

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

/** Period × class counts from a `classByPeriodQuery` result. */
function periodTable(
  rows: readonly ResultRow[],
  minRows: number,
): { periods: string[]; classes: string[]; table: number[][] } {
  const periods: string[] = [];
  const classes: string[] = [];
  const cells = new Map<string, number>();
  for (const row of rows) {
    const period = toText(row.period) ?? '';
    const label = toText(row.label) ?? '';
    if (!periods.includes(period)) periods.push(period);
    if (!classes.includes(label)) classes.push(label);
    cells.set(`${period}\u0000${label}`, count(row.rows));
  }
  classes.sort();
  const table = periods.map((p) => classes.map((c) => cells.get(`${p}\u0000${c}`) ?? 0));
  const keep = table
    .map((row, i) => (row.reduce((a, b) => a + b, 0) >= minRows ? i : -1))
    .filter((i) => i >= 0);
  return { periods: keep.map((i) => periods[i]!), classes, table: keep.map((i) => table[i]!) };
}

export const coverageClassBalance: CheckDefinition = {
  id: 'coverage-class-balance',
  area: 'coverage',
  meaning: 'The class balance shifts over time, so past performance may not carry forward.',
  fix: 'collect-more-data',
  owner: 'source-owner',
  chart: classBalanceChart,
  inWords: 'class balance over time',
  description:
    'Class balance per calendar year (per quarter when there are fewer than three years), with a chi-square test and the periods that deviate. Years are preferred because quarters mix in seasonality.',
  evidence: {
    grain: { label: 'Periods compared', kind: 'text' },
    chiSquare: { label: 'χ² statistic', kind: 'number' },
    df: { label: 'Degrees of freedom', kind: 'count' },
    pValue: { label: 'p-value', kind: 'number', digits: 4 },
    deviations: { label: 'Largest deviations', kind: 'text' },
  },
  dependsOn: [...TIME_DEPS, ...LABEL_DEPS],
  applies: (s) => s.time !== undefined && s.label?.kind === 'classes',
  queries: (s) => ({ periods: classByPeriodsQuery(s.sql) }),
  findings(s, r) {
    const t = s.thresholds;
    const ofGrain = (grain: string): ResultRow[] => (r.periods ?? []).filter((x) => x.grain === grain);
    const years = periodTable(ofGrain('year'), t.minGroupRows);
    const grain = years.periods.length >= 3 ? 'year' : 'quarter';
    const { periods, classes, table } =
      grain === 'year' ? years : periodTable(ofGrain('quarter'), t.minGroupRows);
    const test = chiSquareHomogeneity(table);
    if (!test || test.pValue >= t.chiSquareAlpha) return [];
    const total = table.flat().reduce((a, b) => a + b, 0);
    const colTotals = classes.map((_, j) => table.reduce((a, row) => a + row[j]!, 0));
    const display = (c: string): string => s.label!.classes.find((x) => x.label === c)?.display ?? c;
    const flagged: { period: string; label: string; share: number; rest: number; residual: number }[] = [];
    table.forEach((row, k) => {
      const n = row.reduce((a, b) => a + b, 0);
      row.forEach((cell, j) => {
        const residual = test.adjustedResiduals[k]![j]!;
        const share = cell / n;
        const rest = (colTotals[j]! - cell) / (total - n);
        if (Math.abs(residual) >= t.residualThreshold && Math.abs(share - rest) >= t.labelRateDiffMajor)
          flagged.push({ period: periods[k]!, label: display(classes[j]!), share, rest, residual });
      });
    });
    if (flagged.length === 0) return [];
    flagged.sort((a, b) => Math.abs(b.residual) - Math.abs(a.residual));
    return [
      finder(
        s,
        this.id,
        this.area,
      )({
        severity: 'minor',
        key: s.label!.column,
        title: `Class balance shifts over time: ${flagged.length} ${grain} × class cells deviate (${formatPValue(test.pValue)})`,
        columns: [s.label!.column, s.time!.column],
        evidence: {
          grain,
          chiSquare: round(test.statistic, 4),
          df: test.df,
          pValue: test.pValue,
          deviations: flagged
            .slice(0, 8)
            .map((f) => `${f.period} ${f.label}: ${fmtPct(f.share)} vs ${fmtPct(f.rest)}`)
            .join('; '),
        },
        details: periods.map((p, i) => ({
          period: p,
          ...Object.fromEntries(classes.map((c, j) => [display(c), table[i]![j]!])),
        })),
        sql: classByPeriodQuery(s.sql, grain),
        recommendation:
          'The class mix changes over time: a changed definition, process or population. Validate on the most recent period, and find out whether the shift is real or an artefact of how labels were recorded.',
      }),
    ];
  },
};

export const coverageSegments: CheckDefinition = {
  id: 'coverage-segments',
  area: 'coverage',
  meaning: 'Some segments are missing in some periods, so the model cannot learn them consistently.',
  fix: 'collect-more-data',
  owner: 'source-owner',
  inWords: 'segments without examples of a class',
  description: 'Segment values with too few rows, or without positive examples (without some classes).',
  evidence: {
    smallSegments: { label: 'Segments with a problem', kind: 'count' },
    minRows: { label: 'Too small below', kind: 'count', unit: 'row' },
    examples: { label: 'Examples', kind: 'text' },
  },
  dependsOn: ['segments', 'thresholds', ...LABEL_DEPS],
  applies: (s) => s.segments.length > 0,
  queries: (s) =>
    Object.fromEntries(s.segments.map((c, i) => [`segment_${i}`, segmentClassCountsQuery(s.sql, c.name)])),
  findings(s, r) {
    const make = finder(s, this.id, this.area);
    const t = s.thresholds;
    const label = s.label;
    const allClasses = label?.classes.map((c) => c.label) ?? [];
    const display = (c: string): string => label?.classes.find((x) => x.label === c)?.display ?? c;
    const out: Finding[] = [];
    s.segments.forEach((column, i) => {
      const summary = segmentSummary(r[`segment_${i}`] ?? [], label?.positive);
      const small = summary.filter((x) => x.rows < t.minGroupRows);
      const problems: { segment: string | null; rows: number; issue: string }[] = small.map((x) => ({
        segment: x.segment,
        rows: x.rows,
        issue: `only ${x.rows} rows`,
      }));
      if (label?.kind === 'classes' && allClasses.length >= 2) {
        for (const x of summary) {
          if (x.rows < t.minGroupRows) continue;
          if (label.task === 'binary') {
            if (x.positives === 0)
              problems.push({
                segment: x.segment,
                rows: x.rows,
                issue: `no ${display(label.positive ?? '')} examples`,
              });
          } else {
            const missing = allClasses.filter((c) => !x.classes.includes(c));
            if (missing.length)
              problems.push({
                segment: x.segment,
                rows: x.rows,
                issue: `no ${missing.map(display).join(', ')}`,
              });
          }
        }
      }
      if (problems.length === 0) return;
      out.push(
        make({
          severity: 'minor',
          key: column.name,
          title: `${problems.length} ${q(column.name)} value${problems.length === 1 ? '' : 's'} with too few rows or missing classes`,
          columns: [column.name, ...(label ? [label.column] : [])],
          evidence: {
            smallSegments: small.length,
            minRows: t.minGroupRows,
            examples: problems
              .slice(0, 6)
              .map((p) => `${p.segment ?? '(missing)'}: ${p.issue}`)
              .join('; '),
          },
          details: problems,
          sql: segmentClassCountsQuery(s.sql, column.name),
          recommendation:
            'The model cannot learn what it has not seen: for thin segments, expect unreliable predictions. Merge small segments, collect more data for them, or exclude them from the model’s scope explicitly.',
        }),
      );
    });
    return out;
  },
};

export const coverageCategories: CheckDefinition = {
  id: 'coverage-categories',
  area: 'coverage',
  meaning: 'Categories appear or disappear over time; the model will meet values it never saw.',
  fix: 'collect-more-data',
  owner: 'source-owner',
  inWords: 'categories new or gone over time',
  description: 'Categories present only in old data (discontinued) or only in recent data (new).',
  evidence: {
    discontinued: { label: 'Values gone recently', kind: 'text' },
    new: { label: 'Values new recently', kind: 'text' },
    recentSince: { label: 'Recent since', kind: 'date', granularity: 'day' },
    minRows: { label: 'Counted from', kind: 'count', unit: 'row' },
  },
  dependsOn: [...TIME_DEPS, ...FEATURE_DEPS, 'segments', 'source'],
  applies: (s) => s.time !== undefined && periodColumns(s).length > 0,
  queries: (s) => statements({ categories: categoryBatch(s) }),
  findings(s, r) {
    const make = finder(s, this.id, this.area);
    const out: Finding[] = [];
    periodColumns(s).forEach((column) => {
      const rows = batchRows(r.categories, 'periods', column.name);
      if (rows.length === 0) return;
      const gone = rows.filter((x) => count(x.recent) === 0);
      const fresh = rows.filter((x) => count(x.old) === 0);
      const cutoff = toText(rows[0]?.cutoff);
      out.push(
        make({
          severity: 'minor',
          key: column.name,
          title: `${q(column.name)}: ${gone.length} value${gone.length === 1 ? '' : 's'} only in old data, ${fresh.length} only in recent data (since ${cutoff})`,
          columns: [column.name, s.time!.column],
          evidence: {
            discontinued: gone.map((x) => toText(x.value)).join(', ') || null,
            new: fresh.map((x) => toText(x.value)).join(', ') || null,
            recentSince: cutoff,
            minRows: s.thresholds.minCategoryRows,
          },
          details: rows.map((x) => ({ value: toText(x.value), old: count(x.old), recent: count(x.recent) })),
          sql: categoryPeriodsQuery(
            s.sql,
            column.name,
            s.thresholds.recentRowShare,
            s.thresholds.minCategoryRows,
          ),
          recommendation:
            'Discontinued values teach the model patterns that no longer occur; new values are unseen at training time. Map renamed categories to one value, and plan how the model treats unseen ones.',
        }),
      );
    });
    return out;
  },
};

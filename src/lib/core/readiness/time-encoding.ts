import { formatDate, formatShare, pluralWord } from '../format';
import type { ColumnSchema } from '../model/audit';
import { isNumericType, isTemporalType, isTextType } from '../sql/types';
import {
  NUMERIC_TIME_RANGES,
  defaultTimeEncoding,
  type TimeEncoding,
  type TimeGranularity,
  type TimePeriodPart,
} from '../sql/readiness-common';
import { READINESS_THRESHOLDS } from '../thresholds';
import { count, toText } from './findings';
import type { EarlyDay, IsolatedEarlyDates, ResultRow } from './types';

/** How each encoding is described to the user ("“Year” is read as calendar years"). */
export const TIME_ENCODING_LABELS: Record<TimeEncoding, string> = {
  native: 'read as dates',
  text: 'read as dates written as text',
  quarter: 'read as quarters (1974Q1)',
  year: 'read as calendar years',
  yyyymm: 'read as yyyymm months',
  yyyymmdd: 'read as yyyymmdd dates',
  'epoch-seconds': 'read as seconds since 1970-01-01 UTC',
  'epoch-milliseconds': 'read as milliseconds since 1970-01-01 UTC',
};

/** The granularity a numeric encoding implies; epoch values carry a time of day. */
const ENCODING_GRANULARITY: Partial<Record<TimeEncoding, TimeGranularity>> = {
  year: 'year',
  yyyymm: 'month',
  yyyymmdd: 'day',
  'epoch-seconds': 'instant',
  'epoch-milliseconds': 'instant',
};

/** The thresholds `timeFactsFrom` and `validateTimeRole` read. */
export interface TimeFactsThresholds {
  granularityShare: number;
  timeRoleMinReadShare: number;
}

/** The outcome of reading a column as time. */
export type TimeRoleCheck =
  | {
      ok: true;
      encoding: TimeEncoding;
      granularity: TimeGranularity;
      /** "read as calendar years" and the like. */
      readAs: string;
      nonNull: number;
      readable: number;
      /** The quarter or month column read with a year column as one period. */
      period?: TimePeriodPart;
    }
  | { ok: false; message: string };

const NUMERIC_HELP =
  'Give the time role to a column of dates, timestamps, date text, or whole numbers holding calendar years, yyyymm, yyyymmdd, or seconds or milliseconds since 1970.';

function pct(share: number): string {
  return formatShare(share, { digits: share < 0.1 ? 1 : 0 });
}

function granularityOf(row: ResultRow, readable: number, share: number): TimeGranularity {
  if (readable === 0) return 'instant';
  if (count(row.jan1) / readable >= share) return 'year';
  if (count(row.quarter_start) / readable >= share) return 'quarter';
  if (count(row.first_of_month) / readable >= share) return 'month';
  if (count(row.midnight) / readable >= share) return 'day';
  return 'instant';
}

/**
 * A year read with the quarter or month column beside it, when one of
 * `periodParts` gives a period to at least `granularityShare` of the rows the
 * year reads (`as_period_<i>` of `timeFactsQuery`); months before quarters.
 */
function withPeriod(
  check: Extract<TimeRoleCheck, { ok: true }>,
  row: ResultRow,
  periodParts: readonly TimePeriodPart[],
  share: number,
): TimeRoleCheck {
  const i = periodParts.findIndex(
    (_, k) => check.readable > 0 && count(row[`as_period_${k}`]) / check.readable >= share,
  );
  const period = periodParts[i];
  if (!period) return check;
  return {
    ...check,
    granularity: period.unit,
    readAs: `read as ${period.unit}s (the year with “${period.column}”)`,
    readable: count(row[`as_period_${i}`]),
    period,
  };
}

/**
 * Whether a column can serve as a time axis, from the one-row result of
 * `timeFactsQuery` (core/sql/readiness-time) on it. Pure: the UI and the
 * session call it when a user gives a column the event- or outcome-time role,
 * and refuse the role with `message` when `ok` is false. Numbers are read as
 * the encoding that reads the most values (years, yyyymm, yyyymmdd, epoch
 * seconds or milliseconds, whose ranges do not overlap); at least
 * `timeRoleMinReadShare` of the non-null values must be readable. Text is
 * read as dates, else as years or quarters (`1974Q1`). A year column with a
 * quarter or month column beside it (`periodParts`, the list the facts query
 * was built with) is read with it as one period.
 */
export function validateTimeRole(
  column: Pick<ColumnSchema, 'name' | 'type'>,
  row: ResultRow,
  t: TimeFactsThresholds = READINESS_THRESHOLDS,
  periodParts: readonly TimePeriodPart[] = [],
): TimeRoleCheck {
  const name = `“${column.name}”`;
  const nonNull = count(row.nonnull);
  if (/TIME ?ZONE|TIMESTAMPTZ/i.test(column.type))
    return {
      ok: false,
      message: `${name} is a timestamp with a time zone (${column.type}). Reload the file so the loader converts it to UTC, then give it the time role.`,
    };
  const native = defaultTimeEncoding(column.type);
  if (!isNumericType(column.type) && native === undefined)
    return {
      ok: false,
      message: `${name} is ${column.type}, which cannot be read as time. ${NUMERIC_HELP}`,
    };
  if (nonNull === 0) return { ok: false, message: `${name} has no values, so it cannot be the time axis.` };
  if (isNumericType(column.type)) {
    const ranked = (Object.keys(NUMERIC_TIME_RANGES) as (keyof typeof NUMERIC_TIME_RANGES)[])
      .map((encoding) => ({ encoding, readable: count(row[`as_${encoding}`]) }))
      .sort((a, b) => b.readable - a.readable);
    const best = ranked[0]!;
    if (best.readable / nonNull < t.timeRoleMinReadShare)
      return {
        ok: false,
        message:
          best.readable === 0
            ? `None of the ${nonNull} values of ${name} reads as a calendar year (1000–2999), yyyymm, yyyymmdd, or seconds or milliseconds since 1970. ${NUMERIC_HELP}`
            : `Only ${pct(best.readable / nonNull)} of ${name} reads as time (${TIME_ENCODING_LABELS[best.encoding]}); at least ${pct(t.timeRoleMinReadShare)} must. ${NUMERIC_HELP}`,
      };
    const check = {
      ok: true as const,
      encoding: best.encoding,
      granularity: ENCODING_GRANULARITY[best.encoding] ?? 'instant',
      readAs: TIME_ENCODING_LABELS[best.encoding],
      nonNull,
      readable: best.readable,
    };
    return best.encoding === 'year' ? withPeriod(check, row, periodParts, t.granularityShare) : check;
  }
  const readable = count(row.readable);
  const textYears = isTextType(column.type) ? count(row.as_year) : 0;
  const textQuarters = isTextType(column.type) ? count(row.as_quarter) : 0;
  if (readable / nonNull < t.timeRoleMinReadShare && textYears / nonNull >= t.timeRoleMinReadShare)
    return withPeriod(
      {
        ok: true,
        encoding: 'year',
        granularity: 'year',
        readAs: TIME_ENCODING_LABELS.year,
        nonNull,
        readable: textYears,
      },
      row,
      periodParts,
      t.granularityShare,
    );
  if (readable / nonNull < t.timeRoleMinReadShare && textQuarters / nonNull >= t.timeRoleMinReadShare)
    return {
      ok: true,
      encoding: 'quarter',
      granularity: 'quarter',
      readAs: TIME_ENCODING_LABELS.quarter,
      nonNull,
      readable: textQuarters,
    };
  if (readable / nonNull < t.timeRoleMinReadShare)
    return {
      ok: false,
      message: `Only ${pct(readable / nonNull)} of ${name} parses as dates (ISO, day/month/year, month/day/year, month names, or quarters such as 1974Q1); at least ${pct(t.timeRoleMinReadShare)} must.`,
    };
  const encoding: TimeEncoding = isTemporalType(column.type) ? 'native' : 'text';
  return {
    ok: true,
    encoding,
    granularity: granularityOf(row, readable, t.granularityShare),
    readAs: TIME_ENCODING_LABELS[encoding],
    nonNull,
    readable,
  };
}

function dayNumber(iso: string): number {
  return Date.parse(`${iso}T00:00:00Z`) / 86_400_000;
}

/**
 * The robust rule for implausibly early dates, from the rows of
 * `earlyDatesQuery`: candidates lie below Q1 − k × IQR (Tukey's fence); they
 * are isolated when a gap of at least max(IQR, `minGapDays`) days separates
 * them from the next later day. The latest such gap is the cut, so a long,
 * continuous history (every year back to 1958) is never flagged, while a
 * handful of 1901 dates before a 2015–2024 bulk is.
 */
export function isolatedEarlyDates(
  rows: readonly ResultRow[],
  minGapDays: number,
): IsolatedEarlyDates | undefined {
  const first = rows[0];
  if (!first) return undefined;
  const early: EarlyDay[] = [];
  let bulk: EarlyDay | undefined;
  for (const r of rows) {
    const day = toText(r.day);
    if (day === null) continue;
    if (r.bulk === true) bulk = { day, rows: count(r.rows) };
    else early.push({ day, rows: count(r.rows) });
  }
  if (!bulk || early.length === 0) return undefined;
  const iqr = count(first.iqr_days);
  const minGap = Math.max(iqr, minGapDays);
  const sequence = [...early, bulk];
  let cut = -1;
  for (let i = sequence.length - 2; i >= 0; i--) {
    if (dayNumber(sequence[i + 1]!.day) - dayNumber(sequence[i]!.day) >= minGap) {
      cut = i;
      break;
    }
  }
  if (cut < 0) return undefined;
  const days = early.slice(0, cut + 1);
  const bulkStart = sequence[cut + 1]!.day;
  return {
    bulkStart,
    days,
    rows: days.reduce((a, d) => a + d.rows, 0),
    gapDays: Math.round(dayNumber(bulkStart) - dayNumber(days[days.length - 1]!.day)),
    q1: toText(first.q1) ?? '',
    q3: toText(first.q3) ?? '',
    fence: toText(first.fence) ?? '',
    judged: count(first.n),
  };
}

/**
 * A `%Y-%m-%d %H:%M:%S` value as a client reads it, at the column's
 * granularity through core/format: `1970`, `1974 Q1`, `Nov 2023`,
 * `3 Nov 2023`, `3 Nov 2023, 15:01:07`. A column of unknown granularity reads
 * as an instant, so no time of day is dropped.
 */
export function formatTimeValue(value: string | null, granularity: TimeGranularity | undefined): string {
  return formatDate(value, granularity ?? 'instant');
}

/** The key of the period starting at an ISO date (`1970`, `1974-Q1`, `2023-11`): sorts and groups, it is not prose. */
function periodKey(start: string, unit: 'year' | 'quarter' | 'month'): string {
  if (unit === 'year') return start.slice(0, 4);
  if (unit === 'quarter')
    return `${start.slice(0, 4)}-Q${Math.floor((Number(start.slice(5, 7)) - 1) / 3) + 1}`;
  return start.slice(0, 7);
}

/** Months in one period of a coarse granularity (a value stands for the whole period). */
const PERIOD_MONTHS: Partial<Record<TimeGranularity, number>> = { year: 12, quarter: 3, month: 1 };

/** Whether a value of this granularity stands for a whole year, quarter or month. */
export function isPeriodGranularity(
  granularity: TimeGranularity | undefined,
): granularity is 'year' | 'quarter' | 'month' {
  return granularity !== undefined && PERIOD_MONTHS[granularity] !== undefined;
}

function isoDate(year: number, monthIndex: number): string {
  const d = new Date(Date.UTC(year, monthIndex, 1));
  return d.toISOString().slice(0, 10);
}

/**
 * The first day of the period holding an ISO date (`1987-11-15` in quarters:
 * `1987-10-01`); the date itself for day and instant granularities.
 */
export function periodStart(value: string, granularity: TimeGranularity | undefined): string {
  const months = granularity ? PERIOD_MONTHS[granularity] : undefined;
  if (!months) return value.slice(0, 10);
  const year = Number(value.slice(0, 4));
  const month = Number(value.slice(5, 7)) - 1;
  return isoDate(year, month - (month % months));
}

/**
 * The day after the period holding an ISO date ends, i.e. the first day of
 * the next period: 1970 (a year) ends on 1971-01-01, 1974-Q1 on 1974-04-01.
 * For day and instant granularities, the date itself.
 */
export function periodEnd(value: string, granularity: TimeGranularity | undefined): string {
  const months = granularity ? PERIOD_MONTHS[granularity] : undefined;
  if (!months) return value.slice(0, 10);
  const start = periodStart(value, granularity);
  return isoDate(Number(start.slice(0, 4)), Number(start.slice(5, 7)) - 1 + months);
}

/** Whole days from one ISO date to another (negative when `to` is earlier). */
export function daysBetween(from: string, to: string): number {
  return Math.round(
    (Date.parse(`${to.slice(0, 10)}T00:00:00Z`) - Date.parse(`${from.slice(0, 10)}T00:00:00Z`)) / 86_400_000,
  );
}

/** Complete periods from `from` (a period start) up to `to` (a period start). */
export function periodsBetween(from: string, to: string, granularity: 'year' | 'quarter' | 'month'): number {
  const months =
    (Number(to.slice(0, 4)) - Number(from.slice(0, 4))) * 12 +
    Number(to.slice(5, 7)) -
    Number(from.slice(5, 7));
  return Math.round(months / PERIOD_MONTHS[granularity]!);
}

/** The unit a granularity is counted in, in the texts ("1 row per year"); finer than a month counts in months. */
export function periodUnit(granularity: TimeGranularity | undefined): 'year' | 'quarter' | 'month' {
  return isPeriodGranularity(granularity) ? granularity : 'month';
}

/** "1 row", "12 rows": a count with its noun, singular for one. */
export function plural(n: number, noun: string, formatted = String(n)): string {
  return `${formatted} ${pluralWord(n, noun)}`;
}

/** Rows (and labels) of one period of the event time, summed from calendar months. */
export interface PeriodVolume {
  /** `2024-03`, `2024-Q1` or `2024`. */
  period: string;
  /** The period's first month (`2024-01`), for monthly charts. */
  month: string;
  rows: number;
  labelled: number;
  /** Positives (classification), when the months carry them. */
  positives?: number | null;
  /** Mean target (regression), weighted by labelled rows, when the months carry it. */
  target_mean?: number | null;
}

/** Volume per period at the data's own unit, with its summary. */
export interface PeriodVolumes {
  unit: 'year' | 'quarter' | 'month';
  periods: PeriodVolume[];
  /** Periods from the first to the last with rows, both included (empty ones too). */
  span: number;
  first: string | null;
  last: string | null;
  median: number;
  min: number;
  max: number;
}

/**
 * Rows per calendar month (`monthlyCountsQuery` rows: `month` as `YYYY-MM`,
 * `rows`, `labelled`, `positives` or `target_mean`) summed into the event
 * time's own unit: years for a column of years, quarters for quarters,
 * months otherwise. So a yearly series reads "61 years, 1 row per year".
 */
export function periodVolumes(
  months: readonly ResultRow[],
  granularity: TimeGranularity | undefined,
): PeriodVolumes {
  const unit = periodUnit(granularity);
  const byPeriod = new Map<string, PeriodVolume & { meanWeight: number }>();
  for (const m of months) {
    const month = toText(m.month);
    if (month === null) continue;
    const start = periodStart(`${month}-01`, unit);
    const period = periodKey(start, unit);
    const p = byPeriod.get(period) ?? {
      period,
      month: start.slice(0, 7),
      rows: 0,
      labelled: 0,
      meanWeight: 0,
    };
    const labelled = count(m.labelled);
    p.rows += count(m.rows);
    p.labelled += labelled;
    if ('positives' in m)
      p.positives = m.positives === null ? (p.positives ?? null) : (p.positives ?? 0) + count(m.positives);
    if ('target_mean' in m && m.target_mean !== null && labelled > 0) {
      const mean = count(m.target_mean);
      p.target_mean = ((p.target_mean ?? 0) * p.meanWeight + mean * labelled) / (p.meanWeight + labelled);
      p.meanWeight += labelled;
    } else if ('target_mean' in m && p.target_mean === undefined) p.target_mean = null;
    byPeriod.set(period, p);
  }
  const periods = [...byPeriod.values()]
    .sort((a, b) => (a.month < b.month ? -1 : a.month > b.month ? 1 : 0))
    .map(({ meanWeight: _w, ...p }) => p);
  const rows = periods.map((p) => p.rows).sort((a, b) => a - b);
  const firstPeriod = periods[0];
  const lastPeriod = periods[periods.length - 1];
  const mid = Math.floor(rows.length / 2);
  return {
    unit,
    periods,
    span:
      firstPeriod && lastPeriod
        ? periodsBetween(`${firstPeriod.month}-01`, periodEnd(`${lastPeriod.month}-01`, unit), unit)
        : 0,
    first: firstPeriod?.period ?? null,
    last: lastPeriod?.period ?? null,
    median: rows.length === 0 ? 0 : rows.length % 2 ? rows[mid]! : (rows[mid - 1]! + rows[mid]!) / 2,
    min: rows[0] ?? 0,
    max: rows[rows.length - 1] ?? 0,
  };
}

/** A time value from a result row (text, a date, null) as a reader sees it at the column's granularity. */
export function formatTimeCell(value: unknown, granularity: TimeGranularity | undefined): string {
  return formatTimeValue(toText(value), granularity);
}

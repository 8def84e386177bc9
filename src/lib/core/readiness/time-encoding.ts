import type { ColumnSchema } from '../audit/schema';
import { isNumericType, isTemporalType, isTextType } from '../profile/family';
import {
  NUMERIC_TIME_RANGES,
  defaultTimeEncoding,
  type TimeEncoding,
  type TimeGranularity,
} from '../sql/readiness-common';
import { READINESS_THRESHOLDS } from '../thresholds';
import { count, toText } from './findings';
import type { ResultRow } from './types';

/** How each encoding is described to the user ("“Year” is read as calendar years"). */
export const TIME_ENCODING_LABELS: Record<TimeEncoding, string> = {
  native: 'read as dates',
  text: 'read as dates written as text',
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
    }
  | { ok: false; message: string };

const NUMERIC_HELP =
  'Give the time role to a column of dates, timestamps, date text, or whole numbers holding calendar years, yyyymm, yyyymmdd, or seconds or milliseconds since 1970.';

function pct(share: number): string {
  return `${(share * 100).toFixed(share < 0.1 ? 1 : 0)} %`;
}

function granularityOf(row: ResultRow, readable: number, share: number): TimeGranularity {
  if (readable === 0) return 'instant';
  if (count(row.jan1) / readable >= share) return 'year';
  if (count(row.first_of_month) / readable >= share) return 'month';
  if (count(row.midnight) / readable >= share) return 'day';
  return 'instant';
}

/**
 * Whether a column can serve as a time axis, from the one-row result of
 * `timeFactsQuery` (core/sql/readiness-time) on it. Pure: the UI and the
 * session call it when a user gives a column the event- or outcome-time role,
 * and refuse the role with `message` when `ok` is false. Numbers are read as
 * the encoding that reads the most values (years, yyyymm, yyyymmdd, epoch
 * seconds or milliseconds, whose ranges do not overlap); at least
 * `timeRoleMinReadShare` of the non-null values must be readable.
 */
export function validateTimeRole(
  column: Pick<ColumnSchema, 'name' | 'type'>,
  row: ResultRow,
  t: TimeFactsThresholds = READINESS_THRESHOLDS,
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
    return {
      ok: true,
      encoding: best.encoding,
      granularity: ENCODING_GRANULARITY[best.encoding] ?? 'instant',
      readAs: TIME_ENCODING_LABELS[best.encoding],
      nonNull,
      readable: best.readable,
    };
  }
  const readable = count(row.readable);
  const textYears = isTextType(column.type) ? count(row.as_year) : 0;
  if (readable / nonNull < t.timeRoleMinReadShare && textYears / nonNull >= t.timeRoleMinReadShare)
    return {
      ok: true,
      encoding: 'year',
      granularity: 'year',
      readAs: TIME_ENCODING_LABELS.year,
      nonNull,
      readable: textYears,
    };
  if (readable / nonNull < t.timeRoleMinReadShare)
    return {
      ok: false,
      message: `Only ${pct(readable / nonNull)} of ${name} parses as dates (ISO, day/month/year, month/day/year or month names); at least ${pct(t.timeRoleMinReadShare)} must.`,
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

/** Rows of `earlyDatesQuery`, read. */
interface EarlyDay {
  day: string;
  rows: number;
}

/** Dates isolated far before the bulk of a time column. */
export interface IsolatedEarlyDates {
  /** The first day of the bulk: every isolated day is before it. */
  bulkStart: string;
  /** The isolated days, earliest first, with their rows. */
  days: EarlyDay[];
  rows: number;
  /** The gap in days between the last isolated day and `bulkStart`. */
  gapDays: number;
  q1: string;
  q3: string;
  fence: string;
  /** Rows judged (plausible, non-placeholder values). */
  judged: number;
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

/** A `%Y-%m-%d %H:%M:%S` value shown at the column's granularity: `1970` for years. */
export function formatTimeValue(value: string | null, granularity: TimeGranularity | undefined): string {
  if (value === null) return '—';
  if (granularity === 'year') return value.slice(0, 4);
  if (granularity === 'month') return value.slice(0, 7);
  if (granularity === 'day') return value.slice(0, 10);
  return value;
}

/**
 * Dates and durations as text, at the data's own granularity and in UTC, so
 * the same value reads the same on every machine. Month names come from a
 * fixed table: `Intl` abbreviations differ between ICU versions ("Sep"/"Sept").
 */
import { formatNumber } from './number';
import { pluralWord } from './words';

/** The finest unit a date value carries, as shown: a value of 2023-01-01 at `year` reads `2023`. */
export type DateGranularity =
  'year' | 'quarter' | 'month' | 'week' | 'day' | 'hour' | 'minute' | 'second' | 'instant';

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'] as const;

const two = (n: number): string => String(n).padStart(2, '0');

/**
 * A date value as the engine or a finding gives it: a `Date`, epoch
 * milliseconds, or text (`2023-11-03`, `2023-11-03T00:00:00.000Z`,
 * `2023-11-03 15:01:07`, `2023-11`, `2023-Q4`, `2023`). Text without a zone is
 * read as UTC wall time. Null when it is none of these.
 */
export function parseDateValue(value: unknown): Date | null {
  if (value instanceof Date) return Number.isNaN(value.getTime()) ? null : value;
  if (typeof value === 'number' || typeof value === 'bigint') {
    const d = new Date(Number(value));
    return Number.isNaN(d.getTime()) ? null : d;
  }
  if (typeof value !== 'string') return null;
  const text = value.trim();
  let m = /^(\d{4})$/.exec(text);
  if (m) return new Date(Date.UTC(Number(m[1]), 0, 1));
  m = /^(\d{4})-?Q([1-4])$/i.exec(text);
  if (m) return new Date(Date.UTC(Number(m[1]), (Number(m[2]) - 1) * 3, 1));
  m = /^(\d{4})-(\d{2})$/.exec(text);
  if (m) return new Date(Date.UTC(Number(m[1]), Number(m[2]) - 1, 1));
  m = /^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2})(\.\d+)?)?)?(Z|[+-]\d{2}:?\d{2})?$/.exec(
    text,
  );
  if (!m) return null;
  const iso = `${m[1]}-${m[2]}-${m[3]}T${m[4] ?? '00'}:${m[5] ?? '00'}:${m[6] ?? '00'}${m[7] ?? ''}${m[8] ?? 'Z'}`;
  const d = new Date(iso);
  return Number.isNaN(d.getTime()) ? null : d;
}

function dayText(d: Date): string {
  return `${d.getUTCDate()} ${MONTHS[d.getUTCMonth()]} ${d.getUTCFullYear()}`;
}

/**
 * A date at its column's granularity: `2023`, `2023 Q4`, `Nov 2023`,
 * `week of 30 Oct 2023`, `3 Nov 2023`, `3 Nov 2023, 15:00`,
 * `3 Nov 2023, 15:01:07` (`instant` drops zero seconds). Text that is not a
 * date is returned unchanged; null and undefined read `—`.
 */
export function formatDate(value: unknown, granularity: DateGranularity = 'day'): string {
  if (value === null || value === undefined) return '—';
  const d = parseDateValue(value);
  if (!d) return String(value);
  const year = d.getUTCFullYear();
  const time = `${two(d.getUTCHours())}:${two(d.getUTCMinutes())}`;
  switch (granularity) {
    case 'year':
      return String(year);
    case 'quarter':
      return `${year} Q${Math.floor(d.getUTCMonth() / 3) + 1}`;
    case 'month':
      return `${MONTHS[d.getUTCMonth()]} ${year}`;
    case 'week':
      return `week of ${dayText(d)}`;
    case 'day':
      return dayText(d);
    case 'hour':
    case 'minute':
      return `${dayText(d)}, ${time}`;
    case 'second':
      return `${dayText(d)}, ${time}:${two(d.getUTCSeconds())}`;
    case 'instant':
      return d.getUTCSeconds() === 0 && d.getUTCMilliseconds() === 0
        ? `${dayText(d)}, ${time}`
        : `${dayText(d)}, ${time}:${two(d.getUTCSeconds())}`;
  }
}

/** When something was generated or saved: `3 Dec 2026, 15:01 UTC` (`—` when unreadable). */
export function formatTimestamp(value: unknown): string {
  const d = parseDateValue(value);
  return d ? `${formatDate(d, 'minute')} UTC` : '—';
}

/** A unit a duration is counted in. */
export type DurationUnit = 'second' | 'minute' | 'hour' | 'day' | 'week' | 'month' | 'quarter' | 'year';

/**
 * A duration in the data's unit: `729 days`, `1 year`, `2.5 months`. The unit
 * may be given singular or plural (`days`).
 */
export function formatDuration(
  amount: number | null | undefined,
  unit: DurationUnit | `${DurationUnit}s`,
): string {
  if (amount === null || amount === undefined || Number.isNaN(amount)) return '—';
  const singular = unit.endsWith('s') ? unit.slice(0, -1) : unit;
  const digits = Math.abs(amount) >= 10 ? 0 : 1;
  const text = formatNumber(amount, { digits });
  return `${text} ${pluralWord(text === '1' ? 1 : amount, singular)}`;
}

/**
 * The one home of display formatting: the UI, both HTML reports, the Markdown
 * summary, the CLI's text and core's own sentences all read numbers, shares,
 * money, dates, durations, plurals and evidence through these functions.
 *
 * Output is fixed English (`12,345.6`, `3 Nov 2023`) in UTC, identical on
 * every machine, and never in e-notation.
 *
 * - `formatCount(12345)` → `12,345`
 * - `formatNumber(0.0234)` → `0.023`; `formatNumber(1e-7)` → `<0.001`; `formatNumber(x, { digits: 2 })`
 * - `formatShare(0.9859)` → `98.6 %`; `0.99995` → `>99.9 %`; `3.3` → `100 % (out of range: 3.3)`
 * - `formatPercentPoints(0.032)` → `+3.2 pp`
 * - `formatMoney(-5896, { currency: 'EUR', period: 'month', signWords: true })` → `saves €5,896 a month`
 * - `formatDate('2023-11-03', 'month')` → `Nov 2023`; `'quarter'` → `2023 Q4`; `'day'` → `3 Nov 2023`
 * - `formatTimestamp('2026-12-03T15:01:00Z')` → `3 Dec 2026, 15:01 UTC`
 * - `formatDuration(729, 'day')` → `729 days`
 * - `plural(2, 'blocker')` → `2 blockers`; `pluralWord(n, 'class')` → `class`/`classes`
 * - `formatEvidenceValue({ label: 'Minority rows', kind: 'count', unit: 'row' }, 2831)` → `2,831 rows`
 * - `formatCell(value, { type: 'DATE' })`: a data cell in the preview, dates at the column's granularity
 */
export {
  MISSING,
  formatBytes,
  formatCount,
  formatCountShare,
  formatDistinct,
  formatMoney,
  formatNumber,
  formatPercentPoints,
  formatPValue,
  formatShare,
  type MoneyOptions,
  type MoneyPeriod,
  type NumberOptions,
  type PercentPointOptions,
  type ShareOptions,
} from './number';
export {
  formatDate,
  formatDuration,
  formatTimestamp,
  parseDateValue,
  type DateGranularity,
  type DurationUnit,
} from './date';
export { formatList, keyWords, plural, pluralWord } from './words';
export {
  findEvidenceLabel,
  formatEvidenceValue,
  type EvidenceKind,
  type EvidenceLabel,
  type EvidenceLabels,
  type EvidenceScalar,
} from './evidence';
export { formatCell, type CellOptions } from './cell';

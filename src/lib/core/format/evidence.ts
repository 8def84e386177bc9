/**
 * Evidence values as text. Each check labels its own evidence keys next to its
 * definition (core/readiness); this module only knows how each kind reads.
 */
import { formatDate, formatDuration, type DateGranularity, type DurationUnit } from './date';
import { formatCount, formatMoney, formatNumber, formatShare, MISSING } from './number';
import { formatList, pluralWord } from './words';

/** How an evidence value reads. */
export type EvidenceKind =
  'count' | 'share' | 'number' | 'money' | 'date' | 'duration' | 'boolean' | 'text' | 'list';

/** The human label of one evidence key, with what its value is. */
export interface EvidenceLabel {
  /** Sentence-case words, e.g. `Rows of the minority class`. */
  label: string;
  kind: EvidenceKind;
  /**
   * `count`: the noun counted, singular (`row` → `2,831 rows`); `number`: a
   * unit written after the value (`σ`, `per 1,000 rows`); `duration`: its
   * unit (`day`); `money`: the currency.
   */
  unit?: string;
  /** `date`: the granularity to show (default `day`). */
  granularity?: DateGranularity;
}

/** A scalar evidence value as stored in a finding (lists arrive as JSON text). */
export type EvidenceScalar = string | number | boolean | null | undefined;

function listItems(value: EvidenceScalar): string[] | null {
  if (typeof value !== 'string' || !value.startsWith('[')) return null;
  try {
    const parsed: unknown = JSON.parse(value);
    return Array.isArray(parsed) ? parsed.map((v) => (v === null ? '(missing)' : String(v))) : null;
  } catch {
    return null;
  }
}

/**
 * One evidence value as text, as its label says it reads: `2,831 rows`,
 * `98.6 %`, `yes`, `3 Nov 2023`, `729 days`. Without a label the value is
 * shown plainly (numbers without e-notation, booleans as yes/no).
 */
export function formatEvidenceValue(label: EvidenceLabel | undefined, value: EvidenceScalar): string {
  if (value === null || value === undefined || value === '') return MISSING;
  if (typeof value === 'boolean') return value ? 'yes' : 'no';
  const list = listItems(value);
  if (list) return list.length ? formatList(list) : 'none';
  if (typeof value === 'string') {
    if (label?.kind === 'date') return formatDate(value, label.granularity ?? 'day');
    return value;
  }
  switch (label?.kind) {
    case 'count':
      return label.unit ? `${formatCount(value)} ${pluralWord(value, label.unit)}` : formatCount(value);
    case 'share':
      return formatShare(value);
    case 'money':
      return formatMoney(value, { currency: label.unit ?? '' });
    case 'date':
      return formatDate(value, label.granularity ?? 'day');
    case 'duration':
      return formatDuration(value, (label.unit ?? 'day') as DurationUnit);
    case 'number':
      return label.unit ? `${formatNumber(value)} ${label.unit}` : formatNumber(value);
    default:
      return Number.isInteger(value) ? formatCount(value) : formatNumber(value);
  }
}

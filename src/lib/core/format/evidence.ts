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
  /** `number`: decimals to show (a p-value reads `<0.0001` at 4); by size otherwise. */
  digits?: number;
  /** `date`: the granularity to show (default `day`). */
  granularity?: DateGranularity;
  /** `date`: the evidence key whose value is the granularity (`granularity`), when it varies by finding. */
  granularityFrom?: string;
}

/**
 * The labels of one check's evidence, by key. A key with `*` matches keys of
 * that shape (`share:*` matches `share:Yes`), and `{}` in its label takes the
 * matched text (`Share of “{}”` → `Share of “Yes”`).
 */
export type EvidenceLabels = Readonly<Record<string, EvidenceLabel>>;

const escape = (text: string): string => text.replace(/[.+?^${}()|[\]\\]/g, '\\$&');

/** The label of `key` in `labels`, exact keys first, then patterns; undefined when none. */
export function findEvidenceLabel(
  labels: EvidenceLabels | undefined,
  key: string,
): EvidenceLabel | undefined {
  if (!labels) return undefined;
  const exact = labels[key];
  if (exact) return exact;
  for (const [pattern, label] of Object.entries(labels)) {
    if (!pattern.includes('*')) continue;
    const m = new RegExp(`^${pattern.split('*').map(escape).join('(.+)')}$`).exec(key);
    if (m) return { ...label, label: label.label.replace('{}', m[1] ?? '') };
  }
  return undefined;
}

const DATE_GRANULARITIES: readonly DateGranularity[] = [
  'year',
  'quarter',
  'month',
  'week',
  'day',
  'hour',
  'minute',
  'second',
  'instant',
];

function isDateGranularity(value: unknown): value is DateGranularity {
  return DATE_GRANULARITIES.some((g) => g === value);
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

function granularityOf(
  label: EvidenceLabel,
  evidence: Readonly<Record<string, EvidenceScalar>>,
): DateGranularity {
  const named = label.granularityFrom === undefined ? undefined : evidence[label.granularityFrom];
  if (isDateGranularity(named)) return named;
  return label.granularity ?? 'day';
}

/**
 * One evidence value as text, as its label says it reads: `2,831 rows`,
 * `98.6 %`, `yes`, `3 Nov 2023`, `729 days`. Without a label the value is
 * shown plainly (numbers without e-notation, booleans as yes/no). `evidence`
 * is the whole finding's evidence, for a date whose granularity it names.
 */
export function formatEvidenceValue(
  label: EvidenceLabel | undefined,
  value: EvidenceScalar,
  evidence: Readonly<Record<string, EvidenceScalar>> = {},
): string {
  if (value === null || value === undefined || value === '') return MISSING;
  if (typeof value === 'boolean') return value ? 'yes' : 'no';
  const list = listItems(value);
  if (list) return list.length ? formatList(list) : 'none';
  if (typeof value === 'string') {
    if (label?.kind === 'date') return formatDate(value, granularityOf(label, evidence));
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
      return formatDate(value, granularityOf(label, evidence));
    case 'duration':
      return formatDuration(value, (label.unit ?? 'day') as DurationUnit);
    case 'number':
      return `${formatNumber(value, label.digits === undefined ? {} : { digits: label.digits })}${label.unit ? ` ${label.unit}` : ''}`;
    default:
      return Number.isInteger(value) ? formatCount(value) : formatNumber(value);
  }
}

import type { Alert, ColumnFamily, ColumnProfile, DatasetProfile, ValueCount } from '../../core/model/audit';
import { formatCell, formatCount, formatNumber, formatShare, plural } from '../../core/format';

/** What the column cards list needs of one column. */
export interface ColumnCardModel {
  column: ColumnProfile;
  /** Position in the dataset, stable across sorting: the cards' element ids use it. */
  index: number;
  /** Missing rows over all rows (0 when the dataset is empty). */
  missingShare: number;
  alerts: Alert[];
}

export type ColumnSortKey = 'position' | 'name' | 'missing' | 'distinct' | 'alerts';
export type SortDirection = 'asc' | 'desc';
export type FamilyFilter = ColumnFamily | 'all';

export interface ColumnListOptions {
  search: string;
  alertsOnly: boolean;
  family: FamilyFilter;
  sort: ColumnSortKey;
  direction: SortDirection;
}

export const DEFAULT_LIST_OPTIONS: ColumnListOptions = {
  search: '',
  alertsOnly: false,
  family: 'all',
  sort: 'position',
  direction: 'asc',
};

export const SORT_LABELS: Record<ColumnSortKey, string> = {
  position: 'File order',
  name: 'Name',
  missing: 'Missing share',
  distinct: 'Distinct values',
  alerts: 'Number of alerts',
};

export const FAMILY_LABELS: Record<ColumnFamily, string> = {
  numeric: 'Numeric',
  temporal: 'Date / time',
  categorical: 'Categorical',
  text: 'Text',
  boolean: 'Boolean',
  other: 'Other',
};

/** One card model per column, in file order, each with its own alerts. */
export function columnCards(profile: DatasetProfile): ColumnCardModel[] {
  const byColumn = new Map<string, Alert[]>();
  for (const alert of profile.alerts) {
    if (alert.column === undefined) continue;
    const list = byColumn.get(alert.column) ?? [];
    list.push(alert);
    byColumn.set(alert.column, list);
  }
  return profile.columns.map((column, index) => ({
    column,
    index,
    missingShare: profile.rows > 0 ? column.missing / profile.rows : 0,
    alerts: byColumn.get(column.name) ?? [],
  }));
}

/** Cards matching a case-insensitive name search, the alerts-only toggle and the family filter. */
export function filterCards(
  cards: readonly ColumnCardModel[],
  options: Pick<ColumnListOptions, 'search' | 'alertsOnly' | 'family'>,
): ColumnCardModel[] {
  const needle = options.search.trim().toLocaleLowerCase();
  return cards.filter(
    (c) =>
      (needle === '' || c.column.name.toLocaleLowerCase().includes(needle)) &&
      (!options.alertsOnly || c.alerts.length > 0) &&
      (options.family === 'all' || c.column.family === options.family),
  );
}

const collator = new Intl.Collator('en', { numeric: true, sensitivity: 'base' });

/** Cards sorted by one key; ties keep file order whatever the direction. */
export function sortCards(
  cards: readonly ColumnCardModel[],
  sort: ColumnSortKey,
  direction: SortDirection,
): ColumnCardModel[] {
  const sign = direction === 'asc' ? 1 : -1;
  const compare = (a: ColumnCardModel, b: ColumnCardModel): number => {
    switch (sort) {
      case 'position':
        return a.index - b.index;
      case 'name':
        return collator.compare(a.column.name, b.column.name);
      case 'missing':
        return a.missingShare - b.missingShare;
      case 'distinct':
        return a.column.distinct.value - b.column.distinct.value;
      case 'alerts':
        return a.alerts.length - b.alerts.length;
    }
  };
  return [...cards].sort((a, b) => sign * compare(a, b) || a.index - b.index);
}

/** The cards to show: filtered, then sorted. */
export function visibleCards(
  cards: readonly ColumnCardModel[],
  options: ColumnListOptions,
): ColumnCardModel[] {
  return sortCards(filterCards(cards, options), options.sort, options.direction);
}

/** The families present in a profile, in a fixed order, for the family filter. */
export function familiesPresent(profile: DatasetProfile): ColumnFamily[] {
  const present = new Set(profile.columns.map((c) => c.family));
  return (Object.keys(FAMILY_LABELS) as ColumnFamily[]).filter((f) => present.has(f));
}

/** Alerts in display order: dataset-wide ones first, then by column position. */
export function orderedAlerts(profile: DatasetProfile): Alert[] {
  const position = new Map(profile.columns.map((c, i) => [c.name, i]));
  const rank = (a: Alert): number =>
    a.column === undefined ? -1 : (position.get(a.column) ?? profile.columns.length);
  return profile.alerts
    .map((alert, i) => ({ alert, i }))
    .sort((x, y) => rank(x.alert) - rank(y.alert) || x.i - y.i)
    .map((x) => x.alert);
}

const SHARE_KINDS = new Set([
  'all-missing',
  'high-missing',
  'high-cardinality',
  'dominant-value',
  'missing-like',
  'zeros',
  'non-finite',
  'date-only-timestamps',
  'default-dates',
  'numbers-as-text',
  'dates-as-text',
  'untrimmed',
  'pii',
  'duplicate-rows',
]);

/** An alert's measured value and threshold as display text, in the unit the rule uses. */
export function alertMeasure(alert: Alert): { value: string; threshold: string } {
  if (SHARE_KINDS.has(alert.kind))
    return { value: formatShare(alert.value), threshold: formatShare(alert.threshold) };
  switch (alert.kind) {
    case 'skewed':
      return {
        value: formatNumber(alert.value, { digits: 2 }),
        threshold: `±${formatNumber(alert.threshold)}`,
      };
    case 'high-correlation':
      return {
        value: formatNumber(alert.value, { digits: 2 }),
        threshold: `±${formatNumber(alert.threshold)}`,
      };
    case 'high-association':
      return { value: formatNumber(alert.value, { digits: 2 }), threshold: formatNumber(alert.threshold) };
    case 'sentinel-values':
      return {
        value: plural(alert.value, 'row'),
        threshold: `${formatNumber(alert.threshold)} IQRs`,
      };
    case 'spelling-variants':
      return { value: plural(alert.value, 'group'), threshold: formatNumber(alert.threshold) };
    case 'constant':
      return { value: '1 distinct value', threshold: formatNumber(alert.threshold) };
    default:
      return { value: formatNumber(alert.value), threshold: formatNumber(alert.threshold) };
  }
}

/** Labels of the quantile keys (`"0.25"` → `p25 (Q1)`), sorted by level. */
export function quantileRows(
  quantiles: Record<string, number | null>,
): { level: number; label: string; value: number | null }[] {
  return Object.entries(quantiles)
    .map(([key, value]) => ({ level: Number(key), value }))
    .filter((q) => Number.isFinite(q.level))
    .sort((a, b) => a.level - b.level)
    .map(({ level, value }) => ({ level, label: quantileLabel(level), value }));
}

function quantileLabel(level: number): string {
  const p = `p${Number((level * 100).toPrecision(6))}`;
  if (level === 0.25) return `${p} (Q1)`;
  if (level === 0.5) return `${p} (median)`;
  if (level === 0.75) return `${p} (Q3)`;
  return p;
}

/** A value from a value count as display text; `null` and empty strings are named, whitespace is made visible. */
export function valueText(value: ValueCount['value']): string {
  if (value === null) return '(null)';
  if (typeof value === 'number') return formatCell(value);
  if (typeof value === 'boolean') return String(value);
  if (value === '') return '(empty string)';
  if (value.trim() !== value) return `“${value}”`;
  return value;
}

/** Rows of a top-values table with each share of `total`, plus an "other values" row when there are more. */
export function topValueRows(column: ColumnProfile): string[][] {
  const total = column.count;
  const share = (n: number): string => (total > 0 ? formatShare(n / total) : '—');
  const text = (v: ValueCount['value']): string =>
    column.family === 'temporal' && v !== null ? formatCell(v, { type: column.type }) : valueText(v);
  const rows = column.topK.map((v) => [text(v.value), formatCount(v.count), share(v.count)]);
  if (column.otherCount > 0)
    rows.push(['(other values)', formatCount(column.otherCount), share(column.otherCount)]);
  return rows;
}

export const WEEKDAYS = ['Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat', 'Sun'] as const;

/** Temporal columns with at least one month of data, for the rows-over-time chart. */
export function timelineColumns(profile: DatasetProfile): ColumnProfile[] {
  return profile.columns.filter((c) => c.family === 'temporal' && (c.temporal?.byMonth.length ?? 0) > 0);
}

/**
 * The timeline shown first: placeholder dates (1900-01-01, 9999-12-31…) stretch
 * a month axis over centuries, so the column with the fewest of them wins, then
 * the one with the most values, then file order.
 */
export function defaultTimelineColumn(profile: DatasetProfile): ColumnProfile | undefined {
  const placeholders = (c: ColumnProfile): number =>
    c.temporal?.defaultDates.reduce((sum, d) => sum + d.count, 0) ?? 0;
  return [...timelineColumns(profile)].sort(
    (a, b) => placeholders(a) - placeholders(b) || b.count - a.count,
  )[0];
}

/** Tab-separated text of a table, for pasting into a spreadsheet; tabs and line breaks inside cells become spaces. */
export function toTsv(headers: readonly string[], rows: readonly (readonly string[])[]): string {
  const clean = (cell: string): string => cell.replace(/[\t\r\n]+/g, ' ');
  return [headers, ...rows].map((row) => row.map(clean).join('\t')).join('\n');
}

/** A DOM id for a column card, from the dataset id and the column position (names are client data). */
export function columnCardId(datasetId: string, index: number): string {
  return `profile-${datasetId.replace(/[^\w-]/g, '')}-column-${index}`;
}

/** One data cell as text, for the preview and the detail tables: the data as it is, readable. */
import { formatDate, type DateGranularity } from './date';

export interface CellOptions {
  /** The column's DuckDB type: DATE values read as days, TIMESTAMP values as instants. */
  type?: string;
  /** The column's measured granularity, when known (a DATE column of first days of months reads `Nov 2023`). */
  granularity?: DateGranularity;
}

const plain = new Intl.NumberFormat('en-GB', { useGrouping: false, maximumFractionDigits: 20 });

/**
 * A cell's value as text: numbers as written in the data (no thousands
 * separators, so years and codes stay `2023`; no e-notation, so `1e-7` reads
 * `0.0000001`), dates at the column's granularity instead of ISO text, other
 * values as text. Null and undefined are empty.
 */
export function formatCell(value: unknown, options: CellOptions = {}): string {
  if (value === null || value === undefined) return '';
  const type = options.type?.toUpperCase() ?? '';
  if (type === 'DATE' || type.startsWith('TIMESTAMP')) {
    return formatDate(value, options.granularity ?? (type === 'DATE' ? 'day' : 'instant'));
  }
  if (typeof value === 'bigint') return value.toString();
  if (typeof value === 'number') {
    if (!Number.isFinite(value)) return Number.isNaN(value) ? 'NaN' : value > 0 ? '∞' : '-∞';
    // 15 significant digits drop float noise (0.1 + 0.2) without hiding real precision.
    return plain.format(Number(value.toPrecision(15)));
  }
  return String(value);
}

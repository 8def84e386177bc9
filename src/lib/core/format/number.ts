/**
 * Numbers, counts, shares and money as text. Output is fixed English with
 * `,` thousands and `.` decimals on every machine, and never in e-notation.
 */

/** Shown for a missing or unreadable number. */
export const MISSING = '—';

const grouped = new Map<number, Intl.NumberFormat>();

/** `x` rounded to at most `fractionDigits` decimals, with thousands separators and no "-0". */
function group(x: number, fractionDigits: number): string {
  let nf = grouped.get(fractionDigits);
  if (!nf) {
    nf = new Intl.NumberFormat('en-GB', {
      useGrouping: true,
      minimumFractionDigits: 0,
      maximumFractionDigits: fractionDigits,
    });
    grouped.set(fractionDigits, nf);
  }
  const text = nf.format(x);
  return /^-0(\.0*)?$/.test(text) ? '0' : text;
}

function infinite(x: number): string {
  return x > 0 ? '∞' : '-∞';
}

/** `12,345`: a whole count (rounded), `—` when missing, `∞` when infinite. */
export function formatCount(n: number | null | undefined): string {
  if (n === null || n === undefined || Number.isNaN(n)) return MISSING;
  if (!Number.isFinite(n)) return infinite(n);
  return group(Math.round(n), 0);
}

export interface NumberOptions {
  /**
   * Maximum decimals. Without it the precision follows the size (about three
   * significant digits, at most three decimals): 1,234 · 12.3 · 1.23 · 0.123 · 0.023.
   */
  digits?: number;
  /**
   * Significant digits instead, for a value of the data (a column's minimum,
   * a quantile) that must not read as `<0.001`: 0.000123 · 1,234,568.
   */
  significant?: number;
}

/**
 * A measured value (a ratio, a statistic, a mean) for prose and tables.
 * Values below the last decimal shown read `<0.001` (`>-0.001` when
 * negative); large values get thousands separators (`1,000,000,000,000`).
 */
export function formatNumber(x: number | null | undefined, options: NumberOptions = {}): string {
  if (x === null || x === undefined || Number.isNaN(x)) return MISSING;
  if (!Number.isFinite(x)) return infinite(x);
  if (x === 0) return '0';
  const abs = Math.abs(x);
  const magnitude = Math.floor(Math.log10(abs));
  if (options.significant !== undefined)
    return group(x, Math.min(20, Math.max(0, options.significant - 1 - magnitude)));
  const digits = options.digits ?? Math.min(3, Math.max(0, 3 - (magnitude + 1)));
  const smallest = 10 ** -digits;
  if (abs < smallest) {
    const floor = group(smallest, digits);
    return x > 0 ? `<${floor}` : `>-${floor}`;
  }
  return group(x, digits);
}

/** `p = 0.023`, `p < 0.0001`: a p-value with its relation, for prose. */
export function formatPValue(p: number | null | undefined): string {
  const text = formatNumber(p, { digits: 4 });
  return text.startsWith('<') ? `p < ${text.slice(1)}` : `p = ${text}`;
}

export interface ShareOptions {
  /** Maximum decimals of the percentage (default 1). */
  digits?: number;
}

/**
 * A share (0–1) as a percentage: `12.3 %`, `0 %`, `100 %`. Shares that would
 * round to 0 or 100 without being exactly 0 or 1 read `<0.1 %` and `>99.9 %`.
 * A value outside 0–1 is impossible for a share: it is clamped and says so,
 * `100 % (out of range: 3.3)`, so a wrong input never reads as a plain 330 %.
 */
export function formatShare(fraction: number | null | undefined, options: ShareOptions = {}): string {
  if (fraction === null || fraction === undefined || !Number.isFinite(fraction)) return MISSING;
  const digits = options.digits ?? 1;
  if (fraction < 0 || fraction > 1) {
    return `${fraction < 0 ? '0' : '100'} % (out of range: ${formatNumber(fraction)})`;
  }
  if (fraction === 0) return '0 %';
  if (fraction === 1) return '100 %';
  const step = 10 ** -digits;
  const percent = fraction * 100;
  if (percent < step / 2) return `<${group(step, digits)} %`;
  if (percent >= 100 - step / 2) return `>${group(100 - step, digits)} %`;
  return `${group(percent, digits)} %`;
}

export interface PercentPointOptions extends ShareOptions {
  /** Write `+` before a rise (default true); false for a ± width. */
  signed?: boolean;
  /** `percentage points` in prose instead of `pp`. */
  words?: boolean;
}

/**
 * A change between two shares, or the half-width of an interval on one, in
 * percentage points: `+3.2 pp`, `-0.5 pp`, `0 pp`; `5 percentage points` with
 * `{ signed: false, words: true }`.
 */
export function formatPercentPoints(
  delta: number | null | undefined,
  options: PercentPointOptions = {},
): string {
  if (delta === null || delta === undefined || !Number.isFinite(delta)) return MISSING;
  const text = group(delta * 100, options.digits ?? 1);
  const unit = options.words ? (text === '1' ? 'percentage point' : 'percentage points') : 'pp';
  const sign = options.signed !== false && text !== '0' && !text.startsWith('-') ? '+' : '';
  return `${sign}${text} ${unit}`;
}

/** `1,234 (12.3 %)`: a count with its share of a total (the count alone when the total is 0). */
export function formatCountShare(count: number, total: number): string {
  return total > 0 ? `${formatCount(count)} (${formatShare(count / total)})` : formatCount(count);
}

/** A distinct count, prefixed `≈` when it is an estimate (HyperLogLog on large tables). */
export function formatDistinct(distinct: { value: number; approximate: boolean }): string {
  return `${distinct.approximate ? '≈' : ''}${formatCount(distinct.value)}`;
}

/** `512 B`, `1.5 KB`, `12 MB` (binary units). */
export function formatBytes(bytes: number): string {
  if (!Number.isFinite(bytes)) return MISSING;
  if (bytes < 1024) return `${formatCount(bytes)} B`;
  const units = ['KB', 'MB', 'GB', 'TB'];
  let value = bytes / 1024;
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit++;
  }
  return `${group(value, value < 10 ? 1 : 0)} ${units[unit]}`;
}

/** A recurring period money is counted per. */
export type MoneyPeriod = 'day' | 'week' | 'month' | 'quarter' | 'year';

export interface MoneyOptions {
  /** An ISO code (`EUR` → `€`), a symbol, or a unit word (`calls`); empty for a bare amount. */
  currency?: string;
  /** `a month`; any other text is read as `per <text>` (`per 1,000 cases`). */
  period?: MoneyPeriod | string;
  /**
   * Words instead of a sign: a positive amount `costs`, a negative one `saves`
   * (`saves €5,896 a month`). Pass your own pair when positive means a gain.
   */
  signWords?: boolean | { positive: string; negative: string };
  /** Decimals (default 0: money in estimates is never precise to the cent). */
  digits?: number;
}

const CURRENCY_SYMBOLS: Readonly<Record<string, string>> = {
  EUR: '€',
  GBP: '£',
  USD: '$',
  JPY: '¥',
  INR: '₹',
};

/** `€5,896`, `CHF 5,896`, `5,896 calls`, without sign. */
function moneyAmount(abs: number, currency: string, digits: number): string {
  const amount = group(abs, digits);
  const code = currency.trim();
  if (code === '') return amount;
  const symbol = CURRENCY_SYMBOLS[code.toUpperCase()];
  if (symbol) return `${symbol}${amount}`;
  if (/^\p{Sc}$/u.test(code)) return `${code}${amount}`;
  if (/^[A-Z]{3}$/.test(code)) return `${code} ${amount}`;
  return `${amount} ${code}`;
}

function periodWords(period: string | undefined): string {
  if (!period) return '';
  const known: readonly string[] = ['day', 'week', 'month', 'quarter', 'year'];
  return known.includes(period) ? ` a ${period}` : ` per ${period}`;
}

/**
 * Money with its currency and period: `€1,200 a month`, `-€300`; with sign
 * words, `costs €1,200 a month` / `saves €5,896 a month` / `breaks even`.
 */
export function formatMoney(amount: number | null | undefined, options: MoneyOptions = {}): string {
  if (amount === null || amount === undefined || Number.isNaN(amount)) return MISSING;
  const digits = options.digits ?? 0;
  const text = Number.isFinite(amount) ? moneyAmount(Math.abs(amount), options.currency ?? '', digits) : '∞';
  const period = periodWords(options.period);
  const zero = group(Math.abs(amount), digits) === '0';
  if (options.signWords) {
    const words = options.signWords === true ? { positive: 'costs', negative: 'saves' } : options.signWords;
    if (zero) return 'breaks even';
    return `${amount > 0 ? words.positive : words.negative} ${text}${period}`;
  }
  return `${amount < 0 && !zero ? '-' : ''}${text}${period}`;
}

import { dialect as d } from './dialect';
import { str } from './quote';

/**
 * RE2 patterns (DuckDB `regexp_full_match`) and SQL expressions the profile
 * uses to recognise personal data and typed-as-text values. Each pattern is
 * matched against a whole value; checksums (Luhn, IBAN mod 97) are computed
 * in SQL so only counts leave the engine.
 */
export const PATTERNS = {
  email: String.raw`[A-Za-z0-9._%+-]+@[A-Za-z0-9.-]+\.[A-Za-z]{2,}`,
  /** Grouped digits with an optional country code or area code in brackets; the digit count is checked separately. */
  phone: String.raw`(\+\d{1,3}[ .-]?)?(\(\d{1,4}\)[ .-]?)?\d{2,4}([ .-]\d{2,4}){1,4}`,
  /** 13–19 digits, optionally in groups separated by single spaces or dashes. */
  cardCandidate: String.raw`[2-6]\d{3}([ -]?\d{1,4}){2,4}`,
  ibanCandidate: String.raw`[A-Za-z]{2}\d{2}( ?[A-Za-z0-9]){11,30}`,
  ipv4: String.raw`((25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)\.){3}(25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)`,
  /** US Social Security number as usually written; stands in for national IDs. */
  nationalId: String.raw`\d{3}-\d{2}-\d{4}`,
  /** Looks like an IPv4 address or a dotted version number: never a phone number. */
  dottedQuad: String.raw`\d{1,3}(\.\d{1,3}){3}`,
  numberLike: String.raw`\s*[-+]?[$€£¥]?\s?(\d+|\d{1,3}([, ]\d{3})+)([.,]\d+)?([eE][-+]?\d+)?\s?%?\s*`,
  dateLike: String.raw`\s*(\d{4}[-/.]\d{1,2}[-/.]\d{1,2}([ T]\d{1,2}:\d{2}(:\d{2}([.,]\d+)?)?\s?(Z|[+-]\d{2}:?\d{2})?)?|\d{1,2}[-/.]\d{1,2}[-/.]\d{2,4}( \d{1,2}:\d{2}(:\d{2})?( ?[AaPp][Mm])?)?|[A-Za-z]{3,9}\.? \d{1,2},? \d{4}|\d{1,2}[- ][A-Za-z]{3,9}\.?[- ]\d{2,4})\s*`,
  surroundingSpace: String.raw`^\s|\s$`,
  trimSpace: String.raw`^\s+|\s+$`,
  /** Everything that is not a letter or a digit, removed to compare spellings. */
  notAlnum: String.raw`[^\p{L}\p{N}]`,
} as const;

/** True when `pattern` (RE2) matches the whole value. */
export function fullMatch(expr: string, pattern: string): string {
  return d.regexFullMatch(expr, str(pattern));
}

/** The value with leading/trailing whitespace of any kind removed (DuckDB's `trim` removes spaces only). */
export function trimAll(expr: string): string {
  return d.regexReplace(expr, str(PATTERNS.trimSpace), `''`, true);
}

/** Digits only. */
export function digitsOnly(expr: string): string {
  return d.regexReplace(expr, `'[^0-9]'`, `''`, true);
}

/** Luhn (mod 10) check of a string of digits, as a boolean SQL expression. */
export function luhnSql(digits: string): string {
  const doubled = `CASE WHEN i % 2 = 0 THEN [0, 2, 4, 6, 8, 1, 3, 5, 7, 9][CAST(ch AS INTEGER) + 1] ELSE CAST(ch AS INTEGER) END`;
  return `(${d.listSum(d.listTransform(d.splitChars(`reverse(${digits})`), ['ch', 'i'], doubled))} % 10 = 0)`;
}

/** IBAN mod-97 check of an upper-case IBAN without spaces, as a boolean SQL expression. */
export function ibanSql(compact: string): string {
  const rearranged = `(substr(${compact}, 5) || substr(${compact}, 1, 4))`;
  const digit = `CASE WHEN ch BETWEEN '0' AND '9' THEN ascii(ch) - 48 ELSE ascii(ch) - 55 END`;
  const values = d.listTransform(d.splitChars(rearranged), ['ch'], digit);
  const mod97 = `(acc * CASE WHEN x >= 10 THEN 100 ELSE 10 END + x) % 97`;
  return `(${d.listReduce(values, ['acc', 'x'], mod97, '0')} = 1)`;
}

/** Shape of a value: runs of capitals become `A`, of lower-case letters `a`, of digits `9`. */
export function shapeSql(expr: string): string {
  const upper = d.regexReplace(expr, `'\\p{Lu}+'`, `'A'`, true);
  const lower = d.regexReplace(upper, `'\\p{Ll}+'`, `'a'`, true);
  return d.regexReplace(lower, `'\\p{Nd}+'`, `'9'`, true);
}

import { ibanValid } from '../stats/iban';
import { luhnValid } from '../stats/luhn';

/**
 * The shape of a value with every character masked: letters become `a` or
 * `A`, digits `9`, punctuation and spaces stay. `jane.doe@x.example` becomes
 * `aaaa.aaa@a.aaaaaaa`: the format is still visible, the person is not.
 */
export function maskText(value: string): string {
  let out = '';
  for (const ch of value) {
    const code = ch.charCodeAt(0);
    // ASCII first (most values), Unicode classes for the rest.
    if (code >= 48 && code <= 57) out += '9';
    else if (code >= 65 && code <= 90) out += 'A';
    else if (code >= 97 && code <= 122) out += 'a';
    else if (code < 128) out += ch;
    else if (/\p{Nd}/u.test(ch)) out += '9';
    else if (/\p{Lu}/u.test(ch)) out += 'A';
    else if (/\p{L}/u.test(ch)) out += 'a';
    else out += ch;
  }
  return out;
}

const EMAIL = /[\p{L}\p{N}._%+-]+@[\p{L}\p{N}.-]+\.\p{L}{2,}/gu;
/**
 * 13 to 19 digits, optionally grouped by spaces or dashes: the length of a
 * payment card number. Not the digits of a decimal (`0.1203330000000000`, a
 * bound in SQL): one in 10 such runs passes Luhn's check by chance.
 */
const CARD = /(?<![\p{Nd}]|\p{Nd}\.)\p{Nd}(?:[ -]?\p{Nd}){12,18}(?![\p{Nd}]|\.\p{Nd})/gu;

/**
 * Phone numbers: international (E.164, `+` and 8–15 digits, optionally
 * grouped) and national formats (a trunk `0` then grouped or plain digits,
 * `(555) 123-4567`, `555-123-4567`). Not preceded or followed by a digit,
 * letter, dot or `+`, so decimals, dates, UUIDs and SQL numbers stay.
 */
const PHONE =
  /(?<![\p{L}\p{Nd}.+_])(?:\+\p{Nd}{1,3}[ .-]?(?:\(\p{Nd}{1,4}\)[ .-]?)?\p{Nd}{1,4}(?:[ .-]?\p{Nd}{2,4}){1,5}|\(0?\p{Nd}{2,4}\) ?\p{Nd}{3,4}[ .-]?\p{Nd}{3,4}|0\p{Nd}{1,4}(?:[ .-]\p{Nd}{2,4}){2,5}|0\p{Nd}{9,10}|\p{Nd}{3}[-.]\p{Nd}{3}[-.]\p{Nd}{4})(?![\p{L}\p{Nd}_]|\.\p{Nd})/gu;
/** Two letters, two check digits, then 11–30 letters or digits, optionally in groups of four. */
const IBAN = /(?<![\p{L}\p{Nd}])[A-Z]{2}\d{2}(?: ?[A-Z0-9]){11,30}(?![\p{L}\p{Nd}])/giu;

function digitCount(text: string): number {
  let n = 0;
  for (const ch of text) if (ch >= '0' && ch <= '9') n++;
  return n;
}

/**
 * Mask every e-mail address, phone number (international and national
 * formats), Luhn-valid card number and valid IBAN inside a text, wherever it
 * came from. A second line of defence for values that reach a finding, a
 * drift report or SQL text from a column the profile did not flag.
 */
/** Could `text` hold a personal-data pattern? Every pattern needs an `@` or at least eight digits; most texts (labels, names, words) have neither. */
export function mayHoldPattern(text: string): boolean {
  return text.includes('@') || digitCount(text) >= 8;
}

export function maskPatterns(text: string): { text: string; masked: number } {
  if (!mayHoldPattern(text)) return { text, masked: 0 };
  let masked = 0;
  const mask = (m: string): string => {
    masked++;
    return maskText(m);
  };
  const out = text
    .replace(EMAIL, mask)
    .replace(IBAN, (m) => (ibanValid(m) ? mask(m) : m))
    .replace(CARD, (m) => (luhnValid(m) ? mask(m) : m))
    .replace(PHONE, (m) => {
      const digits = digitCount(m);
      return digits >= 8 && digits <= 15 ? mask(m) : m;
    });
  return { text: out, masked };
}

/**
 * Neutralise a spreadsheet cell that would be read as a formula (CSV or
 * clipboard formula injection): text starting with `=`, `+`, `-`, `@`, a tab
 * or a carriage return gets a leading apostrophe. Plain numbers such as `-1`
 * or `+3.5` are left alone, since a spreadsheet reads them as numbers.
 */
export function neutraliseCell(cell: string): string {
  if (!/^[=+\-@\t\r]/.test(cell)) return cell;
  if (/^[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?%?$/.test(cell)) return cell;
  return `'${cell}`;
}

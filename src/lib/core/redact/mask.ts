import { luhnValid } from '../stats/luhn';

/**
 * The shape of a value with every character masked: letters become `a` or
 * `A`, digits `9`, punctuation and spaces stay. `jane.doe@x.example` becomes
 * `aaaa.aaa@a.aaaaaaa`: the format is still visible, the person is not.
 */
export function maskText(value: string): string {
  return value.replace(/\p{L}|\p{Nd}/gu, (ch) => (/\p{Nd}/u.test(ch) ? '9' : /\p{Lu}/u.test(ch) ? 'A' : 'a'));
}

const EMAIL = /[\p{L}\p{N}._%+-]+@[\p{L}\p{N}.-]+\.\p{L}{2,}/gu;
/** 13 to 19 digits, optionally grouped by spaces or dashes: the length of a payment card number. */
const CARD = /(?<![\p{Nd}])\p{Nd}(?:[ -]?\p{Nd}){12,18}(?![\p{Nd}])/gu;

/**
 * Mask every e-mail address and Luhn-valid card number inside a text, wherever
 * it came from. A second line of defence for values that reach a finding or an
 * example from a column the profile did not flag.
 */
export function maskPatterns(text: string): { text: string; masked: number } {
  let masked = 0;
  const out = text
    .replace(EMAIL, (m) => {
      masked++;
      return maskText(m);
    })
    .replace(CARD, (m) => {
      if (!luhnValid(m)) return m;
      masked++;
      return maskText(m);
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

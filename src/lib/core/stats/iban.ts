/**
 * IBAN check digits (ISO 13616, ISO 7064 mod 97-10): move the first four
 * characters to the end, read letters as 10–35, and the number mod 97 must be 1.
 * Spaces are ignored and letters may be lower case.
 */
export function ibanValid(value: string): boolean {
  const compact = value.replace(/\s/g, '').toUpperCase();
  if (!/^[A-Z]{2}\d{2}[A-Z0-9]{11,30}$/.test(compact)) return false;
  const rearranged = compact.slice(4) + compact.slice(0, 4);
  let remainder = 0;
  for (const ch of rearranged) {
    const code = ch.charCodeAt(0);
    const n = code <= 57 ? code - 48 : code - 55;
    remainder = (remainder * (n >= 10 ? 100 : 10) + n) % 97;
  }
  return remainder === 1;
}

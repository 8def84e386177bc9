import { describe, it, expect } from 'vitest';
import { maskPatterns, maskText, neutraliseCell } from '../../../../src/lib/core/redact';

describe('masking', () => {
  it('keeps the shape of a value and nothing else', () => {
    expect(maskText('Jane.Doe@client.example')).toBe('Aaaa.Aaa@aaaaaa.aaaaaaa');
    expect(maskText('+44 20 7946 0462')).toBe('+99 99 9999 9999');
    expect(maskText('Zoë Ñúñez')).toBe('Aaa Aaaaa');
  });

  it('masks e-mail addresses and Luhn-valid card numbers inside any text, not other digits', () => {
    const { text, masked } = maskPatterns(
      'email="ana@x.example", card="4534 7876 3476 7338", order=1234567890123, id=4111111111111112',
    );
    expect(text).toBe(
      'email="aaa@a.aaaaaaa", card="9999 9999 9999 9999", order=1234567890123, id=4111111111111112',
    );
    expect(masked).toBe(2);
  });

  it('leaves the digits of a decimal alone, even when they pass Luhn (a bound in a contract statement)', () => {
    // 12033300000000000 passes Luhn's check: as a decimal's fraction it is no card number.
    const sql = 'CASE WHEN x < 0.12033300000000000 THEN 0 WHEN x < 12033300000000000.5 THEN 1 END';
    expect(maskPatterns(sql)).toEqual({ text: sql, masked: 0 });
    expect(maskPatterns('card 12033300000000000.').masked).toBe(1);
  });
});

describe('spreadsheet formula injection', () => {
  it('prefixes cells starting with = + - @ tab or CR', () => {
    for (const cell of ['=1+1', '+SUM(A1)', '-2+3', '@cmd', '\t=x', '\r=x', '=HYPERLINK("http://x")'])
      expect(neutraliseCell(cell)).toBe(`'${cell}`);
  });

  it('leaves plain numbers and ordinary text alone', () => {
    for (const cell of ['-1', '+3.5', '-0.25', '-12%', '1e-3', 'North', '', 'a=b'])
      expect(neutraliseCell(cell)).toBe(cell);
  });
});

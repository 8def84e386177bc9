import { describe, it, expect } from 'vitest';
import { typeNestingDepth } from '../../../src/lib/engine/column-names';
import { quotedName } from '../../../src/lib/engine/errors';

describe('typeNestingDepth', () => {
  it.each([
    ['INTEGER', 0],
    ['DECIMAL(12,2)', 0],
    ['TIMESTAMP WITH TIME ZONE', 0],
    ['STRUCT(a INTEGER)', 1],
    ['INTEGER[][]', 2],
    ['STRUCT(a DECIMAL(10,2), b VARCHAR[])', 2],
    ['MAP(VARCHAR, STRUCT(a INTEGER[]))', 3],
    ['STRUCT("we(ird"")" STRUCT(b INTEGER))', 2],
    [`${'STRUCT(a '.repeat(40)}INTEGER${')'.repeat(40)}`, 40],
  ])('%s → %i', (type, depth) => {
    expect(typeNestingDepth(type)).toBe(depth);
  });
});

describe('quotedName', () => {
  it('spells out characters that hide text or reverse its direction', () => {
    expect(quotedName('invoice\u202Ecod.csv')).toBe('“invoice[U+202E]cod.csv”');
    expect(quotedName('a\u0000b\tc\u200Bd')).toBe('“a[U+0000]b[U+0009]c[U+200B]d”');
  });

  it('cuts a long name without splitting a character', () => {
    const quoted = quotedName('😀'.repeat(300), 10);
    expect(quoted).toBe(`“${'😀'.repeat(9)}…”`);
  });
});

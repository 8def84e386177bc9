import { describe, it, expect } from 'vitest';
import { useEngine, loadBytes } from '../../support/engine';
import { LoadError } from '../../../src/lib/engine/errors';
import { ident } from '../../../src/lib/core/sql/quote';
import { buildWorkbook } from '../../fixtures/formats/make-workbooks';
import { MIXED_SHEET, xlsxCases } from '../../fixtures/bad/xlsx-cases';

const conn = useEngine();

describe('hostile and unusual workbooks', () => {
  it('has at least 10 cases with unique ids, loads and refusals both', () => {
    const ids = xlsxCases.map((c) => c.id);
    expect(new Set(ids).size).toBe(ids.length);
    expect(ids.length).toBeGreaterThanOrEqual(10);
    expect(xlsxCases.some((c) => 'loads' in c.expect)).toBe(true);
    expect(xlsxCases.some((c) => 'refused' in c.expect)).toBe(true);
  });

  it.each(xlsxCases.map((c) => [c.id, c] as const))('%s', async (id, hostile) => {
    const bytes = await hostile.bytes();
    expect(bytes.length, 'a committed or generated workbook case stays small').toBeLessThan(2_000_000);
    const tableName = `xlsx_case_${id.replace(/\W/g, '_')}`;
    const expected = hostile.expect;
    if ('refused' in expected) {
      const error: unknown = await loadBytes(conn, hostile.fileName, bytes, { tableName }).then(
        () => undefined,
        (e: unknown) => e,
      );
      expect(error, `${id} loaded, but it must be refused`).toBeInstanceOf(LoadError);
      expect(error).toMatchObject({
        code: expected.refused,
        message: expect.stringMatching(expected.message),
      });
      // A message for a consultant, not a stack trace.
      expect((error as LoadError).message).not.toMatch(/\bat \w+ \(|RangeError|Maximum call stack/);
    } else {
      const loaded = await loadBytes(conn, hostile.fileName, bytes, { tableName });
      if (expected.rows !== undefined) expect(loaded.rowCount).toBe(expected.rows);
      if (expected.columns !== undefined) expect(loaded.columns).toHaveLength(expected.columns);
      if (expected.warning) expect(loaded.warnings.join('\n')).toMatch(expected.warning);
      await conn.exec(`DROP TABLE ${ident(tableName)}`);
    }
  });

  it('reads formulas as their cached values, dates as timestamps and merged cells as one value', async () => {
    const loaded = await loadBytes(conn, 'orders.xlsx', buildWorkbook([MIXED_SHEET], { deflate: true }), {
      tableName: 'orders_values',
    });
    expect(Object.fromEntries(loaded.columns.map((c) => [c.name, c.type]))).toMatchObject({
      ordered_on: 'TIMESTAMP_MS',
      total: 'DOUBLE',
    });
    const rows = await conn.query(
      `SELECT order_id, strftime(ordered_on, '%Y-%m-%d') AS day, total, note FROM orders_values ORDER BY order_id`,
    );
    // Excel serial 45292 is 2024-01-01; merged F2:F3 holds its value in F2 only, as Excel stores it.
    expect(rows.map((r) => [Number(r.order_id), r.day, Number(r.total), r.note])).toEqual([
      [1, '2024-01-01', 19, 'first'],
      [2, '2024-01-02', 20, null],
      [3, '2024-01-03', 9, 'bulk'],
    ]);
  });
});

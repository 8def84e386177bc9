import { describe, it, expect, afterEach } from 'vitest';
import readXlsxFile from 'read-excel-file/universal';
import { decodeXlsx, withSteadyClock } from '../../../src/lib/engine/decoders/xlsx';
import { buildWorkbook, customers } from '../../fixtures/formats/make-workbooks';

const wallClock = Date.now;
afterEach(() => {
  Date.now = wallClock;
});

/** A clock on a machine so busy that every stretch of work seems to take 10 ms. */
function busyClock(): () => number {
  let now = wallClock();
  return () => (now += 10);
}

const workbook = (rows: number, deflate = false): Uint8Array =>
  buildWorkbook([{ name: 'Data', rows: customers(rows) }], { deflate });

/** How often read-excel-file reads the clock for one workbook: twice per XML chunk it parses. */
async function clockReads(bytes: Uint8Array): Promise<number> {
  let reads = 0;
  await withSteadyClock(
    () => readXlsxFile(bytes.slice().buffer as ArrayBuffer),
    () => reads++,
  );
  return reads;
}

describe('workbook reading grows linearly with the rows', () => {
  it('reads a sheet when every chunk of XML seems slow (the reader used to shrink its chunks to nothing and overflow the stack)', async () => {
    Date.now = busyClock();
    const decoded = await decodeXlsx(workbook(5_000, true));
    expect(decoded.rowCount).toBe(5_000);
    // The busy clock is back once the read is done.
    const before = Date.now();
    expect(Date.now()).toBe(before + 10);
  });

  it('parses five times the rows in a few more chunks, not five times as many', async () => {
    // After each chunk the reader copies every row read so far, so the work is rows × chunks;
    // with chunks doubling in size their number grows with log(rows) and the copies stay under 2 × rows.
    const small = await clockReads(workbook(4_000, true));
    const large = await clockReads(workbook(20_000, true));
    expect(small).toBeGreaterThan(0);
    expect(large).toBeLessThanOrEqual(small + 2 * 3);
  });

  it('reads a deflated workbook, as Excel writes it, the same way', async () => {
    const decoded = await decodeXlsx(workbook(20_000, true));
    expect(decoded.rowCount).toBe(20_000);
    expect(decoded.sheet).toBe('Data');
  });

  it('restores the real clock after overlapping reads, and after a failed one', async () => {
    const reads = [decodeXlsx(workbook(2_000)), decodeXlsx(workbook(3_000))];
    // A workbook that passes the guard and fails inside the reader: its sheet XML is cut short.
    const failed = decodeXlsx(
      buildWorkbook([{ name: 'Data', rows: [], rawSheetData: '<row r="1"><c r="A1"><v>1</v></c>' }]),
    );
    expect((await Promise.all(reads)).map((d) => d.rowCount)).toEqual([2_000, 3_000]);
    await expect(failed).rejects.toMatchObject({ code: 'malformed-xlsx' });
    expect(Date.now).toBe(wallClock);
  });
});

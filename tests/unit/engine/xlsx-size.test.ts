import { describe, it, expect } from 'vitest';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { execFileSync } from 'node:child_process';
import { buildStoredZip } from '../../fixtures/bad/make-bad-files';
import {
  isInflatedByWorkbookReader,
  readZipDirectory,
  zipExpandedSize,
} from '../../../src/lib/engine/decoders/zip-size';
import { decodeXlsx } from '../../../src/lib/engine/decoders/xlsx';
import { FIXTURES } from '../../support/engine';
import { buildWorkbook, customers, toZip64End, toZip64Entries } from '../../fixtures/formats/make-workbooks';

const sheetEntries = (name: string): boolean => /^xl\/(worksheets\/|sharedStrings)/.test(name);

describe('workbook expansion guard', () => {
  it('reads uncompressed sizes from the central directory, as Python’s zipfile does', () => {
    const path = join(FIXTURES, 'formats/tiny.xlsx');
    const expected = Number(
      execFileSync('python3', [
        '-c',
        'import sys, zipfile, re; print(sum(i.file_size for i in zipfile.ZipFile(sys.argv[1]).infolist() if re.match(r"xl/(worksheets/|sharedStrings)", i.filename)))',
        path,
      ]).toString(),
    );
    expect(expected).toBeGreaterThan(0);
    expect(zipExpandedSize(new Uint8Array(readFileSync(path)), sheetEntries)).toBe(expected);
  });

  it('refuses a workbook whose sheets claim to expand beyond the cap, before parsing it', async () => {
    const zip = buildStoredZip([
      { name: 'xl/worksheets/sheet1.xml', data: new TextEncoder().encode('<worksheet/>') },
    ]);
    // Patch the central directory's uncompressed size, as a zip bomb would declare it.
    const view = new DataView(zip.buffer, zip.byteOffset, zip.byteLength);
    let central = -1;
    for (let i = 0; i + 4 <= zip.length; i++) if (view.getUint32(i, true) === 0x02014b50) central = i;
    view.setUint32(central + 24, 0xfffffff0, true);
    await expect(decodeXlsx(zip)).rejects.toMatchObject({
      code: 'too-large',
      message: expect.stringMatching(/XML expands to 4096 MB/),
    });
  });

  it('returns undefined for bytes that are not a ZIP', () => {
    expect(zipExpandedSize(new TextEncoder().encode('plain text, no archive'), sheetEntries)).toBeUndefined();
  });
});

/** Python's zipfile reads ZIP64 records and extra fields; its sizes are the reference. */
function pythonExpandedSize(bytes: Uint8Array): number {
  return Number(
    execFileSync(
      'python3',
      [
        '-c',
        'import sys, io, zipfile; z = zipfile.ZipFile(io.BytesIO(sys.stdin.buffer.read())); print(sum(i.file_size for i in z.infolist() if i.filename.endswith((".xml", ".xml.rels"))))',
      ],
      { input: bytes },
    ).toString(),
  );
}

const SHEET = 'xl/worksheets/sheet1.xml';
const small = (): Uint8Array => buildWorkbook([{ name: 'Data', rows: customers(3) }]);

describe('ZIP64 workbooks', () => {
  it.each([
    ['a ZIP64 end record only', (): Uint8Array => toZip64End(small())],
    ['ZIP64 size fields in every entry', (): Uint8Array => toZip64Entries(small())],
    [
      'a ZIP64 field declaring 5 GB',
      (): Uint8Array => toZip64Entries(small(), { declared: { [SHEET]: 5_000_000_000 } }),
    ],
  ])('reads the real sizes of %s, as Python’s zipfile does', (_, build) => {
    const bytes = build();
    const reading = readZipDirectory(bytes, isInflatedByWorkbookReader);
    expect(reading).toMatchObject({ kind: 'sizes', zip64: true });
    expect(zipExpandedSize(bytes, isInflatedByWorkbookReader)).toBe(pythonExpandedSize(bytes));
  });

  it('loads a genuine small ZIP64 workbook (it used to be refused as above 400 MB)', async () => {
    for (const bytes of [toZip64End(small()), toZip64Entries(small())]) {
      expect(bytes.length).toBeLessThan(10_000);
      const decoded = await decodeXlsx(bytes);
      expect(decoded.rowCount).toBe(3);
      expect(decoded.sheet).toBe('Data');
    }
  });

  it('refuses a ZIP64 bomb by the size its ZIP64 field declares', async () => {
    const bomb = toZip64Entries(small(), { declared: { [SHEET]: 5_000_000_000 } });
    await expect(decodeXlsx(bomb)).rejects.toMatchObject({
      code: 'too-large',
      message: expect.stringMatching(/XML expands to 4768 MB, above the 400 MB/),
    });
  });

  it('refuses an entry that defers its size to a ZIP64 field it lacks', async () => {
    const bytes = toZip64Entries(small(), { withoutField: SHEET });
    expect(readZipDirectory(bytes, isInflatedByWorkbookReader)).toEqual({
      kind: 'zip64-unreadable',
      reason: 'entry "xl/worksheets/sheet1.xml" defers its size to a ZIP64 field it does not have',
    });
    await expect(decodeXlsx(bytes)).rejects.toMatchObject({
      code: 'malformed-xlsx',
      message: expect.stringMatching(
        /^This workbook is a ZIP64 archive whose size records cannot be read \(entry "xl\/worksheets\/sheet1.xml" defers/,
      ),
    });
  });

  it('refuses a ZIP64 archive whose end record is gone and whose classic record is saturated', async () => {
    const bytes = toZip64Entries(small());
    const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    // The locator sits 20 bytes before the classic record and points at the ZIP64 end record.
    const record = Number(view.getBigUint64(bytes.length - 22 - 20 + 8, true));
    view.setUint32(record, 0, true);
    expect(readZipDirectory(bytes, isInflatedByWorkbookReader)).toEqual({
      kind: 'zip64-unreadable',
      reason: 'its ZIP64 end record is missing',
    });
    await expect(decodeXlsx(bytes)).rejects.toMatchObject({ code: 'malformed-xlsx' });
  });

  it('refuses a ZIP64 end record that claims more entries than the file could hold', () => {
    const bytes = toZip64End(small());
    const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    const record = Number(view.getBigUint64(bytes.length - 22 - 20 + 8, true));
    view.setBigUint64(record + 32, 1n << 40n, true);
    expect(readZipDirectory(bytes, isInflatedByWorkbookReader)).toMatchObject({
      kind: 'zip64-unreadable',
      reason: expect.stringMatching(/more entries/),
    });
  });

  it('takes a saturated size literally outside ZIP64, as the unzipper does', () => {
    const bytes = small();
    const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    let central = -1;
    for (let i = 0; i + 4 <= bytes.length; i++) if (view.getUint32(i, true) === 0x02014b50) central = i;
    view.setUint32(central + 24, 0xffffffff, true);
    expect(readZipDirectory(bytes, isInflatedByWorkbookReader)).toMatchObject({
      kind: 'sizes',
      zip64: false,
    });
    expect(zipExpandedSize(bytes, isInflatedByWorkbookReader)).toBeGreaterThanOrEqual(0xffffffff);
  });
});

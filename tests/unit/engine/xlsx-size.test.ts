import { describe, it, expect } from 'vitest';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { execFileSync } from 'node:child_process';
import { buildStoredZip } from '../../fixtures/bad/make-bad-files';
import { zipExpandedSize } from '../../../src/lib/engine/decoders/zip-size';
import { decodeXlsx } from '../../../src/lib/engine/decoders/xlsx';
import { FIXTURES } from '../../support/engine';

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

import type { DataSource } from '../connector';
import { LoadError, MAX_COLUMNS, quotedName, tooManyColumns } from '../errors';
import { headerFields } from '../column-names';
import { utf16ByteOrder } from '../sniff';
import { CSV_MAX_LINE_BYTES, decodeHead } from './common';
import type { CsvOptions } from './types';

/**
 * Checks a CSV passes before DuckDB reads it, each far quicker than DuckDB's own
 * failure, and the options it is read with: Excel's "Unicode Text" is UTF-16
 * with a byte-order mark, which DuckDB reads once told.
 */
export async function prepareCsv(
  source: DataSource,
  head: Uint8Array,
  options: CsvOptions | undefined,
): Promise<CsvOptions> {
  if (source.size > CSV_MAX_LINE_BYTES) await assertLinesFit(source);
  const csv: CsvOptions =
    !options?.encoding && utf16ByteOrder(head) === 'le' ? { ...options, encoding: 'utf-16' } : { ...options };
  assertNotBlank(source, head, csv);
  await assertCsvWidthFits(source, head, csv);
  return csv;
}

/**
 * DuckDB's sniffer takes many seconds to reject a multi-megabyte line; finding
 * one in the first 16 MB ourselves is instant and names the line.
 */
async function assertLinesFit(source: DataSource): Promise<void> {
  const head = await source.head(16 * 1024 * 1024);
  let start = 0;
  for (let line = 1; start < head.length; line++) {
    const end = head.indexOf(0x0a, start);
    const stop = end < 0 ? head.length : end;
    if (stop - start > CSV_MAX_LINE_BYTES)
      throw new LoadError(
        'line-too-long',
        `${quotedName(source.name)} line ${line} is longer than 2 MB, DuckDB’s line-size limit. The file may not be line-delimited text, or a quote is never closed.`,
      );
    if (end < 0) break;
    start = end + 1;
  }
}

/**
 * A file of nothing but line breaks and spaces: DuckDB would load it as rows
 * of one empty column it names `column0`. Only a file whose head is the whole
 * file is judged; a larger one has text further on.
 */
function assertNotBlank(source: DataSource, head: Uint8Array, csv: CsvOptions): void {
  if (head.length < source.size || decodeHead(head, csv.encoding).trim() !== '') return;
  throw new LoadError(
    'empty-file',
    `${quotedName(source.name)} holds only blank lines (${source.size.toLocaleString('en-US')} bytes of line breaks and spaces): it has no header and no data. Check that the export finished and that this is the file you meant to load.`,
  );
}

/**
 * Count the header's fields before DuckDB reads the file: a 100,000-column CSV
 * takes DuckDB many seconds to fail out of memory, while the header says at once
 * that it is too wide. With no delimiter chosen, the likeliest one is the one
 * that splits the header into the most fields.
 */
async function assertCsvWidthFits(source: DataSource, head: Uint8Array, csv: CsvOptions): Promise<void> {
  const widest = (bytes: Uint8Array): { count: number; complete: boolean } => {
    const text = decodeHead(bytes, csv.encoding);
    const candidates = csv.delimiter ? [csv.delimiter] : [',', ';', '\t', '|'];
    let best = { count: 0, complete: true };
    for (const d of candidates) {
      const { fields, complete } = headerFields(text, d, csv.quote || '"');
      if (fields.length > best.count) best = { count: fields.length, complete };
    }
    return best;
  };
  let width = widest(head);
  if (!width.complete && head.length < source.size) width = widest(await source.head(16 * 1024 * 1024));
  if (width.count > MAX_COLUMNS) throw tooManyColumns(quotedName(source.name), width.count, !width.complete);
}

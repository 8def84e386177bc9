import { LoadError, quotedName } from './errors';
import { oleWorkbookError } from './ole-workbook';

/** Formats Sprint Zero loads. */
export type DataFormat = 'csv' | 'parquet' | 'json' | 'ndjson' | 'arrow' | 'xlsx';

const EXTENSIONS: Record<string, DataFormat> = {
  csv: 'csv',
  tsv: 'csv',
  txt: 'csv',
  tab: 'csv',
  parquet: 'parquet',
  pq: 'parquet',
  json: 'json',
  geojson: 'json',
  ndjson: 'ndjson',
  jsonl: 'ndjson',
  arrow: 'arrow',
  feather: 'arrow',
  ipc: 'arrow',
  arrows: 'arrow',
  xlsx: 'xlsx',
};

interface Signature {
  label: string;
  bytes: number[];
  offset?: number;
  /** The format this signature means, when it is one we load. */
  format?: DataFormat;
}

const SIGNATURES: Signature[] = [
  { label: 'a Parquet file', bytes: [0x50, 0x41, 0x52, 0x31], format: 'parquet' },
  { label: 'an Arrow IPC file', bytes: [0x41, 0x52, 0x52, 0x4f, 0x57, 0x31], format: 'arrow' },
  { label: 'an Arrow IPC stream', bytes: [0xff, 0xff, 0xff, 0xff], format: 'arrow' },
  { label: 'a ZIP archive (or an Office document)', bytes: [0x50, 0x4b, 0x03, 0x04], format: 'xlsx' },
  { label: 'a PNG image', bytes: [0x89, 0x50, 0x4e, 0x47] },
  { label: 'a JPEG image', bytes: [0xff, 0xd8, 0xff] },
  { label: 'a GIF image', bytes: [0x47, 0x49, 0x46, 0x38] },
  { label: 'a PDF document', bytes: [0x25, 0x50, 0x44, 0x46] },
  { label: 'a gzip-compressed file', bytes: [0x1f, 0x8b] },
  { label: 'a legacy Excel 97–2003 (.xls) or other OLE document', bytes: [0xd0, 0xcf, 0x11, 0xe0] },
  { label: 'a 7-Zip archive', bytes: [0x37, 0x7a, 0xbc, 0xaf] },
];

/** The file name's extension, lower-cased, without the dot. */
export function extensionOf(fileName: string): string {
  const dot = fileName.lastIndexOf('.');
  return dot < 0 ? '' : fileName.slice(dot + 1).toLowerCase();
}

function matchSignature(head: Uint8Array): Signature | undefined {
  return SIGNATURES.find((s) => s.bytes.every((b, i) => head[(s.offset ?? 0) + i] === b));
}

/**
 * Decide how to read a file from its name and first bytes. The name picks the
 * reader; the bytes veto it when they say the file is something else, so a PNG
 * renamed `.parquet` gets a precise message instead of a parser's stack trace.
 */
export function detectFormat(fileName: string, head: Uint8Array, size: number): DataFormat {
  if (size === 0) throw new LoadError('empty-file', `${quotedName(fileName)} is empty (0 bytes).`);
  const ext = extensionOf(fileName);
  if (ext === 'xls')
    throw new LoadError(
      'unsupported-format',
      `${quotedName(fileName)} is a legacy Excel 97–2003 workbook. Save it as .xlsx (or export CSV) and load it again.`,
    );
  const byExtension = EXTENSIONS[ext];
  const signature = matchSignature(head);
  const textual = byExtension === 'csv' || byExtension === 'json' || byExtension === 'ndjson';
  const utf16 = utf16ByteOrder(head);
  if (textual && utf16 && looksLikeText(new TextEncoder().encode(decodeUtf16(head, utf16)))) {
    // DuckDB's CSV reader decodes little-endian UTF-16 only (Excel's "Unicode Text").
    if (byExtension === 'csv' && utf16 === 'be')
      throw new LoadError(
        'invalid-encoding',
        `${quotedName(fileName)} is UTF-16 big-endian text, which the CSV reader cannot decode. Save it again as UTF-8 (or as UTF-16 little-endian, Excel's “Unicode Text”) and load it again.`,
      );
    return byExtension;
  }

  if (byExtension === undefined) {
    if (signature?.format) return signature.format;
    if (looksLikeText(head))
      return head.find((b) => b > 0x20) === 0x5b || head.find((b) => b > 0x20) === 0x7b ? 'json' : 'csv';
    throw new LoadError(
      'unsupported-format',
      `${quotedName(fileName)} has an unsupported extension ${quotedName(`.${ext}`, 20)}. Supported: CSV/TSV/TXT, Parquet, JSON/NDJSON, Arrow/Feather, Excel .xlsx.`,
    );
  }
  if (byExtension === 'xlsx') {
    const ole = oleWorkbookError(fileName, head);
    if (ole) throw ole;
  }
  if (
    signature &&
    signature.format !== byExtension &&
    !(textual && signature.format === undefined && looksLikeText(head))
  ) {
    const hint =
      signature.format === 'xlsx'
        ? ' If it is a zipped export, unzip it first; if it is an Excel workbook, rename it to .xlsx.'
        : signature.format
          ? ` Rename it to .${signature.format} and load it again.`
          : '';
    if (!(byExtension === 'arrow' && signature.format === 'arrow'))
      throw new LoadError(
        'wrong-format',
        `${quotedName(fileName)} is named .${ext} but its content is ${signature.label}, not ${describe(byExtension)}.${hint}`,
      );
  }
  if (textual && !looksLikeText(head)) {
    const nul = strayNul(head);
    if (nul)
      throw new LoadError(
        'binary-not-text',
        `${quotedName(fileName)} is text, but it holds ${nul.count === 1 ? 'a NUL byte (a zero byte)' : `${nul.count.toLocaleString('en-US')} NUL bytes (zero bytes)`}, the first on line ${nul.line}, and ${describe(byExtension)} cannot contain one. It usually comes from a damaged or padded export: remove the NUL bytes (or export the file again) and load it again.`,
      );
    throw new LoadError(
      'binary-not-text',
      `${quotedName(fileName)} contains binary data, not ${describe(byExtension)} text. Check that this is the file you meant to load.`,
    );
  }
  if (byExtension === 'parquet' && !signature)
    throw new LoadError(
      'malformed-parquet',
      `${quotedName(fileName)} is not a Parquet file: it does not start with the “PAR1” marker.`,
    );
  if (byExtension === 'xlsx' && !signature)
    throw new LoadError(
      'malformed-xlsx',
      `${quotedName(fileName)} is not an Excel workbook: .xlsx files are ZIP archives and this one is not.${looksLikeText(head) ? ' It holds text: if it is a CSV export, rename it to .csv and load it again.' : ''}`,
    );
  return byExtension;
}

function describe(format: DataFormat): string {
  return {
    csv: 'CSV',
    parquet: 'Parquet',
    json: 'JSON',
    ndjson: 'NDJSON',
    arrow: 'Arrow IPC',
    xlsx: 'an Excel workbook',
  }[format];
}

/** Text has no NUL bytes and few control characters (UTF-16 is not supported for sniffing). */
export function looksLikeText(head: Uint8Array): boolean {
  if (head.length === 0) return true;
  let control = 0;
  for (const byte of head) {
    if (byte === 0) return false;
    if (byte < 0x09 || (byte > 0x0d && byte < 0x20)) control++;
  }
  return control / head.length < 0.01;
}

/** The byte order a UTF-16 byte-order mark announces, if the text starts with one. */
export function utf16ByteOrder(head: Uint8Array): 'le' | 'be' | undefined {
  if (head[0] === 0xff && head[1] === 0xfe) return 'le';
  if (head[0] === 0xfe && head[1] === 0xff) return 'be';
  return undefined;
}

/** UTF-16 bytes as text, without the byte-order mark; a cut last character is dropped quietly. */
export function decodeUtf16(bytes: Uint8Array, order: 'le' | 'be'): string {
  return new TextDecoder(order === 'le' ? 'utf-16le' : 'utf-16be').decode(bytes);
}

/**
 * NUL bytes in what is otherwise text: a few of them (under 1 % of the bytes),
 * and the rest reads as text. Returns how many there are in the head and the
 * line of the first, so the message can point at it.
 */
function strayNul(head: Uint8Array): { count: number; line: number } | undefined {
  let count = 0;
  let first = -1;
  for (let i = 0; i < head.length; i++)
    if (head[i] === 0) {
      count++;
      if (first < 0) first = i;
    }
  if (count === 0 || count / head.length >= 0.01 || !looksLikeText(head.filter((b) => b !== 0)))
    return undefined;
  let line = 1;
  for (let i = 0; i < first; i++) if (head[i] === 0x0a) line++;
  return { count, line };
}

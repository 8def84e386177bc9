import { describe, it, expect } from 'vitest';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { useEngine, loadBytes, loadFile } from '../../support/engine';
import type { LoadedDataset, LoadOptions, LoadProgress } from '../../../src/lib/engine/load-dataset';
import { LoadError } from '../../../src/lib/engine/errors';
import { CSV_SNIFF_SAMPLE_ROWS, readCsvPartCall } from '../../../src/lib/core/sql/load';
import { quotedLineBreak } from '../../../src/lib/engine/loaders/csv-parts';
import { ident, str } from '../../../src/lib/core/sql/quote';

const conn = useEngine();

/** Small parts, so a test file of a few MB is cut in several places. */
const PART = 64 * 1024;
/** Rows enough that the first part holds more than the sniffer samples, as a real part does. */
const ROWS = CSV_SNIFF_SAMPLE_ROWS + 12_000;

interface CsvShape {
  rows?: number;
  eol?: '\n' | '\r\n';
  /** Row index → a replacement for that row's `code` field. */
  code?: (i: number) => string | undefined;
  /** Row index → a long note, quoted. */
  note?: (i: number) => string | undefined;
  trailer?: string;
}

/** A client-like extract: ids, quoted text with commas and doubled quotes, decimals, dates, timestamps, flags, empties. */
function csv(shape: CsvShape = {}): string {
  const eol = shape.eol ?? '\n';
  const lines = ['id,name,amount,day,at,active,code,note'];
  const rows = shape.rows ?? ROWS;
  for (let i = 0; i < rows; i++) {
    const name = i % 13 === 0 ? '' : i % 7 === 0 ? `"Smith, ""Jr"" ${i}"` : `name ${i % 97}`;
    const amount = i % 17 === 0 ? '' : ((i * 37) % 100_000) / 100;
    const day = `2024-${String((i % 12) + 1).padStart(2, '0')}-${String((i % 28) + 1).padStart(2, '0')}`;
    const at = `${day} ${String(i % 24).padStart(2, '0')}:${String(i % 60).padStart(2, '0')}:00`;
    const code = shape.code?.(i) ?? String(i % 500);
    const note = shape.note?.(i);
    lines.push(
      `${i},${name},${amount},${day},${at},${i % 3 === 0},${code},${note === undefined ? '' : `"${note}"`}`,
    );
  }
  return lines.join(eol) + eol + (shape.trailer ?? '');
}

const loadInParts = async (
  name: string,
  content: string,
  options: LoadOptions = {},
): Promise<{ loaded: LoadedDataset; parts: number[] }> => {
  const parts: number[] = [];
  const loaded = await loadBytes(conn, name, content, {
    ...options,
    csvPartBytes: PART,
    onProgress: (p: LoadProgress) => {
      if (p.bytes) parts.push(p.bytes.done);
      options.onProgress?.(p);
    },
  });
  return { loaded, parts };
};

const loadAtOnce = (name: string, content: string, options: LoadOptions = {}): Promise<LoadedDataset> =>
  loadBytes(conn, name, content, { ...options, csvPartBytes: Number.POSITIVE_INFINITY });

/** Every row with every value, in table order, as text (so a type difference shows too). */
async function contents(table: string): Promise<string[]> {
  const rows = await conn.query(
    `SELECT CAST(COLUMNS(*) AS VARCHAR) FROM (SELECT rowid AS row_number_in_table, * FROM ${ident(table)}) ORDER BY row_number_in_table`,
  );
  return rows.map((r) => JSON.stringify(Object.values(r)));
}

async function expectSameTable(parts: LoadedDataset, once: LoadedDataset): Promise<void> {
  expect(parts.columns).toEqual(once.columns);
  expect(parts.rowCount).toBe(once.rowCount);
  expect(await contents(parts.tableName)).toEqual(await contents(once.tableName));
}

const tableExists = async (table: string): Promise<boolean> =>
  (await conn.query(`SELECT count(*) AS n FROM duckdb_tables() WHERE table_name = ${str(table)}`))[0]?.n ===
  1;

describe('a large CSV loaded in committed parts', () => {
  it('gives the table one read gives: rows, types and values, in order', async () => {
    const content = csv();
    const { loaded, parts } = await loadInParts('parts.csv', content);
    const once = await loadAtOnce('once.csv', content);
    // Cut in several places, each part reported as it committed, the last at the file's end.
    expect(parts.length).toBeGreaterThanOrEqual(3);
    expect(parts.at(-1)).toBe(new TextEncoder().encode(content).length);
    expect(parts).toEqual([...parts].sort((a, b) => a - b));
    expect(loaded.rowCount).toBe(ROWS);
    expect(loaded.columns.map((c) => c.type)).toEqual([
      'BIGINT',
      'VARCHAR',
      'DOUBLE',
      'DATE',
      'TIMESTAMP',
      'BOOLEAN',
      'BIGINT',
      'VARCHAR',
    ]);
    await expectSameTable(loaded, once);
  });

  it('cuts inside a line longer than a part at that line’s end', async () => {
    // Lines of 100 KB, longer than a part, past the first part: a cut lands inside one of them.
    const isLong = (i: number): boolean => i > CSV_SNIFF_SAMPLE_ROWS + 1000 && i % 2000 === 0;
    const long = (i: number): string | undefined => (isLong(i) ? 'x'.repeat(100_000) : undefined);
    const content = csv({ note: long });
    const { loaded, parts } = await loadInParts('long-lines.csv', content);
    const once = await loadAtOnce('long-lines-once.csv', content);
    expect(parts.length).toBeGreaterThanOrEqual(3);
    await expectSameTable(loaded, once);
    const [n] = await conn.query(
      `SELECT count(*) AS n FROM ${ident(loaded.tableName)} WHERE length(note) = 100000`,
    );
    expect(n?.n).toBe(Array.from({ length: ROWS }, (_, i) => i).filter(isLong).length);
  });

  it('reads CRLF line endings and an empty trailing line the same way', async () => {
    for (const [eol, trailer] of [
      ['\r\n', '\r\n'],
      ['\n', '\n'],
    ] as const) {
      const content = csv({ eol, trailer });
      const { loaded, parts } = await loadInParts('crlf.csv', content);
      const once = await loadAtOnce('crlf-once.csv', content);
      expect(parts.length).toBeGreaterThanOrEqual(3);
      expect(loaded.rowCount).toBe(ROWS);
      await expectSameTable(loaded, once);
      expect(await contents(loaded.tableName)).not.toContain(expect.stringContaining('\\r'));
    }
  });

  it('reads a one-column file with blank lines (empty values) the same way', async () => {
    const lines = ['value'];
    for (let i = 0; i < ROWS; i++) lines.push(i % 5 === 0 ? '' : String(i));
    const content = `${lines.join('\n')}\n\n`;
    const { loaded, parts } = await loadInParts('one-column.csv', content);
    const once = await loadAtOnce('one-column-once.csv', content);
    expect(parts.length).toBeGreaterThanOrEqual(2);
    await expectSameTable(loaded, once);
  });

  it('fails as one read fails when a later part holds a value the sniffed type cannot hold', async () => {
    // `code` reads as BIGINT from the sample; a letter code far past it fails one read with its line.
    const content = csv({ code: (i) => (i === ROWS - 100 ? 'X12' : undefined) });
    const failure = (p: Promise<unknown>): Promise<LoadError> =>
      p.then(
        () => {
          throw new Error('loaded');
        },
        (e: unknown) => e as LoadError,
      );
    // One table name for both, since DuckDB's message names the file it read.
    const inParts = await failure(loadInParts('late-type.csv', content, { tableName: 'late_type' }));
    const once = await failure(loadAtOnce('late-type.csv', content, { tableName: 'late_type' }));
    expect(once).toBeInstanceOf(LoadError);
    expect(once.detail).toMatch(/"X12"/);
    // The line in the whole file (header on line 1), not in a part.
    expect(once.detail).toMatch(new RegExp(`Line: ${ROWS - 100 + 2}\\b`));
    expect(inParts.code).toBe(once.code);
    expect(inParts.message).toBe(once.message);
    expect(inParts.detail).toBe(once.detail);
  });

  it('rounds a decimal in a later part of an integer column as one read does', async () => {
    // DuckDB casts 1.5 to the sniffed BIGINT, rounding it, in one read as in a part.
    const content = csv({ code: (i) => (i === ROWS - 10 ? '1.5' : undefined) });
    const { loaded, parts } = await loadInParts('late-decimal.csv', content);
    const once = await loadAtOnce('late-decimal-once.csv', content);
    expect(parts.length).toBeGreaterThanOrEqual(3);
    await expectSameTable(loaded, once);
    const [row] = await conn.query(`SELECT code FROM ${ident(loaded.tableName)} WHERE id = ${ROWS - 10}`);
    expect(row?.code).toBe(2);
  });

  it('reads in one go when the first rows hold a quoted line break', async () => {
    const content = csv({ note: (i) => (i === 3 ? 'first line\nsecond line' : undefined) });
    const { loaded, parts } = await loadInParts('quoted-early.csv', content);
    const once = await loadAtOnce('quoted-early-once.csv', content);
    expect(parts).toEqual([]);
    expect(loaded.rowCount).toBe(ROWS);
    await expectSameTable(loaded, once);
  });

  it('falls back to one read when a cut lands inside a quoted value with line breaks further on', async () => {
    // Quoted notes of 20,000 short lines (about 130 KB, two parts' worth) past the first part: a cut lands inside.
    const multiline = Array.from({ length: 20_000 }, (_, k) => `l${k}`).join('\n');
    const content = csv({
      note: (i) => (i > CSV_SNIFF_SAMPLE_ROWS + 1000 && i % 3000 === 0 ? multiline : undefined),
    });
    const { loaded, parts } = await loadInParts('quoted-late.csv', content);
    const once = await loadAtOnce('quoted-late-once.csv', content);
    // Parts committed before the cut that failed, none after it: the table is the single read's.
    expect(parts.length).toBeGreaterThanOrEqual(1);
    expect(parts.at(-1)).toBeLessThan(new TextEncoder().encode(content).length);
    expect(loaded.rowCount).toBe(ROWS);
    await expectSameTable(loaded, once);
    const [n] = await conn.query(
      `SELECT count(*) AS n FROM ${ident(loaded.tableName)} WHERE note = ${str(multiline)}`,
    );
    expect(Number(n?.n)).toBeGreaterThanOrEqual(2);
  });

  it('keeps the header the user turned off, and names and types of the first part', async () => {
    const content = csv().split('\n').slice(1).join('\n');
    const { loaded, parts } = await loadInParts('no-header.csv', content, { csv: { header: false } });
    const once = await loadAtOnce('no-header-once.csv', content, { csv: { header: false } });
    expect(parts.length).toBeGreaterThanOrEqual(3);
    expect(loaded.columns[0]?.name).toBe('column0');
    await expectSameTable(loaded, once);
  });

  it('stops between parts when cancelled and leaves no table', async () => {
    const controller = new AbortController();
    const tableName = 'cancelled_parts';
    const seen: number[] = [];
    await expect(
      loadInParts('cancel.csv', csv(), {
        tableName,
        signal: controller.signal,
        onProgress: (p) => {
          if (p.bytes) {
            seen.push(p.bytes.done);
            controller.abort();
          }
        },
      }),
    ).rejects.toMatchObject({ code: 'cancelled' });
    expect(seen).toHaveLength(1);
    expect(await tableExists(tableName)).toBe(false);
  });

  it('reads the parts of a file on disk (the CLI’s source) the same way', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'sz-csv-parts-'));
    try {
      const content = csv({ eol: '\r\n' });
      const path = join(dir, 'on-disk.csv');
      writeFileSync(path, content);
      const parts: number[] = [];
      const loaded = await loadFile(conn, path, {
        csvPartBytes: PART,
        onProgress: (p) => p.bytes && parts.push(p.bytes.done),
      });
      const once = await loadAtOnce('on-disk-once.csv', content);
      expect(parts.length).toBeGreaterThanOrEqual(3);
      await expectSameTable(loaded, once);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('reads a small file in one go', async () => {
    const { loaded, parts } = await loadInParts('small.csv', csv({ rows: 100 }));
    expect(parts).toEqual([]);
    expect(loaded.rowCount).toBe(100);
  });
});

describe('quotedLineBreak', () => {
  it('finds a line break inside quotes only', () => {
    expect(quotedLineBreak('a,b\n"x\ny",2\n', '"')).toBe(true);
    expect(quotedLineBreak('a,b\n"x ""q"" y",2\r\n3,4\n', '"')).toBe(false);
    expect(quotedLineBreak("a\n'x\ry'\n", "'")).toBe(true);
  });
});

describe('readCsvPartCall', () => {
  it('binds in DuckDB with hostile column names and a date format', async () => {
    await conn.registerBuffer('part-call.csv', new TextEncoder().encode('1;04/05/2024;x\n'));
    const call = readCsvPartCall(
      'part-call.csv',
      {
        delimiter: ';',
        quote: '"',
        escape: '"',
        newLine: '\\n',
        comment: '',
        dateFormat: '%d/%m/%Y',
        timestampFormat: '',
      },
      [
        { name: 'a"; DROP TABLE x; --', type: 'BIGINT' },
        { name: "it's", type: 'DATE' },
        { name: 'c', type: 'VARCHAR' },
      ],
    );
    const rows = await conn.query(`SELECT * FROM ${call}`);
    expect(rows).toEqual([{ 'a"; DROP TABLE x; --': 1, "it's": '2024-05-04T00:00:00.000Z', c: 'x' }]);
  });
});

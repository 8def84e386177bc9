import { describe, it, expect, afterEach } from 'vitest';
import { join } from 'node:path';
import { useEngine, loadFile, loadBytes, FIXTURES } from '../../support/engine';
import type { DataSource } from '../../../src/lib/engine/connector';
import { loadDataset, MAX_IN_MEMORY_BYTES, MAX_CSV_BYTES } from '../../../src/lib/engine/load-dataset';
import { nodeDecoders } from '../../../src/lib/engine/node-decoders';
import { isOutOfMemory } from '../../../src/lib/engine/errors';
import { makeLongLineCsv } from '../../fixtures/bad/make-bad-files';
import { ident } from '../../../src/lib/core/sql/quote';

const conn = useEngine();

const BAD = join(FIXTURES, 'bad');

async function tableNames(): Promise<string[]> {
  return (await conn.query('SELECT table_name FROM duckdb_tables() ORDER BY 1')).map((r) =>
    String(r.table_name),
  );
}

let before: string[] = [];
afterEach(async () => {
  // The engine keeps working after every bad file.
  const [row] = await conn.query('SELECT 1 + 1 AS two');
  expect(row?.two).toBe(2);
});

describe('bad input gets a specific error and leaves no half-created table', () => {
  it.each([
    ['empty.csv', 'empty-file', /is empty \(0 bytes\)/],
    ['header-only.csv', 'header-only', /column names \(id, name, value\) but no data rows/],
    ['random-binary.csv', 'binary-not-text', /binary data, not CSV/],
    ['zip-renamed.csv', 'wrong-format', /content is a ZIP archive.*unzip it first/],
    ['png-renamed.parquet', 'wrong-format', /content is a PNG image, not Parquet/],
    ['truncated.parquet', 'malformed-parquet', /truncated or corrupted/],
    ['invalid-utf8.csv', 'invalid-encoding', /not valid UTF-8 \(first bad bytes on line 3\)/],
    ['malformed.json', 'malformed-json', /not valid JSON: .* at line \d+, column \d+/],
    ['malformed.ndjson', 'malformed-json', /line 4 is not a valid JSON record/],
    ['not-a-workbook.xlsx', 'malformed-xlsx', /not an Excel workbook/],
    ['zip-not-workbook.xlsx', 'malformed-xlsx', /ZIP archive but not an Excel workbook/],
  ])('%s → %s', async (file, code, message) => {
    before = await tableNames();
    const failure = loadFile(conn, join(BAD, file));
    await expect(failure).rejects.toMatchObject({ name: 'LoadError', code });
    await expect(loadFile(conn, join(BAD, file))).rejects.toThrow(message);
    expect(await tableNames()).toEqual(before);
  });

  it('a single 10 MB line → line-too-long', async () => {
    before = await tableNames();
    await expect(loadBytes(conn, 'long-line.csv', makeLongLineCsv())).rejects.toMatchObject({
      code: 'line-too-long',
    });
    expect(await tableNames()).toEqual(before);
  });

  it('a legacy .xls workbook → unsupported-format with the fix', async () => {
    await expect(
      loadBytes(conn, 'old.xls', new Uint8Array([0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1])),
    ).rejects.toThrow(/Save it as \.xlsx/);
  });

  it('a JSON document that is one object, not records → malformed-json', async () => {
    await expect(loadBytes(conn, 'obj.json', '{"a": 1, "b": 2}')).rejects.toThrow(
      /single JSON object, not a list of records/,
    );
  });

  it('an empty JSON array → header-only', async () => {
    await expect(loadBytes(conn, 'empty.json', '[]')).rejects.toMatchObject({ code: 'header-only' });
  });

  it('an unknown extension → unsupported-format listing what is supported', async () => {
    await expect(loadBytes(conn, 'data.bin', new Uint8Array([0, 1, 2, 3, 0, 0]))).rejects.toThrow(
      /Supported: CSV/,
    );
  });
});

describe('recoverable input loads with a warning', () => {
  it('ragged rows are padded and the warning counts short and long rows', async () => {
    const loaded = await loadFile(conn, join(BAD, 'ragged.csv'));
    expect(loaded.rowCount).toBe(7);
    expect(loaded.columns.slice(0, 3).map((c) => c.name)).toEqual(['id', 'name', 'value']);
    expect(loaded.warnings.join(' ')).toMatch(/2 rows have more fields .* 2 rows have fewer/);
  });

  it('duplicate column names are renamed and reported', async () => {
    const loaded = await loadFile(conn, join(BAD, 'duplicate-columns.csv'));
    expect(loaded.columns.map((c) => c.name)).toEqual(['id', 'name', 'name_1', 'value']);
    expect(loaded.warnings.join(' ')).toMatch(/“name_1”/);
  });

  it('an empty column name gets a placeholder and is reported', async () => {
    const loaded = await loadFile(conn, join(BAD, 'empty-column-name.csv'));
    expect(loaded.columns.map((c) => c.name)).toEqual(['id', 'column1', 'value']);
    expect(loaded.warnings.join(' ')).toMatch(/“column1”/);
  });

  it('Latin-1 text is decoded correctly with a warning', async () => {
    const loaded = await loadFile(conn, join(BAD, 'latin1.csv'));
    const text = (
      await conn.query(`SELECT string_agg(name || city, '') AS s FROM ${ident(loaded.tableName)}`)
    )[0]?.s;
    expect(String(text)).toMatch(/[éüñ]/);
    expect(loaded.warnings.join(' ')).toMatch(/not valid UTF-8; it was read as Latin-1/);
  });

  it('hostile column names load as ordinary columns and stay queryable', async () => {
    const loaded = await loadFile(conn, join(BAD, 'hostile-names.csv'));
    const names = loaded.columns.map((c) => c.name);
    expect(names).toContain('<img src=x onerror=alert(1)>');
    expect(names).toContain('a"; DROP TABLE t; --');
    const [row] = await conn.query(
      `SELECT count(${ident('a"; DROP TABLE t; --')}) AS n FROM ${ident(loaded.tableName)}`,
    );
    expect(row?.n).toBe(5);
    expect(loaded.warnings).toEqual([]);
  });
});

describe('files larger than the engine can hold', () => {
  const huge = (name: string, size: number, head: Uint8Array): DataSource => ({
    name,
    size,
    lastModified: 0,
    head: async (length) => head.subarray(0, length),
    bytes: async () => {
      throw new Error('a too-large file must be rejected before it is read');
    },
  });

  it('a Parquet file above the in-memory cap → too-large before any byte is read', async () => {
    const size = MAX_IN_MEMORY_BYTES.parquet + 1;
    await expect(
      loadDataset(conn, nodeDecoders, huge('big.parquet', size, new TextEncoder().encode('PAR1xxxx'))),
    ).rejects.toMatchObject({
      code: 'too-large',
      message: expect.stringMatching(/above the 1500 MB this format can hold/),
    });
  });

  it('a CSV above the streaming cap → too-large', async () => {
    await expect(
      loadDataset(
        conn,
        nodeDecoders,
        huge('big.csv', MAX_CSV_BYTES + 1, new TextEncoder().encode('a,b\n1,2\n')),
      ),
    ).rejects.toMatchObject({
      code: 'too-large',
    });
  });

  it('an engine out-of-memory error becomes too-large', () => {
    expect(isOutOfMemory(new Error('Out of Memory Error: could not allocate block of size 256.0 KiB'))).toBe(
      true,
    );
    expect(isOutOfMemory(new RangeError('Array buffer allocation failed'))).toBe(true);
    expect(isOutOfMemory(new Error('Parser Error: syntax error'))).toBe(false);
  });
});

describe('hostile JSON keys', () => {
  it('keeps a `__proto__` column as data and reports keys that cannot be column names', async () => {
    const text = JSON.stringify([
      { ['__proto__']: 1, constructor: 'x', '': 5 },
      { ['__proto__']: 2, constructor: 'y', '': 6 },
    ]);
    const loaded = await loadBytes(conn, 'proto.json', text);
    expect(loaded.columns.map((c) => c.name).slice(0, 2)).toEqual(['__proto__', 'constructor']);
    expect(loaded.warnings.join(' ')).toMatch(
      /JSON key “” could not be used as column names; the reader named them “v0”/,
    );
    const rows = await conn.query(`SELECT * FROM ${ident(loaded.tableName)} ORDER BY 1`);
    expect(Object.keys(rows[0]!)).toContain('__proto__');
    expect(rows[0]!['__proto__']).toBe(1);
    expect(Object.getPrototypeOf(rows[0])).toBe(Object.prototype);
  });
});

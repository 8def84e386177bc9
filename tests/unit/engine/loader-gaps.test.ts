import { describe, it, expect } from 'vitest';
import { join } from 'node:path';
import { mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { execFileSync } from 'node:child_process';
import * as parquetWasm from 'parquet-wasm/node';
import readXlsxFile from 'read-excel-file/universal';
import { tableFromArrays, tableFromIPC, tableToIPC } from 'apache-arrow';
import { useEngine, loadFile, loadBytes, FIXTURES, VEGA, ROOT } from '../../support/engine';
import { ident } from '../../../src/lib/core/sql/quote';
import { decodeXlsx, largestSheet, listXlsxSheets } from '../../../src/lib/engine/decoders/xlsx';
import { isInflatedByWorkbookReader, zipExpandedSize } from '../../../src/lib/engine/decoders/zip-size';
import { readParquetFooter } from '../../../src/lib/engine/decoders/parquet-footer';
import { decodeParquet, MAX_PARQUET_UNCOMPRESSED_BYTES } from '../../../src/lib/engine/decoders/parquet';
import { MAX_COLUMNS, plainEngineMessage } from '../../../src/lib/engine/errors';
import { headerFields } from '../../../src/lib/engine/column-names';
import { profileDataset } from '../../../src/lib/session/profile';
import {
  NOTES_FIRST_SHEETS,
  buildWorkbook,
  declareUncompressedSize,
} from '../../fixtures/formats/make-workbooks';
import { BOMB_ROWS, BOMB_UNCOMPRESSED_BYTES } from '../../fixtures/bad/make-parquet-bomb';

const conn = useEngine();

const FORMATS = join(FIXTURES, 'formats');
const BAD = join(FIXTURES, 'bad');
const bytesOf = (path: string): Uint8Array => new Uint8Array(readFileSync(path));

async function tableNames(): Promise<string[]> {
  return (await conn.query('SELECT table_name FROM duckdb_tables() ORDER BY 1')).map((r) =>
    String(r.table_name),
  );
}

describe('a workbook whose first sheet is a notes sheet', () => {
  const path = join(FORMATS, 'notes-first.xlsx');
  // What the fixture was built from: data rows under the header, header width.
  const expected = NOTES_FIRST_SHEETS.map((s) => ({
    name: s.name,
    rows: s.rows.length - 1,
    columns: s.rows[0]!.length,
  }));

  it('lists every sheet with its data rows and columns', async () => {
    expect(await listXlsxSheets(bytesOf(path))).toEqual(expected);
  });

  it('loads the largest sheet by default instead of refusing the notes sheet', async () => {
    const loaded = await loadFile(conn, path);
    const customers = NOTES_FIRST_SHEETS[1]!;
    expect(loaded.sheet).toBe('Customers');
    expect(loaded.sheetSummaries).toEqual(expected);
    expect(loaded.rowCount).toBe(customers.rows.length - 1);
    expect(loaded.columns.map((c) => c.name)).toEqual(customers.rows[0]);
    const [sum] = await conn.query(`SELECT sum(monthly_fee) AS s FROM ${ident(loaded.tableName)}`);
    const fees = customers.rows.slice(1).map((r) => Number(r[2]));
    expect(Number(sum?.s)).toBeCloseTo(
      fees.reduce((a, b) => a + b, 0),
      6,
    );
    expect(loaded.warnings.join(' ')).toMatch(
      /3 sheets \(Notes, Customers, Regions\); loaded “Customers”, the largest/,
    );
  });

  it('loads the sheet the user picks', async () => {
    const loaded = await loadFile(conn, path, { sheet: 'Regions' });
    expect(loaded.sheet).toBe('Regions');
    const rows = await conn.query(`SELECT region, manager FROM ${ident(loaded.tableName)} ORDER BY region`);
    const source = NOTES_FIRST_SHEETS[2]!.rows.slice(1).map(([region, manager]) => ({ region, manager }));
    expect(rows).toEqual([...source].sort((a, b) => String(a.region).localeCompare(String(b.region))));
    expect(loaded.warnings).toEqual([]);
  });

  it('explains a chosen notes sheet and names the sheets that hold data', async () => {
    const before = await tableNames();
    await expect(loadFile(conn, path, { sheet: 'Notes' })).rejects.toMatchObject({
      code: 'header-only',
      message: expect.stringMatching(
        /“Notes” has a header row but no data rows\. Choose another sheet: Customers, Regions/,
      ),
    });
    expect(await tableNames()).toEqual(before);
  });

  it('breaks ties between equally large sheets in workbook order', () => {
    expect(
      largestSheet([
        { name: 'a', rows: 2, columns: 3 },
        { name: 'b', rows: 3, columns: 2 },
        { name: 'c', rows: 1, columns: 1 },
      ])?.name,
    ).toBe('a');
  });
});

describe('workbook expansion guard', () => {
  it('counts every entry the reader inflates, as Python’s zipfile sizes them', () => {
    const path = join(FORMATS, 'notes-first.xlsx');
    const expected = Number(
      execFileSync('python3', [
        '-c',
        'import sys, zipfile; print(sum(i.file_size for i in zipfile.ZipFile(sys.argv[1]).infolist() if i.filename.endswith((".xml", ".xml.rels"))))',
        path,
      ]).toString(),
    );
    expect(zipExpandedSize(bytesOf(path), isInflatedByWorkbookReader)).toBe(expected);
    // More than the worksheets alone: workbook.xml, the relationships and content types count too.
    expect(expected).toBeGreaterThan(
      zipExpandedSize(bytesOf(path), (name) => name.startsWith('xl/worksheets/'))!,
    );
  });

  it.each([
    ['xlsx-sheet-elsewhere.xlsx', /XML expands to 477 MB, above the 400 MB/],
    ['xlsx-zip64-bomb.xlsx', /XML expands to 4768 MB, above the 400 MB/],
  ])('refuses %s, which the workbook reader itself would open', async (file, message) => {
    const bytes = bytesOf(join(BAD, file));
    // The bypass is real: read-excel-file opens the archive when nothing stops it.
    const sheets = (await readXlsxFile(bytes.slice().buffer as ArrayBuffer)) as unknown as {
      sheet: string;
    }[];
    expect(sheets.map((s) => s.sheet)).toEqual(['Data']);
    const before = await tableNames();
    await expect(loadFile(conn, join(BAD, file))).rejects.toMatchObject({
      name: 'LoadError',
      code: 'too-large',
      message: expect.stringMatching(message),
    });
    expect(await tableNames()).toEqual(before);
  });

  it('walks as many entries as the unzipper does when the end record’s two counts disagree', async () => {
    const [, customers] = NOTES_FIRST_SHEETS;
    // The sheet is the last entry; "entries in total" says one fewer than "entries on this disk".
    const understate = (zip: Uint8Array): Uint8Array => {
      const out = Uint8Array.from(zip);
      const view = new DataView(out.buffer);
      const eocd = out.length - 22;
      view.setUint16(eocd + 10, view.getUint16(eocd + 8, true) - 1, true);
      return out;
    };
    const honest = understate(buildWorkbook([{ ...customers!, path: 'xl/data/records.xml' }]));
    // fflate follows "entries on this disk", so the reader still finds the sheet…
    const sheets = (await readXlsxFile(honest.slice().buffer as ArrayBuffer)) as unknown as {
      sheet: string;
    }[];
    expect(sheets.map((s) => s.sheet)).toEqual(['Customers']);
    // …and the guard counts it too.
    const bomb = understate(
      declareUncompressedSize(
        buildWorkbook([{ ...customers!, path: 'xl/data/records.xml' }]),
        'xl/data/records.xml',
        500_000_000,
      ),
    );
    await expect(decodeXlsx(bomb)).rejects.toMatchObject({ code: 'too-large' });
  });

  it('reads a sheet whose part lives outside xl/worksheets when its size is honest', async () => {
    const [, customers] = NOTES_FIRST_SHEETS;
    const workbook = buildWorkbook([{ ...customers!, path: 'xl/data/records.xml' }]);
    const decoded = await decodeXlsx(workbook);
    expect(decoded.sheet).toBe('Customers');
    expect(decoded.rowCount).toBe(customers!.rows.length - 1);
  });
});

describe('Parquet memory budget', () => {
  it('reads row-group sizes from the footer as native DuckDB’s parquet_metadata does', async () => {
    const files = [
      join(FORMATS, 'tiny-zstd.parquet'),
      join(VEGA, 'flights-3m.parquet'),
      join(BAD, 'parquet-bomb.parquet'),
    ];
    const { DuckDBInstance } = await import('@duckdb/node-api');
    const instance = await DuckDBInstance.create(':memory:');
    const native = await instance.connect();
    for (const file of files) {
      const reader = await native.runAndReadAll(
        `SELECT count(*) AS g, sum(b)::BIGINT AS b, sum(n)::BIGINT AS n FROM (SELECT DISTINCT row_group_id, row_group_bytes AS b, row_group_num_rows AS n FROM parquet_metadata('${file.replaceAll("'", "''")}'))`,
      );
      const [groups, bytes, rows] = reader.getRows()[0]!.map(Number);
      const facts = readParquetFooter(bytesOf(file));
      expect({ groups: facts.rowGroups, bytes: facts.uncompressedBytes, rows: facts.rows }).toEqual({
        groups,
        bytes,
        rows,
      });
    }
    native.closeSync();
  });

  it('refuses a file whose row groups expand beyond the budget, before decoding', async () => {
    const facts = readParquetFooter(bytesOf(join(BAD, 'parquet-bomb.parquet')));
    expect(facts).toMatchObject({ rows: BOMB_ROWS, uncompressedBytes: BOMB_UNCOMPRESSED_BYTES });
    expect(facts.uncompressedBytes).toBeGreaterThan(MAX_PARQUET_UNCOMPRESSED_BYTES);
    const before = await tableNames();
    await expect(loadFile(conn, join(BAD, 'parquet-bomb.parquet'))).rejects.toMatchObject({
      code: 'too-large',
      message: expect.stringMatching(
        /500,000,000 rows expand to 4000 MB uncompressed \(1 row group\), above the 1000 MB/,
      ),
    });
    expect(await tableNames()).toEqual(before);
  });

  it('counts the decoded width of repetitive columns that encoding shrinks to nothing', async () => {
    // 2 million identical BIGINTs, written by native DuckDB: dictionary and run-length encoding store them in bytes.
    const dir = mkdtempSync(join(tmpdir(), 'sz-parquet-'));
    const file = join(dir, 'constant.parquet');
    const { DuckDBInstance } = await import('@duckdb/node-api');
    const native = await (await DuckDBInstance.create(':memory:')).connect();
    await native.run(`COPY (SELECT 42::BIGINT AS x FROM range(2000000)) TO '${file}' (FORMAT parquet)`);
    native.closeSync();
    const bytes = bytesOf(file);
    rmSync(dir, { recursive: true });
    const facts = readParquetFooter(bytes);
    expect(facts.rows).toBe(2_000_000);
    expect(facts.decodedFloorBytes).toBe(2_000_000 * 8);
    expect(facts.uncompressedBytes).toBeLessThan(facts.decodedFloorBytes / 100);
    expect(() =>
      decodeParquet(parquetWasm, bytes, { maxUncompressedBytes: facts.decodedFloorBytes - 1 }),
    ).toThrow(/2,000,000 rows expand to 16 MB/);
    expect(tableFromIPC(decodeParquet(parquetWasm, bytes)).numRows).toBe(2_000_000);
  });

  it('decodes a real file at its footer’s size and refuses it one byte under', () => {
    const bytes = bytesOf(join(FORMATS, 'tiny-snappy.parquet'));
    const size = readParquetFooter(bytes).uncompressedBytes;
    expect(decodeParquet(parquetWasm, bytes, { maxUncompressedBytes: size }).byteLength).toBeGreaterThan(0);
    expect(() => decodeParquet(parquetWasm, bytes, { maxUncompressedBytes: size - 1 })).toThrow(
      /above the 0 MB the browser can decode/,
    );
  });
});

describe('wide files', () => {
  const wideCsv = (columns: number, rows: number): string =>
    [
      Array.from({ length: columns }, (_, i) => `c${i}`).join(','),
      ...Array.from({ length: rows }, (_, r) =>
        Array.from({ length: columns }, (_, i) => (i % 3 === 0 ? `t${(r * i) % 7}` : String(r * i))).join(
          ',',
        ),
      ),
    ].join('\n');

  it('refuses more than the column cap from the header, before DuckDB reads the file', async () => {
    const before = await tableNames();
    const started = performance.now();
    await expect(loadBytes(conn, 'wide.csv', wideCsv(MAX_COLUMNS + 1, 3))).rejects.toMatchObject({
      code: 'too-many-columns',
      message: expect.stringMatching(/has 2,001 columns; Sprint Zero audits at most 2,000/),
    });
    expect(performance.now() - started).toBeLessThan(2000);
    expect(await tableNames()).toEqual(before);
  });

  it('refuses a 100,000-column header whose first line is longer than the sniffed head', async () => {
    await expect(loadBytes(conn, 'very-wide.csv', wideCsv(100_000, 1))).rejects.toMatchObject({
      code: 'too-many-columns',
      message: expect.stringMatching(/has 100,000 columns/),
    });
  });

  // About a minute alone on two cores, three when other test files share them: every column is its own branch.
  it('profiles 1,500 columns × 5 rows in column batches', async () => {
    const loaded = await loadBytes(conn, 'wide-1500.csv', wideCsv(1500, 5));
    expect(loaded.columns).toHaveLength(1500);
    const labels: string[] = [];
    const profile = await profileDataset(conn, loaded.tableName, 'wide', {
      onProgress: (p) => labels.push(p.label),
    });
    expect(profile.columns).toHaveLength(1500);
    expect(labels).toContain('Summarising 1500 columns (batch 8 of 8)');
    // Each column's statistics come from its own batch: the last column is counted like the first.
    const last = profile.columns[1499]!;
    expect(last.name).toBe('c1499');
    expect(profile.columns.every((c) => c.count === 5)).toBe(true);
  }, 600_000);

  it('refuses an Arrow stream and a workbook sheet wider than the cap', async () => {
    const columns = Object.fromEntries(
      Array.from({ length: MAX_COLUMNS + 1 }, (_, i) => [`c${i}`, Float64Array.from([i, i + 1])]),
    );
    await expect(
      loadBytes(conn, 'wide.arrows', tableToIPC(tableFromArrays(columns), 'stream')),
    ).rejects.toMatchObject({
      code: 'too-many-columns',
      message: expect.stringMatching(/has 2,001 columns/),
    });
    const header = Array.from({ length: MAX_COLUMNS + 1 }, (_, i) => `c${i}`);
    const workbook = buildWorkbook([{ name: 'Wide', rows: [header, header.map((_, i) => i)] }]);
    await expect(decodeXlsx(workbook)).rejects.toMatchObject({
      code: 'too-many-columns',
      message: expect.stringMatching(/^Sheet “Wide” has 2,001 columns/),
    });
  });

  it('refuses a JSON file with more keys than the cap', async () => {
    const record = Object.fromEntries(Array.from({ length: MAX_COLUMNS + 5 }, (_, i) => [`k${i}`, i]));
    await expect(loadBytes(conn, 'wide.json', JSON.stringify([record]))).rejects.toMatchObject({
      code: 'too-many-columns',
    });
  });
});

describe('JSON shapes found in the wild', () => {
  it('reads a GeoJSON FeatureCollection as one row per feature with its geometry as columns', async () => {
    const path = join(VEGA, 'earthquakes.json');
    const source = JSON.parse(readFileSync(path, 'utf8')) as {
      features: { id: string; properties: Record<string, unknown>; geometry: { coordinates: number[] } }[];
    };
    const loaded = await loadFile(conn, path);
    expect(loaded.rowCount).toBe(source.features.length);
    const names = loaded.columns.map((c) => c.name);
    expect(names.slice(0, 1 + Object.keys(source.features[0]!.properties).length)).toEqual([
      'feature_id',
      ...Object.keys(source.features[0]!.properties),
    ]);
    expect(names).toEqual(
      expect.arrayContaining([
        'geometry_type',
        'geometry_longitude',
        'geometry_latitude',
        'geometry_altitude',
      ]),
    );
    const first = source.features[0]!;
    const [row] = await conn.query(
      `SELECT mag, geometry_type, geometry_longitude, geometry_latitude, geometry_altitude FROM ${ident(loaded.tableName)} WHERE feature_id = '${first.id}'`,
    );
    expect(row).toEqual({
      mag: first.properties.mag,
      geometry_type: 'Point',
      geometry_longitude: first.geometry.coordinates[0],
      geometry_latitude: first.geometry.coordinates[1],
      geometry_altitude: first.geometry.coordinates[2],
    });
    expect(loaded.warnings.join(' ')).toMatch(/GeoJSON FeatureCollection/);
  });

  it('keeps non-point geometry as JSON text and refuses an empty collection plainly', async () => {
    const polygon = [
      [
        [0, 0],
        [1, 0],
        [1, 1],
        [0, 0],
      ],
    ];
    const loaded = await loadBytes(
      conn,
      'shapes.geojson.json',
      JSON.stringify({
        type: 'FeatureCollection',
        features: [
          {
            type: 'Feature',
            properties: { name: 'square' },
            geometry: { type: 'Polygon', coordinates: polygon },
          },
        ],
      }),
    );
    const [row] = await conn.query(
      `SELECT name, geometry_type, geometry_coordinates FROM ${ident(loaded.tableName)}`,
    );
    expect(row).toEqual({
      name: 'square',
      geometry_type: 'Polygon',
      geometry_coordinates: JSON.stringify(polygon),
    });
    await expect(
      loadBytes(conn, 'empty.geojson.json', '{"type":"FeatureCollection","features":[]}'),
    ).rejects.toMatchObject({ code: 'header-only', message: expect.stringMatching(/no features/) });
  });

  it('loads the largest array of an object holding several, and the one the user picks', async () => {
    const path = join(VEGA, 'miserables.json');
    const source = JSON.parse(readFileSync(path, 'utf8')) as Record<string, object[]>;
    const sizes = Object.entries(source).map(([name, rows]) => ({ name, rows: rows.length }));
    const largest = [...sizes].sort((a, b) => b.rows - a.rows)[0]!;
    const loaded = await loadFile(conn, path);
    expect(loaded.jsonArrays).toEqual(sizes);
    expect(loaded.jsonArray).toBe(largest.name);
    expect(loaded.rowCount).toBe(largest.rows);
    expect(loaded.warnings.join(' ')).toMatch(/holds 2 arrays of records .*loaded “links”, the largest/);

    const nodes = await loadFile(conn, path, { jsonArray: 'nodes' });
    expect(nodes.rowCount).toBe(source.nodes!.length);
    expect(nodes.columns.map((c) => c.name)).toEqual(Object.keys(source.nodes![0]!));

    await expect(loadFile(conn, path, { jsonArray: 'edges' })).rejects.toMatchObject({
      message: expect.stringMatching(/no array of records named “edges”\. Arrays: nodes, links/),
    });
  });

  it('never shows DuckDB’s exception JSON: the importer’s own error is rewritten', async () => {
    // The features as plain records (what the loader passed before it knew GeoJSON): their nested
    // properties change type between records, and DuckDB-WASM's importer throws its exception as JSON.
    const features = (
      JSON.parse(readFileSync(join(VEGA, 'earthquakes.json'), 'utf8')) as { features: unknown[] }
    ).features;
    await conn.registerBuffer('raw-features.json', new TextEncoder().encode(JSON.stringify(features)));
    const raw = await conn.insertJSON('raw_features', 'raw-features.json').then(
      () => undefined,
      (error: unknown) => error,
    );
    await conn.unregister('raw-features.json');
    expect(raw instanceof Error ? raw.message : String(raw)).toMatch(/^\{"exception_type":"Invalid Input"/);
    const plain = plainEngineMessage(raw);
    expect(plain).not.toMatch(/exception_type|[{}]/);
    expect(plain).toMatch(/^Failed to create table/);
  });

  it('rewrites engine messages into one plain line', () => {
    expect(
      plainEngineMessage(
        new Error(
          '{"exception_type":"Invalid Input","exception_message":"Malformed JSON at byte 3\\nmore detail"}',
        ),
      ),
    ).toBe('Malformed JSON at byte 3');
    expect(plainEngineMessage(new Error('Binder Error: Referenced column "x" not found'))).toBe(
      'Referenced column "x" not found',
    );
    expect(plainEngineMessage(new Error('{"exception_type":"Internal"'))).toBe(
      'the data engine reported an internal error',
    );
    expect(plainEngineMessage(new Error('x'.repeat(500)))).toMatch(/^x{197}…$/);
  });
});

describe('header names', () => {
  it('a header with a line break does not flag its neighbours as renamed', async () => {
    const loaded = await loadBytes(conn, 'newline-header.csv', 'id,"first\nname",last\n1,a,b\n2,c,d\n');
    expect(loaded.columns.map((c) => c.name)).toEqual(['id', 'first\nname', 'last']);
    expect(loaded.warnings).toEqual([]);
  });

  it('still reports a real duplicate next to a header with a line break', async () => {
    const loaded = await loadBytes(conn, 'dup.csv', 'id,"a\nb",id\n1,x,2\n');
    expect(loaded.warnings.join(' ')).toMatch(
      /duplicate or empty column names; the reader named them “id_1”/,
    );
    expect(loaded.warnings.join(' ')).not.toMatch(/“a\nb”/);
  });

  it('splits a header record on unquoted delimiters only', () => {
    expect(headerFields('a,"b,c","d""e"\nx', ',')).toEqual({ fields: ['a', 'b,c', 'd"e'], complete: true });
    expect(headerFields('a;"b\nc";d', ';')).toEqual({ fields: ['a', 'b\nc', 'd'], complete: false });
  });
});

describe('table SQL', () => {
  it('no engine module writes DROP TABLE inline', () => {
    const dir = join(ROOT, 'src/lib/engine');
    const offenders = readdirSync(dir, { recursive: true, encoding: 'utf8' })
      .filter((f) => f.endsWith('.ts'))
      .filter((f) => /DROP\s+TABLE/i.test(readFileSync(join(dir, f), 'utf8')));
    expect(offenders).toEqual([]);
  });
});

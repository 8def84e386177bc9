import { describe, expect, it } from 'vitest';
import {
  BEGIN_TRANSACTION,
  CHECKPOINT_TABLES,
  OFFLINE_SETTINGS,
  PROGRESS_SETTINGS,
  describeReaderQuery,
  engineSettingsQuery,
  extensionRepositorySetting,
  fileSearchPathSetting,
  loadCsvQuery,
  loadParquetFileQuery,
  loadReaderQuery,
  newLineLiteral,
  raggedRowCountsQuery,
  readCsvCall,
  readJsonCall,
  readParquetCall,
  readerSelectQuery,
  reorderColumnsQuery,
  sniffCsvQuery,
  tidyColumnsQuery,
  utcTimestampsQuery,
} from '../../../../src/lib/core/sql/load';

/** Names a client file can carry: a closing quote and a statement, a lone quote, a line break. */
const INJECTION = 'a"; DROP TABLE x; --';
const APOSTROPHE = "o'brien's; DROP TABLE y; --";
const NEWLINE = 'first\nsecond';

describe('engine set-up statements', () => {
  it('turns off extension auto-loading and auto-installing, then uses the compressed database, on every connection', () => {
    expect(OFFLINE_SETTINGS).toEqual([
      'SET autoload_known_extensions=false',
      'SET autoinstall_known_extensions=false',
      `ATTACH IF NOT EXISTS ':memory:' AS "compressed" (COMPRESS)`,
      'USE "compressed"',
    ]);
    expect(CHECKPOINT_TABLES).toBe('CHECKPOINT "compressed"');
  });

  it('asks for progress at once, never printed, the enabling statement first', () => {
    expect(PROGRESS_SETTINGS).toEqual([
      'SET enable_progress_bar = true',
      'SET enable_progress_bar_print = false',
      'SET progress_bar_time = 0',
    ]);
    expect(BEGIN_TRANSACTION).toBe('BEGIN TRANSACTION');
  });

  it('quotes a folder or URL as one string literal', () => {
    expect(fileSearchPathSetting("/tmp/it's; DROP")).toBe("SET file_search_path = '/tmp/it''s; DROP'");
    expect(extensionRepositorySetting("https://h/x'y")).toBe(
      "SET custom_extension_repository = 'https://h/x''y'",
    );
    expect(engineSettingsQuery()).toMatch(/current_setting\('threads'\) AS threads/);
  });
});

describe('CSV reading', () => {
  it('reads a registered file with only the options given', () => {
    expect(readCsvCall('t1__source', {})).toBe("read_csv('t1__source', auto_detect=true, sample_size=20480)");
    expect(loadCsvQuery('t1', 't1__source', { header: false }, true)).toBe(
      `CREATE TABLE "t1" AS SELECT * FROM read_csv('t1__source', auto_detect=true, sample_size=20480, header=false, null_padding=true, ignore_errors=true)`,
    );
  });

  it('quotes hostile delimiters, quotes, encodings and file names as literals', () => {
    expect(
      readCsvCall(APOSTROPHE, { delimiter: "'", quote: "'", encoding: "latin-1'; --", header: true }),
    ).toBe(
      "read_csv('o''brien''s; DROP TABLE y; --', auto_detect=true, sample_size=20480, delim='''', quote='''', header=true, encoding='latin-1''; --')",
    );
  });

  it('spells line breaks with backslashes, as DuckDB takes them', () => {
    expect(newLineLiteral('\r\n')).toBe("'\\r\\n'");
    expect(readCsvCall('f', { newLine: '\r' })).toContain("new_line='\\r'");
    expect(sniffCsvQuery('f', { encoding: 'utf-16', newLine: '\n' })).toBe(
      "SELECT Delimiter AS delimiter, Quote AS quote, HasHeader AS header FROM sniff_csv('f', encoding='utf-16', new_line='\\n')",
    );
    expect(sniffCsvQuery(APOSTROPHE, {})).toBe(
      "SELECT Delimiter AS delimiter, Quote AS quote, HasHeader AS header FROM sniff_csv('o''brien''s; DROP TABLE y; --')",
    );
  });

  it('counts ragged rows over hostile column names', () => {
    expect(raggedRowCountsQuery('t"1', [INJECTION, NEWLINE], 'last"')).toBe(
      'SELECT count(*) FILTER (WHERE "a""; DROP TABLE x; --" IS NOT NULL OR "first\nsecond" IS NOT NULL) AS long_rows, ' +
        'count(*) FILTER (WHERE "last""" IS NULL) AS short_rows FROM "t""1"',
    );
    expect(raggedRowCountsQuery('t', [], undefined)).toBe(
      'SELECT count(*) FILTER (WHERE FALSE) AS long_rows, count(*) FILTER (WHERE FALSE) AS short_rows FROM "t"',
    );
  });
});

describe('reshaping a loaded table', () => {
  it('renames and casts columns whatever their names hold', () => {
    expect(
      tidyColumnsQuery('t', [
        { name: INJECTION, as: 'short', asText: false },
        { name: NEWLINE, as: NEWLINE, asText: true },
      ]),
    ).toBe(
      'CREATE OR REPLACE TABLE "t" AS SELECT "a""; DROP TABLE x; --" AS "short", CAST("first\nsecond" AS VARCHAR) AS "first\nsecond" FROM "t"',
    );
  });

  it('reorders columns and converts zoned timestamps to UTC', () => {
    expect(reorderColumnsQuery('t', [INJECTION, 'b'])).toBe(
      'CREATE OR REPLACE TABLE "t" AS SELECT "a""; DROP TABLE x; --", "b" FROM "t"',
    );
    expect(utcTimestampsQuery('t', ['at"'])).toBe(
      'CREATE OR REPLACE TABLE "t" AS SELECT * REPLACE (CAST("at""" AS TIMESTAMP) AS "at""") FROM "t"',
    );
  });
});

describe('native readers', () => {
  it('reads Parquet and JSON paths as literals', () => {
    expect(readParquetCall("/d/it's/**/*.parquet")).toBe(
      "read_parquet('/d/it''s/**/*.parquet', hive_partitioning = true, union_by_name = true)",
    );
    expect(readJsonCall('/d/a.json')).toBe("read_json_auto('/d/a.json')");
    expect(readJsonCall("/d/x'.json", 'array')).toBe("read_json_auto('/d/x''.json', format = 'array')");
    expect(loadParquetFileQuery('t"', "/tmp/t'.ipc.parquet")).toBe(
      `CREATE TABLE "t""" AS SELECT * FROM read_parquet('/tmp/t''.ipc.parquet')`,
    );
    expect(loadReaderQuery('t', readJsonCall('/a'))).toBe(
      `CREATE TABLE "t" AS SELECT * FROM read_json_auto('/a')`,
    );
    expect(describeReaderQuery(readJsonCall('/a'))).toBe("DESCRIBE SELECT * FROM read_json_auto('/a')");
  });

  it('selects a reader with zoned columns cast and, for file order, a rowid', () => {
    const reader = readParquetCall('/d');
    expect(readerSelectQuery(reader, [])).toBe(`SELECT * FROM ${reader}`);
    expect(readerSelectQuery(reader, [INJECTION], true)).toBe(
      `SELECT * REPLACE (CAST("a""; DROP TABLE x; --" AS TIMESTAMP) AS "a""; DROP TABLE x; --"), (CAST(file_index AS BIGINT) << 40) + file_row_number AS rowid FROM ${reader}`,
    );
  });
});

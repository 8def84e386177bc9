import { describe, it, expect } from 'vitest';
import { join } from 'node:path';
import { readFileSync, readdirSync } from 'node:fs';
import { useEngine, loadBytes, ROOT } from '../../support/engine';
import { describeTable } from '../../../src/lib/engine/load-dataset';
import { createTableAsQuery, dropTableQuery } from '../../../src/lib/core/sql/table';
import {
  raggedRowCountsQuery,
  readCsvCall,
  reorderColumnsQuery,
  sniffCsvQuery,
  tidyColumnsQuery,
  utcTimestampsQuery,
} from '../../../src/lib/core/sql/load';

/** Names a client file can carry: a closing quote and a statement, a lone quote, a line break. */
const INJECTION = 'a"; DROP TABLE x; --';
const APOSTROPHE = "o'brien's; DROP TABLE y; --";
const NEWLINE = 'first\nsecond';
const TABLE = 't"; DROP TABLE z; --';

const conn = useEngine();

describe('load SQL on the real engine', () => {
  it('loads a CSV whose header holds quotes, semicolons and a line break as ordinary names', async () => {
    const header = `"${INJECTION.replaceAll('"', '""')}","${NEWLINE}",${APOSTROPHE}`;
    const loaded = await loadBytes(conn, "it's.csv", `${header}\n1,2,3\n4,5,6\n`);
    expect(loaded.columns.map((c) => c.name)).toEqual([INJECTION, NEWLINE, APOSTROPHE]);
    expect(loaded.rowCount).toBe(2);
    await conn.exec(dropTableQuery(loaded.tableName));
  });

  it('reads and sniffs a registered file whose name holds quotes and a statement', async () => {
    const file = `${APOSTROPHE}.csv`;
    await conn.registerBuffer(file, new TextEncoder().encode('x;y\n1;2\n3;4\n'));
    try {
      const rows = await conn.query(`SELECT count(*) AS n FROM ${readCsvCall(file, { delimiter: ';' })}`);
      expect(Number(rows[0]?.n)).toBe(2);
      const [dialect] = await conn.query(sniffCsvQuery(file, { encoding: 'utf-8', newLine: '\n' }));
      expect(dialect?.delimiter).toBe(';');
    } finally {
      await conn.unregister(file);
    }
  });

  it('reshapes a table with a hostile name and hostile columns, and counts its ragged rows', async () => {
    await conn.exec(
      createTableAsQuery(
        TABLE,
        `SELECT 1 AS "${INJECTION.replaceAll('"', '""')}", NULL::INTEGER AS "${NEWLINE}", TIMESTAMPTZ '2024-01-01 00:00:00+00' AS "${APOSTROPHE}"`,
      ),
    );
    try {
      await conn.exec(utcTimestampsQuery(TABLE, [APOSTROPHE]));
      await conn.exec(reorderColumnsQuery(TABLE, [APOSTROPHE, NEWLINE, INJECTION]));
      await conn.exec(
        tidyColumnsQuery(TABLE, [
          { name: APOSTROPHE, as: APOSTROPHE, asText: false },
          { name: NEWLINE, as: `${NEWLINE}"`, asText: false },
          { name: INJECTION, as: INJECTION, asText: true },
        ]),
      );
      expect(await describeTable(conn, TABLE)).toEqual([
        { name: APOSTROPHE, type: 'TIMESTAMP' },
        { name: `${NEWLINE}"`, type: 'INTEGER' },
        { name: INJECTION, type: 'VARCHAR' },
      ]);
      const [counts] = await conn.query(raggedRowCountsQuery(TABLE, [INJECTION], `${NEWLINE}"`));
      expect(counts).toEqual({ long_rows: 1, short_rows: 1 });
    } finally {
      await conn.exec(dropTableQuery(TABLE));
    }
  });

  it('no loader or connector writes SQL inline: it comes from core/sql builders', () => {
    const engineDir = join(ROOT, 'src/lib/engine');
    const files = [
      'load-dataset.ts',
      'native-connector.ts',
      'browser-connector.ts',
      'node-connector.ts',
      ...readdirSync(join(engineDir, 'loaders')).map((f) => `loaders/${f}`),
    ];
    const inline =
      /\b(SELECT|CREATE|DESCRIBE|BEGIN|SET [a-z_]+|read_(csv|json\w*|parquet)|sniff_csv)\b|\bFROM \$\{/;
    const offenders = files.filter((f) => inline.test(readFileSync(join(engineDir, f), 'utf8')));
    expect(offenders).toEqual([]);
  });
});

import { describe, it, expect, beforeAll } from 'vitest';
import { useEngine } from '../../../support/engine';
import type { Connector } from '../../../../src/lib/engine/connector';
import { ident, str } from '../../../../src/lib/core/sql/quote';
import { THRESHOLDS } from '../../../../src/lib/core/thresholds';
import {
  distributionQuery,
  dropTableStatement,
  duplicatesQuery,
  missingnessQuery,
  sampleStatement,
  summaryQuery,
  tableColumnsAndRowsQuery,
  tableColumnsQuery,
  withMissingness,
  type ProfileColumn,
} from '../../../../src/lib/core/sql/profile';
import {
  textPatternsQuery,
  valueCountsStatement,
  valuesAndTextQuery,
  valuesQuery,
} from '../../../../src/lib/core/sql/profile-values';
import { contingencyQuery, correlationQuery, pairsQuery } from '../../../../src/lib/core/sql/profile-pairs';
import { isNumericKind, sqlKind } from '../../../../src/lib/core/sql/types';
import { profileDataset } from '../../../../src/lib/session/profile';
import { DatasetProfileSchema, type DatasetProfile } from '../../../../src/lib/core/model/audit';

/** Column names are client data; these must come out as ordinary names. */
const HOSTILE: [string, string][] = [
  ['a"; DROP TABLE canary; --', 'INTEGER'],
  ['<img src=x onerror=alert(1)>', 'VARCHAR'],
  ['with.dots.in.it', 'DOUBLE'],
  ['it\'s "quoted"', 'DATE'],
  ['has  spaces ', 'TIMESTAMP'],
  ['ünïcødé 列 🚀', 'BOOLEAN'],
  ['[brackets]{braces}', 'DECIMAL(10,2)'],
  ['c0', 'VARCHAR'],
  ['x', 'BIGINT'],
  ['sz_copies', 'VARCHAR'],
  ['sz_row', 'VARCHAR'],
  ['duplicates', 'HUGEINT'],
  ['n', 'UBIGINT'],
  ['col', 'FLOAT'],
  ['nanos', 'TIMESTAMP_NS'],
  ['seconds', 'TIMESTAMP_S'],
  ['clock', 'TIME'],
  ['span', 'INTERVAL'],
  ['bytes', 'BLOB'],
  ['id', 'UUID'],
  ['list', 'INTEGER[]'],
  ['record', 'STRUCT(a INTEGER, "b.c" VARCHAR)'],
  ['mood', "ENUM('sad', 'ok', 'happy')"],
  ['$1 ${x} \\n', 'VARCHAR'],
];
const TABLE = 'hostile "table"; DROP TABLE canary; --';

const conn = useEngine();
let columns: ProfileColumn[];

beforeAll(async () => {
  await conn.exec(`CREATE TABLE canary AS SELECT 42 AS answer`);
  await conn.exec(
    `CREATE TABLE ${ident(TABLE)} (${HOSTILE.map(([name, type]) => `${ident(name)} ${type}`).join(', ')})`,
  );
  const row = (i: number): string =>
    [
      `${i % 5}`,
      i % 7 === 0 ? 'NULL' : str(i % 3 === 0 ? ' N/A ' : `v${i % 4}`),
      i % 11 === 0 ? `'NaN'::DOUBLE` : `${i * 1.5}`,
      `DATE '2020-01-01' + ${i}`,
      i % 9 === 0 ? 'NULL' : `TIMESTAMP '2021-03-04 00:00:00' + INTERVAL ${i} HOUR`,
      i % 2 === 0 ? 'true' : 'false',
      `${i}.25`,
      str(`4539 1488 0343 646${i % 10}`),
      `${-i}`,
      str('alice@example.com'),
      str('GB82 WEST 1234 5698 7654 32'),
      `${i}`,
      `${i}`,
      i % 13 === 0 ? `'Infinity'::FLOAT` : `${i / 3}`,
      `TIMESTAMP_NS '2022-01-01 00:00:00.123456789'`,
      `TIMESTAMP_S '1970-01-01 00:00:00'`,
      `TIME '12:00:00'`,
      `INTERVAL ${i} DAY`,
      `'\\xAA'::BLOB`,
      `'00000000-0000-0000-0000-00000000000${i % 10}'::UUID`,
      `[${i}, ${i + 1}]`,
      `{'a': ${i % 2}, 'b.c': 'x'}`,
      str(['sad', 'ok', 'happy'][i % 3]!),
      str('192.168.0.1'),
    ].join(', ');
  const values = Array.from({ length: 60 }, (_, i) => `(${row(i)})`);
  values.push(`(${row(1)})`, `(${row(2)})`);
  await conn.exec(`INSERT INTO ${ident(TABLE)} VALUES ${values.join(', ')}`);
  const schema = await conn.query(tableColumnsQuery(TABLE));
  columns = schema.map((r, index) => ({
    index,
    name: String(r.column_name),
    type: String(r.data_type),
    kind: sqlKind(String(r.data_type)),
  }));
});

async function explain(sql: string | null): Promise<void> {
  expect(sql).not.toBeNull();
  await expect(conn.query(`EXPLAIN ${sql!}`)).resolves.toBeDefined();
}

describe('profile SQL builders', () => {
  it('read the hostile column names back unchanged', () => {
    expect(columns.map((c) => c.name)).toEqual(HOSTILE.map(([name]) => name));
  });

  it('read the columns with the row count in one statement', async () => {
    const rows = await conn.query(tableColumnsAndRowsQuery(TABLE));
    expect(rows.map((r) => r.column_name)).toEqual(HOSTILE.map(([name]) => name));
    expect(rows.map((r) => r.n)).toEqual(HOSTILE.map(() => 62));
    await expect(conn.query(tableColumnsAndRowsQuery('no such table'))).rejects.toThrow();
  });

  it('bind the summary query with every distinct-count mode', async () => {
    for (const distinct of ['none', 'approx', 'exact'] as const)
      await explain(summaryQuery(TABLE, columns, { quantileLevels: THRESHOLDS.quantileLevels, distinct }));
  });

  it('bind the distribution, missingness and duplicate queries', async () => {
    const plans = columns.map((column) =>
      isNumericKind(column.kind)
        ? {
            column,
            bins: { start: 0, step: 0.5, count: 20 },
            outlierFences: { low: -1, high: 10 },
            sentinelFences: { low: -5, high: 20 },
            mean: 3.5,
          }
        : { column },
    );
    await explain(
      distributionQuery(TABLE, plans, {
        sentinelValues: THRESHOLDS.sentinelValues,
        defaultDates: THRESHOLDS.defaultDates,
      }),
    );
    await explain(missingnessQuery(TABLE, columns));
    await explain(
      withMissingness(
        distributionQuery(TABLE, plans, {
          sentinelValues: THRESHOLDS.sentinelValues,
          defaultDates: THRESHOLDS.defaultDates,
        }),
        missingnessQuery(TABLE, columns),
      ),
    );
    await explain(
      duplicatesQuery(
        TABLE,
        columns.map((c) => c.name),
      ),
    );
  });

  it('bind the sample, value-count, values and text-pattern statements', async () => {
    await explain(sampleStatement(TABLE, 'sample "tmp"', 10, 62));
    await explain(sampleStatement(TABLE, 'sample "tmp"', 10, 62, 'reservoir'));
    await conn.exec(sampleStatement(TABLE, 'sample "tmp"', 10, 62));
    const strings = columns.filter((c) => c.kind === 'string');
    await explain(valueCountsStatement('sample "tmp"', 'values "tmp"', strings));
    await conn.exec(valueCountsStatement('sample "tmp"', 'values "tmp"', strings)!);
    await explain(valuesQuery('sample "tmp"', 'values "tmp"', columns, 10));
    await explain(valuesQuery(TABLE, null, columns, 10));
    await explain(
      textPatternsQuery('values "tmp"', {
        missingTokens: THRESHOLDS.missingTokens,
        topShapes: 10,
        variantMaxDistinct: 1000,
        variantMaxGroups: 20,
      }),
    );
    await conn.exec(dropTableStatement('values "tmp"'));
    await explain(
      valuesAndTextQuery('sample "tmp"', columns, 10, {
        missingTokens: THRESHOLDS.missingTokens,
        topShapes: 10,
        variantMaxDistinct: 1000,
        variantMaxGroups: 20,
      }),
    );
    await conn.exec(dropTableStatement('sample "tmp"'));
  });

  it('bind the correlation query with per-column and per-pair ranks', async () => {
    const numeric = columns.filter((c) => isNumericKind(c.kind));
    await explain(correlationQuery(TABLE, TABLE, numeric, { withMissing: new Set(), pairwiseRanks: false }));
    await explain(
      correlationQuery(TABLE, TABLE, numeric, {
        withMissing: new Set(numeric.map((c) => c.index)),
        pairwiseRanks: true,
      }),
    );
    await explain(
      correlationQuery(TABLE, TABLE, numeric, {
        withMissing: new Set([numeric[0]!.index]),
        pairwiseRanks: true,
      }),
    );
  });

  it('bind the contingency query, alone and with the correlations', async () => {
    const categorical = columns.filter((c) => c.kind === 'string' || c.kind === 'boolean');
    await explain(contingencyQuery(TABLE, categorical));
    const numeric = columns.filter((c) => isNumericKind(c.kind));
    await explain(
      pairsQuery(
        correlationQuery(TABLE, TABLE, numeric, { withMissing: new Set(), pairwiseRanks: false }),
        contingencyQuery(TABLE, categorical),
      ),
    );
  });
});

describe('profiling a table with hostile names', () => {
  it('keeps names as data, leaves other tables alone and validates', async () => {
    const profile = await profileDataset(conn, TABLE, 'hostile');
    expect(() => DatasetProfileSchema.parse(profile)).not.toThrow();
    expect(profile.columns.map((c) => c.name)).toEqual(HOSTILE.map(([name]) => name));
    expect(profile.rows).toBe(62);
    expect(profile.duplicateRows).toBe(2);
    expect(Object.keys(profile.duplicateExample ?? {})).toEqual(HOSTILE.map(([name]) => name));
    expect(await conn.query('SELECT answer FROM canary')).toEqual([{ answer: 42 }]);
    const [{ n } = { n: 0 }] = await conn.query(`SELECT count(*) AS n FROM ${ident(TABLE)}`);
    expect(n).toBe(62);
    // Temporary tables are dropped afterwards.
    expect(
      await conn.query(`SELECT table_name FROM duckdb_tables() WHERE table_name LIKE '__sz_profile%'`),
    ).toEqual([]);
  });

  it('profiles every kind of column it can type', async () => {
    const profile = await profileDataset(conn, TABLE, 'hostile');
    const byName = new Map(profile.columns.map((c) => [c.name, c]));
    expect(byName.get('a"; DROP TABLE canary; --')?.family).toBe('numeric');
    expect(byName.get('with.dots.in.it')?.numeric?.nonFinite).toBe(6);
    expect(byName.get('col')?.numeric?.nonFinite).toBe(5);
    expect(byName.get('it\'s "quoted"')?.family).toBe('temporal');
    expect(byName.get('has  spaces ')?.temporal?.byHour).toHaveLength(24);
    expect(byName.get('ünïcødé 列 🚀')?.boolean).toEqual({ trueCount: 31, falseCount: 31 });
    expect(byName.get('mood')?.family).toBe('categorical');
    expect(byName.get('record')?.family).toBe('other');
    expect(byName.get('<img src=x onerror=alert(1)>')?.missingLike.values).toEqual([
      { value: ' N/A ', count: expect.any(Number) as number },
    ]);
    expect(byName.get('c0')?.pii.map((p) => p.kind)).toContain('payment-card');
    expect(byName.get('sz_row')?.pii.map((p) => p.kind)).toEqual(['iban']);
    expect(byName.get('sz_copies')?.pii.map((p) => p.kind)).toEqual(['email']);
  });
});

describe('profiling edge cases', () => {
  const CASES: Record<string, string> = {
    'an empty table': `CREATE TABLE edge_empty (a INTEGER, b VARCHAR, c DATE)`,
    'columns that are all NULL': `CREATE TABLE edge_nulls AS SELECT NULL::DOUBLE AS d, NULL::TIMESTAMP AS t, NULL::BOOLEAN AS b, NULL::VARCHAR AS v FROM range(5)`,
    '128-bit and unsigned integers at their limits': `CREATE TABLE edge_huge AS SELECT 170141183460469231731687303715884105727::HUGEINT AS h, 18446744073709551615::UBIGINT AS u, 9007199254740993::BIGINT AS b FROM range(3)`,
    'only NaN and infinities': `CREATE TABLE edge_inf AS SELECT x FROM (VALUES ('inf'::DOUBLE), ('-inf'::DOUBLE), ('nan'::DOUBLE)) t(x)`,
    'dates at the ends of the calendar': `CREATE TABLE edge_dates AS SELECT d FROM (VALUES (DATE '0001-01-01'), (DATE '9999-12-31'), (DATE '1970-01-01')) t(d)`,
    'a single row': `CREATE TABLE edge_single AS SELECT 1 AS k, 'a' AS v`,
  };
  it.each(Object.keys(CASES))('profiles %s', async (name) => {
    const sql = CASES[name]!;
    await conn.exec(sql);
    const table = sql.split(' ')[2]!;
    const profile = DatasetProfileSchema.parse(await profileDataset(conn, table, name));
    const [{ n } = { n: -1 }] = await conn.query(`SELECT count(*) AS n FROM ${ident(table)}`);
    expect(profile.rows).toBe(n);
  });

  it('says a missing table is not found', async () => {
    await expect(profileDataset(conn, 'no such table', 'missing')).rejects.toMatchObject({
      name: 'ProfileError',
      code: 'not-found',
    });
  });

  it('gives the same profile in column batches as in fused statements', async () => {
    const strip = (p: DatasetProfile): Omit<DatasetProfile, 'durationMs' | 'computedAt'> => {
      const { durationMs: _d, computedAt: _c, ...rest } = p;
      return rest;
    };
    const fused = await profileDataset(conn, TABLE, 'hostile');
    const batched = await profileDataset(conn, TABLE, 'hostile', { columnBatch: 4 });
    expect(strip(batched)).toEqual(strip(fused));
    expect(fused.columns.find((c) => c.name === 'sz_copies')?.pii.map((p) => p.kind)).toEqual(['email']);
    expect(fused.missingCooccurrence.length).toBeGreaterThan(0);
  });

  it('keeps integers beyond 2^53 as text rather than rounding them', async () => {
    const profile = await profileDataset(conn, 'edge_huge', 'huge');
    expect(profile.columns.find((c) => c.name === 'u')!.topK[0]!.value).toBe('18446744073709551615');
  });

  it('runs the same number of statements for 8 columns as for 40', async () => {
    const count = async (columns: number): Promise<number> => {
      const table = `width_${columns}`;
      const exprs = Array.from(
        { length: columns },
        (_, i) =>
          [
            `range * ${i} AS n${i}`,
            `CAST(range % ${i + 2} AS VARCHAR) AS s${i}`,
            `DATE '2020-01-01' + CAST(range % 30 AS INTEGER) AS d${i}`,
            `CASE WHEN range % 7 = ${i % 7} THEN NULL ELSE range / 3.0 END AS f${i}`,
          ][i % 4],
      );
      await conn.exec(`CREATE TABLE ${table} AS SELECT ${exprs.join(', ')} FROM range(500)`);
      let statements = 0;
      const spy: Connector = {
        ...conn,
        query: (sql) => (statements++, conn.query(sql)),
        queryArrow: (sql) => (statements++, conn.queryArrow(sql)),
        exec: (sql) => (statements++, conn.exec(sql)),
      };
      await profileDataset(spy, table, table);
      return statements;
    };
    const narrow = await count(8);
    expect(await count(40)).toBe(narrow);
    // Columns with the row count, summary, distributions with missingness, duplicates,
    // top values with text patterns, pairwise statistics.
    expect(narrow).toBe(6);
  });
});

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { join } from 'node:path';
import type * as Chdb from 'chdb';
import { chdbTestSession, copyToClickHouse, onBothEngines, type ChdbPort } from '../../../support/chdb-port';
import type { Row } from '../../../../src/lib/core/pipeline/stage';
import { profileAnalysis } from '../../../../src/lib/core/profile/stages';
import type { ProfileAnalysisOptions } from '../../../../src/lib/core/profile/state';
import {
  CLICKHOUSE,
  DUCKDB,
  clickhouseType,
  useDialect,
  type SqlDialect,
} from '../../../../src/lib/core/sql/dialect';
import { dateLiteral, ident, str } from '../../../../src/lib/core/sql/quote';
import { answerDifferences } from '../../../support/answer-diff';
import { sentinelDatesSql } from '../../../../src/lib/core/sql/readiness-common';
import type { Connector } from '../../../../src/lib/engine/connector';
import { QueryRunner, type QueryPort } from '../../../../src/lib/session/query-runner';
import { engine, FIXTURES, loadFile, ROOT } from '../../../support/engine';

/**
 * Every SqlDialect function, and every statement of the profile, run on real
 * ClickHouse (chDB) and on DuckDB-WASM, and compared. Tolerances, where the
 * engines can't agree exactly, are written next to the comparison.
 */

/** A value as both engines' answers compare: booleans and integral strings as numbers, bigints as numbers. */
function plain(value: unknown): unknown {
  if (typeof value === 'boolean') return value ? 1 : 0;
  if (typeof value === 'bigint') return Number(value);
  if (typeof value === 'string' && /^-?\d+$/.test(value) && value.length < 16) return Number(value);
  // DuckDB-WASM hands lists over as JSON text.
  if (typeof value === 'string' && /^\[.*\]$/.test(value)) return plain(JSON.parse(value));
  if (Array.isArray(value)) return value.map(plain);
  if (value && typeof value === 'object' && !(value instanceof Date))
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, plain(v)]));
  return value;
}

/** Paths where two answers differ beyond `relative` (numbers) or at all (anything else). */
function differences(a: unknown, b: unknown, relative = 1e-9): string[] {
  return answerDifferences(a, b, { relative, normalise: plain });
}

let duck: Connector;
let session: Chdb.Session;
let ch: ChdbPort;

/** Run `build` with each engine's dialect active, on each engine. */
const both = (build: (d: SqlDialect) => string): Promise<{ duckdb: Row[]; clickhouse: Row[] }> =>
  onBothEngines(duck, ch, build);

async function expectSame(build: (d: SqlDialect) => string, relative = 1e-9): Promise<Row[]> {
  const { duckdb, clickhouse } = await both(build);
  expect(differences(duckdb, clickhouse, relative)).toEqual([]);
  return duckdb;
}

/** The same small table on both engines, its DuckDB column types mapped to ClickHouse's. */
const FX_COLUMNS: readonly (readonly [string, string])[] = [
  ['id', 'BIGINT'],
  ['i', 'BIGINT'],
  ['x', 'DOUBLE'],
  ['s', 'VARCHAR'],
  ['t', 'TIMESTAMP'],
  ['dt', 'DATE'],
];
const FX_ROWS = [
  `(1, 7, 1.5, 'héllo wörld', '2024-01-07 10:11:12.345678', '2024-01-07')`,
  `(2, -7, -2.25, 'ABC-123', '1960-03-04 00:00:00', '1960-03-04')`,
  `(3, 0, 0, '  padded  ', '2024-02-29 23:59:59', '2024-02-29')`,
  `(4, 2, 1e10, 'a\\b', '2000-01-01 00:00:00', '2000-01-01')`,
  `(5, NULL, NULL, NULL, NULL, NULL)`,
  `(6, 7, 3.75, 'ÀÉÎ õ', '2023-12-31 12:00:00', '2023-12-31')`,
  `(7, 100, -0.5, '4111 1111 1111 1111', '1999-06-15 06:30:00', '1999-06-15')`,
  `(8, 3, 2, '', '2024-06-01 00:00:00', '2024-06-01')`,
];
/** Texts that both engines should read (or refuse) alike as numbers and times. */
const TEXTS = [
  '2024-01-02',
  '2024-01-02 10:11:12',
  '1960-03-04',
  '2024-02-30',
  '12',
  ' 12 ',
  '1.5',
  '-3',
  'abc',
  '',
  '02/01/2024',
  '2024/01/02',
  'Jan 05 2024',
  '1e3',
  '2.5',
  '-2.5',
  '2024-01-02T10:11:12',
  '2024-01-02 10:11:12.5',
  '2024-1-2',
  '20240102',
];

beforeAll(async () => {
  duck = await engine();
  ({ session, port: ch } = await chdbTestSession());
  await duck.exec(`CREATE TABLE fx (${FX_COLUMNS.map(([n, t]) => `${n} ${t}`).join(', ')})`);
  await duck.exec(`INSERT INTO fx VALUES ${FX_ROWS.join(', ')}`);
  await ch.exec(
    `CREATE TABLE fx (${FX_COLUMNS.map(([n, t]) => `${n} Nullable(${clickhouseType(t)})`).join(', ')}) ENGINE = Memory`,
  );
  // The same text: ClickHouse reads a backslash in a literal as an escape.
  await ch.exec(`INSERT INTO fx VALUES ${FX_ROWS.join(', ').replaceAll('\\', '\\\\')}`);
  const texts = TEXTS.map((t, i) => `(${i}, '${t}')`).join(', ');
  await duck.exec(`CREATE TABLE tx (id BIGINT, s VARCHAR); INSERT INTO tx VALUES ${texts}`);
  await ch.exec(`CREATE TABLE tx (id Int64, s Nullable(String)) ENGINE = Memory`);
  await ch.exec(`INSERT INTO tx VALUES ${texts}`);
}, 120_000);

afterAll(async () => {
  useDialect(DUCKDB);
  session?.cleanup();
  await duck?.close?.();
});

describe('each SqlDialect function gives the same answer on ClickHouse as on DuckDB', () => {
  it('parses text as times with one format or the first of several, NULL when none fits', async () => {
    const rows = await expectSame(
      (d) =>
        `SELECT id, ${d.formatTime(d.tryStrptime('s', '%Y-%m-%d'), '%Y-%m-%d %H:%M:%S')} AS one, ` +
        `${d.formatTime(d.tryStrptime('s', ['%Y-%m-%d %H:%M:%S', '%d/%m/%Y', '%Y/%m/%d', '%b %d %Y']), '%Y-%m-%d %H:%M:%S')} AS many FROM tx ORDER BY id`,
    );
    expect(rows.find((r) => r.id === 2)?.one).toBe('1960-03-04 00:00:00');
    expect(rows.find((r) => r.id === 3)?.one).toBeNull();
  });

  it('casts text to numbers, dates and times as TRY_CAST does (trimmed, rounded, impossible dates NULL)', async () => {
    const rows = await expectSame(
      (d) =>
        `SELECT id, ${d.tryCast('s', 'DOUBLE')} AS dbl, ${d.tryCast('s', 'BIGINT')} AS big, ${d.tryCast('s', 'INTEGER')} AS int, ` +
        `${d.formatTime(d.tryCast('s', 'DATE'), '%Y-%m-%d')} AS day, ${d.formatTime(d.tryCast('s', 'TIMESTAMP'), '%Y-%m-%d %H:%M:%S')} AS ts FROM tx ORDER BY id`,
    );
    expect(rows.find((r) => r.id === 5)?.big).toBe(12);
    expect(rows.find((r) => r.id === 3)?.day).toBeNull();
  });

  it('finds a placeholder date read from text, whether parsed by a cast or a format', async () => {
    // DuckDB reads 9999-12-31; ClickHouse holds it as its last day, as its date literals do.
    const rows = await expectSame((d) => {
      const text = "'9999-12-31'";
      const sentinel = (time: string): string => `${d.cast(time, 'DATE')} IN (${sentinelDatesSql()})`;
      return `SELECT ${sentinel(d.tryCast(text, 'TIMESTAMP'))} AS by_cast, ${sentinel(d.tryStrptime(text, '%Y-%m-%d'))} AS by_format, ${d.tryCast("'2024-05-06'", 'TIMESTAMP')} IS NOT NULL AS real_day_kept`;
    });
    expect(rows).toEqual([{ by_cast: true, by_format: true, real_day_kept: true }]);
  });

  it('formats, builds and takes apart times, before 1970 too', async () => {
    await expectSame(
      (d) =>
        `SELECT id, ${d.formatTime('t', '%Y-%m-%d %H:%M:%S')} AS full, ${d.formatTime('dt', '%Y-%m')} AS month, ` +
        `${d.epochMicros('t')} AS us, ${d.formatTime(d.timestampFromMicros(d.epochMicros('t')), '%Y-%m-%d %H:%M:%S.%f')} AS back, ` +
        `${d.isoWeekday('t')} AS dow, ${d.formatTime(d.makeDate('year(dt)', 'month(dt)', '1'), '%Y-%m-%d')} AS first, ` +
        `${d.formatTime(d.cast('t', 'DATE'), '%Y-%m-%d')} AS day, ${d.formatTime(d.cast('dt', 'TIMESTAMP'), '%Y-%m-%d %H:%M:%S')} AS midnight, ` +
        `datediff('day', ${d.dateLiteral('1970-01-01')}, dt) AS days, ${d.timestampText('t')} AS text FROM fx ORDER BY id`,
    );
  });

  it('writes a time as DuckDB does, whole seconds without a fraction, whether ClickHouse holds it as DateTime or DateTime64', async () => {
    const rows = await expectSame((d) =>
      d === DUCKDB
        ? `SELECT ${d.timestampText("TIMESTAMP '2026-06-01 06:00:00'")} AS whole, ${d.timestampText("TIMESTAMP '2026-06-01 06:00:00'")} AS whole64, ${d.timestampText("TIMESTAMP '2026-06-01 06:00:00.5'")} AS half`
        : `SELECT ${d.timestampText("toDateTime('2026-06-01 06:00:00', 'UTC')")} AS whole, ${d.timestampText("toDateTime64('2026-06-01 06:00:00', 6, 'UTC')")} AS whole64, ${d.timestampText("toDateTime64('2026-06-01 06:00:00.5', 6, 'UTC')")} AS half`,
    );
    expect(rows[0]).toEqual({
      whole: '2026-06-01 06:00:00',
      whole64: '2026-06-01 06:00:00',
      half: '2026-06-01 06:00:00.5',
    });
  });

  it('steps through months, quarters and years between two times', async () => {
    for (const step of ['INTERVAL 1 MONTH', 'INTERVAL 3 MONTH', 'INTERVAL 1 YEAR']) {
      const rows = await expectSame(
        (d) =>
          `SELECT ${d.formatTime('m', '%Y-%m-%d')} AS m FROM (SELECT ${d.timeSeries('lo', 'hi', step)} AS m FROM ` +
          `(SELECT ${d.cast(d.dateLiteral('1969-11-01'), 'TIMESTAMP')} AS lo, ${d.cast(d.dateLiteral('1971-02-01'), 'TIMESTAMP')} AS hi)) ORDER BY m`,
      );
      expect(rows.length).toBeGreaterThan(1);
    }
  });

  it('divides integers (NULL for a zero divisor) and measures and slices text in characters', async () => {
    await expectSame(
      (d) =>
        // Not `i // 0`: DuckDB's answer to it is unspecified (not NULL), ClickHouse's NULL.
        `SELECT id, ${d.intDiv('i', '2')} AS half, ${d.intDiv('i', '-3')} AS third, ${d.textLength('s')} AS len, ` +
        `${d.textSlice('s', 2, 4)} AS mid, ${d.containsText('s', `'l'`)} AS has_l, ${d.lowerText('s')} AS low, ` +
        `${d.charFromCode(9)} || ${d.charFromCode(65)} || ${d.charFromCode(233)} AS chars, ` +
        `${d.isFinite('x')} AS finite, ${d.isFinite('x / 0')} AS over_zero FROM fx ORDER BY id`,
    );
  });

  it('matches and replaces regexes, backslash classes included', async () => {
    await expectSame(
      (d) =>
        `SELECT id, ${d.regexMatches('s', str('\\d+'))} AS digits, ${d.regexFullMatch('s', str('[A-Z]+-\\d+'))} AS code, ` +
        `${d.regexReplace('s', str('\\p{L}'), `'x'`)} AS first, ${d.regexReplace('s', str('\\p{L}+'), `'x'`, true)} AS every, ` +
        `${d.regexMatches('s', str('\\\\'))} AS backslash FROM fx ORDER BY id`,
    );
  });

  it('binds values, splits characters, maps and folds lists', async () => {
    await expectSame(
      (d) =>
        `SELECT id, ${d.bindValue(d.lowerText('s'), 'v', `v || '|' || v`)} AS twice, ` +
        `${d.listSum(d.listTransform(d.splitChars('s'), ['ch', 'i'], 'i'))} AS positions, ` +
        `${d.listReduce(d.listTransform(d.splitChars(`CAST(abs(i) AS VARCHAR)`), ['ch'], 'CAST(ch AS INTEGER)'), ['acc', 'x'], '(acc * 10 + x) % 97', '0')} AS mod97 FROM fx WHERE s IS NOT NULL ORDER BY id`,
    );
  });

  it('counts, picks the row of the largest value and takes exact quantiles', async () => {
    await expectSame(
      (d) =>
        `SELECT ${d.countIf('x > 0')} AS pos, ${d.argMax('s', 'x')} AS top, ${d.quantileCont('x', '0.3')} AS q30, ` +
        `${d.quantileCont('i', '[0.1, 0.5, 0.9]')} AS qs, ${d.median('x')} AS med, ${d.median('i')} AS med_i, ` +
        `${d.quantileDisc('i', '0.25')} AS d25, ${d.quantileDisc('i', '0.3')} AS d30, ${d.quantileDisc('x', '0')} AS d0, ` +
        `${d.formatTime(d.quantileDisc('dt', '0.5'), '%Y-%m-%d')} AS d_day FROM fx`,
    );
    await expectSame(
      (d) => `SELECT ${d.quantileDisc('i', '0.5')} AS none, ${d.median('x')} AS med FROM fx WHERE id > 100`,
    );
  });

  it('counts distinct values approximately, each within 5 % of the truth', async () => {
    const values = `[${Array.from({ length: 5000 }, (_, i) => (i * 7919) % 3000).join(', ')}]`;
    const { duckdb, clickhouse } = await both((d) =>
      d.unnestQuery([`${d.approxDistinct('v')} AS n`], [[values, 'v']], '(SELECT 1 AS one)'),
    );
    const [a, b] = [Number(duckdb[0]?.n), Number(clickhouse[0]?.n)];
    // Tolerance: each HyperLogLog sketch within 5 % of the true 3,000 (DuckDB's measured 3.3 % off here).
    expect(Math.abs(a - 3000) / 3000).toBeLessThan(0.05);
    expect(Math.abs(b - 3000) / 3000).toBeLessThan(0.05);
  });

  it('hashes rows (equal rows alike, a hash literal finds its row)', async () => {
    for (const [name, d] of [
      ['duckdb', DUCKDB],
      ['clickhouse', CLICKHOUSE],
    ] as const) {
      const port = name === 'duckdb' ? duck : ch;
      useDialect(d);
      const [row] = await port.query(
        `SELECT CAST(${d.hash(['s', 'i'])} AS VARCHAR) AS h, ${d.hash(['s', 'i'])} = ${d.hash(['s', 'i'])} AS same, ` +
          `${d.hash(['s', 'i'])} <> ${d.hash(['s', 'i + 1'])} AS differs FROM fx WHERE id = 1`,
      );
      const [found] = await port.query(
        `SELECT id FROM fx WHERE ${d.hash(['s', 'i'])} = ${d.hashLiteral(String(row?.h))}`,
      );
      useDialect(DUCKDB);
      expect(plain(row?.same)).toBe(1);
      expect(plain(row?.differs)).toBe(1);
      expect(plain(found?.id)).toBe(1);
    }
  });

  it('groups by all, filters windows, replaces columns, unnests side by side and reads struct fields', async () => {
    await expectSame(
      (d) => `SELECT i, count(*) AS n FROM fx WHERE i IS NOT NULL ${d.groupByAll()} ORDER BY i`,
    );
    await expectSame(
      (d) =>
        `SELECT id, row_number() OVER (ORDER BY x DESC) AS r FROM fx WHERE x IS NOT NULL ${d.qualify('r <= 3')} ORDER BY id`,
    );
    await expectSame(
      (d) => `SELECT id, i FROM (SELECT ${d.starReplace([['i * 2', 'i']])} FROM fx) ORDER BY id`,
    );
    await expectSame((d) =>
      d.unnestQuery(
        ['k', 'v', 'one'],
        [
          ['[1, 2, 3]', 'k'],
          [`['a', 'b', 'c']`, 'v'],
        ],
        '(SELECT 1 AS one)',
      ),
    );
    await expectSame(
      (d) =>
        `SELECT best.c0 AS c0, best.c1 AS c1 FROM (SELECT ${d.argMax(d.rowOf(['c0', 'c1']), 'x')} AS best FROM (SELECT id AS c0, s AS c1, x FROM fx))`,
    );
  });

  it('reads the catalogue with DuckDB type names', async () => {
    const rows = await expectSame((d) => d.describeColumnsQuery('fx'));
    expect(rows.map((r) => r.data_type)).toEqual(FX_COLUMNS.map(([, t]) => t));
  });

  it('samples reproducibly: a share of rows, or exactly n', async () => {
    for (const [name, d] of [
      ['duckdb', DUCKDB],
      ['clickhouse', CLICKHOUSE],
    ] as const) {
      const port = name === 'duckdb' ? duck : ch;
      useDialect(d);
      const big = `sample_src_${name}`;
      await port.exec(
        d.createTempTableAs(
          big,
          d.unnestQuery(
            ['v'],
            [[`[${Array.from({ length: 4000 }, (_, i) => i).join(', ')}]`, 'v']],
            '(SELECT 1 AS one)',
          ),
        ),
      );
      const share = `SELECT count(*) AS n FROM ${ident(big)} ${d.sample({ method: 'bernoulli', percent: '25', seed: 42 })}`;
      const [first] = await port.query(share);
      const [again] = await port.query(share);
      const [exact] = await port.query(
        `SELECT count(*) AS n FROM (SELECT * FROM ${ident(big)} ${d.sample({ method: 'reservoir', rows: 50, seed: 42 })})`,
      );
      useDialect(DUCKDB);
      // Tolerance: a Bernoulli draw of 4,000 rows at 25 % keeps 1,000 ± 3σ (3 × 27).
      expect(Math.abs(Number(first?.n) - 1000)).toBeLessThan(82);
      expect(Number(again?.n)).toBe(Number(first?.n));
      expect(Number(exact?.n)).toBe(50);
    }
  });

  it('quotes backslashes and dates as each engine reads them', async () => {
    await expectSame(
      () => `SELECT ${str('a\\b\\')} AS s, ${ident('x\\')} FROM (SELECT 1 AS ${ident('x\\')})`,
    );
    await expectSame((d) => `SELECT ${d.formatTime(dateLiteral('1900-01-01'), '%Y-%m-%d')} AS day`);
  });
});

/** Fixture tables the profile runs on, each loaded on both engines with the same column types. */
const PROFILE_FIXTURES = [
  'profile/planted.csv',
  'structure/copies.csv',
  'structure/people.csv',
  'structure/survey.csv',
  'structure/travellers.csv',
  'formats/tiny.csv',
]
  .map((name) => join(FIXTURES, name))
  .concat(join(ROOT, 'public/demo/customer-churn.csv'));

describe('the profile gives the same numbers on ClickHouse as on DuckDB', () => {
  for (const path of PROFILE_FIXTURES) {
    it(`profiles ${path.split('/').slice(-2).join('/')} alike, every statement running on ClickHouse`, async () => {
      const loaded = await loadFile(duck, path);
      const table = loaded.tableName;
      const duckProfile = await profileOn(duck, table);
      await copyToClickHouse(duck, ch, table, path);
      useDialect(CLICKHOUSE);
      ch.failures.length = 0;
      let chProfile: Record<string, unknown> = {};
      try {
        chProfile = await profileOn(ch, table);
      } finally {
        useDialect(DUCKDB);
      }
      expect(ch.failures).toEqual([]);
      // Which row stands for the duplicates, when several repeat equally often, is each engine's pick.
      const { duplicateExample: duckExample, ...duckRest } = duckProfile;
      const { duplicateExample: chExample, ...chRest } = chProfile;
      const beyond = (duckRest.columns as { temporal?: { max: string | null } }[]).some(
        (c) => (c.temporal?.max ?? '') > '2299-12-31',
      );
      expect(differences(duckRest, chRest, 1e-9).filter((d) => !(beyond && pastClickHouseDates(d)))).toEqual(
        [],
      );
      expect(Object.keys(chExample ?? {})).toEqual(Object.keys(duckExample ?? {}));
      const weekdays = (p: Record<string, unknown>): number[] =>
        (p.columns as { temporal?: { byDayOfWeek: number[] } }[]).map(
          (c) => c.temporal?.byDayOfWeek.reduce((a, b) => a + b, 0) ?? 0,
        );
      expect(weekdays(chRest)).toEqual(weekdays(duckRest));
    });
  }
});

describe('the profile of a large table (sample, HyperLogLog, hashed duplicates, batches) runs on ClickHouse', () => {
  it('runs every statement and gives the whole-table numbers DuckDB gives', async () => {
    const path = join(FIXTURES, 'profile/planted.csv');
    const table = 'planted_large';
    const loaded = await loadFile(duck, path, { tableName: table });
    const options: ProfileAnalysisOptions = {
      thresholds: {
        sampleAboveRows: 100,
        sampleRows: 120,
        exactDistinctMaxRows: 100,
        exactDuplicatesMaxRows: 100,
        pairwiseMaxRows: 50,
      },
      columnBatch: 4,
    };
    const duckProfile = await profileOn(duck, loaded.tableName, options);
    await copyToClickHouse(duck, ch, loaded.tableName, path);
    useDialect(CLICKHOUSE);
    ch.failures.length = 0;
    let chProfile: Record<string, unknown> = {};
    try {
      chProfile = await profileOn(ch, loaded.tableName, options);
    } finally {
      useDialect(DUCKDB);
    }
    expect(ch.failures).toEqual([]);
    // The sample is each engine's own draw, so only what covers every row must match;
    // distinct counts are HyperLogLog's on both (each within 5 % here, see above).
    const wholeTable = (profile: Record<string, unknown>): unknown => ({
      rows: profile.rows,
      duplicateRows: profile.duplicateRows,
      columns: (profile.columns as Record<string, unknown>[]).map((c) => ({
        name: c.name,
        count: c.count,
        missing: c.missing,
        histogram: c.histogram,
        numeric: c.numeric,
        temporal: c.temporal,
      })),
    });
    expect(differences(wholeTable(duckProfile), wholeTable(chProfile), 1e-9)).toEqual([]);
    // Distinct counts come from each engine's own sample here: both marked approximate, neither empty.
    const distinct = (profile: Record<string, unknown>): [boolean, boolean][] =>
      (profile.columns as { count: number; distinct: { value: number; approximate: boolean } }[]).map((c) => [
        c.distinct.approximate,
        c.count === 0 || c.distinct.value > 0,
      ]);
    expect(distinct(chProfile)).toEqual(distinct(duckProfile));
    expect(distinct(duckProfile).some(([approximate]) => approximate)).toBe(true);
  });
});

/**
 * Tolerance: ClickHouse's Date32 and DateTime64 end at 2299-12-31, so a
 * 9999-12-31 placeholder reads as 2299-12-31 there (still found as a
 * placeholder, and its rows counted on 2299-12-31's weekday; the weekday
 * totals are checked to match).
 */
function pastClickHouseDates(difference: string): boolean {
  return (
    /9999-12(-31)?.* vs .*2299-12(-31)?/.test(difference) ||
    /\.temporal\.byDayOfWeek\[\d\]: \d+ vs \d+$/.test(difference)
  );
}

async function profileOn(
  port: QueryPort,
  table: string,
  options: ProfileAnalysisOptions = {},
): Promise<Record<string, unknown>> {
  const analysis = profileAnalysis(table, 'fixture', options);
  const state = await new QueryRunner(port).run(analysis, analysis.initial);
  const {
    computedAt: _at,
    durationMs: _ms,
    ...profile
  } = analysis.profile(state, { computedAt: 'x', durationMs: 0 }) as unknown as Record<string, unknown>;
  return profile;
}

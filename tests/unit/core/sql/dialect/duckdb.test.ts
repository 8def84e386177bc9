import { describe, expect, it } from 'vitest';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import ts from 'typescript';
import { DUCKDB, type SqlDialect } from '../../../../../src/lib/core/sql/dialect';
import { canFuseOneRow, fusedOneRowQuery } from '../../../../../src/lib/core/sql/fused';
import { ROOT } from '../../../../support/paths';

const d = DUCKDB;

describe('the DuckDB dialect spells each construct as DuckDB does', () => {
  it('parses text as time with one format or the first of several', () => {
    expect(d.tryStrptime('x', '%Y%m%d')).toBe(`try_strptime(x, '%Y%m%d')`);
    expect(d.tryStrptime('trim(x)', ['%Y-%m-%d', "%d 'de' %B"])).toBe(
      `try_strptime(trim(x), ['%Y-%m-%d', '%d ''de'' %B'])`,
    );
  });

  it('formats and builds times', () => {
    expect(d.formatTime('max(t)', '%Y-%m')).toBe(`strftime(max(t), '%Y-%m')`);
    expect(d.makeDate('y', 'm', '1')).toBe('make_date(y, m, 1)');
    expect(d.timestampFromMicros('us')).toBe('make_timestamp(us)');
    expect(d.epochMicros('t')).toBe('epoch_us(t)');
    expect(d.isoWeekday('t')).toBe('isodow(t)');
    expect(d.timeSeries('lo', 'hi', 'INTERVAL 1 MONTH')).toBe(
      'unnest(generate_series(lo, hi, INTERVAL 1 MONTH))',
    );
  });

  it('casts, divides and slices', () => {
    expect(d.tryCast('trim(x)', 'DOUBLE')).toBe('TRY_CAST(trim(x) AS DOUBLE)');
    expect(d.intDiv('n', '100')).toBe('n // 100');
    expect(d.textLength('s')).toBe('length(s)');
    expect(d.textSlice('s', 1, 4)).toBe('s[1:4]');
    expect(d.containsText('s', `'Q'`)).toBe(`contains(s, 'Q')`);
    expect(d.isFinite('x')).toBe('isfinite(x)');
  });

  it('matches and replaces regexes, the first match or every match', () => {
    expect(d.regexMatches('s', `'^a'`)).toBe(`regexp_matches(s, '^a')`);
    expect(d.regexFullMatch('s', `'a+'`)).toBe(`regexp_full_match(s, 'a+')`);
    expect(d.regexReplace('s', `'a'`, `'b'`)).toBe(`regexp_replace(s, 'a', 'b')`);
    expect(d.regexReplace('s', `'a'`, `'b'`, true)).toBe(`regexp_replace(s, 'a', 'b', 'g')`);
  });

  it('binds a value once and folds lists with lambdas', () => {
    expect(d.bindValue('lower(x)', 'v', 'v || v')).toBe('list_transform([lower(x)], v -> v || v)[1]');
    expect(d.splitChars('s')).toBe(`string_split(s, '')`);
    expect(d.listTransform('l', ['ch', 'i'], 'ch')).toBe('list_transform(l, lambda ch, i: ch)');
    expect(d.listReduce('l', ['acc', 'x'], 'acc + x', '0')).toBe('list_reduce(l, lambda acc, x: acc + x, 0)');
    expect(d.listSum('l')).toBe('list_sum(l)');
  });

  it('spells the approximate, quantile and hash aggregates', () => {
    expect(d.countIf('x = 0')).toBe('count_if(x = 0)');
    expect(d.argMax('h', 'k')).toBe('arg_max(h, k)');
    expect(d.approxDistinct('c')).toBe('approx_count_distinct(c)');
    expect(d.quantileCont('x', '[0.1, 0.9]')).toBe('quantile_cont(x, [0.1, 0.9])');
    expect(d.quantileDisc('day', '0.25')).toBe('quantile_disc(day, 0.25)');
    expect(d.median('abs(x)')).toBe('median(abs(x))');
    expect(d.hash(['"a"', '"b"'])).toBe('hash("a", "b")');
    expect(d.hashLiteral('123')).toBe('123::UBIGINT');
  });

  it('writes the DuckDB-only clauses', () => {
    expect(d.groupByAll()).toBe('GROUP BY ALL');
    expect(d.qualify('ord <= 5')).toBe('QUALIFY ord <= 5');
    expect(d.sample({ method: 'reservoir', rows: 1000, seed: 42 })).toBe(
      'USING SAMPLE reservoir(1000 ROWS) REPEATABLE (42)',
    );
    expect(d.sample({ method: 'bernoulli', percent: '12.5', seed: 7 })).toBe(
      'USING SAMPLE bernoulli(12.5%) REPEATABLE (7)',
    );
    expect(d.starReplace([['CAST("t" AS TIMESTAMP)', 'a"b']])).toBe(
      '* REPLACE (CAST("t" AS TIMESTAMP) AS "a""b")',
    );
  });

  it('casts, writes dates and times, unnests, packs rows and creates temporary tables', () => {
    expect(d.cast('x', 'DATE')).toBe('CAST(x AS DATE)');
    expect(d.dateLiteral('1900-01-01')).toBe("DATE '1900-01-01'");
    expect(d.timestampText('t')).toBe('CAST(t AS VARCHAR)');
    expect(d.lowerText('s')).toBe('lower(s)');
    expect(d.charFromCode(9)).toBe('chr(9)');
    expect(
      d.unnestQuery(
        ['k', 'v'],
        [
          ['[1]', 'k'],
          ['l', 'v'],
        ],
        '(SELECT 1)',
      ),
    ).toBe('SELECT k, v FROM (SELECT *, unnest([1]) AS k, unnest(l) AS v FROM (SELECT 1))');
    expect(d.rowOf(['c0', 'copies'])).toBe('struct_pack(c0, copies)');
    expect(d.createTempTableAs('a"b', 'SELECT 1')).toBe('CREATE TEMP TABLE "a""b" AS SELECT 1');
  });

  it('reads the catalogue with the table name as a literal, never as SQL', () => {
    expect(d.describeColumnsQuery("x'; DROP TABLE y; --")).toBe(
      "SELECT column_name, data_type FROM duckdb_columns() WHERE table_name = 'x''; DROP TABLE y; --' ORDER BY column_index",
    );
  });

  it('fuses one-row statements with COLUMNS(*) renaming, and refuses on an engine that cannot', () => {
    expect(canFuseOneRow()).toBe(true);
    expect(fusedOneRowQuery(['SELECT 1 AS a', 'SELECT 2 AS b'])).toBe(
      "SELECT * FROM (SELECT COLUMNS(*) AS 'f0\u001f\\0' FROM (\nSELECT 1 AS a\n) AS fused_0)\nCROSS JOIN " +
        "(SELECT COLUMNS(*) AS 'f1\u001f\\0' FROM (\nSELECT 2 AS b\n) AS fused_1)",
    );
    const unfused: SqlDialect = { ...DUCKDB, name: 'plain', fuseOneRow: undefined };
    expect(canFuseOneRow(unfused)).toBe(false);
    expect(() => fusedOneRowQuery(['SELECT 1'], unfused)).toThrow(/plain dialect cannot fuse/);
  });
});

/**
 * The guard: a DuckDB-only spelling written into a builder's SQL text (string
 * and template literals; comments do not count) instead of going through
 * the dialect folder. Each spelling is a regex over that text.
 */
const DUCKDB_ONLY: Readonly<Record<string, RegExp>> = {
  'try_strptime(': /\b(try_)?strptime\(/,
  'strftime(': /\bstrftime\(/,
  'make_date(': /\bmake_(date|timestamp)\(/,
  'epoch_us(': /\bepoch_(us|ms|ns)\(/,
  'isodow(': /\bisodow\(/,
  'isfinite(': /\bisfinite\(/,
  'count_if(': /\bcount_if\(/,
  'arg_max(': /\barg_(max|min)\(/,
  '::UBIGINT': /::UBIGINT\b/,
  'generate_series(': /\bgenerate_series\(/,
  'TRY_CAST(': /\bTRY_CAST\(/i,
  '//': /\s\/\/\s/,
  'regexp_*(': /\bregexp_(matches|full_match|replace)\(/,
  'list_*(': /\blist_\w+\(/,
  'string_split(': /\bstring_split\(/,
  'approx_count_distinct(': /\bapprox_count_distinct\(/,
  'quantile_*(': /\bquantile_(cont|disc)\(/,
  'median(': /\bmedian\(/,
  'hash(': /\bhash\(/,
  'GROUP BY ALL': /\bGROUP BY ALL\b/,
  'QUALIFY ': /\bQUALIFY\s/,
  'USING SAMPLE': /\bUSING SAMPLE\b/,
  '* REPLACE (': /\bREPLACE \(/,
  'duckdb_*()': /\bduckdb_\w+\(/,
  'COLUMNS(': /\bCOLUMNS\(/,
  'length(': /\blength\(/,
  'contains(': /\bcontains\(/,
  'x[a:b]': /\[\d+:\d+\]/,
};

/**
 * Spellings deliberately left in a builder, per file, with the reason. An
 * entry that no longer matches fails too, so the list only shrinks.
 */
const ALLOWED: Readonly<Record<string, Readonly<Record<string, string>>>> = {
  'load.ts': {
    'duckdb_*()':
      "engineMemoryQuery reads DuckDB's own buffer manager (duckdb_memory()), for the compressed tables' memory figures; a ClickHouse server keeps its tables itself",
  },
};

const SQL_DIR = join(ROOT, 'src/lib/core/sql');

/** The text of every string and template literal piece in a TypeScript source. */
function literalTexts(source: string): string[] {
  const file = ts.createSourceFile('x.ts', source, ts.ScriptTarget.Latest, true);
  const texts: string[] = [];
  const visit = (node: ts.Node): void => {
    if (ts.isStringLiteral(node) || ts.isNoSubstitutionTemplateLiteral(node)) texts.push(node.text);
    else if (ts.isTemplateExpression(node)) {
      texts.push(node.head.text, ...node.templateSpans.map((span) => span.literal.text));
    }
    ts.forEachChild(node, visit);
  };
  visit(file);
  return texts.filter((text) => !/^\.{0,2}\//.test(text)); // import specifiers
}

/** Which DuckDB-only spellings a source's literals hold. */
function spellingsIn(source: string): string[] {
  const texts = literalTexts(source);
  return Object.entries(DUCKDB_ONLY)
    .filter(([, pattern]) => texts.some((text) => pattern.test(text)))
    .map(([name]) => name);
}

describe('DuckDB-only SQL is spelled in core/sql/dialect/ only', () => {
  it('finds a spelling in SQL text, not in comments, whatever surrounds it', () => {
    expect(spellingsIn('const q = `SELECT ${x} FROM t GROUP BY ALL`;')).toEqual(['GROUP BY ALL']);
    expect(spellingsIn("const q = 'SELECT median(x) FROM t';")).toEqual(['median(']);
    expect(spellingsIn('const q = `CAST(${n} // 100 AS INTEGER)`;')).toEqual(['//']);
    expect(spellingsIn('// GROUP BY ALL in a comment\n/** hash(x) */\nconst q = `SELECT 1`;')).toEqual([]);
    expect(spellingsIn("const q = `SELECT ${d.hash(['a'])} AS h`;")).toEqual([]);
  });

  it('no builder outside the dialect writes a DuckDB-only spelling it is not allowed', () => {
    const files = readdirSync(SQL_DIR).filter((f) => f.endsWith('.ts'));
    expect(files.length).toBeGreaterThan(10);
    const found = files.flatMap((file) =>
      spellingsIn(readFileSync(join(SQL_DIR, file), 'utf8')).map((spelling) => `${file}: ${spelling}`),
    );
    const allowed = Object.entries(ALLOWED).flatMap(([file, spellings]) =>
      Object.keys(spellings).map((spelling) => `${file}: ${spelling}`),
    );
    // Route a new one through the dialect, or allow it above with the reason.
    expect(found.filter((hit) => !allowed.includes(hit))).toEqual([]);
    expect(allowed.filter((entry) => !found.includes(entry))).toEqual([]);
  });
});

/**
 * Spellings ClickHouse cannot run, or runs differently, that the builders
 * already checked on ClickHouse (tests/integration/core/sql/clickhouse-dialect.test.ts)
 * must not take up again: each has an engine-neutral form or a dialect function.
 */
const CLICKHOUSE_BREAKERS: Readonly<Record<string, RegExp>> = {
  'UNION ALL BY NAME': /\bBY NAME\b/,
  'regr_*(': /\bregr_\w+\(/,
  'bool_and(': /\bbool_(and|or)\(/,
  'chr(': /\bchr\(/,
  'unnest(': /\bunnest\(/,
  'CREATE TEMP': /\bCREATE TEMP\b/,
  'CAST(… AS DATE|TIMESTAMP)': /\bAS (DATE|TIMESTAMP)\)/,
  "DATE '…'": /\bDATE '/,
  'bit operators': /\s(<<|>>|&|\|)\s/,
  'struct.*': /\w\.\*/,
  'list(… ORDER BY …)': /\blist\(/,
  rowid: /\browid\b/,
  'median(…) FILTER': /\bmedian\(.*\) FILTER\b/,
};
const CLICKHOUSE_CHECKED = [
  'profile.ts',
  'profile-pairs.ts',
  'profile-values.ts',
  'profile-patterns.ts',
  'table.ts',
  // The readiness builders whose checks run on ClickHouse (tests/integration/core/sql/clickhouse-readiness.test.ts).
  'consistency-batch.ts',
  'readiness-common.ts',
  'readiness-consistency.ts',
  'readiness-coverage.ts',
  'readiness-quality.ts',
  'readiness-setup.ts',
  'readiness-structure.ts',
  'readiness-time.ts',
  'readiness-volume.ts',
  // Not readiness-labels.ts nor readiness-leakage.ts: their ' | ' separator between two labels reads as a
  // bit operator here, and `rz_summary.*` (a CTE's columns, which ClickHouse runs) as a struct's fields.
];

describe('builders checked on ClickHouse keep to SQL both engines run', () => {
  it('finds each spelling in SQL text', () => {
    const hits = (source: string): string[] => {
      const texts = literalTexts(source);
      return Object.entries(CLICKHOUSE_BREAKERS)
        .filter(([, pattern]) => texts.some((text) => pattern.test(text)))
        .map(([name]) => name);
    };
    expect(hits('const q = `SELECT * FROM a UNION ALL BY NAME SELECT * FROM b`;')).toEqual([
      'UNION ALL BY NAME',
    ]);
    expect(hits('const q = `SELECT m & 3 = 3, CAST(x AS DATE)`;')).toEqual([
      'CAST(… AS DATE|TIMESTAMP)',
      'bit operators',
    ]);
    expect(hits('const q = `SELECT a || b`;')).toEqual([]);
  });

  it('no checked builder writes one', () => {
    const found = CLICKHOUSE_CHECKED.flatMap((file) => {
      const texts = literalTexts(readFileSync(join(SQL_DIR, file), 'utf8'));
      return Object.entries(CLICKHOUSE_BREAKERS)
        .filter(([, pattern]) => texts.some((text) => pattern.test(text)))
        .map(([name]) => `${file}: ${name}`);
    });
    expect(found).toEqual([]);
  });
});

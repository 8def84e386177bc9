import { beforeAll, describe, expect, it } from 'vitest';
import { useEngine } from '../../../support/engine';
import { projectContext } from '../../../support/readiness';
import { checkTimeRole, runReadiness, suggestRolesFor } from '../../../../src/lib/session/readiness';
import { ident } from '../../../../src/lib/core/sql/quote';
import { notAssessed, verdictFor } from '../../../../src/lib/core/readiness/verdict';
import { isolatedEarlyDates } from '../../../../src/lib/core/readiness/time-encoding';
import { cadenceOf } from '../../../../src/lib/core/readiness/coverage-gaps';
import { checksToRerun } from '../../../../src/lib/core/readiness/registry';
import { mergeFindings } from '../../../../src/lib/core/readiness/findings';
import type {
  ColumnRoles,
  ColumnSchema,
  Finding,
  ProjectContext,
} from '../../../../src/lib/core/model/audit';

const conn = useEngine();

const CONTEXT = projectContext({ asOf: '2026-11-25' });

async function columnsOf(table: string): Promise<ColumnSchema[]> {
  return (await conn.query(`DESCRIBE ${ident(table)}`)).map((r) => ({
    name: String(r.column_name),
    type: String(r.column_type),
  }));
}

async function audit(
  table: string,
  roles: Partial<ColumnRoles>,
  context: Partial<ProjectContext> = {},
  onProgress?: (check: string) => Promise<void> | void,
): Promise<Finding[]> {
  const pending: Promise<void>[] = [];
  return runReadiness(conn, {
    tableName: table,
    datasetId: table,
    columns: await columnsOf(table),
    roles: { segments: [], excluded: [], ...roles },
    context: { ...CONTEXT, ...context },
    ...(onProgress ? { onProgress: (p) => void pending.push(Promise.resolve(onProgress(p.check))) } : {}),
  });
}

function find(findings: Finding[], id: string): Finding {
  const f = findings.find((x) => x.id === id);
  expect(f, `missing ${id}; have ${findings.map((x) => x.id).join(', ')}`).toBeDefined();
  return f!;
}

beforeAll(async () => {
  // 118 yearly rows 1900–2017, like a climate or census series; the label alternates.
  await conn.exec(
    `CREATE TABLE yearly AS SELECT CAST(1900 + range AS BIGINT) AS "Year", range % 3 = 0 AS "label", range * 1.5 AS x FROM range(118)`,
  );
  await conn.exec(
    `CREATE TABLE encodings AS SELECT
       CAST(201901 + (range % 24) // 12 * 100 + range % 12 AS INTEGER) AS ym,
       CAST(strftime(DATE '2024-01-01' + CAST(range AS INTEGER), '%Y%m%d') AS INTEGER) AS ymd,
       CAST(1700000000 + range * 3600 AS BIGINT) AS epoch_s,
       CAST(1700000000000 + range * 3600000 AS BIGINT) AS epoch_ms,
       CAST(1900 + range AS VARCHAR) AS ytext,
       range AS counter,
       'Name ' || CAST(range AS VARCHAR) AS who,
       range % 2 = 0 AS flag
     FROM range(200)`,
  );
  // Year-granular dates: every value on 1 January, 1960–2009, five rows a year.
  await conn.exec(
    `CREATE TABLE year_dates AS SELECT make_date(1960 + range // 5, 1, 1) AS "when", range % 4 = 0 AS "label" FROM range(250)`,
  );
  // Daily dates through 2015–2024, three placeholder 1970-01-01 rows and three typos in 1901.
  await conn.exec(
    `CREATE TABLE daily AS
       SELECT DATE '2015-01-01' + CAST(range AS INTEGER) AS "day", range % 5 = 0 AS "label" FROM range(3600)
       UNION ALL SELECT DATE '1970-01-01', true FROM range(3)
       UNION ALL SELECT DATE '1901-05-02', false FROM range(2)
       UNION ALL SELECT DATE '1901-05-03', false FROM range(1)`,
  );
  // A long continuous history with growing volume: one row a year in 1958–1979, ten a year after.
  await conn.exec(
    `CREATE TABLE growing AS
       SELECT make_date(1958 + range, 6, 15) AS "day", range % 2 = 0 AS "label" FROM range(22)
       UNION ALL SELECT make_date(1980 + range // 10, 1 + range % 10, 15), range % 3 = 0 FROM range(400)`,
  );
});

describe('reading a column as time when it gets a time role', () => {
  it.each([
    ['yearly', 'Year', 'year', 'read as calendar years', 'year'],
    ['encodings', 'ym', 'yyyymm', 'read as yyyymm months', 'month'],
    ['encodings', 'ymd', 'yyyymmdd', 'read as yyyymmdd dates', 'day'],
    ['encodings', 'ytext', 'year', 'read as calendar years', 'year'],
    ['encodings', 'epoch_s', 'epoch-seconds', 'read as seconds since 1970-01-01 UTC', 'instant'],
    ['encodings', 'epoch_ms', 'epoch-milliseconds', 'read as milliseconds since 1970-01-01 UTC', 'instant'],
    ['year_dates', 'when', 'native', 'read as dates', 'year'],
    ['daily', 'day', 'native', 'read as dates', 'day'],
  ])('reads %s.%s as %s (%s, %s-granular)', async (table, column, encoding, readAs, granularity) => {
    const type = (await columnsOf(table)).find((c) => c.name === column)!.type;
    const check = await checkTimeRole(conn, table, { name: column, type });
    expect(check).toMatchObject({ ok: true, encoding, readAs, granularity });
  });

  it.each([
    ['counter', /None of the 200 values of “counter” reads as a calendar year/],
    ['who', /Only 0 % of “who” parses as dates/],
    ['flag', /“flag” is BOOLEAN, which cannot be read as time/],
  ])('refuses %s with a clear message', async (column, message) => {
    const type = (await columnsOf('encodings')).find((c) => c.name === column)!.type;
    const check = await checkTimeRole(conn, 'encodings', { name: column, type });
    expect(check.ok).toBe(false);
    if (!check.ok) expect(check.message).toMatch(message);
  });

  it('never suggests a time role the column cannot carry: minutes named "Running Time" are skipped for a year column', async () => {
    await conn.exec(
      `CREATE TABLE durations AS SELECT 80 + range % 90 AS "Running Time", CAST(1990 + range % 30 AS INTEGER) AS "Year" FROM range(120)`,
    );
    const { roles, suggestions } = await suggestRolesFor(conn, {
      tableName: 'durations',
      columns: await columnsOf('durations'),
    });
    expect(roles.eventTime).toBe('Year');
    expect(suggestions.some((x) => x.role === 'eventTime' && x.column === 'Running Time')).toBe(false);
  });

  it('reads epoch seconds as the same instants DuckDB gives for the timestamp literal', async () => {
    const findings = await audit('encodings', { target: 'flag', eventTime: 'epoch_s' }, {}, undefined);
    const span = find(findings, 'coverage-span:encodings:epoch_s');
    // 1700000000 s is 2023-11-14 22:13:20 UTC; 199 hours later is 2023-11-23 05:13:20.
    expect(span.evidence.earliest).toBe('2023-11-14 22:13:20');
    expect(span.evidence.latest).toBe('2023-11-23 05:13:20');
  });

  it('audits an integer Year column as calendar years 1900–2017, with no blocker and no early-date finding', async () => {
    const findings = await audit('yearly', { target: 'label', eventTime: 'Year' });
    const span = find(findings, 'coverage-span:yearly:Year');
    expect(span.severity).toBe('info');
    // In the data's unit: 118 calendar years, 1900 to 2017 inclusive.
    expect(span.title).toBe('1900 to 2017 (118 years, read as calendar years)');
    expect(span.evidence.readAs).toBe('read as calendar years');
    expect(findings.filter((f) => f.severity === 'blocker')).toEqual([]);
    expect(findings.some((f) => f.check === 'time-before-start' || f.check === 'time-role')).toBe(false);
    expect(findings.some((f) => f.check === 'time-sentinel')).toBe(false);
  });

  it('reports a time-role column that cannot be read as time as a major finding, not a blocker', async () => {
    const findings = await audit('encodings', { target: 'flag', eventTime: 'who' });
    const f = find(findings, 'time-role:encodings:who');
    expect(f.severity).toBe('major');
    expect(f.title).toBe('“who” cannot be read as time, so it was not used as the event time');
    expect(findings.some((x) => x.check === 'coverage-span')).toBe(false);
    expect(findings.filter((x) => x.severity === 'blocker')).toEqual([]);
  });
});

describe('placeholder dates against the column granularity', () => {
  it('does not call 1 January 1970 a placeholder in a year-granular column', async () => {
    const findings = await audit('year_dates', { target: 'label', eventTime: 'when' });
    expect(findings.some((f) => f.check === 'time-sentinel')).toBe(false);
    expect(find(findings, 'coverage-span:year_dates:when').title).toMatch(/^1960 to 2009 /);
  });

  it('calls 1970-01-01 a placeholder in a daily column', async () => {
    const findings = await audit('daily', { target: 'label', eventTime: 'day' });
    const f = find(findings, 'time-sentinel:daily:day');
    expect(f.evidence.sentinelRows).toBe(3);
    expect(String(f.evidence.days)).toContain('1970-01-01: 3');
  });
});

describe('early dates judged from the data, never a fixed year', () => {
  it('flags three 1901 dates isolated before a 2015–2024 bulk and keeps them out of the span, which still names them', async () => {
    const findings = await audit('daily', { target: 'label', eventTime: 'day' });
    const early = find(findings, 'time-before-start:daily:day');
    expect(early.severity).toBe('minor');
    expect(early.evidence.early).toBe(3);
    expect(early.evidence.earliest).toBe('1901-05-02');
    expect(early.evidence.bulkStart).toBe('2015-01-01');
    const span = find(findings, 'coverage-span:daily:day');
    expect(span.evidence.earliest).toMatch(/^1901-05-02/);
    expect(span.evidence.first).toMatch(/^2015-01-01/);
    expect(span.title).toMatch(
      /^2 May 1901 to 8 Nov 2024; usable 1 Jan 2015 to 8 Nov 2024, 6 values left out as placeholders, isolated before 1 Jan 2015, after 25 Nov 2026 \(3,599 days, read as dates\)$/,
    );
    // The 1901 typos would otherwise create a century of empty months.
    expect(findings.some((f) => f.id === 'coverage-gaps:daily:empty')).toBe(false);
  });

  it('keeps a long, continuous history that thins out going back (1958–2019)', async () => {
    const findings = await audit('growing', { target: 'label', eventTime: 'day' });
    expect(findings.some((f) => f.check === 'time-before-start')).toBe(false);
    const span = find(findings, 'coverage-span:growing:day');
    expect(span.evidence.first).toMatch(/^1958-06-15/);
  });

  it('bounds the history at "history expected from" when the context sets it', async () => {
    const findings = await audit(
      'growing',
      { target: 'label', eventTime: 'day' },
      { historyFrom: '1980-01-01' },
    );
    const early = find(findings, 'time-before-start:growing:day');
    expect(early.evidence.early).toBe(22);
    expect(early.evidence.historyFrom).toBe('1980-01-01');
    const span = find(findings, 'coverage-span:growing:day');
    expect(span.evidence.earliest).toMatch(/^1958-06-15/);
    expect(span.evidence.first).toMatch(/^1980-01-15/);
  });

  it('cuts at the latest gap of at least max(IQR, minimum gap) below the fence', () => {
    const base = { q1: '2017-06-01', q3: '2022-06-01', fence: '2002-06-01', n: 1000, iqr_days: 1826 };
    const rows = [
      { ...base, day: '1901-05-02', rows: 2, bulk: false },
      { ...base, day: '1995-01-01', rows: 1, bulk: false },
      { ...base, day: '2000-01-01', rows: 1, bulk: false },
      { ...base, day: '2015-01-01', rows: 990, bulk: true },
    ];
    const early = isolatedEarlyDates(rows, 365)!;
    expect(early.bulkStart).toBe('2015-01-01');
    expect(early.rows).toBe(4);
    expect(isolatedEarlyDates(rows.slice(2), 365 * 20)).toBeUndefined();
  });
});

describe('verdicts that cannot read Ready', () => {
  it('gives no verdict without a target: Not assessed, naming the checks that could not run in plain words', async () => {
    const findings = await audit('daily', { eventTime: 'day' });
    const f = find(findings, 'labels-no-target:daily:target');
    // The verdict status carries it, not a severity: a waiver cannot make the skipped checks run.
    expect(f.severity).toBe('info');
    expect(String(f.evidence.notAssessed)).toContain('labels-missing');
    expect(String(f.evidence.notAssessed)).toContain('leakage-single-feature');
    expect(String(f.evidence.notAssessed)).toContain('coverage-class-balance');
    expect(verdictFor(findings, []).status).toBe('not-assessed');
    expect(verdictFor(findings, [{ findingId: f.id, reason: 'try', at: '2026-11-25' }]).status).toBe(
      'not-assessed',
    );
    expect(notAssessed(findings)[0]).toMatch(/^No target, so these were not checked: .*missing labels/);
  });

  it('drops the no-target finding when a target is set and only the affected checks re-run', async () => {
    const before = await audit('daily', { eventTime: 'day' });
    expect(before.some((f) => f.check === 'labels-no-target')).toBe(true);
    const rolesBefore: ColumnRoles = { eventTime: 'day', segments: [], excluded: [] };
    const rolesAfter: ColumnRoles = { ...rolesBefore, target: 'label' };
    const rerun = checksToRerun(
      { roles: rolesBefore, context: CONTEXT },
      { roles: rolesAfter, context: CONTEXT },
    );
    expect(rerun).toContain('labels-no-target');
    const fresh = await runReadiness(conn, {
      tableName: 'daily',
      datasetId: 'daily',
      columns: await columnsOf('daily'),
      roles: rolesAfter,
      context: CONTEXT,
      only: rerun,
    });
    const merged = mergeFindings(before, fresh, rerun);
    expect(merged.some((f) => f.check === 'labels-no-target')).toBe(false);
    expect(merged.some((f) => f.check === 'labels-missing' || f.check === 'volume-classes')).toBe(true);
  });

  it('turns a check whose SQL fails into a major finding in its area that names the check and the error', async () => {
    await conn.exec(`CREATE TABLE breaking AS SELECT * FROM yearly`);
    const findings = await audit('breaking', { target: 'label', eventTime: 'Year' }, {}, async (check) => {
      // The column disappears after the setup has read it: every later check that reads it fails for real.
      if (check === 'coverage-span') await conn.exec(`ALTER TABLE breaking RENAME COLUMN "Year" TO "Gone"`);
    });
    const f = find(findings, 'coverage-span:breaking:error');
    expect(f.severity).toBe('major');
    expect(f.area).toBe('coverage');
    expect(f.title).toMatch(/^Check coverage-span could not run: .*Year/);
    expect(String(f.evidence.error)).toMatch(/Year/);
    expect(verdictFor(findings, []).status).not.toBe('ready');
    expect(
      verdictFor(findings, [{ findingId: f.id, reason: 'known', at: '2026-11-25' }]).openMajors,
    ).not.toContain(f.id);
    expect(notAssessed(findings)).toContain(f.title);
  });
});

describe('the cadence of a periodic series', () => {
  it('is the gcd of the steps between filled periods, and 1 for a continuous or short series', () => {
    const series = (filled: number[], length: number): { rows: number }[] =>
      Array.from({ length }, (_, i) => ({ rows: filled.includes(i) ? 7 : 0 }));
    expect(cadenceOf(series([0, 5, 10, 15, 25], 26))).toBe(5);
    expect(cadenceOf(series([0, 10, 20, 40], 41))).toBe(10);
    expect(cadenceOf(series([0, 1, 2, 4], 5))).toBe(1);
    expect(cadenceOf(series([0, 6], 7))).toBe(1);
  });
});

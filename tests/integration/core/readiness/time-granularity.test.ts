import { beforeAll, describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { useEngine, FIXTURES, loadFile } from '../../../support/engine';
import { checkTimeRole, runReadiness } from '../../../../src/lib/session/readiness';
import { ident } from '../../../../src/lib/core/sql/quote';
import {
  formatTimeValue,
  periodEnd,
  periodStart,
  periodVolumes,
} from '../../../../src/lib/core/readiness/time-encoding';
import type {
  ColumnRoles,
  ColumnSchema,
  Finding,
  ProjectContext,
  TaskType,
} from '../../../../src/lib/core/model/audit';

/**
 * Time read at its own granularity (issue 17 §3) and the time-ordered split
 * (§4): real corpus series checked against pandas' own period types
 * (tests/fixtures/time-granularity/make_time_reference.py), planted cases
 * where each rule fires, and real cases where it stays quiet.
 */

interface Reference {
  first: string;
  last: string;
  rows: number;
  span: number;
  periodsWithRows: number;
  minRows: number;
  maxRows: number;
  medianRows: number;
  newestPeriodEnd: string;
  lagDays: number;
  split: { cut: string; train: number; validation: number };
}

const REFERENCE = JSON.parse(
  readFileSync(join(FIXTURES, 'time-granularity/time-reference.json'), 'utf8'),
) as Record<string, Reference>;

/** The corpus series, with the roles and as-of date of tests/fixtures/corpus/manifest.ts (macrodata: time on `year`). */
const SERIES: { file: string; target: string; time: string; asOf: string; unit: string }[] = [
  { file: 'danish_data.csv', target: 'lrm', time: 'period', asOf: '1987-10-01', unit: 'quarter' },
  {
    file: 'elec_equip.csv',
    target: 'STS.M.I7.W.TOVT.NS0016.4.000',
    time: 'DATE',
    asOf: '2016-04-01',
    unit: 'month',
  },
  { file: 'macrodata.csv', target: 'infl', time: 'year', asOf: '2009-10-01', unit: 'quarter' },
  { file: 'elnino.csv', target: 'DEC', time: 'YEAR', asOf: '2011-01-01', unit: 'year' },
  { file: 'grunfeld.csv', target: 'invest', time: 'year', asOf: '1955-01-01', unit: 'year' },
  { file: 'nile.csv', target: 'volume', time: 'year', asOf: '1971-01-01', unit: 'year' },
  { file: 'sunspots.csv', target: 'SUNACTIVITY', time: 'YEAR', asOf: '2009-01-01', unit: 'year' },
  { file: 'longley.csv', target: 'TOTEMP', time: 'YEAR', asOf: '1963-01-01', unit: 'year' },
];

const conn = useEngine();
const tables = new Map<string, { table: string; columns: ColumnSchema[] }>();

beforeAll(async () => {
  for (const s of SERIES) {
    const d = await loadFile(conn, join(FIXTURES, 'corpus', s.file));
    tables.set(s.file, { table: d.tableName, columns: d.columns });
  }
});

async function columnsOf(table: string): Promise<ColumnSchema[]> {
  return (await conn.query(`DESCRIBE ${ident(table)}`)).map((r) => ({
    name: String(r.column_name),
    type: String(r.column_type),
  }));
}

async function audit(
  table: string,
  roles: Partial<ColumnRoles>,
  asOf: string,
  task: TaskType = 'regression',
  columns?: ColumnSchema[],
): Promise<Finding[]> {
  const context: ProjectContext = {
    decision: '',
    task,
    targetDefinition: '',
    positiveClass: '',
    predictionPoint: '',
    asOf,
  };
  return runReadiness(conn, {
    tableName: table,
    datasetId: table,
    columns: columns ?? (await columnsOf(table)),
    roles: { segments: [], excluded: [], ...roles },
    context,
  });
}

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

/** A reference period (`1987-Q3`, `2016-04`, `1970`) as the findings' prose writes it (`1987 Q3`, `Apr 2016`, `1970`). */
function prose(period: string): string {
  const quarter = /^(\d{4})-Q([1-4])$/.exec(period);
  if (quarter) return `${quarter[1]} Q${quarter[2]}`;
  const month = /^(\d{4})-(\d{2})$/.exec(period);
  return month ? `${MONTHS[Number(month[2]) - 1]} ${month[1]}` : period;
}

function find(findings: Finding[], check: string): Finding {
  const f = findings.find((x) => x.check === check);
  expect(f, `missing ${check}; have ${findings.map((x) => x.id).join(', ')}`).toBeDefined();
  return f!;
}

describe('real series read at their own granularity (pandas periods as the reference)', () => {
  it.each([
    ['danish_data.csv', 'period', 'quarter', 'quarter'],
    ['elec_equip.csv', 'DATE', 'text', 'month'],
  ])('%s: the time role on “%s” is accepted, read as %s, %s-granular', async (file, column, encoding, g) => {
    const { table, columns } = tables.get(file)!;
    const check = await checkTimeRole(
      conn,
      table,
      columns.find((c) => c.name === column)!,
    );
    expect(check).toMatchObject({ ok: true, encoding, granularity: g });
  });

  describe.each(SERIES)('$file with the time role on $time', (series) => {
    let findings: Finding[];
    const ref = REFERENCE[series.file]!;
    beforeAll(async () => {
      const { table, columns } = tables.get(series.file)!;
      findings = await audit(
        table,
        { target: series.target, eventTime: series.time },
        series.asOf,
        'regression',
        columns,
      );
    });

    it('counts volume per period in the data’s unit, as pandas does', () => {
      const f = find(findings, 'volume-months');
      expect(f.evidence).toMatchObject({
        unit: series.unit,
        periods: ref.span,
        periodsWithRows: ref.periodsWithRows,
        medianRowsPerPeriod: ref.medianRows,
        first: ref.first,
        last: ref.last,
      });
      const perPeriod =
        ref.minRows === ref.maxRows
          ? `${ref.minRows} row${ref.minRows === 1 ? '' : 's'} per ${series.unit}`
          : `median ${ref.medianRows} rows per ${series.unit}`;
      expect(f.title).toBe(
        `${ref.span.toLocaleString('en-US')} ${series.unit}s of data (${prose(ref.first)} to ${prose(ref.last)}), ${perPeriod}`,
      );
    });

    it('is current at the as-of date: the newest period is complete and nothing is missing', () => {
      const f = find(findings, 'coverage-recency');
      expect(f.severity).toBe('info');
      expect(f.evidence.ageDays).toBe(ref.lagDays);
      expect(f.evidence.newestPeriodEnd).toBe(ref.newestPeriodEnd);
      expect(f.evidence.missingPeriods).toBe(0);
      expect(f.title).toMatch(new RegExp(`^Up to date: the newest ${series.unit}, ${prose(ref.last)}, `));
    });

    it('recommends the time-ordered split at the metric plan’s cut', () => {
      const f = find(findings, 'time-split');
      expect(f.severity).toBe('info');
      expect(f.evidence).toMatchObject({
        cut: prose(ref.split.cut),
        trainRows: ref.split.train,
        validationRows: ref.split.validation,
        holdoutShare: 0.2,
      });
      expect(f.title).toBe(
        `Time-ordered data: train before ${prose(ref.split.cut)}, validate on ${prose(ref.split.cut)} onwards (${ref.split.train.toLocaleString('en-US')} and ${ref.split.validation} labelled rows)`,
      );
    });

    it('raises no blocker or major about time or coverage, and no date-format finding', () => {
      const loud = findings.filter(
        (f) =>
          (f.area === 'time' || f.area === 'coverage') &&
          (f.severity === 'blocker' || f.severity === 'major'),
      );
      expect(loud.map((f) => f.title)).toEqual([]);
      expect(findings.some((f) => f.check === 'time-text-formats' || f.check === 'time-role')).toBe(false);
    });
  });

  it('macrodata.csv: the year is read with the quarter beside it, so the span is quarters, without gaps', async () => {
    const { table, columns } = tables.get('macrodata.csv')!;
    const findings = await audit(
      table,
      { target: 'infl', eventTime: 'year' },
      '2009-10-01',
      'regression',
      columns,
    );
    const span = find(findings, 'coverage-span');
    expect(span.title).toMatch(/^1959 Q1 to 2009 Q3 \(.*read as quarters \(the year with “quarter”\)\)$/);
    expect(span.evidence.granularity).toBe('quarter');
    expect(findings.some((f) => f.check === 'coverage-gaps')).toBe(false);
  });
});

describe('planted: periods read from text and from a year with its quarter or month', () => {
  beforeAll(async () => {
    await conn.exec(
      `CREATE TABLE quarter_spellings AS SELECT
         ['1974Q1', '1974-Q2', 'Q3 1974', 'q4-1974', '1975 Q1', 'Q2-1975'][1 + range % 6] AS period,
         range * 1.0 AS y FROM range(60)`,
    );
    await conn.exec(
      `CREATE TABLE year_month AS SELECT 2015 + range // 36 AS year, 1 + (range // 3) % 12 AS month,
         range * 0.5 AS y FROM range(180)`,
    );
    // A "month" column that counts months of tenure (1–40) is not a calendar month.
    await conn.exec(
      `CREATE TABLE year_tenure AS SELECT 2015 + range // 40 AS year, 1 + range % 40 AS month,
         range * 0.5 AS y FROM range(200)`,
    );
  });

  it('reads every quarter spelling (1974Q1, 1974-Q2, Q3 1974, q4-1974) as the first day of the quarter', async () => {
    const findings = await audit('quarter_spellings', { target: 'y', eventTime: 'period' }, '1976-01-01');
    const span = find(findings, 'coverage-span');
    expect(span.evidence).toMatchObject({ first: '1974-01-01 00:00:00', last: '1975-04-01 00:00:00' });
    expect(span.evidence.readableRows).toBe(60);
    expect(span.title).toMatch(/^1974 Q1 to 1975 Q2 /);
  });

  it('reads a year with a calendar month column as months', async () => {
    const findings = await audit('year_month', { target: 'y', eventTime: 'year' }, '2020-01-01');
    expect(find(findings, 'volume-months').title).toBe(
      '60 months of data (Jan 2015 to Dec 2019), 3 rows per month',
    );
    expect(find(findings, 'coverage-span').evidence.granularity).toBe('month');
  });

  it('keeps a year alone when the "month" beside it is not a calendar month (values up to 40)', async () => {
    const findings = await audit('year_tenure', { target: 'y', eventTime: 'year' }, '2020-01-01');
    expect(find(findings, 'coverage-span').evidence.granularity).toBe('year');
    expect(find(findings, 'volume-months').title).toBe('5 years of data (2015 to 2019), 40 rows per year');
  });
});

describe('planted: recency measured from the end of the period', () => {
  beforeAll(async () => {
    await conn.exec(
      `CREATE TABLE yearly_old AS SELECT 1990 + range AS year, range * 2.0 AS y FROM range(20)`,
    );
    await conn.exec(
      `CREATE TABLE quarterly_dates AS SELECT make_date(2000 + range // 4, (range % 4) * 3 + 1, 1) AS quarter_start,
         range * 1.0 AS y FROM range(42)`,
    );
  });

  it('a yearly series whose last complete year is missing is a year behind: major, one year missing', async () => {
    // 1990–2009 at 2011-03-01: 2010 is complete and missing; 2011 is still running.
    const findings = await audit('yearly_old', { target: 'y', eventTime: 'year' }, '2011-03-01');
    const f = find(findings, 'coverage-recency');
    expect(f.severity).toBe('major');
    expect(f.evidence).toMatchObject({ ageDays: 365, missingPeriods: 1, newestPeriodEnd: '2010-01-01' });
    expect(f.title).toBe('Newest year is 2009: 1 complete year (from 2010) missing at 1 Mar 2011, 365 days');
  });

  it('the same series at 2010-06-30 is current: 2009 is the last complete year', async () => {
    const findings = await audit('yearly_old', { target: 'y', eventTime: 'year' }, '2010-06-30');
    const f = find(findings, 'coverage-recency');
    expect(f.severity).toBe('info');
    expect(f.evidence.ageDays).toBe(0);
  });

  it('dates on quarter starts are quarters: one complete quarter missing is minor (92 days)', async () => {
    // 2000-Q1 … 2010-Q2; at 2010-12-15 the quarter 2010-Q3 is complete and missing.
    const findings = await audit(
      'quarterly_dates',
      { target: 'y', eventTime: 'quarter_start' },
      '2010-12-15',
    );
    expect(find(findings, 'coverage-span').evidence.granularity).toBe('quarter');
    const f = find(findings, 'coverage-recency');
    expect(f.severity).toBe('minor');
    expect(f.evidence).toMatchObject({ ageDays: 92, missingPeriods: 1 });
  });
});

describe('planted: a missing period in a regular series', () => {
  it('one quarter missing from one reading a quarter is a gap, named in quarters', async () => {
    await conn.exec(
      `CREATE TABLE quarterly_gap AS SELECT make_date(2005 + range // 4, (range % 4) * 3 + 1, 1) AS q,
         range * 1.0 AS y FROM range(40) WHERE range <> 30`,
    );
    const findings = await audit('quarterly_gap', { target: 'y', eventTime: 'q' }, '2015-01-01');
    const f = findings.find((x) => x.id === 'coverage-gaps:quarterly_gap:empty');
    expect(f?.severity).toBe('major');
    expect(f?.title).toBe('1 quarter with no rows: 2012 Q3');
  });
});

describe('recency by share, not by the newest row', () => {
  beforeAll(async () => {
    // 2021-01-01 … 2023-06-30 one row a day, then 5 fresh rows in the week before 2025-06-01.
    await conn.exec(
      `CREATE TABLE stale_bulk AS
         SELECT DATE '2021-01-01' + CAST(range AS INTEGER) AS day, range * 1.0 AS y FROM range(911)
         UNION ALL SELECT DATE '2025-05-25' + CAST(range AS INTEGER), 0.0 FROM range(5)`,
    );
    // Two years one row a day to 2025-05-31, but the last 90 days only every tenth day.
    await conn.exec(
      `CREATE TABLE thinning AS
         SELECT DATE '2023-06-01' + CAST(range AS INTEGER) AS day, range * 1.0 AS y FROM range(731)
         WHERE DATE '2023-06-01' + CAST(range AS INTEGER) <= DATE '2025-03-02' OR range % 10 = 0`,
    );
    // A growing history: twice as many rows a day in its second half.
    await conn.exec(
      `CREATE TABLE growing_daily AS
         SELECT DATE '2023-06-01' + CAST(range AS INTEGER) AS day, range * 1.0 AS y FROM range(731)
         UNION ALL SELECT DATE '2024-06-01' + CAST(range AS INTEGER), 0.0 FROM range(365)`,
    );
  });

  it('a stale bulk behind a few fresh rows is major, and the finding says both numbers', async () => {
    const findings = await audit('stale_bulk', { target: 'y', eventTime: 'day' }, '2025-06-01');
    const f = find(findings, 'coverage-recency');
    expect(f.severity).toBe('major');
    expect(f.evidence.ageDays).toBe(3);
    expect(f.evidence.recentRows).toBe(5);
    // 916 rows over 1,612 days of history: 51.1 rows due in 90 days.
    expect(f.evidence.expectedRecentRows).toBeCloseTo((916 * 90) / 1612, 1);
    expect(f.title).toMatch(
      /^Newest record is 3 days old at 1 Jun 2025 \(29 May 2025\), but only 0\.5 % of rows \(5\) are from the last 90 days, where the history’s usual rate would put 5\.6 %; half the rows predate 3 Apr 2022$/,
    );
  });

  it('a recent quarter thinned to a tenth is minor (the last 180 days still hold their share)', async () => {
    const findings = await audit('thinning', { target: 'y', eventTime: 'day' }, '2025-06-01');
    const f = find(findings, 'coverage-recency');
    expect(f.severity).toBe('minor');
    expect(f.evidence.recentRows).toBe(9);
  });

  it('a growing history stays quiet', async () => {
    const findings = await audit('growing_daily', { target: 'y', eventTime: 'day' }, '2025-06-01');
    expect(find(findings, 'coverage-recency').severity).toBe('info');
  });

  it('real: Mauna Loa weekly CO2 (yyyymmdd) at 2002-01-01 is recent, by age and by share', async () => {
    const d = await loadFile(conn, join(FIXTURES, 'corpus', 'co2.csv'));
    const findings = await audit(d.tableName, { target: 'co2', eventTime: 'date' }, '2002-01-01');
    const f = find(findings, 'coverage-recency');
    expect(f.severity).toBe('info');
    expect(f.evidence.recentShareJudged).toBe(true);
    expect(f.evidence.ageDays).toBe(3);
  });
});

describe('the time-ordered split', () => {
  it('names how many IDs fall on both sides of the cut', async () => {
    await conn.exec(
      `CREATE TABLE panel AS SELECT 'firm ' || CAST(range % 5 AS VARCHAR) AS firm, 2000 + range // 5 AS year,
         range * 1.0 AS y FROM range(100)`,
    );
    const findings = await audit('panel', { target: 'y', eventTime: 'year', id: 'firm' }, '2021-01-01');
    const f = find(findings, 'time-split');
    // 100 rows over 2000–2019: 80 train rows before 2016, 20 validation rows from 2016; all 5 firms on both sides.
    expect(f.evidence).toMatchObject({ cut: '2016', trainRows: 80, validationRows: 20, sharedIds: 5 });
    expect(f.recommendation).toMatch(/5 “firm” values have rows on both sides of the cut/);
  });

  it('counts positives per side, and is minor when the validation side has none', async () => {
    // 100 days; "yes" every fifth day: 16 before the cut, 4 after. Then the same with no "yes" after day 70.
    await conn.exec(
      `CREATE TABLE spread AS SELECT DATE '2024-01-01' + CAST(range AS INTEGER) AS day,
         CASE WHEN range % 5 = 0 THEN 'yes' ELSE 'no' END AS churned FROM range(100)`,
    );
    await conn.exec(
      `CREATE TABLE early_only AS SELECT DATE '2024-01-01' + CAST(range AS INTEGER) AS day,
         CASE WHEN range % 5 = 0 AND range < 70 THEN 'yes' ELSE 'no' END AS churned FROM range(100)`,
    );
    const spread = find(
      await audit('spread', { target: 'churned', eventTime: 'day' }, '2024-06-01', 'binary'),
      'time-split',
    );
    expect(spread.severity).toBe('info');
    expect(spread.evidence).toMatchObject({ cut: '21 Mar 2024', trainPositives: 16, validationPositives: 4 });
    const early = find(
      await audit('early_only', { target: 'churned', eventTime: 'day' }, '2024-06-01', 'binary'),
      'time-split',
    );
    expect(early.severity).toBe('minor');
    expect(early.evidence).toMatchObject({ trainPositives: 14, validationPositives: 0 });
    expect(early.recommendation).toMatch(/One side of this cut has no “yes” rows/);
  });

  it('stays quiet without an event time (real: engel.csv, households)', async () => {
    const d = await loadFile(conn, join(FIXTURES, 'corpus', 'engel.csv'));
    const findings = await audit(d.tableName, { target: 'foodexp' }, '2026-11-01');
    expect(findings.some((f) => f.check === 'time-split')).toBe(false);
  });
});

describe('period arithmetic', () => {
  it.each([
    ['1970-01-01', 'year', '1970-01-01', '1971-01-01', '1970'],
    ['1974-05-01', 'quarter', '1974-04-01', '1974-07-01', '1974 Q2'],
    ['1987-10-01', 'quarter', '1987-10-01', '1988-01-01', '1987 Q4'],
    ['2016-12-01', 'month', '2016-12-01', '2017-01-01', 'Dec 2016'],
    ['2016-12-15', 'day', '2016-12-15', '2016-12-15', '15 Dec 2016'],
  ] as const)('%s as a %s starts %s, ends before %s, reads %s', (value, g, start, end, label) => {
    expect(periodStart(value, g)).toBe(start);
    expect(periodEnd(value, g)).toBe(end);
    expect(formatTimeValue(`${value} 00:00:00`, g)).toBe(label);
  });

  it('sums months into years, weighting the target mean by labelled rows', () => {
    const v = periodVolumes(
      [
        { month: '2001-01', rows: 2, labelled: 2, target_mean: 1 },
        { month: '2001-07', rows: 2, labelled: 1, target_mean: 4 },
        { month: '2003-03', rows: 3, labelled: 3, target_mean: 2 },
      ],
      'year',
    );
    expect(v).toMatchObject({ unit: 'year', span: 3, first: '2001', last: '2003', min: 3, max: 4 });
    expect(v.periods[0]).toMatchObject({
      period: '2001',
      month: '2001-01',
      rows: 4,
      labelled: 3,
      target_mean: 2,
    });
  });
});

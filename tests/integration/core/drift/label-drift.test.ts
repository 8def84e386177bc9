import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { useEngine, FIXTURES, loadFile, VEGA } from '../../../support/engine';
import type { DriftInput } from '../../../../src/lib/core/drift/compare';
import { rankConceptSegments } from '../../../../src/lib/core/drift/concept';
import { driftHistory, driftReport } from '../../../../src/lib/session/drift';
import { QueryRunner } from '../../../../src/lib/session/query-runner';
import { historyFindings } from '../../../../src/lib/core/drift/history';
import { classRates, labelVerdict } from '../../../../src/lib/core/drift/label-rates';
import { DriftHistorySchema, DriftReportSchema, type LabelDrift } from '../../../../src/lib/core/model/drift';
import { FindingSchema } from '../../../../src/lib/core/model/audit';
import { chiSquareDrift, jensenShannon } from '../../../../src/lib/core/stats/drift';
import { rateShift } from '../../../../src/lib/core/stats/rate-shift';
import { DRIFT_THRESHOLDS } from '../../../../src/lib/core/thresholds';

/** tests/fixtures/drift/make_label_rate_reference.py (statsmodels, SciPy, pandas). */
interface Shift {
  name: string;
  xRef: number;
  nRef: number;
  xCur: number;
  nCur: number;
  wilsonRef: [number, number];
  wilsonCur: [number, number];
  cohensH: number;
  ratio: number | null;
  separated: boolean;
  jensenShannon: number;
}
const reference = JSON.parse(readFileSync(join(FIXTURES, 'drift/label-rate-reference.json'), 'utf8')) as {
  shifts: Shift[];
  seattle: {
    rain: {
      split: string;
      reference: { n: number; rain: number };
      current: { n: number; rain: number };
      shift: Shift;
    };
    weather: {
      classes: string[];
      reference: number[];
      current: number[];
      jensenShannon: number;
      shifts: Shift[];
    };
  };
};
const t = DRIFT_THRESHOLDS;
const shift = (name: string): Shift => reference.shifts.find((s) => s.name === name)!;

/** A binary label's two classes from a fixture case. */
function binary(s: Shift): { label: string; reference: number; current: number }[] {
  return [
    { label: 'yes', reference: s.xRef, current: s.xCur },
    { label: 'no', reference: s.nRef - s.xRef, current: s.nCur - s.xCur },
  ];
}

/** The verdict the comparison gives a binary fixture case. */
function verdict(s: Shift): { drift: boolean; reason?: string } {
  const classes = binary(s);
  const ref = classes.map((c) => c.reference);
  const cur = classes.map((c) => c.current);
  return labelVerdict(
    jensenShannon(ref, cur),
    chiSquareDrift(ref, cur)?.pValue ?? null,
    classRates(classes, t),
    t,
  );
}

describe('rate shift against statsmodels', () => {
  it('matches proportion_confint(method="wilson"), proportion_effectsize and the rate ratio', () => {
    expect(reference.shifts.length).toBeGreaterThanOrEqual(8);
    for (const s of reference.shifts) {
      const r = rateShift(s.xRef, s.nRef, s.xCur, s.nCur)!;
      expect(r.reference.lower, s.name).toBeCloseTo(s.wilsonRef[0], 10);
      expect(r.reference.upper, s.name).toBeCloseTo(s.wilsonRef[1], 10);
      expect(r.current.lower, s.name).toBeCloseTo(s.wilsonCur[0], 10);
      expect(r.current.upper, s.name).toBeCloseTo(s.wilsonCur[1], 10);
      expect(r.cohensH, s.name).toBeCloseTo(s.cohensH, 12);
      if (s.ratio === null) expect(r.ratio, s.name).toBeNull();
      else expect(r.ratio!, s.name).toBeCloseTo(s.ratio, 12);
      expect(r.separated, s.name).toBe(s.separated);
      const classes = binary(s);
      expect(
        jensenShannon(
          classes.map((c) => c.reference),
          classes.map((c) => c.current),
        ),
        s.name,
      ).toBeCloseTo(s.jensenShannon, 10);
    }
  });
});

describe('the label-drift rule on planted counts', () => {
  it('calls a rare label that doubles (4.5 % → 9.3 %) drift although Jensen–Shannon stays under 0.15', () => {
    const s = shift('planted rare label doubles');
    expect(s.jensenShannon).toBeLessThan(t.label);
    // Cohen's h is just under "small": the ratio is what catches it.
    expect(Math.abs(s.cohensH)).toBeLessThan(t.labelCohensH);
    const v = verdict(s);
    expect(v.drift).toBe(true);
    expect(v.reason).toContain('“yes” 4.5 % → 9.3 % (× 2.07');
    const yes = classRates(binary(s), t).find((c) => c.label === 'yes')!;
    expect(yes).toMatchObject({ judged: true, separated: true, drift: true });
  });

  it('calls a common rate that moves ten points drift by Cohen’s h, though its ratio is only 1.2', () => {
    const s = shift('common rate, ten points');
    expect(s.ratio!).toBeLessThan(t.labelRateRatio);
    expect(verdict(s).drift).toBe(true);
  });

  it('stays quiet on noise, on a small effect with separate intervals, and on overlapping intervals', () => {
    expect(verdict(shift('planted noise')).drift).toBe(false);
    // Five points on 4,000 rows: intervals apart, but h = 0.10 and ratio 1.1 are below both thresholds.
    expect(shift('common rate, five points').separated).toBe(true);
    expect(verdict(shift('common rate, five points')).drift).toBe(false);
    // Ratio 1.66, but the intervals overlap.
    expect(shift('unequal sides').ratio!).toBeGreaterThan(t.labelRateRatio);
    expect(verdict(shift('unequal sides')).drift).toBe(false);
  });

  it('does not judge a class too rare for the sample, and needs the chi-square test behind the distance', () => {
    const small = shift('small sample');
    const rates = classRates(binary(small), t);
    // Pooled 8 of 80: an expected count of 4 per side, under Cochran's 5.
    expect(rates.find((c) => c.label === 'yes')!.judged).toBe(false);
    expect(verdict(small).drift).toBe(false);
    // 30 of 30 → 28 of 30: Jensen–Shannon 0.18 crosses 0.15 by chance; chi-square p is far from 0.05.
    const all = shift('all positive');
    expect(all.jensenShannon).toBeGreaterThan(t.label);
    expect(verdict(all).drift).toBe(false);
  });

  it('calls a class that appears drift (unbounded ratio)', () => {
    const v = verdict(shift('class appears'));
    expect(v.drift).toBe(true);
    expect(v.reason).toContain('new class');
  });
});

const conn = useEngine();
/** A fresh runner per analysis: its cache must not outlive a table the test replaces. */
const runner = (): QueryRunner => new QueryRunner(conn);

function input(
  referenceTable: string,
  currentTable: string,
  label: DriftInput['label'],
  extra: Partial<DriftInput> = {},
): DriftInput {
  return {
    reference: { table: referenceTable },
    current: { table: currentTable },
    comparison: {
      kind: 'datasets',
      referenceDatasetId: referenceTable,
      currentDatasetId: currentTable,
      referenceLabel: referenceTable,
      currentLabel: currentTable,
    },
    columns: [],
    label,
    computedAt: '2026-12-05T00:00:00.000Z',
    ...extra,
  };
}

const rateOf = (label: LabelDrift, cls: string) => label.classRates!.find((c) => c.label === cls)!;

describe('label drift through the engine', () => {
  it('fires on the planted 4.5 % → 9.3 % label at 4,000 rows per side while Jensen–Shannon stays under 0.15', async () => {
    const table = (name: string, positives: number): string =>
      `CREATE TABLE ${name} AS SELECT round(((hash(i) % 1000) / 1000.0), 3) AS score,
        CASE WHEN (hash(i * 31 + 7) % 4000) < ${positives} THEN 'Fraud' ELSE 'ok' END AS label_raw,
        CASE WHEN i < ${positives} THEN 'Fraud' ELSE 'ok' END AS flagged
      FROM range(4000) r(i)`;
    await conn.exec(table('rare_ref', 180));
    await conn.exec(table('rare_cur', 372));
    const report = DriftReportSchema.parse(
      await driftReport(runner(), input('rare_ref', 'rare_cur', { column: 'flagged', positive: 'fraud' })),
    );
    const label = report.label!;
    const s = shift('planted rare label doubles');
    expect(label.jensenShannon!).toBeCloseTo(s.jensenShannon, 5);
    expect(label.jensenShannon!).toBeLessThan(t.label);
    expect(label.status).toBe('drift');
    const fraud = rateOf(label, 'fraud');
    expect(fraud).toMatchObject({ drift: true, separated: true, judged: true });
    expect(fraud.reference).toMatchObject({ n: 4000, positives: 180 });
    expect(fraud.current).toMatchObject({ n: 4000, positives: 372 });
    expect(fraud.reference.upper).toBeCloseTo(s.wilsonRef[1], 5);
    expect(fraud.current.lower).toBeCloseTo(s.wilsonCur[0], 5);
    expect(fraud.ratio!).toBeCloseTo(s.ratio!, 5);
    expect(fraud.cohensH).toBeCloseTo(s.cohensH, 5);
    expect(label.positiveRate!.current.rate).toBeCloseTo(0.093, 6);
    expect(label.reason).toMatch(/^class rate moved: “fraud” 4\.5 % → 9\.3 % \(× 2\.07/);
    expect(label.rule).toContain(`ratio ≥ ${t.labelRateRatio}`);
  });

  it('stays quiet on Seattle’s rain label split at 2014, as statsmodels and pandas count it', async () => {
    const loaded = await loadFile(conn, join(VEGA, 'seattle-weather.csv'));
    await conn.exec(
      `CREATE TABLE seattle AS SELECT *, CASE WHEN weather = 'rain' THEN 'rain' ELSE 'dry' END AS rain FROM ${loaded.tableName}`,
    );
    const rain = reference.seattle.rain;
    const time = { column: 'date', type: 'DATE' };
    const report = DriftReportSchema.parse(
      await driftReport(runner(), {
        ...input('seattle', 'seattle', { column: 'rain', positive: 'rain' }),
        reference: { table: 'seattle', filter: { kind: 'before', time, date: rain.split } },
        current: { table: 'seattle', filter: { kind: 'from', time, date: rain.split } },
      }),
    );
    const label = report.label!;
    const r = rateOf(label, 'rain');
    expect(r.reference).toMatchObject({ n: rain.reference.n, positives: rain.reference.rain });
    expect(r.current).toMatchObject({ n: rain.current.n, positives: rain.current.rain });
    expect(r.reference.lower).toBeCloseTo(rain.shift.wilsonRef[0], 5);
    expect(r.current.upper).toBeCloseTo(rain.shift.wilsonCur[1], 5);
    // 47.7 % → 40.0 %: the intervals are apart, but the move is below "small" (h −0.16) and the ratio 1.19.
    expect(r.separated).toBe(true);
    expect(Math.abs(r.cohensH)).toBeLessThan(t.labelCohensH);
    expect(r.ratio!).toBeLessThan(t.labelRateRatio);
    expect(label.classRates!.every((c) => !c.drift)).toBe(true);
    expect(label.status).toBe('no-drift');
  });

  it('fires on Seattle’s five weather classes, 2012 against 2015, where fog and drizzle swap (class by class)', async () => {
    const w = reference.seattle.weather;
    const time = { column: 'date', type: 'DATE' };
    const report = await driftReport(runner(), {
      ...input('seattle', 'seattle', { column: 'weather' }),
      reference: { table: 'seattle', filter: { kind: 'before', time, date: '2013-01-01' } },
      current: { table: 'seattle', filter: { kind: 'from', time, date: '2015-01-01' } },
    });
    const label = report.label!;
    expect(label.status).toBe('drift');
    expect(label.jensenShannon!).toBeCloseTo(w.jensenShannon, 5);
    for (const [i, cls] of w.classes.entries()) {
      const c = rateOf(label, cls);
      expect(c.reference.positives, cls).toBe(w.reference[i]);
      expect(c.current.positives, cls).toBe(w.current[i]);
      const s = w.shifts[i]!;
      expect(c.cohensH, cls).toBeCloseTo(s.cohensH, 5);
      expect(c.separated, cls).toBe(s.separated);
    }
    expect(rateOf(label, 'fog').drift).toBe(true);
    expect(rateOf(label, 'drizzle').drift).toBe(true);
    // Snow: 21 days, then none; rain 52 % → 39 % (h −0.26) moves too.
    expect(label.reason).toContain('“fog”');
  });

  it('stays quiet on the corpus digits (ten classes) split into two halves', async () => {
    const loaded = await loadFile(conn, join(FIXTURES, 'corpus/digits.csv'));
    await conn.exec(`CREATE TABLE digits_a AS SELECT * FROM ${loaded.tableName} WHERE rowid < 899`);
    await conn.exec(`CREATE TABLE digits_b AS SELECT * FROM ${loaded.tableName} WHERE rowid >= 899`);
    const report = await driftReport(runner(), input('digits_a', 'digits_b', { column: 'digit' }));
    const label = report.label!;
    expect(label.classRates).toHaveLength(10);
    expect(label.classRates!.every((c) => c.judged)).toBe(true);
    expect(label.classRates!.some((c) => c.drift)).toBe(false);
    expect(label.status).toBe('no-drift');
  });
});

describe('concept drift merges spelling variants of a segment', () => {
  it('folds "north", "North" and " north " into one segment shown by its most frequent spelling', () => {
    const rows = [
      { feature: 'region', segment: 'north', side: 0, n: 300, positives: 30 },
      { feature: 'region', segment: 'North', side: 0, n: 100, positives: 10 },
      { feature: 'region', segment: ' north ', side: 1, n: 50, positives: 15 },
      { feature: 'region', segment: 'North', side: 1, n: 350, positives: 105 },
      { feature: 'region', segment: 'south', side: 0, n: 400, positives: 40 },
      { feature: 'region', segment: 'south', side: 1, n: 400, positives: 44 },
      { feature: 'region', segment: 'N/A', side: 0, n: 400, positives: 40 },
      { feature: 'region', segment: 'N/A', side: 1, n: 400, positives: 40 },
    ];
    const segments = rankConceptSegments(rows, t);
    expect(segments.map((s) => s.segment)).toEqual(['North', 'south']);
    const north = segments[0]!;
    expect(north.reference).toMatchObject({ n: 400, positives: 40 });
    expect(north.current).toMatchObject({ n: 400, positives: 120 });
    expect(north.moved).toBe(true);
    expect(north.variants).toEqual(['North', 'north', ' north ']);
    expect(segments[1]!.variants).toBeUndefined();
  });

  it('merges the spellings through the engine: the label rate of "north" moves though each spelling alone is small', async () => {
    // Reference writes "north"; the current extract writes "North" for most rows. Neither spelling has 30
    // labelled rows on both sides, so compared by spelling, north would vanish from the panel.
    const side = (current: boolean): string => `SELECT
        CASE WHEN i % 4 = 0 THEN ${current ? `CASE WHEN i % 40 = 0 THEN 'north' ELSE 'North' END` : `'north'`}
             WHEN i % 4 = 1 THEN 'south' WHEN i % 4 = 2 THEN 'east' ELSE 'west' END AS region,
        CASE WHEN (hash(i * 13 + 1) % 1000) < (CASE WHEN i % 4 = 0 AND ${current} THEN 300 ELSE 100 END) THEN 'yes' ELSE 'no' END AS churned
      FROM range(${current ? 1000 : 2000}) r(i)`;
    await conn.exec(`CREATE TABLE seg_ref AS ${side(false)}`);
    await conn.exec(`CREATE TABLE seg_cur AS ${side(true)}`);
    const report = DriftReportSchema.parse(
      await driftReport(
        runner(),
        input(
          'seg_ref',
          'seg_cur',
          { column: 'churned', positive: 'yes' },
          { columns: [{ name: 'region', type: 'VARCHAR', family: 'categorical' }], segments: ['region'] },
        ),
      ),
    );
    const regions = report.concept!.filter((s) => s.feature === 'region');
    const north = regions.filter((s) => s.segment.toLowerCase() === 'north');
    expect(north).toHaveLength(1);
    // 500 reference rows spell it "north"; 225 current rows spell it "North" and 25 "north".
    expect(north[0]!.segment).toBe('north');
    expect(north[0]!.variants).toEqual(['north', 'North']);
    expect(north[0]!.reference.n).toBe(500);
    expect(north[0]!.current.n).toBe(250);
    expect(north[0]!.moved).toBe(true);
    expect(regions.filter((s) => s.moved)).toHaveLength(1);
  });
});

describe('drift history judges the label by the same rule', () => {
  it('flags the months where a rare label doubles although their PSI stays far below the major level', async () => {
    // 12 months of 4,000 rows: 4.5 % positive for eight months, 9.3 % for the last four.
    await conn.exec(`CREATE TABLE rare_history AS SELECT
        DATE '2024-01-01' + INTERVAL (i // 4000) MONTH + INTERVAL (i % 28) DAY AS day,
        round((hash(i) % 1000) / 1000.0, 2) AS amount,
        CASE WHEN (i % 1000) < (CASE WHEN i // 4000 >= 8 THEN 93 ELSE 45 END) THEN 'Fraud' ELSE 'ok' END AS label
      FROM range(48000) r(i)`);
    const history = DriftHistorySchema.parse(
      await driftHistory(runner(), {
        side: { table: 'rare_history' },
        time: { column: 'day', type: 'DATE' },
        columns: [{ name: 'amount', type: 'DOUBLE' }],
        label: 'label',
      }),
    );
    const labelCells = history.cells.filter((c) => c.column === 'label');
    const drifted = labelCells.filter((c) => c.labelDrift).map((c) => c.month);
    expect(drifted).toEqual(['2024-09', '2024-10', '2024-11', '2024-12']);
    expect(labelCells.every((c) => c.psi! < t.psiMajor)).toBe(true);
    expect(labelCells.find((c) => c.month === '2024-09')!.labelReason).toMatch(/^“fraud” 4\.5 % → 9\.3 %/);
    const summary = history.columns.find((c) => c.column === 'label')!;
    expect(summary).toMatchObject({ compared: 9, major: 4 });
    expect(summary.rule).toContain('Wilson');
    expect(history.columns.find((c) => c.column === 'amount')!.major).toBe(0);

    const findings = historyFindings(history, 'ds1', 'rare_history');
    expect(findings).toHaveLength(1);
    const f = FindingSchema.parse(findings[0]);
    expect(f).toMatchObject({ check: 'drift-history', severity: 'major', columns: ['label'] });
    expect(f.title).toContain('The label “label”');
    expect(f.evidence.monthsDrifted).toBe(4);
    expect(String(f.evidence.worstMonthRates)).toContain('× 2.07');
  });
});

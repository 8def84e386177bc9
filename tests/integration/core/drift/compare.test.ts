import { beforeAll, describe, expect, it } from 'vitest';
import { useEngine } from '../../../support/engine';
import type { DriftInput } from '../../../../src/lib/core/drift/compare';
import { driftHistory, driftReport } from '../../../../src/lib/session/drift';
import { QueryRunner } from '../../../../src/lib/session/query-runner';
import { monitoringContract } from '../../../../src/lib/core/drift/contract';
import { historyFindings } from '../../../../src/lib/core/drift/history';
import {
  DriftReportSchema,
  MonitoringContractSchema,
  type DriftReport,
} from '../../../../src/lib/core/model/drift';
import { FindingSchema, type DatasetRef } from '../../../../src/lib/core/model/audit';
import { newAudit } from '../../../../src/lib/core/model/document';
import { driftInputFor } from '../../../../src/lib/core/drift/request';
import { psi } from '../../../../src/lib/core/stats/drift';

const conn = useEngine();
let main: DriftReport;
/** A fresh runner per analysis: its cache must not outlive a table the test replaces. */
const runner = (): QueryRunner => new QueryRunner(conn);

/** Deterministic uniform in [0, 1) from row number and a stream id. */
const u = (stream: number): string => `((hash(i * 7919 + ${stream}) % 1000003) / 1000003.0)`;
/** Roughly standard normal: the sum of four uniforms, centred and scaled (Irwin–Hall). */
const z = (stream: number): string =>
  `((${u(stream)} + ${u(stream + 1)} + ${u(stream + 2)} + ${u(stream + 3)} - 2) * sqrt(3))`;

/**
 * Planted pair of extracts: `shifted` moves by half a standard deviation,
 * `plan` gains a new category, `channel` changes its mix, `notes` goes
 * missing; `control_num` and `control_cat` are untouched. The label rate
 * triples in region "north" only.
 */
function planted(current: boolean, rows: number): string {
  const shift = current ? 0.5 : 0;
  return `SELECT
    round(${z(10)} + ${shift}, 3) AS shifted,
    round(${z(20)}, 3) AS control_num,
    CASE WHEN ${u(30)} < 0.4 THEN 'web' WHEN ${u(30)} < ${current ? 0.55 : 0.8} THEN 'shop' ELSE 'phone' END AS channel,
    CASE WHEN ${u(40)} < 0.5 THEN 'a' ELSE 'b' END AS control_cat,
    CASE WHEN ${current ? `${u(50)} < 0.1` : 'FALSE'} THEN 'Enterprise+' WHEN ${u(50)} < 0.6 THEN 'Basic' ELSE 'Pro' END AS plan,
    CASE WHEN ${u(60)} < ${current ? 0.3 : 0.02} THEN NULL ELSE 'note' END AS notes,
    CASE WHEN i % 4 = 0 THEN 'north' WHEN i % 4 = 1 THEN 'south' WHEN i % 4 = 2 THEN 'east' ELSE 'west' END AS region,
    CASE WHEN ${u(70)} < (CASE WHEN i % 4 = 0 AND ${current} THEN 0.3 ELSE 0.1 END) THEN 'Yes' ELSE 'No' END AS churned
  FROM range(${rows}) r(i)`;
}

const COLUMNS = [
  { name: 'shifted', type: 'DOUBLE' },
  { name: 'control_num', type: 'DOUBLE' },
  { name: 'channel', type: 'VARCHAR', family: 'categorical' as const },
  { name: 'control_cat', type: 'VARCHAR', family: 'categorical' as const },
  { name: 'plan', type: 'VARCHAR', family: 'categorical' as const },
  { name: 'notes', type: 'VARCHAR', family: 'categorical' as const },
  { name: 'region', type: 'VARCHAR', family: 'categorical' as const },
];

function input(reference: string, current: string, extra: Partial<DriftInput> = {}): DriftInput {
  return {
    reference: { table: reference },
    current: { table: current },
    comparison: {
      kind: 'datasets',
      referenceDatasetId: reference,
      currentDatasetId: current,
      referenceLabel: reference,
      currentLabel: current,
    },
    columns: COLUMNS,
    label: { column: 'churned' },
    segments: ['region'],
    computedAt: '2026-11-26T00:00:00.000Z',
    ...extra,
  };
}

beforeAll(async () => {
  await conn.exec(`CREATE TABLE ref AS ${planted(false, 8000)}`);
  await conn.exec(`CREATE TABLE cur AS ${planted(true, 6000)}`);
  // The same distributions but in small samples: tests decide, not distances.
  await conn.exec(`CREATE TABLE ref_small AS ${planted(false, 400)}`);
  await conn.exec(
    `CREATE TABLE cur_small AS ${planted(true, 500).replace('range(500)', 'range(100000, 100500)')}`,
  );
  await conn.exec(`CREATE TABLE tiny AS ${planted(true, 12)}`);
  main = DriftReportSchema.parse(await driftReport(runner(), input('ref', 'cur')));
}, 60_000);

describe('drift between two extracts (planted)', () => {
  it('flags the shifted columns and not the untouched controls', async () => {
    const report = main;
    const status = Object.fromEntries(report.columns.map((c) => [c.column, c.status]));
    expect(status).toMatchObject({
      shifted: 'drift',
      channel: 'drift',
      plan: 'drift',
      control_num: 'no-drift',
      control_cat: 'no-drift',
      region: 'no-drift',
    });
    const shifted = report.columns.find((c) => c.column === 'shifted')!;
    expect(shifted.method).toBe('wasserstein');
    expect(shifted.wasserstein!.normalised).toBeGreaterThan(0.4);
    expect(shifted.wasserstein!.normalised).toBeLessThan(0.6);
    expect(shifted.ks!.pValueMethod).toBe('exact');
    expect(shifted.psiLevel).not.toBe('none');
    expect(report.columns.find((c) => c.column === 'channel')!.method).toBe('jensen-shannon');
    // Drifted columns come first.
    expect(report.columns.slice(0, 3).every((c) => c.status === 'drift')).toBe(true);
  });

  it('reports a new category with its share and a missing-rate change', async () => {
    const report = main;
    const plan = report.columns.find((c) => c.column === 'plan')!;
    expect(plan.newCategories.map((c) => c.value)).toEqual(['Enterprise+']);
    expect(plan.newCategories[0]!.share).toBeGreaterThan(0.08);
    expect(plan.newCategories[0]!.share).toBeLessThan(0.12);
    expect(plan.goneCategories).toEqual([]);
    const notes = report.columns.find((c) => c.column === 'notes')!;
    expect(notes.missing.drift).toBe(true);
    expect(notes.missing.change).toBeGreaterThan(0.25);
    expect(report.columns.find((c) => c.column === 'control_num')!.missing.drift).toBe(false);
  });

  it('finds the label-rate change confined to one segment with the concept proxy', async () => {
    const report = main;
    const top = report.concept![0]!;
    expect(top).toMatchObject({ feature: 'region', segment: 'north', moved: true });
    expect(top.change).toBeGreaterThan(0.15);
    expect(top.current.lower).toBeGreaterThan(top.reference.upper);
    const otherRegions = report.concept!.filter((s) => s.feature === 'region' && s.segment !== 'north');
    expect(otherRegions.every((s) => !s.moved)).toBe(true);
    expect(report.label!.positive).toBe('yes');
    expect(report.label!.positiveRate!.current.rate).toBeGreaterThan(
      report.label!.positiveRate!.reference.rate,
    );
  });

  it('computes the dataset share of drifted columns', async () => {
    const report = main;
    // shifted, channel and plan drift; notes only changes its missing rate, which is reported apart.
    expect(report.dataset.compared).toBe(7);
    expect(report.dataset.drifted).toBe(3);
    expect(report.dataset.share).toBeCloseTo(3 / 7, 5);
    expect(report.dataset.drift).toBe(false);
    const lenient = await driftReport(
      runner(),
      input('ref', 'cur', { thresholds: { datasetDriftShare: 0.4 } }),
    );
    expect(lenient.dataset.drift).toBe(true);
  });

  it('uses tests below 1,000 reference rows and refuses a verdict on tiny samples', async () => {
    const small = await driftReport(runner(), input('ref_small', 'cur_small'));
    const shifted = small.columns.find((c) => c.column === 'shifted')!;
    expect(shifted.method).toBe('ks');
    expect(shifted.status).toBe('drift');
    expect(shifted.statistic! / shifted.ks!.pValue).toBeCloseTo(1, 5);
    expect(small.columns.find((c) => c.column === 'control_cat')!.method).toBe('chi-square');
    const tiny = await driftReport(runner(), input('ref', 'tiny'));
    expect(tiny.columns.find((c) => c.column === 'shifted')!.status).toBe('not-enough-data');
    expect(tiny.dataset.notEnoughData).toBe(7);
    expect(tiny.dataset.drift).toBe(false);
  });

  it('honours a per-column method override and says so', async () => {
    const report = await driftReport(
      runner(),
      input('ref', 'cur', { methods: { control_num: 'psi', channel: 'ks' } }),
    );
    const control = report.columns.find((c) => c.column === 'control_num')!;
    expect(control).toMatchObject({ method: 'psi', methodOverridden: true, status: 'no-drift' });
    expect(control.rule).toContain('chosen by the user');
    // KS does not apply to categories: the size rule stands.
    expect(report.columns.find((c) => c.column === 'channel')!).toMatchObject({
      method: 'jensen-shannon',
      methodOverridden: false,
    });
  });

  it('writes a monitoring contract whose SQL recomputes the report on the current table', async () => {
    const report = main;
    const contract = MonitoringContractSchema.parse(
      monitoringContract(report, { createdAt: '2026-11-26T00:00:00.000Z', tablePlaceholder: 'cur' }),
    );
    expect(contract.columns.map((c) => c.column).sort()).toEqual(COLUMNS.map((c) => c.name).sort());
    for (const column of contract.columns) {
      const fromReport = report.columns.find((c) => c.column === column.column)!;
      const psiStat = column.statistics.find((s) => s.name === 'psi')!;
      expect(psiStat.review).toBe(0.1);
      expect(psiStat.retrain).toBe(0.25);
      const [row] = await conn.query(psiStat.sql);
      // Shares in the report are rounded to 6 significant digits.
      expect(Number(row!.psi)).toBeCloseTo(fromReport.psi!, 3);
      const missing = column.statistics.find((s) => s.name === 'missing-rate')!;
      const [m] = await conn.query(missing.sql);
      expect(Number(m!.missing_rate)).toBeCloseTo(fromReport.missing.current, 5);
    }
    expect(contract.label!.column).toBe('churned');
    const labelPsi = contract.label!.statistics.find((s) => s.name === 'psi')!;
    const [lp] = await conn.query(labelPsi.sql);
    expect(Number(lp!.psi)).toBeCloseTo(report.label!.psi!, 3);
  });
});

describe('drift at a million rows (planted, generated in SQL)', () => {
  it('flags the shifted column and not the control, within a minute', async () => {
    const started = Date.now();
    const gen = (current: boolean): string => `SELECT
        round(${z(10)} + ${current ? 0.2 : 0}, 2) AS shifted,
        round(${z(20)}, 2) AS control_num,
        CASE WHEN ${u(30)} < ${current ? 0.15 : 0.4} THEN 'web' WHEN ${u(30)} < 0.8 THEN 'shop' ELSE 'phone' END AS channel,
        CASE WHEN ${u(40)} < 0.5 THEN 'a' ELSE 'b' END AS control_cat
      FROM range(${current ? 1_000_000 : 0}, ${current ? 2_000_000 : 1_000_000}) r(i)`;
    await conn.exec(`CREATE TABLE big_ref AS ${gen(false)}`);
    await conn.exec(`CREATE TABLE big_cur AS ${gen(true)}`);
    const report = await driftReport(
      runner(),
      input('big_ref', 'big_cur', { columns: COLUMNS.slice(0, 4), label: undefined, segments: [] }),
    );
    const byName = Object.fromEntries(report.columns.map((c) => [c.column, c]));
    expect(byName.shifted!.status).toBe('drift');
    expect(byName.shifted!.ks!.pValueMethod).toBe('asymptotic');
    expect(byName.channel!.status).toBe('drift');
    expect(byName.control_num!.status).toBe('no-drift');
    expect(byName.control_cat!.status).toBe('no-drift');
    // With a million rows the control's KS p-value can be anything; the distance decides.
    expect(byName.control_num!.wasserstein!.normalised).toBeLessThan(0.01);
    expect(byName.shifted!.nReference).toBe(1_000_000);
    // About 13 s alone on the 2-core machine; the bound leaves room for parallel test files.
    expect(Date.now() - started).toBeLessThan(60_000);
  }, 120_000);
});

describe('drift inside one history', () => {
  beforeAll(async () => {
    // 24 months; `amount` jumps from month 13, `stable` never moves; the label rate moves from month 19.
    await conn.exec(`CREATE TABLE history AS SELECT
        DATE '2024-01-01' + INTERVAL (i % 24) MONTH + INTERVAL (i % 27) DAY AS snapshot,
        round(${z(10)} + CASE WHEN i % 24 >= 12 THEN 1 ELSE 0 END, 2) AS amount,
        round(${z(20)}, 2) AS stable,
        CASE WHEN ${u(30)} < 0.5 THEN 'x' ELSE 'y' END AS kind,
        CASE WHEN ${u(40)} < (CASE WHEN i % 24 >= 18 THEN 0.45 ELSE 0.1 END) THEN 'Yes' ELSE 'No' END AS churned
      FROM range(24000) r(i)`);
  });

  it('computes monthly PSI against the first months and turns a moving column into a drift finding', async () => {
    const history = await driftHistory(runner(), {
      side: { table: 'history' },
      time: { column: 'snapshot', type: 'TIMESTAMP' },
      columns: [
        { name: 'snapshot', type: 'TIMESTAMP' },
        { name: 'amount', type: 'DOUBLE' },
        { name: 'stable', type: 'DOUBLE' },
        { name: 'kind', type: 'VARCHAR', family: 'categorical' },
      ],
      label: 'churned',
    });
    expect(history.months).toHaveLength(24);
    expect(history.referenceMonths).toEqual(['2024-01', '2024-02', '2024-03']);
    const cell = (column: string, month: string): number | null =>
      history.cells.find((c) => c.column === column && c.month === month)!.psi;
    expect(cell('amount', '2024-06')!).toBeLessThan(0.1);
    expect(cell('amount', '2025-06')!).toBeGreaterThan(0.25);
    expect(cell('stable', '2025-06')!).toBeLessThan(0.1);
    const summary = Object.fromEntries(history.columns.map((c) => [c.column, c]));
    expect(summary.amount!.major).toBe(12);
    expect(summary.stable!.major).toBe(0);
    expect(summary.kind!.major).toBe(0);
    expect(summary.churned!.major).toBe(6);

    const findings = historyFindings(history, 'ds1', 'history');
    expect(findings.map((f) => f.columns[0])).toEqual(['amount', 'churned']);
    for (const f of findings) expect(() => FindingSchema.parse(f)).not.toThrow();
    expect(findings[0]).toMatchObject({ area: 'drift', severity: 'major', check: 'drift-history' });
    expect(findings[0]!.evidence.worstPsi).toBeGreaterThan(0.25);
    // The PSI of a month is the pure PSI of its bucket counts against the reference window.
    const amountCells = history.cells.filter((c) => c.column === 'amount');
    expect(amountCells.every((c) => c.rows === 1000)).toBe(true);
    expect(psi([1, 1], [1, 1])).toBe(0);
  });
});

describe('two datasets whose schemas differ', () => {
  it('lists one-sided columns as not compared and compares a number-vs-text column as text', async () => {
    await conn.exec(
      `CREATE TABLE schema_ref AS SELECT i % 7 AS code, i % 5 AS kept, 'x' || (i % 3) AS old_only, CASE WHEN i % 5 = 0 THEN 'Yes' ELSE 'No' END AS y FROM range(500) r(i)`,
    );
    await conn.exec(
      `CREATE TABLE schema_cur AS SELECT CAST(i % 7 AS VARCHAR) AS code, i % 5 AS kept, i % 2 AS new_only, CASE WHEN i % 4 = 0 THEN 'Yes' ELSE 'No' END AS y FROM range(500) r(i)`,
    );
    const cols = async (t: string): Promise<{ name: string; type: string }[]> =>
      (await conn.query(`DESCRIBE ${t}`)).map((r) => ({
        name: String(r.column_name),
        type: String(r.column_type),
      }));
    const audit = newAudit('schemas', 'schemas');
    const ref = (id: string, file: string, columns: { name: string; type: string }[]): DatasetRef => ({
      id,
      fileName: file,
      format: 'csv',
      sizeBytes: 1,
      lastModified: 0,
      rowCount: 500,
      columns,
      fingerprint: file,
      loadedAt: '2026-11-01T00:00:00Z',
      warnings: [],
    });
    const doc = {
      ...audit,
      datasets: [
        ref('cur', 'cur.csv', await cols('schema_cur')),
        ref('ref', 'ref.csv', await cols('schema_ref')),
      ],
      roles: { cur: { target: 'y', segments: [], excluded: [] } },
    };
    const driftIn = driftInputFor(
      doc,
      { kind: 'datasets', currentDatasetId: 'cur', referenceDatasetId: 'ref' },
      {
        cur: 'schema_cur',
        ref: 'schema_ref',
      },
    );
    const report = await driftReport(runner(), driftIn);
    const byName = Object.fromEntries(report.columns.map((c) => [c.column, c]));
    expect(byName.new_only).toMatchObject({ status: 'skipped', reason: 'only in the current dataset' });
    expect(byName.old_only).toMatchObject({ status: 'skipped', reason: 'only in the reference dataset' });
    expect(byName.code).toMatchObject({ kind: 'categorical', status: 'no-drift' });
    expect(byName.kept!.kind).toBe('numeric');
    expect(report.label!.column).toBe('y');
  });
});

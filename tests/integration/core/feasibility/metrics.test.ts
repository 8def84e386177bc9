import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { engine, FIXTURES } from '../../../support/engine';
import type { Connector } from '../../../../src/lib/engine/connector';
import {
  binaryMetricsQuery,
  calibrationQuery,
  prAucBootstrapQuery,
  prCurveQuery,
  precisionAtRecallQuery,
  readBinaryMetrics,
  readCalibration,
  readCurve,
  readInterval,
  readPrAuc,
  readRegressionMetrics,
  regressionMetricsQuery,
  rocCurveQuery,
} from '../../../../src/lib/core/feasibility/metrics';
import { intervalFromVariance } from '../../../../src/lib/core/feasibility/intervals';
import type { CalibrationBin, CurvePoint } from '../../../../src/lib/core/model/feasibility';

interface BinaryReference {
  n: number;
  positives: number;
  auc: number;
  aucVariance: number;
  averagePrecision: number;
  brier: number;
  distinctScores: number;
  roc: [number, number][];
  pr: [number, number][];
  precisionAtRecall: Record<string, number>;
  calibration: CalibrationBin[];
  bootstrapAp: [number, number];
}

// Written by tests/fixtures/feasibility/make_metrics_reference.py (scikit-learn 1.2, numpy).
const DIR = join(FIXTURES, 'feasibility');
const reference = JSON.parse(readFileSync(join(DIR, 'metrics-reference.json'), 'utf8')) as {
  binary: Record<string, BinaryReference>;
  regression: Record<string, { n: number; r2: number; mae: number }>;
};
const MODELS = Object.keys(reference.binary);
// A hostile table name: every builder must quote it.
const BINARY = 'pred "binary"; --';
const REGRESSION = 'pred regression';
const REPLICATES = 200;
const SEED = 20211;

let conn: Connector;

async function loadPredictions(file: string, table: string): Promise<void> {
  await conn.registerBuffer(file, readFileSync(join(DIR, file)));
  await conn.exec(
    `CREATE TABLE "${table.replaceAll('"', '""')}" AS SELECT * FROM read_csv('${file}', header = true, ` +
      `columns = {'model': 'VARCHAR', 'rid': 'BIGINT', 'y': 'DOUBLE', 'p': 'DOUBLE'})`,
  );
}

beforeAll(async () => {
  conn = await engine();
  await loadPredictions('metrics-binary.csv', BINARY);
  await loadPredictions('metrics-regression.csv', REGRESSION);
}, 60_000);

afterAll(async () => {
  await conn.close();
});

/** Whether `point` is one of the reference curve's points. */
function onCurve(point: CurvePoint, curve: readonly [number, number][]): boolean {
  return curve.some(([x, y]) => Math.abs(x - point.x) < 1e-12 && Math.abs(y - point.y) < 1e-12);
}

describe('binary baseline metrics in SQL match scikit-learn', () => {
  it('computes AUC, its DeLong variance and the Brier score per model, ties counted as half', async () => {
    const metrics = readBinaryMetrics(await conn.query(binaryMetricsQuery(BINARY)));
    const rows = await conn.query(binaryMetricsQuery(BINARY));
    expect(metrics.map((m) => m.model).sort()).toEqual([...MODELS].sort());
    for (const m of metrics) {
      const ref = reference.binary[m.model]!;
      const row = rows.find((r) => r.model === m.model)!;
      expect(m.n).toBe(ref.n);
      expect(m.positives).toBe(ref.positives);
      expect(Math.abs(m.auc!.estimate - ref.auc)).toBeLessThan(1e-9);
      const variance = Number(row.auc_var);
      if (ref.aucVariance === 0) expect(Math.abs(variance)).toBeLessThan(1e-15);
      else expect(Math.abs(variance - ref.aucVariance) / ref.aucVariance).toBeLessThan(1e-9);
      expect(Math.abs(m.brier! - ref.brier)).toBeLessThan(1e-9);
      // The 95 % interval is read from that variance and clipped to [0, 1].
      expect(m.auc).toEqual(intervalFromVariance(m.auc!.estimate, variance, { lower: 0, upper: 1 }));
      expect(m.auc!.upper!).toBeLessThanOrEqual(1);
    }
    // The heavy-tie model exercises the mid-ranks: 5 distinct scores over 800 rows.
    expect(reference.binary['five-levels']!.distinctScores).toBe(5);
  });

  it('computes average precision exactly and a Poisson-bootstrap interval around it', async () => {
    for (const model of MODELS) {
      const ref = reference.binary[model]!;
      const rows = await conn.query(prAucBootstrapQuery(BINARY, model, REPLICATES, SEED));
      expect(rows).toHaveLength(1);
      expect(Math.abs(Number(rows[0]!.ap) - ref.averagePrecision)).toBeLessThan(1e-9);
      const ap = readPrAuc(rows)!;
      expect(Math.abs(ap.estimate - ref.averagePrecision)).toBeLessThan(1e-9);
      expect(ap.lower!).toBeLessThanOrEqual(ap.estimate + 1e-12);
      expect(ap.upper!).toBeGreaterThanOrEqual(ap.estimate - 1e-12);
      // Plausible: each end within a quarter of the width of numpy's own Poisson bootstrap (2,000 replicates).
      const [lower, upper] = ref.bootstrapAp;
      const slack = Math.max(0.25 * (upper - lower), 1e-9);
      expect(Math.abs(ap.lower! - lower)).toBeLessThan(slack);
      expect(Math.abs(ap.upper! - upper)).toBeLessThan(slack);
    }
  });

  it('draws the same bootstrap for the same seed and another for another seed', async () => {
    const once = readPrAuc(await conn.query(prAucBootstrapQuery(BINARY, 'rounded', 50, SEED)));
    const again = readPrAuc(await conn.query(prAucBootstrapQuery(BINARY, 'rounded', 50, SEED)));
    const other = readPrAuc(await conn.query(prAucBootstrapQuery(BINARY, 'rounded', 50, SEED + 1)));
    expect(again).toEqual(once);
    expect(other!.estimate).toBe(once!.estimate);
    expect(other!.lower).not.toBe(once!.lower);
  });

  it('bootstraps on coarse score levels without moving the interval', async () => {
    // 1,000 distinct scores: bootstrapped exactly by default, on 100 levels here.
    expect(reference.binary.continuous!.distinctScores).toBe(1000);
    const exact = readPrAuc(await conn.query(prAucBootstrapQuery(BINARY, 'continuous', REPLICATES, SEED)))!;
    const coarse = readPrAuc(
      await conn.query(prAucBootstrapQuery(BINARY, 'continuous', REPLICATES, SEED, 100)),
    )!;
    expect(coarse.estimate).toBe(exact.estimate);
    const width = exact.upper! - exact.lower!;
    expect(Math.abs(coarse.lower! - exact.lower!)).toBeLessThan(0.05 * width);
    expect(Math.abs(coarse.upper! - exact.upper!)).toBeLessThan(0.05 * width);
    const at = (levels?: number) =>
      precisionAtRecallQuery(BINARY, 'continuous', 0.8, REPLICATES, SEED, levels);
    const exactAt = readInterval(await conn.query(at()))!;
    const coarseAt = readInterval(await conn.query(at(100)))!;
    expect(coarseAt.estimate).toBe(exactAt.estimate);
    expect(Math.abs(coarseAt.lower! - exactAt.lower!)).toBeLessThan(0.1 * (exactAt.upper! - exactAt.lower!));
    expect(Math.abs(coarseAt.upper! - exactAt.upper!)).toBeLessThan(0.1 * (exactAt.upper! - exactAt.lower!));
  });

  it('reads the precision at the highest threshold reaching a recall, with its interval', async () => {
    for (const model of MODELS) {
      for (const [recall, precision] of Object.entries(reference.binary[model]!.precisionAtRecall)) {
        const sql = precisionAtRecallQuery(BINARY, model, Number(recall), REPLICATES, SEED);
        const interval = readInterval(await conn.query(sql))!;
        expect(Math.abs(interval.estimate - precision)).toBeLessThan(1e-12);
        expect(interval.lower!).toBeLessThanOrEqual(interval.estimate + 1e-12);
        expect(interval.upper!).toBeGreaterThanOrEqual(interval.estimate - 1e-12);
        if (model !== 'perfect') expect(interval.upper! - interval.lower!).toBeGreaterThan(0);
      }
    }
  });

  it('draws ROC curves through scikit-learn roc_curve points, from (0, 0) to (1, 1), within maxPoints', async () => {
    for (const model of MODELS) {
      const ref = reference.binary[model]!;
      const curve = readCurve(await conn.query(rocCurveQuery(BINARY, model, 20)));
      expect(curve.length).toBeLessThanOrEqual(20);
      expect(curve.length).toBeGreaterThanOrEqual(Math.min(20, ref.distinctScores + 1) - 1);
      expect(curve[0]).toEqual({ x: 0, y: 0 });
      expect(curve.at(-1)).toEqual({ x: 1, y: 1 });
      for (const point of curve)
        expect(onCurve(point, ref.roc), `${model} ${JSON.stringify(point)}`).toBe(true);
      for (let i = 1; i < curve.length; i++) {
        expect(curve[i]!.x).toBeGreaterThanOrEqual(curve[i - 1]!.x);
        expect(curve[i]!.y).toBeGreaterThanOrEqual(curve[i - 1]!.y);
      }
    }
    // Few distinct scores: the whole curve, point for point.
    const full = readCurve(await conn.query(rocCurveQuery(BINARY, 'five-levels', 50)));
    expect(full.map((p) => [p.x, p.y])).toEqual(reference.binary['five-levels']!.roc);
  });

  it('draws precision-recall curves through scikit-learn points, from (0, 1) to full recall', async () => {
    for (const model of MODELS) {
      const ref = reference.binary[model]!;
      const curve = readCurve(await conn.query(prCurveQuery(BINARY, model, 25)));
      expect(curve.length).toBeLessThanOrEqual(25);
      expect(curve[0]).toEqual({ x: 0, y: 1 });
      expect(curve.at(-1)!.x).toBe(1);
      for (const point of curve)
        expect(onCurve(point, ref.pr), `${model} ${JSON.stringify(point)}`).toBe(true);
    }
    // sklearn lists thresholds ascending, then (recall 0, precision 1); ours run from that point down.
    const full = readCurve(await conn.query(prCurveQuery(BINARY, 'five-levels', 50)));
    expect(full.map((p) => [p.x, p.y])).toEqual([...reference.binary['five-levels']!.pr].reverse());
  });

  it('bins predictions into equal-count calibration bins', async () => {
    for (const model of MODELS) {
      const bins = readCalibration(await conn.query(calibrationQuery(BINARY, model, 10)));
      expect(bins).toHaveLength(10);
      expect(bins.reduce((sum, b) => sum + b.rows, 0)).toBe(reference.binary[model]!.n);
      // Ties split by row id, as the reference sorts by (p, rid).
      reference.binary[model]!.calibration.forEach((ref, i) => {
        expect(bins[i]!.rows).toBe(ref.rows);
        expect(bins[i]!.predicted).toBeCloseTo(ref.predicted, 12);
        expect(bins[i]!.observed).toBeCloseTo(ref.observed, 12);
      });
    }
  });
});

describe('model names are data', () => {
  it('reads a model named after a hostile column as an ordinary string', async () => {
    const model = `drop:a'); DROP TABLE x; --"`;
    const table = 'pred hostile';
    await conn.exec(
      `CREATE TABLE "${table}" AS SELECT '${model.replaceAll("'", "''")}' AS model, rid, y, p FROM "${BINARY.replaceAll('"', '""')}" WHERE model = 'rounded'`,
    );
    const ref = reference.binary.rounded!;
    const ap = readPrAuc(await conn.query(prAucBootstrapQuery(table, model, 20, SEED)))!;
    expect(Math.abs(ap.estimate - ref.averagePrecision)).toBeLessThan(1e-9);
    const [metrics] = readBinaryMetrics(await conn.query(binaryMetricsQuery(table)));
    expect(metrics!.model).toBe(model);
    expect(readCurve(await conn.query(rocCurveQuery(table, model, 10))).at(-1)).toEqual({ x: 1, y: 1 });
    expect(readCalibration(await conn.query(calibrationQuery(table, model, 4)))).toHaveLength(4);
  });
});

describe('regression baseline metrics in SQL match scikit-learn', () => {
  it('computes R² as r2_score (0 for a constant target) and MAE as mean_absolute_error', async () => {
    const metrics = readRegressionMetrics(await conn.query(regressionMetricsQuery(REGRESSION)));
    expect(metrics.map((m) => m.model).sort()).toEqual(Object.keys(reference.regression).sort());
    for (const m of metrics) {
      const ref = reference.regression[m.model]!;
      expect(m.n).toBe(ref.n);
      expect(Math.abs(m.r2! - ref.r2)).toBeLessThan(1e-9);
      expect(Math.abs(m.mae! - ref.mae)).toBeLessThan(1e-9);
    }
    expect(metrics.find((m) => m.model === 'constant-target')!.r2).toBe(0);
    expect(metrics.find((m) => m.model === 'worse-than-mean')!.r2!).toBeLessThan(0);
  });
});

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { engine, FIXTURES, loadBytes } from '../../../support/engine';
import type { Connector } from '../../../../src/lib/engine/connector';
import {
  confidentLearningQuery,
  readConfidentLearning,
  readReviewSample,
  reviewSampleQuery,
  reviewSizes,
} from '../../../../src/lib/core/feasibility/label-noise';
import { KNN_MODEL, knnPredictionsStatement } from '../../../../src/lib/core/feasibility/knn';
import { ident } from '../../../../src/lib/core/sql/quote';
import { ReviewRowSchema } from '../../../../src/lib/core/model/feasibility';
import { FEASIBILITY_THRESHOLDS } from '../../../../src/lib/core/thresholds';
import { feasibilityAnalysis, feasibilityResult } from '../../../../src/lib/core/feasibility/analysis';
import { QueryRunner } from '../../../../src/lib/session/query-runner';
import { setupFor } from '../plan/plan-support';
import {
  SYNTHETIC_POSITIVE,
  SYNTHETIC_TARGET,
  flippedLabelsCsv,
} from '../../../fixtures/feasibility/synthetic';

interface NoiseReference {
  estimate: number;
  rows: number;
  joint: number[][];
}

// Written by tests/fixtures/feasibility/make_noise_reference.py (numpy port of cleanlab, scikit-learn 1.2).
const DIR = join(FIXTURES, 'feasibility');
const reference = JSON.parse(readFileSync(join(DIR, 'noise-reference.json'), 'utf8')) as {
  planted: NoiseReference & {
    flipShare: number;
    review: number[];
    reviewGiven: number[];
    reviewSizes: { rows: number; lower: number; upper: number }[];
  };
  knn: NoiseReference & { k: number; p: number[] };
};
// Hostile table names: every builder must quote them.
const PRED = 'pred "noise"; --';
const DESIGN = 'design "noise"';
const DESIGN_COLUMNS = ['__sz_x1', '__sz_x2', '__sz_x3', '__sz_x4', '__sz_x5'];
// Raw columns as the client named them; `y` and `__sz_review_p` collide with names the builders use.
const RAW = ['income', 'y', '__sz_review_p'];
const REPLICATES = 200;
const SEED = 20211;
const PLANTED_TOLERANCE = 0.04;

let conn: Connector;

async function estimateOf(model: string, seed = SEED) {
  return readConfidentLearning(await conn.query(confidentLearningQuery(PRED, model, REPLICATES, seed)));
}

async function knnRows(): Promise<Map<number, number>> {
  const rows = await conn.query(`SELECT rid, p FROM ${ident(PRED)} WHERE model = 'knn'`);
  return new Map(rows.map((r) => [Number(r.rid), Number(r.p)]));
}

beforeAll(async () => {
  conn = await engine();
  await conn.registerBuffer('noise-planted.csv', readFileSync(join(DIR, 'noise-planted.csv')));
  await conn.exec(`CREATE TABLE planted AS SELECT * FROM read_csv('noise-planted.csv', header = true,
    columns = {'rid': 'BIGINT', 'y': 'DOUBLE', 'flipped': 'INTEGER', 'p': 'DOUBLE',
      'x1': 'DOUBLE', 'x2': 'DOUBLE', 'x3': 'DOUBLE', 'x4': 'DOUBLE', 'x5': 'DOUBLE'})`);
  await conn.exec(`CREATE TABLE ${ident(PRED)} (model VARCHAR, rid BIGINT, y DOUBLE, p DOUBLE)`);
  await conn.exec(`INSERT INTO ${ident(PRED)} SELECT 'oof', rid, y, p FROM planted`);
  await conn.exec(`CREATE TABLE ${ident(DESIGN)} AS SELECT rid AS __sz_rid, y AS __sz_y, 'train' AS __sz_side,
    x1 AS __sz_x1, x2 AS __sz_x2, x3 AS __sz_x3, x4 AS __sz_x4, x5 AS __sz_x5,
    x1 * 1000 AS income, x2 AS y, x3 AS "__sz_review_p" FROM planted`);
}, 60_000);

afterAll(async () => {
  await conn.close();
});

describe('confident-learning label noise', () => {
  it('matches the numpy port of cleanlab’s calibrated confident joint', async () => {
    const noise = await estimateOf('oof');
    expect(noise).not.toBeNull();
    expect(noise!.rows).toBe(reference.planted.rows);
    expect(Math.abs(noise!.estimate - reference.planted.estimate)).toBeLessThan(1e-9);
  });

  it('lands within four points of 10 % planted flips, with an interval around it', async () => {
    const noise = (await estimateOf('oof'))!;
    expect(reference.planted.flipShare).toBe(0.1);
    expect(Math.abs(noise.estimate - reference.planted.flipShare)).toBeLessThanOrEqual(PLANTED_TOLERANCE);
    expect(noise.lower!).toBeLessThan(noise.estimate);
    expect(noise.upper!).toBeGreaterThan(noise.estimate);
    expect(noise.lower!).toBeLessThanOrEqual(reference.planted.flipShare);
    expect(noise.upper!).toBeGreaterThanOrEqual(reference.planted.flipShare);
    // A binomial share on 1,500 rows has a standard error near 0.8 points; the bootstrap should be of that order.
    expect(noise.upper! - noise.lower!).toBeGreaterThan(0.015);
    expect(noise.upper! - noise.lower!).toBeLessThan(0.08);
  });

  it('gives the same interval on a re-run and another with another seed', async () => {
    const first = (await estimateOf('oof'))!;
    const again = (await estimateOf('oof'))!;
    const other = (await estimateOf('oof', SEED + 1))!;
    expect(again).toEqual(first);
    expect(other.estimate).toBe(first.estimate);
    expect([other.lower, other.upper]).not.toEqual([first.lower, first.upper]);
  });

  it('bootstraps a subsample and scales its spread by √(m/n): the interval matches the full bootstrap’s', async () => {
    const full = (await estimateOf('oof'))!;
    const sub = readConfidentLearning(await conn.query(confidentLearningQuery(PRED, 'oof', 200, SEED, 500)))!;
    // The estimate is always on every row; the subsample only sets the spread.
    expect(sub.estimate).toBe(full.estimate);
    expect(sub.lower!).toBeLessThanOrEqual(sub.estimate);
    expect(sub.upper!).toBeGreaterThanOrEqual(sub.estimate);
    const width = (i: { lower: number | null; upper: number | null }) => i.upper! - i.lower!;
    expect(width(sub) / width(full)).toBeGreaterThan(0.6);
    expect(width(sub) / width(full)).toBeLessThan(1.6);
  });

  it('returns null for a model without rows, and no interval without replicates', async () => {
    expect(await estimateOf('naive-bayes')).toBeNull();
    const point = readConfidentLearning(await conn.query(confidentLearningQuery(PRED, 'oof', 0, SEED)))!;
    expect(Math.abs(point.estimate - reference.planted.estimate)).toBeLessThan(1e-9);
    expect(point.lower).toBeNull();
    expect(point.upper).toBeNull();
  });
});

describe('kNN label consistency', () => {
  it('matches scikit-learn’s NearestNeighbors shares, and the estimate from them', async () => {
    await conn.exec(`DELETE FROM ${ident(PRED)} WHERE model = 'knn'`);
    // 2,000 ≥ the table's 1,500 rows: every row is in the sample, and the distances are padded.
    await conn.exec(knnPredictionsStatement(DESIGN, PRED, DESIGN_COLUMNS, 2000, reference.knn.k, SEED));
    const shares = await knnRows();
    expect(shares.size).toBe(reference.knn.p.length);
    const worst = reference.knn.p.reduce(
      (m, p, i) => Math.max(m, Math.abs((shares.get(i + 1) ?? NaN) - p)),
      0,
    );
    expect(worst).toBeLessThan(1e-12);
    const noise = (await estimateOf(KNN_MODEL))!;
    expect(Math.abs(noise.estimate - reference.knn.estimate)).toBeLessThan(1e-9);
    // The second route lands near the planted 10 % too.
    expect(Math.abs(noise.estimate - reference.planted.flipShare)).toBeLessThanOrEqual(PLANTED_TOLERANCE);
  });

  it('samples the same rows on a re-run, each scored from its k nearest other sample rows', async () => {
    const run = async () => {
      await conn.exec(`DELETE FROM ${ident(PRED)} WHERE model = 'knn'`);
      await conn.exec(knnPredictionsStatement(DESIGN, PRED, DESIGN_COLUMNS, 300, 5, SEED));
      return knnRows();
    };
    const first = await run();
    expect(first.size).toBe(300);
    expect(await run()).toEqual(first);
    // Brute force on the sample the statement drew.
    const design = await conn.query(
      `SELECT __sz_rid AS rid, __sz_y AS y, ${DESIGN_COLUMNS.join(', ')} FROM ${ident(DESIGN)}`,
    );
    const sample = design.filter((r) => first.has(Number(r.rid)));
    const vector = (r: (typeof sample)[number]) => DESIGN_COLUMNS.map((c) => Number(r[c]));
    for (const row of sample.slice(0, 40)) {
      const nearest = sample
        .filter((o) => o.rid !== row.rid)
        .map((o) => ({
          y: Number(o.y),
          d: vector(o).reduce((s, v, j) => s + (v - (vector(row)[j] as number)) ** 2, 0),
        }))
        .sort((a, b) => a.d - b.d)
        .slice(0, 5);
      const share = nearest.filter((n) => n.y === 1).length / 5;
      expect(first.get(Number(row.rid))).toBeCloseTo(share, 12);
    }
  });

  it('counts every row tied at the k-th distance, so row order never decides', async () => {
    await conn.exec(`CREATE TABLE tied AS SELECT * FROM (VALUES
      (1, 1.0, 0.0), (2, 1.0, 0.0), (3, 0.0, 0.0), (4, 0.0, 0.0), (5, 0.0, 9.0), (6, 1.0, 9.5)
    ) AS t(__sz_rid, __sz_y, __sz_x1)`);
    await conn.exec(`CREATE TABLE tied_pred (model VARCHAR, rid BIGINT, y DOUBLE, p DOUBLE)`);
    await conn.exec(knnPredictionsStatement('tied', 'tied_pred', ['__sz_x1'], 100, 1, SEED));
    const rows = await conn.query(`SELECT rid, p FROM tied_pred ORDER BY rid`);
    const p = new Map(rows.map((r) => [Number(r.rid), Number(r.p)]));
    // Rows 1–4 coincide: each one's nearest are the three others, one or two of them labelled 1.
    expect(p.get(1)).toBeCloseTo(1 / 3, 12);
    expect(p.get(3)).toBeCloseTo(2 / 3, 12);
    expect(p.get(5)).toBe(1);
    expect(p.get(6)).toBe(0);
  });
});

describe('label-review sample', () => {
  it('lists the confident joint’s off-diagonal rows, least likely given label first, with raw values', async () => {
    const rows = await conn.query(reviewSampleQuery(PRED, DESIGN, 'oof', RAW, 20));
    const sample = readReviewSample(rows, RAW, (y) => (y === 1 ? 'yes' : 'no'));
    const raw = new Map(
      (await conn.query(`SELECT rid, x1, x2, x3, y FROM planted`)).map((r) => [Number(r.rid), r]),
    );
    expect(sample).toHaveLength(20);
    sample.forEach((row, i) => {
      const rid = reference.planted.review[i] as number;
      const source = raw.get(rid)!;
      expect(row.givenLabelProbability).toBeCloseTo(reference.planted.reviewGiven[i] as number, 12);
      expect(row.givenLabel).toBe(Number(source.y) === 1 ? 'yes' : 'no');
      expect(row.values).toEqual({
        income: Number(source.x1) * 1000,
        y: Number(source.x2),
        __sz_review_p: Number(source.x3),
      });
    });
  });

  it('returns raw values the document accepts, whatever their column type', async () => {
    // Two rows labelled against a confident baseline: rid 2 (p 0.05, labelled 1) and rid 3 (p 0.95, labelled 0).
    await conn.exec(`CREATE TABLE typed_pred AS SELECT * FROM (VALUES
      ('oof', 1, 1.0, 0.9), ('oof', 2, 1.0, 0.05), ('oof', 3, 0.0, 0.95), ('oof', 4, 0.0, 0.1), ('oof', 5, 1.0, 0.8),
      ('oof', 6, 0.0, 0.2)) AS t(model, rid, y, p)`);
    await conn.exec(`CREATE TABLE typed_design AS SELECT * FROM (VALUES
      (1, 10::BIGINT, DATE '2024-01-01', true, 'a'), (2, 20::BIGINT, DATE '2024-02-29', false, NULL),
      (3, 30::BIGINT, NULL, NULL, 'c'), (4, 40::BIGINT, DATE '2024-04-01', true, 'd'),
      (5, 50::BIGINT, DATE '2024-05-01', true, 'e'), (6, 60::BIGINT, DATE '2024-06-01', false, 'f')
    ) AS t(__sz_rid, visits, since, active, plan)`);
    const columns = ['visits', 'since', 'active', 'plan'];
    const rows = await conn.query(reviewSampleQuery('typed_pred', 'typed_design', 'oof', columns, 10));
    const sample = readReviewSample(rows, columns, (y) => (y === 1 ? 'yes' : 'no'));
    expect(sample.map((r) => r.givenLabel)).toEqual(['yes', 'no']);
    // Tied at 0.05: the lower row id first.
    sample.forEach((r) => expect(r.givenLabelProbability).toBeCloseTo(0.05, 12));
    expect(sample[0]!.values).toMatchObject({ visits: 20, active: false, plan: null });
    expect(String(sample[0]!.values.since)).toMatch(/^2024-02-29/);
    expect(sample[1]!.values).toMatchObject({ visits: 30, since: null, active: null, plan: 'c' });
    sample.forEach((row) => expect(ReviewRowSchema.safeParse(row).success).toBe(true));
  });

  it('sizes a hand review with the Wilson interval it would give', () => {
    const sizes = reviewSizes(reference.planted.estimate, [100, 200]);
    expect(sizes).toHaveLength(2);
    sizes.forEach((size, i) => {
      const expected = reference.planted.reviewSizes[i]!;
      expect(size.rows).toBe(expected.rows);
      expect(size.lower).toBeCloseTo(expected.lower, 12);
      expect(size.upper).toBeCloseTo(expected.upper, 12);
    });
  });
});

describe('label noise through the feasibility analysis', () => {
  it('estimates 10 % planted flips within four points, by confident learning and by kNN', async () => {
    const loaded = await loadBytes(conn, 'flipped.csv', flippedLabelsCsv(4000, 0.1, 5));
    const setup = await setupFor(
      conn,
      loaded.tableName,
      loaded.columns,
      { target: SYNTHETIC_TARGET },
      { task: 'binary', positiveClass: SYNTHETIC_POSITIVE },
    );
    const state = await new QueryRunner(conn).run(
      feasibilityAnalysis({ setup, findings: [], computedAt: '2026-12-04T00:00:00Z' }),
      {},
    );
    const noise = feasibilityResult(state).labelNoise!;
    // Measured: 0.101 (0.090–0.111); kNN on its sample of knnSampleRows rows.
    expect(Math.abs(noise.estimate - 0.1)).toBeLessThanOrEqual(PLANTED_TOLERANCE);
    expect(noise.lower!).toBeLessThanOrEqual(0.1);
    expect(noise.upper!).toBeGreaterThanOrEqual(0.1);
    expect(noise.knn!.sampleRows).toBe(FEASIBILITY_THRESHOLDS.knnSampleRows);
    expect(Math.abs(noise.knn!.estimate - 0.1)).toBeLessThanOrEqual(PLANTED_TOLERANCE);
    expect(noise.reviewSample.length).toBeGreaterThan(0);
  }, 120_000);
});

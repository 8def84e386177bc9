import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { engine, FIXTURES } from '../../../support/engine';
import type { Connector } from '../../../../src/lib/engine/connector';
import { ident, str } from '../../../../src/lib/core/sql/quote';
import {
  NAIVE_BAYES_MODEL,
  naiveBayesCountsQuery,
  naiveBayesCutsQuery,
  naiveBayesScoreStatement,
  readNaiveBayesCounts,
  readNaiveBayesCuts,
  type NaiveBayesFeature,
} from '../../../../src/lib/core/feasibility/naive-bayes';

// Written by tests/fixtures/feasibility/make_nb_reference.py (scikit-learn 1.2 CategoricalNB, numpy).
const DIR = join(FIXTURES, 'feasibility');
const reference = JSON.parse(readFileSync(join(DIR, 'nb-reference.json'), 'utf8')) as {
  features: NaiveBayesFeature[];
  cuts: number[][];
  counts: [number, number][][];
  classCounts: [number, number];
  predictions: Record<string, number>;
};
const features = reference.features;
// Hostile table names: every builder must quote them.
const DESIGN = 'design "nb"; --';
const PRED = "pred 'nb'";

let conn: Connector;

beforeAll(async () => {
  conn = await engine();
  await conn.registerBuffer('nb-design.csv', readFileSync(join(DIR, 'nb-design.csv')));
  const types = [
    [`__sz_rid`, 'BIGINT'],
    [`__sz_y`, 'DOUBLE'],
    [`__sz_side`, 'VARCHAR'],
    ...features.map((f) => [f.column, f.kind === 'numeric' ? 'DOUBLE' : 'VARCHAR']),
  ]
    .map(([name, type]) => `${str(name!)}: ${str(type!)}`)
    .join(', ');
  await conn.exec(
    `CREATE TABLE ${ident(DESIGN)} AS SELECT * FROM read_csv('nb-design.csv', header = true, columns = {${types}})`,
  );
  await conn.exec(`CREATE TABLE ${ident(PRED)} (model VARCHAR, rid BIGINT, y DOUBLE, p DOUBLE)`);
}, 60_000);

afterAll(async () => {
  await conn.close();
});

describe('naive Bayes on binned raw features matches scikit-learn CategoricalNB(alpha=1)', () => {
  it('cuts numeric features at the distinct train-side deciles (inverted CDF, exact ranks)', async () => {
    const cuts = readNaiveBayesCuts(await conn.query(naiveBayesCutsQuery(DESIGN, features)), features);
    expect(cuts).toEqual(reference.cuts);
    // The integer feature's nine deciles collapse to fewer distinct cuts.
    expect(cuts[1]!.length).toBeLessThan(9);
  });

  it('counts every feature bin per class in one train-side statement', async () => {
    const cuts = readNaiveBayesCuts(await conn.query(naiveBayesCutsQuery(DESIGN, features)), features);
    const counts = readNaiveBayesCounts(
      await conn.query(naiveBayesCountsQuery(DESIGN, features, cuts)),
      features,
      cuts,
    );
    expect([counts.negatives, counts.positives]).toEqual(reference.classCounts);
    expect(counts.bins.map((b) => b.negatives.map((n, j) => [n, b.positives[j]]))).toEqual(reference.counts);
  });

  it('inserts the posterior of y = 1 for every test row, each within 1e-9 of predict_proba', async () => {
    const cuts = readNaiveBayesCuts(await conn.query(naiveBayesCutsQuery(DESIGN, features)), features);
    const counts = readNaiveBayesCounts(
      await conn.query(naiveBayesCountsQuery(DESIGN, features, cuts)),
      features,
      cuts,
    );
    await conn.exec(naiveBayesScoreStatement(DESIGN, PRED, NAIVE_BAYES_MODEL, features, cuts, counts));
    const rows = await conn.query(`SELECT model, rid, y, p FROM ${ident(PRED)} ORDER BY rid`);
    const expected = Object.entries(reference.predictions);
    expect(rows).toHaveLength(expected.length);
    expect(new Set(rows.map((r) => r.model))).toEqual(new Set([NAIVE_BAYES_MODEL]));
    let maxDiff = 0;
    for (const row of rows) {
      const want = reference.predictions[String(row.rid)];
      expect(want).toBeDefined();
      maxDiff = Math.max(maxDiff, Math.abs(Number(row.p) - want!));
    }
    expect(maxDiff).toBeLessThan(1e-9);
    // The labels travel with the predictions.
    const labelled = await conn.query(
      `SELECT count(*) AS n FROM ${ident(PRED)} AS p JOIN ${ident(DESIGN)} AS d ON d.__sz_rid = p.rid WHERE d.__sz_y = p.y AND d.__sz_side = 'test'`,
    );
    expect(labelled[0]!.n).toBe(expected.length);
  });

  it('scores the same when raw columns are named like its own aliases (y, z, rid, b0)', async () => {
    const renamed = ['y', 'z', 'rid', 'b0', 'n'];
    const aliased = features.map((f, i) => ({ ...f, column: renamed[i]! }));
    const table = 'design aliased';
    const pred = 'pred aliased';
    await conn.exec(
      `CREATE TABLE ${ident(table)} AS SELECT __sz_rid, __sz_y, __sz_side, ${features
        .map((f, i) => `${ident(f.column)} AS ${ident(renamed[i]!)}`)
        .join(', ')} FROM ${ident(DESIGN)}`,
    );
    await conn.exec(`CREATE TABLE ${ident(pred)} (model VARCHAR, rid BIGINT, y DOUBLE, p DOUBLE)`);
    const cuts = readNaiveBayesCuts(await conn.query(naiveBayesCutsQuery(table, aliased)), aliased);
    const counts = readNaiveBayesCounts(
      await conn.query(naiveBayesCountsQuery(table, aliased, cuts)),
      aliased,
      cuts,
    );
    await conn.exec(naiveBayesScoreStatement(table, pred, NAIVE_BAYES_MODEL, aliased, cuts, counts));
    const rows = await conn.query(`SELECT rid, p FROM ${ident(pred)}`);
    expect(rows).toHaveLength(Object.keys(reference.predictions).length);
    for (const row of rows) expect(Number(row.p)).toBeCloseTo(reference.predictions[String(row.rid)]!, 12);
  });

  it('falls back to the train prior when no feature is given', async () => {
    const pred = 'pred prior';
    await conn.exec(`CREATE TABLE ${ident(pred)} (model VARCHAR, rid BIGINT, y DOUBLE, p DOUBLE)`);
    const cuts = readNaiveBayesCuts(await conn.query(naiveBayesCutsQuery(DESIGN, [])), []);
    const counts = readNaiveBayesCounts(await conn.query(naiveBayesCountsQuery(DESIGN, [], cuts)), [], cuts);
    await conn.exec(naiveBayesScoreStatement(DESIGN, pred, NAIVE_BAYES_MODEL, [], cuts, counts));
    const [negatives, positives] = reference.classCounts;
    const rows = await conn.query(`SELECT min(p) AS lo, max(p) AS hi, count(*) AS n FROM ${ident(pred)}`);
    expect(rows[0]!.n).toBe(Object.keys(reference.predictions).length);
    expect(Number(rows[0]!.lo)).toBeCloseTo(positives / (positives + negatives), 12);
    expect(Number(rows[0]!.hi)).toBeCloseTo(positives / (positives + negatives), 12);
  });
});

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { engine, loadBytes } from '../../../support/engine';
import type { Connector } from '../../../../src/lib/engine/connector';
import { QueryRunner } from '../../../../src/lib/session/query-runner';
import { feasibilityAnalysis, feasibilityResult } from '../../../../src/lib/core/feasibility/analysis';
import type { FeasibilityState } from '../../../../src/lib/core/feasibility/state';
import type { ColumnRoles, ProjectContext } from '../../../../src/lib/core/model/audit';
import { FeasibilitySchema } from '../../../../src/lib/core/model/feasibility';
import { setupFor } from '../plan/plan-support';
import {
  LEAKED_COLUMN,
  SYNTHETIC_POSITIVE,
  SYNTHETIC_REGRESSION_TARGET,
  SYNTHETIC_TARGET,
  flippedLabelsCsv,
  leakedColumnCsv,
  learnableBinaryCsv,
  manyWeakFeaturesCsv,
  pureNoiseCsv,
  regressionCsv,
} from '../../../fixtures/feasibility/synthetic';

let conn: Connector;
beforeAll(async () => {
  conn = await engine();
}, 60_000);
afterAll(async () => {
  await conn.close();
});

async function run(
  name: string,
  csv: string,
  roles: Partial<ColumnRoles>,
  context: Partial<ProjectContext>,
): Promise<FeasibilityState> {
  const loaded = await loadBytes(conn, name, csv);
  const setup = await setupFor(conn, loaded.tableName, loaded.columns, roles, context);
  const analysis = feasibilityAnalysis({ setup, findings: [], computedAt: '2026-12-04T00:00:00Z' });
  return new QueryRunner(conn).run(analysis, {});
}

const binary = { task: 'binary' as const, positiveClass: SYNTHETIC_POSITIVE };

describe('feasibility analysis on planted tables', () => {
  it('finds no signal in pure-noise labels: the AUC interval covers 0.5', async () => {
    const state = await run('noise.csv', pureNoiseCsv(3000, 7), { target: SYNTHETIC_TARGET }, binary);
    const result = feasibilityResult(state);
    const auc = result.baselines.find((b) => b.model === 'logistic')!.auc!;
    expect(auc.lower!).toBeLessThanOrEqual(0.5);
    expect(auc.upper!).toBeGreaterThanOrEqual(0.5);
    expect(result.baselines[0]!.split.design).toBe('random');
    expect(result.dropColumn).toEqual([]);
    // The findings' SQL reproduces the split the scores stand on: the rows and positives per side.
    const sides = await conn.query(result.splitSql!);
    const logistic = result.baselines.find((b) => b.model === 'logistic')!;
    const side = (name: string) => sides.find((r) => r.side === name)!;
    expect(Number(side('test').rows)).toBe(logistic.n.test);
    expect(Number(side('test').positives)).toBe(logistic.positives!.test);
    expect(Number(side('train').rows)).toBe(logistic.n.train);
    expect(Number(side('train').positives)).toBe(logistic.positives!.train);
    // The document's schema accepts the result (with the session's band).
    expect(FeasibilitySchema.safeParse({ ...result, band: 'B', bandReason: 'x' }).success).toBe(true);
  }, 120_000);

  it('confirms a leaked column: AUC ≥ 0.98 and drop-column importance names it', async () => {
    const state = await run('leak.csv', leakedColumnCsv(3000, 11), { target: SYNTHETIC_TARGET }, binary);
    const result = feasibilityResult(state);
    const auc = result.baselines.find((b) => b.model === 'logistic')!.auc!;
    expect(auc.estimate).toBeGreaterThanOrEqual(0.98);
    const top = [...result.dropColumn].sort((a, b) => b.drop - a.drop)[0]!;
    expect(top.column).toBe(LEAKED_COLUMN);
    expect(top.drop).toBeGreaterThan(0.1);
  }, 120_000);

  it('estimates 10 % flipped labels within four points from the out-of-fold predictions', async () => {
    const state = await run(
      'flips.csv',
      flippedLabelsCsv(4000, 0.1, 4),
      { target: SYNTHETIC_TARGET },
      binary,
    );
    const noise = feasibilityResult(state).labelNoise!;
    expect(Math.abs(noise.estimate - 0.1)).toBeLessThanOrEqual(0.04);
    expect(noise.lower!).toBeLessThanOrEqual(noise.estimate);
    expect(noise.upper!).toBeGreaterThanOrEqual(noise.estimate);
    expect(noise.reviewSample.length).toBeGreaterThan(0);
  }, 120_000);

  it('learns a learnable table with a group split by ID, five curve points and out-of-fold noise', async () => {
    const state = await run(
      'learnable.csv',
      learnableBinaryCsv(3000, 3),
      { target: SYNTHETIC_TARGET, id: 'customer_id' },
      binary,
    );
    const result = feasibilityResult(state);
    const logistic = result.baselines.find((b) => b.model === 'logistic')!;
    expect(logistic.split).toEqual({ design: 'group', column: 'customer_id', cut: null });
    expect(logistic.auc!.lower!).toBeGreaterThan(0.6);
    expect(result.excluded).toContainEqual({ column: 'customer_id', reason: 'ID role' });
    const rows = result.learningCurve.map((p) => p.rows);
    [0.1, 0.2, 0.4, 0.7, 1].forEach((f, i) =>
      expect(Math.abs(rows[i]! - f * result.sample.trainRows)).toBeLessThanOrEqual(1),
    );
    // Every design row gets exactly one out-of-fold probability.
    expect(result.labelNoise?.rows).toBe(result.sample.trainRows + result.sample.testRows);
  }, 120_000);

  it('reads a rising learning curve where many weak features meet few rows, a flat one where the signal is learnt', async () => {
    const rising = feasibilityResult(
      await run('weak.csv', manyWeakFeaturesCsv(1500, 4, 50, 0.1), { target: SYNTHETIC_TARGET }, binary),
    );
    expect(rising.learningFit?.trend).toBe('rising');
    expect(rising.learningFit!.doublingGain.lower!).toBeGreaterThan(0.01);
    const flat = feasibilityResult(
      await run('flat.csv', flippedLabelsCsv(800, 0.05, 5), { target: SYNTHETIC_TARGET }, binary),
    );
    expect(flat.learningFit?.trend).toBe('flat');
  }, 120_000);

  it('fits ridge on a regression table and reports R² with its learning curve', async () => {
    const state = await run(
      'reg.csv',
      regressionCsv(3000, 5),
      { target: SYNTHETIC_REGRESSION_TARGET },
      {
        task: 'regression',
      },
    );
    const result = feasibilityResult(state);
    const ridge = result.baselines.find((b) => b.model === 'ridge')!;
    expect(ridge.r2!).toBeGreaterThan(0.5);
    expect(result.labelNoise).toBeNull();
    expect(result.learningCurve.length).toBe(5);
  }, 120_000);

  it('reports not-run with the engine’s reason when an essential statement fails, without throwing', async () => {
    const loaded = await loadBytes(conn, 'fails.csv', learnableBinaryCsv(500, 12));
    const setup = await setupFor(
      conn,
      loaded.tableName,
      loaded.columns,
      { target: SYNTHETIC_TARGET },
      binary,
    );
    const failing = {
      query: (sql: string) => conn.query(sql),
      exec: (sql: string) =>
        sql.includes('"__sz_feas_design" AS') ? Promise.reject(new Error('planted failure')) : conn.exec(sql),
      cancel: () => conn.cancel(),
    };
    const analysis = feasibilityAnalysis({ setup, findings: [], computedAt: '2026-12-04T00:00:00Z' });
    const result = feasibilityResult(await new QueryRunner(failing).run(analysis, {}));
    expect(result.status).toBe('not-run');
    expect(result.reason).toMatch(/could not be computed/);
    expect(result.task).toBe('binary');
  }, 60_000);

  it('does not run on a multiclass target, and says why', async () => {
    const csv = learnableBinaryCsv(300, 9).replace(/,no\n/g, ',maybe\n');
    const state = await run(
      'multi.csv',
      csv.replace(/,yes\n/, ',no\n'),
      { target: SYNTHETIC_TARGET },
      {
        task: 'multiclass',
      },
    );
    const result = feasibilityResult(state);
    expect(result.status).toBe('not-run');
    expect(result.task).toBe('multiclass');
    expect(result.reason).toMatch(/multiclass/i);
  }, 60_000);
});

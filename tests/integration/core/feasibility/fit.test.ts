import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { engine, loadBytes } from '../../../support/engine';
import type { Connector } from '../../../../src/lib/engine/connector';
import { QueryRunner } from '../../../../src/lib/session/query-runner';
import { feasibilityAnalysis, feasibilityResult } from '../../../../src/lib/core/feasibility/analysis';
import type { FeasibilityState } from '../../../../src/lib/core/feasibility/state';
import type { ColumnRoles, ProjectContext } from '../../../../src/lib/core/model/audit';
import { setupFor } from '../plan/plan-support';

const FIXTURES = join(__dirname, '../../../fixtures/feasibility');
interface Reference {
  target: string;
  cut: string;
  trainRows: number;
  testRows: number;
  intercept: number;
  coefficients: Record<string, number>;
  auc?: number;
  newtonCgIntercept?: number;
  newtonCgCoefficients?: Record<string, number>;
  r2?: number;
  mae?: number;
}
const reference = JSON.parse(readFileSync(join(FIXTURES, 'baseline-reference.json'), 'utf8')) as Record<
  'binary' | 'regression',
  Reference
>;

let conn: Connector;
beforeAll(async () => {
  conn = await engine();
}, 60_000);
afterAll(async () => {
  await conn.close();
});

/** Load a CSV and run the feasibility analysis on it through a real runner. */
async function runFeasibility(
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

const key = (c: { feature: string; kind: string; level?: string }): string =>
  `${c.feature}|${c.kind}|${c.level ?? ''}`;

describe('feasibility baselines against scikit-learn', () => {
  it('fits LogisticRegression(C=1) coefficients within 1e-4 and its held-out AUC within 1e-6', async () => {
    const ref = reference.binary;
    const csv = readFileSync(join(FIXTURES, 'baseline-binary.csv'), 'utf8');
    const state = await runFeasibility(
      'baseline-binary.csv',
      csv,
      { target: 'churned', eventTime: 'signup_date' },
      {
        task: 'binary',
        positiveClass: 'yes',
      },
    );
    const result = feasibilityResult(state);
    expect(result.status).toBe('done');
    expect(state.stats?.trainRows).toBe(ref.trainRows);
    expect(state.stats?.testRows).toBe(ref.testRows);
    const model = state.models!.find((m) => m.name === 'logistic')!;
    expect(model.converged).toBe(true);
    const ours = Object.fromEntries((state.columns ?? []).map((c, j) => [key(c), model.coef[j + 1]!]));
    expect(Object.keys(ours).sort()).toEqual(Object.keys(ref.coefficients).sort());
    let maxDiff = Math.abs(model.coef[0]! - ref.intercept);
    for (const [k, v] of Object.entries(ref.coefficients))
      maxDiff = Math.max(maxDiff, Math.abs(ours[k]! - v));
    console.info(`logistic: max |coef - sklearn| = ${maxDiff.toExponential(2)}`);
    expect(maxDiff).toBeLessThan(1e-4);
    // Newton-CG run to its end is the optimum itself: the engine's Newton lands on it.
    let exactDiff = Math.abs(model.coef[0]! - ref.newtonCgIntercept!);
    for (const [k, v] of Object.entries(ref.newtonCgCoefficients!))
      exactDiff = Math.max(exactDiff, Math.abs(ours[k]! - v));
    console.info(`logistic: max |coef - sklearn newton-cg| = ${exactDiff.toExponential(2)}`);
    expect(exactDiff).toBeLessThan(1e-6);
    const baseline = result.baselines.find((b) => b.model === 'logistic')!;
    console.info(
      `logistic: |AUC - sklearn| = ${Math.abs(baseline.auc!.estimate - ref.auc!).toExponential(2)}`,
    );
    expect(Math.abs(baseline.auc!.estimate - ref.auc!)).toBeLessThan(1e-6);
    expect(baseline.split).toEqual({
      design: 'time',
      column: 'signup_date',
      cut: expect.stringContaining(ref.cut),
    });
    expect(result.learningCurve.length).toBe(5);
  }, 120_000);

  it('fits Ridge(alpha=1) coefficients within 1e-4 and its held-out R² within 1e-6', async () => {
    const ref = reference.regression;
    const csv = readFileSync(join(FIXTURES, 'baseline-regression.csv'), 'utf8');
    const state = await runFeasibility(
      'baseline-regression.csv',
      csv,
      { target: 'annual_value', eventTime: 'signup_date' },
      { task: 'regression' },
    );
    const result = feasibilityResult(state);
    expect(result.status).toBe('done');
    const model = state.models!.find((m) => m.name === 'ridge')!;
    const ours = Object.fromEntries((state.columns ?? []).map((c, j) => [key(c), model.coef[j + 1]!]));
    let maxDiff = Math.abs(model.coef[0]! - ref.intercept);
    for (const [k, v] of Object.entries(ref.coefficients))
      maxDiff = Math.max(maxDiff, Math.abs(ours[k]! - v));
    console.info(`ridge: max |coef - sklearn| = ${maxDiff.toExponential(2)}`);
    expect(maxDiff).toBeLessThan(1e-4);
    const baseline = result.baselines.find((b) => b.model === 'ridge')!;
    expect(Math.abs(baseline.r2! - ref.r2!)).toBeLessThan(1e-6);
    expect(Math.abs(baseline.mae! - ref.mae!)).toBeLessThan(1e-6);
  }, 120_000);
});

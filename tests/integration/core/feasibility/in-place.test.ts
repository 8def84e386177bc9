import { describe, expect, it } from 'vitest';
import { useEngine, loadBytes } from '../../../support/engine';
import { differences } from '../../../support/document-diff';
import { QueryRunner } from '../../../../src/lib/session/query-runner';
import { feasibilityAnalysis, feasibilityResult } from '../../../../src/lib/core/feasibility/analysis';
import type { ColumnRoles, ProjectContext } from '../../../../src/lib/core/model/audit';
import type { FeasibilityResult } from '../../../../src/lib/core/model/feasibility';
import { setupFor } from '../plan/plan-support';
import {
  SYNTHETIC_POSITIVE,
  SYNTHETIC_REGRESSION_TARGET,
  SYNTHETIC_TARGET,
  leakedColumnCsv,
  learnableBinaryCsv,
  regressionCsv,
} from '../../../fixtures/feasibility/synthetic';

/**
 * The baselines in place (issue 24: no table on a read-only ClickHouse server)
 * give the temporary tables' result on DuckDB-WASM: the rows, design and
 * predictions, recomputed as CTEs of each statement, are the same rows.
 */

const conn = useEngine();

/** Numbers computed the same way on the same rows: equal but for summation order. */
const SAME_ROWS_TOLERANCE = 1e-9;

async function both(
  name: string,
  csv: string,
  roles: Partial<ColumnRoles>,
  context: Partial<ProjectContext>,
): Promise<{ tables: FeasibilityResult; inPlace: FeasibilityResult; sent: string[] }> {
  const loaded = await loadBytes(conn, name, csv);
  const setup = await setupFor(conn, loaded.tableName, loaded.columns, roles, context);
  const input = { setup, findings: [], computedAt: '2026-12-04T00:00:00Z' };
  const tables = feasibilityResult(
    await new QueryRunner(conn).run(feasibilityAnalysis({ ...input, inPlace: false }), {}),
  );
  const sent: string[] = [];
  const recording = {
    query: (sql: string) => {
      sent.push(sql);
      return conn.query(sql);
    },
    exec: (sql: string) => {
      sent.push(sql);
      return conn.exec(sql);
    },
    cancel: () => conn.cancel(),
  };
  const inPlace = feasibilityResult(
    await new QueryRunner(recording).run(feasibilityAnalysis({ ...input, inPlace: true }), {}),
  );
  return { tables, inPlace, sent };
}

const binary = { task: 'binary' as const, positiveClass: SYNTHETIC_POSITIVE };
const WRITES = /^\s*(CREATE|INSERT|DROP)\b/i;

describe('feasibility in place, without temporary tables', () => {
  it('gives the temporary tables’ result on a group split: models, kNN, naive Bayes, noise and curve', async () => {
    const { tables, inPlace, sent } = await both(
      'learnable-in-place.csv',
      learnableBinaryCsv(2500, 3),
      { target: SYNTHETIC_TARGET, id: 'customer_id' },
      binary,
    );
    expect(sent.filter((sql) => WRITES.test(sql))).toEqual([]);
    expect(sent.some((sql) => sql.includes('"__sz_feas_pred" AS MATERIALIZED'))).toBe(true);
    expect(tables.status).toBe('done');
    expect(tables.baselines.map((b) => b.model).sort()).toEqual(['logistic', 'naive-bayes']);
    expect(tables.labelNoise?.knn).toBeTruthy();
    expect(differences(tables, inPlace, () => SAME_ROWS_TOLERANCE)).toEqual([]);
  }, 180_000);

  it('gives the same drop-column importance on a leaked column, on a time split', async () => {
    const { tables, inPlace } = await both(
      'leak-in-place.csv',
      leakedColumnCsv(2000, 11, { time: true }),
      { target: SYNTHETIC_TARGET, eventTime: 'signup_date' },
      binary,
    );
    expect(tables.dropColumn.length).toBeGreaterThan(0);
    expect(tables.baselines[0]!.split.design).toBe('time');
    expect(differences(tables, inPlace, () => SAME_ROWS_TOLERANCE)).toEqual([]);
  }, 180_000);

  it('gives the same ridge regression', async () => {
    const { tables, inPlace } = await both(
      'reg-in-place.csv',
      regressionCsv(2000, 5),
      { target: SYNTHETIC_REGRESSION_TARGET },
      { task: 'regression' },
    );
    expect(tables.baselines.find((b) => b.model === 'ridge')?.r2).toBeGreaterThan(0.5);
    expect(differences(tables, inPlace, () => SAME_ROWS_TOLERANCE)).toEqual([]);
  }, 180_000);
});

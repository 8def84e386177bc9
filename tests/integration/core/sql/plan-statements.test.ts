import { describe, expect, it } from 'vitest';
import { join } from 'node:path';
import { useEngine, loadFile, ROOT } from '../../../support/engine';
import { planQueries, planStatements, type PlanComputeInput } from '../../../../src/lib/core/plan/compute';
import { MetricPlanSchema } from '../../../../src/lib/core/model/plan';
import { exampleChurnPlan } from '../../../../src/lib/core/plan/summary';
import { timeSplitQuery } from '../../../../src/lib/core/sql/plan';
import { numericRuleBucketsQuery } from '../../../../src/lib/core/sql/plan-rules';
import { QueryRunner } from '../../../../src/lib/session/query-runner';
import { num } from '../../../../src/lib/core/sql/quote';
import type { QueryResults } from '../../../../src/lib/core/readiness/types';
import { setupFor } from '../plan/plan-support';

const conn = useEngine();

/** Every result key of the plan, from the statements as run and from each standalone query. */
async function bothWays(input: PlanComputeInput): Promise<{ run: QueryResults; alone: QueryResults }> {
  const stage = {
    id: 'baselines',
    label: 'Baselines',
    queries: () => planStatements(input),
    resolve: (_: QueryResults, r: QueryResults) => r,
  };
  const run = await new QueryRunner(conn).run({ name: 'plan', stages: [stage] }, {});
  const alone: QueryResults = {};
  for (const [key, sql] of Object.entries(planQueries(input))) alone[key] = await conn.query(sql);
  return { run, alone };
}

describe('plan statements as run', () => {
  it('fuse the one-row statements and give what each finding’s standalone query gives', async () => {
    const loaded = await loadFile(conn, join(ROOT, 'public/demo/customer-churn.csv'));
    const setup = await setupFor(
      conn,
      loaded.tableName,
      loaded.columns,
      { target: 'churned', id: 'customer_id', eventTime: 'snapshot_date' },
      { positiveClass: 'Yes' },
    );
    // With a value column, so the totals and rule searches sum it over positives.
    const example = exampleChurnPlan();
    const plan = { ...example, costs: { ...example.costs, valueColumn: 'monthly_fee' } };
    const input = { setup, plan, computedAt: '' };
    const statements = planStatements(input);
    const fused = Object.keys(statements).filter((key) => statements[key]!.oneRow);
    expect(fused).toEqual(['periods', 'totals', 'split']);
    expect(Object.keys(statements).sort()).toEqual(Object.keys(planQueries(input)).sort());
    const { run, alone } = await bothWays(input);
    expect(run).toEqual(alone);
    expect(Number(run.split![0]!.validation_rows)).toBeGreaterThan(0);
    expect(Number(run.totals![0]!.positive_value)).toBeGreaterThan(0);
  }, 60_000);

  it('fuse the regression baselines and give what their standalone queries give', async () => {
    await conn.exec(`CREATE TABLE spend AS SELECT range % 40 AS id, TIMESTAMP '2025-01-01' + INTERVAL (range % 300) DAY AS ts,
      CASE WHEN range % 9 = 0 THEN 0 ELSE (hash(range) % 1000) / 10.0 END AS y FROM range(3000)`);
    const setup = await setupFor(
      conn,
      'spend',
      [
        { name: 'id', type: 'BIGINT' },
        { name: 'ts', type: 'TIMESTAMP' },
        { name: 'y', type: 'DOUBLE' },
      ],
      { target: 'y', id: 'id', eventTime: 'ts' },
      { task: 'regression' },
    );
    const input = { setup, computedAt: '' };
    const statements = planStatements(input);
    expect(Object.keys(statements).filter((key) => statements[key]!.oneRow)).toEqual([
      'periods',
      'regression',
      'lastValue',
      'split',
    ]);
    const { run, alone } = await bothWays(input);
    expect(run).toEqual(alone);
    expect(Number(run.lastValue![0]!.n)).toBeGreaterThan(0);
  });

  it('read the target through the spellings the setup saw, and through the table without them', async () => {
    await conn.exec(`CREATE TABLE spelled AS SELECT range AS id, (hash(range) % 50)::INTEGER AS score,
      CASE WHEN range % 11 = 0 THEN 'n/a' WHEN range % 7 = 0 THEN ' YES' WHEN (hash(range) % 50) < 10 THEN 'y' ELSE 'No' END AS label
      FROM range(2000)`);
    const setup = await setupFor(
      conn,
      'spelled',
      [
        { name: 'id', type: 'BIGINT' },
        { name: 'score', type: 'INTEGER' },
        { name: 'label', type: 'VARCHAR' },
      ],
      { target: 'label', id: 'id' },
      { positiveClass: 'yes' },
    );
    expect(setup.sql.label?.spellings?.length).toBe(4);
    const withMap = planQueries({ setup, computedAt: '' });
    expect(withMap.classes).toContain('VALUES');
    const unmapped = { ...setup.sql.label! };
    delete unmapped.spellings;
    const without = { ...setup, sql: { ...setup.sql, label: unmapped } };
    const withoutMap = planQueries({ setup: without, computedAt: '' });
    expect(withoutMap.classes).not.toContain('VALUES');
    for (const key of ['classes', 'totals', 'rule:0', 'split'])
      expect(await conn.query(withMap[key]!), key).toEqual(await conn.query(withoutMap[key]!));
    const [yes] = await conn.query(
      `SELECT count(*) AS n FROM spelled WHERE lower(trim(label)) IN ('yes', 'y')`,
    );
    const classes = await conn.query(withMap.classes!);
    expect(classes.find((c) => c.label === 'yes')?.n).toBe(yes!.n);
    expect(classes.map((c) => c.label)).not.toContain(null);
  });

  it('place the time split where quantile_disc does, for any row count and holdout share', async () => {
    // Times repeat (four rows a day), so ties at the split are exercised too.
    await conn.exec(`CREATE TABLE days AS SELECT range AS i, TIMESTAMP '2025-01-01' + INTERVAL (range // 4) DAY AS ts,
      CASE WHEN range % 3 = 0 THEN 'yes' ELSE 'no' END AS y FROM range(1200)`);
    const shares = [0.01, 0.05, 0.1, 0.15, 0.2, 0.25, 0.3, 1 / 3, 0.4, 0.5, 0.75, 0.9];
    for (const n of [1, 2, 3, 5, 10, 99, 100, 101, 1200]) {
      await conn.exec(`CREATE OR REPLACE VIEW days_n AS SELECT * FROM days WHERE i < ${n}`);
      const ctx = {
        table: 'days_n',
        asOf: '2026-11-01',
        time: { column: 'ts', type: 'TIMESTAMP' },
        label: { column: 'y', kind: 'classes' as const, positive: 'yes' },
      };
      for (const share of shares) {
        const [row] = await conn.query(timeSplitQuery(ctx, share));
        const [expected] = await conn.query(
          `SELECT strftime(quantile_disc(ts, ${num(1 - share)}), '%Y-%m-%dT%H:%M:%S') AS s,
            count(*) FILTER (WHERE ts >= (SELECT quantile_disc(ts, ${num(1 - share)}) FROM days_n)) AS v FROM days_n`,
        );
        expect([row!.split_at, Number(row!.validation_rows)], `${n} rows, holdout ${share}`).toEqual([
          expected!.s,
          Number(expected!.v),
        ]);
      }
    }
  });

  it('find the cut points of a near-continuous feature without pairing every value with every level', async () => {
    await conn.exec(`CREATE TABLE wide AS SELECT range AS id, hash(range) % 1000003 AS amount,
      CASE WHEN range % 5 = 0 THEN 'yes' ELSE 'no' END AS y FROM range(200000)`);
    const ctx = {
      table: 'wide',
      asOf: '2026-11-01',
      label: { column: 'y', kind: 'classes' as const, positive: 'yes' },
    };
    const sql = numericRuleBucketsQuery(ctx, 'amount');
    // A nested loop would pair each of the ~200,000 values with each of the 105 levels.
    const [plan] = await conn.query(`EXPLAIN ${sql}`);
    expect(String(plan!.explain_value)).not.toContain('NESTED_LOOP_JOIN');
    const rows = await conn.query(sql);
    // 105 levels give at most 105 cut points, plus the bucket below the lowest.
    expect(rows.length).toBeGreaterThan(100);
    expect(rows.length).toBeLessThanOrEqual(106);
    expect(rows.reduce((s, r) => s + Number(r.n), 0)).toBe(200000);
    // The 50 % cut is the value at 0-based rank 100,000 of the sorted column (rows above 0.5·N).
    const [median] = await conn.query(`SELECT amount FROM wide ORDER BY amount LIMIT 1 OFFSET 100000`);
    expect(rows.map((r) => Number(r.cut))).toContain(Number(median!.amount));
  });
});

describe('plan statements for a plan without a time or an ID', () => {
  it('run every statement alone when only one is a single row', async () => {
    await conn.exec(
      `CREATE TABLE plain AS SELECT (hash(range) % 30)::INTEGER AS x, CASE WHEN range % 4 = 0 THEN 'yes' ELSE 'no' END AS y FROM range(500)`,
    );
    const setup = await setupFor(
      conn,
      'plain',
      [
        { name: 'x', type: 'INTEGER' },
        { name: 'y', type: 'VARCHAR' },
      ],
      { target: 'y' },
      { positiveClass: 'yes' },
    );
    const plan = MetricPlanSchema.parse({ primaryMetric: 'recall', validation: { design: 'random' } });
    const statements = planStatements({ setup, plan, computedAt: '' });
    expect(Object.keys(statements)).toEqual(['classes', 'totals', 'rule:0']);
    expect(Object.keys(statements).filter((key) => statements[key]!.oneRow)).toEqual(['totals']);
    const { run, alone } = await bothWays({ setup, plan, computedAt: '' });
    expect(run).toEqual(alone);
  });
});

/**
 * The metric plan's SQL (setup, class shares, rule searches, rows per month,
 * time split) on a planted table of N rows (default 3,000,000): the same
 * statements on DuckDB-WASM in Node and on native DuckDB (1 thread and all
 * threads), with the ratio WASM / native. Target (issue 10): ≤ 1.5× against
 * native with one thread. Figures are printed; nothing passes or fails.
 *
 *   npx tsx bench/plan.ts [--rows N]
 */
import { createNativeConnector } from '../src/lib/engine/native-connector';
import { createNodeConnector } from '../src/lib/engine/node-connector';
import type { Connector } from '../src/lib/engine/connector';
import { computePlanResults } from '../src/lib/core/plan/compute';
import { evaluatePlan } from '../src/lib/core/plan/evaluate';
import { exampleChurnPlan } from '../src/lib/core/plan/summary';
import { resolveSetup, setupQueries } from '../src/lib/core/readiness/setup';
import type { QueryResults, ReadinessInput } from '../src/lib/core/readiness/types';

const argv = process.argv.slice(2);
const rowsAt = argv.indexOf('--rows');
const ROWS = rowsAt >= 0 ? Number(argv[rowsAt + 1]) : 3_000_000;

const u = (stream: number): string => `((hash(i * 7919 + ${stream}) % 1000003) / 1000003.0)`;

/** Churn-like extract: `tenure` drives the label through a threshold at 12 months; the rest is noise. */
const TABLE = `SELECT i AS customer_id,
  TIMESTAMP '2024-01-01' + INTERVAL (i % 730) DAY AS snapshot_date,
  (hash(i) % 72)::INTEGER AS tenure,
  round(${u(10)} * 100, 2) AS monthly_fee,
  CASE WHEN ${u(20)} < 0.5 THEN 'web' WHEN ${u(20)} < 0.8 THEN 'shop' ELSE 'phone' END AS channel,
  CASE (i % 4) WHEN 0 THEN 'north' WHEN 1 THEN 'south' WHEN 2 THEN 'east' ELSE 'west' END AS region,
  CASE WHEN ${u(30)} < (CASE WHEN (hash(i) % 72) < 12 THEN 0.6 ELSE 0.1 END) THEN 'Yes' ELSE 'No' END AS churned
FROM range(${ROWS}) r(i)`;

const INPUT: Omit<ReadinessInput, 'tableName'> = {
  datasetId: 'bench',
  columns: [
    { name: 'customer_id', type: 'BIGINT' },
    { name: 'snapshot_date', type: 'TIMESTAMP' },
    { name: 'tenure', type: 'INTEGER' },
    { name: 'monthly_fee', type: 'DOUBLE' },
    { name: 'channel', type: 'VARCHAR' },
    { name: 'region', type: 'VARCHAR' },
    { name: 'churned', type: 'VARCHAR' },
  ],
  roles: { target: 'churned', id: 'customer_id', eventTime: 'snapshot_date', segments: [], excluded: [] },
  context: {
    decision: '',
    task: 'binary',
    targetDefinition: '',
    positiveClass: 'Yes',
    predictionPoint: '',
    asOf: '2026-11-01',
  },
};

async function time(name: string, conn: Connector): Promise<number> {
  await conn.exec(`CREATE OR REPLACE TABLE plan_bench AS ${TABLE}`);
  const input: ReadinessInput = { ...INPUT, tableName: 'plan_bench' };
  let statements = 0;
  const run = (sql: string): Promise<Record<string, unknown>[]> => {
    statements++;
    return conn.query(sql);
  };
  const started = performance.now();
  const setupResults: QueryResults = {};
  for (const [key, sql] of Object.entries(setupQueries(input))) setupResults[key] = await run(sql);
  const setup = resolveSetup(input, setupResults);
  const plan = exampleChurnPlan();
  const results = await computePlanResults(run, { setup, plan, computedAt: new Date().toISOString() });
  const ms = performance.now() - started;
  const best = evaluatePlan(plan, results).bestRule;
  console.log(
    `${name.padEnd(12)} ${(ms / 1000).toFixed(2).padStart(7)} s  ${statements} statements; prevalence ${results.prevalence?.toFixed(4)}; best rule ${best?.feature} ${best?.direction} ${best?.threshold}`,
  );
  await conn.close();
  return ms;
}

console.log(`metric plan on a ${ROWS.toLocaleString('en-US')}-row table (5 features + label)`);
const wasm = await time('wasm-node', await createNodeConnector());
const native1 = await time('native-1t', await createNativeConnector({ threads: 1 }));
const nativeAll = await time('native-all', await createNativeConnector());
console.log(
  `ratio wasm / native-1t: ${(wasm / native1).toFixed(2)}×; wasm / native-all: ${(wasm / nativeAll).toFixed(2)}× (target ≤ 1.5× against one thread)`,
);

/**
 * Drift between two planted tables of N rows each (default 1,000,000): the
 * same `driftReport` SQL (its stages through a `QueryRunner`) on DuckDB-WASM in Node and on native DuckDB (1 thread
 * and all threads), with the ratio WASM / native. Target (issue 11): ≤ 1.5×
 * against native with one thread. Figures are printed; nothing passes or fails.
 *
 *   npx tsx bench/drift.ts [--rows N]
 */
import { createNativeConnector } from '../src/lib/engine/native-connector';
import { createNodeConnector } from '../src/lib/engine/node-connector';
import type { Connector } from '../src/lib/engine/connector';
import type { DriftInput } from '../src/lib/core/drift/compare';
import { driftReport } from '../src/lib/session/drift';
import { QueryRunner } from '../src/lib/session/query-runner';

const argv = process.argv.slice(2);
const rowsAt = argv.indexOf('--rows');
const ROWS = rowsAt >= 0 ? Number(argv[rowsAt + 1]) : 1_000_000;

const u = (stream: number): string => `((hash(i * 7919 + ${stream}) % 1000003) / 1000003.0)`;
const z = (stream: number): string =>
  `((${u(stream)} + ${u(stream + 1)} + ${u(stream + 2)} + ${u(stream + 3)} - 2) * sqrt(3))`;

/** Planted extract: `amount` and `channel` shift in the current table, the rest does not; the label moves in one region. */
function table(current: boolean): string {
  const from = current ? ROWS : 0;
  return `SELECT
    round(${z(10)} + ${current ? 0.2 : 0}, 2) AS amount,
    round(${z(20)}, 2) AS control,
    (hash(i) % 60)::INTEGER AS tenure,
    CASE WHEN ${u(30)} < ${current ? 0.15 : 0.4} THEN 'web' WHEN ${u(30)} < 0.8 THEN 'shop' ELSE 'phone' END AS channel,
    CASE WHEN ${u(40)} < 0.5 THEN 'a' ELSE 'b' END AS kind,
    CASE (i % 4) WHEN 0 THEN 'north' WHEN 1 THEN 'south' WHEN 2 THEN 'east' ELSE 'west' END AS region,
    CASE WHEN ${u(70)} < (CASE WHEN i % 4 = 0 AND ${current} THEN 0.3 ELSE 0.1 END) THEN 'Yes' ELSE 'No' END AS churned
  FROM range(${from}, ${from + ROWS}) r(i)`;
}

const INPUT: DriftInput = {
  reference: { table: 'drift_ref' },
  current: { table: 'drift_cur' },
  comparison: {
    kind: 'datasets',
    referenceDatasetId: 'ref',
    currentDatasetId: 'cur',
    referenceLabel: 'reference',
    currentLabel: 'current',
  },
  columns: [
    { name: 'amount', type: 'DOUBLE' },
    { name: 'control', type: 'DOUBLE' },
    { name: 'tenure', type: 'INTEGER' },
    { name: 'channel', type: 'VARCHAR', family: 'categorical' },
    { name: 'kind', type: 'VARCHAR', family: 'categorical' },
    { name: 'region', type: 'VARCHAR', family: 'categorical' },
  ],
  label: { column: 'churned', positive: 'yes' },
  segments: ['region'],
};

async function time(name: string, conn: Connector): Promise<number> {
  await conn.exec(`CREATE OR REPLACE TABLE drift_ref AS ${table(false)}`);
  await conn.exec(`CREATE OR REPLACE TABLE drift_cur AS ${table(true)}`);
  let statements = 0;
  const started = performance.now();
  const counted = {
    query: (sql: string) => {
      statements++;
      return conn.query(sql);
    },
    exec: (sql: string) => conn.exec(sql),
    cancel: () => conn.cancel(),
  };
  const report = await driftReport(new QueryRunner(counted), INPUT);
  const ms = performance.now() - started;
  const drifted = report.columns.filter((c) => c.status === 'drift').map((c) => c.column);
  console.log(
    `${name.padEnd(12)} ${(ms / 1000).toFixed(2).padStart(7)} s  ${statements} statements; drift: ${drifted.join(', ')}; concept top: ${report.concept?.[0]?.feature}=${report.concept?.[0]?.segment}`,
  );
  await conn.close();
  return ms;
}

console.log(`drift between two ${ROWS.toLocaleString('en-US')}-row tables (6 columns + label)`);
const wasm = await time('wasm-node', await createNodeConnector());
const native1 = await time('native-1t', await createNativeConnector({ threads: 1 }));
const nativeAll = await time('native-all', await createNativeConnector());
console.log(
  `ratio wasm / native-1t: ${(wasm / native1).toFixed(2)}×; wasm / native-all: ${(wasm / nativeAll).toFixed(2)}× (target ≤ 1.5× against one thread)`,
);

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Connector, DataSource } from '../../../src/lib/engine/connector';
import type { LoadedDataset } from '../../../src/lib/engine/load-dataset';
import { createNativeConnector } from '../../../src/lib/engine/native-connector';
import { nodeDecoders } from '../../../src/lib/engine/node-decoders';
import { newAudit } from '../../../src/lib/core/model/document';
import { setRoles } from '../../../src/lib/core/audit/edits';
import { AuditSession, memoryAuditStore } from '../../../src/lib/session';
import { computePlan } from '../../../src/lib/session/plan';
import { runDrift } from '../../../src/lib/session/drift';

/**
 * Cancel interrupts a plan or drift statement at once, on an engine that can
 * interrupt (native DuckDB, one thread; the Node WASM bundle is blocking and
 * has nothing to interrupt). The table has 1,000,000 rows and a few
 * high-cardinality numeric features, so each analysis takes seconds when
 * left alone (measured first, in the same test).
 */

const ROWS = 1_000_000;
/** High-cardinality numeric features: each a rule search (plan) and a KS summary, deciles and bins (drift). */
const FEATURES = 4;
const u = (stream: number): string => `((hash(i * 7919 + ${stream}) % 1000003) / 1000003.0)`;
const TABLE = `SELECT i AS id, TIMESTAMP '2024-01-01' + INTERVAL (i % 730) DAY AS ts,
  ${Array.from({ length: FEATURES }, (_, k) => `round(${u(k + 1)} * 1000, 3) AS x${k}`).join(', ')},
  CASE WHEN ${u(50)} < 0.5 THEN 'web' ELSE 'shop' END AS channel,
  CASE WHEN ${u(60)} < (CASE WHEN ${u(1)} < 0.2 THEN 0.6 ELSE 0.1 END) THEN 'yes' ELSE 'no' END AS label
FROM range(${ROWS}) r(i)`;

/** The statements the session sent, the cancels it asked for, and which statements the engine rejected. */
interface Trace {
  started: number;
  cancels: number[];
  rejected: { sql: string; at: number; message: string }[];
}

/** The connector with its statements and cancels traced. */
function traced(conn: Connector, trace: Trace): Connector {
  return new Proxy(conn, {
    get(target, key, receiver) {
      if (key === 'cancel')
        return async () => {
          trace.cancels.push(performance.now());
          await target.cancel();
        };
      if (key === 'query')
        return async (sql: string) => {
          trace.started++;
          try {
            return await target.query(sql);
          } catch (error) {
            trace.rejected.push({ sql, at: performance.now(), message: String(error) });
            throw error;
          }
        };
      const value: unknown = Reflect.get(target, key, receiver);
      return typeof value === 'function' ? value.bind(target) : value;
    },
  });
}

/** A load that creates the table in DuckDB instead of reading a file. */
async function rangeLoad(conn: Connector, tableName: string): Promise<LoadedDataset> {
  await conn.exec(`CREATE OR REPLACE TABLE ${tableName} AS ${TABLE}`);
  const columns = (await conn.query(`DESCRIBE ${tableName}`)).map((r) => ({
    name: String(r.column_name),
    type: String(r.column_type),
  }));
  return {
    tableName,
    fileName: 'million.csv',
    format: 'csv',
    sizeBytes: 0,
    lastModified: 0,
    rowCount: ROWS,
    columns,
    warnings: [],
    loadMs: 0,
  };
}

const source: DataSource = {
  name: 'million.csv',
  size: 0,
  lastModified: 0,
  bytes: () => Promise.resolve(new Uint8Array()),
  head: () => Promise.resolve(new Uint8Array()),
};

let native: Connector;
let session: AuditSession;
let datasetId: string;
const trace: Trace = { started: 0, cancels: [], rejected: [] };

beforeAll(async () => {
  native = await createNativeConnector({ threads: 1 });
  const connector = traced(native, trace);
  session = new AuditSession({
    engine: {
      connector,
      decoders: nodeDecoders,
      load: (_source, options) => rangeLoad(native, options.tableName ?? 'million'),
    },
    store: memoryAuditStore(),
  });
  const audit = newAudit('million', 'million');
  audit.context = { ...audit.context, asOf: '2026-11-01', task: 'binary', positiveClass: 'yes' };
  session.open(audit);
  const outcome = await session.addSources([source], {}, { analyse: false });
  datasetId = outcome.loaded[0]!;
  await session.edit((a) =>
    setRoles(a, datasetId, { target: 'label', id: 'id', eventTime: 'ts', segments: [], excluded: [] }),
  );
}, 60_000);

afterAll(async () => {
  await native?.close();
});

/**
 * Run `start` and cancel `delay` ms after the session's task reports `stage`;
 * returns the outcome, when the cancel was asked, and when the outcome came.
 */
async function cancelDuring<T>(
  start: () => Promise<T>,
  stage: string,
  delay: number,
): Promise<{ outcome: T; cancelAt: number; endedAt: number; rejected: Trace['rejected'] }> {
  let cancelAt = Number.NaN;
  const from = trace.rejected.length;
  const off = session.on('task', (state) => {
    if (!state || state.detail !== stage || !Number.isNaN(cancelAt)) return;
    cancelAt = Infinity;
    setTimeout(() => {
      cancelAt = performance.now();
      session.cancel();
    }, delay);
  });
  const outcome = await start();
  const endedAt = performance.now();
  off();
  return { outcome, cancelAt, endedAt, rejected: trace.rejected.slice(from) };
}

/** How long `start` takes left alone. */
async function uncancelled<T>(start: () => Promise<T>): Promise<{ outcome: T; ms: number; cpuMs: number }> {
  const t = performance.now();
  const cpu = process.cpuUsage();
  const outcome = await start();
  const used = process.cpuUsage(cpu);
  return { outcome, ms: performance.now() - t, cpuMs: (used.user + used.system) / 1000 };
}

/** The analyses to cancel: how to start each, and the progress line of its heavy stage. */
const CASES: readonly { name: string; start: () => Promise<{ status: string }>; stage: string }[] = [
  { name: 'the metric plan', start: () => computePlan(session), stage: 'Baselines and validation split' },
  {
    name: 'drift',
    // With the history inside the current extract: left alone, it runs for seconds more.
    start: () =>
      runDrift(session, { kind: 'date-split', currentDatasetId: datasetId, splitAt: '2025-01-01' }),
    stage: 'Comparing reference and current',
  },
];

describe('cancel interrupts plan and drift on 1,000,000 rows', () => {
  it.each(CASES)(
    'cancels $name within 2 s, interrupting the running statement',
    async ({ name, start, stage }) => {
      const alone = await uncancelled(start);
      expect(alone.outcome.status).toBe('done');
      console.log(
        `${name} on ${ROWS} rows, uncancelled: ${Math.round(alone.ms)} ms wall, ${Math.round(alone.cpuMs)} ms CPU`,
      );
      expect(alone.ms).toBeGreaterThan(2500);

      const cancels = trace.cancels.length;
      const { outcome, cancelAt, endedAt, rejected } = await cancelDuring(start, stage, 300);
      console.log(`${name} cancelled ${Math.round(endedAt - cancelAt)} ms after the cancel`);
      expect(outcome.status).toBe('cancelled');
      expect(endedAt - cancelAt).toBeLessThan(2000);
      // The engine was asked to interrupt, and the statement running then was rejected.
      expect(trace.cancels.length).toBe(cancels + 1);
      expect(rejected.length).toBe(1);
      expect(rejected[0]!.at).toBeGreaterThanOrEqual(cancelAt);
      expect(rejected[0]!.message.toLowerCase()).toContain('interrupt');
    },
    120_000,
  );
});

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { join } from 'node:path';
import type * as Chdb from 'chdb';
import { chdbTestSession, copyToClickHouse } from '../../../support/chdb-port';
import type { ColumnRoles, Finding } from '../../../../src/lib/core/model/audit';
import { CLICKHOUSE, DUCKDB, useDialect } from '../../../../src/lib/core/sql/dialect';
import type { Connector } from '../../../../src/lib/engine/connector';
import type { QueryPort } from '../../../../src/lib/session/query-runner';
import { runReadiness } from '../../../../src/lib/session/readiness';
import { DEMO_CSV, DEMO_ROLES } from '../../../support/demo';
import { engine, FIXTURES, loadFile } from '../../../support/engine';

/**
 * The readiness stage on real ClickHouse (chDB) and on DuckDB-WASM, on the
 * fixtures the profile comparison uses: every check runs on both, with the
 * same finding ids, severities and evidence numbers (to 1e-9 relative), except
 * the checks in `NOT_ON_CLICKHOUSE`, which say why instead.
 */

interface Fixture {
  path: string;
  roles: ColumnRoles;
  /** Whether the roles set an ID and an event time, so `time-order` applies. */
  ordersEvents: boolean;
  task: 'binary' | 'regression';
}

const FIXTURES_UNDER_TEST: Readonly<Record<string, Fixture>> = {
  planted: {
    path: join(FIXTURES, 'profile/planted.csv'),
    roles: {
      target: 'active',
      eventTime: 'event_ts',
      source: 'source',
      segments: ['region'],
      excluded: [],
    },
    ordersEvents: false,
    task: 'binary',
  },
  demo: { path: DEMO_CSV, roles: DEMO_ROLES, ordersEvents: true, task: 'binary' },
  // A numeric target: the regression statements (R², Spearman, η², the numeric label).
  'demo-regression': {
    path: DEMO_CSV,
    roles: { ...DEMO_ROLES, target: 'monthly_fee' },
    ordersEvents: true,
    task: 'regression',
  },
};

/**
 * Checks that judge something ClickHouse does not keep, so their findings
 * differ by design: `time-order` reads the file's row order, which a
 * ClickHouse table does not hold (SqlDialect.rowOrder); it says so in one
 * `info` finding instead.
 */
const NOT_ON_CLICKHOUSE = ['time-order'];

let duck: Connector;
let session: Chdb.Session;
let ch: QueryPort;

beforeAll(async () => {
  duck = await engine();
  ({ session, port: ch } = await chdbTestSession());
}, 120_000);

afterAll(async () => {
  useDialect(DUCKDB);
  session?.cleanup();
  await duck?.close?.();
});

interface Summary {
  /** Finding id → severity. */
  found: Record<string, string>;
  /** Finding id → its numeric evidence. */
  numbers: Record<string, Record<string, number>>;
  /** Checks that could not run. */
  failed: string[];
}

function summary(findings: readonly Finding[]): Summary {
  const found: Record<string, string> = {};
  const numbers: Record<string, Record<string, number>> = {};
  const failed: string[] = [];
  for (const f of findings) {
    if (f.id.endsWith(':error')) failed.push(String((f.evidence as { check?: unknown }).check ?? f.id));
    else if (!NOT_ON_CLICKHOUSE.includes(f.check)) {
      found[f.id] = f.severity;
      numbers[f.id] = Object.fromEntries(
        Object.entries(f.evidence).filter((e): e is [string, number] => typeof e[1] === 'number'),
      );
    }
  }
  return { found, numbers, failed: failed.sort() };
}

/** Evidence numbers that differ by more than `relative` (sums in another order differ in the last bits). */
function numberDifferences(a: Summary['numbers'], b: Summary['numbers'], relative = 1e-9): string[] {
  const out: string[] = [];
  for (const [id, values] of Object.entries(a))
    for (const [key, x] of Object.entries(values)) {
      const y = b[id]?.[key];
      const scale = Math.max(Math.abs(x), Math.abs(y ?? 0), 1e-12);
      if (y === undefined || Math.abs(x - y) > Math.max(relative * scale, 1e-12))
        out.push(`${id}.${key}: ${x} vs ${y}`);
    }
  return out;
}

describe('readiness gives the same findings on ClickHouse as on DuckDB', () => {
  for (const [name, fixture] of Object.entries(FIXTURES_UNDER_TEST)) {
    it(`audits ${name} alike: every check runs, with DuckDB's findings, severities and numbers`, async () => {
      const loaded = await loadFile(duck, fixture.path);
      const table = loaded.tableName;
      const input = {
        tableName: table,
        datasetId: name,
        columns: loaded.columns,
        roles: fixture.roles,
        context: {
          decision: '',
          task: fixture.task,
          targetDefinition: '',
          positiveClass: '',
          predictionPoint: '',
          // The demo's as-of date (tests/support/demo.ts), for both.
          asOf: '2026-11-01',
        },
      };
      const duckFindings = await runReadiness(duck, input);
      const duckSummary = summary(duckFindings);
      expect(duckSummary.failed).toEqual([]);
      await copyToClickHouse(duck, ch, table, fixture.path);
      useDialect(CLICKHOUSE);
      let chFindings: Finding[];
      try {
        chFindings = await runReadiness(ch, input);
      } finally {
        useDialect(DUCKDB);
      }
      const chSummary = summary(chFindings);
      expect(chSummary.failed).toEqual([]);
      expect(chSummary.found).toEqual(duckSummary.found);
      expect(Object.keys(duckSummary.found).length).toBeGreaterThan(10);
      expect(numberDifferences(duckSummary.numbers, chSummary.numbers)).toEqual([]);
      // time-order: DuckDB reads the file order; ClickHouse says it has none, as information, never a defect.
      const order = chFindings.filter((f) => f.check === 'time-order');
      expect(order.map((f) => [f.id, f.severity])).toEqual(
        fixture.ordersEvents ? [[`time-order:${name}:no-row-order`, 'info']] : [],
      );
    }, 300_000);
  }
});

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import type * as Chdb from 'chdb';
import { chdbPort } from '../../../support/chdb-port';
import type { ColumnRoles, Finding } from '../../../../src/lib/core/model/audit';
import {
  CLICKHOUSE,
  CLICKHOUSE_SETTINGS,
  DUCKDB,
  clickhouseType,
  useDialect,
} from '../../../../src/lib/core/sql/dialect';
import { ident, str } from '../../../../src/lib/core/sql/quote';
import type { Connector } from '../../../../src/lib/engine/connector';
import type { QueryPort } from '../../../../src/lib/session/query-runner';
import { runReadiness } from '../../../../src/lib/session/readiness';
import { DEMO_CSV, DEMO_ROLES } from '../../../support/demo';
import { engine, FIXTURES, loadFile } from '../../../support/engine';

/**
 * The readiness stage on real ClickHouse (chDB) and on DuckDB-WASM, on the
 * fixtures the profile comparison uses: the same finding ids and severities
 * for every check that runs on ClickHouse, and an explicit list of the checks
 * that cannot run there yet (an entry that starts working fails, so it only shrinks).
 */

const { Session } = createRequire(import.meta.url)('chdb') as typeof Chdb;

interface Fixture {
  path: string;
  roles: ColumnRoles;
  /** Checks whose SQL ClickHouse cannot run yet: each yields a `<check>…:error` finding there. */
  failingOnClickHouse: readonly string[];
}

/** Checks that cannot run on ClickHouse yet, by the SQL that stops them. */
const FAILING_ON_CLICKHOUSE: readonly string[] = [
  // consistency-batch.ts: UNION ALL BY NAME (no ClickHouse spelling; unionAllByName in readiness-common.ts is the neutral form)
  'consistency-vocabulary',
  'coverage-categories',
  // consistency-batch.ts: list(q ORDER BY p), unnest of a list literal, median(…) FILTER (…)
  'consistency-distribution',
  'consistency-nulls',
  'consistency-scale',
];

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
    failingOnClickHouse: FAILING_ON_CLICKHOUSE,
  },
  demo: {
    path: DEMO_CSV,
    roles: DEMO_ROLES,
    // time-order: DuckDB's rowid
    failingOnClickHouse: [...FAILING_ON_CLICKHOUSE, 'time-order'],
  },
};

let duck: Connector;
let session: Chdb.Session;
let ch: QueryPort;

beforeAll(async () => {
  duck = await engine();
  session = new Session();
  ch = chdbPort(session);
  for (const [name, value] of Object.entries({
    ...CLICKHOUSE_SETTINGS,
    output_format_json_quote_64bit_integers: 0,
  }))
    await ch.exec(`SET ${name} = ${typeof value === 'number' ? value : `'${value}'`}`);
}, 120_000);

afterAll(async () => {
  useDialect(DUCKDB);
  session?.cleanup();
  await duck?.close?.();
});

/** The table DuckDB loaded, in ClickHouse from the same file with the same column types. */
async function copyToClickHouse(table: string, path: string): Promise<void> {
  const columns = await duck.query(DUCKDB.describeColumnsQuery(table));
  const structure = columns
    .map((c) => `${ident(String(c.column_name))} Nullable(${clickhouseType(String(c.data_type))})`)
    .join(', ');
  await ch.exec(
    `CREATE TABLE ${ident(table)} ENGINE = Memory AS SELECT * FROM file(${str(path)}, 'CSVWithNames', ${str(structure)})`,
  );
}

/** Finding id → severity, errors apart (their check id). */
function summary(findings: readonly Finding[]): { found: Record<string, string>; failed: string[] } {
  const found: Record<string, string> = {};
  const failed: string[] = [];
  for (const f of findings) {
    if (f.id.endsWith(':error')) failed.push(String((f.evidence as { check?: unknown }).check ?? f.id));
    else found[f.id] = f.severity;
  }
  return { found, failed: failed.sort() };
}

describe('readiness gives the same findings on ClickHouse as on DuckDB', () => {
  for (const [name, fixture] of Object.entries(FIXTURES_UNDER_TEST)) {
    it(`audits ${name} alike; only the listed checks fail on ClickHouse`, async () => {
      const loaded = await loadFile(duck, fixture.path);
      const table = loaded.tableName;
      const input = {
        tableName: table,
        datasetId: name,
        columns: loaded.columns,
        roles: fixture.roles,
        context: {
          decision: '',
          task: 'binary' as const,
          targetDefinition: '',
          positiveClass: '',
          predictionPoint: '',
          // The demo's as-of date (tests/support/demo.ts), for both.
          asOf: '2026-11-01',
        },
      };
      const duckFindings = summary(await runReadiness(duck, input));
      expect(duckFindings.failed).toEqual([]);
      await copyToClickHouse(table, fixture.path);
      useDialect(CLICKHOUSE);
      let chFindings: ReturnType<typeof summary>;
      try {
        chFindings = summary(await runReadiness(ch, input));
      } finally {
        useDialect(DUCKDB);
      }
      expect(chFindings.failed).toEqual([...fixture.failingOnClickHouse].sort());
      const failing = (id: string): boolean =>
        fixture.failingOnClickHouse.some((check) => id.startsWith(`${check}:`));
      const kept = (found: Record<string, string>): Record<string, string> =>
        Object.fromEntries(Object.entries(found).filter(([id]) => !failing(id)));
      expect(kept(chFindings.found)).toEqual(kept(duckFindings.found));
    }, 300_000);
  }
});

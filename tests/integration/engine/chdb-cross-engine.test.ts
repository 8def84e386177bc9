import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { join } from 'node:path';
import { FIXTURES } from '../../support/engine';
import { DEMO_CSV, DEMO_ROLES } from '../../support/demo';
import { comparable, differences, findingIds, typedApart } from '../../support/document-diff';
import type { Connector } from '../../../src/lib/engine/connector';
import { createNodeConnector } from '../../../src/lib/engine/node-connector';
import {
  createChdbConnector,
  loadChdbDataset,
  type ChdbConnector,
} from '../../../src/lib/engine/chdb-connector';
import { nodeDecoders } from '../../../src/lib/engine/node-decoders';
import { fileSource } from '../../../src/lib/engine/node-source';
import { loadDataset, type LoadedDataset } from '../../../src/lib/engine/load-dataset';
import { toDatasetRef } from '../../../src/lib/engine/dataset-ref';
import { runAnalysis } from '../../../src/lib/session/analyse';
import { newAudit } from '../../../src/lib/core/model/document';
import { withDataset } from '../../../src/lib/core/audit/edits';
import { CLICKHOUSE, DUCKDB, useDialect } from '../../../src/lib/core/sql/dialect';
import { dropTableQuery } from '../../../src/lib/core/sql/table';
import type { AuditDocument, ColumnRoles } from '../../../src/lib/core/model/audit';

/**
 * The whole analysed document (profile, readiness findings, verdict) on
 * embedded ClickHouse (chDB, files read by ClickHouse's own readers as the CLI's
 * `--engine chdb` does) and on DuckDB-WASM, on the fixtures of the native
 * cross-engine test. Numbers agree to FLOAT_ORDER_TOLERANCE (summation order),
 * approximate distinct counts to APPROX_DISTINCT_TOLERANCE; everything else
 * exactly, except each finding's SQL (the engines' spellings differ).
 */

/**
 * ClickHouse's `uniqCombined` and DuckDB's HyperLogLog each stay within about 2 %
 * of the true count (ClickHouse docs, "uniqCombined"; DuckDB docs, approx_count_distinct),
 * so within 5 % of each other.
 */
const APPROX_DISTINCT_TOLERANCE = 0.05;

/**
 * Readiness checks that cannot run on ClickHouse yet: each yields its
 * `<check>:<dataset>:error` finding there. The test fails when a listed check
 * runs (remove it from the list) or an unlisted one fails: the list only shrinks.
 */
const FAILING_ON_CLICKHOUSE: Readonly<Record<string, readonly string[]>> = {
  // Empty: every readiness check runs on ClickHouse. A fixture's entry lists the checks that do not.
};

interface Case {
  file: string;
  roles: Omit<ColumnRoles, 'segments' | 'excluded'> & Partial<Pick<ColumnRoles, 'segments'>>;
  asOf?: string;
  /** Columns the two engines type differently, as `name: wasm type → ClickHouse type`, and why. */
  typedApart?: Record<string, string>;
  /**
   * Findings only ClickHouse gives, by design, by id: their checks' findings are
   * compared on neither engine.
   */
  clickhouseOnly?: readonly string[];
}

/** Why a check reads otherwise on ClickHouse, by the id of the finding that says so. */
const BY_DESIGN: Readonly<Record<string, string>> = {
  'time-order:ds:no-row-order':
    'a ClickHouse table keeps no load order: time-order says so (info) instead of judging the file order',
};

const CASES: Case[] = [
  {
    file: DEMO_CSV,
    roles: DEMO_ROLES,
    asOf: '2026-11-01',
    // Its 9999-12-31 sentinels lie past ClickHouse's last date (Date32 ends 2299-12-31):
    // its CSV reader keeps the column as text rather than change the values.
    typedApart: { signup_date: 'DATE → VARCHAR' },
    clickhouseOnly: ['time-order:ds:no-row-order'],
  },
  { file: join(FIXTURES, 'profile/planted.csv'), roles: {} },
  { file: join(FIXTURES, 'formats/tiny-snappy.parquet'), roles: {} },
  {
    file: join(FIXTURES, 'formats/tiny.json'),
    roles: {},
    // DuckDB-WASM's own JSON importer reads ISO dates as TIMESTAMP_S and whole numbers as INTEGER;
    // ClickHouse reads them as native DuckDB's read_json does (cross-engine.test.ts).
    typedApart: {
      id: 'INTEGER → BIGINT',
      signup_date: 'TIMESTAMP_S → DATE',
      last_seen: 'TIMESTAMP_S → TIMESTAMP',
    },
  },
];

const nameOf = (file: string): string => file.split('/').pop()!;

async function analyse(conn: Connector, c: Case, loaded: LoadedDataset): Promise<AuditDocument> {
  try {
    // Same dataset id on both engines, so finding ids can be compared.
    const ref = { ...toDatasetRef(loaded, []), id: 'ds' };
    const audit = withDataset(newAudit('cross', 'a1'), ref);
    if (c.asOf) audit.context.asOf = c.asOf;
    audit.roles = { [ref.id]: { segments: [], excluded: [], ...c.roles } };
    return await runAnalysis(conn, audit, { tables: { [ref.id]: loaded.tableName } });
  } finally {
    await conn.exec(dropTableQuery(loaded.tableName));
  }
}

async function onDuckDb(c: Case): Promise<AuditDocument> {
  useDialect(DUCKDB);
  const source = await fileSource(c.file);
  return analyse(wasm, c, await loadDataset(wasm, nodeDecoders, source, { tableName: 'cross_engine' }));
}

async function onClickHouse(c: Case): Promise<AuditDocument> {
  // One engine per process (this file runs in a fork of its own): the dialect follows the engine in turn.
  useDialect(CLICKHOUSE);
  try {
    return await analyse(chdb, c, await loadChdbDataset(chdb, c.file, { tableName: 'cross_engine' }));
  } finally {
    useDialect(DUCKDB);
  }
}

/** Checks with a `could not run` finding. */
const failedChecks = (audit: AuditDocument): string[] =>
  audit.findings.filter((f) => f.id.endsWith(':error')).map((f) => f.check);

/** The document without the findings of `checks` and without each finding's SQL. */
function engineNeutral(audit: AuditDocument, checks: readonly string[]): AuditDocument {
  return {
    ...audit,
    findings: audit.findings.filter((f) => !checks.includes(f.check)).map((f) => ({ ...f, sql: '' })),
  };
}

/** Paths of distinct counts both engines report as approximate: those agree within APPROX_DISTINCT_TOLERANCE. */
function approximateDistinctPaths(a: AuditDocument, b: AuditDocument, skip: readonly string[]): Set<string> {
  const paths = new Set<string>();
  for (const [id, profile] of Object.entries(a.profiles)) {
    const columns = profile.columns.filter((col) => !skip.includes(col.name));
    columns.forEach((col, i) => {
      const other = b.profiles[id]?.columns.find((x) => x.name === col.name);
      if (col.distinct.approximate && other?.distinct.approximate)
        paths.add(`$.profiles.${id}.columns[${i}].distinct.value`);
    });
  }
  return paths;
}

let wasm: Connector;
let chdb: ChdbConnector;
beforeAll(async () => {
  wasm = await createNodeConnector();
  chdb = await createChdbConnector();
});
afterAll(async () => {
  await wasm.close();
  await chdb.close();
});

describe('the same audit on DuckDB-WASM and on ClickHouse (chDB)', () => {
  it.each(CASES.map((c) => [nameOf(c.file), c] as const))(
    '%s: identical findings, severities, verdict and profile numbers',
    async (name, c) => {
      const [duck, ch] = [await onDuckDb(c), await onClickHouse(c)];

      const failing = FAILING_ON_CLICKHOUSE[name] ?? [];
      expect(failedChecks(ch).sort()).toEqual([...failing].sort());
      expect(failedChecks(duck)).toEqual([]);

      const apart = typedApart(duck, ch);
      expect(apart).toEqual(c.typedApart ?? {});
      const skip = Object.keys(apart);

      const byDesign = c.clickhouseOnly ?? [];
      const chIds = ch.findings.map((f) => f.id);
      for (const id of byDesign) expect(chIds, BY_DESIGN[id]).toContain(id);
      const apartChecks = [...failing, ...byDesign.map((id) => id.split(':')[0]!)];
      const [a, b] = [engineNeutral(duck, apartChecks), engineNeutral(ch, apartChecks)];
      expect(a.findings.length).toBeGreaterThan(0);
      const severities = (audit: AuditDocument): string[] => {
        const ids = new Set(findingIds(audit, skip));
        return audit.findings.filter((f) => ids.has(f.id)).map((f) => `${f.id} ${f.severity}`);
      };
      expect(severities(b)).toEqual(severities(a));
      expect(ch.verdict?.status).toBe(duck.verdict?.status);

      // The fixtures are below the sampling threshold: every count covers the whole table on both engines.
      for (const audit of [duck, ch])
        expect(Object.values(audit.profiles).map((p) => p.sample.sampled)).toEqual([false]);
      const approximate = approximateDistinctPaths(a, b, skip);
      const tolerance = (path: string): number | undefined =>
        approximate.has(path) ? APPROX_DISTINCT_TOLERANCE : undefined;
      expect(
        differences(comparable(a, skip), comparable(b, skip), tolerance)
          .map((d) => d.slice(0, 200))
          .slice(0, 30),
      ).toEqual([]);
    },
  );
});

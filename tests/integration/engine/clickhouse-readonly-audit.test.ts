import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_CSV, DEMO_ROLES } from '../../support/demo';
import {
  LEARNING_FIT_TOLERANCE,
  comparable,
  differences,
  estimatesOverlap,
  findingIds,
  hashFreeFeasibility,
  knnEstimatesAgree,
  typedApart,
} from '../../support/document-diff';
import { READ_ONLY_STATEMENT, startFakeClickHouse, type FakeClickHouse } from '../../support/fake-clickhouse';
import { cliEngine, engineSourceFor } from '../../../src/lib/cli/engine';
import type { CliFlags } from '../../../src/lib/cli/flags';
import { createNodeConnector } from '../../../src/lib/engine/node-connector';
import { nodeDecoders } from '../../../src/lib/engine/node-decoders';
import { fileSource } from '../../../src/lib/engine/node-source';
import type { DataSource } from '../../../src/lib/engine/connector';
import { ROWS_SETTINGS } from '../../../src/lib/engine/clickhouse-rows';
import { AuditSession, memoryAuditStore, type SessionEngine } from '../../../src/lib/session';
import { newAudit } from '../../../src/lib/core/model/document';
import { setRoles } from '../../../src/lib/core/audit/edits';
import type { AuditDocument } from '../../../src/lib/core/model/audit';
import type { Feasibility } from '../../../src/lib/core/model/feasibility';
import { isFeasibilityFinding } from '../../../src/lib/core/feasibility/findings';
import { CLICKHOUSE_SETTINGS, DUCKDB, useDialect } from '../../../src/lib/core/sql/dialect';

/**
 * The whole audit (profile, readiness, relations, feasibility baselines, metric
 * plan) on a ClickHouse server as a `readonly=1` user, who may create no table,
 * not even a temporary one (issue 24): every statement reads in place. Its
 * document is the one DuckDB-WASM gives for the same file.
 */

let server: FakeClickHouse;
beforeAll(async () => {
  // A readonly=1 user may change no setting: the administrator puts those the audit needs in the user's profile.
  server = await startFakeClickHouse(DEMO_CSV, {
    readOnly: true,
    profileSettings: { ...CLICKHOUSE_SETTINGS, ...ROWS_SETTINGS },
  });
});
afterAll(async () => {
  useDialect(DUCKDB);
  await server.close();
});

/** The audit a consultant runs: the file loaded, the demo's roles set, then everything. */
async function fullAudit(engine: SessionEngine, source: DataSource): Promise<AuditDocument> {
  const audit = newAudit('readonly', 'a1');
  audit.context = { ...audit.context, asOf: '2026-11-01' };
  const session = new AuditSession({ engine, store: memoryAuditStore() });
  session.open(audit);
  const loaded = await session.addSources([source], {}, { analyse: false });
  const id = loaded.loaded[0];
  expect(loaded.failed).toEqual([]);
  await session.edit((a) => setRoles(a, id!, DEMO_ROLES));
  expect(await session.analyse({ suggestRoles: false, keepTask: true })).toBe('done');
  // Dataset ids are random: the same id on both engines, so findings can be compared.
  return JSON.parse(JSON.stringify(session.audit).replaceAll(id!, 'ds')) as AuditDocument;
}

/** A value without its SQL (each engine's spelling): every `sql` and `splitSql` key, at any depth. */
function withoutSql<T>(value: T): T {
  return JSON.parse(
    JSON.stringify(value, (key, v: unknown) => (key === 'sql' || key === 'splitSql' ? undefined : v)),
  ) as T;
}

describe('the full audit on a read-only ClickHouse server', () => {
  it('writes nothing, runs every check and the baselines, and gives DuckDB-WASM’s document', async () => {
    useDialect(DUCKDB);
    const wasm = await createNodeConnector();
    let duck: AuditDocument;
    try {
      duck = await fullAudit({ connector: wasm, decoders: nodeDecoders }, await fileSource(DEMO_CSV));
    } finally {
      await wasm.close();
    }

    const flags: CliFlags = { engine: 'clickhouse', url: server.url, database: 'db', table: 't' };
    const from = server.statements.length;
    const engine = await cliEngine(flags);
    let ch: AuditDocument;
    try {
      ch = await fullAudit(engine, await engineSourceFor(flags)('db.t'));
    } finally {
      await engine.connector.close();
      useDialect(DUCKDB);
    }
    const sent = server.statements.slice(from);

    expect(sent.filter((sql) => !READ_ONLY_STATEMENT.test(sql)).map((sql) => sql.slice(0, 200))).toEqual([]);
    expect(sent.some((sql) => sql.includes('"__sz_feas_design" AS MATERIALIZED'))).toBe(true);
    const couldNotRun = (audit: AuditDocument): string[] =>
      audit.findings.filter((f) => f.id.endsWith(':error')).map((f) => f.id);
    expect(couldNotRun(duck)).toEqual([]);
    expect(couldNotRun(ch)).toEqual([]);
    expect(duck.feasibility?.status).toBe('done');
    expect(ch.feasibility?.status).toBe('done');
    expect(ch.plan).toBeDefined();

    // Its 9999-12-31 sentinels lie past ClickHouse's last date: the server's CSV reader keeps the column as text.
    expect(typedApart(duck, ch)).toEqual({ signup_date: 'DATE → VARCHAR' });
    const skip = ['signup_date'];
    // By design (chdb-cross-engine.test.ts): a ClickHouse table keeps no load order, so
    // time-order says so instead of judging the file's order.
    expect(ch.findings.map((f) => f.id)).toContain('time-order:ds:no-row-order');
    const neutral = (audit: AuditDocument) =>
      withoutSql({
        ...audit,
        findings: audit.findings.filter((f) => !isFeasibilityFinding(f) && f.check !== 'time-order'),
      });
    expect(findingIds(neutral(ch), skip)).toEqual(findingIds(neutral(duck), skip));
    expect(differences(comparable(neutral(duck), skip), comparable(neutral(ch), skip))).toEqual([]);
    // Feasibility findings quote hash-drawn figures (below): the same findings, at the same severities.
    const feasibilityFindings = (audit: AuditDocument) =>
      audit.findings.filter(isFeasibilityFinding).map((f) => `${f.id} ${f.severity}`);
    expect(feasibilityFindings(ch)).toEqual(feasibilityFindings(duck));
    expect(feasibilityFindings(duck).length).toBeGreaterThan(0);

    const [a, b] = [duck.feasibility!, ch.feasibility!];
    const aboutSkipped = (f: Feasibility): Feasibility => ({
      ...f,
      excluded: f.excluded.filter((e) => !skip.includes(e.column)),
    });
    expect(
      differences(
        withoutSql(hashFreeFeasibility(aboutSkipped(a))),
        withoutSql(hashFreeFeasibility(aboutSkipped(b))),
      ),
    ).toEqual([]);
    expect(differences(a.learningFit, b.learningFit, () => LEARNING_FIT_TOLERANCE)).toEqual([]);
    expect(estimatesOverlap(a.labelNoise!, b.labelNoise!)).toBe(true);
    // The best model's PR-AUC interval (the others have none; hashFreeFeasibility compares which).
    const prAucs = a.baselines.flatMap((m, i) =>
      m.prAuc && b.baselines[i]?.prAuc ? [[m.prAuc, b.baselines[i]!.prAuc!]] : [],
    );
    expect(prAucs.length).toBeGreaterThan(0);
    for (const [x, y] of prAucs) expect(estimatesOverlap(x!, y!)).toBe(true);
    // Each engine's hash draws its own kNN sample of the 12,000 rows: the estimates agree within the
    // spread between samples (knnEstimatesAgree).
    expect(knnEstimatesAgree(a.labelNoise!.knn!, b.labelNoise!.knn!)).toBe(true);
    expect(b.labelNoise!.reviewSample.length).toBe(a.labelNoise!.reviewSample.length);

    // The metric plan's numbers, but for the dialect's SQL and the column typed apart.
    const plan = (audit: AuditDocument) => {
      const results = audit.plan!.results as unknown as Record<string, unknown>;
      const excluded = (results.excludedColumns ?? []) as { column: string }[];
      return withoutSql({
        ...audit.plan,
        results: { ...results, excludedColumns: excluded.filter((e) => !skip.includes(e.column)) },
      });
    };
    expect(differences(plan(duck), plan(ch))).toEqual([]);
  }, 1_200_000);
});

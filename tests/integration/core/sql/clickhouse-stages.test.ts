import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Analysis } from '../../../../src/lib/core/pipeline/stage';
import { planAnalysis, type PlanRunState } from '../../../../src/lib/core/plan/compute';
import { planPersonalColumns, planReadinessInput } from '../../../../src/lib/core/plan/document';
import { feasibilityAnalysis, feasibilityResult } from '../../../../src/lib/core/feasibility/analysis';
import { driftAnalysis, driftStart } from '../../../../src/lib/core/drift/compare';
import { driftHistoryAnalysis, historyStart } from '../../../../src/lib/core/drift/history';
import { driftInputFor, historyInputFor } from '../../../../src/lib/core/drift/request';
import { relationsAnalysis, relationsOutcome } from '../../../../src/lib/core/relations/analysis';
import type {
  RelationTable,
  RelationsInput,
  RelationsOutcome,
} from '../../../../src/lib/core/relations/types';
import { CLICKHOUSE, DUCKDB, useDialect } from '../../../../src/lib/core/sql/dialect';
import type { Connector } from '../../../../src/lib/engine/connector';
import { createChdbConnector, type ChdbConnector } from '../../../../src/lib/engine/chdb-connector';
import { QueryRunner, type QueryPort } from '../../../../src/lib/session/query-runner';
import { analysedDemo, DEMO_CSV, DEMO_LATER_CSV, type AnalysedDemo } from '../../../support/demo';
import type { ColumnRoles } from '../../../../src/lib/core/model/audit';
import { withDataset } from '../../../../src/lib/core/audit/edits';
import { toDatasetRef } from '../../../../src/lib/engine/dataset-ref';
import { withInheritedRoles } from '../../../../src/lib/session/drift';
import { engine, FIXTURES, loadBytes, loadFile } from '../../../support/engine';
import { answerDifferences } from '../../../support/answer-diff';
import {
  estimatesOverlap,
  hashFreeFeasibility,
  knnEstimatesAgree,
  LEARNING_FIT_TOLERANCE,
  type IntervalEstimate,
} from '../../../support/document-diff';
import { copyToClickHouse } from '../../../support/chdb-port';
import {
  PLANTED_FILES,
  PLANTED_KEY,
  PLANTED_PARENT_TIME,
  PLANTED_TARGET,
  plantedRelations,
} from '../../../fixtures/relations/planted';

/**
 * The plan, drift, feasibility and relations stages run every statement on
 * ClickHouse (chDB) and give DuckDB-WASM's numbers for the same tables. Each
 * engine runs with its own dialect active; tolerances, where the engines
 * can't agree exactly, are written next to the comparison.
 */

let duck: Connector;
let ch: ChdbConnector;
let files: string;
let demo: AnalysedDemo;
const tables: Record<string, string> = {};

/** Every statement ClickHouse refused, with its error. */
const refused: { sql: string; error: string }[] = [];
function recording(conn: Connector): QueryPort {
  const wrap =
    <T>(run: (sql: string) => Promise<T>) =>
    async (sql: string): Promise<T> => {
      try {
        return await run(sql);
      } catch (error) {
        refused.push({ sql: sql.slice(0, 600), error: String(error).slice(0, 400) });
        throw error;
      }
    };
  return { query: wrap((s) => conn.query(s)), exec: wrap((s) => conn.exec(s)), cancel: () => conn.cancel() };
}

/** Run one analysis on each engine, its dialect active; the final states. */
async function onBoth<S>(make: () => Analysis<S>, initial: () => S): Promise<{ duckdb: S; clickhouse: S }> {
  useDialect(DUCKDB);
  const duckdb = await new QueryRunner(duck).run(make(), initial());
  useDialect(CLICKHOUSE);
  refused.length = 0;
  try {
    const clickhouse = await new QueryRunner(recording(ch)).run(make(), initial());
    return { duckdb, clickhouse };
  } finally {
    useDialect(DUCKDB);
  }
}

/** A value as both engines' answers compare: bigints as numbers. */
function plain(value: unknown): unknown {
  if (typeof value === 'bigint') return Number(value);
  if (Array.isArray(value)) return value.map(plain);
  if (value && typeof value === 'object' && !(value instanceof Date))
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, plain(v)]));
  return value;
}

/** Keys holding a statement's text, which differs by dialect by design. */
const ENGINE_SQL = /^(sql|\w+Sql)$/;

/** Paths where two answers differ beyond `relative` (numbers) or at all (anything else). */
function differences(a: unknown, b: unknown, relative = 1e-9): string[] {
  // The SQL a finding quotes is each engine's own spelling of the statement.
  return answerDifferences(a, b, { relative, normalise: plain, skipKey: (k) => ENGINE_SQL.test(k) });
}

beforeAll(async () => {
  duck = await engine();
  ch = await createChdbConnector();
  files = await mkdtemp(join(tmpdir(), 'sz-clickhouse-stages-'));
  demo = await analysedDemo(duck);
  tables[demo.datasetId] = demo.tableName;
  await copyToClickHouse(duck, ch, demo.tableName, DEMO_CSV);
}, 240_000);

afterAll(async () => {
  useDialect(DUCKDB);
  await ch?.close();
  await duck?.close?.();
  if (files) await rm(files, { recursive: true, force: true });
});

describe('the metric plan runs on ClickHouse with DuckDB’s numbers', () => {
  it('computes the baselines, rules and validation split of the demo alike', async () => {
    const input = planReadinessInput(demo.audit, tables)!;
    const { duckdb, clickhouse } = await onBoth<PlanRunState>(
      () =>
        planAnalysis({
          readiness: input,
          findings: demo.audit.findings,
          personalColumns: planPersonalColumns(demo.audit),
          computedAt: 'x',
        }),
      () => ({}),
    );
    expect(refused).toEqual([]);
    expect(duckdb.results?.ruleSearch.length).toBeGreaterThan(0);
    expect(duckdb.results?.split?.design).toBe('time');
    expect(differences(duckdb.results, clickhouse.results)).toEqual([]);
  });
});

describe('drift runs on ClickHouse with DuckDB’s numbers', () => {
  it('compares the demo split at its median month alike', async () => {
    const input = driftInputFor(
      demo.audit,
      { kind: 'date-split', currentDatasetId: demo.datasetId, splitAt: '2026-05-01' },
      tables,
    );
    const { duckdb, clickhouse } = await onBoth(
      () => driftAnalysis({ ...input, computedAt: 'x' }),
      driftStart,
    );
    expect(refused).toEqual([]);
    expect(duckdb.report).toBeDefined();
    expect(differences(duckdb.report, clickhouse.report)).toEqual([]);
  });

  it('compares the demo with its later extract (planted drift) alike', async () => {
    const later = await loadFile(duck, DEMO_LATER_CSV);
    await copyToClickHouse(duck, ch, later.tableName, DEMO_LATER_CSV);
    const ref = toDatasetRef(later, []);
    const request = {
      kind: 'datasets' as const,
      currentDatasetId: ref.id,
      referenceDatasetId: demo.datasetId,
    };
    const audit = withInheritedRoles(withDataset(demo.audit, ref), request);
    const input = driftInputFor(audit, request, { ...tables, [ref.id]: later.tableName });
    const { duckdb, clickhouse } = await onBoth(
      () => driftAnalysis({ ...input, computedAt: 'x' }),
      driftStart,
    );
    expect(refused).toEqual([]);
    expect(duckdb.report?.dataset.drifted).toBeGreaterThan(0);
    expect(differences(duckdb.report, clickhouse.report)).toEqual([]);
  });

  it('computes the demo’s monthly history alike', async () => {
    const input = historyInputFor(demo.audit, demo.datasetId, tables)!;
    const { duckdb, clickhouse } = await onBoth(() => driftHistoryAnalysis(input), historyStart);
    expect(refused).toEqual([]);
    expect(duckdb.history).toBeDefined();
    expect(differences(duckdb.history, clickhouse.history)).toEqual([]);
  });
});

function expectOverlapping(a: IntervalEstimate, b: IntervalEstimate): void {
  expect(estimatesOverlap(a, b), `${JSON.stringify(a)} vs ${JSON.stringify(b)}`).toBe(true);
}

function expectCloseInterval(
  a: IntervalEstimate | null | undefined,
  b: IntervalEstimate | null | undefined,
): void {
  expect(b === null || b === undefined).toBe(a === null || a === undefined);
  if (!a || !b) return;
  if (a.estimate !== undefined) expect(differences(a.estimate, b.estimate)).toEqual([]);
  const width = Number(a.upper) - Number(a.lower);
  expect(width).toBeGreaterThan(0);
  expect(Math.abs(Number(a.lower) - Number(b.lower))).toBeLessThan(width / 4);
  expect(Math.abs(Number(a.upper) - Number(b.upper))).toBeLessThan(width / 4);
}

describe('feasibility runs on ClickHouse with DuckDB’s numbers', () => {
  it('trains the demo’s baselines alike', async () => {
    const input = planReadinessInput(demo.audit, tables)!;
    const { duckdb, clickhouse } = await onBoth(
      () =>
        feasibilityAnalysis({
          readiness: input,
          findings: demo.audit.findings,
          personalColumns: planPersonalColumns(demo.audit),
          computedAt: 'x',
        }),
      () => ({}),
    );
    expect(refused).toEqual([]);
    const a = feasibilityResult(duckdb);
    const b = feasibilityResult(clickhouse);
    expect(a.status).toBe('done');
    expect(b.status).toBe('done');
    // The split, the design, every model's held-out AUC, Brier and curves, the learning curve: exact.
    expect(differences(hashFreeFeasibility(a), hashFreeFeasibility(b))).toEqual([]);
    expect(a.baselines.length).toBeGreaterThan(1);
    expect(differences(a.learningFit, b.learningFit, LEARNING_FIT_TOLERANCE)).toEqual([]);
    // Tolerance, hash-drawn figures: each engine's 64-bit hash (DuckDB's hash, ClickHouse's
    // cityHash64) draws its own bootstrap weights, cross-validation folds and kNN sample.
    // Each engine's estimate lies inside the other's 95 % interval, and an interval's
    // bounds move by less than a quarter of its width (Monte Carlo error of 200 replicates).
    for (const [i, model] of a.baselines.entries()) expectCloseInterval(model.prAuc, b.baselines[i]?.prAuc);
    const [noiseA, noiseB] = [a.labelNoise!, b.labelNoise!];
    expectOverlapping(noiseA, noiseB);
    expect(
      knnEstimatesAgree(noiseA.knn!, noiseB.knn!),
      `${noiseA.knn?.estimate} vs ${noiseB.knn?.estimate}`,
    ).toBe(true);
    expect(noiseB.reviewSample.length).toBe(noiseA.reviewSample.length);
    for (const [i, size] of noiseA.reviewSizes.entries()) expectCloseInterval(size, noiseB.reviewSizes[i]);
    // The noise shape's shares of disagreement among the surest rows (out-of-fold, so hash-drawn): within 0.05.
    for (const key of ['surest10', 'surest20'] as const)
      expect(Math.abs(Number(a.noiseShape?.[key]) - Number(b.noiseShape?.[key])), key).toBeLessThan(0.05);
  }, 900_000);
});

/** A table to relate: a file, or a text written to one first. */
type RelationSource = { name: string; roles?: Partial<ColumnRoles> } & ({ path: string } | { csv: string });

/** Each source loaded on DuckDB and copied to ClickHouse under the same name: the relations' tables. */
async function relationTables(sources: RelationSource[]): Promise<RelationTable[]> {
  const participating: RelationTable[] = [];
  for (const source of sources) {
    const path = 'path' in source ? source.path : join(files, source.name);
    if ('csv' in source) await writeFile(path, source.csv);
    const loaded =
      'csv' in source ? await loadBytes(duck, source.name, source.csv) : await loadFile(duck, path);
    await copyToClickHouse(duck, ch, loaded.tableName, path);
    participating.push({
      datasetId: source.name,
      label: source.name,
      tableName: loaded.tableName,
      columns: loaded.columns.map((c) => ({ name: c.name, type: c.type })),
      rows: loaded.rowCount,
      roles: { segments: [], excluded: [], ...source.roles },
    });
  }
  return participating;
}

/** The relations analysis on each engine: its outcomes, after no statement was refused. */
async function relationsOnBoth(
  input: RelationsInput,
): Promise<{ duckdb: RelationsOutcome; clickhouse: RelationsOutcome }> {
  const { duckdb, clickhouse } = await onBoth(
    () => relationsAnalysis(input),
    () => ({}),
  );
  expect(refused).toEqual([]);
  return { duckdb: relationsOutcome(duckdb), clickhouse: relationsOutcome(clickhouse) };
}

describe('relations run on ClickHouse with DuckDB’s numbers', () => {
  it('measures the planted churn extracts’ relations alike (orphans, duplicates, fan-out, point in time, examples)', async () => {
    const planted = plantedRelations();
    const input: RelationsInput = {
      tables: await relationTables([
        {
          name: PLANTED_FILES.customers,
          csv: planted.customers,
          roles: { target: PLANTED_TARGET, eventTime: PLANTED_PARENT_TIME },
        },
        { name: PLANTED_FILES.subscriptions, csv: planted.subscriptions },
        { name: PLANTED_FILES.tickets, csv: planted.tickets },
      ]),
      labelDataset: PLANTED_FILES.customers,
      accepted: [
        {
          child: { dataset: PLANTED_FILES.subscriptions, column: PLANTED_KEY },
          parent: { dataset: PLANTED_FILES.customers, column: PLANTED_KEY },
        },
        {
          child: { dataset: PLANTED_FILES.tickets, column: PLANTED_KEY },
          parent: { dataset: PLANTED_FILES.customers, column: PLANTED_KEY },
        },
      ],
      dismissed: [],
      discover: true,
    };
    const { duckdb, clickhouse } = await relationsOnBoth(input);
    expect(duckdb.results.length).toBe(2);
    expect(differences(duckdb, clickhouse)).toEqual([]);
  });

  it('suggests the real PBC trial tables’ link (pbcseq.id → pbc.id) alike, from what discovery measures', async () => {
    const input: RelationsInput = {
      tables: await relationTables(
        ['pbc.csv', 'pbcseq.csv'].map((name) => ({ name, path: join(FIXTURES, 'relations', name) })),
      ),
      labelDataset: 'pbc.csv',
      accepted: [],
      dismissed: [],
      discover: true,
    };
    const { duckdb, clickhouse } = await relationsOnBoth(input);
    expect(
      duckdb.suggestions.map((x) => [x.child.dataset, x.child.column, x.parent.dataset, x.parent.column]),
    ).toEqual([['pbcseq.csv', 'id', 'pbc.csv', 'id']]);
    expect(differences(duckdb, clickhouse)).toEqual([]);
  });
});

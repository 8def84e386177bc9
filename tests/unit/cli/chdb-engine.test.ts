import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { FIXTURES } from '../../support/engine';
import { cliEngine, engineSourceFor } from '../../../src/lib/cli/engine';
import type { CliFlags } from '../../../src/lib/cli/flags';
import { cliErrorText } from '../../../src/lib/cli/errors';
import { useDialect, DUCKDB } from '../../../src/lib/core/sql/dialect';
import { newAudit } from '../../../src/lib/core/model/document';
import { withDataset } from '../../../src/lib/core/audit/edits';
import type { DatasetProfile } from '../../../src/lib/core/model/audit';
import type { Connector } from '../../../src/lib/engine/connector';
import { toDatasetRef } from '../../../src/lib/engine/dataset-ref';
import { loadDataset, type LoadedDataset } from '../../../src/lib/engine/load-dataset';
import { createNodeConnector } from '../../../src/lib/engine/node-connector';
import { nodeDecoders } from '../../../src/lib/engine/node-decoders';
import { fileSource } from '../../../src/lib/engine/node-source';
import { runAnalysis } from '../../../src/lib/session/analyse';
import type { SessionEngine } from '../../../src/lib/session';

const PLANTED = join(FIXTURES, 'profile/planted.csv');
const FLAGS: CliFlags = { engine: 'chdb', 'query-timeout': '60' };

async function profileOf(conn: Connector, loaded: LoadedDataset): Promise<DatasetProfile> {
  const ref = { ...toDatasetRef(loaded, []), id: 'ds' };
  const audit = withDataset(newAudit('chdb', 'a1'), ref);
  const done = await runAnalysis(conn, audit, { tables: { ds: loaded.tableName }, skipReadiness: true });
  return done.profiles.ds!;
}

// DuckDB first: the chdb engine switches the process to the ClickHouse dialect (one engine per process).
let duckdb: DatasetProfile;
let engine: SessionEngine;
let dir: string;
beforeAll(async () => {
  const wasm = await createNodeConnector();
  try {
    duckdb = await profileOf(wasm, await loadDataset(wasm, nodeDecoders, await fileSource(PLANTED)));
  } finally {
    await wasm.close();
  }
  engine = await cliEngine(FLAGS);
  dir = await mkdtemp(join(tmpdir(), 'sprint-zero-chdb-cli-'));
});
afterAll(async () => {
  await engine.connector.close();
  await rm(dir, { recursive: true, force: true });
  useDialect(DUCKDB);
});

/** Relative closeness for sums the engines add in different orders. */
const close = (a: number | null | undefined, b: number | null | undefined): boolean =>
  a === b ||
  (typeof a === 'number' && typeof b === 'number' && Math.abs(a - b) <= 1e-9 * Math.max(1, Math.abs(a)));

describe('--engine chdb', () => {
  it('loads and profiles a CSV with the numbers DuckDB gives', async () => {
    const loaded = await engine.load!(await engineSourceFor(FLAGS)(PLANTED), {});
    const chdb = await profileOf(engine.connector, loaded);
    expect(chdb.rows).toBe(duckdb.rows);
    const summary = (p: DatasetProfile) =>
      p.columns.map((c) => ({
        name: c.name,
        type: c.type,
        family: c.family,
        count: c.count,
        missing: c.missing,
        distinct: c.distinct.value,
      }));
    expect(summary(chdb)).toEqual(summary(duckdb));
    expect(chdb.duplicateRows).toBe(duckdb.duplicateRows);
    const numeric = duckdb.columns.filter((c) => c.numeric);
    expect(numeric.length).toBeGreaterThan(0);
    for (const col of numeric) {
      const other = chdb.columns.find((c) => c.name === col.name)!;
      for (const key of ['min', 'max', 'mean', 'std'] as const)
        expect(close(other.numeric?.[key], col.numeric![key]), `${col.name}.${key}`).toBe(true);
    }
  });

  it('reads a folder of Parquet files named on the command line', async () => {
    const folder = join(dir, 'lake');
    for (const part of ['a', 'b'])
      await engine.connector.exec(
        `INSERT INTO FUNCTION file('${folder}/part=${part}/0.parquet', 'Parquet') SELECT number AS n FROM numbers(3)`,
      );
    const loaded = await engine.load!(await engineSourceFor(FLAGS)(folder), {});
    expect(loaded).toMatchObject({ fileName: 'lake', format: 'parquet', rowCount: 6 });
    expect(loaded.columns.map((c) => c.name)).toEqual(['n', 'part']);
  });

  it('without the chdb package, says to run npm install --save-dev chdb', async () => {
    const failure = await cliEngine(
      { engine: 'chdb' },
      { importChdb: () => Promise.reject(new Error("Cannot find package 'chdb'")) },
    ).catch((e: unknown) => e);
    expect(cliErrorText(failure)).toBe(
      '--engine chdb needs the chdb package (embedded ClickHouse, Node only), which is not installed: run `npm install --save-dev chdb`.',
    );
  });
});

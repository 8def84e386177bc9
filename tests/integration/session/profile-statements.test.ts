import { describe, it, expect, beforeAll } from 'vitest';
import { useEngine, loadFile } from '../../support/engine';
import { DEMO_CSV } from '../../support/demo';
import type { DatasetProfile } from '../../../src/lib/core/model/audit';
import { QueryRunner, type QueryPort } from '../../../src/lib/session/query-runner';
import { profileTable, type ProfileOptions } from '../../../src/lib/session/profile';

const conn = useEngine();
let demo: string;

/** A port over the node engine that counts the statements the runner sends it. */
function countingPort(onExec?: (sql: string) => void): { port: QueryPort; statements: string[] } {
  const statements: string[] = [];
  const port: QueryPort = {
    query: (sql) => (statements.push(sql), conn.query(sql)),
    exec: async (sql) => {
      statements.push(sql);
      await conn.exec(sql);
      onExec?.(sql);
    },
    cancel: () => conn.cancel(),
  };
  return { port, statements };
}

async function profiled(
  options: ProfileOptions & { fuse?: boolean } = {},
): Promise<{ profile: DatasetProfile; statements: string[] }> {
  const { port, statements } = countingPort();
  const { fuse, ...rest } = options;
  const runner = new QueryRunner(port, fuse === undefined ? {} : { fuse });
  return { profile: await profileTable(runner, demo, 'demo', rest), statements };
}

const timeless = (p: DatasetProfile): Omit<DatasetProfile, 'durationMs' | 'computedAt'> => {
  const { durationMs: _d, computedAt: _c, ...rest } = p;
  return rest;
};

const leftovers = async (): Promise<unknown[]> =>
  conn.query(`SELECT table_name FROM duckdb_tables() WHERE table_name LIKE '__sz_profile%'`);

beforeAll(async () => {
  demo = (await loadFile(conn, DEMO_CSV)).tableName;
});

describe('the profile through the QueryRunner', () => {
  it('profiles the demo in six statements, as engine/run-profile did', async () => {
    const { profile, statements } = await profiled();
    // Columns with the row count, summary, distributions with missingness, duplicates,
    // top values with text patterns, pairwise statistics.
    expect(statements).toHaveLength(6);
    expect(profile.rows).toBe(12_000);
  });

  it('gives the same profile and statements whether or not the runner may fuse, in column batches', async () => {
    const fused = await profiled({ columnBatch: 3 });
    const apart = await profiled({ columnBatch: 3, fuse: false });
    expect(timeless(fused.profile)).toEqual(timeless(apart.profile));
    // Summary batches are kept apart on purpose (see summaryStage): the same statements either way.
    const unnumbered = (sqls: string[]): string[] => sqls.map((sql) => sql.replace(/__sz_profile_\d+_/g, ''));
    expect(unnumbered(fused.statements)).toEqual(unnumbered(apart.statements));
    expect(fused.statements.filter((sql) => sql.includes('count(c0)'))).toHaveLength(1);
    expect(fused.statements.length).toBeGreaterThan(6);
  });

  it('drops the value-count table when cancelled right after filling it', async () => {
    const controller = new AbortController();
    const { port } = countingPort((sql) => {
      if (/^CREATE TEMP TABLE "__sz_profile_\d+_values"/.test(sql)) controller.abort();
    });
    const run = profileTable(new QueryRunner(port), demo, 'demo', {
      columnBatch: 4,
      signal: controller.signal,
    });
    await expect(run).rejects.toMatchObject({ name: 'ProfileError', code: 'cancelled' });
    expect(controller.signal.aborted).toBe(true);
    expect(await leftovers()).toEqual([]);
  });

  it('says which phase failed, in the words profiles have always used', async () => {
    const port: QueryPort = {
      query: (sql) =>
        sql.includes('count(c0)') ? Promise.reject(new Error('Binder Error: boom')) : conn.query(sql),
      exec: (sql) => conn.exec(sql),
      cancel: () => conn.cancel(),
    };
    const failed = {
      name: 'ProfileError',
      code: 'engine',
      message: `Profiling “${demo}” failed while summarising 18 columns: boom.`,
      detail: 'Binder Error: boom',
    };
    await expect(profileTable(new QueryRunner(port), demo, 'demo')).rejects.toMatchObject(failed);
    // In column batches, the progress names the batch but the message names the phase.
    const labels: string[] = [];
    const batched = profileTable(new QueryRunner(port), demo, 'demo', {
      columnBatch: 4,
      onProgress: (p) => labels.push(p.label),
    });
    await expect(batched).rejects.toMatchObject(failed);
    expect(labels).toContain('Summarising 18 columns (batch 1 of 5)');
  });
});

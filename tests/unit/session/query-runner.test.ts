import { beforeAll, describe, expect, it } from 'vitest';
import type { Analysis, QueryResults, Row } from '../../../src/lib/core/pipeline/stage';
import { createNativeConnector } from '../../../src/lib/engine/native-connector';
import { DUCKDB } from '../../../src/lib/core/sql/dialect';
import { AnalysisError, QueryRunner, type QueryPort } from '../../../src/lib/session/query-runner';
import { useEngine } from '../../support/engine';

/** A port that records every statement it is sent. */
function spy(conn: QueryPort): QueryPort & { sent: string[] } {
  const sent: string[] = [];
  return {
    sent,
    query: (sql) => (sent.push(sql), conn.query(sql)),
    exec: (sql) => (sent.push(sql), conn.exec(sql)),
    cancel: () => conn.cancel(),
  };
}

/** An analysis of one stage that keeps its results as the state. */
function oneStage(queries: Analysis<QueryResults>['stages'][number]['queries']): Analysis<QueryResults> {
  return { name: 'test', stages: [{ id: 's', label: 'Testing', queries, resolve: (_, r) => r }] };
}

const conn = useEngine();
beforeAll(async () => {
  await conn.exec(
    `CREATE TABLE t AS SELECT i, i % 7 AS k, 'v' || (i % 3) AS "we""ird name" FROM range(1000) r(i)`,
  );
});

describe('QueryRunner', () => {
  const single = {
    n: { sql: 'SELECT count(*) AS n, sum(i) AS total FROM t', oneRow: true },
    k: {
      sql: 'SELECT count(DISTINCT k) AS distinct_k, max("we""ird name") AS "we""ird name" FROM t',
      oneRow: true,
    },
    stamp: { sql: `SELECT TIMESTAMP '2024-02-29 10:00:00' AS at, NULL::INTEGER AS nothing`, oneRow: true },
  } as const;

  it('fuses one-row statements into one round trip, with the same rows as one at a time', async () => {
    const port = spy(conn);
    const fused = await new QueryRunner(port).run(
      oneStage(() => single),
      {},
    );
    expect(port.sent).toHaveLength(1);
    const alone = await new QueryRunner(conn, { fuse: false }).run(
      oneStage(() => single),
      {},
    );
    expect(fused).toEqual(alone);
    expect(fused.n).toEqual([{ n: 1000, total: 499500 }]);
    expect(fused.k).toEqual([{ distinct_k: 7, 'we"ird name': 'v2' }]);
    expect(fused.stamp).toEqual([{ at: '2024-02-29T10:00:00.000Z', nothing: null }]);
  });

  it('runs one-row statements one by one on an engine whose dialect cannot fuse them', async () => {
    const port = spy(conn);
    const { fuseOneRow: _fuse, ...noFusion } = DUCKDB;
    const rows = await new QueryRunner(port, { dialect: noFusion }).run(
      oneStage(() => single),
      {},
    );
    expect(port.sent).toEqual(Object.values(single).map((s) => s.sql));
    expect(rows.n).toEqual([{ n: 1000, total: 499500 }]);
  });

  it('runs a failing fused part on its own, so the failure names its own statement', async () => {
    const port = spy(conn);
    const failures: string[] = [];
    const analysis: Analysis<QueryResults> = {
      name: 'test',
      stages: [
        {
          id: 's',
          label: 'Testing',
          queries: () => ({
            ...single,
            bad: { sql: 'SELECT count(no_such_column) AS x FROM t', oneRow: true },
          }),
          resolve: (_, r) => r,
          recover: (state, failure) => (
            failures.push(`${failure.key}: ${failure.message}`),
            { ...state, failed: [] }
          ),
        },
      ],
    };
    const state = await new QueryRunner(port).run(analysis, {});
    expect(failures).toHaveLength(1);
    expect(failures[0]).toMatch(/^bad: .*no_such_column/);
    expect(state).toEqual({ failed: [] });
    // The fused attempt, then the parts one by one up to the failing one.
    expect(port.sent.length).toBeGreaterThan(1);
  });

  it('runs a statement two stages share once, and effects first, then cleans up even after a failure', async () => {
    const port = spy(conn);
    const shared = 'SELECT count(*) AS n FROM t WHERE k = 3';
    const analysis: Analysis<Row> = {
      name: 'test',
      stages: [
        {
          id: 'a',
          label: 'First',
          queries: () => ({
            rows: shared,
            temp: { sql: 'CREATE TEMP TABLE runner_tmp AS SELECT 1 AS x', effect: true },
          }),
          resolve: (state, r) => ({ ...state, a: r.rows![0]!.n }),
        },
        {
          id: 'b',
          label: 'Second',
          queries: () => ({ again: shared }),
          resolve: (state, r) => ({ ...state, b: r.again![0]!.n }),
        },
        {
          id: 'c',
          label: 'Failing on purpose',
          queries: () => ({ bad: 'SELECT * FROM no_such_table' }),
          resolve: (s) => s,
        },
      ],
      cleanup: () => ['DROP TABLE IF EXISTS runner_tmp'],
    };
    const error = await new QueryRunner(port).run(analysis, {}).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(AnalysisError);
    expect((error as AnalysisError).message).toMatch(
      /^The test failed while failing on purpose: .*no_such_table/,
    );
    expect(port.sent.filter((s) => s === shared)).toHaveLength(1);
    expect(port.sent[0]).toMatch(/^CREATE TEMP TABLE/);
    expect(port.sent.at(-1)).toBe('DROP TABLE IF EXISTS runner_tmp');
    expect(
      await conn.query(`SELECT count(*) AS n FROM duckdb_tables() WHERE table_name = 'runner_tmp'`),
    ).toEqual([{ n: 0 }]);
  });

  it('skips a stage that does not apply and reports progress for each stage that runs', async () => {
    const seen: string[] = [];
    const analysis: Analysis<{ go: boolean }> = {
      name: 'test',
      stages: [
        {
          id: 'off',
          label: 'Never',
          applies: (s) => s.go,
          queries: () => ({ x: 'SELECT 1 AS x' }),
          resolve: (s) => s,
        },
        { id: 'on', label: 'Always', queries: () => ({ x: 'SELECT 1 AS x' }), resolve: (s) => s },
      ],
    };
    await new QueryRunner(conn).run(
      analysis,
      { go: false },
      { onProgress: (p) => seen.push(`${p.stage} ${p.done}/${p.total}`) },
    );
    expect(seen).toEqual(['on 1/2', 'done 2/2']);
  });
});

describe('QueryRunner on an engine that can interrupt (native DuckDB)', () => {
  it('interrupts the running statement on cancel, well within 2 s', async () => {
    const native = await createNativeConnector({ threads: 1 });
    try {
      const slow = 'SELECT sum(hash(i) % 7) AS s FROM range(20000000000) r(i)';
      const controller = new AbortController();
      const started = performance.now();
      setTimeout(() => controller.abort(), 300);
      const error = await new QueryRunner(native)
        .run(
          oneStage(() => ({ slow })),
          {},
          { signal: controller.signal },
        )
        .catch((e: unknown) => e);
      const elapsed = performance.now() - started;
      expect(error).toBeInstanceOf(AnalysisError);
      expect((error as AnalysisError).code).toBe('cancelled');
      expect(elapsed).toBeLessThan(2300);
      // The connection is usable again at once.
      expect(await native.query('SELECT 42 AS x')).toEqual([{ x: 42 }]);
    } finally {
      await native.close();
    }
  });
});

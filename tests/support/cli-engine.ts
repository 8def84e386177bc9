import { afterAll } from 'vitest';
import type { Connector } from '../../src/lib/engine/connector';
import { createNodeConnector } from '../../src/lib/engine/node-connector';
import { dropTableQuery, dropViewQuery } from '../../src/lib/core/sql/table';
import type { CliEngineDeps } from '../../src/lib/cli/engine';

/**
 * One DuckDB-WASM engine for every in-process CLI run of a test file (starting one costs
 * ~2 s of CPU). A run's `close()` empties the database instead, so each run starts as on a
 * fresh engine; the engine itself closes after the file. Tests that need a real process
 * (exit codes through npm, signals, stdout) still spawn the CLI.
 */
export function sharedCliEngine(): CliEngineDeps {
  let started: Promise<Connector> | undefined;
  afterAll(async () => {
    if (started) await (await started).close();
  });
  return {
    wasm: async () => {
      const conn = await (started ??= createNodeConnector());
      // The Node connector is a plain object of closures, so a copy with another `close` works.
      return { ...conn, close: () => emptyDatabase(conn) };
    },
  };
}

/** Drop every view and table a run left, the views first (they may read the tables). */
async function emptyDatabase(conn: Connector): Promise<void> {
  await conn.cancel().catch(() => {});
  const views = await conn.query('SELECT view_name FROM duckdb_views() WHERE NOT internal AND NOT temporary');
  for (const { view_name } of views) await conn.exec(dropViewQuery(String(view_name)));
  const tables = await conn.query('SELECT table_name FROM duckdb_tables() WHERE NOT temporary');
  for (const { table_name } of tables) await conn.exec(dropTableQuery(String(table_name)));
}

import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import * as duckdb from '@duckdb/duckdb-wasm/blocking';
import type { ArrowTableWriter, Connector, DataSource, ProgressListener, Row } from './connector';
import { tableWriter } from './connector';
import { BEGIN_TRANSACTION, OFFLINE_SETTINGS } from '../core/sql/load';
import { arrowToRows } from './arrow-rows';
import type { Table } from 'apache-arrow';

/**
 * The same DuckDB-WASM engine as the browser, through its blocking Node bundle.
 * Used by unit tests, the CLI and the benchmark.
 */
export async function createNodeConnector(): Promise<Connector> {
  return openNodeConnector(await instantiateNodeDuckDB());
}

/**
 * One DuckDB-WASM instance that opens connectors one after another, each on a new, empty
 * database (no table, view or registered file; default settings). Starting the wasm engine
 * costs ~2 s of CPU, opening a database ~0.1 s: for test runners that run many files in one
 * process. Close a connector before opening the next; a closed one's database is gone.
 */
export interface ReopenableNodeEngine {
  open(): Connector;
}

/** A started DuckDB-WASM engine that `open()`s fresh databases (see ReopenableNodeEngine). */
export async function reopenableNodeEngine(): Promise<ReopenableNodeEngine> {
  const db = await instantiateNodeDuckDB();
  return {
    open: () => {
      // close() reset the previous database; the files registered with it are dropped here.
      db.dropFiles();
      return openNodeConnector(db);
    },
  };
}

type NodeDuckDB = Awaited<ReturnType<typeof duckdb.createDuckDB>>;

async function instantiateNodeDuckDB(): Promise<NodeDuckDB> {
  const require = createRequire(import.meta.url);
  const dist = dirname(require.resolve('@duckdb/duckdb-wasm/dist/duckdb-eh.wasm'));
  const bundles: duckdb.DuckDBBundles = {
    mvp: { mainModule: join(dist, 'duckdb-mvp.wasm'), mainWorker: join(dist, 'duckdb-node-mvp.worker.cjs') },
    eh: { mainModule: join(dist, 'duckdb-eh.wasm'), mainWorker: join(dist, 'duckdb-node-eh.worker.cjs') },
  };
  const db = await duckdb.createDuckDB(bundles, new duckdb.VoidLogger(), duckdb.NODE_RUNTIME);
  await db.instantiate();
  return db;
}

/** A connector on a newly opened database of `db`; its close() resets the database. */
function openNodeConnector(db: NodeDuckDB): Connector {
  db.open({ query: { castBigIntToDouble: false } });
  const conn = db.connect();
  for (const statement of OFFLINE_SETTINGS) conn.query(statement);

  const run = (sql: string): Table => conn.query(sql);

  return {
    kind: 'node',
    query: async (sql: string): Promise<Row[]> => arrowToRows(run(sql)),
    queryArrow: async (sql: string): Promise<Table> => run(sql),
    exec: async (sql: string): Promise<void> => {
      run(sql);
    },
    registerSource: async (virtualName: string, source: DataSource): Promise<void> => {
      if (source.path) db.registerFileURL(virtualName, source.path, duckdb.DuckDBDataProtocol.NODE_FS, false);
      else db.registerFileBuffer(virtualName, await source.bytes());
    },
    registerBuffer: async (virtualName: string, bytes: Uint8Array): Promise<void> => {
      db.registerFileBuffer(virtualName, bytes);
    },
    unregister: async (virtualName: string): Promise<void> => {
      db.dropFile(virtualName);
    },
    insertArrowIPC: async (table: string, ipcStream: Uint8Array): Promise<void> => {
      conn.insertArrowFromIPCStream(ipcStream, { name: table, create: true });
    },
    arrowTableWriter: async (table: string): Promise<ArrowTableWriter> => {
      const writer = db.connect();
      for (const statement of OFFLINE_SETTINGS) writer.query(statement);
      writer.query(BEGIN_TRANSACTION);
      return tableWriter({
        append: async (ipcStream, create) => {
          writer.insertArrowFromIPCStream(ipcStream, { name: table, create });
        },
        run: async (sql) => {
          writer.query(sql);
        },
        close: async () => writer.close(),
      });
    },
    insertJSON: async (table: string, virtualName: string): Promise<void> => {
      conn.insertJSONFromPath(virtualName, { name: table, create: true });
    },
    // The blocking bundle runs statements synchronously, so there is never one to interrupt.
    cancel: async (): Promise<void> => {},
    onProgress: (_listener: ProgressListener) => () => {},
    close: async (): Promise<void> => {
      conn.close();
      db.reset();
    },
  };
}

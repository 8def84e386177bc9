import type { Table } from 'apache-arrow';

/** A plain JS row: column name to scalar. BigInts are narrowed to numbers, timestamps to ISO strings. */
export type Row = Record<string, unknown>;

/** A query's execution progress as reported by DuckDB (0–1), when it reports one. */
export type ProgressListener = (fraction: number) => void;

/** Where file bytes come from; the browser passes a `File`, Node a buffer. */
export interface DataSource {
  readonly name: string;
  readonly size: number;
  readonly lastModified: number;
  /** Whole content. Formats parsed in JS (Parquet, Excel, Arrow) need it. */
  bytes(onProgress?: (loaded: number, total: number) => void, signal?: AbortSignal): Promise<Uint8Array>;
  /** The first `length` bytes, for format sniffing without reading everything. */
  head(length: number): Promise<Uint8Array>;
  /** The browser `File` behind this source, registered without copying into the heap. */
  readonly file?: File;
  /** A local path (Node only), registered without copying into the heap. */
  readonly path?: string;
  /**
   * The content as a `Blob` not yet read: the `File` itself in the browser,
   * which the decode worker reads there (the page never holds the bytes), and
   * a file-backed blob in Node. Absent: `bytes()` wrapped in a blob.
   */
  blob?(): Promise<Blob>;
  /**
   * The content's hex SHA-256, read by the source itself, for files no loader
   * reads whole (a CSV DuckDB streams): streamed in Node, read once in the
   * browser up to `MAX_DIGEST_BYTES`; undefined above it.
   */
  sha256?(): Promise<string | undefined>;
}

/**
 * The one interface in front of DuckDB. The browser implementation talks to a
 * Web Worker; the Node one runs the blocking bundle of the very same engine.
 */
export interface Connector {
  readonly kind: 'browser' | 'node';
  /** Run a statement and return its rows as plain objects. */
  query(sql: string): Promise<Row[]>;
  /** Run a statement and return the Arrow table. */
  queryArrow(sql: string): Promise<Table>;
  /** Run a statement for its side effects. */
  exec(sql: string): Promise<void>;
  /** Make a data source readable by SQL under a virtual file name. */
  registerSource(virtualName: string, source: DataSource): Promise<void>;
  /** Register an in-memory buffer under a virtual file name. */
  registerBuffer(virtualName: string, bytes: Uint8Array): Promise<void>;
  unregister(virtualName: string): Promise<void>;
  /** Create `table` from an Arrow IPC stream. Fails if the table exists. */
  insertArrowIPC(table: string, ipcStream: Uint8Array): Promise<void>;
  /**
   * Start writing a new table in parts, on a connection and in a transaction
   * of its own, so no statement ever sees a partial table and a failed or
   * cancelled load leaves none. Optional: without it the loader inserts whole
   * files through `insertArrowIPC`.
   */
  arrowTableWriter?(table: string): Promise<ArrowTableWriter>;
  /** Create `table` from a registered JSON file holding an array of objects. */
  insertJSON(table: string, virtualName: string): Promise<void>;
  /** Interrupt the running statement, if any. */
  cancel(): Promise<void>;
  /**
   * A second connection to the same database, for background work: its
   * statements queue apart from this connector's, and its `cancel` interrupts
   * only them, so stopping the work never waits for its running statement.
   * Closing it closes only that connection. Optional: an engine without it
   * runs background work on the connector itself.
   */
  background?(): Promise<Connector>;
  /** Subscribe to execution progress; returns an unsubscribe function. */
  onProgress(listener: ProgressListener): () => void;
  /**
   * Release the engine and any files it holds. `exiting`: the process ends next (a
   * signal), so remove what holds client data and skip any close that could wait for
   * a running statement.
   */
  close(options?: { exiting?: boolean }): Promise<void>;
}

/** Appends Arrow IPC streams to one new table; see `Connector.arrowTableWriter`. */
export interface ArrowTableWriter {
  /** Append one IPC stream (schema included). The first one creates the table, with its columns and types. */
  append(ipcStream: Uint8Array): Promise<void>;
  /** Commit: the table, with every row appended, becomes visible to all statements. */
  commit(): Promise<void>;
  /** Roll back: the table never existed. Safe to call after a failed append or a commit (then it does nothing). */
  abort(): Promise<void>;
}

/** Statements every connection runs first: never reach for the network (built in core/sql/load). */
export { OFFLINE_SETTINGS } from '../core/sql/load';

/** The engine calls an `ArrowTableWriter` needs, on a connection of its own with a transaction open. */
export interface TableWriterConnection {
  append(ipcStream: Uint8Array, create: boolean): Promise<void>;
  run(sql: string): Promise<void>;
  close(): Promise<void>;
}

/**
 * An `ArrowTableWriter` over a connection that has just begun a transaction:
 * the first append creates the table, `commit` and `abort` end the transaction
 * and close the connection, once.
 */
export function tableWriter(connection: TableWriterConnection): ArrowTableWriter {
  let created = false;
  let open = true;
  const finish = async (sql: 'COMMIT' | 'ROLLBACK'): Promise<void> => {
    if (!open) return;
    open = false;
    try {
      await connection.run(sql);
    } finally {
      await connection.close();
    }
  };
  return {
    append: async (ipcStream) => {
      if (!open) throw new Error('This table writer has already committed or aborted.');
      await connection.append(ipcStream, !created);
      created = true;
    },
    commit: () => finish('COMMIT'),
    abort: () => finish('ROLLBACK'),
  };
}

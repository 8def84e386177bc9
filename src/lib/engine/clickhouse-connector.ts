/**
 * A ClickHouse server or cluster behind the app's `Connector`, through the
 * official `@clickhouse/client`: the audit runs where the data is and only
 * aggregates and example rows come back. Read-only: the audited table is read
 * in place, no table, view or file is created on the server.
 *
 * Node only, loaded through a dynamic import: nothing under src/lib/ui or the
 * browser entry may import this file.
 */
import { randomUUID } from 'node:crypto';
import { tableFromJSON, type Table } from 'apache-arrow';
import type { ClickHouseClient } from '@clickhouse/client';
import type { Connector, Row } from './connector';
import {
  CLICKHOUSE_CODES,
  EngineSetupError,
  clickhouseCode,
  clickhouseProblem,
  type ClickHouseTarget,
} from './clickhouse-errors';
import { ROWS_FORMAT, ROWS_SETTINGS, clickhouseRows, parseJsonCompact } from './clickhouse-rows';
import { errorText } from './errors';
import { describeTable, countRows, type LoadedDataset } from './load-dataset';
import type { ServerTable } from '../core/model/audit';
import { CLICKHOUSE_SETTINGS } from '../core/sql/dialect';
import { ident, str } from '../core/sql/quote';

export interface ClickHouseConnectorOptions {
  /** The server's HTTP interface, e.g. `http://host:8123`. */
  url: string;
  database: string;
  /** The audited table, read in place. */
  table: string;
  user?: string;
  password?: string;
  /** The longest a statement may run; stopped on the server (KILL QUERY) beyond it. */
  timeoutSeconds?: number;
}

/** A `Connector` on a ClickHouse server, plus the dataset it reads. */
export interface ClickHouseConnector extends Connector {
  readonly engine: 'clickhouse';
  /** The audited table as a loaded dataset: its columns and row count, read on the server. */
  dataset(): Promise<LoadedDataset>;
}

/** The default `timeoutSeconds`: an audit statement on a large table may scan it whole. */
export const DEFAULT_CLICKHOUSE_TIMEOUT_SECONDS = 600;

/** ClickHouse's READONLY error: a `readonly=1` user may not change any setting. */
const READONLY = 164;

const NO_FILES = 'The ClickHouse server engine reads its table in place; it loads no files.';

/**
 * Where the audited table lives, as the document records it: the URL's
 * protocol, host and port (the port the client connects to: the URL's, else
 * HTTP's or HTTPS's own), the database and the table. Never the user, the
 * password or anything else the URL carries (credentials, a path, settings).
 */
export function serverTable(
  options: Pick<ClickHouseConnectorOptions, 'url' | 'database' | 'table'>,
): ServerTable {
  const url = new URL(options.url);
  const protocol = url.protocol === 'https:' ? 'https' : 'http';
  const port = url.port === '' ? (protocol === 'https' ? 443 : 80) : Number(url.port);
  return { protocol, host: url.hostname, port, database: options.database, table: options.table };
}

/**
 * Connect to a ClickHouse server and check that the table can be read: an
 * unreachable server, refused credentials, a missing database or table each
 * throw an `EngineSetupError` with one line saying which.
 */
export async function createClickHouseConnector(
  options: ClickHouseConnectorOptions,
): Promise<ClickHouseConnector> {
  const target: ClickHouseTarget = {
    url: options.url,
    database: options.database,
    table: options.table,
    user: options.user ?? 'default',
  };
  const timeoutSeconds = options.timeoutSeconds ?? DEFAULT_CLICKHOUSE_TIMEOUT_SECONDS;
  const { createClient, ClickHouseLogLevel } = await import('@clickhouse/client');
  const open = (settings: boolean): ClickHouseClient =>
    createClient({
      url: options.url,
      database: options.database,
      username: target.user,
      password: options.password ?? '',
      request_timeout: timeoutSeconds * 1000,
      log: { level: ClickHouseLogLevel.OFF },
      ...(settings ? { clickhouse_settings: { ...CLICKHOUSE_SETTINGS, ...ROWS_SETTINGS } } : {}),
    });
  const problem = (error: unknown): EngineSetupError =>
    new EngineSetupError(clickhouseProblem(error, target, timeoutSeconds), String(error));

  let client = open(true);
  const probe = `SELECT 1 FROM ${ident(options.table)} LIMIT 0`;
  try {
    const ping = await client.ping();
    if (!ping.success) throw ping.error;
    await client.query({ query: probe, format: ROWS_FORMAT }).then((r) => r.text());
  } catch (error) {
    if (clickhouseCode(error) !== READONLY) {
      await client.close();
      throw problem(error);
    }
    // A readonly=1 user may change no setting: run with the server's own.
    await client.close();
    client = open(false);
    try {
      await client.query({ query: probe, format: ROWS_FORMAT }).then((r) => r.text());
    } catch (retry) {
      await client.close();
      throw problem(retry);
    }
  }

  let running: string | undefined;
  const kill = async (queryId: string): Promise<void> => {
    // The server keeps running an abandoned request's query: stop it by its id.
    await client.command({ query: `KILL QUERY WHERE query_id = ${str(queryId)} ASYNC` }).catch(() => {});
  };
  const withId = async <T>(work: (queryId: string) => Promise<T>): Promise<T> => {
    const queryId = randomUUID();
    running = queryId;
    try {
      return await work(queryId);
    } catch (error) {
      const code = clickhouseCode(error);
      // No answer from the server (a client-side timeout, a dropped connection): it may still be running.
      if (code === undefined) await kill(queryId);
      if (code === CLICKHOUSE_CODES.TIMEOUT_EXCEEDED || /^Timeout error/.test(errorText(error)))
        throw problem(error);
      throw error;
    } finally {
      if (running === queryId) running = undefined;
    }
  };
  const query = (sql: string): Promise<Row[]> =>
    withId(async (query_id) => {
      const result = await client.query({ query: sql, format: ROWS_FORMAT, query_id });
      return clickhouseRows(parseJsonCompact(await result.text()));
    });
  const refuse = (): Promise<never> => Promise.reject(new Error(NO_FILES));

  const connector: ClickHouseConnector = {
    kind: 'node',
    engine: 'clickhouse',
    query,
    queryArrow: async (sql): Promise<Table> => tableFromJSON((await query(sql)) as Record<string, unknown>[]),
    exec: (sql) => withId(async (query_id) => void (await client.command({ query: sql, query_id }))),
    registerSource: refuse,
    registerBuffer: refuse,
    unregister: async () => {},
    insertArrowIPC: refuse,
    insertJSON: refuse,
    cancel: async () => {
      if (running !== undefined) await kill(running);
    },
    onProgress: () => () => {},
    dataset: async () => {
      const started = performance.now();
      const columns = await describeTable(connector, options.table);
      return {
        tableName: options.table,
        fileName: `${options.database}.${options.table}`,
        format: 'clickhouse',
        server: serverTable(options),
        sizeBytes: 0,
        lastModified: 0,
        rowCount: await countRows(connector, options.table),
        columns,
        warnings: [],
        loadMs: performance.now() - started,
      };
    },
    close: async ({ exiting = false } = {}) => {
      if (running !== undefined) await kill(running);
      if (!exiting) await client.close();
    },
  };
  return connector;
}

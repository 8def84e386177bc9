import { createRequire } from 'node:module';
import type * as Chdb from 'chdb';
import type { Row } from '../../src/lib/core/pipeline/stage';
import {
  CLICKHOUSE,
  CLICKHOUSE_SETTINGS,
  DUCKDB,
  clickhouseType,
  useDialect,
  type SqlDialect,
} from '../../src/lib/core/sql/dialect';
import { ident, str } from '../../src/lib/core/sql/quote';
import type { Connector } from '../../src/lib/engine/connector';
import type { QueryPort } from '../../src/lib/session/query-runner';

export type ChdbPort = QueryPort & { failures: { sql: string; error: string }[] };

/** A QueryPort on a chDB session (rows as JSONEachRow), with a log of the statements that failed. */
export function chdbPort(session: Chdb.Session): ChdbPort {
  const failures: { sql: string; error: string }[] = [];
  const run = (sql: string, format: string): string => {
    try {
      return session.query(sql, format);
    } catch (error) {
      failures.push({ sql, error: String(error).slice(0, 400) });
      throw error;
    }
  };
  return {
    failures,
    query: async (sql) =>
      run(sql, 'JSONEachRow')
        .split('\n')
        .filter((line) => line.trim() !== '')
        .map((line) => JSON.parse(line) as Row),
    exec: async (sql) => {
      run(sql, 'TSV');
    },
    cancel: async () => {},
  };
}

/**
 * A chDB session with the audit's ClickHouse settings, as the connector sets them, and
 * 64-bit integers as JSON numbers (the port parses rows with JSON.parse). chDB allows one
 * engine per process: call it once per test file.
 */
export async function chdbTestSession(): Promise<{ session: Chdb.Session; port: ChdbPort }> {
  const { Session } = createRequire(import.meta.url)('chdb') as typeof Chdb;
  const session = new Session();
  const port = chdbPort(session);
  for (const [name, value] of Object.entries({
    ...CLICKHOUSE_SETTINGS,
    output_format_json_quote_64bit_integers: 0,
  }))
    await port.exec(`SET ${name} = ${typeof value === 'number' ? value : str(String(value))}`);
  return { session, port };
}

/**
 * The table DuckDB loaded from the CSV at `path`, in ClickHouse under the same name with
 * the same column types, read by position (the loader may have renamed a header).
 */
export async function copyToClickHouse(
  duck: Pick<Connector, 'query'>,
  ch: Pick<QueryPort, 'exec'>,
  table: string,
  path: string,
): Promise<void> {
  const columns = await duck.query(DUCKDB.describeColumnsQuery(table));
  const structure = columns
    .map((c) => `${ident(String(c.column_name))} Nullable(${clickhouseType(String(c.data_type))})`)
    .join(', ');
  await ch.exec(
    `CREATE TABLE ${ident(table)} ENGINE = Memory AS SELECT * FROM file(${str(path)}, 'CSVWithNames', ${str(structure)}) SETTINGS input_format_with_names_use_header = 0`,
  );
}

/** The rows of `build`'s statement on each engine, each built and run with its own dialect active. */
export async function onBothEngines(
  duck: Pick<Connector, 'query'>,
  ch: Pick<QueryPort, 'query'>,
  build: (d: SqlDialect) => string,
): Promise<{ duckdb: Row[]; clickhouse: Row[] }> {
  useDialect(DUCKDB);
  const duckdb = await duck.query(build(DUCKDB));
  useDialect(CLICKHOUSE);
  try {
    return { duckdb, clickhouse: await ch.query(build(CLICKHOUSE)) };
  } finally {
    useDialect(DUCKDB);
  }
}

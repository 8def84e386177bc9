import { createRequire } from 'node:module';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import type * as Chdb from 'chdb';

/** URL parameters the client sends that are not settings. */
const NOT_SETTINGS = new Set(['database', 'query_id', 'query', 'default_format']);

/** A running fake server: its URL, every statement it was sent, and how to stop it. */
export interface FakeClickHouse {
  url: string;
  statements: string[];
  close: () => Promise<void>;
}

export interface FakeClickHouseOptions {
  /**
   * Serve every request as a `readonly=1` user, as ClickHouse itself enforces it:
   * no table, temporary table or setting may be created or changed.
   */
  readOnly?: boolean;
  /** Settings of the user's profile on the server, in force before any request (a readonly=1 user can change none). */
  profileSettings?: Readonly<Record<string, string | number>>;
}

/**
 * A ClickHouse server for tests: chDB behind ClickHouse's HTTP interface (the
 * query in the body, the database and settings as URL parameters, errors with the
 * `X-ClickHouse-Exception-Code` header), holding `db.t` read from `csv` as a
 * MergeTree table. chDB allows one engine per process: only files that vitest
 * runs in a fork of their own (named `*clickhouse*` or `*chdb*`) may start it.
 */
export async function startFakeClickHouse(
  csv: string,
  options: FakeClickHouseOptions = {},
): Promise<FakeClickHouse> {
  const { Session } = createRequire(import.meta.url)('chdb') as typeof Chdb;
  const session = new Session();
  await session.queryAsync('CREATE DATABASE db');
  await session.queryAsync(
    `CREATE TABLE db.t ENGINE = MergeTree ORDER BY tuple() AS SELECT * FROM file('${csv}') SETTINGS schema_inference_make_columns_nullable = 1`,
  );
  for (const [name, value] of Object.entries(options.profileSettings ?? {}))
    await session.queryAsync(`SET ${name} = ${typeof value === 'number' ? value : `'${value}'`}`);
  // For good: a readonly=1 session may not even change `readonly` back.
  if (options.readOnly) await session.queryAsync('SET readonly = 1');
  const statements: string[] = [];
  let queue: Promise<unknown> = Promise.resolve();
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      if (req.url?.startsWith('/ping')) return void res.end('Ok.\n');
      const params = new URL(req.url ?? '/', 'http://x').searchParams;
      const sql = Buffer.concat(chunks).toString('utf8') || (params.get('query') ?? '');
      statements.push(sql);
      // One statement at a time, as chDB runs them.
      queue = queue.then(async () => {
        try {
          await session.queryAsync(`USE ${params.get('database') ?? 'default'}`);
          for (const [name, value] of params)
            if (!NOT_SETTINGS.has(name))
              await session.queryAsync(`SET ${name} = '${value.replaceAll("'", "''")}'`);
          const result = await session.queryAsync(sql, { format: 'JSONCompact' });
          res.writeHead(200, { 'Content-Type': 'application/json' });
          res.end(Buffer.from(result.bytes()));
        } catch (error) {
          const message = error instanceof Error ? error.message : String(error);
          const code = /Code: (\d+)/.exec(message)?.[1] ?? '1';
          res.writeHead(500, { 'X-ClickHouse-Exception-Code': code });
          res.end(message);
          // A failed statement's partial output would prefix the next result: flush it.
          await session.queryAsync('SELECT 1', { format: 'TSV' }).catch(() => {});
        }
      });
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    statements,
    close: async () => {
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
      session.close();
    },
  };
}

/** Statements that write nothing: what a read-only audit may send. */
export const READ_ONLY_STATEMENT = /^\s*(SELECT|WITH|DESCRIBE|SHOW|EXPLAIN|KILL QUERY)\b/i;

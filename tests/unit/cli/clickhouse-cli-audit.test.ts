import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createRequire } from 'node:module';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import type * as Chdb from 'chdb';
import { FIXTURES } from '../../support/engine';
import { runCli } from '../../../src/lib/cli/run';
import { engineSourceFor } from '../../../src/lib/cli/engine';
import type { CliFlags } from '../../../src/lib/cli/flags';

/**
 * A ClickHouse server for the test: chDB behind ClickHouse's HTTP interface (the
 * query in the body, the database and settings as URL parameters, errors with the
 * `X-ClickHouse-Exception-Code` header), holding `db.t` as a MergeTree table.
 */
const { Session } = createRequire(import.meta.url)('chdb') as typeof Chdb;
const CSV = join(FIXTURES, 'formats/tiny.csv');
/** URL parameters the client sends that are not settings. */
const NOT_SETTINGS = new Set(['database', 'query_id', 'query', 'default_format']);

let session: Chdb.Session;
let server: Server;
let url: string;
const statements: string[] = [];

beforeAll(async () => {
  session = new Session();
  await session.queryAsync('CREATE DATABASE db');
  await session.queryAsync(
    `CREATE TABLE db.t ENGINE = MergeTree ORDER BY tuple() AS SELECT * FROM file('${CSV}') SETTINGS schema_inference_make_columns_nullable = 1`,
  );
  let queue: Promise<unknown> = Promise.resolve();
  server = createServer((req, res) => {
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
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(async () => {
  server.closeAllConnections();
  await new Promise((resolve) => server.close(resolve));
  session.close();
});

describe('npm run audit -- --engine clickhouse on a server', () => {
  it('audits db.t where it is: the profile of its rows, and nothing written on the server', async () => {
    const lines: string[] = [];
    const flags: CliFlags = { engine: 'clickhouse', url, database: 'db', table: 't', 'as-of': '2026-11-01' };
    // run.ts opens files; the table is opened as the engine's source (engineSourceFor).
    const result = await runCli(['db.t'], flags, (line) => lines.push(line), engineSourceFor(flags));
    expect(lines.filter((line) => line.startsWith('error:'))).toEqual([]);
    expect(result.exitCode).not.toBe(1);
    const document = result.document!;
    const profile = Object.values(document.profiles)[0]!;
    expect(profile.rows).toBe(20);
    expect(profile.columns.map((c) => c.name)).toEqual(['id', 'name', 'signup_date', 'last_seen', 'amount']);
    // Read-only: no table, view or file is created, changed or dropped on the server.
    const writes = statements.filter(
      (sql) => !/^\s*(SELECT|WITH|DESCRIBE|SHOW|EXPLAIN|KILL QUERY)\b/i.test(sql),
    );
    expect(writes).toEqual([]);
  });
});

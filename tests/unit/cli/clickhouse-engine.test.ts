import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { main, type CliIO } from '../../../src/lib/cli';
import { createClickHouseConnector } from '../../../src/lib/engine/clickhouse-connector';
import { EngineSetupError } from '../../../src/lib/engine/clickhouse-errors';
import { cliEngine } from '../../../src/lib/cli/engine';
import { UsageError } from '../../../src/lib/cli/flags';

/** One request the fake server received: its SQL and URL parameters. */
interface Received {
  sql: string;
  params: URLSearchParams;
  /** The `user:password` the request authenticated with. */
  credentials: string;
}

/** How the fake server answers a query (not `/ping`). */
type Answer = (sql: string, params: URLSearchParams, res: ServerResponse) => void;

/** An error as ClickHouse's HTTP interface sends it: a status, the code header and `Code: N. DB::Exception: …`. */
function chError(status: number, code: number, type: string, message: string): Answer {
  return (_sql, _params, res) => {
    res.writeHead(status, { 'X-ClickHouse-Exception-Code': String(code), 'Content-Type': 'text/plain' });
    res.end(`Code: ${code}. DB::Exception: ${message}. (${type}) (version 26.7.1.1)\n`);
  };
}

const EMPTY_RESULT: Answer = (_sql, _params, res) => {
  res.writeHead(200, { 'Content-Type': 'application/json' });
  res.end(JSON.stringify({ meta: [{ name: '1', type: 'UInt8' }], data: [], rows: 0 }));
};

let server: Server;
let url: string;
let answer: Answer = EMPTY_RESULT;
let received: Received[] = [];
/** Requests left hanging (a slow query), answered at teardown. */
const hanging: ServerResponse[] = [];

beforeAll(async () => {
  server = createServer((req: IncomingMessage, res: ServerResponse) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const params = new URL(req.url ?? '/', 'http://x').searchParams;
      if (req.url?.startsWith('/ping')) {
        res.end('Ok.\n');
        return;
      }
      const sql = Buffer.concat(chunks).toString('utf8') || (params.get('query') ?? '');
      const basic = /^Basic (.+)$/.exec(req.headers.authorization ?? '')?.[1];
      const credentials = basic
        ? Buffer.from(basic, 'base64').toString('utf8')
        : `${String(req.headers['x-clickhouse-user'])}:${String(req.headers['x-clickhouse-key'])}`;
      received.push({ sql, params, credentials });
      answer(sql, params, res);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterEach(() => {
  for (const res of hanging.splice(0)) res.destroy();
  answer = EMPTY_RESULT;
  received = [];
});
afterAll(async () => {
  server.closeAllConnections();
  await new Promise((resolve) => server.close(resolve));
});

async function closedPort(): Promise<number> {
  const probe = createServer();
  await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve));
  const { port } = probe.address() as AddressInfo;
  await new Promise((resolve) => probe.close(resolve));
  return port;
}

/** The CLI on `--engine clickhouse`: its exit code and what it printed on stderr. */
async function audit(serverUrl: string, extra: string[] = []): Promise<{ code: number; err: string[] }> {
  const err: string[] = [];
  const io: CliIO = {
    stdout: () => {},
    stderr: (text) => err.push(...text.split('\n').filter((line) => line !== '')),
    writeFile: async () => {},
  };
  const args = ['db.t', '--engine', 'clickhouse', '--url', serverUrl, '--database', 'db', '--table', 't'];
  const code = await main([...args, ...extra], io);
  return { code, err };
}

describe('--engine clickhouse on a server that cannot be used', () => {
  it('an unreachable server: one line naming the address, exit 1', async () => {
    const closed = `http://127.0.0.1:${await closedPort()}`;
    const { code, err } = await audit(closed);
    expect(code).toBe(1);
    expect(err).toEqual([`error: cannot reach the ClickHouse server at ${closed} (connection refused).`]);
  });

  it('a host name that does not resolve: says so', async () => {
    // .invalid never resolves (RFC 2606); offline, the lookup fails the same way (EAI_AGAIN).
    const nowhere = 'http://clickhouse.invalid:8123';
    const { code, err } = await audit(nowhere);
    expect(code).toBe(1);
    expect(err).toEqual([`error: cannot reach the ClickHouse server at ${nowhere} (no such host).`]);
  });

  it('refused credentials (code 516): names the user and where the password comes from', async () => {
    answer = chError(
      403,
      516,
      'AUTHENTICATION_FAILED',
      'analyst: Authentication failed: password is incorrect, or there is no user with such name',
    );
    const { code, err } = await audit(url, ['--user', 'analyst']);
    expect(code).toBe(1);
    expect(err).toEqual([
      `error: the ClickHouse server at ${url} refused user “analyst”: wrong user name or password (set it with --user and the CLICKHOUSE_PASSWORD environment variable).`,
    ]);
  });

  it('a missing table (code 60) and a missing database (code 81) each say which', async () => {
    answer = chError(
      404,
      60,
      'UNKNOWN_TABLE',
      "Unknown table expression identifier 't' in scope SELECT 1 FROM t",
    );
    expect(await audit(url)).toEqual({
      code: 1,
      err: [`error: the ClickHouse server at ${url} has no table “db.t”.`],
    });
    answer = chError(404, 81, 'UNKNOWN_DATABASE', 'Database db does not exist');
    expect(await audit(url)).toEqual({
      code: 1,
      err: [`error: the ClickHouse server at ${url} has no database “db”.`],
    });
  });

  it('a server that does not answer within --query-timeout: one line, exit 1', async () => {
    answer = (_sql, _params, res) => void hanging.push(res);
    const { code, err } = await audit(url, ['--query-timeout', '1']);
    expect(code).toBe(1);
    expect(err).toEqual([`error: the ClickHouse server at ${url} did not answer within 1 s.`]);
  });

  it('sends the password from CLICKHOUSE_PASSWORD and reads the database given', async () => {
    const engine = await cliEngine(
      { engine: 'clickhouse', url, database: 'sales', table: 'orders', user: 'analyst' },
      { env: { CLICKHOUSE_PASSWORD: 's3cret' } },
    );
    await engine.connector.close();
    const probe = received.find((r) => /FROM "orders"/.test(r.sql));
    expect(probe?.params.get('database')).toBe('sales');
    expect(probe?.credentials).toBe('analyst:s3cret');
  });
});

describe('a read-only server user (readonly=1)', () => {
  it('may change no setting: the connector retries without them and reads the table', async () => {
    answer = (sql, params, res) =>
      params.has('join_use_nulls')
        ? chError(
            500,
            164,
            'READONLY',
            'analyst: Cannot modify join_use_nulls setting in readonly mode',
          )(sql, params, res)
        : EMPTY_RESULT(sql, params, res);
    const conn = await createClickHouseConnector({ url, database: 'db', table: 't' });
    await conn.close();
    const probes = received.filter((r) => r.sql.includes('FROM "t"'));
    expect(probes.map((r) => r.params.has('join_use_nulls'))).toEqual([true, false]);
  });
});

describe('a ClickHouse statement that runs too long', () => {
  it('is stopped on the server by its query id (KILL QUERY), with a one-line message', async () => {
    const conn = await createClickHouseConnector({ url, database: 'db', table: 't', timeoutSeconds: 1 });
    try {
      answer = (sql, _params, res) => {
        if (/^KILL QUERY/.test(sql)) EMPTY_RESULT(sql, _params, res);
        else hanging.push(res);
      };
      const failure = await conn.query('SELECT count() FROM "t"').catch((e: unknown) => e);
      expect(failure).toBeInstanceOf(EngineSetupError);
      expect((failure as Error).message).toBe(`the ClickHouse server at ${url} did not answer within 1 s.`);
      const slow = received.find((r) => r.sql.startsWith('SELECT count()'));
      const kill = received.find((r) => r.sql.startsWith('KILL QUERY'));
      expect(kill?.sql).toContain(`'${slow?.params.get('query_id')}'`);
    } finally {
      await conn.close();
    }
  });

  it('a server-side timeout (code 159) says the statement was stopped', async () => {
    const conn = await createClickHouseConnector({ url, database: 'db', table: 't', timeoutSeconds: 30 });
    try {
      answer = chError(500, 159, 'TIMEOUT_EXCEEDED', 'Timeout exceeded: elapsed 30.1 s, maximum: 30 s');
      await expect(conn.query('SELECT 1')).rejects.toThrow(
        'a ClickHouse query ran longer than its time limit of 30 s and was stopped.',
      );
    } finally {
      await conn.close();
    }
  });
});

describe('ClickHouse engine flags', () => {
  it('server flags without --engine clickhouse, and a missing --table, are usage errors', async () => {
    await expect(cliEngine({ engine: 'native', url })).rejects.toThrow(UsageError);
    await expect(cliEngine({ engine: 'clickhouse', url, database: 'db' })).rejects.toThrow(
      '--engine clickhouse needs --table.',
    );
    await expect(cliEngine({ engine: 'duckdb' })).rejects.toThrow(
      '--engine must be wasm, native, chdb or clickhouse, not “duckdb”.',
    );
    await expect(cliEngine({ engine: 'chdb', threads: '2' })).rejects.toThrow(
      '--threads need --engine native.',
    );
    await expect(cliEngine({ engine: 'chdb', 'query-timeout': 'soon' })).rejects.toThrow(
      '--query-timeout must be a number of seconds, not “soon”.',
    );
  });
});

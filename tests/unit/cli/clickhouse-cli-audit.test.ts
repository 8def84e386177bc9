import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { join } from 'node:path';
import { FIXTURES } from '../../support/engine';
import { READ_ONLY_STATEMENT, startFakeClickHouse, type FakeClickHouse } from '../../support/fake-clickhouse';
import { runCli } from '../../../src/lib/cli/run';
import type { CliFlags } from '../../../src/lib/cli/flags';

let server: FakeClickHouse;
beforeAll(async () => {
  server = await startFakeClickHouse(join(FIXTURES, 'formats/tiny.csv'));
});
afterAll(() => server.close());

describe('npm run audit -- --engine clickhouse on a server', () => {
  it('audits db.t where it is: the profile of its rows, and nothing written on the server', async () => {
    const lines: string[] = [];
    const flags: CliFlags = {
      engine: 'clickhouse',
      url: server.url,
      database: 'db',
      table: 't',
      'as-of': '2026-11-01',
    };
    // The CLI opens db.t as the engine's source: no file is read.
    const result = await runCli(['db.t'], flags, (line) => lines.push(line));
    expect(lines.filter((line) => line.startsWith('error:'))).toEqual([]);
    expect(result.exitCode).not.toBe(1);
    const document = result.document!;
    const profile = Object.values(document.profiles)[0]!;
    expect(profile.rows).toBe(20);
    expect(profile.columns.map((c) => c.name)).toEqual(['id', 'name', 'signup_date', 'last_seen', 'amount']);
    // Read-only: no table, view or file is created, changed or dropped on the server.
    expect(server.statements.filter((sql) => !READ_ONLY_STATEMENT.test(sql))).toEqual([]);
  });
});

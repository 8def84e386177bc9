import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { join } from 'node:path';
import { FIXTURES } from '../../support/engine';
import { READ_ONLY_STATEMENT, startFakeClickHouse, type FakeClickHouse } from '../../support/fake-clickhouse';
import { cliEngine, enginePaths, engineSourceFor } from '../../../src/lib/cli/engine';
import type { CliFlags } from '../../../src/lib/cli/flags';
import { newAudit } from '../../../src/lib/core/model/document';
import { AuditDocumentSchema } from '../../../src/lib/core/model/audit';
import { withDataset } from '../../../src/lib/core/audit/edits';
import { toDatasetRef } from '../../../src/lib/engine/dataset-ref';
import { runAnalysis } from '../../../src/lib/session/analyse';
import { checkExportFiles, deriveCheckSpec } from '../../../src/lib/core/interop';
import { odcsSchemaErrors } from '../../support/odcs';

let server: FakeClickHouse;
beforeAll(async () => {
  server = await startFakeClickHouse(join(FIXTURES, 'formats/tiny.csv'));
});
afterAll(() => server.close());

describe('--engine clickhouse on a server', () => {
  it('reads db.t in place and profiles it there, writing nothing on the server', async () => {
    const flags: CliFlags = { engine: 'clickhouse', url: server.url, database: 'db', table: 't' };
    const engine = await cliEngine(flags);
    try {
      const [path] = enginePaths([], flags);
      expect(path).toBe('db.t');
      const loaded = await engine.load!(await engineSourceFor(flags)(path!), {});
      expect(loaded).toMatchObject({ tableName: 't', fileName: 'db.t', rowCount: 20 });
      expect(loaded.columns.map((c) => `${c.name} ${c.type}`)).toEqual([
        'id BIGINT',
        'name VARCHAR',
        'signup_date DATE',
        'last_seen TIMESTAMP',
        'amount DOUBLE',
      ]);
      const ref = { ...toDatasetRef(loaded, []), id: 'ds' };
      // No file: the document says the dataset is a ClickHouse table, not a Parquet file.
      expect(ref.format).toBe('clickhouse');
      const { port } = new URL(server.url);
      expect(ref.server).toEqual({
        protocol: 'http',
        host: '127.0.0.1',
        port: Number(port),
        database: 'db',
        table: 't',
      });
      const audit = withDataset(newAudit('server', 'a1'), ref);
      const profiled = await runAnalysis(engine.connector, audit, {
        tables: { ds: loaded.tableName },
        skipReadiness: true,
      });
      expect(AuditDocumentSchema.parse(profiled).datasets[0]!.format).toBe('clickhouse');
      const profile = profiled.profiles.ds!;
      expect(profile.rows).toBe(20);
      const amount = profile.columns.find((c) => c.name === 'amount')!;
      expect(amount.missing).toBe(1);
      expect(amount.numeric?.max).toBe(148.24);
      // The exports point at the table on its server: an ODCS clickhouse server the schema accepts.
      const odcs = checkExportFiles(deriveCheckSpec(profiled)).find((f) => f.path.endsWith('.odcs.yaml'))!;
      expect(odcsSchemaErrors(odcs.text)).toEqual([]);
      expect(parse(odcs.text)).toMatchObject({
        servers: [{ type: 'clickhouse', host: '127.0.0.1', port: Number(port), database: 'db' }],
        schema: [{ name: 't', physicalName: 't' }],
      });
    } finally {
      await engine.connector.close();
    }
    // Read-only: no table, view or file is created, changed or dropped on the server.
    expect(server.statements.filter((sql) => !READ_ONLY_STATEMENT.test(sql))).toEqual([]);
    expect(server.statements.length).toBeGreaterThan(3);
  });

  it('records where the table lives, never the user or a password from the URL or the environment', async () => {
    const url = new URL(server.url);
    url.username = 'analyst';
    url.password = 'url-s3cret';
    const flags: CliFlags = {
      engine: 'clickhouse',
      url: url.href,
      database: 'db',
      table: 't',
      user: 'auditor-user',
    };
    const engine = await cliEngine(flags, { env: { CLICKHOUSE_PASSWORD: 'env-s3cret' } });
    try {
      const loaded = await engine.load!(await engineSourceFor(flags)('db.t'), {});
      const ref = toDatasetRef(loaded, []);
      expect(ref.server).toMatchObject({ host: '127.0.0.1', port: Number(url.port), database: 'db' });
      const text = JSON.stringify(AuditDocumentSchema.parse(withDataset(newAudit('server', 'a2'), ref)));
      const exports = checkExportFiles(deriveCheckSpec(withDataset(newAudit('server', 'a2'), ref)));
      for (const secret of ['analyst', 'url-s3cret', 'env-s3cret', 'auditor-user']) {
        expect(text).not.toContain(secret);
        for (const file of exports) expect(file.text, file.path).not.toContain(secret);
      }
      // A document that carries a credential beside the server is refused, not silently kept.
      const tampered = { ...ref, server: { ...ref.server!, password: 'x' } };
      expect(AuditDocumentSchema.safeParse(withDataset(newAudit('server', 'a3'), tampered)).success).toBe(
        false,
      );
    } finally {
      await engine.connector.close();
    }
  });
});

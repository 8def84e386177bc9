import { afterAll, beforeAll, describe, expect, it } from 'vitest';
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
    } finally {
      await engine.connector.close();
    }
    // Read-only: no table, view or file is created, changed or dropped on the server.
    expect(server.statements.filter((sql) => !READ_ONLY_STATEMENT.test(sql))).toEqual([]);
    expect(server.statements.length).toBeGreaterThan(3);
  });
});

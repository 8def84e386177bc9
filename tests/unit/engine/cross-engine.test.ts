import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { join } from 'node:path';
import { FIXTURES, useEngine } from '../../support/engine';
import { DEMO_CSV, DEMO_ROLES } from '../../support/demo';
import type { Connector } from '../../../src/lib/engine/connector';
import { createNativeConnector } from '../../../src/lib/engine/native-connector';
import { nodeDecoders } from '../../../src/lib/engine/node-decoders';
import { fileSource } from '../../../src/lib/engine/node-source';
import { loadDataset } from '../../../src/lib/engine/load-dataset';
import { runAnalysis } from '../../../src/lib/session/analyse';
import { newAudit } from '../../../src/lib/core/model/document';
import { withDataset } from '../../../src/lib/core/audit/edits';
import { toDatasetRef } from '../../../src/lib/engine/dataset-ref';
import type { AuditDocument, ColumnRoles } from '../../../src/lib/core/model/audit';
import { comparable, differences, findingIds, typedApart } from '../../support/document-diff';

interface Case {
  file: string;
  roles: Omit<ColumnRoles, 'segments' | 'excluded'> & Partial<Pick<ColumnRoles, 'segments'>>;
  asOf?: string;
  /**
   * Columns the two engines type differently, as `name: wasm type → native type`.
   * DuckDB-WASM imports JSON through its own importer (no json extension offline),
   * which reads ISO dates as TIMESTAMP_S; native DuckDB's read_json keeps DATE.
   */
  typedApart?: Record<string, string>;
}

const CASES: Case[] = [
  {
    file: DEMO_CSV,
    roles: DEMO_ROLES,
    asOf: '2026-11-01',
  },
  { file: join(FIXTURES, 'profile/planted.csv'), roles: {} },
  { file: join(FIXTURES, 'formats/tiny-snappy.parquet'), roles: {} },
  {
    file: join(FIXTURES, 'formats/tiny.json'),
    roles: {},
    typedApart: {
      id: 'INTEGER → BIGINT',
      signup_date: 'TIMESTAMP_S → DATE',
      last_seen: 'TIMESTAMP_S → TIMESTAMP',
    },
  },
];

async function auditWith(conn: Connector, c: Case): Promise<AuditDocument> {
  // The same table name on both engines, so each finding's SQL can be compared too.
  const loaded = await loadDataset(conn, nodeDecoders, await fileSource(c.file), {
    tableName: 'cross_engine',
  });
  try {
    // Same dataset id on both engines, so finding ids can be compared.
    const ref = { ...toDatasetRef(loaded, []), id: 'ds' };
    const audit = withDataset(newAudit('cross', 'a1'), ref);
    if (c.asOf) audit.context.asOf = c.asOf;
    audit.roles = { [ref.id]: { segments: [], excluded: [], ...c.roles } };
    return await runAnalysis(conn, audit, { tables: { [ref.id]: loaded.tableName } });
  } finally {
    await conn.exec(`DROP TABLE IF EXISTS "${loaded.tableName}"`);
  }
}

const wasm = useEngine();
let native: Connector;
beforeAll(async () => {
  native = await createNativeConnector({ threads: 2 });
});
afterAll(async () => {
  await native.close();
});

describe('the same audit on DuckDB-WASM and native DuckDB', () => {
  it.each(CASES.map((c) => [c.file.split('/').pop()!, c] as const))(
    '%s: identical findings, verdict and profile numbers',
    async (_name, c) => {
      const [a, b] = [await auditWith(wasm, c), await auditWith(native, c)];
      const apart = typedApart(a, b);
      expect(apart).toEqual(c.typedApart ?? {});
      const skip = Object.keys(apart);
      expect(a.findings.length).toBeGreaterThan(0);
      expect(findingIds(b, skip)).toEqual(findingIds(a, skip));
      expect(
        differences(comparable(a, skip), comparable(b, skip))
          .map((d) => d.slice(0, 200))
          .slice(0, 30),
      ).toEqual([]);
    },
  );
});

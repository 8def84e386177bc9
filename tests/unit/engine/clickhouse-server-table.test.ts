import { describe, expect, it } from 'vitest';
import { serverTable } from '../../../src/lib/engine/clickhouse-connector';
import { DatasetRefSchema, ServerTableSchema } from '../../../src/lib/core/model/audit';
import { toDatasetRef } from '../../../src/lib/engine/dataset-ref';
import type { LoadedDataset } from '../../../src/lib/engine/load-dataset';

describe('serverTable: where a ClickHouse table lives, as the document records it', () => {
  it('keeps the protocol, host and port the client connects to, and the database and table', () => {
    expect(serverTable({ url: 'https://ch.example.com:8443', database: 'sales', table: 'orders' })).toEqual({
      protocol: 'https',
      host: 'ch.example.com',
      port: 8443,
      database: 'sales',
      table: 'orders',
    });
    // No port in the URL: HTTP's and HTTPS's own, as the client connects to them.
    expect(serverTable({ url: 'http://ch.internal', database: 'd', table: 't' }).port).toBe(80);
    expect(serverTable({ url: 'https://ch.internal/', database: 'd', table: 't' }).port).toBe(443);
    expect(serverTable({ url: 'http://[::1]:8123', database: 'd', table: 't' }).host).toBe('[::1]');
  });

  it('drops the credentials, path and parameters a URL may carry', () => {
    const table = serverTable({
      url: 'https://bob:hunter2@ch.example.com:8443/analytics?session_timeout=60',
      database: 'sales',
      table: 'orders',
    });
    expect(JSON.stringify(table)).not.toMatch(/bob|hunter2|analytics|session_timeout/);
    expect(ServerTableSchema.parse(table)).toEqual(table);
  });

  it('refuses a host that smuggles a credential or a path, and a server on a file dataset', () => {
    const table = { protocol: 'http', host: 'h', port: 8123, database: 'd', table: 't' } as const;
    expect(ServerTableSchema.safeParse({ ...table, host: 'bob:pw@h' }).success).toBe(false);
    expect(ServerTableSchema.safeParse({ ...table, host: 'h/x' }).success).toBe(false);
    expect(ServerTableSchema.safeParse({ ...table, user: 'bob' }).success).toBe(false);
    const ref = {
      id: 'd1',
      fileName: 'd.t',
      format: 'clickhouse',
      sizeBytes: 0,
      lastModified: 0,
      rowCount: 1,
      columns: [],
      fingerprint: 'f',
      loadedAt: '2026-12-01T00:00:00.000Z',
      server: table,
    };
    expect(DatasetRefSchema.safeParse(ref).success).toBe(true);
    expect(DatasetRefSchema.safeParse({ ...ref, format: 'csv' }).success).toBe(false);
  });
});

describe('toDatasetRef of a server table', () => {
  const loaded = (host: string): LoadedDataset => ({
    tableName: 't',
    fileName: 'db.t',
    format: 'clickhouse',
    server: { protocol: 'http', host, port: 8123, database: 'db', table: 't' },
    sizeBytes: 0,
    lastModified: 0,
    rowCount: 3,
    columns: [{ name: 'id', type: 'BIGINT' }],
    warnings: [],
    loadMs: 1,
  });

  it('records the format and the server, and keeps the id of the same table on the same server only', () => {
    const first = toDatasetRef(loaded('ch-a'), []);
    expect(first).toMatchObject({ format: 'clickhouse', server: { host: 'ch-a', table: 't' } });
    expect(DatasetRefSchema.parse(first)).toMatchObject({ server: first.server });
    expect(toDatasetRef(loaded('ch-a'), [first]).id).toBe(first.id);
    expect(toDatasetRef(loaded('ch-b'), [first]).id).not.toBe(first.id);
  });
});

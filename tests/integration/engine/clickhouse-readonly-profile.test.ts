import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { join } from 'node:path';
import { FIXTURES } from '../../support/engine';
import { READ_ONLY_STATEMENT, startFakeClickHouse, type FakeClickHouse } from '../../support/fake-clickhouse';
import {
  createClickHouseConnector,
  type ClickHouseConnector,
} from '../../../src/lib/engine/clickhouse-connector';
import { profileDataset, type ProfileOptions } from '../../../src/lib/session/profile';
import { CLICKHOUSE, CLICKHOUSE_SETTINGS, DUCKDB, useDialect } from '../../../src/lib/core/sql/dialect';
import { ROWS_SETTINGS } from '../../../src/lib/engine/clickhouse-rows';

/**
 * The profile on a ClickHouse server as a `readonly=1` user, who may create no
 * table, not even a temporary one, and change no setting: samples and value
 * counts are CTEs of the statements that read them. (A readonly=2 user may
 * create temporary tables, but over HTTP each request is a session of its own.)
 */

let server: FakeClickHouse;
let conn: ClickHouseConnector;
beforeAll(async () => {
  // A readonly=1 user may change no setting: the administrator puts those the audit needs in the user's profile.
  server = await startFakeClickHouse(join(FIXTURES, 'formats/tiny.csv'), {
    readOnly: true,
    profileSettings: { ...CLICKHOUSE_SETTINGS, ...ROWS_SETTINGS },
  });
  conn = await createClickHouseConnector({ url: server.url, database: 'db', table: 't' });
  useDialect(CLICKHOUSE);
});
afterAll(async () => {
  useDialect(DUCKDB);
  await conn.close();
  await server.close();
});

// On 20 rows: a sample, a pair sample and batches of two columns, so every statement that used to write runs.
const SAMPLED: ProfileOptions = {
  thresholds: { sampleAboveRows: 10, sampleRows: 15, pairwiseMaxRows: 8 },
  columnBatch: 2,
};

describe('the profile on a read-only ClickHouse server', () => {
  it('refuses a temporary table, as a readonly=1 user meets it', async () => {
    await expect(conn.exec('CREATE TEMPORARY TABLE probe ENGINE = Memory AS SELECT 1')).rejects.toThrow(
      /READONLY|readonly/,
    );
  });

  it('samples, pair-samples and counts values in batches with no write', async () => {
    const from = server.statements.length;
    const profile = await profileDataset(conn, 't', 'ds', SAMPLED);
    const sent = server.statements.slice(from);
    expect(sent.filter((sql) => !READ_ONLY_STATEMENT.test(sql))).toEqual([]);
    expect(sent.some((sql) => /_sample" AS MATERIALIZED/.test(sql))).toBe(true);
    expect(sent.some((sql) => /_pairs" AS MATERIALIZED/.test(sql))).toBe(true);
    expect(profile.sample.sampled).toBe(true);
    // Whole-table statistics cover every row; the sample is a share of them.
    expect(profile.rows).toBe(20);
    expect(profile.sample.rows).toBeGreaterThan(0);
    expect(profile.sample.rows).toBeLessThan(20);
    const amount = profile.columns.find((c) => c.name === 'amount')!;
    expect(amount.missing).toBe(1);
    expect(amount.numeric?.max).toBe(148.24);
    expect(profile.columns.find((c) => c.name === 'name')!.topK.length).toBeGreaterThan(0);
  });

  it('with temporary tables, the same profile fails on this server', async () => {
    await expect(profileDataset(conn, 't', 'ds', { ...SAMPLED, inPlace: false })).rejects.toThrow(
      /readonly|READONLY/i,
    );
  });
});

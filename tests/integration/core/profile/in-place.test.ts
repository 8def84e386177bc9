import { beforeAll, describe, expect, it } from 'vitest';
import { useEngine } from '../../../support/engine';
import { differences } from '../../../support/document-diff';
import type { Connector } from '../../../../src/lib/engine/connector';
import { profileDataset } from '../../../../src/lib/session/profile';
import type { ProfileOptions } from '../../../../src/lib/session/profile';

/**
 * A profile that writes nothing (`inPlace`, the default on ClickHouse, where a
 * read-only user may create no table) against the one that samples into
 * temporary tables, on DuckDB-WASM: the same seeded samples, so the same profile.
 */

const ROWS = 50_000;
const conn = useEngine();

/** A connector that records every statement it runs. */
function recording(inner: Connector): { conn: Connector; statements: string[] } {
  const statements: string[] = [];
  const log = (sql: string): string => (statements.push(sql), sql);
  return {
    statements,
    conn: {
      ...inner,
      query: (sql) => inner.query(log(sql)),
      queryArrow: (sql) => inner.queryArrow(log(sql)),
      exec: (sql) => inner.exec(log(sql)),
    },
  };
}

beforeAll(async () => {
  await conn.exec(
    `CREATE TABLE big AS SELECT range AS id, CAST(range % 5 AS VARCHAR) AS cat, CAST(range % 7 AS VARCHAR) AS grp, ` +
      `(range % 1000) / 10.0 AS amount, CASE WHEN range % 10 = 0 THEN NULL ELSE (range * 7) % 101 END AS score, ` +
      `'x' || CAST(range % 13 AS VARCHAR) AS code FROM range(${ROWS})`,
  );
});

// Sampled, pair-sampled and in batches of two columns: every statement that may write, exercised.
const OPTIONS: ProfileOptions = {
  thresholds: { sampleAboveRows: 10_000, sampleRows: 5_000, pairwiseMaxRows: 2_000 },
  columnBatch: 2,
};

describe('a profile that writes nothing', () => {
  it('computes the same profile as with temporary tables, and creates, inserts or drops nothing', async () => {
    const written = recording(conn);
    const inPlace = recording(conn);
    const withTables = await profileDataset(written.conn, 'big', 'big', { ...OPTIONS, inPlace: false });
    const read = await profileDataset(inPlace.conn, 'big', 'big', { ...OPTIONS, inPlace: true });

    const writes = (statements: string[]): string[] =>
      statements.filter((sql) => /^\s*(CREATE|INSERT|DROP)\b/i.test(sql));
    expect(writes(written.statements).length).toBeGreaterThan(2);
    expect(writes(inPlace.statements)).toEqual([]);
    expect(read.sample).toMatchObject({ sampled: true });
    expect(read.sample.reason).toMatch(/further uniform sample/);
    expect(inPlace.statements.some((sql) => /_pairs" AS MATERIALIZED/.test(sql))).toBe(true);
    expect([read.correlations.length, read.cramersV.length].every((n) => n > 0)).toBe(true);
    expect(differences(read, withTables)).toEqual([]);
  });
});

import { describe, it, expect, beforeAll } from 'vitest';
import { useEngine } from '../../support/engine';
import type { Connector } from '../../../src/lib/engine/connector';
import { profileDataset, ProfileError, type ProfileProgress } from '../../../src/lib/session/profile';
import { DatasetProfileSchema } from '../../../src/lib/core/model/audit';

const ROWS = 50_000;
const conn = useEngine();

/** A connector that records every statement it runs. */
function recording(inner: Connector): { conn: Connector; statements: string[] } {
  const statements: string[] = [];
  return {
    statements,
    conn: {
      ...inner,
      query: (sql) => (statements.push(sql), inner.query(sql)),
      queryArrow: (sql) => (statements.push(sql), inner.queryArrow(sql)),
      exec: (sql) => (statements.push(sql), inner.exec(sql)),
    },
  };
}

const leftovers = async (): Promise<unknown[]> =>
  conn.query(`SELECT table_name FROM duckdb_tables() WHERE table_name LIKE '__sz_profile%'`);

beforeAll(async () => {
  await conn.exec(
    `CREATE TABLE big AS SELECT range AS id, CAST(range % 5 AS VARCHAR) AS cat, (range % 1000) / 10.0 AS amount, ` +
      `CASE WHEN range % 10 = 0 THEN NULL ELSE (range * 7) % 101 END AS score, DATE '2020-01-01' + CAST(range % 365 AS INTEGER) AS day FROM range(${ROWS})`,
  );
});

describe('sampling', () => {
  it('profiles the whole table below the threshold', async () => {
    const profile = await profileDataset(conn, 'big', 'big');
    expect(profile.sample).toEqual({ sampled: false, rows: ROWS });
    expect(profile.columns.find((c) => c.name === 'id')!.distinct).toEqual({
      value: ROWS,
      approximate: false,
    });
  });

  it('uses a uniform sample for heavy statistics above the threshold and says so', async () => {
    const { conn: spy, statements } = recording(conn);
    const profile = DatasetProfileSchema.parse(
      await profileDataset(spy, 'big', 'big', { thresholds: { sampleAboveRows: 10_000, sampleRows: 5_000 } }),
    );
    expect(statements.some((s) => /USING SAMPLE bernoulli\(10%\) REPEATABLE \(42\)/.test(s))).toBe(true);
    expect(profile.sample.sampled).toBe(true);
    expect(profile.sample.rows).toBeGreaterThan(4_500);
    expect(profile.sample.rows).toBeLessThan(5_500);
    expect(profile.sample.reason).toMatch(/50,000 rows is above 10,000/);
    // Cheap statistics still cover every row.
    const id = profile.columns.find((c) => c.name === 'id')!;
    expect(profile.rows).toBe(ROWS);
    expect(id.numeric).toMatchObject({ min: 0, max: ROWS - 1, mean: (ROWS - 1) / 2 });
    expect(profile.columns.find((c) => c.name === 'score')!.missing).toBe(ROWS / 10);
    // Exact distinct counts on the whole table up to exactDistinctMaxRows.
    expect(id.distinct).toEqual({ value: ROWS, approximate: false });
    // Top values come from the sample, scaled to the table.
    const cat = profile.columns.find((c) => c.name === 'cat')!;
    expect(cat.topK).toHaveLength(5);
    for (const v of cat.topK) expect(Math.abs(v.count - ROWS / 5)).toBeLessThan(ROWS / 5 / 5);
    expect(profile.correlations.length).toBe(3);
    expect(await leftovers()).toEqual([]);
  });

  it('estimates distinct counts with HyperLogLog above exactDistinctMaxRows', async () => {
    const profile = await profileDataset(conn, 'big', 'big', {
      thresholds: { sampleAboveRows: 10_000, sampleRows: 5_000, exactDistinctMaxRows: 10_000 },
    });
    const id = profile.columns.find((c) => c.name === 'id')!;
    expect(id.distinct.approximate).toBe(true);
    // DuckDB's HyperLogLog is within about ±10 % here (9.8 % measured on 50,000 consecutive integers).
    expect(Math.abs(id.distinct.value - ROWS) / ROWS).toBeLessThan(0.15);
  });

  it('caps the rows behind rank correlations and contingency tables, and says so', async () => {
    const { conn: spy, statements } = recording(conn);
    const profile = await profileDataset(spy, 'big', 'big', { thresholds: { pairwiseMaxRows: 2_000 } });
    expect(profile.sample.sampled).toBe(false);
    expect(profile.sample.reason).toMatch(
      /Spearman correlations and Cramér's V use a further uniform sample of about 2,000 rows/,
    );
    expect(statements.filter((s) => s.includes('USING SAMPLE'))).toHaveLength(1);
    // Pearson still covers every complete row; Spearman comes from the smaller sample.
    const pair = profile.correlations.find((c) => c.a === 'id' && c.b === 'amount')!;
    expect(pair.n).toBe(ROWS);
    expect(pair.spearman).not.toBeNull();
    expect(await leftovers()).toEqual([]);
  });

  it('draws exactly sampleRows rows with the reservoir method', async () => {
    const profile = await profileDataset(conn, 'big', 'big', {
      thresholds: { sampleAboveRows: 10_000, sampleRows: 5_000 },
      sampleMethod: 'reservoir',
    });
    expect(profile.sample).toMatchObject({ sampled: true, rows: 5_000 });
  });
});

describe('cancelling', () => {
  it('rejects with a cancelled ProfileError when aborted between phases, and cleans up', async () => {
    const controller = new AbortController();
    const labels: string[] = [];
    const onProgress = (p: ProfileProgress): void => {
      labels.push(p.label);
      if (p.label.startsWith('Finding the most frequent')) controller.abort();
    };
    const run = profileDataset(conn, 'big', 'big', {
      signal: controller.signal,
      onProgress,
      thresholds: { sampleAboveRows: 10_000, sampleRows: 5_000 },
    });
    await expect(run).rejects.toBeInstanceOf(ProfileError);
    await expect(run).rejects.toMatchObject({ code: 'cancelled' });
    expect(labels).not.toContain('Done');
    expect(await leftovers()).toEqual([]);
  });

  it('runs nothing when the signal is already aborted', async () => {
    const { conn: spy, statements } = recording(conn);
    await expect(profileDataset(spy, 'big', 'big', { signal: AbortSignal.abort() })).rejects.toMatchObject({
      name: 'ProfileError',
      code: 'cancelled',
    });
    expect(statements).toEqual([]);
  });

  it('interrupts the running statement through Connector.cancel', async () => {
    // A browser-like connector whose statements only end when cancelled.
    let cancelled = 0;
    let rejectPending: ((error: Error) => void) | undefined;
    const slow: Connector = {
      ...conn,
      query: async (sql) => {
        if (!sql.includes('count(c0)')) return conn.query(sql);
        return new Promise((_, reject) => (rejectPending = reject));
      },
      cancel: async () => {
        cancelled += 1;
        rejectPending?.(new Error('query was interrupted'));
      },
    };
    const controller = new AbortController();
    const run = profileDataset(slow, 'big', 'big', {
      signal: controller.signal,
      onProgress: (p) => p.label.startsWith('Summarising') && setTimeout(() => controller.abort(), 10),
    });
    await expect(run).rejects.toMatchObject({ code: 'cancelled' });
    expect(cancelled).toBe(1);
  });

  it('reports progress phase by phase up to done', async () => {
    const seen: ProfileProgress[] = [];
    await profileDataset(conn, 'big', 'big', { onProgress: (p) => seen.push(p) });
    expect(seen[0]).toMatchObject({ done: 0, label: 'Reading the columns' });
    expect(seen.at(-1)).toMatchObject({ label: 'Done' });
    expect(seen.at(-1)!.done).toBe(seen.at(-1)!.total);
    for (let i = 1; i < seen.length; i++) expect(seen[i]!.done).toBeGreaterThanOrEqual(seen[i - 1]!.done);
  });
});

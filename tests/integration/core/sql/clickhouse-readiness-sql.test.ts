import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type * as Chdb from 'chdb';
import { chdbTestSession, onBothEngines, type ChdbPort } from '../../../support/chdb-port';
import type { Row } from '../../../../src/lib/core/pipeline/stage';
import { CLICKHOUSE, DUCKDB, useDialect, type SqlDialect } from '../../../../src/lib/core/sql/dialect';
import { num } from '../../../../src/lib/core/sql/quote';
import type { ReadinessSqlContext } from '../../../../src/lib/core/sql/readiness-common';
import { sourceBatchQuery } from '../../../../src/lib/core/sql/consistency-batch';
import { answerDifferences } from '../../../support/answer-diff';
import { derivedR2Query } from '../../../../src/lib/core/sql/readiness-leakage';
import { engineWithoutRowOrder } from '../../../../src/lib/core/sql/readiness-time';
import type { Connector } from '../../../../src/lib/engine/connector';
import { engine } from '../../../support/engine';

/**
 * Readiness statements and dialect functions whose ClickHouse spelling was
 * written for the readiness checks, run on chDB and on DuckDB-WASM over the
 * same rows: the statements a finding only shows (never runs in the audit),
 * and the discrete quantile at a level `num` writes.
 */

let duck: Connector;
let session: Chdb.Session;
let ch: ChdbPort;

/** Rows (id, y, a, b, c, src) with `c` constant: y = 2a + 1 + noise, b correlated with a, three sources in `src`. */
const ROWS = Array.from({ length: 300 }, (_, i) => {
  const a = (i * 37) % 101;
  const b = a * 0.5 + ((i * 13) % 7);
  const y = 2 * a + 1 + ((i * 29) % 11) - 5;
  return `(${i}, ${i % 17 === 0 ? 'NULL' : y}, ${i % 23 === 0 ? 'NULL' : a}, ${b}, 4, ${i % 3})`;
});

beforeAll(async () => {
  duck = await engine();
  ({ session, port: ch } = await chdbTestSession());
  await duck.exec(`CREATE TABLE r (id BIGINT, y DOUBLE, a DOUBLE, b DOUBLE, c DOUBLE, src BIGINT)`);
  await duck.exec(`INSERT INTO r VALUES ${ROWS.join(', ')}`);
  await ch.exec(
    `CREATE TABLE r (id Int64, y Nullable(Float64), a Nullable(Float64), b Nullable(Float64), c Nullable(Float64), src Nullable(Int64)) ENGINE = Memory`,
  );
  await ch.exec(`INSERT INTO r VALUES ${ROWS.join(', ')}`);
}, 120_000);

afterAll(async () => {
  useDialect(DUCKDB);
  session?.cleanup();
  await duck?.close?.();
});

const both = (build: (d: SqlDialect) => string): Promise<{ duckdb: Row[]; clickhouse: Row[] }> =>
  onBothEngines(duck, ch, build);

/** Each value as a number (engines type counts differently), within `relative`. */
function expectClose(a: Row[], b: Row[], relative = 1e-12): void {
  expect(b.length).toBe(a.length);
  a.forEach((row, i) => {
    for (const [key, value] of Object.entries(row)) {
      const other = b[i]![key];
      if (value === null) expect(other, key).toBeNull();
      else {
        const [x, y] = [Number(value), Number(other)];
        expect(Math.abs(x - y), `${key}: ${x} vs ${y}`).toBeLessThanOrEqual(
          relative * Math.max(Math.abs(x), 1),
        );
      }
    }
  });
}

const ctx = (): ReadinessSqlContext => ({
  table: 'r',
  asOf: '2026-01-01',
  label: { column: 'y', kind: 'numeric' },
});

describe("the readiness statements' ClickHouse spellings give DuckDB's numbers", () => {
  it('compares sources on a counted and a decile-binned column in one batch (their counts union as one type)', async () => {
    const options = {
      nullColumns: ['a'],
      numeric: [
        { name: 'a', counted: true },
        { name: 'b', counted: false },
      ],
      minRows: 1,
    };
    const { duckdb, clickhouse } = await both(() => sourceBatchQuery({ ...ctx(), source: 'src' }, options));
    expect(duckdb.map((r) => r.part)).toEqual(expect.arrayContaining(['nulls', 'scale', 'shift']));
    const asNumber = (v: unknown): unknown =>
      typeof v === 'bigint' || (typeof v === 'string' && /^-?\d+$/.test(v)) ? Number(v) : v;
    const normalise = (v: unknown): unknown =>
      v && typeof v === 'object' && !Array.isArray(v)
        ? Object.fromEntries(Object.entries(v).map(([k, x]) => [k, asNumber(x)]))
        : asNumber(v);
    expect(answerDifferences(duckdb, clickhouse, { normalise })).toEqual([]);
  });

  it('fits a numeric target on one column as regr_r2, regr_slope and regr_intercept do, NULL without spread', async () => {
    const { duckdb, clickhouse } = await both(() => derivedR2Query(ctx(), ['a']));
    expectClose(duckdb, clickhouse);
    const fit = await duck.query(
      'SELECT regr_r2(y, a) AS r2, regr_slope(y, a) AS slope, regr_intercept(y, a) AS intercept, regr_count(y, a) AS n FROM r',
    );
    expectClose(fit, duckdb);
    expect(Number(duckdb[0]!.slope)).toBeGreaterThan(1.9);
    const flat = await both(() => derivedR2Query(ctx(), ['c']));
    expect(flat.duckdb[0]!.r2).toBeNull();
    expectClose(flat.duckdb, flat.clickhouse);
  });

  it('gives the R² of two columns together alike', async () => {
    const { duckdb, clickhouse } = await both(() => derivedR2Query(ctx(), ['a', 'b']));
    expectClose(duckdb, clickhouse, 1e-9);
    expect(Number(duckdb[0]!.r2)).toBeGreaterThan(Number(duckdb[0]!.r2_second));
  });

  it('takes the discrete quantile at the level num() writes as DuckDB does (0.8 of 300 rows is the 241st)', async () => {
    for (const level of [0.8, 0.25, 0.5, 0.1, 1 - 0.2, 0.64 * 0.75]) {
      const { duckdb, clickhouse } = await both(
        (d) => `SELECT ${d.quantileDisc('id', num(level))} AS q FROM r`,
      );
      expect(Number(clickhouse[0]!.q), `level ${level}`).toBe(Number(duckdb[0]!.q));
    }
    const { duckdb } = await both((d) => `SELECT ${d.quantileDisc('id', num(0.8))} AS q FROM r`);
    expect(Number(duckdb[0]!.q)).toBe(240);
  });

  it('reads the load order on DuckDB and says ClickHouse keeps none', () => {
    expect(engineWithoutRowOrder()).toBeUndefined();
    useDialect(CLICKHOUSE);
    try {
      expect(engineWithoutRowOrder()).toBe('clickhouse');
    } finally {
      useDialect(DUCKDB);
    }
  });
});

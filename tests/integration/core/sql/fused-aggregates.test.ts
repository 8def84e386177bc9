import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { engine } from '../../../support/engine';
import type { Connector } from '../../../../src/lib/engine/connector';
import { fusedOneRowQuery, fusedPart, oneRowQuery } from '../../../../src/lib/core/sql/readiness-common';
import { futureDatesAggregate, timeFactsAggregate } from '../../../../src/lib/core/sql/readiness-time';
import type { TimeRef } from '../../../../src/lib/core/sql/readiness-common';

/** A timestamp, a date written as text with a name to quote, and years as integers. */
const REFS: TimeRef[] = [
  { column: 'at', type: 'TIMESTAMP', encoding: 'native', granularity: 'instant' },
  { column: 'signed "on"', type: 'VARCHAR', encoding: 'text', granularity: 'day' },
  { column: 'year', type: 'INTEGER', encoding: 'year', granularity: 'year' },
];

describe('one-row aggregates fused into one scan', () => {
  let conn: Connector;
  beforeAll(async () => {
    conn = await engine();
    await conn.exec(
      `CREATE TABLE fused AS SELECT TIMESTAMP '2024-01-01' + INTERVAL (i * 7) HOUR AS at, CASE WHEN i % 5 = 0 THEN NULL ELSE strftime(DATE '2026-10-01' + INTERVAL (i) DAY, '%Y-%m-%d') END AS "signed ""on""", CAST(2000 + i % 30 AS INTEGER) AS year FROM range(400) r(i)`,
    );
  });
  afterAll(async () => {
    await conn.exec('DROP TABLE IF EXISTS fused');
  });

  it.each([
    ['future dates', (ref: TimeRef) => futureDatesAggregate({ table: 'fused', asOf: '2026-11-01' }, ref)],
    ['time facts', (ref: TimeRef) => timeFactsAggregate('fused', ref)],
  ])('%s: each part of the fused row equals its own statement', async (_name, aggregate) => {
    const parts = REFS.map(aggregate);
    const [fused] = await conn.query(fusedOneRowQuery(parts));
    for (const [i, part] of parts.entries()) {
      const [own] = await conn.query(oneRowQuery(part));
      expect(fusedPart(fused!, i), REFS[i]!.column).toEqual(own);
    }
  });

  it('finds future text dates and reads their latest value', async () => {
    const [row] = await conn.query(
      fusedOneRowQuery(REFS.map((r) => futureDatesAggregate({ table: 'fused', asOf: '2026-11-01' }, r))),
    );
    const text = fusedPart(row!, 1);
    // Days 2026-11-02 … 2027-11-04 minus every fifth row (NULL): i from 32 to 399, i % 5 ≠ 0.
    const expected = Array.from({ length: 400 }, (_, i) => i).filter((i) => i > 31 && i % 5 !== 0).length;
    expect(Number(text.future)).toBe(expected);
    expect(text.latest).toBe('2027-11-04 00:00:00');
  });

  it('refuses parts over different tables', () => {
    const a = timeFactsAggregate('one', REFS[0]!);
    const b = timeFactsAggregate('two', REFS[0]!);
    expect(() => fusedOneRowQuery([a, b])).toThrow(RangeError);
  });
});

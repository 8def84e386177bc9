import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { engine } from '../../../support/engine';
import type { Connector } from '../../../../src/lib/engine/connector';
import {
  canonicalLabelSql,
  labelSql,
  positiveSql,
  type LabelRef,
} from '../../../../src/lib/core/sql/readiness-common';
import { labelSpellingsQuery } from '../../../../src/lib/core/sql/readiness-setup';
import { monthlyCountsQuery, segmentClassCountsQuery } from '../../../../src/lib/core/sql/readiness-volume';

/** Labels as clients type them: padded, mixed case, yes/no synonyms, missing-like tokens, NULL, a quote. */
const VALUES = ['Yes', 'yes', 'Y ', ' TRUE', 'No', 'n', 'false', 'N/A', '', 'maybe', "it's", null];

describe('labels read through the spellings the setup saw', () => {
  let conn: Connector;
  beforeAll(async () => {
    conn = await engine();
    const rows = VALUES.map((v, i) => `(${i}, ${v === null ? 'NULL' : `'${v.replace(/'/g, "''")}'`})`);
    await conn.exec(`CREATE TABLE spelled AS SELECT * FROM (VALUES ${rows.join(', ')}) t(i, churned)`);
  });
  afterAll(async () => {
    await conn.exec('DROP TABLE IF EXISTS spelled');
  });

  async function spellings(): Promise<LabelRef['spellings']> {
    const rows = await conn.query(labelSpellingsQuery('spelled', 'churned'));
    return rows
      .filter((r) => r.raw !== null)
      .map((r) => ({ raw: String(r.raw), label: r.label === null ? null : String(r.label) }));
  }

  it('gives every row the same label and positive flag as the full canonicalisation', async () => {
    const ref: LabelRef = {
      column: 'churned',
      kind: 'classes',
      positive: 'yes',
      spellings: await spellings(),
    };
    const full: LabelRef = { column: 'churned', kind: 'classes', positive: 'yes' };
    expect(labelSql(ref)).not.toBe(labelSql(full));
    const rows = await conn.query(
      `SELECT i, ${labelSql(ref)} AS mapped, ${labelSql(full)} AS canonical, ${positiveSql(ref)} AS mapped_pos, ${positiveSql(full)} AS canonical_pos FROM spelled ORDER BY i`,
    );
    expect(rows).toHaveLength(VALUES.length);
    for (const row of rows) {
      expect(row.mapped, `row ${String(row.i)}`).toEqual(row.canonical);
      expect(row.mapped_pos, `row ${String(row.i)}`).toEqual(row.canonical_pos);
    }
    expect(rows.filter((r) => r.mapped_pos === 1)).toHaveLength(4);
    expect(rows.filter((r) => r.mapped === null)).toHaveLength(3);
  });

  it('still canonicalises a spelling the setup never saw (the data changed since)', async () => {
    const seen = (await spellings())!.filter((s) => s.raw !== 'maybe' && s.raw !== 'n');
    const ref: LabelRef = { column: 'churned', kind: 'classes', positive: 'yes', spellings: seen };
    const rows = await conn.query(
      `SELECT churned, ${labelSql(ref)} AS label, ${positiveSql(ref)} AS pos FROM spelled WHERE churned IN ('maybe', 'n')`,
    );
    expect(rows.map((r) => [r.churned, r.label, r.pos])).toEqual(
      expect.arrayContaining([
        ['maybe', 'maybe', 0],
        ['n', 'no', 0],
      ]),
    );
  });

  it('counts rows, labelled rows and positives per month as a per-row reading would', async () => {
    await conn.exec(
      `CREATE OR REPLACE TABLE spelled_months AS SELECT DATE '2024-01-15' + INTERVAL (r.k * 9) DAY AS seen_at, c.churned FROM range(60) r(k), spelled c`,
    );
    const ref: LabelRef = {
      column: 'churned',
      kind: 'classes',
      positive: 'yes',
      spellings: await spellings(),
    };
    const canonical = canonicalLabelSql('churned');
    const perRow = await conn.query(
      `SELECT strftime(seen_at, '%Y-%m') AS month, count(*) AS rows, count(${canonical}) AS labelled, sum(CASE WHEN ${canonical} IS NULL THEN NULL WHEN ${canonical} = 'yes' THEN 1 ELSE 0 END) AS positives FROM spelled_months WHERE seen_at <= DATE '2026-11-01' GROUP BY 1 ORDER BY 1`,
    );
    const grouped = await conn.query(
      monthlyCountsQuery({
        table: 'spelled_months',
        asOf: '2026-11-01',
        label: ref,
        time: { column: 'seen_at', type: 'DATE', encoding: 'native', granularity: 'day' },
      }),
    );
    expect(perRow.length).toBeGreaterThan(10);
    expect(grouped.map((r) => [r.month, Number(r.rows), Number(r.labelled), Number(r.positives)])).toEqual(
      perRow.map((r) => [r.month, Number(r.rows), Number(r.labelled), Number(r.positives)]),
    );
  });

  it('counts rows per segment and class as a per-row reading would', async () => {
    await conn.exec(
      `CREATE OR REPLACE TABLE spelled_regions AS SELECT CASE r.k % 3 WHEN 0 THEN 'north' WHEN 1 THEN 'South' ELSE NULL END AS region, c.churned FROM range(50) r(k), spelled c`,
    );
    const ref: LabelRef = {
      column: 'churned',
      kind: 'classes',
      positive: 'yes',
      spellings: await spellings(),
    };
    const perRow = await conn.query(
      `SELECT CAST(region AS VARCHAR) AS segment, ${canonicalLabelSql('churned')} AS label, count(*) AS rows FROM spelled_regions GROUP BY ALL ORDER BY segment NULLS LAST, label NULLS LAST`,
    );
    const grouped = await conn.query(
      segmentClassCountsQuery({ table: 'spelled_regions', asOf: '2026-11-01', label: ref }, 'region'),
    );
    expect(perRow.length).toBeGreaterThan(8);
    expect(grouped.map((r) => [r.segment, r.label, Number(r.rows)])).toEqual(
      perRow.map((r) => [r.segment, r.label, Number(r.rows)]),
    );
  });
});

import { beforeAll, describe, expect, it } from 'vitest';
import { useEngine, loadBytes } from '../../../support/engine';
import type { Row } from '../../../../src/lib/engine/connector';
import type { LoadedDataset } from '../../../../src/lib/engine/load-dataset';
import type { ReadinessSqlContext } from '../../../../src/lib/core/sql/readiness-common';
import {
  type LabelCountsPart,
  labelBySourceQuery,
  labelCountsQuery,
  labelVariantsQuery,
  missingLabelsQuery,
} from '../../../../src/lib/core/sql/readiness-labels';
import { generateChurnDataset } from '../../../../scripts/lib/synthetic';

/**
 * labels-missing, labels-variants and labels-by-source run one counting
 * statement for classes; each finding shows its own. Both must give the same rows.
 */

const conn = useEngine();
let churn: LoadedDataset;
const { csv, planted } = generateChurnDataset();

beforeAll(async () => {
  churn = await loadBytes(conn, 'churn.csv', csv);
  await conn.exec(`CREATE TABLE few AS SELECT * FROM (VALUES
      ('Yes', 'a'), ('yes ', 'a'), ('N/A', 'b'), (NULL, 'b'), ('', NULL), ('No', NULL), ('no', 'a'), ('No', 'b')
    ) AS t(y, src)`);
});

const fields = ['label', 'raw', 'source', 'rows'] as const;

/** The rows of one part, as the standalone statement's columns. */
function part(rows: Row[], name: LabelCountsPart, columns: readonly string[]): unknown[] {
  return rows
    .filter((r) => r.part === name)
    .map((r) => columns.map((c) => (c === 'rows' ? Number(r[c]) : r[c])));
}

function asColumns(rows: Row[], columns: readonly string[]): unknown[] {
  return rows.map((r) => columns.map((c) => (c === 'rows' ? Number(r[c]) : r[c])));
}

async function sameAsStandalone(ctx: ReadinessSqlContext): Promise<void> {
  const fused = await conn.query(labelCountsQuery(ctx));
  expect(part(fused, 'missing', ['raw', 'rows'])).toEqual(
    asColumns(await conn.query(missingLabelsQuery(ctx)), ['raw', 'rows']),
  );
  expect(part(fused, 'variants', fields)).toEqual(
    asColumns(await conn.query(labelVariantsQuery(ctx)), fields),
  );
  if (ctx.source)
    expect(part(fused, 'by-source', ['source', 'label', 'rows'])).toEqual(
      asColumns(await conn.query(labelBySourceQuery(ctx)), ['source', 'label', 'rows']),
    );
}

describe('one counting statement for the label checks', () => {
  it('gives the missing, variant and per-source rows of the standalone statements (churn extract)', async () => {
    await sameAsStandalone({
      table: churn.tableName,
      label: { column: 'churned', kind: 'classes', positive: 'yes' },
      source: 'source_system',
      asOf: planted.asOf,
    });
  });

  it('reads missing-like tokens, NULL sources and spellings outside the known list the same way', async () => {
    const ctx: ReadinessSqlContext = {
      table: 'few',
      // 'yes ' is not among the known spellings: the full canonicalisation reads it.
      label: {
        column: 'y',
        kind: 'classes',
        positive: 'yes',
        spellings: [
          { raw: 'Yes', label: 'yes' },
          { raw: 'No', label: 'no' },
        ],
      },
      source: 'src',
      asOf: '2026-01-01',
    };
    await sameAsStandalone(ctx);
    const fused = await conn.query(labelCountsQuery(ctx));
    expect(part(fused, 'missing', ['raw', 'rows'])).toEqual([
      ['', 1],
      ['N/A', 1],
      [null, 1],
    ]);
  });

  it('works without a source system', async () => {
    await sameAsStandalone({ table: 'few', label: { column: 'y', kind: 'classes' }, asOf: '2026-01-01' });
  });
});

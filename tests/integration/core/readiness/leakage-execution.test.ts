import { beforeAll, describe, expect, it } from 'vitest';
import { useEngine, loadBytes } from '../../../support/engine';
import type { Connector, Row } from '../../../../src/lib/engine/connector';
import type { LoadedDataset } from '../../../../src/lib/engine/load-dataset';
import { profileDataset } from '../../../../src/lib/session/profile';
import { runReadiness, type RunReadinessOptions } from '../../../../src/lib/session/readiness';
import type { DatasetProfile } from '../../../../src/lib/core/model/audit';
import { ident } from '../../../../src/lib/core/sql/quote';
import { type ReadinessSqlContext, timeSql } from '../../../../src/lib/core/sql/readiness-common';
import { shapeSql } from '../../../../src/lib/core/sql/profile-patterns';
import { conflictingLabelsQuery } from '../../../../src/lib/core/sql/readiness-labels';
import {
  type AucFeature,
  categoryAucQuery,
  featureAucsQuery,
  idShapeBody,
  idShapeSql,
  idShapeWithBodySql,
  integerIdShapeSql,
  presenceByClassQuery,
  presenceCountsQuery,
  rankAucQuery,
  rowGroupsQuery,
  splitDuplicatesQuery,
} from '../../../../src/lib/core/sql/readiness-leakage';
import { generateChurnDataset } from '../../../../scripts/lib/synthetic';
import { plantedAuditInput } from '../../../fixtures/planted-defects';

/**
 * The leakage and label checks run cheaper statements than the ones their
 * findings show (fused, ranked by rows, shapes read from the profile). Each
 * cheaper statement must give exactly what the shown one gives.
 */

const conn = useEngine();
let churn: LoadedDataset;
let profile: DatasetProfile;
const { csv, planted } = generateChurnDataset();

beforeAll(async () => {
  churn = await loadBytes(conn, 'churn.csv', csv);
  profile = await profileDataset(conn, churn.tableName, 'churn');
  await conn.exec(`CREATE TABLE rows_mix AS SELECT * FROM (VALUES
      ('a', 1.5, 'Yes'), ('a', 1.5, 'yes'), ('a', 1.5, 'No'),
      ('b', CAST(-0.0 AS DOUBLE), 'No'), ('b', CAST(0.0 AS DOUBLE), 'No'),
      (NULL, NULL, 'Yes'), (NULL, NULL, 'Yes'), (NULL, NULL, NULL),
      ('c', 2.0, NULL), ('c', 2.0, NULL), ('c', 2.0, 'No'),
      ('d', 3.0, 'Yes'), ('e', 3.0, 'No')
    ) AS t(f, x, y)`);
  await conn.exec(`CREATE TABLE mixed AS SELECT
      CASE range % 3 WHEN 0 THEN 'a' WHEN 1 THEN 'b' ELSE 'c' END || CASE WHEN range % 17 = 0 THEN ' ' ELSE '' END AS y,
      CASE WHEN range % 5 = 0 THEN NULL ELSE (range * 7) % 23 END AS n,
      range % 4 = 0 AS flag,
      CASE WHEN range % 6 = 0 THEN NULL ELSE strftime(DATE '2024-01-01' + CAST(range % 40 AS INTEGER), '%Y-%m-%d') END AS day,
      CASE WHEN range % 9 = 0 THEN NULL ELSE 'k' || CAST(range % 4 AS VARCHAR) END AS cat
    FROM range(300)`);
  await conn.exec(`CREATE TABLE shapes AS SELECT * FROM (VALUES
      ('Éa12 ٣x'), ('C10000'), ('c-12' || chr(9) || ' 3'), (''), ('ab  cd'), ('中文12'), ('x_Y.9z'), (NULL)
    ) AS t(v)`);
  await conn.exec(
    `CREATE TABLE ints AS SELECT * FROM (VALUES (123), (-45), (0), (NULL), (9000000000)) AS t(i)`,
  );
});

const churnCtx = (): ReadinessSqlContext => ({
  table: churn.tableName,
  label: { column: 'churned', kind: 'classes', positive: 'yes' },
  id: 'customer_id',
  asOf: planted.asOf,
});

const FEATURES = [
  'source_system',
  'email',
  'phone',
  'signup_date',
  'region',
  'plan',
  'contract_type',
  'payment_method',
  'monthly_fee',
  'tenure_months',
  'support_tickets',
  'last_login_days',
  'card_number',
  'cancellation_reason',
];

/** The fused row-groups result next to the two statements it replaces. */
async function rowGroupsAgainstReference(
  ctx: ReadinessSqlContext,
  features: string[],
  conflicts: boolean,
): Promise<void> {
  const fused = await conn.query(rowGroupsQuery(ctx, features, { testShare: 0.2, examples: 3 }));
  const [dup] = await conn.query(splitDuplicatesQuery(ctx, features, 0.2));
  expect(fused.length).toBeGreaterThan(0);
  const head = fused[0]!;
  expect(Number(head.rz_dup_groups)).toBe(Number(dup!.groups));
  expect(Number(head.rz_dup_rows)).toBe(Number(dup!.rows));
  expect(Number(head.rz_dup_expected)).toBeCloseTo(Number(dup!.expected_straddling), 9);
  expect(Number(head.rz_total)).toBe(Number(dup!.total));
  if (!conflicts) return;
  const reference = await conn.query(conflictingLabelsQuery(ctx, features, 3));
  const totals = (r: Row | undefined): number[] =>
    [r?.rz_group_count, r?.rz_conflict_rows, r?.rz_labelled].map((v) => Number(v ?? 0));
  if (reference.length === 0) expect(Number(head.rz_group_count)).toBe(0);
  else expect(totals(head)).toEqual(totals(reference[0]));
  const examples = (rows: Row[]): unknown[] =>
    rows
      .filter((r) => r.rz_rows !== null && r.rz_rows !== undefined)
      .map((r) => JSON.stringify([...features.map((f) => r[f]), Number(r.rz_rows), r.rz_labels]));
  expect(examples(fused)).toEqual(examples(reference));
}

describe('execution statements equal the statements findings show', () => {
  it('groups rows once for split duplicates and conflicting labels, with the same counts and examples', async () => {
    await rowGroupsAgainstReference(churnCtx(), FEATURES, true);
  });

  it('groups NULL features, −0 and 0, and unlabelled rows as plain GROUP BY does', async () => {
    const ctx: ReadinessSqlContext = {
      table: 'rows_mix',
      label: { column: 'y', kind: 'classes', positive: 'yes' },
      asOf: '2026-01-01',
    };
    await rowGroupsAgainstReference(ctx, ['f', 'x'], true);
    const [head] = await conn.query(rowGroupsQuery(ctx, ['f', 'x'], { testShare: 0.2, examples: 3 }));
    // Duplicates: (a,1.5,yes)×2, (b,0,no)×2 with −0, (NULL,NULL,yes)×2, (c,2,unlabelled)×2.
    expect(Number(head!.rz_dup_groups)).toBe(4);
    // Conflicts: only (a,1.5) has two labels; unlabelled rows conflict with nothing.
    expect(Number(head!.rz_group_count)).toBe(1);
  });

  it('groups a numeric target the same way (duplicates only)', async () => {
    const ctx: ReadinessSqlContext = {
      table: churn.tableName,
      label: { column: 'monthly_fee', kind: 'numeric' },
      asOf: planted.asOf,
    };
    await rowGroupsAgainstReference(
      ctx,
      FEATURES.filter((f) => f !== 'monthly_fee'),
      false,
    );
  });

  it('ranks the rows themselves to the same AUC as ranking (value, class) counts', async () => {
    for (const expression of [
      ident('customer_id'),
      `CAST(${ident('monthly_fee')} AS DOUBLE)`,
      `CAST(${ident('signup_date')} AS TIMESTAMP)`,
      ident('card_number'),
    ]) {
      const counts = await conn.query(rankAucQuery(churnCtx(), expression));
      const rows = await conn.query(rankAucQuery(churnCtx(), expression, { rowLevel: true }));
      expect(rows.map((r) => [r.class, Number(r.positives), Number(r.negatives)])).toEqual(
        counts.map((r) => [r.class, Number(r.positives), Number(r.negatives)]),
      );
      rows.forEach((r, i) => expect(Number(r.auc)).toBeCloseTo(Number(counts[i]!.auc), 12));
    }
  });

  it('reads an ID shape from the profile shapes: first character plus the shape text', async () => {
    const rows = await conn.query(
      `SELECT left(v, 1) AS first, ${idShapeSql('v')} AS shape, ${shapeSql('v')} AS profile_shape FROM shapes WHERE v IS NOT NULL`,
    );
    expect(rows.length).toBe(7);
    for (const r of rows)
      expect(`${String(r.first)}:${idShapeBody(String(r.profile_shape))}`).toBe(String(r.shape));
    expect(rows.map((r) => r.shape)).toContain('É:a9 9a');
  });

  it('gives integer IDs the shape the regular expressions give', async () => {
    const rows = await conn.query(
      `SELECT ${integerIdShapeSql('i')} AS cheap, ${idShapeSql('i')} AS full FROM ints`,
    );
    expect(rows.map((r) => r.cheap)).toEqual(rows.map((r) => r.full));
    expect(rows.map((r) => r.full)).toContain('-:-9');
  });

  it('gives the same shape AUC from the profile’s single shape as from the regular expressions', async () => {
    const column = profile.columns.find((c) => c.name === 'customer_id')!;
    const bodies = new Set(column.text!.shapes.map((s) => idShapeBody(String(s.value))));
    expect([...bodies]).toEqual(['a9']);
    const cheap = await conn.query(categoryAucQuery(churnCtx(), idShapeWithBodySql('customer_id', 'a9')));
    const full = await conn.query(categoryAucQuery(churnCtx(), idShapeSql('customer_id')));
    expect(cheap).toEqual(full);
  });

  it('computes several features’ AUCs in one statement as each feature’s own statement does', async () => {
    const cases: [ReadinessSqlContext, AucFeature[]][] = [
      [
        churnCtx(),
        [
          { method: 'rank', expression: `CAST(${ident('monthly_fee')} AS DOUBLE)` },
          { method: 'category', expression: ident('region') },
          { method: 'rank', expression: `CAST(${ident('signup_date')} AS TIMESTAMP)`, time: true },
          { method: 'category', expression: ident('cancellation_reason') },
        ],
      ],
      [
        { table: 'mixed', label: { column: 'y', kind: 'classes' }, asOf: '2026-01-01' },
        [
          { method: 'rank', expression: `CAST(${ident('n')} AS DOUBLE)` },
          { method: 'rank', expression: `CAST(${ident('flag')} AS INTEGER)` },
          { method: 'rank', expression: timeSql({ column: 'day', type: 'VARCHAR' }), time: true },
          { method: 'category', expression: ident('cat') },
        ],
      ],
    ];
    for (const [ctx, features] of cases) {
      const together = await conn.query(featureAucsQuery(ctx, features));
      for (const [i, f] of features.entries()) {
        const alone = await conn.query(
          f.method === 'rank' ? rankAucQuery(ctx, f.expression) : categoryAucQuery(ctx, f.expression),
        );
        const part = together.filter((r) => Number(r.feature) === i);
        const counts = (rows: Row[]): unknown[] =>
          rows.map((r) => [r.class, Number(r.positives), Number(r.negatives), r.categories ?? null]);
        expect(counts(part)).toEqual(counts(alone));
        part.forEach((r, j) => expect(Number(r.auc)).toBeCloseTo(Number(alone[j]!.auc), 12));
      }
    }
  });

  it('counts presence of several columns in one pass as the per-column query does', async () => {
    const columns = ['cancellation_reason', 'card_number', 'churn_date'];
    const together = await conn.query(presenceCountsQuery(churnCtx(), columns));
    for (const [i, column] of columns.entries()) {
      const alone = await conn.query(presenceByClassQuery(churnCtx(), column));
      expect(together.map((r) => [r.class, Number(r.rows), Number(r[`filled_${i}`])])).toEqual(
        alone.map((r) => [r.class, Number(r.rows), Number(r.filled)]),
      );
    }
  });
});

describe('leakage and label checks in a run', () => {
  const options = (withProfile: boolean): RunReadinessOptions => ({
    tableName: churn.tableName,
    datasetId: 'churn',
    columns: churn.columns,
    ...plantedAuditInput(planted, { decision: '' }),
    ...(withProfile ? { profile } : {}),
    only: ['leakage-id-like', 'leakage-split-duplicates', 'labels-conflicting', 'leakage-single-feature'],
  });

  async function run(withProfile: boolean): Promise<{ sql: string[]; findings: unknown[] }> {
    const sql: string[] = [];
    const recording: Connector = { ...conn, query: (s: string) => (sql.push(s), conn.query(s)) };
    const findings = await runReadiness(recording, options(withProfile));
    return { sql, findings };
  }

  it('groups the rows by their features once for split duplicates and conflicting labels', async () => {
    const { sql } = await run(true);
    expect(sql.filter((s) => s.includes('rz_hashed')).length).toBe(1);
  });

  it('runs the feature AUCs and the ID shapes in one statement for both leakage checks', async () => {
    const { sql } = await run(true);
    const aucs = sql.filter((s) => s.includes('rz_f IN'));
    expect(aucs.length).toBe(1);
    expect(aucs[0]).toContain(idShapeWithBodySql('customer_id', 'a9'));
  });

  it('skips the ID shape’s regular expressions when the profile knows the shape, with the same findings', async () => {
    const shortcut = await run(true);
    const full = await run(false);
    const has = (sql: string[], fragment: string): boolean => sql.some((s) => s.includes(fragment));
    expect(has(shortcut.sql, idShapeWithBodySql('customer_id', 'a9'))).toBe(true);
    expect(has(shortcut.sql, idShapeSql('customer_id'))).toBe(false);
    expect(has(full.sql, idShapeSql('customer_id'))).toBe(true);
    expect(shortcut.findings).toEqual(full.findings);
  });
});

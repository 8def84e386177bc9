import { describe, expect, it } from 'vitest';
import { withRelations } from '../../../../src/lib/core/sql/cte';
import { inPlaceStage, relationsRead } from '../../../../src/lib/core/feasibility/in-place';
import { DESIGN_TABLE, ROWS_TABLE } from '../../../../src/lib/core/feasibility/design';
import { PRED_TABLE } from '../../../../src/lib/core/feasibility/model-stages';
import { startModel } from '../../../../src/lib/core/feasibility/irls';
import type { FeasibilityState } from '../../../../src/lib/core/feasibility/state';
import type { Stage } from '../../../../src/lib/core/pipeline/stage';

const source = { rows: () => 'SELECT 1 AS __sz_rid', seed: 7 };

/** A regression state with one fitted model and one numeric design column. */
const state: FeasibilityState = {
  task: 'regression',
  choice: { features: [{ column: 'x', kind: 'numeric' }], excluded: [] },
  columns: [{ name: '__sz_x1', feature: 'x', kind: 'numeric', mean: 0, std: 1 }],
  models: [{ ...startModel('ridge', { side: 'train', minPos: 0 }, 1, 0), rows: 10 }],
};

describe('feasibility statements in place', () => {
  it('gives each statement the tables it reads, and what they read, in order', () => {
    const names = (sql: string) => relationsRead(sql, state, source).map(([name]) => name);
    expect(names(`SELECT count(*) FROM "${ROWS_TABLE}"`)).toEqual([ROWS_TABLE]);
    expect(names(`SELECT count(*) FROM "${DESIGN_TABLE}"`)).toEqual([ROWS_TABLE, DESIGN_TABLE]);
    expect(names(`SELECT count(*) FROM ${PRED_TABLE}`)).toEqual([ROWS_TABLE, DESIGN_TABLE, PRED_TABLE]);
    expect(names('SELECT 1')).toEqual([]);
  });

  it('computes only the predictions of the models a statement reads', () => {
    const pred = (models?: string[]) =>
      relationsRead(`SELECT * FROM ${PRED_TABLE}`, state, source, models).find(
        ([n]) => n === PRED_TABLE,
      )?.[1];
    expect(pred()).toContain("'ridge'");
    expect(pred(['ridge'])).toContain("'ridge'");
    // No model of that name: an empty relation, never the name left to a table the engine may hold.
    expect(pred(['oof'])).toMatch(/WHERE 1 = 0$/);
  });

  it('drops the statements that write and wraps the ones that read', () => {
    const stage: Stage<FeasibilityState> = {
      id: 'metrics',
      label: 'x',
      queries: () => ({
        a_create: { effect: true, sql: `CREATE TEMP TABLE "${PRED_TABLE}" AS SELECT 1` },
        read: `SELECT count(*) FROM "${PRED_TABLE}"`,
      }),
      resolve: (s) => s,
    };
    const queries = inPlaceStage(stage, source).queries(state);
    expect(Object.keys(queries)).toEqual(['read']);
    expect(queries.read).toMatch(new RegExp(`^WITH "${ROWS_TABLE}" AS MATERIALIZED`));
    expect(queries.read).toContain(`"${PRED_TABLE}" AS MATERIALIZED`);
  });
});

describe('withRelations', () => {
  const rel = [['r', 'SELECT 1 AS a']] as const;
  it('puts the relations before a statement, or at the head of its own WITH', () => {
    expect(withRelations(rel, 'SELECT a FROM r')).toBe(
      'WITH "r" AS MATERIALIZED (SELECT 1 AS a)\nSELECT a FROM r',
    );
    expect(withRelations(rel, 'WITH b AS (SELECT a FROM r) SELECT * FROM b')).toBe(
      'WITH "r" AS MATERIALIZED (SELECT 1 AS a),\nb AS (SELECT a FROM r) SELECT * FROM b',
    );
  });

  it('reads a recursive statement as a subquery, which ClickHouse takes (no MATERIALIZED in a recursive WITH)', () => {
    const recursive =
      'WITH RECURSIVE n(i) AS (SELECT 0 UNION ALL SELECT i + 1 FROM n WHERE i < 3) SELECT * FROM n, r';
    expect(withRelations(rel, recursive)).toBe(
      `WITH "r" AS MATERIALIZED (SELECT 1 AS a)\nSELECT * FROM (${recursive}) AS recursive_statement`,
    );
  });
});

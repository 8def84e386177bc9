import { statementSql, type Stage, type Statement, type Statements } from '../pipeline/stage';
import { withRelations, type Relation } from '../sql/cte';
import { FEASIBILITY_THRESHOLDS as T } from '../thresholds/feasibility';
import { DESIGN_TABLE, ROWS_TABLE, designSelect } from './design';
import { scoreSelect } from './irls';
import { KNN_MODEL, knnPredictionsSelect } from './knn';
import { PRED_TABLE, designWidth, family, isBinary, predictionName, usable } from './model-stages';
import { NAIVE_BAYES_MODEL, naiveBayesScoreSelect } from './naive-bayes';
import { typedPredictionColumns } from './predictions';
import type { FeasibilityState } from './state';

/**
 * The baselines without a table (issue 24: a read-only ClickHouse user): the
 * rows, the design and the predictions become CTEs of every statement that
 * reads them, recomputed from the state each time. The row selection is
 * seeded hashes and the predictions come from the models' coefficients in the
 * state, so each statement sees the rows the temporary tables would hold.
 */

/** What the in-place statements need besides the state. */
export interface InPlaceSource {
  /** The rows table's SELECT (`rowsSelect`) for this state. */
  rows: (state: FeasibilityState) => string;
  seed: number;
}

const names = (table: string): RegExp => new RegExp(`\\b${table}\\b`);
const READS_ROWS = names(ROWS_TABLE);
const READS_DESIGN = names(DESIGN_TABLE);
const READS_PRED = names(PRED_TABLE);

/**
 * The predictions the temporary table would hold at this state, as one SELECT
 * (`model, rid, y, p`): every usable model's (the drop-column models once they
 * exist), kNN's and naive Bayes's (binary, once counted); only `models` when given.
 */
export function predictionsSelect(state: FeasibilityState, seed: number, models?: readonly string[]): string {
  const wanted = (name: string): boolean => !models || models.includes(name);
  const parts: string[] = [];
  const scored = usable(state, (m) => wanted(predictionName(m)));
  if (scored.length)
    parts.push(
      scoreSelect(DESIGN_TABLE, scored, scored.map(predictionName), designWidth(state), family(state)),
    );
  if (state.task === 'binary' && wanted(KNN_MODEL))
    parts.push(
      knnPredictionsSelect(
        DESIGN_TABLE,
        (state.columns ?? []).map((c) => c.name),
        T.knnSampleRows,
        T.knnNeighbours,
        seed,
      ),
    );
  const nb = state.naiveBayes;
  if (isBinary(state) && nb?.cuts && state.naiveBayesCounts && wanted(NAIVE_BAYES_MODEL))
    parts.push(
      naiveBayesScoreSelect(DESIGN_TABLE, NAIVE_BAYES_MODEL, nb.features, nb.cuts, state.naiveBayesCounts),
    );
  // No model to read: no rows, as the table would hold none of them.
  if (!parts.length)
    return `SELECT ${typedPredictionColumns({ model: "'none'", rid: '0', y: '0', p: '0' })} WHERE 1 = 0`;
  // Typed as the table's columns, so the parts union as the INSERTs into it did.
  return parts
    .map(
      (part, i) =>
        `SELECT ${typedPredictionColumns({ model: 'model', rid: 'rid', y: 'y', p: 'p' })} FROM (${part}) AS fp${i}`,
    )
    .join('\nUNION ALL\n');
}

/** The CTEs `sql` reads (rows, then design, then predictions, each with what it reads). */
export function relationsRead(
  sql: string,
  state: FeasibilityState,
  source: InPlaceSource,
  models?: readonly string[],
): Relation[] {
  const pred = READS_PRED.test(sql) ? predictionsSelect(state, source.seed, models) : null;
  const design = pred !== null || READS_DESIGN.test(sql);
  const rows = design || READS_ROWS.test(sql);
  return [
    ...(rows ? [[ROWS_TABLE, source.rows(state)] as const] : []),
    ...(design
      ? [[DESIGN_TABLE, designSelect(state.columns ?? [], state.choice?.features ?? [])] as const]
      : []),
    ...(pred !== null ? [[PRED_TABLE, pred] as const] : []),
  ];
}

/**
 * `stage` writing nothing: its effect statements (the CREATE, INSERT and DROP
 * of the tables) go, and every other statement takes the tables it reads as
 * CTEs. `modelsRead` names, per statement key, the models a statement reads,
 * so it computes only their predictions (kNN's sample pairs are the costly part).
 */
export function inPlaceStage(
  stage: Stage<FeasibilityState>,
  source: InPlaceSource,
  modelsRead?: (state: FeasibilityState) => Readonly<Record<string, readonly string[]>>,
): Stage<FeasibilityState> {
  return {
    ...stage,
    queries: (state): Statements => {
      const models = modelsRead?.(state) ?? {};
      const out: Record<string, string | Statement> = {};
      for (const [key, statement] of Object.entries(stage.queries(state))) {
        if (typeof statement !== 'string' && statement.effect) continue;
        const sql = withRelations(
          relationsRead(statementSql(statement), state, source, models[key]),
          statementSql(statement),
        );
        out[key] = typeof statement === 'string' ? sql : { ...statement, sql };
      }
      return out;
    },
  };
}

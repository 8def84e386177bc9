import type { Analysis, Stage, Statements } from '../pipeline/stage';
import { dialect } from '../sql/dialect';
import { setupStagesFor } from '../readiness/setup';
import { FEASIBILITY_THRESHOLDS as T } from '../thresholds/feasibility';
import {
  DESIGN_TABLE,
  ROWS_TABLE,
  designColumns,
  designTableStatement,
  levelStatsQuery,
  numericStatsQuery,
  prefilterShares,
  readEncodingStats,
  rowsSelect,
  rowsTableStatement,
  splitCountsQuery,
  type RowsTableOptions,
} from './design';
import { inPlaceStage, type InPlaceSource } from './in-place';
import { scoreStatement, startModel } from './irls';
import { KNN_MODEL, knnPredictionsStatement } from './knn';
import {
  confidentLearningQuery,
  readConfidentLearning,
  readReviewSample,
  reviewSampleQuery,
} from './label-noise';
import {
  binaryMetricsQuery,
  calibrationQuery,
  prAucBootstrapQuery,
  prCurveQuery,
  readBinaryMetrics,
  readCalibration,
  readCurve,
  readPrAuc,
  readRegressionMetrics,
  regressionMetricsQuery,
  rocCurveQuery,
} from './metrics';
import { noiseShapeQuery, readNoiseShape } from './noise-shape';
import { bestModelName, feasibilityResult } from './result';
import type { FeasibilityInput, FeasibilityState } from './state';
import {
  PRED_TABLE,
  DROP,
  setupOf,
  runs,
  isBinary,
  designWidth,
  family,
  choose,
  initialModels,
  predictionName,
  newtonStages,
  stopAll,
  usable,
  dropCandidates,
  naiveBayesStages,
} from './model-stages';

export type { FeasibilityInput, FeasibilityState } from './state';
export { PRED_TABLE } from './model-stages';
export { feasibilityResult };

/**
 * Feasibility from honest baselines (issue 21) as stages:
 *   setup → choice → rows (one scan of the dataset: the split and the caps)
 *   → encoding → design → newton-1…N → score → naive Bayes → metrics
 *   → details (PR-AUC, curves, calibration, label noise) → drop-column.
 * Tables: `__sz_feas_rows` (dropped once the design exists),
 * `__sz_feas_design` and `__sz_feas_pred` (the contract's), dropped by
 * `cleanup`. Every Newton step fits all unconverged models at once (see `irls.ts`):
 * 'logistic' (or 'ridge'), the learning curve's 'curve:<share>' models and
 * the five 'fold:<k>' models whose held-out folds give the out-of-fold 'oof'
 * predictions; drop-column models join later, when the AUC looks too good.
 * In place (`FeasibilityInput.inPlace`, see `in-place.ts`) the same stages
 * create no table: each statement reads the three as CTEs.
 */

/** Stages whose failure leaves the baselines without a figure they need: the step then reports not-run. */
const ESSENTIAL = /^(setup|choice|rows|encoding|design|newton-\d+|score|metrics)$/;

/**
 * A failed statement never stops the audit: an essential stage's failure
 * turns the step into not-run with the engine's reason; any other stage's
 * (naive Bayes, details, drop-column) leaves its figures out.
 */
function withRecovery(stage: Stage<FeasibilityState>): Stage<FeasibilityState> {
  return {
    ...stage,
    recover: (state, failure) =>
      ESSENTIAL.test(stage.id)
        ? {
            ...state,
            notRun: {
              reason: `The baselines could not be computed (${failure.message}).`,
              ...(state.task ? { task: state.task } : {}),
            },
          }
        : stopAll(state),
  };
}

/** The feasibility analysis; run it from `{}`, read its final state with `feasibilityResult(state)`. */
export function feasibilityAnalysis(input: FeasibilityInput): Analysis<FeasibilityState> {
  const seed = input.seed ?? T.seed;
  const own: Stage<FeasibilityState>[] = [
    ...preparationStages(input, seed),
    ...newtonStages('newton-'),
    scoreStage(seed),
    ...naiveBayesStages(),
    metricsStage(),
    detailsStage(input, seed),
    ...dropColumnStages(),
  ];
  const setup = setupStagesFor<FeasibilityState>(
    () => ('readiness' in input ? input.readiness : undefined),
    'Reading the columns',
  );
  if (input.inPlace ?? dialect.readsInPlace) {
    const source: InPlaceSource = {
      rows: (state) => rowsSelect(setupOf(input, state), rowsOptions(state, seed)),
      seed,
    };
    const inPlace = own.map((s) => inPlaceStage(s, source, s.id === 'details' ? detailsModels : undefined));
    return { name: 'feasibility', stages: [...setup, ...inPlace].map(withRecovery) };
  }
  return {
    name: 'feasibility',
    stages: [...setup, ...own].map(withRecovery),
    cleanup: () => [
      `DROP TABLE IF EXISTS ${ROWS_TABLE}`,
      `DROP TABLE IF EXISTS ${DESIGN_TABLE}`,
      `DROP TABLE IF EXISTS ${PRED_TABLE}`,
    ],
  };
}

function rowsOptions(state: FeasibilityState, seed: number): RowsTableOptions {
  return {
    features: state.choice?.features ?? [],
    split: state.split ?? { design: 'random', holdoutShare: T.holdoutShare },
    task: state.task ?? 'binary',
    seed,
  };
}

/** The features, the split's rows table, the encoding read off its train side, and the design table. */
function preparationStages(input: FeasibilityInput, seed: number): Stage<FeasibilityState>[] {
  return [
    {
      id: 'choice',
      label: 'Choosing the features',
      queries: () => ({}),
      resolve: (state) => choose(input, state),
    },
    {
      id: 'rows',
      label: 'Splitting the rows',
      applies: runs,
      // Tables a stopped run left go first: CREATE OR REPLACE is DuckDB's alone.
      queries: (state) => ({
        ...Object.fromEntries(
          [ROWS_TABLE, DESIGN_TABLE, PRED_TABLE].map((t) => [
            `clear ${t}`,
            { effect: true, sql: `DROP TABLE IF EXISTS ${t}` },
          ]),
        ),
        rows: { effect: true, sql: rowsTableStatement(setupOf(input, state), rowsOptions(state, seed)) },
      }),
      resolve: (state) => {
        const shares = prefilterShares(setupOf(input, state), {
          split: state.split ?? { design: 'random', holdoutShare: T.holdoutShare },
        });
        const splitSql = splitCountsQuery(setupOf(input, state), rowsOptions(state, seed));
        return { ...state, prefiltered: shares.train < 1 || shares.test < 1, splitSql };
      },
    },
    {
      id: 'encoding',
      label: 'Reading the encoding',
      applies: runs,
      queries: (state) => {
        const features = state.choice?.features ?? [];
        const levels = levelStatsQuery(features);
        return { numeric: numericStatsQuery(features), ...(levels ? { levels } : {}) };
      },
      resolve: (state, results) => {
        const row = results.numeric?.[0];
        const stats = {
          ...readEncodingStats(row),
          trainAvailable: Number(row?.train_avail ?? 0),
          testAvailable: Number(row?.test_avail ?? 0),
        };
        const { columns, dropped } = designColumns(state.choice?.features ?? [], row, results.levels ?? []);
        const next = { ...state, stats, columns, dropped };
        if (!columns.length)
          return { ...next, notRun: { reason: 'No feature varies on the training side.', task: state.task } };
        if (stats.trainRows < T.minTestRows || stats.testRows < T.minTestRows)
          return {
            ...next,
            notRun: {
              reason: `Too few labelled rows on a side of the split (${stats.trainRows} train, ${stats.testRows} held out).`,
              task: state.task,
            },
          };
        if (state.task === 'binary' && (stats.trainPositives <= 0 || stats.trainPositives >= stats.trainRows))
          return { ...next, notRun: { reason: 'The training side has a single class.', task: state.task } };
        return next;
      },
    },
    {
      id: 'design',
      label: 'Encoding the features',
      applies: runs,
      queries: (state) => ({
        a_design: {
          effect: true,
          sql: designTableStatement(state.columns ?? [], state.choice?.features ?? []),
        },
        b_drop: { effect: true, sql: `DROP TABLE IF EXISTS ${ROWS_TABLE}` },
      }),
      resolve: (state) => ({ ...state, models: initialModels(state) }),
    },
  ];
}

/** Every fitted model's predictions, and the kNN sample's (binary). */
function scoreStage(seed: number): Stage<FeasibilityState> {
  return {
    id: 'score',
    label: 'Scoring the held-out rows',
    applies: runs,
    queries: (state) => {
      const models = usable(state, () => true);
      const out: Record<string, { effect: true; sql: string }> = {
        a_score: {
          effect: true,
          sql: scoreStatement(
            DESIGN_TABLE,
            PRED_TABLE,
            models,
            models.map(predictionName),
            designWidth(state),
            family(state),
            true,
          ),
        },
      };
      if (state.task === 'binary')
        out.b_knn = {
          effect: true,
          sql: knnPredictionsStatement(
            DESIGN_TABLE,
            PRED_TABLE,
            (state.columns ?? []).map((c) => c.name),
            T.knnSampleRows,
            T.knnNeighbours,
            seed,
          ),
        };
      return out;
    },
    resolve: stopAll,
  };
}

/** Held-out AUC and Brier (binary), or R² and MAE, of every model. */
function metricsStage(): Stage<FeasibilityState> {
  return {
    id: 'metrics',
    label: 'Measuring the baselines',
    applies: runs,
    queries: (state): Statements =>
      isBinary(state)
        ? { binary: binaryMetricsQuery(PRED_TABLE) }
        : { regression: regressionMetricsQuery(PRED_TABLE) },
    resolve: (state, results) =>
      isBinary(state)
        ? { ...state, binary: readBinaryMetrics(results.binary ?? []) }
        : { ...state, regression: readRegressionMetrics(results.regression ?? []) },
  };
}

/** The models each details statement reads (in place, only their predictions are computed). */
function detailsModels(state: FeasibilityState): Record<string, readonly string[]> {
  const best = bestModelName(state);
  return {
    prAuc: [best],
    roc: [best],
    pr: [best],
    calibration: [best],
    noise: ['oof'],
    knnNoise: [KNN_MODEL],
    review: ['oof'],
    noiseShape: ['oof'],
  };
}

/** The best model's PR-AUC, curves and calibration; the label-noise estimates and the review sample. */
function detailsStage(input: FeasibilityInput, seed: number): Stage<FeasibilityState> {
  return {
    id: 'details',
    label: 'Curves, calibration and label noise',
    applies: isBinary,
    queries: (state): Statements => {
      const best = bestModelName(state);
      const raw = (state.choice?.features ?? []).map((f) => f.column);
      return {
        prAuc: prAucBootstrapQuery(PRED_TABLE, best, T.bootstrapReplicates, seed),
        roc: rocCurveQuery(PRED_TABLE, best, T.curvePoints),
        pr: prCurveQuery(PRED_TABLE, best, T.curvePoints),
        calibration: calibrationQuery(PRED_TABLE, best, T.calibrationBins),
        noise: confidentLearningQuery(PRED_TABLE, 'oof', T.bootstrapReplicates, seed, T.noiseBootstrapRows),
        knnNoise: confidentLearningQuery(PRED_TABLE, KNN_MODEL, T.bootstrapReplicates, seed),
        review: reviewSampleQuery(PRED_TABLE, DESIGN_TABLE, 'oof', raw, T.reviewRows),
        noiseShape: noiseShapeQuery(PRED_TABLE, 'oof'),
      };
    },
    resolve: (state, results) => {
      const setup = setupOf(input, state);
      const positive = setup.label?.positive ?? '1';
      const raw = (state.choice?.features ?? []).map((f) => f.column);
      return {
        ...state,
        prAuc: readPrAuc(results.prAuc ?? []),
        roc: readCurve(results.roc ?? []),
        pr: readCurve(results.pr ?? []),
        calibration: readCalibration(results.calibration ?? []),
        noise: readConfidentLearning(results.noise ?? []),
        knnNoise: readConfidentLearning(results.knnNoise ?? []),
        review: readReviewSample(results.review ?? [], raw, (y) => (y === 1 ? positive : `not ${positive}`)),
        noiseShape: readNoiseShape(results.noiseShape ?? []),
      };
    },
  };
}

/** Drop-column importance, when the best AUC looks too good: refits without each strongest column. */
function dropColumnStages(): Stage<FeasibilityState>[] {
  return [
    {
      id: 'drop-start',
      label: 'Checking which column carries the score',
      applies: (state) => {
        if (!isBinary(state)) return false;
        const auc = state.binary?.find((m) => m.model === bestModelName(state))?.auc?.estimate ?? 0;
        return auc >= T.leakAuc;
      },
      queries: () => ({}),
      resolve: (state) => {
        const features = dropCandidates(state);
        const full = (state.models ?? []).find((m) => m.name === 'logistic');
        const columns = state.columns ?? [];
        const intercept = full?.coef[0] ?? 0;
        const added = features.map((f) =>
          startModel(
            `${DROP}${f}`,
            { side: 'train', minPos: 0 },
            columns.length,
            intercept,
            columns.flatMap((c, j) => (c.feature === f ? [] : [j])),
          ),
        );
        return { ...state, dropFeatures: features, models: [...(state.models ?? []), ...added] };
      },
    },
    ...newtonStages('drop-newton-'),
    {
      id: 'drop-score',
      label: 'Scoring without each column',
      applies: (state) => isBinary(state) && (state.dropFeatures?.length ?? 0) > 0,
      queries: (state): Statements => {
        const models = usable(state, (m) => m.name.startsWith(DROP));
        if (!models.length) return {};
        return {
          a_score: {
            effect: true,
            sql: scoreStatement(
              DESIGN_TABLE,
              PRED_TABLE,
              models,
              models.map((m) => m.name),
              designWidth(state),
              'logistic',
              false,
            ),
          },
          // The comment keeps the runner's cache from answering with the metrics stage's rows.
          binary: `${binaryMetricsQuery(PRED_TABLE)}\n-- with the drop-column models`,
        };
      },
      resolve: (state, results) =>
        results.binary ? { ...stopAll(state), binary: readBinaryMetrics(results.binary) } : stopAll(state),
    },
  ];
}

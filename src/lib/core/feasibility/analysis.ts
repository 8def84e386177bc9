import type { Analysis, Stage, Statements } from '../pipeline/stage';
import { splitDesign } from '../plan/compute';
import { resolveSetup, setupQueries } from '../readiness/setup';
import type { ReadinessSetup } from '../readiness/types';
import { FEASIBILITY_THRESHOLDS as T } from '../thresholds/feasibility';
import {
  DESIGN_TABLE,
  ROWS_TABLE,
  designColumns,
  designFeatures,
  designTableStatement,
  levelStatsQuery,
  numericStatsQuery,
  prefilterShares,
  readEncodingStats,
  rowsTableStatement,
} from './design';
import {
  applyNewtonStep,
  curveThresholds,
  gradientQuery,
  hessianQuery,
  readHessianBlocks,
  scoreStatement,
  startModel,
  type FitFamily,
  type FitModel,
} from './irls';
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
import {
  NAIVE_BAYES_MODEL,
  naiveBayesCountsQuery,
  naiveBayesCutsQuery,
  naiveBayesScoreStatement,
  readNaiveBayesCounts,
  readNaiveBayesCuts,
  type NaiveBayesFeature,
} from './naive-bayes';
import { noiseShapeQuery, readNoiseShape } from './noise-shape';
import { bestModelName, feasibilityResult } from './result';
import type { FeasibilityInput, FeasibilityState } from './state';

export type { FeasibilityInput, FeasibilityState } from './state';
export { feasibilityResult };

/**
 * Feasibility from honest baselines (issue 21) as stages:
 *   setup → choice → rows (one scan of the dataset: the split and the caps)
 *   → encoding → design → newton-1…N → score → naive Bayes → metrics
 *   → details (PR-AUC, curves, calibration, label noise) → drop-column.
 * Tables: `__sz_feas_rows` (dropped once the design exists),
 * `__sz_feas_design` and `__sz_feas_pred` (the contract's), dropped by
 * `cleanup`. Every Newton step fits all unconverged models in one statement:
 * 'logistic' (or 'ridge'), the learning curve's 'curve:<share>' models and
 * the five 'fold:<k>' models whose held-out folds give the out-of-fold 'oof'
 * predictions; drop-column models join later, when the AUC looks too good.
 */

export const PRED_TABLE = '__sz_feas_pred';

const CURVE = 'curve:';
const FOLD = 'fold:';
const DROP = 'drop:';

function setupOf(input: FeasibilityInput, state: FeasibilityState): ReadinessSetup {
  const setup = state.setup ?? ('setup' in input ? input.setup : undefined);
  if (!setup) throw new RangeError('The feasibility step needs the readiness setup first.');
  return setup;
}

const runs = (state: FeasibilityState): boolean => !state.notRun && state.task !== undefined;
const isBinary = (state: FeasibilityState): boolean => runs(state) && state.task === 'binary';
const p = (state: FeasibilityState): number => state.columns?.length ?? 0;
const family = (state: FeasibilityState): FitFamily => (state.task === 'regression' ? 'ridge' : 'logistic');
const fitting = (state: FeasibilityState): FitModel[] =>
  (state.models ?? []).filter((m) => !m.converged && !m.failed && !m.stopped);

/** The choice: task, features and split, or why the baselines don't run. */
function choose(input: FeasibilityInput, state: FeasibilityState): FeasibilityState {
  const setup = setupOf(input, state);
  const label = setup.label;
  const task = setup.input.context.task;
  const choice = designFeatures(setup, input.findings, input.personalColumns);
  const { design, holdoutShare } = splitDesign({
    setup,
    computedAt: input.computedAt,
    ...(input.plan ? { plan: input.plan } : {}),
  });
  const byTime = design === 'time' && !!setup.sql.time;
  const byGroup = design === 'group' && !!setup.sql.id;
  const split = {
    design: byTime ? ('time' as const) : byGroup ? ('group' as const) : ('random' as const),
    column: byTime ? (setup.time?.column ?? null) : byGroup ? (setup.id?.name ?? null) : null,
    holdoutShare,
  };
  const base = { ...state, setup, choice, split, computedAt: input.computedAt };
  if (!label) return { ...base, notRun: { reason: 'No target role is set: there is nothing to learn.' } };
  if (task === 'multiclass')
    return {
      ...base,
      notRun: {
        reason: 'Multiclass baselines are not built yet: the step covers binary and regression targets.',
        task,
      },
    };
  if (task === 'binary' && (label.kind !== 'classes' || label.positive === undefined))
    return { ...base, notRun: { reason: 'The binary target has no positive class.', task } };
  if (task === 'regression' && label.kind !== 'numeric')
    return { ...base, notRun: { reason: 'The regression target is not numeric.', task } };
  if (!choice.features.length)
    return { ...base, notRun: { reason: 'No column qualifies as a feature.', task } };
  return { ...base, task };
}

/** The models every Newton step fits at first: the baseline, the learning curve's shares, the five folds. */
function initialModels(state: FeasibilityState): FitModel[] {
  const columns = p(state);
  const stats = state.stats;
  const rate = stats && stats.trainRows > 0 ? stats.trainPositives / stats.trainRows : 0.5;
  const intercept =
    state.task === 'regression'
      ? 0
      : Math.log(Math.min(Math.max(rate, 1e-6), 1 - 1e-6) / (1 - Math.min(Math.max(rate, 1e-6), 1 - 1e-6)));
  const models = [startModel(family(state), { side: 'train', minPos: 0 }, columns, intercept)];
  for (const share of T.curveShares)
    if (share < 1)
      models.push(startModel(`${CURVE}${share}`, { side: 'train', minPos: 1 - share }, columns, intercept));
  if (state.task === 'binary')
    for (let k = 0; k < T.folds; k++) models.push(startModel(`${FOLD}${k}`, { fold: k }, columns, intercept));
  return models;
}

/** The predictions table's name of a model: curves by their training rows, folds pooled as 'oof'. */
function predictionName(m: FitModel): string {
  if (m.name.startsWith(CURVE)) return `${CURVE}${m.rows ?? 0}`;
  if (m.name.startsWith(FOLD)) return 'oof';
  return m.name;
}

/** The Hessian is read again while the baseline itself is still fitting (its steps stay exact Newton). */
function needsHessian(state: FeasibilityState): boolean {
  if (!state.hessian) return true;
  return fitting(state).some((m) => m.name === family(state));
}

function newtonStages(prefix: string): Stage<FeasibilityState>[] {
  return Array.from({ length: T.maxNewtonSteps }, (_, i) => ({
    id: `${prefix}${i + 1}`,
    label: (state: FeasibilityState) =>
      `Fitting the baselines (step ${i + 1}, ${fitting(state).length} models)`,
    applies: (state: FeasibilityState) => runs(state) && fitting(state).length > 0,
    queries: (state: FeasibilityState): Statements => {
      const full = (state.models ?? []).find((m) => m.name === family(state));
      return {
        gradient: gradientQuery(DESIGN_TABLE, fitting(state), p(state), family(state)),
        ...(needsHessian(state) && full
          ? {
              hessian: hessianQuery(
                DESIGN_TABLE,
                full.coef,
                p(state),
                family(state),
                curveThresholds(state.models ?? []),
              ),
            }
          : {}),
      };
    },
    resolve: (state: FeasibilityState, results) => {
      const hessian = results.hessian
        ? readHessianBlocks(results.hessian, p(state), curveThresholds(state.models ?? []))
        : state.hessian;
      if (!hessian) return state;
      const stepped = applyNewtonStep(fitting(state), results.gradient ?? [], hessian, {
        penalty: state.task === 'regression' ? T.ridgeAlpha : 1 / T.logisticC,
        tolerance: T.newtonTolerance,
        family: family(state),
      });
      const byName = new Map(stepped.map((m) => [m.name, m]));
      return { ...state, hessian, models: (state.models ?? []).map((m) => byName.get(m.name) ?? m) };
    },
  }));
}

/** Models past their last Newton step: the next round of steps leaves them be. */
const stopAll = (state: FeasibilityState): FeasibilityState => ({
  ...state,
  models: (state.models ?? []).map((m) => ({ ...m, stopped: true })),
});

const usable = (state: FeasibilityState, which: (m: FitModel) => boolean): FitModel[] =>
  (state.models ?? []).filter((m) => which(m) && !m.failed && (m.rows ?? 0) > 0);

/** The `dropColumnFeatures` features with the largest |coefficient| in the full model. */
function dropCandidates(state: FeasibilityState): string[] {
  const full = (state.models ?? []).find((m) => m.name === 'logistic');
  if (!full) return [];
  const weight = new Map<string, number>();
  (state.columns ?? []).forEach((c, j) => {
    weight.set(c.feature, Math.max(weight.get(c.feature) ?? 0, Math.abs(full.coef[j + 1] ?? 0)));
  });
  return [...weight]
    .sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]))
    .slice(0, T.dropColumnFeatures)
    .map(([f]) => f);
}

/** The feasibility analysis; run it from `{}`, read it with `feasibilityResult(input, state)`. */
export function feasibilityAnalysis(input: FeasibilityInput): Analysis<FeasibilityState> {
  const seed = input.seed ?? T.seed;
  const stages: Stage<FeasibilityState>[] = [
    {
      id: 'setup',
      label: 'Reading the columns',
      applies: () => 'readiness' in input,
      queries: (): Statements => ('readiness' in input ? setupQueries(input.readiness) : {}),
      resolve: (state, results) =>
        'readiness' in input ? { ...state, setup: resolveSetup(input.readiness, results) } : state,
    },
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
      queries: (state) => ({
        rows: {
          effect: true,
          sql: rowsTableStatement(setupOf(input, state), {
            features: state.choice?.features ?? [],
            split: state.split ?? { design: 'random', holdoutShare: T.holdoutShare },
            task: state.task ?? 'binary',
            seed,
          }),
        },
      }),
      resolve: (state) => {
        const shares = prefilterShares(setupOf(input, state), {
          split: state.split ?? { design: 'random', holdoutShare: T.holdoutShare },
        });
        return { ...state, prefiltered: shares.train < 1 || shares.test < 1 };
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
    ...newtonStages('newton-'),
    {
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
              p(state),
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
    },
    ...naiveBayesStages(),
    {
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
    },
    {
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
          noise: confidentLearningQuery(PRED_TABLE, 'oof', T.bootstrapReplicates, seed),
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
          review: readReviewSample(results.review ?? [], raw, (y) =>
            y === 1 ? positive : `not ${positive}`,
          ),
          noiseShape: readNoiseShape(results.noiseShape ?? []),
        };
      },
    },
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
              p(state),
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
  return {
    name: 'feasibility',
    stages,
    cleanup: () => [
      `DROP TABLE IF EXISTS ${ROWS_TABLE}`,
      `DROP TABLE IF EXISTS ${DESIGN_TABLE}`,
      `DROP TABLE IF EXISTS ${PRED_TABLE}`,
    ],
  };
}

/** Naive Bayes's features: the design's, categorical ones with the design's levels. */
function naiveBayesFeatures(state: FeasibilityState): NaiveBayesFeature[] {
  const dropped = new Set(state.dropped ?? []);
  return (state.choice?.features ?? [])
    .filter((f) => !dropped.has(f.column))
    .map((f) =>
      f.kind === 'categorical'
        ? {
            column: f.column,
            kind: f.kind,
            levels: (state.columns ?? [])
              .filter((c) => c.feature === f.column && c.kind === 'level')
              .map((c) => c.level ?? ''),
          }
        : { column: f.column, kind: f.kind },
    );
}

/** Naive Bayes on binned raw features: cuts, then counts, then an INSERT of its test-side probabilities. */
function naiveBayesStages(): Stage<FeasibilityState>[] {
  return [
    {
      id: 'naive-bayes-cuts',
      label: 'Naive Bayes: binning the features',
      applies: isBinary,
      queries: (state) => ({ cuts: naiveBayesCutsQuery(DESIGN_TABLE, naiveBayesFeatures(state)) }),
      resolve: (state, results) => {
        const features = naiveBayesFeatures(state);
        return { ...state, naiveBayes: { features, cuts: readNaiveBayesCuts(results.cuts ?? [], features) } };
      },
    },
    {
      id: 'naive-bayes-counts',
      label: 'Naive Bayes: counting',
      applies: (state) => isBinary(state) && !!state.naiveBayes?.cuts,
      queries: (state) => ({
        counts: naiveBayesCountsQuery(
          DESIGN_TABLE,
          state.naiveBayes?.features ?? [],
          state.naiveBayes?.cuts ?? [],
        ),
      }),
      resolve: (state, results) => ({
        ...state,
        naiveBayesCounts: readNaiveBayesCounts(
          results.counts ?? [],
          state.naiveBayes?.features ?? [],
          state.naiveBayes?.cuts ?? [],
        ),
      }),
    },
    {
      id: 'naive-bayes-score',
      label: 'Naive Bayes: scoring',
      applies: (state) => isBinary(state) && !!state.naiveBayesCounts,
      queries: (state) => ({
        score: {
          effect: true,
          sql: naiveBayesScoreStatement(
            DESIGN_TABLE,
            PRED_TABLE,
            NAIVE_BAYES_MODEL,
            state.naiveBayes?.features ?? [],
            state.naiveBayes?.cuts ?? [],
            state.naiveBayesCounts!,
          ),
        },
      }),
      resolve: (state) => state,
    },
  ];
}

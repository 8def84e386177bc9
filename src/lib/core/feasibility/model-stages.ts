import type { Stage, Statements } from '../pipeline/stage';
import { splitDesign } from '../plan/compute';
import type { ReadinessSetup } from '../readiness/types';
import { FEASIBILITY_THRESHOLDS as T } from '../thresholds/feasibility';
import { DESIGN_TABLE, designFeatures } from './design';
import {
  applyNewtonStep,
  curveThresholds,
  gradientQuery,
  hessianQuery,
  readHessianBlocks,
  startModel,
  type FitFamily,
  type FitModel,
} from './irls';
import {
  NAIVE_BAYES_MODEL,
  naiveBayesCountsQuery,
  naiveBayesCutsQuery,
  naiveBayesScoreStatement,
  readNaiveBayesCounts,
  readNaiveBayesCuts,
  type NaiveBayesFeature,
} from './naive-bayes';
import type { FeasibilityInput, FeasibilityState } from './state';

/**
 * The feasibility analysis's building blocks: the choice of task, features
 * and split, the models and their Newton stages, and naive Bayes's stages
 * (`analysis.ts` puts them in order).
 */

/** The predictions table (contract: `model, rid, y, p`). */
export const PRED_TABLE = '__sz_feas_pred';

/** Model-name prefixes: learning-curve shares, out-of-fold models, drop-column models. */
export const CURVE = 'curve:';
export const FOLD = 'fold:';
export const DROP = 'drop:';

/** The readiness setup, read by the first stage or given. */
export function setupOf(input: FeasibilityInput, state: FeasibilityState): ReadinessSetup {
  const setup = state.setup ?? ('setup' in input ? input.setup : undefined);
  if (!setup) throw new RangeError('The feasibility step needs the readiness setup first.');
  return setup;
}

/** Whether the baselines run (a task, and no reason not to). */
export const runs = (state: FeasibilityState): boolean => !state.notRun && state.task !== undefined;
export const isBinary = (state: FeasibilityState): boolean => runs(state) && state.task === 'binary';
/** Design columns (p). */
export const designWidth = (state: FeasibilityState): number => state.columns?.length ?? 0;
export const family = (state: FeasibilityState): FitFamily =>
  state.task === 'regression' ? 'ridge' : 'logistic';
/** Models still taking Newton steps. */
export const fitting = (state: FeasibilityState): FitModel[] =>
  (state.models ?? []).filter((m) => !m.converged && !m.failed && !m.stopped);

/** The choice: task, features and split, or why the baselines don't run. */
export function choose(input: FeasibilityInput, state: FeasibilityState): FeasibilityState {
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
export function initialModels(state: FeasibilityState): FitModel[] {
  const columns = designWidth(state);
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
export function predictionName(m: FitModel): string {
  if (m.name.startsWith(CURVE)) return `${CURVE}${m.rows ?? 0}`;
  if (m.name.startsWith(FOLD)) return 'oof';
  return m.name;
}

/**
 * Near the optimum the Hessian hardly changes: once the baseline's last step
 * moved no coefficient by more than this, the last X'WX is kept (a chord
 * step: the gradient stays exact, so the optimum is the same), which saves
 * the step's heaviest aggregate.
 */
const HESSIAN_REFRESH_MOVE = 0.01;

/** The Hessian is read again while the baseline still takes large steps (exact Newton there). */
export function needsHessian(state: FeasibilityState): boolean {
  if (!state.hessian) return true;
  const full = fitting(state).find((m) => m.name === family(state));
  return full !== undefined && (full.moved ?? Infinity) > HESSIAN_REFRESH_MOVE;
}

/** Newton steps `<prefix>1…maxNewtonSteps`, each run while a model is still fitting. */
export function newtonStages(prefix: string): Stage<FeasibilityState>[] {
  return Array.from({ length: T.maxNewtonSteps }, (_, i) => ({
    id: `${prefix}${i + 1}`,
    label: (state: FeasibilityState) =>
      `Fitting the baselines (step ${i + 1}, ${fitting(state).length} models)`,
    applies: (state: FeasibilityState) => runs(state) && fitting(state).length > 0,
    queries: (state: FeasibilityState): Statements => {
      const full = (state.models ?? []).find((m) => m.name === family(state));
      return {
        gradient: gradientQuery(DESIGN_TABLE, fitting(state), designWidth(state), family(state)),
        ...(needsHessian(state) && full
          ? {
              hessian: hessianQuery(
                DESIGN_TABLE,
                full.coef,
                designWidth(state),
                family(state),
                curveThresholds(state.models ?? []),
              ),
            }
          : {}),
      };
    },
    resolve: (state: FeasibilityState, results) => {
      const hessian = results.hessian
        ? readHessianBlocks(results.hessian, designWidth(state), curveThresholds(state.models ?? []))
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
export const stopAll = (state: FeasibilityState): FeasibilityState => ({
  ...state,
  models: (state.models ?? []).map((m) => ({ ...m, stopped: true })),
});

export const usable = (state: FeasibilityState, which: (m: FitModel) => boolean): FitModel[] =>
  (state.models ?? []).filter((m) => which(m) && !m.failed && (m.rows ?? 0) > 0);

/** The `dropColumnFeatures` features with the largest |coefficient| in the full model. */
export function dropCandidates(state: FeasibilityState): string[] {
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

/** Naive Bayes's features: the design's, categorical ones with the design's levels. */
export function naiveBayesFeatures(state: FeasibilityState): NaiveBayesFeature[] {
  const dropped = new Set((state.dropped ?? []).map((d) => d.column));
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
export function naiveBayesStages(): Stage<FeasibilityState>[] {
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

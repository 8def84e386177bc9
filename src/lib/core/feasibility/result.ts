import type { Baseline, FeasibilityResult, LabelNoise, LearningPoint } from '../model/feasibility';
import { FEASIBILITY_THRESHOLDS as T } from '../thresholds/feasibility';
import { feasibilityNotRun } from './document';
import { noiseInterpretable } from './findings';
import { reviewSizes } from './label-noise';
import { fitLearningCurve } from './learning-curve';
import { KNN_MODEL } from './knn';
import { NAIVE_BAYES_MODEL } from './naive-bayes';
import type { FeasibilityState } from './state';

/**
 * The feasibility analysis's final state as `audit.feasibility` (without the
 * band, which the session derives from the whole audit).
 */

/** The model the details are computed for: the linear baseline, unless naive Bayes has the higher AUC. */
export function bestModelName(state: FeasibilityState): string {
  if (state.task === 'regression') return 'ridge';
  const auc = (name: string) => state.binary?.find((m) => m.model === name)?.auc?.estimate ?? -1;
  return auc(NAIVE_BAYES_MODEL) > auc('logistic') ? NAIVE_BAYES_MODEL : 'logistic';
}

function baselines(state: FeasibilityState): Baseline[] {
  const stats = state.stats;
  const split = {
    design: state.split?.design ?? 'random',
    column: state.split?.column ?? null,
    cut: stats?.cut ?? null,
  };
  const dropped = new Set((state.dropped ?? []).map((d) => d.column));
  const features = (state.choice?.features ?? []).map((f) => f.column).filter((c) => !dropped.has(c));
  const best = bestModelName(state);
  const trainRows = stats?.trainRows ?? 0;
  const common = {
    task: state.task === 'regression' ? ('regression' as const) : ('binary' as const),
    features,
    split,
    positives:
      state.task === 'binary' ? { train: stats?.trainPositives ?? 0, test: stats?.testPositives ?? 0 } : null,
  };
  if (state.task === 'regression') {
    const model = state.models?.find((m) => m.name === 'ridge');
    const metrics = state.regression?.find((m) => m.model === 'ridge');
    if (!model || !metrics) return [];
    return [
      {
        ...common,
        model: 'ridge',
        auc: null,
        prAuc: null,
        brier: null,
        r2: metrics.r2,
        mae: metrics.mae,
        n: { train: model.rows ?? trainRows, test: metrics.n },
        iterations: model.iterations,
        converged: model.converged,
      },
    ];
  }
  const out: Baseline[] = [];
  for (const name of ['logistic', NAIVE_BAYES_MODEL] as const) {
    const metrics = state.binary?.find((m) => m.model === name);
    if (!metrics) continue;
    const model = state.models?.find((m) => m.name === name);
    out.push({
      ...common,
      model: name,
      auc: metrics.auc,
      prAuc: name === best ? (state.prAuc ?? null) : null,
      brier: metrics.brier,
      r2: null,
      mae: null,
      n: { train: model?.rows ?? trainRows, test: metrics.n },
      iterations: model ? model.iterations : null,
      converged: model ? model.converged : true,
    });
  }
  return out;
}

function learningCurve(state: FeasibilityState): LearningPoint[] {
  const full = state.task === 'regression' ? 'ridge' : 'logistic';
  const trained = new Map((state.models ?? []).map((m) => [m.name, m.rows ?? 0]));
  const points: LearningPoint[] = [];
  const add = (model: string, rows: number) => {
    if (state.task === 'regression') {
      const r2 = state.regression?.find((m) => m.model === model)?.r2;
      if (r2 !== undefined && r2 !== null) points.push({ rows, r2 });
    } else {
      const auc = state.binary?.find((m) => m.model === model)?.auc?.estimate;
      if (auc !== undefined) points.push({ rows, auc });
    }
  };
  for (const [name, rows] of trained) if (name.startsWith('curve:') && rows > 0) add(`curve:${rows}`, rows);
  add(full, trained.get(full) ?? 0);
  return points.filter((pt) => pt.rows > 0).sort((a, b) => a.rows - b.rows);
}

function labelNoise(state: FeasibilityState, best: Baseline | undefined): LabelNoise | null {
  const noise = state.noise;
  if (!noise) return null;
  const knnRows = state.binary?.find((m) => m.model === KNN_MODEL)?.n ?? 0;
  const value: LabelNoise = {
    estimate: noise.estimate,
    lower: noise.lower,
    upper: noise.upper,
    method: 'confident-learning',
    rows: noise.rows,
    knn: state.knnNoise ? { ...state.knnNoise, sampleRows: knnRows, k: T.knnNeighbours } : null,
    reviewSample: state.review ?? [],
    reviewSizes: reviewSizes(noise.estimate, T.reviewSizes),
    interpretable: false,
  };
  if (best)
    value.interpretable = noiseInterpretable(
      { labelNoise: value, noiseShape: state.noiseShape ?? null },
      best,
    );
  return value;
}

/** The result of a finished (or skipped) run. `computedAt` as the input gave it. */
export function feasibilityResult(
  state: FeasibilityState,
  computedAt: string = state.computedAt ?? '',
): FeasibilityResult {
  const excluded = [...(state.choice?.excluded ?? []), ...(state.dropped ?? [])];
  if (state.notRun || !state.task) {
    const reason = state.notRun?.reason ?? 'The baselines did not run.';
    return {
      ...feasibilityNotRun(reason, computedAt),
      excluded,
      ...(state.notRun?.task ? { task: state.notRun.task } : {}),
    };
  }
  const list = baselines(state);
  const bestName = bestModelName(state);
  const best = list.find((b) => b.model === bestName) ?? list[0];
  const curve = learningCurve(state);
  const metric = state.task === 'regression' ? 'r2' : 'auc';
  const fullAuc = state.binary?.find((m) => m.model === 'logistic')?.auc?.estimate;
  const stats = state.stats;
  const positive = state.setup?.label?.positive;
  return {
    status: 'done',
    task: state.task,
    ...(state.task === 'binary' && positive !== undefined ? { positiveClass: positive } : {}),
    excluded,
    designColumns: state.columns?.length ?? 0,
    sample: {
      capped:
        state.prefiltered === true ||
        (stats?.trainAvailable ?? 0) > (stats?.trainRows ?? 0) ||
        (stats?.testAvailable ?? 0) > (stats?.testRows ?? 0),
      trainRows: stats?.trainRows ?? 0,
      testRows: stats?.testRows ?? 0,
    },
    baselines: list,
    best: best?.model ?? null,
    roc: state.roc ?? [],
    pr: state.pr ?? [],
    calibration: state.calibration ?? [],
    learningCurve: curve,
    learningFit: fitLearningCurve(
      curve.map((pt) => ({ rows: pt.rows, score: (metric === 'r2' ? pt.r2 : pt.auc) ?? NaN })),
      metric,
    ),
    labelNoise: state.task === 'binary' ? labelNoise(state, best) : null,
    noiseShape: state.noiseShape ?? null,
    dropColumn: (state.dropFeatures ?? []).flatMap((column) => {
      const without = state.binary?.find((m) => m.model === `drop:${column}`)?.auc?.estimate;
      return without === undefined || fullAuc === undefined
        ? []
        : [{ column, aucWithout: without, drop: fullAuc - without }];
    }),
    ...(state.splitSql ? { splitSql: state.splitSql } : {}),
    computedAt,
    durationMs: 0,
  };
}

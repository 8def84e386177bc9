import type { Row } from '../pipeline/stage';
import { dialect as d } from '../sql/dialect';
import { ident, num, str } from '../sql/quote';
import { solveSymmetric, symmetricFromUpper } from './linear-algebra';
import { typedPredictionColumns } from './predictions';

/**
 * The baselines' fits, batched. A Newton step is two aggregates over the
 * design table: the gradients and log-likelihoods of every unconverged model
 * at once (`FROM design, (VALUES …) models WHERE membership GROUP BY model`),
 * and X'WX by block (side, fold, learning-curve bucket) at the baseline's
 * coefficients, each design row read once; the p×p solves run here.
 * Logistic: scikit-learn's `LogisticRegression(C)` objective,
 * −loglik + ‖w‖²/(2C) with the intercept unpenalised. Ridge: `Ridge(alpha)`,
 * ½‖y − Xw‖² + ½α‖w‖², solved exactly by the first step (its loss is
 * quadratic): the normal equations.
 */

export type FitFamily = 'logistic' | 'ridge';

/** Which design rows a model trains on. */
export type Membership =
  /** Train-side rows with `__sz_pos > minPos` (the learning curve: 1 − share). */
  | { side: 'train'; minPos: number }
  /** Rows of every fold but this one, both sides (the out-of-fold models). */
  | { fold: number };

export interface FitModel {
  /** 'logistic', 'ridge', 'curve:<share>', 'fold:<k>', 'drop:<feature>'. */
  name: string;
  membership: Membership;
  /** Design column indices (0-based) the model uses; the others keep a zero coefficient. */
  active: readonly number[];
  /** Intercept first, then one per design column. */
  coef: number[];
  iterations: number;
  converged: boolean;
  /** Rows it trained on (known after its first step). */
  rows: number | null;
  /** Objective at `coef` and the step that led to it, for the backtracking line search. */
  objective?: number;
  previous?: number[];
  /** The largest coefficient move of its last step. */
  moved?: number;
  /** Past its round of Newton steps (converged or not): later rounds leave it be. */
  stopped?: boolean;
  /** Why it stopped without converging (a failed solve). */
  failed?: string;
}

/** A model at its start: intercept `intercept` (logit of the base rate, or 0), every slope 0. */
export function startModel(
  name: string,
  membership: Membership,
  designColumns: number,
  intercept: number,
  active?: readonly number[],
): FitModel {
  return {
    name,
    membership,
    active: active ?? Array.from({ length: designColumns }, (_, i) => i),
    coef: [intercept, ...new Array<number>(designColumns).fill(0)],
    iterations: 0,
    converged: false,
    rows: null,
  };
}

const x = (j: number): string => `__sz_x${j}`;
/** A DOUBLE literal that round-trips (a bare decimal would be read as DECIMAL). */
const dbl = (v: number): string => (Number.isFinite(v) ? `CAST('${v}' AS DOUBLE)` : 'NULL');

function linearPredictor(p: number): string {
  return ['fm.b0', ...Array.from({ length: p }, (_, j) => `fm.b${j + 1} * fd.${x(j + 1)}`)].join(' + ');
}

/** The models as a VALUES relation `fm(model, min_pos, fold, b0…bP)`. */
function modelsRelation(models: readonly FitModel[], p: number, names?: readonly string[]): string {
  const rows = models.map((m, i) => {
    const minPos = 'fold' in m.membership ? 'NULL' : dbl(m.membership.minPos);
    const fold = 'fold' in m.membership ? num(m.membership.fold) : '-1';
    return `(${str(names?.[i] ?? m.name)}, ${minPos}, ${fold}, ${m.coef.map(dbl).join(', ')})`;
  });
  const cols = ['model', 'min_pos', 'fold', ...Array.from({ length: p + 1 }, (_, j) => `b${j}`)];
  return `(VALUES ${rows.join(',\n  ')}) AS fm(${cols.join(', ')})`;
}

const TRAINS_ON = `((fm.fold < 0 AND fd.__sz_side = 'train' AND fd.__sz_pos > fm.min_pos) OR (fm.fold >= 0 AND fd.__sz_fold <> fm.fold))`;
const SCORES_ON = `((fm.fold < 0 AND fd.__sz_side = 'test') OR (fm.fold >= 0 AND fd.__sz_fold = fm.fold))`;

/** The probability of eta, clamped so exp never overflows (p is then 1 or 0 to double precision). */
const sigmoid = (eta: string): string => `1.0 / (1.0 + exp(-least(greatest(${eta}, -700), 700)))`;

/** `mu` (the mean) and `ll` (the log-likelihood) of a relation with `y` and `eta`. */
function withMean(relation: string, family: FitFamily): string {
  return family === 'logistic'
    ? `SELECT *, ${sigmoid('eta')} AS mu, y * eta - (CASE WHEN eta > 0 THEN eta + ln(1 + exp(-eta)) ELSE ln(1 + exp(eta)) END) AS ll FROM (${relation}) AS fe`
    : `SELECT *, eta AS mu, -0.5 * (y - eta) * (y - eta) AS ll FROM (${relation}) AS fe`;
}

/**
 * The gradient part of a Newton step for `models` over the design table with
 * `p` design columns: one row per model, `model, n, ll, g0…gP` (the
 * log-likelihood and its gradient X'(y − μ), index 0 the intercept).
 */
export function gradientQuery(
  designTable: string,
  models: readonly FitModel[],
  p: number,
  family: FitFamily,
): string {
  const xs = Array.from({ length: p }, (_, j) => `fd.${x(j + 1)}`);
  const inner = `SELECT fm.model, fd.__sz_y AS y${xs.map((c) => `, ${c}`).join('')}, ${linearPredictor(p)} AS eta
  FROM ${ident(designTable)} AS fd, ${modelsRelation(models, p)} WHERE ${TRAINS_ON}`;
  const sums: string[] = ['count(*) AS n', 'sum(ll) AS ll', 'sum(r) AS g0'];
  for (let i = 1; i <= p; i++) sums.push(`sum(r * ${x(i)}) AS g${i}`);
  return `SELECT model, ${sums.join(', ')}
FROM (SELECT *, y - mu AS r FROM (${withMean(inner, family)}) AS fmu) AS fr GROUP BY model`;
}

/** Which block of the Hessian a design row falls in: its side, fold and learning-curve share. */
export interface HessianBlock {
  side: 'train' | 'test';
  fold: number;
  /** Train side: the index of the first (largest) threshold below the row's `__sz_pos`. */
  bucket: number;
  upper: number[];
}

/** X'WX by block, at one coefficient vector, and the thresholds its buckets follow. */
export interface HessianBlocks {
  thresholds: number[];
  blocks: HessianBlock[];
}

/** Every `minPos` the models train from, descending (the learning-curve shares' cuts and 0). */
export function curveThresholds(models: readonly FitModel[]): number[] {
  const cuts = new Set<number>([0]);
  for (const m of models) if (!('fold' in m.membership)) cuts.add(m.membership.minPos);
  return [...cuts].sort((a, b) => b - a);
}

/**
 * X'WX (upper triangle, `h<i>_<j>`, index 0 the intercept) at the
 * coefficients `coef`, grouped by side, fold and learning-curve bucket: every
 * design row is read once, however many models it trains. A model's Hessian
 * is the sum of the blocks it trains on. The baseline's own Newton step is
 * then exact, and the other models (curves, folds, drop-column) take
 * quasi-Newton steps with the baseline's curvature: their gradient is their
 * own, so they converge to their own optimum, only a little more slowly.
 * For ridge W = 1 and every model's Hessian is exact.
 */
export function hessianQuery(
  designTable: string,
  coef: readonly number[],
  p: number,
  family: FitFamily,
  thresholds: readonly number[],
): string {
  const eta = [
    dbl(coef[0] ?? 0),
    ...Array.from({ length: p }, (_, j) => `${dbl(coef[j + 1] ?? 0)} * ${x(j + 1)}`),
  ].join(' + ');
  const whens = thresholds.map((t, i) => `WHEN __sz_pos > ${dbl(t)} THEN ${i}`).join(' ');
  const bucket = `CASE WHEN __sz_side <> 'train' THEN 0 ${whens} ELSE ${thresholds.length} END`;
  const xs = Array.from({ length: p }, (_, j) => `, ${x(j + 1)}`).join('');
  const inner = `SELECT __sz_side AS side, __sz_fold AS fold, ${bucket} AS bucket, __sz_y AS y${xs}, ${eta} AS eta FROM ${ident(designTable)}`;
  const w = family === 'logistic' ? 'mu * (1 - mu)' : '1.0';
  const wx = Array.from({ length: p }, (_, j) => `, ${x(j + 1)}, ${w} * ${x(j + 1)} AS wx${j + 1}`).join('');
  // Materialised so the weights are computed once per row, not once per sum.
  const weighted = `SELECT side, fold, bucket, ${w} AS w${wx} FROM (${withMean(inner, family)}) AS fmu`;
  const sums: string[] = ['sum(w) AS h0_0'];
  for (let j = 1; j <= p; j++) sums.push(`sum(wx${j}) AS h0_${j}`);
  for (let i = 1; i <= p; i++) for (let j = i; j <= p; j++) sums.push(`sum(wx${i} * ${x(j)}) AS h${i}_${j}`);
  return `WITH fw AS MATERIALIZED (${weighted})
SELECT side, fold, bucket, ${sums.join(', ')}
FROM fw GROUP BY side, fold, bucket`;
}

const toNum = (v: unknown): number => (typeof v === 'bigint' ? Number(v) : Number(v ?? NaN));

/** The blocks of `hessianQuery`'s rows. */
export function readHessianBlocks(
  rows: readonly Row[],
  p: number,
  thresholds: readonly number[],
): HessianBlocks {
  return {
    thresholds: [...thresholds],
    blocks: rows.map((r) => {
      const upper: number[] = [];
      for (let i = 0; i <= p; i++) for (let j = i; j <= p; j++) upper.push(toNum(r[`h${i}_${j}`]));
      return {
        side: r.side === 'test' ? 'test' : 'train',
        fold: toNum(r.fold),
        bucket: toNum(r.bucket),
        upper,
      };
    }),
  };
}

/** A model's X'WX upper triangle: the sum of the blocks it trains on. */
export function modelHessian(m: FitModel, hessian: HessianBlocks): number[] {
  const membership = m.membership;
  const limit = 'fold' in membership ? -1 : hessian.thresholds.indexOf(membership.minPos);
  const size = m.coef.length;
  const out = new Array<number>((size * (size + 1)) / 2).fill(0);
  for (const b of hessian.blocks) {
    const member =
      'fold' in membership ? b.fold !== membership.fold : b.side === 'train' && b.bucket <= limit;
    if (member) b.upper.forEach((v, k) => (out[k] = out[k]! + v));
  }
  return out;
}

/**
 * The models after one Newton step, from the gradient rows and the Hessian
 * blocks. Each model solves (X'WX + λI)Δ = X'(y − μ) − λb on its active
 * columns (λ = penalty, never on the intercept) and moves to b + Δ; it has
 * converged when no coefficient moves by more than `tolerance`. Should the
 * objective have risen since the last step, the step is halved instead (a
 * backtracking line search).
 */
export function applyNewtonStep(
  models: readonly FitModel[],
  rows: readonly Row[],
  hessian: HessianBlocks,
  options: { penalty: number; tolerance: number; family: FitFamily },
): FitModel[] {
  const byModel = new Map(rows.map((r) => [String(r.model), r]));
  return models.map((m) => {
    if (m.converged || m.failed || m.stopped) return m;
    const row = byModel.get(m.name);
    const n = row ? toNum(row.n) : 0;
    if (!row || !(n > 0)) return { ...m, rows: 0, failed: 'no training rows' };
    const size = m.coef.length;
    const upper = modelHessian(m, hessian);
    const gradient = Array.from({ length: size }, (_, i) => toNum(row[`g${i}`]));
    const penaltyTerm = m.active.reduce((s, j) => s + (m.coef[j + 1] ?? 0) ** 2, 0) * (options.penalty / 2);
    const objective = -toNum(row.ll) + penaltyTerm;
    const iterations = m.iterations + 1;
    if (
      m.objective !== undefined &&
      m.previous &&
      objective > m.objective + 1e-12 * Math.abs(m.objective) &&
      iterations < 60
    ) {
      const halfway = m.coef.map((b, i) => ((m.previous?.[i] ?? b) + b) / 2);
      return { ...m, coef: halfway, iterations, rows: n };
    }
    const index = [0, ...m.active.map((j) => j + 1)];
    const full = symmetricFromUpper(size, upper);
    const penalised = index.map((i, a) =>
      index.map((j, b) => full[i]![j]! + (a === b && i > 0 ? options.penalty : 0)),
    );
    const rhs = index.map((i) => gradient[i]! - (i > 0 ? options.penalty * m.coef[i]! : 0));
    const delta = solveSymmetric(penalised, rhs);
    if (!delta || delta.some((v) => !Number.isFinite(v)))
      return { ...m, iterations, rows: n, failed: 'the Newton system could not be solved' };
    const coef = [...m.coef];
    index.forEach((i, a) => (coef[i] = coef[i]! + delta[a]!));
    const moved = Math.max(...delta.map(Math.abs));
    const converged = options.family === 'ridge' || moved < options.tolerance;
    return { ...m, coef, iterations, rows: n, converged, objective, previous: m.coef, moved };
  });
}

/**
 * The predictions: `model, rid, y, p` for each model's scored rows, as
 * CREATE TEMP TABLE (`create`) or INSERT INTO `predTable` of `scoreSelect`.
 */
export function scoreStatement(
  designTable: string,
  predTable: string,
  models: readonly FitModel[],
  names: readonly string[],
  p: number,
  family: FitFamily,
  create: boolean,
): string {
  const select = scoreSelect(designTable, models, names, p, family);
  return create
    ? d.createTempTableAs(predTable, select)
    : `INSERT INTO ${ident(predTable)} (model, rid, y, p) ${select}`;
}

/**
 * The SELECT of the predictions `model, rid, y, p`: train-side models score
 * the held-out side under `names[i]`; fold models score their own fold, all
 * under one name (the out-of-fold predictions, 'oof').
 */
export function scoreSelect(
  designTable: string,
  models: readonly FitModel[],
  names: readonly string[],
  p: number,
  family: FitFamily,
): string {
  const eta = linearPredictor(p);
  const pred = family === 'logistic' ? sigmoid(eta) : eta;
  return `SELECT ${typedPredictionColumns({ model: 'fm.model', rid: 'fd.__sz_rid', y: 'fd.__sz_y', p: pred })}
FROM ${ident(designTable)} AS fd, ${modelsRelation(models, p, names)} WHERE ${SCORES_ON}`;
}

/** Equal-width histogram bins with "nice" edges (1, 2, 2.5 or 5 × 10^k). */
export interface NiceBins {
  start: number;
  step: number;
  count: number;
}

const NICE_STEPS = [1, 2, 2.5, 5, 10];

/**
 * Choose at most `maxBins` bins of a nice width covering [min, max]. Integer
 * data never gets a step below 1. A constant column gets a single bin.
 */
export function niceBins(min: number, max: number, maxBins: number, integer = false): NiceBins {
  if (!Number.isFinite(min) || !Number.isFinite(max) || max < min)
    throw new RangeError(`Invalid range [${min}, ${max}]`);
  const bins = Math.max(1, Math.floor(maxBins));
  if (max === min) {
    const step = integer ? 1 : Math.abs(min) > 0 ? 10 ** Math.floor(Math.log10(Math.abs(min))) : 1;
    return { start: min, step, count: 1 };
  }
  const raw = (max - min) / bins;
  const magnitude = 10 ** Math.floor(Math.log10(raw));
  let step = magnitude * 10;
  for (const m of NICE_STEPS) {
    const candidate = m * magnitude;
    if (candidate >= raw * (1 - 1e-12)) {
      step = candidate;
      break;
    }
  }
  if (integer) step = Math.max(1, Math.ceil(step));
  // Widen the step while rounding the ends out needs more bins than allowed.
  for (let guard = 0; guard < 8; guard++) {
    const start = Math.floor(min / step) * step;
    // A maximum exactly on the top edge stays in the last bin (closed on the right).
    const count = Math.max(1, Math.ceil((max - start) / step - 1e-9));
    if (count <= bins) return { start: tidy(start, step), step, count };
    step = nextNiceStep(step);
  }
  return { start: min, step: (max - min) / bins, count: bins };
}

function nextNiceStep(step: number): number {
  const magnitude = 10 ** Math.floor(Math.log10(step) + 1e-12);
  const m = step / magnitude;
  const next = NICE_STEPS.find((s) => s > m * (1 + 1e-12)) ?? 10;
  return next * magnitude;
}

/** Remove float noise such as 0.30000000000000004 from an edge. */
function tidy(value: number, step: number): number {
  const decimals = Math.max(0, -Math.floor(Math.log10(step)) + 2);
  return Number(value.toFixed(Math.min(decimals, 15)));
}

/** The edges of `bins`, start to end. */
export function binEdges(bins: NiceBins): number[] {
  return Array.from({ length: bins.count + 1 }, (_, i) => tidy(bins.start + i * bins.step, bins.step));
}

/**
 * The bin of each value; the top edge belongs to the last bin (closed on the
 * right), like NumPy's `histogram`. Mirrors the SQL in `core/sql/profile`.
 */
export function binIndex(value: number, bins: NiceBins): number {
  const k = Math.floor((value - bins.start) / bins.step + 1e-9);
  return Math.min(Math.max(k, 0), bins.count - 1);
}

import { formatNumber, formatPValue, formatShare } from '../format';
import { rateShift } from '../stats/rate-shift';
import type { DriftThresholds } from '../thresholds';
import type { ClassRate, Rate } from '../model/drift';

/**
 * The label-drift rule, shared by the comparison (`driftReport`) and the
 * month-by-month history (`driftHistory`).
 *
 * A label drifts when its class shares move by a Jensen–Shannon distance of
 * `label` that the chi-square test (p < `pValue`) says is not noise, or when
 * one class's rate drifts. A class's rate (its rows among
 * labelled rows, one against the rest) drifts when:
 * - both sides have at least `minSampleSize` labelled rows and the class's
 *   expected count (pooled rate × labelled rows) reaches
 *   `labelRateMinExpected` on each side;
 * - the Wilson intervals (at `labelRateConfidence`) do not overlap, so the
 *   move is not noise;
 * - and it is large enough to matter: a rate ratio of at least
 *   `labelRateRatio` (a rare class that doubles) or |Cohen's h| of at least
 *   `labelCohensH` (a common class that moves by ten points).
 *
 * A binary label is judged through both its classes, so the rare class's
 * ratio counts whichever class is called positive. A multiclass label is
 * judged class by class the same way; two 95 % intervals apart is a
 * conservative test (about p < 0.006 each), so ten classes do not add up to
 * frequent false alarms.
 */

/** Rows of one class on each side (labelled rows only). */
export interface ClassCounts {
  label: string;
  reference: number;
  current: number;
}

function round(value: number, digits = 6): number {
  return Number.isFinite(value) ? Number(value.toPrecision(digits)) : value;
}

function rate(positives: number, n: number, lower: number, upper: number): Rate {
  return {
    n,
    positives,
    rate: round(n > 0 ? positives / n : 0),
    lower: round(lower),
    upper: round(upper),
  };
}

/** Each class's rate on both sides, judged by the class-rate rule. */
export function classRates(classes: readonly ClassCounts[], t: DriftThresholds): ClassRate[] {
  const nRef = classes.reduce((s, c) => s + c.reference, 0);
  const nCur = classes.reduce((s, c) => s + c.current, 0);
  const alpha = 1 - t.labelRateConfidence;
  const enoughRows = nRef >= t.minSampleSize && nCur >= t.minSampleSize;
  return classes.map((c) => {
    const shift = rateShift(c.reference, nRef, c.current, nCur, alpha);
    if (!shift)
      return {
        label: c.label,
        reference: rate(c.reference, nRef, 0, 1),
        current: rate(c.current, nCur, 0, 1),
        ratio: null,
        cohensH: 0,
        separated: false,
        judged: false,
        drift: false,
      };
    const pooled = (c.reference + c.current) / (nRef + nCur);
    const judged =
      enoughRows && pooled * nRef >= t.labelRateMinExpected && pooled * nCur >= t.labelRateMinExpected;
    const large =
      shift.ratio === null || shift.ratio >= t.labelRateRatio || Math.abs(shift.cohensH) >= t.labelCohensH;
    return {
      label: c.label,
      reference: rate(c.reference, nRef, shift.reference.lower, shift.reference.upper),
      current: rate(c.current, nCur, shift.current.lower, shift.current.upper),
      ratio: shift.ratio === null ? null : round(shift.ratio),
      cohensH: round(shift.cohensH),
      separated: shift.separated,
      judged,
      drift: judged && shift.separated && large,
    };
  });
}

const pct = (x: number): string => formatShare(x);

/** The class-rate rule in words, with the thresholds in force. */
export function labelRateRule(t: DriftThresholds): string {
  return `Jensen–Shannon distance of the class shares ≥ ${t.label} (chi-square p < ${t.pValue}), or a class rate whose ${formatShare(t.labelRateConfidence, { digits: 0 })} Wilson intervals do not overlap and that moves by a ratio ≥ ${t.labelRateRatio} or a Cohen's h ≥ ${t.labelCohensH} (classes with an expected count ≥ ${t.labelRateMinExpected} on each side)`;
}

/** One class's move in words: “yes” 4.5 % → 9.3 % (× 2.07, Cohen's h 0.19, 95 % Wilson intervals apart). */
export function classRateText(c: ClassRate, t: DriftThresholds): string {
  const ratio =
    c.ratio === null
      ? c.reference.rate === 0
        ? 'new class'
        : 'class gone'
      : `× ${formatNumber(c.ratio, { digits: 2 })}`;
  return `“${c.label}” ${pct(c.reference.rate)} → ${pct(c.current.rate)} (${ratio}, Cohen's h ${formatNumber(c.cohensH, { digits: 2 })}, ${formatShare(t.labelRateConfidence, { digits: 0 })} Wilson intervals ${c.separated ? 'apart' : 'overlap'})`;
}

/** The drifted classes, the one that moved most first: an unbounded ratio, then the largest ratio, then |h|. */
export function driftedClasses(rates: readonly ClassRate[]): ClassRate[] {
  return rates
    .filter((c) => c.drift)
    .sort(
      (a, b) =>
        (b.ratio ?? Infinity) - (a.ratio ?? Infinity) ||
        Math.abs(b.cohensH) - Math.abs(a.cohensH) ||
        a.label.localeCompare(b.label),
    );
}

/** The drifted classes in words, at most three, the largest move first. */
export function driftedClassesText(rates: readonly ClassRate[], t: DriftThresholds): string | undefined {
  const drifted = driftedClasses(rates);
  if (drifted.length === 0) return undefined;
  const more = drifted.length > 3 ? `; ${drifted.length - 3} more` : '';
  return `${drifted
    .slice(0, 3)
    .map((c) => classRateText(c, t))
    .join('; ')}${more}`;
}

/**
 * The label's verdict from its Jensen–Shannon distance, the chi-square
 * p-value of the class counts (null: fewer than two classes) and the class
 * rates, with the reason in words.
 */
export function labelVerdict(
  jensenShannon: number | null,
  chiSquarePValue: number | null,
  rates: readonly ClassRate[],
  t: DriftThresholds,
): { drift: boolean; reason?: string } {
  const moved = driftedClassesText(rates, t);
  const reasons: string[] = [];
  if (moved) reasons.push(`class rate moved: ${moved}`);
  // On a few dozen rows the distance alone swings past its threshold by chance (30 of 30 → 28 of 30 gives 0.18).
  if (
    jensenShannon !== null &&
    jensenShannon >= t.label &&
    chiSquarePValue !== null &&
    chiSquarePValue < t.pValue
  )
    reasons.push(
      `Jensen–Shannon distance ${formatNumber(jensenShannon)} ≥ ${t.label} (chi-square ${formatPValue(chiSquarePValue)})`,
    );
  return reasons.length ? { drift: true, reason: reasons.join('; ') } : { drift: false };
}

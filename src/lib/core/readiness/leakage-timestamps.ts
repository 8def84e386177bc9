import type { Finding } from '../model/audit';
import { timestampsAfterQuery } from '../sql/readiness-leakage';
import { FEATURE_DEPS } from './deps';
import { count, finder, first, fmtInt, q, round } from './findings';
import type { CheckDefinition, ColumnFacts, ReadinessSetup } from './types';

function featureTimes(s: ReadinessSetup): ColumnFacts[] {
  return s.features.filter((c) => c.family === 'temporal' || c.family === 'date-text');
}

type Reference = { kind: 'column'; ref: { column: string; type: string } } | { kind: 'date'; iso: string };

function predictionReference(s: ReadinessSetup): Reference | null {
  const point = s.input.context.predictionPoint.trim();
  if (/^\d{4}-\d{2}-\d{2}$/.test(point)) return { kind: 'date', iso: point };
  if (s.time) return { kind: 'column', ref: s.time };
  return null;
}

export const leakageTimestamps: CheckDefinition = {
  id: 'leakage-timestamps',
  area: 'leakage',
  meaning: 'A timestamp is recorded after the outcome, so it leaks the answer into training.',
  fix: 'pipeline',
  owner: 'ml-engineering',
  inWords: 'feature dates after the prediction point',
  description:
    'Feature timestamps later than the prediction point (the event time, or a fixed prediction date) or than the outcome time.',
  evidence: {
    afterPredictionPoint: { label: 'Rows after the prediction point', kind: 'count' },
    compared: { label: 'Rows compared', kind: 'count' },
    share: { label: 'Share after the prediction point', kind: 'share' },
    afterOutcome: { label: 'Rows after the outcome', kind: 'count' },
    comparedOutcome: { label: 'Rows compared with the outcome', kind: 'count' },
    outcomeShare: { label: 'Share after the outcome', kind: 'share' },
    majorAbove: { label: 'Major above', kind: 'share' },
  },
  dependsOn: [...FEATURE_DEPS, 'predictionPoint', 'thresholds'],
  applies: (s) => featureTimes(s).length > 0 && (predictionReference(s) !== null || s.outcome !== undefined),
  queries: (s) => {
    const reference = predictionReference(s) ?? { kind: 'column' as const, ref: s.outcome! };
    return Object.fromEntries(
      featureTimes(s).map((c, i) => [
        `after_${i}`,
        timestampsAfterQuery(s.sql, { column: c.name, type: c.type }, reference),
      ]),
    );
  },
  findings(s, r) {
    const make = finder(s, this.id, this.area);
    const t = s.thresholds;
    const reference = predictionReference(s) ?? { kind: 'column' as const, ref: s.outcome! };
    const referenceText =
      reference.kind === 'date' ? `the prediction date ${reference.iso}` : q(reference.ref.column);
    const out: Finding[] = [];
    featureTimes(s).forEach((c, i) => {
      const row = first(r[`after_${i}`]);
      const compared = count(row.compared);
      const after = count(row.after_reference);
      const comparedOutcome = count(row.compared_outcome);
      const afterOutcome = count(row.after_outcome);
      if (after === 0 && afterOutcome === 0) return;
      const share = compared ? after / compared : 0;
      const outcomeShare = comparedOutcome ? afterOutcome / comparedOutcome : 0;
      const severity = Math.max(share, outcomeShare) >= t.afterPredictionShareMajor ? 'major' : 'minor';
      out.push(
        make({
          severity,
          key: c.name,
          title: `${fmtInt(after)} ${q(c.name)} values are later than ${referenceText}${afterOutcome ? `, ${fmtInt(afterOutcome)} later than the outcome time` : ''}`,
          columns: [
            c.name,
            ...(reference.kind === 'column' ? [reference.ref.column] : []),
            ...(s.outcome && afterOutcome ? [s.outcome.column] : []),
          ],
          evidence: {
            afterPredictionPoint: after,
            compared,
            share: round(share, 5),
            afterOutcome,
            comparedOutcome,
            outcomeShare: round(outcomeShare, 5),
            majorAbove: t.afterPredictionShareMajor,
          },
          sql: timestampsAfterQuery(s.sql, { column: c.name, type: c.type }, reference),
          recommendation: `Information dated after the prediction point is not available when the model runs. Rebuild ${q(c.name)} as of the prediction point, or drop it.`,
        }),
      );
    });
    return out;
  },
};

import { candidateFeaturesQuery } from '../sql/readiness-volume';
import { THRESHOLDS } from '../thresholds';
import { finder, fmtInt, q } from './findings';
import type { CheckDefinition, ColumnFacts, ReadinessSetup } from './types';
import { FEATURE_DEPS, LABEL_DEPS } from './deps';

/** `1 feature`, `30 features`. */
export function nounCount(n: number, noun: string): string {
  return `${fmtInt(n)} ${noun}${n === 1 ? '' : 's'}`;
}

/**
 * The candidate features a model could learn from: every column without a
 * role and not excluded (`setup.features`), less the constant (or empty)
 * columns and the ID-like ones, which carry nothing to generalise from. The
 * volume rules count these, and say which columns they left out.
 */
export function modellingFeatures(s: ReadinessSetup): {
  counted: ColumnFacts[];
  constant: string[];
  idLike: string[];
} {
  const constant: string[] = [];
  const idLike: string[] = [];
  const counted: ColumnFacts[] = [];
  for (const c of s.features) {
    if (c.distinct <= THRESHOLDS.constantMaxDistinct) constant.push(c.name);
    else if (c.idLike) idLike.push(c.name);
    else counted.push(c);
  }
  return { counted, constant, idLike };
}

export const volumeFeatures: CheckDefinition = {
  id: 'volume-features',
  area: 'volume',
  meaning: 'What a model could learn from; with no candidate feature there is nothing to learn but time.',
  fix: 'collect-more-data',
  owner: 'domain-expertise',
  inWords: 'the candidate features',
  description:
    'Candidate features a model could learn from (columns without a role, not excluded, not constant, not ID-like); none at all is a blocker.',
  evidence: {
    candidateFeatures: { label: 'Candidate features', kind: 'count' },
    constantColumns: { label: 'Left out as constant or empty', kind: 'text' },
    idLikeColumns: { label: 'Left out as ID-like', kind: 'text' },
    excludedColumns: { label: 'Excluded by you', kind: 'text' },
  },
  dependsOn: [...FEATURE_DEPS, ...LABEL_DEPS],
  applies: (s) => s.label !== undefined,
  queries: () => ({}),
  findings(s) {
    const { counted, constant, idLike } = modellingFeatures(s);
    const label = s.label!;
    const none = counted.length === 0;
    const left: string[] = [
      ...(constant.length > 0 ? [`constant or empty: ${constant.map(q).join(', ')}`] : []),
      ...(idLike.length > 0 ? [`ID-like: ${idLike.map(q).join(', ')}`] : []),
    ];
    const notCounted = left.length > 0 ? ` (not counted: ${left.join('; ')})` : '';
    const title = !none
      ? `${counted.length} candidate feature${counted.length === 1 ? '' : 's'} to learn ${q(label.column)} from${notCounted}`
      : s.time
        ? `No candidate feature: nothing to learn ${q(label.column)} from but time${notCounted}`
        : `No candidate feature to learn ${q(label.column)} from${notCounted}`;
    return [
      finder(
        s,
        this.id,
        this.area,
      )({
        severity: none ? 'blocker' : 'info',
        key: 'features',
        title,
        columns: none ? [label.column] : counted.map((c) => c.name),
        evidence: {
          candidateFeatures: counted.length,
          constantColumns: constant.join(', ') || null,
          idLikeColumns: idLike.join(', ') || null,
          excludedColumns: s.input.roles.excluded.join(', ') || null,
        },
        sql: candidateFeaturesQuery(
          s.sql,
          s.features.map((c) => c.name),
        ),
        recommendation: none
          ? `Every other column is a role (time, ID), excluded, constant or ID-like, so a model has no input to learn ${q(label.column)} from. Bring in the drivers of ${q(label.column)} from the source systems. If the aim is to forecast this series from its own past, that is a time-series project (lags and seasonality of the target itself), which this audit does not assess.`
          : 'Constant and ID-like columns are left out of the count: they carry nothing a model can generalise from. Exclude any other column that would not be known at the prediction point.',
      }),
    ];
  },
};

import { formatCell } from '../format';
import { conflictingLabelsQuery } from '../sql/readiness-labels';
import { assessRowGroups, collisionsEvidenceSql, rowGroupsQueries } from './structure';
import { FEATURE_DEPS, LABEL_DEPS } from './deps';
import { count, finder, first, fmtInt, fmtPct, round, toText } from './findings';
import type { CheckDefinition, ResultRow } from './types';

export const labelsConflicting: CheckDefinition = {
  id: 'labels-conflicting',
  area: 'labels',
  meaning:
    'Identical inputs carry different labels, which caps the accuracy any model can reach and suggests labelling errors.',
  fix: 'upstream',
  owner: 'domain-expertise',
  inWords: 'identical rows with different labels',
  description:
    'Identical feature vectors (all candidate features) carrying different labels, judged against the conflicts independent columns would give by chance.',
  evidence: {
    groups: { label: 'Groups of identical rows with different labels', kind: 'count' },
    rows: { label: 'Rows in them', kind: 'count' },
    share: { label: 'Share of labelled rows', kind: 'share' },
    labelled: { label: 'Labelled rows', kind: 'count' },
    features: { label: 'Features compared', kind: 'count' },
    example: { label: 'Example', kind: 'text' },
    majorAbove: { label: 'Major above', kind: 'share' },
    conflictingPairs: { label: 'Conflicting pairs', kind: 'count' },
    expectedPairsByChance: { label: 'Pairs expected by chance', kind: 'number' },
    chanceRatio: { label: 'Flagged from', kind: 'number', unit: '× chance' },
    repeatedEntities: { label: 'The same entities recur without an ID', kind: 'boolean' },
  },
  dependsOn: [...FEATURE_DEPS, ...LABEL_DEPS, 'thresholds'],
  applies: (s) => s.label?.kind === 'classes' && s.features.length > 0,
  // The same statement as leakage-split-duplicates', so the rows are grouped once for both checks.
  queries: (s) => rowGroupsQueries(s),
  findings(s, r) {
    const row = first(r.groups);
    const groups = count(row.rz_group_count);
    if (groups === 0) return [];
    const a = assessRowGroups(s, r);
    const rows = count(row.rz_conflict_rows);
    const labelled = count(row.rz_labelled);
    const share = labelled ? rows / labelled : 0;
    const features = s.features.map((c) => c.name);
    const examples = r.groups ?? [];
    const example = examples[0];
    const exampleText = example
      ? features
          .slice(0, 6)
          .map((f) => `${f}=${exampleValue(example[f], s.columns.find((c) => c.name === f)?.type)}`)
          .join(', ') + `${features.length > 6 ? ', …' : ''} → labels ${toText(example.rz_labels)}`
      : null;
    return [
      finder(
        s,
        this.id,
        this.area,
      )({
        severity: !a.conflictBeyondChance
          ? 'info'
          : a.repeatedEntities || share < s.thresholds.conflictShareMajor
            ? 'minor'
            : 'major',
        key: s.label!.column,
        title: !a.conflictBeyondChance
          ? `${fmtInt(groups)} groups of identical rows (${fmtInt(rows)} rows) carry different labels, about as often as chance gives with these features (${fmtInt(a.conflictPairs)} pairs where independent columns give ≈${a.expectedConflictPairs < 10 ? round(a.expectedConflictPairs, 1) : fmtInt(a.expectedConflictPairs)})`
          : a.repeatedEntities
            ? `${fmtInt(groups)} groups of identical rows (${fmtInt(rows)} rows) carry different labels: the same entities recurring with different outcomes`
            : `${fmtInt(groups)} groups of identical rows (${fmtInt(rows)} rows, ${fmtPct(share, 2)}) carry conflicting labels`,
        columns: [s.label!.column, ...features],
        evidence: {
          groups,
          rows,
          share: round(share, 5),
          labelled,
          features: features.length,
          example: exampleText,
          majorAbove: s.thresholds.conflictShareMajor,
          conflictingPairs: a.conflictPairs,
          expectedPairsByChance: round(a.expectedConflictPairs, 3),
          chanceRatio: s.thresholds.chanceMatchRatio,
          repeatedEntities: a.repeatedEntities,
        },
        details: examples.map((e) => {
          const out: ResultRow = {};
          for (const f of features) out[f] = e[f] ?? null;
          out.rows = count(e.rz_rows);
          out.labels = toText(e.rz_labels);
          return out;
        }),
        sql: `${conflictingLabelsQuery(s.sql, features, 100)};\n${collisionsEvidenceSql(s)}`,
        recommendation: !a.conflictBeyondChance
          ? 'With few distinct values per feature, different records share every feature value by chance, and their labels differ as any two records’ would: this is not label noise. The features cannot tell these records apart; if the outcome matters for them, a distinguishing feature is missing.'
          : a.repeatedEntities
            ? 'Most rows share their whole feature vector with other rows (see structure-groups): the same people or units observed several times, whose outcome changed between observations. This is not label noise. Ask for the entity ID and the observation date, and split by entity.'
            : 'Rows identical in every feature but labelled differently are label noise or a re-export with a flipped flag. Trace a few examples to the source; keep one agreed label per group (or drop the groups) before training.',
      }),
    ];
  },
};

/** A value of the example row as written in the data, text quoted, dates at the column's type (not ISO text). */
function exampleValue(value: unknown, type: string | undefined): string {
  if (value === null || value === undefined) return 'null';
  return typeof value === 'string'
    ? JSON.stringify(formatCell(value, { type }))
    : formatCell(value, { type });
}

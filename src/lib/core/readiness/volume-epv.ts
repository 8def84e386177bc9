import { classCountsQuery, totalRowsQuery } from '../sql/readiness-volume';
import { finder, fmtInt, q, round } from './findings';
import type { CheckDefinition } from './types';
import { FEATURE_DEPS, LABEL_DEPS } from './deps';
import { modellingFeatures, nounCount } from './volume-features';

export const volumeEpv: CheckDefinition = {
  id: 'volume-epv',
  area: 'volume',
  meaning:
    'Rows (or rare-class rows) per candidate feature; too few and a model fits noise, so its reported accuracy will not hold.',
  fix: 'collect-more-data',
  owner: 'domain-expertise',
  inWords: 'rows per candidate feature',
  description:
    'Rows per candidate feature: labelled rows for regression (a blocker below 5, major below 15), minority-class rows for binary (events per variable: major below 5, minor below 10), smallest-class rows for multiclass (major below 1, minor below 5). Not judged below the labelled-rows floor or without features.',
  evidence: {
    task: { label: 'Task', kind: 'text' },
    labelledRows: { label: 'Labelled rows', kind: 'count' },
    candidateFeatures: { label: 'Candidate features', kind: 'count' },
    rowsPerFeature: { label: 'Labelled rows per candidate feature', kind: 'number' },
    events: { label: 'Events (rows of the smallest class)', kind: 'count' },
    minorityClass: { label: 'Smallest class', kind: 'text' },
    epv: { label: 'Events per variable', kind: 'number' },
    floor: { label: 'Floor of labelled rows', kind: 'count' },
    blockerBelow: { label: 'Blocker below (per feature)', kind: 'number' },
    majorBelow: { label: 'Major below (per feature)', kind: 'number' },
    minorBelow: { label: 'Minor below (per feature)', kind: 'number' },
    mlReferenceEpv: { label: 'Reference for flexible learners (per feature)', kind: 'number' },
  },
  dependsOn: [...FEATURE_DEPS, ...LABEL_DEPS, 'thresholds'],
  applies: (s) => s.label !== undefined,
  queries: () => ({}),
  findings(s) {
    const make = finder(s, this.id, this.area);
    const t = s.thresholds;
    const label = s.label!;
    const features = modellingFeatures(s).counted.length;
    const sql = label.kind === 'classes' ? classCountsQuery(s.sql) : totalRowsQuery(s.sql, true);
    const numeric = label.kind === 'numeric';
    const events = numeric ? label.labelled : (label.minority?.rows ?? 0);
    const ratio = features > 0 ? events / features : null;
    const minority = numeric ? null : (label.minority?.display ?? null);
    const evidence = {
      task: label.task,
      ...(numeric
        ? { labelledRows: events, candidateFeatures: features, rowsPerFeature: round(ratio, 2) }
        : { events, minorityClass: minority, candidateFeatures: features, epv: round(ratio, 2) }),
    };
    const per = ratio === null ? '' : round(ratio, 1);
    // One problem, one finding: no features and too few rows have their own blockers.
    if (ratio === null || label.labelled < t.labelledRowsFloor)
      return [
        make({
          severity: 'info',
          key: 'epv',
          title:
            ratio === null
              ? 'Rows per feature not judged: there is no candidate feature'
              : `${per} ${numeric ? 'labelled rows' : 'minority rows'} per candidate feature, not judged below the floor of ${fmtInt(t.labelledRowsFloor)} labelled rows`,
          columns: [label.column],
          evidence: { ...evidence, floor: t.labelledRowsFloor },
          sql,
          recommendation:
            ratio === null
              ? 'See the candidate-features finding: with no feature there is nothing to count rows against.'
              : 'See the labelled-rows finding: below the floor, more rows come before any question of features.',
        }),
      ];
    if (numeric) {
      const severity =
        ratio < t.subjectsPerVariableBlocker
          ? 'blocker'
          : ratio < t.subjectsPerVariableMajor
            ? 'major'
            : 'info';
      const affordable = Math.floor(events / t.subjectsPerVariableMajor);
      return [
        make({
          severity,
          key: 'epv',
          title: `${per} labelled rows per candidate feature (${fmtInt(events)} rows ÷ ${nounCount(features, 'feature')})`,
          columns: [label.column],
          evidence: {
            ...evidence,
            majorBelow: t.subjectsPerVariableMajor,
            blockerBelow: t.subjectsPerVariableBlocker,
          },
          sql,
          recommendation:
            severity === 'blocker'
              ? `Fewer than ${t.subjectsPerVariableBlocker} rows per candidate feature: a model on all ${features} features will mostly fit noise, and its accuracy on new data will fall far short of what training shows (Riley et al. 2019). Keep the few features with a known reason to matter (${affordable} would meet Harrell’s ${t.subjectsPerVariableMajor} rows each), combine redundant ones, or collect more labelled rows.`
              : severity === 'major'
                ? `Below Harrell’s ${t.subjectsPerVariableMajor} rows per candidate feature: expect an optimistic model on all ${features} features. Pre-select features (${affordable} would meet the guidance), prefer a penalised model (ridge or lasso), and judge it by cross-validation.`
                : `At least ${t.subjectsPerVariableMajor} rows per candidate feature (Harrell’s guidance): enough for a regression baseline on these features.`,
        }),
      ];
    }
    const multiclass = label.task === 'multiclass';
    const severity = multiclass
      ? ratio < t.multiclassEpvMajor
        ? 'major'
        : ratio < t.multiclassEpvMinor
          ? 'minor'
          : 'info'
      : ratio < t.epvMajor
        ? 'major'
        : ratio < t.epvMinor
          ? 'minor'
          : 'info';
    const title = multiclass
      ? `Smallest class per candidate feature: ${per} (${fmtInt(events)} ${q(minority)} rows ÷ ${nounCount(features, 'feature')})`
      : `Events per variable: ${per} (${fmtInt(events)} ${q(minority)} rows ÷ ${nounCount(features, 'candidate feature')})`;
    const recommendation =
      severity === 'info'
        ? `At least ${multiclass ? t.multiclassEpvMinor : t.epvMinor} ${multiclass ? 'smallest-class rows' : 'events'} per candidate feature. Flexible learners may need far more (≈${t.epvMlReference} events per variable, van der Ploeg et al. 2014): prefer regularised models if the figure is near the guidance.`
        : multiclass && severity === 'major'
          ? `Fewer ${q(minority)} rows than candidate features: a model can fit that class perfectly by chance, and a test split holds a handful of its rows at most. Merge ${q(minority)} into a related class or an “other” class, or collect more of it; otherwise report it as not learnable from this data.`
          : multiclass
            ? `A caution, not a limit: how many rows a multiclass model needs depends on how well the classes separate (Pate et al. 2023), which counts cannot tell. Use stratified cross-validation, report the recall of ${q(minority)} on its own, and prefer a regularised or tree model; if ${q(minority)} scores poorly, collect more of it or cut redundant features.`
            : severity === 'major'
              ? `Below ${t.epvMajor} events per variable, an unpenalised logistic regression on all ${features} features gives unstable, over-optimistic results (Vittinghoff & McCulloch 2007). Cut the candidate features (IDs, free text, redundant measurements), group rare categories, use a regularised or tree model judged by cross-validation, or collect more ${q(minority)} examples.`
              : `Between ${t.epvMajor} and ${t.epvMinor} events per variable: the rule of ten (Peduzzi et al. 1996) is guidance for unpenalised logistic regression, not a limit for regularised or tree models, and correlated measurements count as fewer independent features. Prefer a regularised model, report cross-validated performance, and drop redundant features.`;
    return [
      make({
        severity,
        key: 'epv',
        title,
        columns: [label.column],
        evidence: {
          ...evidence,
          ...(multiclass
            ? { majorBelow: t.multiclassEpvMajor, minorBelow: t.multiclassEpvMinor }
            : { majorBelow: t.epvMajor, minorBelow: t.epvMinor }),
          mlReferenceEpv: t.epvMlReference,
        },
        sql,
        recommendation,
      }),
    ];
  },
};

import { featureStrengthChart } from '../charts/check-charts';
import type { Finding } from '../model/audit';
import { plural } from './time-encoding';
import { FEATURE_DEPS, LABEL_DEPS } from './deps';
import { finder, fmtInt, q, round, toNumber, toText } from './findings';
import type { CheckDefinition, ResultRow } from './types';
import { isMulticlass, leakagePlan, trendQuery } from './leakage-plan';
import { featureStatements, judgeSingleFeatures, singleFeatureQueries } from './leakage-feature-judgement';

/**
 * What leakage-single-feature and leakage-strong-features share: the same
 * statements (value AUCs by counts in one, one-rule bins in another, every
 * column's presence and non-zero counts in a third, the rest one each), run
 * once for both, and the same judgement of their results.
 */
const SINGLE_FEATURE_STATEMENTS = {
  dependsOn: [...FEATURE_DEPS, ...LABEL_DEPS, 'thresholds'],
  applies: (s) => s.label !== undefined && leakagePlan(s).length > 0,
  queries: singleFeatureQueries,
} satisfies Pick<CheckDefinition, 'dependsOn' | 'applies' | 'queries'>;

export const leakageSingleFeature: CheckDefinition = {
  id: 'leakage-single-feature',
  area: 'leakage',
  meaning:
    'A single field predicts the label almost perfectly, which usually means it is only known after the outcome.',
  fix: 'pipeline',
  owner: 'ml-engineering',
  chart: featureStrengthChart,
  inWords: 'features that give the answer away (leakage)',
  description:
    'Features that determine the label alone (AUC ≥ 0.99 for binary targets, a one-rule for multiclass ones, |Spearman ρ| or η ≥ 0.99 for regression) or are filled in / non-zero almost only in one class; earlier periods of a series and shared trends with time, said as such.',
  evidence: {
    method: { label: 'Measure', kind: 'text' },
    strength: { label: 'Strength', kind: 'number' },
    threshold: { label: 'Flagged from', kind: 'number' },
    n: { label: 'Rows compared', kind: 'count' },
    presenceAuc: { label: 'AUC of “is filled in”', kind: 'number' },
    filledShareInClass: { label: 'Filled in, within the class', kind: 'share' },
    filledShareOthers: { label: 'Filled in, other rows', kind: 'share' },
    class: { label: 'Class', kind: 'text' },
    valueAuc: { label: 'AUC of the value', kind: 'number' },
    rule: { label: 'Rule', kind: 'text' },
    rowsWhere: { label: 'Rows where the rule holds', kind: 'count' },
    rowsOfClass: { label: 'Of which in the class', kind: 'count' },
    precision: { label: 'Precision', kind: 'share' },
    balancedPrecision: { label: 'Precision at balanced classes', kind: 'share' },
    recall: { label: 'Recall', kind: 'share' },
    shareOthers: { label: 'Share of other rows it catches', kind: 'share' },
    precisionThreshold: { label: 'Flagged from a precision of', kind: 'share' },
    recallThreshold: { label: 'Flagged from a recall of', kind: 'share' },
    auc: { label: 'AUC', kind: 'number' },
    rawAuc: { label: 'AUC before orienting', kind: 'number' },
    accuracy: { label: 'Accuracy of the one rule', kind: 'share' },
    baselineAccuracy: { label: 'Accuracy of always the commonest class', kind: 'share' },
    lambda: { label: 'Error reduction (λ)', kind: 'number' },
    entropyShare: { label: 'Uncertainty explained', kind: 'share' },
    intervals: { label: 'Bins or values', kind: 'count' },
    features: { label: 'Features', kind: 'count' },
    targetRhoWithTime: { label: 'Target’s correlation with time', kind: 'number' },
    determining: { label: 'Features that give the answer away', kind: 'count' },
    strong: { label: 'Strong features', kind: 'count' },
  },
  ...SINGLE_FEATURE_STATEMENTS,
  findings(s, r) {
    const make = finder(s, this.id, this.area);
    const t = s.thresholds;
    const label = s.label!;
    const j = judgeSingleFeatures(s, r);
    const out: Finding[] = j.blockers.map(make);
    const names = (rows: ResultRow[]): string =>
      rows.length > 5
        ? `${rows
            .slice(0, 4)
            .map((x) => q(toText(x.column)))
            .join(', ')} and ${rows.length - 4} more columns`
        : rows.map((x) => q(toText(x.column))).join(', ');
    if (j.series.length > 0)
      out.push(
        make({
          severity: 'info',
          key: 'series',
          title: `${names(j.series)} ${j.series.length === 1 ? 'is an earlier period' : 'are earlier periods'} of the series ${q(label.column)}: ${j.series.length === 1 ? 'its' : 'their'} strong link to it is the series carrying on, not leakage`,
          columns: [...j.series.map((x) => toText(x.column)!), label.column],
          evidence: { features: j.series.length },
          details: j.series,
          sql: featureStatements(
            s,
            j.series.map((x) => toText(x.column)!),
          ),
          recommendation:
            'Earlier values of the same series are legitimate inputs when they are known at the prediction point. Validate on a time split (train on earlier periods, test on later ones) so the score reflects forecasting, not interpolation.',
        }),
      );
    if (j.trend.length > 0)
      out.push(
        make({
          severity: 'info',
          key: 'trend',
          title: `${names(j.trend)} and ${q(label.column)} all trend with ${q(s.time!.column)} (|ρ with time| ≥ ${t.sharedTrendRho}): their correlation is a shared trend, not leakage`,
          columns: [...j.trend.map((x) => toText(x.column)!), label.column, s.time!.column],
          evidence: {
            features: j.trend.length,
            targetRhoWithTime: round(j.trendTarget, 4),
            threshold: t.sharedTrendRho,
          },
          details: j.trend,
          sql: trendQuery(s) ?? '',
          recommendation:
            'Series that all rise or fall with time correlate with each other whatever their link. Judge the features on a time split, and on changes (differences) rather than levels, before trusting them.',
        }),
      );
    out.unshift(
      make({
        severity: 'info',
        key: 'summary',
        title: `Single-feature predictive power of ${plural(j.table.length, 'feature', fmtInt(j.table.length))}`,
        columns: [label.column],
        evidence: { features: j.table.length, determining: j.blockers.length, strong: j.strong.length },
        details: [...j.table].sort(
          (a, b) => (toNumber(b.auc ?? b.strength) ?? 0) - (toNumber(a.auc ?? a.strength) ?? 0),
        ),
        sql: leakagePlan(s)
          .flatMap((p) => [p.value, p.presence, p.nonZero].filter((x): x is string => x !== undefined))
          .join(';\n'),
        recommendation:
          'Start modelling from the strongest honest features; anything close to perfect deserves a leakage review before it is trusted.',
      }),
    );
    return out;
  },
};

export const leakageStrongFeatures: CheckDefinition = {
  id: 'leakage-strong-features',
  area: 'leakage',
  meaning:
    'Some fields predict the label strongly but plausibly; confirm each is known when the prediction is made.',
  fix: 'pipeline',
  owner: 'ml-engineering',
  inWords: 'features strong enough to confirm before trusting them',
  description:
    'Strong but plausible single features (AUC or one-rule λ 0.95–0.99, |ρ| 0.9–0.99), grouped into one finding that asks when each value becomes known.',
  evidence: {
    features: { label: 'Strong features', kind: 'count' },
    strongest: { label: 'Strongest feature', kind: 'text' },
    strongestValue: { label: 'Its strength', kind: 'number' },
    measure: { label: 'Measured by', kind: 'text' },
  },
  ...SINGLE_FEATURE_STATEMENTS,
  findings(s, r) {
    const make = finder(s, this.id, this.area);
    const t = s.thresholds;
    const label = s.label!;
    const { strong } = judgeSingleFeatures(s, r);
    if (strong.length === 0) return [];
    const sorted = [...strong].sort(
      (a, b) => Math.abs(toNumber(b.value) ?? 0) - Math.abs(toNumber(a.value) ?? 0),
    );
    const names = sorted.map((x) => toText(x.column)!);
    const range =
      label.kind === 'numeric'
        ? `|ρ| ${t.strongRho}–${t.nearPerfectRho}`
        : isMulticlass(s)
          ? `one-rule λ ${t.strongOneRule}–${t.nearPerfectOneRule}`
          : `AUC ${t.strongAuc}–${t.nearPerfectAuc}`;
    const shown = names.slice(0, 5).map(q).join(', ');
    return [
      make({
        severity: 'minor',
        key: 'summary',
        title: `${names.length === 1 ? `${shown} is a strong single predictor` : `${names.length} features are strong single predictors`} of ${q(label.column)} (${range})${names.length > 1 ? `: ${shown}${names.length > 5 ? '…' : ''}` : ''}; confirm when each value becomes known`,
        columns: names,
        evidence: {
          features: names.length,
          strongest: toText(sorted[0]!.column),
          strongestValue: toNumber(sorted[0]!.value),
          measure: toText(sorted[0]!.measure),
        },
        details: sorted,
        sql: featureStatements(s, names),
        recommendation:
          'Strong but plausible: measurements like these can genuinely predict the outcome. For each, confirm it is recorded before the prediction point, not after the outcome and not computed from it, then waive this finding with that answer; drop any that is not.',
      }),
    ];
  },
};

import type { Finding, Severity } from '../audit/schema';
import { sortFindings } from '../readiness/findings';

/**
 * How findings read to a client: most severe first, evidence under human
 * labels with formatted numbers and percentages, and one sentence per check
 * on what it means for the project. Pure text; the reports escape it.
 */

/** Findings most severe first (blockers, majors, minors, info), then by area and id. */
export function sortBySeverity(findings: readonly Finding[]): Finding[] {
  return sortFindings(findings);
}

export const SEVERITY_LABELS: Record<Severity, string> = {
  blocker: 'Blocker',
  major: 'Major',
  minor: 'Minor',
  info: 'Info',
};

type Kind = 'share' | 'count' | 'number' | 'pvalue' | 'days' | 'text';

/** Labels (and number kinds) of evidence keys that a generic rule would word badly. */
const EVIDENCE: Record<string, { label: string; kind?: Kind }> = {
  presenceAuc: { label: 'AUC of “is filled in”', kind: 'number' },
  valueAuc: { label: 'AUC of the value', kind: 'number' },
  filledShareInClass: { label: 'Filled in, within the class', kind: 'share' },
  filledShareOthers: { label: 'Filled in, other rows', kind: 'share' },
  class: { label: 'Class' },
  typicalRate: { label: 'Typical source’s rate', kind: 'share' },
  restRate: { label: 'Rate in the other sources', kind: 'share' },
  rate: { label: 'Rate', kind: 'share' },
  difference: { label: 'Difference', kind: 'number' },
  adjustedResidual: { label: 'Adjusted residual', kind: 'number' },
  pValue: { label: 'p-value', kind: 'pvalue' },
  residualThreshold: { label: 'Residual threshold', kind: 'number' },
  minDiff: { label: 'Minimum difference', kind: 'share' },
  groups: { label: 'Groups', kind: 'count' },
  labelled: { label: 'Labelled rows', kind: 'count' },
  features: { label: 'Features', kind: 'count' },
  example: { label: 'Example' },
  examples: { label: 'Examples' },
  variantRows: { label: 'Rows with a variant spelling', kind: 'count' },
  variantShare: { label: 'Share with a variant spelling', kind: 'share' },
  spellingsByClass: { label: 'Spellings by class' },
  before: { label: 'Rows with outcome before event', kind: 'count' },
  compared: { label: 'Rows compared', kind: 'count' },
  worstDays: { label: 'Worst gap (days)', kind: 'days' },
  majorAbove: { label: 'Major above', kind: 'share' },
  minorAbove: { label: 'Minor above', kind: 'share' },
  majorBelow: { label: 'Major below', kind: 'number' },
  blockerBelow: { label: 'Blocker below', kind: 'number' },
  emptyMonths: { label: 'Empty months', kind: 'count' },
  medianRowsPerMonth: { label: 'Median rows per month', kind: 'count' },
  medianRowsPerDay: { label: 'Median rows per day', kind: 'count' },
  ageDays: { label: 'Age (days)', kind: 'days' },
  asOf: { label: 'As-of date' },
  shareLast90Days: { label: 'Rows in the last 90 days', kind: 'share' },
  shareLast180Days: { label: 'Rows in the last 180 days', kind: 'share' },
  shareLast365Days: { label: 'Rows in the last 365 days', kind: 'share' },
  minorAboveDays: { label: 'Minor above (days)', kind: 'days' },
  majorAboveDays: { label: 'Major above (days)', kind: 'days' },
  otherMedian: { label: 'Median in the other sources', kind: 'number' },
  nearestPowerOfTen: { label: 'Nearest power of ten', kind: 'number' },
  variantValues: { label: 'Values spelled differently', kind: 'count' },
  sourceSpecific: { label: 'Source-specific spellings', kind: 'count' },
  expectedStraddlingGroups: { label: 'Groups expected on both sides of a split', kind: 'number' },
  testShare: { label: 'Test share', kind: 'share' },
  kinds: { label: 'Kinds of personal data' },
  matches: { label: 'Matching values', kind: 'count' },
  excludedFromFeatures: { label: 'Excluded from features' },
  nonNull: { label: 'Non-missing values', kind: 'count' },
  midnight: { label: 'At exactly 00:00:00', kind: 'count' },
  dateOnlySources: { label: 'Sources with dates only' },
  sentinelRows: { label: 'Rows on a placeholder date', kind: 'count' },
  spikeRows: { label: 'Rows on a spike date', kind: 'count' },
  psi: { label: 'Population stability index (PSI)', kind: 'number' },
  totalVariation: { label: 'Total variation distance', kind: 'number' },
  nullRate: { label: 'Missing rate', kind: 'share' },
  restNullRate: { label: 'Missing rate elsewhere', kind: 'share' },
  repeatedIds: { label: 'Repeated IDs', kind: 'count' },
  maxRowsPerId: { label: 'Most rows for one ID', kind: 'count' },
  duplicateRows: { label: 'Duplicate rows', kind: 'count' },
  tokens: { label: 'Placeholder values' },
  numericShare: { label: 'Numbers', kind: 'share' },
  dateShare: { label: 'Dates', kind: 'share' },
  minorityClass: { label: 'Minority class' },
  minorityRows: { label: 'Minority rows', kind: 'count' },
  minorityShare: { label: 'Minority share', kind: 'share' },
  positiveClass: { label: 'Positive class' },
  events: { label: 'Events (minority rows)', kind: 'count' },
  candidateFeatures: { label: 'Candidate features', kind: 'count' },
  epv: { label: 'Events per variable', kind: 'number' },
  mlReferenceEpv: { label: 'Reference events per variable for ML', kind: 'number' },
  seedGuidanceRows: { label: 'Rows suggested to start', kind: 'count' },
  belowSeedGuidance: { label: 'Below the suggested rows' },
  largestRows: { label: 'Rows in the largest value', kind: 'count' },
  smallestRows: { label: 'Rows in the smallest value', kind: 'count' },
  chiSquare: { label: 'χ²', kind: 'number' },
  df: { label: 'Degrees of freedom', kind: 'count' },
  alpha: { label: 'Significance level', kind: 'number' },
  overallPositiveRate: { label: 'Overall positive rate', kind: 'share' },
  overallRate: { label: 'Overall rate', kind: 'share' },
  validRows: { label: 'Rows with a valid date', kind: 'count' },
  invalidRows: { label: 'Rows without a valid date', kind: 'count' },
  nearPerfect: { label: 'Near-perfect features', kind: 'count' },
  historyMonths: { label: 'History kept (months)', kind: 'count' },
  trainingWindowMonths: { label: 'Training window (months)', kind: 'count' },
  servingLatency: { label: 'Serving latency' },
  servingMode: { label: 'Serving mode' },
  domainReviewCadence: { label: 'Domain-review cadence' },
};

/** `minorityShare` → `Minority share`: the fallback for keys without a label. */
export function humanizeKey(key: string): string {
  const words = key
    .replace(/([a-z0-9])([A-Z])/g, '$1 $2')
    .replace(/([A-Z]+)([A-Z][a-z])/g, '$1 $2')
    .replace(/[_-]+/g, ' ')
    .trim()
    .toLowerCase();
  return words.charAt(0).toUpperCase() + words.slice(1);
}

/** The human label of an evidence key. */
export function evidenceLabel(key: string): string {
  return EVIDENCE[key]?.label ?? humanizeKey(key);
}

function kindOf(key: string, value: number): Kind {
  const known = EVIDENCE[key]?.kind;
  if (known) return known;
  if (/(share|rate)$/i.test(key) && value >= 0 && value <= 1) return 'share';
  if (/days$/i.test(key)) return 'days';
  if (/^(rows|count|total|months|sources|values|classes|spellings|future|features)$/i.test(key))
    return 'count';
  return Number.isInteger(value) ? 'count' : 'number';
}

/** `12,345` */
export function formatCount(n: number): string {
  return Math.round(n).toLocaleString('en-US');
}

/** `23.6 %`; below 0.1 % keeps two significant digits so a small share never reads as 0. */
export function formatShare(share: number): string {
  const pct = share * 100;
  if (pct !== 0 && Math.abs(pct) < 0.1) return `${Number(pct.toPrecision(2))} %`;
  return `${pct.toFixed(1)} %`;
}

/** Four significant digits, grouped thousands: `202.2`, `0.9929`, `5,853`. */
export function formatNumber(n: number): string {
  if (!Number.isFinite(n)) return '—';
  if (Math.abs(n) >= 1000) return Math.round(n).toLocaleString('en-US');
  return Number(n.toPrecision(4)).toLocaleString('en-US', { maximumFractionDigits: 4 });
}

/** `< 0.0001` for tiny p-values, which the exact digits would only obscure. */
export function formatPValue(p: number): string {
  return p < 0.0001 ? '< 0.0001' : formatNumber(p);
}

/** An evidence value formatted for a reader, by what its key measures. */
export function formatEvidence(key: string, value: Finding['evidence'][string]): string {
  if (value === null) return '—';
  if (typeof value === 'boolean') return value ? 'Yes' : 'No';
  if (typeof value === 'string') return value;
  switch (kindOf(key, value)) {
    case 'share':
      return formatShare(value);
    case 'count':
      return formatCount(value);
    case 'days':
      return `${formatCount(value)} days`;
    case 'pvalue':
      return formatPValue(value);
    default:
      return formatNumber(value);
  }
}

/** Evidence keys whose value quotes a whole row of the data (e.g. one conflicting-label pair), not an aggregate. */
export const ROW_EVIDENCE_KEYS: ReadonlySet<string> = new Set(['example']);

/**
 * Evidence as label/value pairs, in the finding's own order. With
 * `aggregatesOnly`, values that quote a row of the data are left out, as the
 * client-facing reports promise.
 */
export function evidenceRows(
  finding: Pick<Finding, 'evidence'>,
  options: { aggregatesOnly?: boolean } = {},
): { label: string; value: string }[] {
  return Object.entries(finding.evidence)
    .filter(([key]) => !(options.aggregatesOnly && ROW_EVIDENCE_KEYS.has(key)))
    .map(([key, value]) => ({
      label: evidenceLabel(key),
      value: formatEvidence(key, value),
    }));
}

/**
 * The one number a one-line summary shows for a finding: its first share, or
 * else its first count, labelled.
 */
export function keyNumber(finding: Pick<Finding, 'evidence'>): string | null {
  const entries = Object.entries(finding.evidence).filter(
    (e): e is [string, number] => typeof e[1] === 'number' && !/threshold|above|below|reference/i.test(e[0]),
  );
  const pick = entries.find(([k, v]) => kindOf(k, v) === 'share') ?? entries[0];
  return pick ? `${evidenceLabel(pick[0])}: ${formatEvidence(pick[0], pick[1])}` : null;
}

/** What each check's finding means for the project, in one sentence. */
export const CHECK_MEANINGS: Record<string, string> = {
  'volume-rows': 'How many rows there are to learn from; too few and any model will mostly learn noise.',
  'volume-classes':
    'How many examples each class has; the rarest class limits what a model can learn about it.',
  'volume-features':
    'What a model could learn from; with no candidate feature there is nothing to learn but time.',
  'volume-epv':
    'Rows (or rare-class rows) per candidate feature; too few and a model fits noise, so its reported accuracy will not hold.',
  'volume-segments': 'How many rows each segment has; thin segments get unreliable predictions.',
  'volume-months':
    'How many months the data spans; seasonality and trends need several cycles to be learned.',
  'labels-no-target':
    'Without a target column the label checks could not run, so nothing is known yet about the labels’ quality.',
  'labels-missing': 'Rows without a label cannot be used for training and may hide a biased selection.',
  'labels-variants':
    'The same label is spelled several ways; unless they are merged, one class is split in pieces.',
  'labels-conflicting':
    'Identical inputs carry different labels, which caps the accuracy any model can reach and suggests labelling errors.',
  'labels-by-source':
    'A source labels differently from the others; the model may learn the source instead of the outcome.',
  'labels-over-time':
    'The label rate changes over time; a model trained on the past may miss-estimate the future.',
  'time-role':
    'A column chosen as a time cannot be read as dates, so every time-based check and split is blind.',
  'time-future': 'Dates after the as-of date are impossible and point to entry or conversion errors.',
  'time-sentinel': 'Placeholder dates stand for “unknown” and would be read as real dates by a model.',
  'time-before-start': 'Dates before the business could have recorded them are errors or placeholders.',
  'time-text-formats': 'Dates stored as text in several formats will be misread unless parsed explicitly.',
  'time-of-day':
    'Timestamps stuck at midnight carry only a date; time-of-day features from them are meaningless.',
  'time-order': 'Events recorded in an impossible order break any time-based split or feature.',
  'time-outcome-before-event':
    'Outcomes dated before the prediction point mean the label or the dates are wrong for these rows.',
  'time-split':
    'The data is ordered in time, so a model must be validated on a later period than it learned from, or its scores overstate how it will do.',
  'coverage-span': 'The period the data covers; the model only knows the conditions seen in it.',
  'coverage-gaps': 'Months without data leave holes that skew trends and time-based validation.',
  'coverage-recency':
    'The newest data is old; the model would learn from conditions that may no longer hold.',
  'coverage-class-balance': 'The class balance shifts over time, so past performance may not carry forward.',
  'coverage-segments':
    'Some segments are missing in some periods, so the model cannot learn them consistently.',
  'coverage-categories': 'Categories appear or disappear over time; the model will meet values it never saw.',
  'consistency-nulls':
    'A source leaves a field empty far more often than others, a sign of a different process.',
  'consistency-distribution':
    'A field is distributed differently in one source, so combining sources mixes two populations.',
  'consistency-vocabulary':
    'Sources spell the same values differently; unmerged, one category becomes several.',
  'consistency-scale':
    'A source records a field on another scale (units, cents), which corrupts any model using it.',
  'leakage-single-feature':
    'A single field predicts the label almost perfectly, which usually means it is only known after the outcome.',
  'leakage-strong-features':
    'Some fields predict the label strongly but plausibly; confirm each is known when the prediction is made.',
  'leakage-derived':
    'The target can be computed from other fields, so a model would recompute it rather than predict it.',
  'structure-groups':
    'Rows come in groups of the same entity; a random split would test the model on entities it has seen.',
  'leakage-id-like':
    'An identifier carries signal about the label; a model would memorise IDs instead of learning.',
  'leakage-timestamps': 'A timestamp is recorded after the outcome, so it leaks the answer into training.',
  'leakage-split-duplicates':
    'Duplicates would land on both sides of a random split and inflate the measured accuracy.',
  'quality-duplicates': 'Exact duplicate rows over-weight some records and inflate validation scores.',
  'quality-constant': 'A field with a single value carries no information and can be dropped.',
  'quality-missing-like':
    'Text placeholders like “N/A” are missing values in disguise and must be treated as such.',
  'quality-sentinels': 'Numeric codes such as 99999 stand for “unknown” and distort any statistic or model.',
  'quality-mixed-types': 'A field mixes numbers, dates and text, so it cannot be used until it is cleaned.',
  'privacy-pii':
    'The field holds personal data; it must be removed or protected before modelling or sharing.',
  'integration-serving-freshness':
    'Real-time predictions need fresh inputs; a source exported daily or by hand cannot provide them.',
  'integration-history':
    'The source keeps less history than the training window needs, so the model cannot be trained as planned.',
  'integration-legacy-owner':
    'Nobody answers for a legacy system the pipeline depends on, so its failures will go unresolved.',
  'integration-access-unknown':
    'Until it is known how the source is reached, the pipeline cannot be planned.',
  'integration-serving-undecided':
    'How predictions reach their users decides the plumbing to build, its cost and its latency.',
  'team-gap': 'A role nobody covers becomes the bottleneck of the project.',
  'team-domain-review': 'Without regular review by a domain expert, label and feature errors are found late.',
};

/** The "what it means" sentence of a finding's check, or its area's generic one. */
export function findingMeaning(finding: Pick<Finding, 'check'>): string {
  return CHECK_MEANINGS[finding.check] ?? 'See the recommendation for what to do about it.';
}

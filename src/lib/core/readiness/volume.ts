import { rowsByMonthChart, rowsPerClassChart, rowsPerSegmentChart } from '../charts/check-charts';
import type { Finding } from '../model/audit';
import {
  candidateFeaturesQuery,
  classCountsQuery,
  monthlyCountsQuery,
  totalRowsQuery,
  segmentClassCountsQuery,
} from '../sql/readiness-volume';
import { THRESHOLDS } from '../thresholds';
import { count, finder, first, fmtInt, fmtPct, q, round, toText } from './findings';
import type { CheckDefinition, ColumnFacts, ReadinessSetup, ResultRow } from './types';
import { FEATURE_DEPS, LABEL_DEPS } from './deps';
import { periodVolumes, plural } from './time-encoding';
import { formatDate } from '../format';

/** Per segment value: rows, labelled rows, positives and classes seen, from a segment × class result. */
export function segmentSummary(
  rows: readonly ResultRow[],
  positive: string | undefined,
): { segment: string | null; rows: number; labelled: number; positives: number; classes: string[] }[] {
  const out = new Map<
    string | null,
    { segment: string | null; rows: number; labelled: number; positives: number; classes: string[] }
  >();
  for (const row of rows) {
    const segment = toText(row.segment);
    const label = toText(row.label);
    const n = count(row.rows);
    const s = out.get(segment) ?? { segment, rows: 0, labelled: 0, positives: 0, classes: [] };
    s.rows += n;
    if (label !== null) {
      s.labelled += n;
      s.classes.push(label);
      if (label === positive) s.positives += n;
    }
    out.set(segment, s);
  }
  return [...out.values()].sort((a, b) => b.rows - a.rows);
}

/** `1 feature`, `30 features`. */
function nounCount(n: number, noun: string): string {
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

export const volumeRows: CheckDefinition = {
  id: 'volume-rows',
  area: 'volume',
  meaning: 'How many rows there are to learn from; too few and any model will mostly learn noise.',
  fix: 'collect-more-data',
  owner: 'domain-expertise',
  inWords: 'labelled rows against the floor of 50',
  description:
    'Labelled rows against the floor of 50 any model needs (a blocker below it), and rows overall against the ≈10,000-record seed guidance (a reference, not a rule).',
  evidence: {
    rows: { label: 'Rows', kind: 'count' },
    labelledRows: { label: 'Labelled rows', kind: 'count' },
    floor: { label: 'Floor of labelled rows', kind: 'count' },
    belowFloor: { label: 'Below the floor', kind: 'boolean' },
    seedGuidanceRows: { label: 'Seed guidance (a reference)', kind: 'count', unit: 'row' },
    belowSeedGuidance: { label: 'Below the seed guidance', kind: 'boolean' },
  },
  dependsOn: [...LABEL_DEPS, 'thresholds'],
  applies: () => true,
  queries: (s) => ({ rows: totalRowsQuery(s.sql) }),
  findings(s, r) {
    const t = s.thresholds;
    const rows = count(first(r.rows).rows);
    const labelled = s.label ? s.label.labelled : rows;
    const floor = t.labelledRowsFloor;
    const reference = t.seedGuidanceRows;
    const below = labelled < floor;
    const column = s.label?.column;
    const title = !below
      ? `${fmtInt(rows)} rows`
      : column !== undefined && labelled === 0
        ? `No labelled rows: ${q(column)} is empty or unusable in all ${fmtInt(rows)} rows`
        : column !== undefined
          ? `Only ${fmtInt(labelled)} labelled rows: below the floor of ${fmtInt(floor)} any model needs`
          : `Only ${fmtInt(rows)} rows: below the floor of ${fmtInt(floor)} labelled rows any model needs`;
    return [
      finder(
        s,
        this.id,
        this.area,
      )({
        severity: below ? 'blocker' : 'info',
        key: 'rows',
        title,
        columns: column !== undefined ? [column] : [],
        evidence: {
          rows,
          labelledRows: s.label ? labelled : null,
          floor,
          belowFloor: below,
          seedGuidanceRows: reference,
          belowSeedGuidance: rows < reference,
        },
        sql: totalRowsQuery(s.sql, true),
        recommendation: below
          ? `With fewer than ${fmtInt(floor)} labelled rows a model can be neither fitted reliably nor evaluated: a 20 % hold-out would be ${fmtInt(Math.floor(labelled * 0.2))} rows, and cross-validated scores swing by tens of points at this size. Collect more labelled rows before any model work; until then, treat the data as material for a descriptive analysis, not a predictive model.`
          : rows < reference
            ? `Below the ≈${fmtInt(reference)}-record seed guidance for a straightforward binary classification. That is a reference point, not a rule: judge volume by the minority-class count and events per variable.`
            : `Above the ≈${fmtInt(reference)}-record seed guidance; volume is judged by the minority-class count and events per variable.`,
      }),
    ];
  },
};

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

export const volumeClasses: CheckDefinition = {
  id: 'volume-classes',
  area: 'volume',
  meaning: 'How many examples each class has; the rarest class limits what a model can learn about it.',
  fix: 'collect-more-data',
  owner: 'domain-expertise',
  chart: rowsPerClassChart,
  inWords: 'rows per class',
  description: 'Rows per class, the minority-class count, and whether the positive class exists.',
  evidence: {
    classes: { label: 'Classes', kind: 'count' },
    labelled: { label: 'Labelled rows', kind: 'count' },
    minorityClass: { label: 'Smallest class', kind: 'text' },
    minorityRows: { label: 'Rows of the smallest class', kind: 'count' },
    minorityShare: { label: 'Share of the smallest class', kind: 'share' },
    positiveClass: { label: 'Positive class', kind: 'text' },
    requested: { label: 'Positive class you set', kind: 'text' },
    used: { label: 'Positive class used', kind: 'text' },
    threshold: { label: 'Minor below', kind: 'share' },
  },
  dependsOn: LABEL_DEPS,
  applies: (s) => s.label?.kind === 'classes',
  // The setup already counted every spelling; only an incomplete list needs the scan.
  queries: (s): Record<string, string> =>
    s.sql.label?.spellings ? {} : { classes: classCountsQuery(s.sql) },
  findings(s, r) {
    const make = finder(s, this.id, this.area);
    const sql = classCountsQuery(s.sql);
    const label = s.label!;
    const column = label.column;
    const classes = r.classes
      ? r.classes
          .filter((row) => row.label !== null)
          .map((row) => ({ label: toText(row.label)!, rows: count(row.rows) }))
      : label.classes
          .map((c) => ({ label: c.label, rows: c.rows }))
          .sort((a, b) => b.rows - a.rows || (a.label < b.label ? -1 : a.label > b.label ? 1 : 0));
    const labelled = classes.reduce((a, c) => a + c.rows, 0);
    const display = (canonical: string): string =>
      label.classes.find((c) => c.label === canonical)?.display ?? canonical;
    const details = classes.map((c) => ({
      class: display(c.label),
      canonical: c.label,
      rows: c.rows,
      share: labelled ? c.rows / labelled : 0,
    }));
    const out: Finding[] = [];
    const minority = classes[classes.length - 1];
    out.push(
      make({
        severity: 'info',
        key: 'summary',
        title: `${classes.length} class${classes.length === 1 ? '' : 'es'} in ${q(column)}; the smallest, ${q(minority ? display(minority.label) : null)}, has ${fmtInt(minority?.rows ?? 0)} rows`,
        columns: [column],
        evidence: {
          classes: classes.length,
          labelled,
          minorityClass: minority ? display(minority.label) : null,
          minorityRows: minority?.rows ?? 0,
          minorityShare: labelled && minority ? round(minority.rows / labelled) : null,
          positiveClass: label.positiveDisplay ?? null,
        },
        details,
        sql,
        recommendation:
          'Use stratified splits and report per-class metrics; the minority-class count, not the row count, limits what a model can learn.',
      }),
    );
    if (classes.length < 2)
      out.push(
        make({
          severity: 'blocker',
          key: 'single-class',
          title: `${q(column)} has ${classes.length === 0 ? 'no labels' : 'a single class'}`,
          columns: [column],
          evidence: { classes: classes.length, labelled },
          sql,
          recommendation:
            'A classifier needs examples of at least two classes. Check the target column and how the extract was filtered.',
        }),
      );
    if (label.task === 'binary' && classes.length > 2)
      out.push(
        make({
          severity: 'major',
          key: 'class-count',
          title: `Binary task, but ${q(column)} has ${classes.length} classes`,
          columns: [column],
          evidence: { classes: classes.length, positiveClass: label.positiveDisplay ?? null },
          details,
          sql,
          recommendation: `Confirm the target definition: the audit treats ${q(label.positiveDisplay ?? null)} as positive and every other class as negative. Map the classes explicitly, or set the task to multiclass.`,
        }),
      );
    if (label.positiveNotFound !== undefined)
      out.push(
        make({
          severity: 'major',
          key: 'positive-class',
          title: `Positive class ${q(label.positiveNotFound)} does not occur in ${q(column)}`,
          columns: [column],
          evidence: { requested: label.positiveNotFound, used: label.positiveDisplay ?? null },
          details,
          sql,
          recommendation: `Pick the positive class from the values present; until then the audit uses the minority class ${q(label.positiveDisplay ?? null)}.`,
        }),
      );
    if (
      minority &&
      labelled > 0 &&
      classes.length >= 2 &&
      minority.rows / labelled < s.thresholds.minorityShareMinor
    )
      out.push(
        make({
          severity: 'minor',
          key: 'imbalance',
          title: `Imbalanced classes: ${q(display(minority.label))} is ${fmtPct(minority.rows / labelled)} of labelled rows`,
          columns: [column],
          evidence: {
            minorityRows: minority.rows,
            minorityShare: round(minority.rows / labelled),
            threshold: s.thresholds.minorityShareMinor,
          },
          details,
          sql,
          recommendation:
            'Stratify splits, evaluate with precision–recall (PR-AUC) rather than accuracy, and consider class weights.',
        }),
      );
    return out;
  },
};

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

export const volumeSegments: CheckDefinition = {
  id: 'volume-segments',
  area: 'volume',
  meaning: 'How many rows each segment has; thin segments get unreliable predictions.',
  fix: 'collect-more-data',
  owner: 'domain-expertise',
  chart: rowsPerSegmentChart,
  inWords: 'labelled rows per segment',
  description: 'Rows, labelled rows and positives per segment value.',
  evidence: {
    values: { label: 'Segment values', kind: 'count' },
    largestRows: { label: 'Rows in the largest segment', kind: 'count' },
    smallestRows: { label: 'Rows in the smallest segment', kind: 'count' },
  },
  dependsOn: ['segments', ...LABEL_DEPS],
  applies: (s) => s.segments.length > 0,
  queries: (s) =>
    Object.fromEntries(s.segments.map((c, i) => [`segment_${i}`, segmentClassCountsQuery(s.sql, c.name)])),
  findings(s, r) {
    const make = finder(s, this.id, this.area);
    return s.segments.map((column, i) => {
      const summary = segmentSummary(r[`segment_${i}`] ?? [], s.label?.positive);
      const smallest = summary[summary.length - 1];
      return make({
        severity: 'info',
        key: column.name,
        title: `${summary.length} values in segment ${q(column.name)}; the smallest has ${fmtInt(smallest?.rows ?? 0)} rows`,
        columns: [column.name],
        evidence: {
          values: summary.length,
          largestRows: summary[0]?.rows ?? 0,
          smallestRows: smallest?.rows ?? 0,
        },
        details: summary
          .slice(0, 100)
          .map((x) => ({ segment: x.segment, rows: x.rows, labelled: x.labelled, positives: x.positives })),
        sql: segmentClassCountsQuery(s.sql, column.name),
        recommendation:
          'Check that every segment the model will serve has enough rows; see the coverage findings for thin segments.',
      });
    });
  },
};

export const volumeMonths: CheckDefinition = {
  id: 'volume-months',
  area: 'volume',
  meaning: 'How many months the data spans; seasonality and trends need several cycles to be learned.',
  fix: 'collect-more-data',
  owner: 'domain-expertise',
  chart: rowsByMonthChart,
  inWords: 'labelled rows per period',
  description:
    'Rows, labelled rows and positives per period of the event time, in its own unit: years for a column of years, quarters for quarters, months otherwise.',
  evidence: {
    unit: { label: 'Counted per', kind: 'text' },
    periods: { label: 'Periods spanned', kind: 'count' },
    periodsWithRows: { label: 'Periods with rows', kind: 'count' },
    medianRowsPerPeriod: { label: 'Median labelled rows per period', kind: 'number' },
    first: { label: 'First period', kind: 'date', granularityFrom: 'unit' },
    last: { label: 'Last period', kind: 'date', granularityFrom: 'unit' },
  },
  dependsOn: ['eventTime', 'asOf', 'historyFrom', 'thresholds', ...LABEL_DEPS],
  applies: (s) => s.time !== undefined,
  queries: (s) => ({ months: monthlyCountsQuery(s.sql) }),
  findings(s, r) {
    const v = periodVolumes(r.months ?? [], s.time!.granularity);
    const perPeriod =
      v.min === v.max
        ? `${plural(v.min, 'row', fmtInt(v.min))} per ${v.unit}`
        : `median ${plural(v.median, 'row', fmtInt(v.median))} per ${v.unit}`;
    // Period keys (`1974-Q1`, `2023-11`) read as a client reads them: `1974 Q1`, `Nov 2023`.
    const period = (key: string | null): string => formatDate(key, v.unit);
    const range =
      v.first === null
        ? ''
        : v.first === v.last
          ? ` (${period(v.first)})`
          : ` (${period(v.first)} to ${period(v.last)})`;
    const empty = v.span - v.periods.length;
    return [
      finder(
        s,
        this.id,
        this.area,
      )({
        severity: 'info',
        key: 'months',
        title: `${plural(v.span, v.unit, fmtInt(v.span))} of data${range}, ${perPeriod}${empty > 0 ? `; ${plural(empty, v.unit, fmtInt(empty))} without rows` : ''}`,
        columns: [s.time!.column],
        evidence: {
          unit: v.unit,
          periods: v.span,
          periodsWithRows: v.periods.length,
          medianRowsPerPeriod: v.median,
          first: v.first,
          last: v.last,
        },
        details: v.periods.map((p) => ({ ...p })),
        sql: monthlyCountsQuery(s.sql),
        recommendation: `Use this volume per ${v.unit} to plan a time-based validation split (train on older ${v.unit}s, validate on the newest).`,
      }),
    ];
  },
};

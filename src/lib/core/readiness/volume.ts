import type { Finding } from '../audit/schema';
import {
  classCountsQuery,
  monthlyCountsQuery,
  totalRowsQuery,
  segmentClassCountsQuery,
} from '../sql/readiness-volume';
import { count, finder, first, fmtInt, fmtPct, q, round, toText } from './findings';
import type { CheckDefinition, ResultRow } from './types';
import { FEATURE_DEPS, LABEL_DEPS } from './deps';
import { periodVolumes, plural } from './time-encoding';

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

export const volumeRows: CheckDefinition = {
  id: 'volume-rows',
  area: 'volume',
  description: 'Rows overall, against the ≈10,000-record seed guidance (a reference, not a rule).',
  dependsOn: [],
  applies: () => true,
  queries: (s) => ({ rows: totalRowsQuery(s.sql) }),
  findings(s, r) {
    const rows = count(first(r.rows).rows);
    const reference = s.thresholds.seedGuidanceRows;
    return [
      finder(
        s,
        this.id,
        this.area,
      )({
        severity: 'info',
        key: 'rows',
        title: `${fmtInt(rows)} rows`,
        columns: [],
        evidence: { rows, seedGuidanceRows: reference, belowSeedGuidance: rows < reference },
        sql: totalRowsQuery(s.sql),
        recommendation:
          rows < reference
            ? `Below the ≈${fmtInt(reference)}-record seed guidance for a straightforward binary classification. That is a reference point, not a rule: judge volume by the minority-class count and events per variable.`
            : `Above the ≈${fmtInt(reference)}-record seed guidance; volume is judged by the minority-class count and events per variable.`,
      }),
    ];
  },
};

export const volumeClasses: CheckDefinition = {
  id: 'volume-classes',
  area: 'volume',
  description: 'Rows per class, the minority-class count, and whether the positive class exists.',
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
  description:
    'Events per variable: minority-class rows ÷ candidate features (rows ÷ features for regression).',
  dependsOn: [...FEATURE_DEPS, ...LABEL_DEPS],
  applies: (s) => s.label !== undefined,
  queries: () => ({}),
  findings(s) {
    const make = finder(s, this.id, this.area);
    const t = s.thresholds;
    const label = s.label!;
    const features = s.features.length;
    const sql = label.kind === 'classes' ? classCountsQuery(s.sql) : totalRowsQuery(s.sql);
    if (label.kind === 'numeric') {
      const spv = features > 0 ? label.labelled / features : null;
      const low = spv !== null && spv < t.subjectsPerVariableMajor;
      return [
        make({
          severity: low ? 'major' : 'info',
          key: 'epv',
          title:
            spv === null ? 'No candidate features' : `${round(spv, 1)} labelled rows per candidate feature`,
          columns: [label.column],
          evidence: {
            labelledRows: label.labelled,
            candidateFeatures: features,
            rowsPerFeature: round(spv, 2),
            threshold: t.subjectsPerVariableMajor,
          },
          sql,
          recommendation: low
            ? `Fewer than ${t.subjectsPerVariableMajor} rows per candidate feature (Harrell's m/15): reduce the candidate features or collect more labelled rows.`
            : 'Enough rows per candidate feature for a regression baseline.',
        }),
      ];
    }
    const events = label.minority?.rows ?? 0;
    const epv = features > 0 ? events / features : null;
    const severity =
      epv === null ? 'info' : epv < t.epvBlocker ? 'blocker' : epv < t.epvMajor ? 'major' : 'info';
    return [
      make({
        severity,
        key: 'epv',
        title:
          epv === null
            ? 'No candidate features to model with'
            : `Events per variable: ${round(epv, 1)} (${fmtInt(events)} minority rows ÷ ${features} candidate features)`,
        columns: [label.column],
        evidence: {
          events,
          minorityClass: label.minority?.display ?? null,
          candidateFeatures: features,
          epv: round(epv, 2),
          majorBelow: t.epvMajor,
          blockerBelow: t.epvBlocker,
          mlReferenceEpv: t.epvMlReference,
        },
        sql,
        recommendation:
          severity === 'info'
            ? `At least ${t.epvMajor} events per variable (Peduzzi et al. 1996). Flexible learners may need far more (≈${t.epvMlReference}, van der Ploeg et al. 2014): prefer regularised models if the EPV is near the threshold.`
            : `Below ${t.epvMajor} events per variable: cut the candidate features (exclude IDs, free text and redundant columns), group rare categories, use strong regularisation, or collect more minority-class examples.`,
      }),
    ];
  },
};

export const volumeSegments: CheckDefinition = {
  id: 'volume-segments',
  area: 'volume',
  description: 'Rows, labelled rows and positives per segment value.',
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
  description:
    'Rows, labelled rows and positives per period of the event time, in its own unit: years for a column of years, quarters for quarters, months otherwise.',
  dependsOn: ['eventTime', 'asOf', 'historyFrom', 'thresholds', ...LABEL_DEPS],
  applies: (s) => s.time !== undefined,
  queries: (s) => ({ months: monthlyCountsQuery(s.sql) }),
  findings(s, r) {
    const v = periodVolumes(r.months ?? [], s.time!.granularity);
    const perPeriod =
      v.min === v.max
        ? `${plural(v.min, 'row', fmtInt(v.min))} per ${v.unit}`
        : `median ${plural(v.median, 'row', fmtInt(v.median))} per ${v.unit}`;
    const range = v.first === null ? '' : v.first === v.last ? ` (${v.first})` : ` (${v.first} to ${v.last})`;
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

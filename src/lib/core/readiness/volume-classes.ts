import { rowsPerClassChart } from '../charts/check-charts';
import type { Finding } from '../model/audit';
import { classCountsQuery } from '../sql/readiness-volume';
import { count, finder, fmtInt, fmtPct, q, round, toText } from './findings';
import type { CheckDefinition } from './types';
import { LABEL_DEPS } from './deps';

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

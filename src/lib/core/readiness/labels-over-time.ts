import { labelsOverTimeChart } from '../charts/check-charts';
import type { Finding } from '../model/audit';
import { monthlyCountsQuery } from '../sql/readiness-volume';
import { LABEL_DEPS } from './deps';
import { count, finder, fmtInt, fmtPct, q, round, toNumber, toText } from './findings';
import { periodUnit, plural } from './time-encoding';
import type { CheckDefinition } from './types';
import { display } from './labels-common';

export const labelsOverTime: CheckDefinition = {
  id: 'labels-over-time',
  area: 'labels',
  meaning: 'The label rate changes over time; a model trained on the past may miss-estimate the future.',
  fix: 'upstream',
  owner: 'domain-expertise',
  chart: labelsOverTimeChart,
  inWords: 'label rates over time',
  description:
    'Label rate per month; months without labels and recent months whose positive rate collapses (immature labels).',
  evidence: {
    months: { label: 'Periods', kind: 'text' },
    overallRate: { label: 'Positive rate overall', kind: 'share' },
    positiveClass: { label: 'Positive class', kind: 'text' },
    list: { label: 'Periods without labels', kind: 'text' },
    ratioThreshold: { label: 'Immature below this share of the overall rate', kind: 'share' },
  },
  dependsOn: ['eventTime', 'asOf', 'historyFrom', 'thresholds', ...LABEL_DEPS],
  applies: (s) => s.label !== undefined && s.time !== undefined,
  queries: (s) => ({ months: monthlyCountsQuery(s.sql) }),
  findings(s, r) {
    const make = finder(s, this.id, this.area);
    const t = s.thresholds;
    const sql = monthlyCountsQuery(s.sql);
    const label = s.label!;
    const months = (r.months ?? []).map((m) => ({
      month: toText(m.month) ?? '',
      rows: count(m.rows),
      labelled: count(m.labelled),
      positives: count(m.positives),
      mean: toNumber(m.target_mean),
    }));
    // Months are the grouping; a column of years or quarters has one month per period, so say so in its unit.
    const unit = periodUnit(s.time!.granularity);
    const columns = [label.column, s.time!.column];
    const details = months.map((m) => ({
      month: m.month,
      rows: m.rows,
      labelled: m.labelled,
      ...(label.kind === 'classes'
        ? { positives: m.positives, rate: m.labelled ? round(m.positives / m.labelled) : null }
        : { mean: m.mean }),
    }));
    const totalLabelled = months.reduce((a, m) => a + m.labelled, 0);
    const totalPositives = months.reduce((a, m) => a + m.positives, 0);
    const overall = totalLabelled ? totalPositives / totalLabelled : 0;
    const out: Finding[] = [
      make({
        severity: 'info',
        key: 'summary',
        title:
          label.kind === 'classes'
            ? `${display(s)} rate per ${unit} over ${plural(months.length, unit, fmtInt(months.length))} (overall ${fmtPct(overall)})`
            : `Mean ${q(label.column)} per ${unit} over ${plural(months.length, unit, fmtInt(months.length))}`,
        columns,
        evidence: {
          months: months.length,
          overallRate: label.kind === 'classes' ? round(overall) : null,
          positiveClass: label.positiveDisplay ?? null,
        },
        details,
        sql,
        recommendation:
          'Look for steps in the label rate: a change in definition, process or data capture shows up here before it hurts the model.',
      }),
    ];
    const unlabelled = months.filter((m) => m.rows >= t.minGroupRows && m.labelled / m.rows < 0.5);
    if (unlabelled.length > 0)
      out.push(
        make({
          severity: 'minor',
          key: 'unlabelled-months',
          title: `${unlabelled.length} month${unlabelled.length === 1 ? '' : 's'} where most rows have no label`,
          columns,
          evidence: { months: unlabelled.length, list: unlabelled.map((m) => m.month).join(', ') },
          details: unlabelled.map((m) => ({ month: m.month, rows: m.rows, labelled: m.labelled })),
          sql,
          recommendation:
            'Labels are missing for whole months: check whether outcomes for that period were never loaded, and keep those months out of training and evaluation.',
        }),
      );
    // Immature labels are an outcome-window effect: judged for binary outcomes only (a multiclass mix is often seasonal).
    if (label.task === 'binary' && label.kind === 'classes' && overall > 0) {
      const recent = months
        .slice(-3)
        .filter(
          (m) => m.labelled >= t.minGroupRows && m.positives / m.labelled < t.immatureLabelRatio * overall,
        );
      if (recent.length > 0)
        out.push(
          make({
            severity: 'minor',
            key: 'immature',
            title: `Recent months have a much lower ${display(s)} rate: labels may not have matured`,
            columns,
            evidence: {
              months: recent.map((m) => m.month).join(', '),
              overallRate: round(overall),
              ratioThreshold: t.immatureLabelRatio,
            },
            details: recent.map((m) => ({
              month: m.month,
              labelled: m.labelled,
              rate: round(m.positives / m.labelled),
            })),
            sql,
            recommendation:
              'Outcomes that take time to happen are still open for the newest rows. Leave out rows younger than the outcome window, or label them only once the window has passed.',
          }),
        );
    }
    return out;
  },
};

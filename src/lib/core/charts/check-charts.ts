import type { TopLevelSpec } from 'vega-lite';
import type { Finding } from '../model/audit';
import {
  categoryBarSpec,
  classSharesSpec,
  featureStrengthSpec,
  groupValues,
  labelRateByMonthSpec,
  labelRateBySourceSpec,
  num,
  rowsByHourSpec,
  rowsByMonthSpec,
  targetMeanByMonthSpec,
} from './finding-charts';

/**
 * The chart builder of each check that has one, `(finding) => spec`. A check
 * names its builder on its definition (`chart`); the builders read only the
 * finding's `details` rows and evidence, and return null when there is
 * nothing to draw.
 */

type Row = Record<string, unknown>;

function has(details: readonly Row[], field: string): boolean {
  return details.some((r) => field in r);
}

function evidenceNumber(finding: Finding, key: string): number | null {
  return num(finding.evidence[key]);
}

/** The finding's details rows, or null when it has none (no chart then). */
function rowsOf(finding: Finding): readonly Row[] | null {
  const d = finding.details ?? [];
  return d.length > 0 ? d : null;
}

/** Rows per month (volume-months, coverage-gaps). */
export function rowsByMonthChart(finding: Finding): TopLevelSpec | null {
  const d = rowsOf(finding);
  return d && has(d, 'month') && has(d, 'rows') ? rowsByMonthSpec(d) : null;
}

/** Label rate, or the target's mean, per month (labels-over-time). */
export function labelsOverTimeChart(finding: Finding): TopLevelSpec | null {
  const d = rowsOf(finding);
  if (!d) return null;
  if (has(d, 'rate')) return labelRateByMonthSpec(d, evidenceNumber(finding, 'overallRate'));
  if (has(d, 'mean')) return targetMeanByMonthSpec(d);
  return null;
}

/** Label rate, class shares or target mean per source (labels-by-source). */
export function labelsBySourceChart(finding: Finding): TopLevelSpec | null {
  const d = rowsOf(finding);
  if (!d) return null;
  if (has(d, 'positiveRate'))
    return labelRateBySourceSpec(
      d,
      evidenceNumber(finding, 'overallPositiveRate') ?? evidenceNumber(finding, 'typicalRate'),
    );
  if (d.some((r) => Object.keys(r).some((k) => k.startsWith('share:'))))
    return classSharesSpec(d, 'source', {
      title: 'Class shares by source',
      groupTitle: 'Source',
      prefix: 'share:',
    });
  if (has(d, 'mean'))
    return categoryBarSpec(groupValues(d, 'source', 'mean'), {
      title: 'Target mean by source',
      valueTitle: 'Mean',
      keepOrder: true,
    });
  return null;
}

/** Class shares per period: years, or quarters for short histories (coverage-class-balance; see its `grain`). */
export function classBalanceChart(finding: Finding): TopLevelSpec | null {
  const d = rowsOf(finding);
  return d && has(d, 'period')
    ? classSharesSpec(d, 'period', { title: 'Class balance over time', groupTitle: 'Period' })
    : null;
}

/** Rows per class (volume-classes). */
export function rowsPerClassChart(finding: Finding): TopLevelSpec | null {
  const d = rowsOf(finding);
  return d
    ? categoryBarSpec(groupValues(d, 'class', 'rows'), { title: 'Rows per class', valueTitle: 'Rows' })
    : null;
}

/** Rows per segment, when there are several (volume-segments). */
export function rowsPerSegmentChart(finding: Finding): TopLevelSpec | null {
  const d = rowsOf(finding);
  return d && d.length > 1
    ? categoryBarSpec(groupValues(d, 'segment', 'rows'), { title: 'Rows per segment', valueTitle: 'Rows' })
    : null;
}

/** Empty share per source (consistency-nulls). */
export function emptyShareBySourceChart(finding: Finding): TopLevelSpec | null {
  const d = rowsOf(finding);
  return d
    ? categoryBarSpec(groupValues(d, 'source', 'nullRate'), {
        title: 'Empty share by source',
        valueTitle: 'Empty share',
        percent: true,
        keepOrder: true,
      })
    : null;
}

/** Median per source (consistency-scale). */
export function medianBySourceChart(finding: Finding): TopLevelSpec | null {
  const d = rowsOf(finding);
  return d
    ? categoryBarSpec(groupValues(d, 'source', 'median'), {
        title: 'Median by source',
        valueTitle: 'Median',
        keepOrder: true,
      })
    : null;
}

/** Single-feature strength per feature (leakage-single-feature's summary). */
export function featureStrengthChart(finding: Finding): TopLevelSpec | null {
  const d = rowsOf(finding);
  return d && has(d, 'column') ? featureStrengthSpec(d) : null;
}

/** Rows per hour, or the midnight share per source (time-of-day). */
export function timeOfDayChart(finding: Finding): TopLevelSpec | null {
  const d = rowsOf(finding);
  if (!d) return null;
  if (has(d, 'hour')) return rowsByHourSpec(d);
  if (has(d, 'source') && has(d, 'share'))
    return categoryBarSpec(groupValues(d, 'source', 'share'), {
      title: 'Share at exactly 00:00:00 by source',
      valueTitle: 'Share',
      percent: true,
      keepOrder: true,
    });
  return null;
}

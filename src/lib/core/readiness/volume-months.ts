import { rowsByMonthChart } from '../charts/check-charts';
import { monthlyCountsQuery } from '../sql/readiness-volume';
import { finder, fmtInt } from './findings';
import type { CheckDefinition } from './types';
import { LABEL_DEPS } from './deps';
import { periodVolumes, plural } from './time-encoding';
import { formatDate } from '../format';

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

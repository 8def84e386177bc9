import { READINESS_THRESHOLDS } from '../thresholds';
import { rowsByMonthChart } from '../charts/check-charts';
import { formatDate } from '../format';
import type { Finding } from '../model/audit';
import { monthGapsQuery } from '../sql/readiness-coverage';
import { count, finder, fmtInt, fmtPct, median, toText } from './findings';
import { plural } from './time-encoding';
import type { CheckDefinition } from './types';
import { TIME_DEPS, gapUnit, timeQuery, timeRows } from './coverage-time';

function gcd(a: number, b: number): number {
  return b === 0 ? a : gcd(b, a % b);
}

/**
 * The step, in periods, between a series' readings: the gcd of the distances
 * between filled periods (1 for a continuous series). The series starts at a
 * filled period, so index 0 is on the cadence. Needs three readings.
 */
export function cadenceOf(
  periods: readonly { rows: number }[],
  minReadings: number = READINESS_THRESHOLDS.minGapPeriods,
): number {
  const filled = periods.flatMap((p, i) => (p.rows > 0 ? [i] : []));
  if (filled.length < minReadings) return 1;
  let step = 0;
  for (let k = 1; k < filled.length; k++) step = gcd(step, filled[k]! - filled[k - 1]!);
  return Math.max(1, step);
}

export const coverageGaps: CheckDefinition = {
  id: 'coverage-gaps',
  area: 'coverage',
  meaning: 'Months without data leave holes that skew trends and time-based validation.',
  fix: 'collect-more-data',
  owner: 'source-owner',
  chart: rowsByMonthChart,
  description:
    'Months (years or quarters, for a column of years or quarters) with no rows, or far fewer rows than the median; a gap in the same calendar month every year is reported as seasonal. A history too thin to judge by counts is still judged when it is regular (the same rows in every filled period, as one reading a quarter).',
  evidence: {
    months: { label: 'Months', kind: 'text' },
    emptyMonths: { label: 'Empty months', kind: 'count' },
    sparseMonths: { label: 'Sparse months', kind: 'count' },
    medianRowsPerMonth: { label: 'Median rows per month', kind: 'number' },
    minMedian: { label: 'Judged from a median of', kind: 'count', unit: 'row' },
    cadence: { label: 'Cadence', kind: 'text' },
    ratio: { label: 'Sparse below this share of the median', kind: 'share' },
  },
  dependsOn: TIME_DEPS,
  applies: (s) => s.time !== undefined,
  queries: (s) => ({ time: timeQuery(s) }),
  findings(s, r) {
    const make = finder(s, this.id, this.area);
    const t = s.thresholds;
    const unit = gapUnit(s);
    const sql = monthGapsQuery(s.sql, unit);
    const all = timeRows(r, 'months').map((m) => ({ month: toText(m.month) ?? '', rows: count(m.rows) }));
    // A series read every k periods (a census every 10 years, a survey every 5) is empty in between by
    // design: judge only the periods on its cadence, the gcd of the steps between filled periods.
    const cadence = cadenceOf(all, t.minGapPeriods);
    const months = cadence > 1 ? all.filter((_, i) => i % cadence === 0) : all;
    if (months.length < t.minGapPeriods) return [];
    const filled = months.filter((m) => m.rows > 0).map((m) => m.rows);
    const typical = median(filled) ?? 0;
    const empty = months.filter((m) => m.rows === 0);
    const column = s.time!.column;
    const every = cadence > 1 ? ` (one reading every ${cadence} ${unit}s)` : '';
    const out: Finding[] = [];
    // A regular series (the same rows in every filled period: one reading a quarter, ten firms a year)
    // shows a missing period however few rows it has; only irregular thin histories are left unjudged.
    const regular = filled.length >= t.minGapPeriods && filled.every((n) => n === filled[0]);
    if (typical < t.minMedianMonthRows && !regular) {
      if (empty.length > 0)
        out.push(
          make({
            severity: 'info',
            key: 'sparse-history',
            title: `History too thin to judge ${unit}ly gaps: median ${plural(typical, 'row', fmtInt(typical))} per ${unit}, ${plural(empty.length, `empty ${unit}`)}`,
            columns: [column],
            evidence: {
              months: months.length,
              emptyMonths: empty.length,
              medianRowsPerMonth: typical,
              minMedian: t.minMedianMonthRows,
            },
            sql,
            recommendation:
              'Judge coverage by year rather than by month, or restrict the audit to the period the model will be trained on.',
          }),
        );
      return out;
    }
    // The same calendar month empty in several years is a season (a league's summer break), not a broken extract.
    const emptyPerCalendarMonth = new Map<string, number>();
    for (const m of empty)
      emptyPerCalendarMonth.set(m.month.slice(5), (emptyPerCalendarMonth.get(m.month.slice(5)) ?? 0) + 1);
    const seasonal =
      unit !== 'year' &&
      empty.length >= 2 &&
      empty.every((m) => (emptyPerCalendarMonth.get(m.month.slice(5)) ?? 0) >= 2);
    if (empty.length > 0)
      out.push(
        make({
          severity: seasonal ? 'minor' : 'major',
          key: 'empty',
          title: `${empty.length} ${unit}${empty.length === 1 ? '' : 's'} with no rows: ${empty
            .slice(0, 6)
            .map((m) => formatDate(m.month, unit))
            .join(
              ', ',
            )}${empty.length > 6 ? ', …' : ''}${every}${seasonal ? ' (the same calendar months every year: a seasonal pause?)' : ''}`,
          columns: [column],
          evidence: {
            emptyMonths: empty.length,
            months: empty.map((m) => formatDate(m.month, unit)).join(', '),
            medianRowsPerMonth: typical,
            cadence,
          },
          details: months,
          sql,
          recommendation: seasonal
            ? 'The gaps recur in the same calendar months, which suggests a seasonal pause (a sports off-season, a closed period) rather than lost data. Confirm it with the source owner, and make sure validation windows and the prediction period respect the season.'
            : `A ${unit} with no data is usually a broken extract or a system migration. Recover the missing period, or keep it out of validation windows and check that the model does not learn the gap as a seasonal effect.`,
        }),
      );
    const interior = months.slice(1, -1);
    const sparse = interior.filter((m) => m.rows > 0 && m.rows < t.sparseMonthRatio * typical);
    if (sparse.length > 0)
      out.push(
        make({
          severity: 'minor',
          key: 'sparse',
          title: `${sparse.length} ${unit}${sparse.length === 1 ? '' : 's'} with under ${fmtPct(t.sparseMonthRatio, 0)} of the usual volume: ${sparse
            .slice(0, 6)
            .map((m) => m.month)
            .join(', ')}`,
          columns: [column],
          evidence: {
            sparseMonths: sparse.length,
            months: sparse.map((m) => `${m.month} (${m.rows})`).join(', '),
            medianRowsPerMonth: typical,
            ratio: t.sparseMonthRatio,
          },
          details: months,
          sql,
          recommendation:
            'Find out why volume drops in these months (partial extract, outage, migration) before relying on them for training or validation.',
        }),
      );
    return out;
  },
};

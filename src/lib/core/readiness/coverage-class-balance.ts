import { classBalanceChart } from '../charts/check-charts';
import { formatPValue } from '../format';
import { classByPeriodQuery, classByPeriodsQuery } from '../sql/readiness-coverage';
import { chiSquareHomogeneity } from '../stats/chi-square';
import { LABEL_DEPS } from './deps';
import { count, finder, fmtPct, round, toText } from './findings';
import type { CheckDefinition, ResultRow } from './types';
import { TIME_DEPS } from './coverage-time';

/** Period × class counts from a `classByPeriodQuery` result. */
function periodTable(
  rows: readonly ResultRow[],
  minRows: number,
): { periods: string[]; classes: string[]; table: number[][] } {
  const periods: string[] = [];
  const classes: string[] = [];
  const cells = new Map<string, number>();
  for (const row of rows) {
    const period = toText(row.period) ?? '';
    const label = toText(row.label) ?? '';
    if (!periods.includes(period)) periods.push(period);
    if (!classes.includes(label)) classes.push(label);
    cells.set(`${period}\u0000${label}`, count(row.rows));
  }
  classes.sort();
  const table = periods.map((p) => classes.map((c) => cells.get(`${p}\u0000${c}`) ?? 0));
  const keep = table
    .map((row, i) => (row.reduce((a, b) => a + b, 0) >= minRows ? i : -1))
    .filter((i) => i >= 0);
  return { periods: keep.map((i) => periods[i]!), classes, table: keep.map((i) => table[i]!) };
}

export const coverageClassBalance: CheckDefinition = {
  id: 'coverage-class-balance',
  area: 'coverage',
  meaning: 'The class balance shifts over time, so past performance may not carry forward.',
  fix: 'collect-more-data',
  owner: 'source-owner',
  chart: classBalanceChart,
  inWords: 'class balance over time',
  description:
    'Class balance per calendar year (per quarter when there are fewer than three years), with a chi-square test and the periods that deviate. Years are preferred because quarters mix in seasonality.',
  evidence: {
    grain: { label: 'Periods compared', kind: 'text' },
    chiSquare: { label: 'χ² statistic', kind: 'number' },
    df: { label: 'Degrees of freedom', kind: 'count' },
    pValue: { label: 'p-value', kind: 'number', digits: 4 },
    deviations: { label: 'Largest deviations', kind: 'text' },
  },
  dependsOn: [...TIME_DEPS, ...LABEL_DEPS],
  applies: (s) => s.time !== undefined && s.label?.kind === 'classes',
  queries: (s) => ({ periods: classByPeriodsQuery(s.sql) }),
  findings(s, r) {
    const t = s.thresholds;
    const ofGrain = (grain: string): ResultRow[] => (r.periods ?? []).filter((x) => x.grain === grain);
    const years = periodTable(ofGrain('year'), t.minGroupRows);
    const grain = years.periods.length >= t.minBalanceYears ? 'year' : 'quarter';
    const { periods, classes, table } =
      grain === 'year' ? years : periodTable(ofGrain('quarter'), t.minGroupRows);
    const test = chiSquareHomogeneity(table);
    if (!test || test.pValue >= t.chiSquareAlpha) return [];
    const total = table.flat().reduce((a, b) => a + b, 0);
    const colTotals = classes.map((_, j) => table.reduce((a, row) => a + row[j]!, 0));
    const display = (c: string): string => s.label!.classes.find((x) => x.label === c)?.display ?? c;
    const flagged: { period: string; label: string; share: number; rest: number; residual: number }[] = [];
    table.forEach((row, k) => {
      const n = row.reduce((a, b) => a + b, 0);
      row.forEach((cell, j) => {
        const residual = test.adjustedResiduals[k]![j]!;
        const share = cell / n;
        const rest = (colTotals[j]! - cell) / (total - n);
        if (Math.abs(residual) >= t.residualThreshold && Math.abs(share - rest) >= t.labelRateDiffMajor)
          flagged.push({ period: periods[k]!, label: display(classes[j]!), share, rest, residual });
      });
    });
    if (flagged.length === 0) return [];
    flagged.sort((a, b) => Math.abs(b.residual) - Math.abs(a.residual));
    return [
      finder(
        s,
        this.id,
        this.area,
      )({
        severity: 'minor',
        key: s.label!.column,
        title: `Class balance shifts over time: ${flagged.length} ${grain} × class cells deviate (${formatPValue(test.pValue)})`,
        columns: [s.label!.column, s.time!.column],
        evidence: {
          grain,
          chiSquare: round(test.statistic, 4),
          df: test.df,
          pValue: test.pValue,
          deviations: flagged
            .slice(0, 8)
            .map((f) => `${f.period} ${f.label}: ${fmtPct(f.share)} vs ${fmtPct(f.rest)}`)
            .join('; '),
        },
        details: periods.map((p, i) => ({
          period: p,
          ...Object.fromEntries(classes.map((c, j) => [display(c), table[i]![j]!])),
        })),
        sql: classByPeriodQuery(s.sql, grain),
        recommendation:
          'The class mix changes over time: a changed definition, process or population. Validate on the most recent period, and find out whether the shift is real or an artefact of how labels were recorded.',
      }),
    ];
  },
};

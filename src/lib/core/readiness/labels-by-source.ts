import { labelsBySourceChart } from '../charts/check-charts';
import { formatPValue } from '../format';
import type { Finding } from '../model/audit';
import { labelBySourceQuery } from '../sql/readiness-labels';
import { chiSquareHomogeneity } from '../stats/chi-square';
import { LABEL_DEPS } from './deps';
import { count, finder, fmtPct, median, q, round, toNumber, toText } from './findings';
import type { CheckDefinition, ResultRow } from './types';
import { countsQueries, countsRows } from './labels-common';

interface SourceRates {
  source: string;
  rows: number;
  shares: number[];
  residuals: number[];
}

/** Contingency of labelled rows: sources × classes. */
function contingency(rows: readonly ResultRow[]): {
  sources: string[];
  classes: string[];
  table: number[][];
} {
  const sources: string[] = [];
  const classes: string[] = [];
  const cells = new Map<string, number>();
  for (const row of rows) {
    const source = toText(row.source) ?? '(missing)';
    const label = toText(row.label) ?? '(missing)';
    if (!sources.includes(source)) sources.push(source);
    if (!classes.includes(label)) classes.push(label);
    cells.set(`${source}\u0000${label}`, (cells.get(`${source}\u0000${label}`) ?? 0) + count(row.rows));
  }
  classes.sort();
  const table = sources.map((src) => classes.map((c) => cells.get(`${src}\u0000${c}`) ?? 0));
  return { sources, classes, table };
}

export const labelsBySource: CheckDefinition = {
  id: 'labels-by-source',
  area: 'labels',
  meaning:
    'A source labels differently from the others; the model may learn the source instead of the outcome.',
  fix: 'upstream',
  owner: 'domain-expertise',
  chart: labelsBySourceChart,
  inWords: 'label rates by source',
  description:
    'Label rate per source system, with a chi-square test of homogeneity and the sources that deviate (adjusted residuals).',
  evidence: {
    sources: { label: 'Sources', kind: 'count' },
    chiSquare: { label: 'χ² statistic', kind: 'number' },
    df: { label: 'Degrees of freedom', kind: 'count' },
    pValue: { label: 'p-value', kind: 'number', digits: 4 },
    alpha: { label: 'Significance level', kind: 'number' },
    overallPositiveRate: { label: 'Positive rate overall', kind: 'share' },
    'share:*': { label: 'Share of “{}”', kind: 'share' },
    source: { label: 'Source', kind: 'text' },
    rows: { label: 'Rows', kind: 'count' },
    rate: { label: 'Positive rate in this source', kind: 'share' },
    typicalRate: { label: 'Positive rate in a typical source', kind: 'share' },
    restRate: { label: 'Positive rate in the other sources', kind: 'share' },
    difference: { label: 'Difference', kind: 'share' },
    adjustedResidual: { label: 'Adjusted residual', kind: 'number' },
    residualThreshold: { label: 'Flagged from a residual of', kind: 'number' },
    minDifference: { label: 'Major from a difference of', kind: 'share' },
  },
  dependsOn: ['source', ...LABEL_DEPS, 'thresholds'],
  applies: (s) => s.label !== undefined && s.source !== undefined,
  queries: (s) => countsQueries(s, 'bySource', () => labelBySourceQuery(s.sql)),
  findings(s, r) {
    const bySource = countsRows(s, r, 'bySource', 'by-source');
    const make = finder(s, this.id, this.area);
    const t = s.thresholds;
    const sql = labelBySourceQuery(s.sql);
    const label = s.label!;
    const sourceColumn = s.source!.name;
    if (label.kind === 'numeric') {
      return [
        make({
          severity: 'info',
          key: 'summary',
          title: `Target ${q(label.column)} by source system`,
          columns: [label.column, sourceColumn],
          evidence: { sources: bySource.length },
          details: bySource.map((row) => ({
            source: row.source ?? null,
            rows: count(row.rows),
            mean: toNumber(row.mean),
            median: toNumber(row.median),
          })),
          sql,
          recommendation:
            'Compare the target’s level per source; a source with a different level may define or measure the target differently.',
        }),
      ];
    }
    const { sources, classes, table } = contingency(bySource);
    const test = chiSquareHomogeneity(table);
    const total = table.flat().reduce((a, b) => a + b, 0);
    const colTotals = classes.map((_, j) => table.reduce((a, row) => a + (row[j] ?? 0), 0));
    const pos = label.positive !== undefined ? classes.indexOf(label.positive) : -1;
    const rates: SourceRates[] = sources.map((source, i) => {
      const row = table[i]!;
      const n = row.reduce((a, b) => a + b, 0);
      return {
        source,
        rows: n,
        shares: row.map((k) => (n ? k / n : 0)),
        residuals: test?.adjustedResiduals[i] ?? row.map(() => 0),
      };
    });
    const restShares = (i: number): number[] => {
      const restN = total - rates[i]!.rows;
      return classes.map((_, j) => (restN ? (colTotals[j]! - table[i]![j]!) / restN : 0));
    };
    const display = (c: string): string => label.classes.find((x) => x.label === c)?.display ?? c;
    const binary = label.task === 'binary' && pos >= 0;
    const details = rates.map((x) => ({
      source: x.source,
      rows: x.rows,
      ...(binary ? { positiveRate: round(x.shares[pos]!), residual: round(x.residuals[pos]!, 2) } : {}),
      ...Object.fromEntries(classes.map((c, j) => [`share:${display(c)}`, round(x.shares[j]!)])),
    }));
    const overall = binary && total ? colTotals[pos]! / total : null;
    const out: Finding[] = [
      make({
        severity: 'info',
        key: 'summary',
        title: test
          ? `Label rate by source: χ² = ${round(test.statistic, 1)}, df = ${test.df}, ${formatPValue(test.pValue)}`
          : `Label rate by source: only one source with labels`,
        columns: [label.column, sourceColumn],
        evidence: {
          sources: sources.length,
          chiSquare: test ? round(test.statistic, 4) : null,
          df: test?.df ?? null,
          pValue: test?.pValue ?? null,
          alpha: t.chiSquareAlpha,
          overallPositiveRate: overall === null ? null : round(overall),
        },
        details,
        sql,
        recommendation:
          'Sources that label differently make the model learn the source, not the outcome. Check each deviating source below.',
      }),
    ];
    if (!test || test.pValue >= t.chiSquareAlpha) return out;
    // The typical source is the median over sources (robust to the deviating one); comparing each
    // source with "all the others" would make every other source look deviant too.
    const judged = rates.filter((x) => x.rows >= t.minGroupRows);
    const typical = classes.map((_, j) => median(judged.map((x) => x.shares[j]!)) ?? 0);
    const typicalSum = typical.reduce((a, b) => a + b, 0) || 1;
    const center = typical.map((v) => v / typicalSum);
    rates.forEach((x, i) => {
      if (x.rows < t.minGroupRows) return;
      const rest = restShares(i);
      let deviates: boolean;
      let diff: number;
      let residual: number;
      if (binary) {
        residual = x.residuals[pos]!;
        diff = x.shares[pos]! - typical[pos]!;
        deviates = Math.abs(residual) >= t.residualThreshold && Math.abs(diff) >= t.labelRateDiffMajor;
      } else {
        residual = x.residuals.reduce((a, b) => (Math.abs(b) > Math.abs(a) ? b : a), 0);
        diff = 0.5 * x.shares.reduce((a, share, j) => a + Math.abs(share - center[j]!), 0);
        deviates = Math.abs(residual) >= t.residualThreshold && diff >= t.labelRateDiffMajor;
      }
      if (!deviates) return;
      out.push(
        make({
          severity: 'major',
          key: `source:${x.source}`,
          title: binary
            ? `Source ${q(x.source)} has a ${fmtPct(x.shares[pos]!)} ${display(label.positive!)} rate; the typical source has ${fmtPct(typical[pos]!)}`
            : `Source ${q(x.source)} has a different class mix (total-variation distance ${round(diff, 3)} from the typical source)`,
          columns: [label.column, sourceColumn],
          evidence: {
            source: x.source,
            rows: x.rows,
            rate: binary ? round(x.shares[pos]!) : null,
            typicalRate: binary ? round(typical[pos]!) : null,
            restRate: binary ? round(rest[pos]!) : null,
            difference: round(diff),
            adjustedResidual: round(residual, 2),
            pValue: test.pValue,
            residualThreshold: t.residualThreshold,
            minDifference: t.labelRateDiffMajor,
          },
          details,
          sql,
          recommendation: `Find out whether ${q(x.source)} defines or records the outcome differently (another definition, time window or population). Harmonise the label, model the source explicitly, or keep the source out and say so.`,
        }),
      );
    });
    return out;
  },
};

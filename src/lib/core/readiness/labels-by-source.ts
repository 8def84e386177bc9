import { labelsBySourceChart } from '../charts/check-charts';
import { formatPValue } from '../format';
import type { Finding } from '../model/audit';
import { labelBySourceQuery } from '../sql/readiness-labels';
import { chiSquareHomogeneity } from '../stats/chi-square';
import { LABEL_DEPS } from './deps';
import { count, finder, fmtPct, median, q, round, toNumber, toText } from './findings';
import type { CheckDefinition, LabelFacts, ReadinessSetup, ResultRow } from './types';
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
    const label = s.label!;
    const c: SourceCheck = {
      make: finder(s, this.id, this.area),
      t: s.thresholds,
      label,
      columns: [label.column, s.source!.name],
      sql: labelBySourceQuery(s.sql),
    };
    if (label.kind === 'numeric') return [numericSummary(c, bySource)];
    const mix = sourceMix(bySource, label);
    const summary = mixSummary(c, mix);
    if (!mix.test || mix.test.pValue >= c.t.chiSquareAlpha) return [summary];
    return [summary, ...deviatingSources(c, mix, mix.test.pValue)];
  },
};

/** What every finding of the check reads. */
interface SourceCheck {
  make: ReturnType<typeof finder>;
  t: ReadinessSetup['thresholds'];
  label: LabelFacts;
  columns: string[];
  sql: string;
}

/** The class mix per source, tested for homogeneity. */
interface SourceMix {
  classes: string[];
  table: number[][];
  test: ReturnType<typeof chiSquareHomogeneity>;
  total: number;
  colTotals: number[];
  rates: SourceRates[];
  /** Index of the positive class in `classes`; -1 when there is none. */
  pos: number;
  binary: boolean;
  display: (c: string) => string;
  details: Record<string, unknown>[];
  overall: number | null;
}

function numericSummary({ make, label, columns, sql }: SourceCheck, bySource: readonly ResultRow[]): Finding {
  return make({
    severity: 'info',
    key: 'summary',
    title: `Target ${q(label.column)} by source system`,
    columns,
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
  });
}

function sourceMix(bySource: readonly ResultRow[], label: LabelFacts): SourceMix {
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
  const display = (c: string): string => label.classes.find((x) => x.label === c)?.display ?? c;
  const binary = label.task === 'binary' && pos >= 0;
  const details = rates.map((x) => ({
    source: x.source,
    rows: x.rows,
    ...(binary ? { positiveRate: round(x.shares[pos]!), residual: round(x.residuals[pos]!, 2) } : {}),
    ...Object.fromEntries(classes.map((c, j) => [`share:${display(c)}`, round(x.shares[j]!)])),
  }));
  const overall = binary && total ? colTotals[pos]! / total : null;
  return { classes, table, test, total, colTotals, rates, pos, binary, display, details, overall };
}

function mixSummary({ make, t, columns, sql }: SourceCheck, mix: SourceMix): Finding {
  const { test, overall } = mix;
  return make({
    severity: 'info',
    key: 'summary',
    title: test
      ? `Label rate by source: χ² = ${round(test.statistic, 1)}, df = ${test.df}, ${formatPValue(test.pValue)}`
      : `Label rate by source: only one source with labels`,
    columns,
    evidence: {
      sources: mix.rates.length,
      chiSquare: test ? round(test.statistic, 4) : null,
      df: test?.df ?? null,
      pValue: test?.pValue ?? null,
      alpha: t.chiSquareAlpha,
      overallPositiveRate: overall === null ? null : round(overall),
    },
    details: mix.details,
    sql,
    recommendation:
      'Sources that label differently make the model learn the source, not the outcome. Check each deviating source below.',
  });
}

/** A major finding per source (with enough rows) whose class mix departs from the typical source's. */
function deviatingSources(c: SourceCheck, mix: SourceMix, pValue: number): Finding[] {
  const { t } = c;
  const { classes, rates } = mix;
  // The typical source is the median over sources (robust to the deviating one); comparing each
  // source with "all the others" would make every other source look deviant too.
  const judged = rates.filter((x) => x.rows >= t.minGroupRows);
  const typical = classes.map((_, j) => median(judged.map((x) => x.shares[j]!)) ?? 0);
  const typicalSum = typical.reduce((a, b) => a + b, 0) || 1;
  const center = typical.map((v) => v / typicalSum);
  const out: Finding[] = [];
  rates.forEach((x, i) => {
    if (x.rows < t.minGroupRows) return;
    const { deviates, diff, residual } = deviation(x, mix, typical, center, t);
    if (deviates) out.push(deviatingSource(c, mix, i, typical, diff, residual, pValue));
  });
  return out;
}

/** How far a source departs: the positive rate for a binary target, the total-variation distance otherwise. */
function deviation(
  x: SourceRates,
  { binary, pos }: SourceMix,
  typical: number[],
  center: number[],
  t: ReadinessSetup['thresholds'],
): { deviates: boolean; diff: number; residual: number } {
  if (binary) {
    const residual = x.residuals[pos]!;
    const diff = x.shares[pos]! - typical[pos]!;
    const deviates = Math.abs(residual) >= t.residualThreshold && Math.abs(diff) >= t.labelRateDiffMajor;
    return { deviates, diff, residual };
  }
  const residual = x.residuals.reduce((a, b) => (Math.abs(b) > Math.abs(a) ? b : a), 0);
  const diff = 0.5 * x.shares.reduce((a, share, j) => a + Math.abs(share - center[j]!), 0);
  const deviates = Math.abs(residual) >= t.residualThreshold && diff >= t.labelRateDiffMajor;
  return { deviates, diff, residual };
}

/** The share of each class among the other sources' rows. */
function restShares({ classes, table, total, colTotals, rates }: SourceMix, i: number): number[] {
  const restN = total - rates[i]!.rows;
  return classes.map((_, j) => (restN ? (colTotals[j]! - table[i]![j]!) / restN : 0));
}

function deviatingSource(
  { make, t, label, columns, sql }: SourceCheck,
  mix: SourceMix,
  i: number,
  typical: number[],
  diff: number,
  residual: number,
  pValue: number,
): Finding {
  const { binary, pos, display } = mix;
  const x = mix.rates[i]!;
  const rest = restShares(mix, i);
  return make({
    severity: 'major',
    key: `source:${x.source}`,
    title: binary
      ? `Source ${q(x.source)} has a ${fmtPct(x.shares[pos]!)} ${display(label.positive!)} rate; the typical source has ${fmtPct(typical[pos]!)}`
      : `Source ${q(x.source)} has a different class mix (total-variation distance ${round(diff, 3)} from the typical source)`,
    columns,
    evidence: {
      source: x.source,
      rows: x.rows,
      rate: binary ? round(x.shares[pos]!) : null,
      typicalRate: binary ? round(typical[pos]!) : null,
      restRate: binary ? round(rest[pos]!) : null,
      difference: round(diff),
      adjustedResidual: round(residual, 2),
      pValue,
      residualThreshold: t.residualThreshold,
      minDifference: t.labelRateDiffMajor,
    },
    details: mix.details,
    sql,
    recommendation: `Find out whether ${q(x.source)} defines or records the outcome differently (another definition, time window or population). Harmonise the label, model the source explicitly, or keep the source out and say so.`,
  });
}

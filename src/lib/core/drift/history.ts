import type { Finding } from '../model/audit';
import { formatShare } from '../format';
import { GENERIC_MEANING, type FindingKindDefinition } from '../readiness/finding-facts';
import { ident, str } from '../sql/quote';
import {
  bucketSql,
  categoryCountsQuery,
  categoryValueSql,
  monthlyBucketCountsQuery,
  monthsQuery,
  referenceQuantilesQuery,
  sideValuesQuery,
  type BucketSpec,
  type DriftSide,
} from '../sql/drift';
import { canonicalLabel, type TimeRef } from '../sql/readiness-common';
import { chiSquareDrift, jensenShannon, psi } from '../stats/drift';
import { resolveDriftThresholds, type DriftThresholds } from '../thresholds';
import { decileLevels, driftKind, type DriftColumnInput } from './columns';
import type { Analysis, QueryResults, Row, Statements } from '../pipeline/stage';
import { classRates, driftedClassesText, labelRateRule, labelVerdict } from './label-rates';
import type { DriftHistory, HistoryCell } from '../model/drift';

/**
 * How drift-history findings read: the label and kind of every evidence key;
 * no sentence of their own yet, and ML engineering acts on them in the pipeline.
 */
export const DRIFT_HISTORY_KIND: FindingKindDefinition = {
  id: 'drift-history',
  area: 'drift',
  meaning: GENERIC_MEANING,
  fix: 'pipeline',
  owner: 'ml-engineering',
  evidence: {
    monthsCompared: { label: 'Months compared', kind: 'count' },
    monthsDrifted: { label: 'Months whose class rates moved', kind: 'count' },
    monthsModerate: { label: 'Months with a moderate shift', kind: 'count' },
    monthsMajor: { label: 'Months with a strong shift', kind: 'count' },
    worstMonth: { label: 'Worst month', kind: 'date', granularity: 'month' },
    worstMonthRates: { label: 'Class rates that month', kind: 'text' },
    worstPsi: { label: 'PSI in the worst month', kind: 'number' },
    referenceWindow: { label: 'Reference months', kind: 'text' },
    rule: { label: 'Rule', kind: 'text' },
  },
};

export interface HistoryInput {
  side: DriftSide;
  time: TimeRef;
  columns: readonly DriftColumnInput[];
  /** The label column, added as one more row of the heatmap (canonical classes). */
  label?: string;
  thresholds?: Partial<DriftThresholds>;
}

function n(value: unknown): number {
  return typeof value === 'bigint' ? Number(value) : Number(value);
}

function round(value: number): number {
  return Number(value.toPrecision(6));
}

/** Month after `YYYY-MM` as an ISO date `YYYY-MM-01`. */
function nextMonthStart(month: string): string {
  const [y, m] = month.split('-').map(Number) as [number, number];
  const next = m === 12 ? [y + 1, 1] : [y, m + 1];
  return `${String(next[0]).padStart(4, '0')}-${String(next[1]).padStart(2, '0')}-01`;
}

/** PSI of every month against the reference window, from counts per month and bucket. */
export function monthlyPsi(
  column: string,
  rows: readonly { month: string; bucket: string | null; n: number }[],
  referenceMonths: readonly string[],
  buckets: number,
  t: DriftThresholds,
): HistoryCell[] {
  const months = [...new Set(rows.map((r) => r.month))].sort();
  const vector = (month: string | null): { counts: number[]; missing: number; rows: number } => {
    const counts = new Array<number>(buckets).fill(0);
    let missing = 0;
    let total = 0;
    for (const r of rows) {
      if (month === null ? !referenceMonths.includes(r.month) : r.month !== month) continue;
      total += r.n;
      if (r.bucket === null) missing += r.n;
      else counts[Math.min(buckets - 1, Number(r.bucket))]! += r.n;
    }
    return { counts, missing, rows: total };
  };
  const reference = vector(null);
  return months.map((month) => {
    const v = vector(month);
    const valued = v.counts.reduce((a, b) => a + b, 0);
    const enough =
      valued >= t.historyMinMonthRows && reference.rows - reference.missing >= t.historyMinMonthRows;
    return {
      column,
      month,
      rows: v.rows,
      psi: enough ? round(psi(reference.counts, v.counts)) : null,
      missingRate: v.rows ? round(v.missing / v.rows) : 0,
    };
  });
}

/**
 * The label-drift rule of the comparison, month by month: each month's class
 * counts against the reference window's (bucket i is `classes[i]`, the last
 * bucket every class unseen in the reference). Months with fewer than
 * `historyMinMonthRows` labelled rows get no verdict.
 */
export function monthlyLabelDrift(
  rows: readonly { month: string; bucket: string | null; n: number }[],
  referenceMonths: readonly string[],
  classes: readonly string[],
  t: DriftThresholds,
): Map<string, { drift: boolean; reason?: string }> {
  const buckets = classes.length + 1;
  const counts = (keep: (month: string) => boolean): number[] => {
    const v = new Array<number>(buckets).fill(0);
    for (const r of rows)
      if (r.bucket !== null && keep(r.month)) v[Math.min(buckets - 1, Number(r.bucket))]! += r.n;
    return v;
  };
  const reference = counts((m) => referenceMonths.includes(m));
  const labels = [...classes, '(other)'];
  const out = new Map<string, { drift: boolean; reason?: string }>();
  for (const month of [...new Set(rows.map((r) => r.month))].sort()) {
    const current = counts((m) => m === month);
    const total = current.reduce((a, b) => a + b, 0);
    if (total < t.historyMinMonthRows || reference.reduce((a, b) => a + b, 0) < t.historyMinMonthRows)
      continue;
    // The "(other)" bucket joins only when it holds rows, so it never counts as a gone class.
    const keep = labels.map((_, i) => i).filter((i) => i < classes.length || reference[i]! + current[i]! > 0);
    const rates = classRates(
      keep.map((i) => ({ label: labels[i]!, reference: reference[i]!, current: current[i]! })),
      t,
    );
    const js = jensenShannon(
      keep.map((i) => reference[i]!),
      keep.map((i) => current[i]!),
    );
    const chi = chiSquareDrift(
      keep.map((i) => reference[i]!),
      keep.map((i) => current[i]!),
    );
    const verdict = labelVerdict(js, chi?.pValue ?? null, rates, t);
    const reason = driftedClassesText(rates, t) ?? verdict.reason;
    out.set(month, { drift: verdict.drift, ...(verdict.drift && reason ? { reason } : {}) });
  }
  return out;
}

/** A row of the heatmap: a column (or the label) and how its values fall into buckets. */
interface HistoryTarget {
  name: string;
  spec: BucketSpec;
  /** The label's bucket expression (its canonical classes, by raw spelling). */
  labelSql?: string;
  classes?: string[];
}

/** The history's state: the months, the reference window, the heatmap's rows, then the history. */
export interface HistoryRunState {
  months: string[];
  referenceMonths: string[];
  targets: HistoryTarget[];
  history?: DriftHistory;
}

/** The empty state the history starts from. */
export function historyStart(): HistoryRunState {
  return { months: [], referenceMonths: [], targets: [] };
}

/**
 * Drift inside one history: every column's distribution per month against the
 * first `historyReferenceMonths` months with enough rows (PSI on reference
 * deciles or reference categories), as three rounds of statements: the months,
 * the reference window's deciles and categories (and the label's classes),
 * then the counts per month and bucket. All counting happens in DuckDB. Run
 * it from `historyStart()`; the result is the final state's `history`.
 */
export function driftHistoryAnalysis(input: HistoryInput): Analysis<HistoryRunState> {
  const t = resolveDriftThresholds(input.thresholds);
  const columns = input.columns.flatMap((column, i) => {
    const kind = column.name === input.time.column ? undefined : driftKind(column);
    return kind === 'numeric' || kind === 'categorical' ? [{ name: column.name, kind, i }] : [];
  });
  const referenceOf = (state: HistoryRunState): DriftSide => referenceSide(input, state.referenceMonths);
  return {
    name: 'drift-history',
    stages: [
      {
        id: 'months',
        label: 'Months of the history',
        queries: () => ({ months: monthsQuery(input.side, input.time) }),
        resolve: (state, results) => {
          const monthRows = results.months ?? [];
          const referenceMonths = monthRows
            .filter((r) => n(r.n) >= t.historyMinMonthRows)
            .slice(0, t.historyReferenceMonths)
            .map((r) => String(r.month));
          const months = monthRows.map((r) => String(r.month));
          return {
            ...state,
            months,
            referenceMonths,
            history: historyOf(input, t, months, referenceMonths, []),
          };
        },
      },
      {
        id: 'reference',
        label: 'The reference months',
        applies: (state) => state.referenceMonths.length > 0,
        queries: (state) => referenceStatements(input, t, columns, referenceOf(state)),
        resolve: (state, results) => ({ ...state, targets: historyTargets(input, columns, results) }),
      },
      {
        id: 'monthly',
        label: 'Counts per month',
        applies: (state) => state.targets.length > 0,
        queries: (state) =>
          Object.fromEntries(
            state.targets.map((target, j) => [
              `monthly:${j}`,
              monthlyBucketCountsQuery(
                input.side,
                input.time,
                target.labelSql ?? bucketSql(target.name, target.spec),
              ),
            ]),
          ),
        resolve: (state, results) => {
          const cells = state.targets.flatMap((target, j) =>
            targetCells(target, results[`monthly:${j}`] ?? [], state.referenceMonths, t),
          );
          return { ...state, history: historyOf(input, t, state.months, state.referenceMonths, cells) };
        },
      },
    ],
  };
}

/** The reference window: the table between the first and the last reference month. */
function referenceSide(input: HistoryInput, referenceMonths: readonly string[]): DriftSide {
  return {
    table: input.side.table,
    filter: {
      kind: 'between',
      time: input.time,
      from: `${referenceMonths[0]}-01`,
      to: nextMonthStart(referenceMonths[referenceMonths.length - 1]!),
    },
  };
}

type HistoryColumn = { name: string; kind: 'numeric' | 'categorical'; i: number };

/** The reference window's deciles or categories per column, and the label's spellings and reference counts. */
function referenceStatements(
  input: HistoryInput,
  t: DriftThresholds,
  columns: readonly HistoryColumn[],
  reference: DriftSide,
): Statements {
  const statements: Record<string, string> = {};
  for (const { name, kind, i } of columns)
    statements[`column:${i}`] =
      kind === 'numeric'
        ? referenceQuantilesQuery(reference, name, decileLevels(t.psiBins))
        : categoryCountsQuery(reference, reference, name, t.maxCategories);
  if (input.label) {
    statements.labelValues = sideValuesQuery(input.side, input.label, 10_000);
    statements.labelReference = categoryCountsQuery(reference, reference, input.label, 10_000);
  }
  return statements;
}

/** The heatmap's rows: each column's buckets, then the label's canonical classes. */
function historyTargets(
  input: HistoryInput,
  columns: readonly HistoryColumn[],
  results: QueryResults,
): HistoryTarget[] {
  const targets: HistoryTarget[] = columns.map(({ name, kind, i }) => {
    const rows = results[`column:${i}`] ?? [];
    if (kind === 'numeric') {
      const edges = [...new Set(rows.map((r) => n(r.edge)).filter(Number.isFinite))].sort((a, b) => a - b);
      return { name, spec: { kind: 'numeric', edges } };
    }
    const categories = rows.filter((r) => r.other !== true).map((r) => String(r.value));
    return { name, spec: { kind: 'categorical', categories } };
  });
  if (input.label)
    targets.push(labelTarget(input.label, results.labelValues ?? [], results.labelReference ?? []));
  return targets;
}

/** The label as a heatmap row: its canonical classes, folded from the raw spellings in TypeScript (far cheaper than per-row SQL). */
function labelTarget(label: string, values: readonly Row[], refRows: readonly Row[]): HistoryTarget {
  const raws = values.filter((r) => r.value !== null && r.value !== undefined).map((r) => String(r.value));
  const totals = new Map<string, number>();
  for (const r of refRows) {
    const canonical = r.value === null || r.other === true ? null : canonicalLabel(String(r.value));
    if (canonical !== null) totals.set(canonical, (totals.get(canonical) ?? 0) + n(r.ref));
  }
  const categories = [...totals].sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0])).map(([c]) => c);
  const raw = categoryValueSql(label);
  const whens = categories
    .map((c, i) => {
      const spellings = raws.filter((x) => canonicalLabel(x) === c).map(str);
      return spellings.length ? `WHEN ${raw} IN (${spellings.join(', ')}) THEN ${i}` : '';
    })
    .join(' ');
  const missing = raws.filter((x) => canonicalLabel(x) === null).map(str);
  const labelBucket = `(CASE WHEN ${raw} IS NULL THEN NULL ${missing.length ? `WHEN ${raw} IN (${missing.join(', ')}) THEN NULL` : ''} ${whens} ELSE ${categories.length} END)`;
  return {
    name: label,
    spec: { kind: 'categorical', categories },
    labelSql: labelBucket,
    classes: categories,
  };
}

/** A heatmap row's cells from its counts per month and bucket, with the label's verdict per month. */
function targetCells(
  target: HistoryTarget,
  monthly: readonly Row[],
  referenceMonths: readonly string[],
  t: DriftThresholds,
): HistoryCell[] {
  const { spec } = target;
  const rows = monthly.map((r) => ({
    month: String(r.month),
    bucket: r.bucket === null || r.bucket === undefined ? null : String(r.bucket),
    n: n(r.n),
  }));
  const buckets = spec.kind === 'numeric' ? spec.edges.length + 1 : spec.categories.length + 1;
  const psiCells = monthlyPsi(target.name, rows, referenceMonths, buckets, t);
  if (target.classes) {
    const verdicts = monthlyLabelDrift(rows, referenceMonths, target.classes, t);
    for (const cell of psiCells) {
      const v = verdicts.get(cell.month);
      if (!v) continue;
      cell.labelDrift = v.drift;
      if (v.reason) cell.labelReason = v.reason;
    }
  }
  return psiCells;
}

/** The history from its cells: per column, the months compared, moderate and major shifts, and the worst month. */
function historyOf(
  input: HistoryInput,
  t: DriftThresholds,
  months: string[],
  referenceMonths: string[],
  cells: HistoryCell[],
): DriftHistory {
  const columns = [...new Set(cells.map((c) => c.column))].map((column) => {
    const own = cells.filter(
      (c) => c.column === column && !referenceMonths.includes(c.month) && c.psi !== null,
    );
    const highest = (list: readonly HistoryCell[]): HistoryCell | null =>
      list.reduce<HistoryCell | null>((w, c) => (w === null || c.psi! > w.psi! ? c : w), null);
    if (column === input.label) {
      // The label is judged by the label-drift rule month by month, as in the comparison.
      const drifted = own.filter((c) => c.labelDrift === true);
      const worst = highest(drifted) ?? highest(own);
      return {
        column,
        compared: own.length,
        moderate: own.filter((c) => c.labelDrift !== true && c.psi! >= t.psiModerate).length,
        major: drifted.length,
        worstMonth: worst?.month ?? null,
        worstPsi: worst?.psi ?? null,
        rule: `each month against the reference window: ${labelRateRule(t)}`,
      };
    }
    const worst = highest(own);
    return {
      column,
      compared: own.length,
      moderate: own.filter((c) => c.psi! >= t.psiModerate && c.psi! < t.psiMajor).length,
      major: own.filter((c) => c.psi! >= t.psiMajor).length,
      worstMonth: worst?.month ?? null,
      worstPsi: worst?.psi ?? null,
    };
  });
  return { timeColumn: input.time.column, referenceMonths, months, cells, columns };
}

/**
 * Readiness findings in the `drift` area: a column whose monthly distribution
 * moves away from the reference window (PSI ≥ `psiMajor` in some month) is
 * not stationary, so a model trained on the whole history learns a mixture.
 * Major when at least `historyMajorMonthShare` of compared months are major
 * shifts, minor otherwise.
 */
export function historyFindings(
  history: DriftHistory,
  datasetId: string,
  table: string,
  thresholds: Partial<DriftThresholds> = {},
): Finding[] {
  const t = resolveDriftThresholds(thresholds);
  const findings: Finding[] = [];
  for (const c of history.columns) {
    if (c.major === 0 || c.compared === 0) continue;
    const share = c.major / c.compared;
    const months = history.cells
      .filter((cell) => cell.column === c.column)
      .map((cell) => ({
        month: cell.month,
        psi: cell.psi,
        rows: cell.rows,
        missingRate: cell.missingRate,
        ...(cell.labelDrift !== undefined ? { labelDrift: cell.labelDrift } : {}),
        ...(cell.labelReason ? { labelReason: cell.labelReason } : {}),
      }));
    const window = `${history.referenceMonths[0]}–${history.referenceMonths[history.referenceMonths.length - 1]}`;
    if (c.rule !== undefined) {
      const worst = history.cells.find((cell) => cell.column === c.column && cell.month === c.worstMonth);
      findings.push({
        id: `drift-history:${datasetId}:${c.column}`,
        check: 'drift-history',
        area: 'drift',
        severity: share >= t.historyMajorMonthShare ? 'major' : 'minor',
        title: `The label “${c.column}” drifts inside the history: its class rates in ${c.major} of ${c.compared} months move clearly away from ${window}`,
        datasetId,
        columns: [c.column],
        evidence: {
          monthsCompared: c.compared,
          monthsDrifted: c.major,
          worstMonth: c.worstMonth,
          worstMonthRates: worst?.labelReason ?? null,
          worstPsi: c.worstPsi,
          referenceWindow: history.referenceMonths.join(', '),
          rule: `${c.rule}; major when ≥ ${formatShare(t.historyMajorMonthShare, { digits: 0 })} of months`,
        },
        details: months,
        sql: `-- labelled rows per month and class; each month's class rates against the reference window\nSELECT strftime(date_trunc('month', ${ident(history.timeColumn)}), '%Y-%m') AS month, ${ident(c.column)}, count(*) FROM ${ident(table)} GROUP BY ALL ORDER BY month`,
        recommendation:
          'The share of each class changes over time, so a model trained on the whole history learns an average prior that fits no period. Ask what changed in the months it moved (the labelling process, a definition, the population, or simply the season: compare the same months of different years), validate on a time split that spans whole cycles, and calibrate or re-weight to the rate the model will meet.',
      });
      continue;
    }
    findings.push({
      id: `drift-history:${datasetId}:${c.column}`,
      check: 'drift-history',
      area: 'drift',
      severity: share >= t.historyMajorMonthShare ? 'major' : 'minor',
      title: `“${c.column}” drifts inside the history: ${c.major} of ${c.compared} months differ strongly from ${window}`,
      datasetId,
      columns: [c.column],
      evidence: {
        monthsCompared: c.compared,
        monthsModerate: c.moderate,
        monthsMajor: c.major,
        worstMonth: c.worstMonth,
        worstPsi: c.worstPsi,
        referenceWindow: history.referenceMonths.join(', '),
        rule: `PSI ≥ ${t.psiMajor} against the first ${history.referenceMonths.length} months; major when ≥ ${formatShare(t.historyMajorMonthShare, { digits: 0 })} of months`,
      },
      details: months,
      sql: `-- counts per month and bucket; PSI per month against the reference window\nSELECT strftime(date_trunc('month', ${ident(history.timeColumn)}), '%Y-%m') AS month, ${ident(c.column)}, count(*) FROM ${ident(table)} GROUP BY ALL ORDER BY month`,
      recommendation:
        'Train and validate on a window where this column is stable, or split validation by time so the shift is measured; find out what changed in the month it moved (a new source, a definition, a unit) before trusting older rows.',
    });
  }
  return findings;
}

import { segmentRateQuery, sideCountsQuery } from '../sql/drift';
import type { Analysis, QueryResults, Row, Statements } from '../pipeline/stage';
import { resolveDriftThresholds, type DriftThresholds } from '../thresholds';
import {
  binEdges,
  categoricalColumnDrift,
  categoricalStatement,
  datasetDrift,
  driftKind,
  hasEnoughValues,
  missingOf,
  n,
  numericColumnDrift,
  numericStatements,
  skipped,
  sortColumns,
  type DriftColumnInput,
} from './columns';
import {
  labelCountsQuery,
  labelDriftOf,
  positiveFromSpellingsSql,
  rankConceptSegments,
  segmentFeatures,
  segmentRateRows,
  type LabelOutcome,
} from './concept';
import type { ColumnDrift, DriftComparison, DriftMethod, DriftReport } from '../model/drift';
import type { DriftSide } from '../sql/drift';

export type { DriftColumnInput } from './columns';

export interface DriftInput {
  reference: DriftSide;
  current: DriftSide;
  comparison: DriftComparison;
  /** Candidate features (roles such as ID, times and the label already left out). */
  columns: readonly DriftColumnInput[];
  /** Columns found on one side only (two datasets): listed as not compared, with the side that has them. */
  oneSided?: readonly { name: string; side: 'reference' | 'current' }[];
  /** The label, compared as its class prior; `positive` is its canonical positive class. */
  label?: { column: string; positive?: string };
  /** Segment columns for the concept-drift proxy, besides the categorical features. */
  segments?: readonly string[];
  thresholds?: Partial<DriftThresholds>;
  /** Per-column method overrides. */
  methods?: Readonly<Record<string, DriftMethod>>;
  /** ISO timestamp of the run (passed in, so results are reproducible in tests). */
  computedAt?: string;
}

/** The comparison's state: the rows each stage read, then the report. */
export interface DriftRunState {
  /** Rows by statement key (`counts`, `summary:<i>`, `categories:<i>`, `label`, `quantiles:<i>`, `bins:<i>`). */
  rows: QueryResults;
  /** The label's comparison, once the counts are read. */
  label?: LabelOutcome;
  /** Every column's drift in input order, once the bins are read. */
  columns?: ColumnDrift[];
  /** The report: every column and the label once the bins are read, the concept segments last. */
  report?: DriftReport;
}

/** The empty state the comparison starts from. */
export function driftStart(): DriftRunState {
  return { rows: {} };
}

/**
 * Compare reference and current, column by column, then the label and the
 * label rate per segment, as four rounds of statements, each needing the one
 * before: per-column summaries and category counts (and the label's), the
 * numeric columns' reference deciles, their PSI bins, then the label rate per
 * segment. DuckDB computes every aggregate; the stages only finish the
 * arithmetic and decide. Run it from `driftStart()`; the report is the final
 * state's `report` (`durationMs` is the runner's to fill in).
 */
export function driftAnalysis(input: DriftInput): Analysis<DriftRunState> {
  const t = resolveDriftThresholds(input.thresholds);
  const { reference, current } = input;
  const numeric = input.columns.flatMap((c, i) => (driftKind(c) === 'numeric' ? [{ name: c.name, i }] : []));
  const enough = (state: DriftRunState) =>
    numeric.filter(({ i }) => hasEnoughValues(state.rows[`summary:${i}`]?.[0], t));
  const edges = (state: DriftRunState, i: number): number[] => binEdges(state.rows[`quantiles:${i}`] ?? []);
  const keep = (state: DriftRunState, results: QueryResults): DriftRunState => ({
    ...state,
    rows: { ...state.rows, ...results },
  });
  return {
    name: 'drift',
    stages: [
      {
        id: 'columns',
        label: 'Comparing reference and current',
        queries: () => columnStatements(input, t),
        resolve: (state, results) => {
          const next = keep(state, results);
          if (!input.label) return next;
          const sql = labelCountsQuery(reference, current, input.label.column);
          return { ...next, label: labelDriftOf(input.label, sql, results.label ?? [], t) };
        },
      },
      {
        id: 'quantiles',
        label: 'Reference deciles of the numeric columns',
        queries: (state) =>
          Object.fromEntries(
            enough(state).map(({ name, i }) => [
              `quantiles:${i}`,
              numericStatements.quantiles(reference, name, t),
            ]),
          ),
        resolve: keep,
      },
      {
        id: 'bins',
        label: 'Bins of the numeric columns',
        queries: (state) =>
          Object.fromEntries(
            enough(state).map(({ name, i }) => [
              `bins:${i}`,
              numericStatements.bins(reference, current, name, edges(state, i)),
            ]),
          ),
        resolve: (state, results) => {
          const next = keep(state, results);
          const columns = columnsOf(input, t, next, (i) => edges(next, i));
          return { ...next, columns, report: reportOf(input, t, next, columns) };
        },
      },
      {
        id: 'segments',
        label: 'Label rate per segment',
        applies: (state) => state.label?.positive !== undefined && state.report !== undefined,
        queries: (state) => segmentStatements(input, state),
        resolve: (state, results) => {
          const features = segmentFeatures(input.segments ?? [], conceptColumns(state));
          const rows = features.flatMap((f, j) => segmentRateRows(f, results[`segment:${j}`] ?? []));
          return { ...state, report: { ...state.report!, concept: rankConceptSegments(rows, t) } };
        },
      },
    ],
  };
}

/** The first round: side counts, each column's summary or category counts, and the label's counts. */
function columnStatements(input: DriftInput, t: DriftThresholds): Statements {
  const { reference, current } = input;
  const statements: Record<string, string> = {
    counts: sideCountsQuery(
      reference,
      current,
      input.columns.map((c) => c.name),
    ),
  };
  for (const [i, column] of input.columns.entries()) {
    const kind = driftKind(column);
    if (kind === 'numeric')
      statements[`summary:${i}`] = numericStatements.summary(reference, current, column.name);
    else if (kind === 'categorical')
      statements[`categories:${i}`] = categoricalStatement(reference, current, column.name, t);
  }
  if (input.label) statements.label = labelCountsQuery(reference, current, input.label.column);
  return statements;
}

/** The compared columns in input order (the report sorts them), which order the segments. */
function conceptColumns(state: DriftRunState): ColumnDrift[] {
  return state.columns ?? [];
}

/** The label rate per segment of every segment role and compared feature, by the positive class's spellings. */
function segmentStatements(input: DriftInput, state: DriftRunState): Statements {
  const label = state.label;
  if (!input.label || label?.positive === undefined) return {};
  const positive = positiveFromSpellingsSql(input.label.column, label.spellings, label.positive);
  const features = segmentFeatures(input.segments ?? [], conceptColumns(state));
  return Object.fromEntries(
    features.map((f, j) => [
      `segment:${j}`,
      segmentRateQuery(input.reference, input.current, f.segment, positive),
    ]),
  );
}

/** Every column's drift, in input order, from the rows of the first three rounds. */
function columnsOf(
  input: DriftInput,
  t: DriftThresholds,
  state: DriftRunState,
  edges: (i: number) => number[],
): ColumnDrift[] {
  const { reference, current } = input;
  const counts = state.rows.counts ?? [];
  const refRow: Row = counts.find((r) => n(r.side) === 0) ?? {};
  const curRow: Row = counts.find((r) => n(r.side) === 1) ?? {};
  const rowsRef = n(refRow.rows) || 0;
  const rowsCur = n(curRow.rows) || 0;
  return input.columns.map((column, i): ColumnDrift => {
    const missing = missingOf(
      {
        reference: rowsRef ? 1 - n(refRow[`c${i}`]) / rowsRef : 0,
        current: rowsCur ? 1 - n(curRow[`c${i}`]) / rowsCur : 0,
        rowsReference: rowsRef,
        rowsCurrent: rowsCur,
      },
      t,
    );
    const kind = driftKind(column);
    const override = input.methods?.[column.name];
    if (typeof kind === 'object') return skipped(column.name, kind.skip, missing, t);
    if (kind === 'categorical')
      return categoricalColumnDrift(
        column.name,
        categoricalStatement(reference, current, column.name, t),
        state.rows[`categories:${i}`] ?? [],
        missing,
        t,
        override,
      );
    const bins = state.rows[`bins:${i}`];
    const binned = bins
      ? { edges: edges(i), bins, binSql: numericStatements.bins(reference, current, column.name, edges(i)) }
      : {};
    const sql = numericStatements.summary(reference, current, column.name);
    return numericColumnDrift(
      column.name,
      { sql, summary: state.rows[`summary:${i}`]?.[0], ...binned },
      missing,
      t,
      override,
    );
  });
}

/** The report without its concept segments: the columns, sorted, the dataset's drift and the label's. */
function reportOf(
  input: DriftInput,
  t: DriftThresholds,
  state: DriftRunState,
  columns: ColumnDrift[],
): DriftReport {
  return {
    comparison: input.comparison,
    computedAt: input.computedAt ?? new Date().toISOString(),
    thresholds: { ...t },
    columns: sortColumns([
      ...columns,
      ...(input.oneSided ?? []).map((c) =>
        skipped(
          c.name,
          `only in the ${c.side} dataset`,
          { reference: 0, current: 0, change: 0, drift: false },
          t,
        ),
      ),
    ]),
    dataset: datasetDrift(columns, t),
    ...(state.label ? { label: state.label.drift } : {}),
    durationMs: 0,
  };
}

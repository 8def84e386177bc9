import { formatCell, formatCount } from '../format';
import {
  binCountsQuery,
  categoryCountsQuery,
  categoryValueSql,
  binSql,
  isNumericDriftType,
  numericDriftQuery,
  numericValueSql,
  referenceQuantilesQuery,
  segmentRateQuery,
  sideCountsQuery,
  type DriftSide,
} from '../sql/drift';
import { canonicalLabel } from '../sql/readiness-common';
import { str } from '../sql/quote';
import { chiSquareDrift, jensenShannon, ksPValue, normalisedWasserstein, psi, shares } from '../stats/drift';
import { wilsonInterval } from '../stats/wilson';
import { resolveDriftThresholds, type DriftThresholds } from '../thresholds';
import { classRates, labelRateRule, labelVerdict } from './label-rates';
import { chooseMethod, crosses, psiLevel } from './methods';
import type {
  ColumnDrift,
  ConceptSegment,
  DatasetDrift,
  DriftComparison,
  DriftMethod,
  DriftReport,
  LabelDrift,
  Rate,
} from './schema';

/** Runs one statement on the engine; the session passes its connector's `query`. */
export type RunQuery = (sql: string) => Promise<Record<string, unknown>[]>;

/** A column offered for comparison, with the profile's family when known. */
export interface DriftColumnInput {
  name: string;
  type: string;
  family?: 'numeric' | 'temporal' | 'categorical' | 'text' | 'boolean' | 'other';
  /** Personal data (detected, marked or named so): never compared, so no value of it lands in the report. */
  personal?: boolean;
}

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

/** Number from a result cell (BigInt, numeric string or number). */
function n(value: unknown): number {
  if (typeof value === 'number') return value;
  if (typeof value === 'bigint') return Number(value);
  if (typeof value === 'string' && value.trim() !== '') return Number(value);
  return Number.NaN;
}

function round(value: number, digits = 6): number {
  return Number.isFinite(value) ? Number(value.toPrecision(digits)) : value;
}

/** A bin edge as written in the data (no separators inside interval notation, never e-notation). */
function fmtEdge(value: number): string {
  return formatCell(Number.isInteger(value) ? value : Number(value.toPrecision(4)));
}

/** Labels of the PSI bins: (−∞, e₀], (e₀, e₁], …, (eₖ₋₁, +∞). */
export function binLabels(edges: readonly number[]): string[] {
  if (edges.length === 0) return ['all values'];
  return Array.from({ length: edges.length + 1 }, (_, i) =>
    i === 0
      ? `≤ ${fmtEdge(edges[0]!)}`
      : i === edges.length
        ? `> ${fmtEdge(edges[i - 1]!)}`
        : `(${fmtEdge(edges[i - 1]!)}, ${fmtEdge(edges[i]!)}]`,
  );
}

/** Quantile levels of `bins` equal-frequency bins: 1/bins … (bins−1)/bins. */
export function decileLevels(bins: number): number[] {
  return Array.from({ length: Math.max(1, bins) - 1 }, (_, i) => (i + 1) / bins);
}

type Kind = 'numeric' | 'categorical' | { skip: string };

/** How a column is compared: as numbers, as categories, or not at all (with the reason). */
export function driftKind(column: DriftColumnInput): Kind {
  if (column.personal)
    return { skip: 'personal data: not compared, so none of its values enters the report' };
  if (column.family === 'temporal' || /^(DATE|TIME|TIMESTAMP)/i.test(column.type))
    return { skip: 'a time column: its range moves by construction between windows, so it is not compared' };
  if (column.family === 'text') return { skip: 'free text or an identifier (too many distinct values)' };
  if (column.family === 'other') return { skip: 'a nested or binary type' };
  if (isNumericDriftType(column.type) && column.family !== 'categorical' && column.family !== 'boolean')
    return 'numeric';
  return 'categorical';
}

interface MissingFacts {
  reference: number;
  current: number;
  rowsReference: number;
  rowsCurrent: number;
}

function missingOf(facts: MissingFacts, t: DriftThresholds): ColumnDrift['missing'] {
  const change = facts.current - facts.reference;
  return {
    reference: round(facts.reference),
    current: round(facts.current),
    change: round(change),
    drift: Math.abs(change) >= t.missingRateChange,
  };
}

function skipped(
  column: string,
  reason: string,
  missing: ColumnDrift['missing'],
  t: DriftThresholds,
): ColumnDrift {
  return {
    column,
    kind: 'categorical',
    status: 'skipped',
    method: 'psi',
    methodOverridden: false,
    statistic: null,
    threshold: t.psiModerate,
    rule: 'not compared',
    reason,
    nReference: 0,
    nCurrent: 0,
    jensenShannon: null,
    psi: null,
    psiLevel: null,
    missing,
    shares: [],
    newCategories: [],
    goneCategories: [],
    sql: '',
  };
}

/** The "not enough data" outcome when either side has fewer values than the minimum sample (Deepchecks' `min_samples`). */
function tooFewValues(nRef: number, nCur: number, t: DriftThresholds) {
  if (nRef >= t.minSampleSize && nCur >= t.minSampleSize) return undefined;
  return {
    status: 'not-enough-data' as const,
    statistic: null,
    reason: `fewer than ${t.minSampleSize} values on a side (${formatCount(nRef)} reference, ${formatCount(nCur)} current)`,
    jensenShannon: null,
    psi: null,
    psiLevel: null,
  };
}

/**
 * The verdict: the chosen method decides, except that on large samples a
 * major PSI also calls drift. A normalised Wasserstein distance can stay
 * small when sentinels or a unit defect inflate the reference spread (the
 * demo's cents), while the deciles plainly moved.
 */
function decide(
  choice: ReturnType<typeof chooseMethod>,
  statistic: number,
  psiValue: number,
  nRef: number,
  t: DriftThresholds,
): { status: 'drift' | 'no-drift'; reason?: string } {
  if (crosses(choice, statistic)) return { status: 'drift' };
  if (!choice.overridden && nRef > t.testsMaxReferenceRows && psiValue >= t.psiMajor)
    return {
      status: 'drift',
      reason: `PSI ${round(psiValue, 3)} ≥ ${t.psiMajor} (major) although the ${choice.method === 'wasserstein' ? 'normalised Wasserstein distance' : 'Jensen–Shannon distance'} stays below ${choice.threshold}`,
    };
  return { status: 'no-drift' };
}

/** Numeric column: KS and Wasserstein from the cumulative-count query, PSI on reference deciles. */
async function numericColumn(
  run: RunQuery,
  input: DriftInput,
  column: string,
  missing: ColumnDrift['missing'],
  t: DriftThresholds,
): Promise<ColumnDrift> {
  const sql = numericDriftQuery(input.reference, input.current, column);
  const [row = {}] = await run(sql);
  const nRef = n(row.n_ref) || 0;
  const nCur = n(row.n_cur) || 0;
  const choice = chooseMethod('numeric', nRef, t, input.methods?.[column]);
  const base = {
    column,
    kind: 'numeric' as const,
    method: choice.method,
    methodOverridden: choice.overridden,
    threshold: choice.threshold,
    rule: choice.rule,
    nReference: nRef,
    nCurrent: nCur,
    missing,
    newCategories: [],
    goneCategories: [],
    sql,
  };
  const tooFew = tooFewValues(nRef, nCur, t);
  if (tooFew) return { ...base, ...tooFew, shares: [] };
  const d = n(row.ks_numerator) / nRef / nCur;
  const p = ksPValue(d, nRef, nCur);
  const distance = n(row.wasserstein);
  const refStd = n(row.ref_std);
  const normalised = normalisedWasserstein(distance, refStd);

  const quantiles = await run(referenceQuantilesQuery(input.reference, column, decileLevels(t.psiBins)));
  const edges = [...new Set(quantiles.map((q) => n(q.edge)).filter(Number.isFinite))].sort((a, b) => a - b);
  const binSqlText = binCountsQuery(input.reference, input.current, column, edges);
  const binRows = await run(binSqlText);
  const refBins = new Array<number>(edges.length + 1).fill(0);
  const curBins = new Array<number>(edges.length + 1).fill(0);
  for (const r of binRows) (n(r.side) === 0 ? refBins : curBins)[n(r.bin)] = n(r.n);
  const psiValue = psi(refBins, curBins);
  const refShares = shares(refBins);
  const curShares = shares(curBins);
  const labels = binLabels(edges);
  const statistic =
    choice.method === 'ks' ? p.pValue : choice.method === 'wasserstein' ? normalised : psiValue;
  const verdict = decide(choice, statistic, psiValue, nRef, t);
  return {
    ...base,
    ...verdict,
    statistic: round(statistic),
    ks: { statistic: round(d), pValue: p.pValue, pValueMethod: p.method },
    wasserstein: { distance: round(distance), normalised: round(normalised), referenceStd: round(refStd) },
    jensenShannon: round(jensenShannon(refBins, curBins)),
    psi: round(psiValue),
    psiLevel: psiLevel(psiValue, t),
    shares: labels.map((label, i) => ({
      label,
      reference: round(refShares[i]!),
      current: round(curShares[i]!),
    })),
    edges,
    sql: choice.method === 'psi' ? binSqlText : sql,
  };
}

/** Categorical column: chi-square, Jensen–Shannon and PSI on category counts, new and gone categories. */
async function categoricalColumn(
  run: RunQuery,
  input: DriftInput,
  column: string,
  missing: ColumnDrift['missing'],
  t: DriftThresholds,
  valueSql?: string,
): Promise<ColumnDrift> {
  const sql = categoryCountsQuery(input.reference, input.current, column, t.maxCategories, valueSql);
  const rows = await run(sql);
  const listed = rows.filter((r) => r.other !== true);
  const other = rows.find((r) => r.other === true);
  const refCounts = listed.map((r) => n(r.ref));
  const curCounts = listed.map((r) => n(r.cur));
  const categories = listed.map((r) => String(r.value));
  if (other) {
    refCounts.push(n(other.ref));
    curCounts.push(n(other.cur));
  }
  const nRef = refCounts.reduce((a, b) => a + b, 0);
  const nCur = curCounts.reduce((a, b) => a + b, 0);
  // Without a profile, free text and identifiers look like categories: most values are distinct.
  const distinct = listed.length + (other ? n(other.categories) : 0);
  if (distinct > t.maxCategories && distinct >= 0.5 * (nRef + nCur))
    return skipped(column, 'free text or an identifier (most values are distinct)', missing, t);
  const choice = chooseMethod('categorical', nRef, t, input.methods?.[column]);
  const refShares = shares(refCounts);
  const curShares = shares(curCounts);
  const labels = [...categories, ...(other ? ['(other)'] : [])];
  const newCategories = listed
    .filter((r) => n(r.ref) === 0 && n(r.cur) > 0)
    .map((r) => ({ value: String(r.value), rows: n(r.cur), share: round(n(r.cur) / nCur) }));
  const goneCategories = listed
    .filter((r) => n(r.cur) === 0 && n(r.ref) > 0)
    .map((r) => ({ value: String(r.value), rows: n(r.ref), share: round(n(r.ref) / nRef) }));
  const base = {
    column,
    kind: 'categorical' as const,
    method: choice.method,
    methodOverridden: choice.overridden,
    threshold: choice.threshold,
    rule: choice.rule,
    nReference: nRef,
    nCurrent: nCur,
    missing,
    shares: labels.map((label, i) => ({
      label,
      reference: round(refShares[i]!),
      current: round(curShares[i]!),
    })),
    categories,
    newCategories,
    goneCategories,
    ...(other && n(other.new_categories) > 0
      ? {
          newOther: {
            categories: n(other.new_categories),
            share: round(n(other.new_rows) / Math.max(1, nCur)),
          },
        }
      : {}),
    ...(other && n(other.gone_categories) > 0
      ? {
          goneOther: {
            categories: n(other.gone_categories),
            share: round(n(other.gone_rows) / Math.max(1, nRef)),
          },
        }
      : {}),
    sql,
  };
  const tooFew = tooFewValues(nRef, nCur, t);
  if (tooFew) return { ...base, ...tooFew };
  const chi = chiSquareDrift(refCounts, curCounts);
  const js = jensenShannon(refCounts, curCounts);
  const psiValue = psi(refCounts, curCounts);
  // A single category on both sides: the test has no degrees of freedom and nothing moved.
  const statistic =
    choice.method === 'chi-square' ? (chi?.pValue ?? 1) : choice.method === 'jensen-shannon' ? js : psiValue;
  return {
    ...base,
    ...decide(choice, statistic, psiValue, nRef, t),
    statistic: round(statistic),
    ...(chi ? { chiSquare: { statistic: round(chi.statistic), df: chi.df, pValue: chi.pValue } } : {}),
    jensenShannon: round(js),
    psi: round(psiValue),
    psiLevel: psiLevel(psiValue, t),
  };
}

/** A rate with its Wilson interval (95 % unless `alpha` says otherwise). */
export function rateOf(positives: number, total: number, alpha = 0.05): Rate {
  const interval = wilsonInterval(positives, total, alpha);
  return {
    n: total,
    positives,
    rate: round(total > 0 ? positives / total : 0),
    lower: round(interval?.lower ?? 0),
    upper: round(interval?.upper ?? 1),
  };
}

/** Share of drifted columns among those with a verdict, and whether the dataset drifts. */
export function datasetDrift(columns: readonly ColumnDrift[], t: DriftThresholds): DatasetDrift {
  const judged = columns.filter((c) => c.status === 'drift' || c.status === 'no-drift');
  const drifted = judged.filter((c) => c.status === 'drift').length;
  const share = judged.length ? drifted / judged.length : 0;
  return {
    compared: judged.length,
    drifted,
    notEnoughData: columns.filter((c) => c.status === 'not-enough-data').length,
    share: round(share),
    threshold: t.datasetDriftShare,
    drift: judged.length > 0 && share >= t.datasetDriftShare,
  };
}

/** Labelled rows and positives of one segment spelling on one side, from `segmentRateQuery`. */
export interface SegmentRateRow {
  feature: string;
  /** The segment as spelled in the data (or a bin label). */
  segment: string;
  side: number;
  n: number;
  positives: number;
  /**
   * The key segments are compared by. Omitted: the canonical key of the text
   * (`canonicalLabel`: trimmed, case-folded, missing-like tokens dropped), so
   * "north" and " North" are one segment. Bins pass their label.
   */
  key?: string | null;
}

/**
 * Rank segments by how far their label rate moved, reference to current.
 * Spellings with the same canonical key are one segment, shown by its most
 * frequent spelling. Segments with fewer than `conceptMinRows` labelled rows
 * on a side are left out; a segment "moved" when |change| reaches
 * `conceptRateChange` and the Wilson intervals do not overlap.
 */
export function rankConceptSegments(rows: readonly SegmentRateRow[], t: DriftThresholds): ConceptSegment[] {
  interface Entry {
    feature: string;
    spellings: Map<string, number>;
    sides: [{ n: number; positives: number }, { n: number; positives: number }];
  }
  const byKey = new Map<string, Entry>();
  for (const r of rows) {
    const key = r.key === undefined ? canonicalLabel(r.segment) : r.key;
    if (key === null) continue;
    const id = JSON.stringify([r.feature, key]);
    const entry: Entry = byKey.get(id) ?? {
      feature: r.feature,
      spellings: new Map(),
      sides: [
        { n: 0, positives: 0 },
        { n: 0, positives: 0 },
      ],
    };
    entry.spellings.set(r.segment, (entry.spellings.get(r.segment) ?? 0) + r.n);
    const side = entry.sides[r.side === 0 ? 0 : 1];
    side.n += r.n;
    side.positives += r.positives;
    byKey.set(id, entry);
  }
  const segments: ConceptSegment[] = [];
  for (const e of byKey.values()) {
    const [r, c] = e.sides;
    if (r.n < t.conceptMinRows || c.n < t.conceptMinRows) continue;
    const ref = rateOf(r.positives, r.n);
    const cur = rateOf(c.positives, c.n);
    const change = cur.rate - ref.rate;
    const separate = cur.lower > ref.upper || cur.upper < ref.lower;
    const spellings = [...e.spellings]
      .sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]))
      .map(([s]) => s);
    segments.push({
      feature: e.feature,
      segment: spellings[0]!,
      reference: ref,
      current: cur,
      change: round(change),
      moved: separate && Math.abs(change) >= t.conceptRateChange,
      ...(spellings.length > 1 ? { variants: spellings.slice(0, 100) } : {}),
    });
  }
  return segments
    .sort((a, b) => Number(b.moved) - Number(a.moved) || Math.abs(b.change) - Math.abs(a.change))
    .slice(0, t.conceptTopSegments);
}

/**
 * The label's raw spellings folded into canonical classes in TypeScript
 * (`canonicalLabel`, the twin of `canonicalLabelSql`): the label has few
 * distinct raw values, and canonicalising them once is far cheaper than
 * trimming and lower-casing every row in SQL (measured: 5 s per statement
 * on 200,000 rows in DuckDB-WASM).
 */
export interface LabelSpellings {
  /** Raw text → canonical class (null: missing-like). */
  canonical: Map<string, string | null>;
}

/** 1 for the positive class, 0 for other labelled rows, NULL otherwise, by raw spelling. */
export function positiveFromSpellingsSql(
  column: string,
  spellings: LabelSpellings,
  positive: string,
): string {
  const raw = categoryValueSql(column);
  const yes = [...spellings.canonical].filter(([, c]) => c === positive).map(([r]) => str(r));
  const no = [...spellings.canonical].filter(([, c]) => c !== null && c !== positive).map(([r]) => str(r));
  return `(CASE ${yes.length ? `WHEN ${raw} IN (${yes.join(', ')}) THEN 1 ` : ''}${no.length ? `WHEN ${raw} IN (${no.join(', ')}) THEN 0 ` : ''}ELSE NULL END)`;
}

async function labelDrift(
  run: RunQuery,
  input: DriftInput,
  label: { column: string; positive?: string },
  t: DriftThresholds,
): Promise<{ drift: LabelDrift; positive?: string; spellings: LabelSpellings }> {
  // Raw spellings with counts per side (a plain GROUP BY), folded into classes here.
  const sql = categoryCountsQuery(input.reference, input.current, label.column, 10_000);
  const spellings: LabelSpellings = { canonical: new Map() };
  const byClass = new Map<string, { ref: number; cur: number }>();
  for (const r of await run(sql)) {
    if (r.value === null || r.value === undefined || r.other === true) continue;
    const raw = String(r.value);
    const canonical = canonicalLabel(raw);
    spellings.canonical.set(raw, canonical);
    if (canonical === null) continue;
    const entry = byClass.get(canonical) ?? { ref: 0, cur: 0 };
    entry.ref += n(r.ref);
    entry.cur += n(r.cur);
    byClass.set(canonical, entry);
  }
  const rows = [...byClass]
    .map(([value, c]) => ({ value, ref: c.ref, cur: c.cur }))
    .sort((a, b) => b.ref + b.cur - (a.ref + a.cur) || a.value.localeCompare(b.value));
  const ref = rows.map((r) => n(r.ref));
  const cur = rows.map((r) => n(r.cur));
  const nRef = ref.reduce((a, b) => a + b, 0);
  const nCur = cur.reduce((a, b) => a + b, 0);
  const refShares = shares(ref);
  const curShares = shares(cur);
  const classes = rows.map((r, i) => ({
    label: String(r.value),
    reference: round(refShares[i]!),
    current: round(curShares[i]!),
  }));
  // The configured positive class, else the reference minority class.
  const positive =
    label.positive ?? (rows.length === 2 ? String(rows[ref[0]! <= ref[1]! ? 0 : 1]!.value) : undefined);
  const enough = nRef >= t.minSampleSize && nCur >= t.minSampleSize && rows.length > 0;
  const js = enough ? jensenShannon(ref, cur) : null;
  const chi = enough ? chiSquareDrift(ref, cur) : null;
  const positiveIndex = positive === undefined ? -1 : rows.findIndex((r) => String(r.value) === positive);
  const rates = classRates(
    rows.map((r) => ({ label: r.value, reference: r.ref, current: r.cur })),
    t,
  );
  const verdict = enough ? labelVerdict(js, chi?.pValue ?? null, rates, t) : { drift: false };
  const alpha = 1 - t.labelRateConfidence;
  return {
    positive,
    drift: {
      column: label.column,
      status: !enough ? 'not-enough-data' : verdict.drift ? 'drift' : 'no-drift',
      jensenShannon: js === null ? null : round(js),
      psi: enough ? round(psi(ref, cur)) : null,
      ...(chi ? { chiSquare: { statistic: round(chi.statistic), df: chi.df, pValue: chi.pValue } } : {}),
      threshold: t.label,
      classes,
      ...(positive !== undefined ? { positive } : {}),
      ...(positiveIndex >= 0
        ? {
            positiveRate: {
              reference: rateOf(ref[positiveIndex]!, nRef, alpha),
              current: rateOf(cur[positiveIndex]!, nCur, alpha),
            },
          }
        : {}),
      classRates: rates,
      rule: labelRateRule(t),
      ...(verdict.reason ? { reason: verdict.reason } : {}),
      sql,
    },
    spellings,
  };
}

/**
 * Compare reference and current, column by column, then the label and the
 * label rate per segment. Every aggregate is computed by DuckDB through `run`;
 * this function only finishes the arithmetic and decides.
 */
export async function driftReport(run: RunQuery, input: DriftInput): Promise<DriftReport> {
  const started = Date.now();
  const t = resolveDriftThresholds(input.thresholds);
  const names = input.columns.map((c) => c.name);
  const counts = await run(sideCountsQuery(input.reference, input.current, names));
  const refRow = counts.find((r) => n(r.side) === 0) ?? {};
  const curRow = counts.find((r) => n(r.side) === 1) ?? {};
  const rowsRef = n(refRow.rows) || 0;
  const rowsCur = n(curRow.rows) || 0;

  const columns: ColumnDrift[] = [];
  for (const [i, column] of input.columns.entries()) {
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
    if (typeof kind === 'object') columns.push(skipped(column.name, kind.skip, missing, t));
    else if (kind === 'numeric') columns.push(await numericColumn(run, input, column.name, missing, t));
    else columns.push(await categoricalColumn(run, input, column.name, missing, t));
  }

  let label: LabelDrift | undefined;
  let concept: ConceptSegment[] | undefined;
  if (input.label) {
    const result = await labelDrift(run, input, input.label, t);
    label = result.drift;
    if (result.positive !== undefined) {
      const positive = positiveFromSpellingsSql(input.label.column, result.spellings, result.positive);
      const segmentRows: SegmentRateRow[] = [];
      const features: { feature: string; segment: string }[] = [];
      for (const s of input.segments ?? []) features.push({ feature: s, segment: categoryValueSql(s) });
      for (const c of columns) {
        if (c.status !== 'drift' && c.status !== 'no-drift') continue;
        if (features.some((f) => f.feature === c.column)) continue;
        if (c.kind === 'numeric' && c.edges)
          features.push({ feature: c.column, segment: binSql(numericValueSql(c.column), c.edges) });
        else if (c.kind === 'categorical')
          features.push({ feature: c.column, segment: categoryValueSql(c.column) });
      }
      for (const f of features) {
        const labels = columns
          .find((c) => c.column === f.feature && c.kind === 'numeric')
          ?.shares.map((s) => s.label);
        for (const r of await run(segmentRateQuery(input.reference, input.current, f.segment, positive))) {
          if (r.segment === null || r.segment === undefined) continue;
          const segment = labels ? (labels[n(r.segment)] ?? String(r.segment)) : String(r.segment);
          segmentRows.push({
            feature: f.feature,
            segment,
            side: n(r.side),
            n: n(r.n),
            positives: n(r.positives),
            // Bins keep their label; categories fold by canonical key (in TypeScript, on the few distinct values).
            ...(labels ? { key: segment } : {}),
          });
        }
      }
      concept = rankConceptSegments(segmentRows, t);
    }
  }

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
    ...(label ? { label } : {}),
    ...(concept ? { concept } : {}),
    durationMs: Date.now() - started,
  };
}

const STATUS_ORDER: Record<ColumnDrift['status'], number> = {
  drift: 0,
  'no-drift': 1,
  'not-enough-data': 2,
  skipped: 3,
};

/** Drifted columns first, then by PSI (the one statistic every compared column has), descending. */
export function sortColumns(columns: readonly ColumnDrift[]): ColumnDrift[] {
  return [...columns].sort(
    (a, b) =>
      STATUS_ORDER[a.status] - STATUS_ORDER[b.status] ||
      Number(b.missing.drift) - Number(a.missing.drift) ||
      (b.psi ?? -1) - (a.psi ?? -1) ||
      a.column.localeCompare(b.column),
  );
}

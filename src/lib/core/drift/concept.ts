import { binSql, categoryCountsQuery, categoryValueSql, numericValueSql, type DriftSide } from '../sql/drift';
import { canonicalLabel } from '../sql/readiness-common';
import { str } from '../sql/quote';
import type { Row } from '../pipeline/stage';
import { chiSquareDrift, jensenShannon, psi, shares } from '../stats/drift';
import type { DriftThresholds } from '../thresholds';
import { n, rateOf, round } from './columns';
import { classRates, labelRateRule, labelVerdict } from './label-rates';
import type { ColumnDrift, ConceptSegment, LabelDrift } from '../model/drift';

/**
 * The label side of the comparison: the label's class prior, and the concept
 * drift proxy (the label rate per segment, reference against current). Pure:
 * `driftAnalysis` (compare.ts) names the statements and the runner runs them.
 */

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

/** The label's raw spellings with counts per side (a plain GROUP BY); `labelDriftOf` folds them into classes. */
export function labelCountsQuery(reference: DriftSide, current: DriftSide, column: string): string {
  return categoryCountsQuery(reference, current, column, 10_000);
}

/** What the label comparison found: its drift, the positive class it judged, and the spellings that fold into each class. */
export interface LabelOutcome {
  drift: LabelDrift;
  positive?: string;
  spellings: LabelSpellings;
}

/** The label compared as its class prior, from `labelCountsQuery`'s rows. */
export function labelDriftOf(
  label: { column: string; positive?: string },
  sql: string,
  counts: readonly Row[],
  t: DriftThresholds,
): LabelOutcome {
  const spellings: LabelSpellings = { canonical: new Map() };
  const byClass = new Map<string, { ref: number; cur: number }>();
  for (const r of counts) {
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

/** A feature whose label rate is compared per segment: its segment expression, and its bin labels when numeric. */
export interface SegmentFeature {
  feature: string;
  segment: string;
  labels?: string[];
}

/**
 * The segments of the concept-drift proxy: the segment roles, then every
 * compared feature (numeric ones by their PSI bins, categorical ones by value).
 */
export function segmentFeatures(
  segments: readonly string[],
  columns: readonly ColumnDrift[],
): SegmentFeature[] {
  const features: SegmentFeature[] = segments.map((s) => ({ feature: s, segment: categoryValueSql(s) }));
  for (const c of columns) {
    if (c.status !== 'drift' && c.status !== 'no-drift') continue;
    if (features.some((f) => f.feature === c.column)) continue;
    if (c.kind === 'numeric' && c.edges)
      features.push({ feature: c.column, segment: binSql(numericValueSql(c.column), c.edges) });
    else if (c.kind === 'categorical')
      features.push({ feature: c.column, segment: categoryValueSql(c.column) });
  }
  // A numeric column's segments are its bins, read back by their labels (a segment role too).
  return features.map((f) => {
    const labels = columns
      .find((c) => c.column === f.feature && c.kind === 'numeric')
      ?.shares.map((s) => s.label);
    return labels ? { ...f, labels } : f;
  });
}

/** Labelled rows and positives per segment and side, from `segmentRateQuery`'s rows. */
export function segmentRateRows(feature: SegmentFeature, rows: readonly Row[]): SegmentRateRow[] {
  const { labels } = feature;
  const out: SegmentRateRow[] = [];
  for (const r of rows) {
    if (r.segment === null || r.segment === undefined) continue;
    const segment = labels ? (labels[n(r.segment)] ?? String(r.segment)) : String(r.segment);
    out.push({
      feature: feature.feature,
      segment,
      side: n(r.side),
      n: n(r.n),
      positives: n(r.positives),
      // Bins keep their label; categories fold by canonical key (in TypeScript, on the few distinct values).
      ...(labels ? { key: segment } : {}),
    });
  }
  return out;
}

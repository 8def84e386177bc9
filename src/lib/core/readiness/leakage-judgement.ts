/**
 * The statistics behind the leakage judgements, on small result sets: the
 * one-rule (Holte 1993) and the share of the label's entropy it explains, the
 * "filled / non-zero almost only in one class" rule, the R² of a target on
 * one or two columns, and whether a column is an earlier period of the
 * target's own series. Pure: no SQL, no engine.
 */

/** Labelled rows of one (bin, class) of a feature, bins numbered in value order. */
export interface BinCount {
  bin: number;
  cls: string;
  rows: number;
}

/** One interval of a one-rule: the bins it spans and the class it predicts. */
export interface OneRuleInterval {
  firstBin: number;
  lastBin: number;
  cls: string;
  rows: number;
  correct: number;
}

/** A one-rule and how much of the label it explains. */
export interface OneRuleResult {
  rows: number;
  /** Rows the rule gets right. */
  correct: number;
  /** Rows of the commonest class: what always guessing it gets right. */
  commonest: number;
  accuracy: number;
  /** Goodman–Kruskal λ: (correct − commonest) ÷ (rows − commonest); null with one class. */
  lambda: number | null;
  /** Mutual information of the rule's intervals and the label ÷ the label's entropy (Theil's U); null with one class. */
  uncertainty: number | null;
  intervals: OneRuleInterval[];
}

function argmax(v: readonly number[]): number {
  let best = 0;
  for (let i = 1; i < v.length; i++) if (v[i]! > v[best]!) best = i;
  return best;
}

const add = (a: number[], b: readonly number[]): void => b.forEach((x, i) => (a[i] = (a[i] ?? 0) + x));

/**
 * The one-rule of a feature from its (bin, class) counts. Ordered features
 * (`ordered`) are cut into intervals as Holte's 1R does: an interval grows
 * over the bins in order until its majority class has `minBucket` rows, then
 * takes in the following bins whose own majority is that class; adjacent
 * intervals predicting the same class are then merged. A categorical
 * feature's categories are each their own interval. Each interval predicts
 * its majority class (ties to the class first in text order).
 */
export function oneRule(counts: readonly BinCount[], ordered: boolean, minBucket: number): OneRuleResult {
  const classes = [...new Set(counts.map((c) => c.cls))].sort();
  const index = new Map(classes.map((c, i) => [c, i]));
  const byBin = new Map<number, number[]>();
  for (const c of counts) {
    const v = byBin.get(c.bin) ?? classes.map(() => 0);
    v[index.get(c.cls)!]! += c.rows;
    byBin.set(c.bin, v);
  }
  const units = [...byBin.entries()].sort((a, b) => a[0] - b[0]);
  const buckets: { first: number; last: number; counts: number[] }[] = [];
  if (!ordered) {
    for (const [bin, v] of units) buckets.push({ first: bin, last: bin, counts: [...v] });
  } else {
    let i = 0;
    while (i < units.length) {
      const acc = classes.map(() => 0);
      const first = units[i]![0];
      let cl = 0;
      do {
        add(acc, units[i]![1]);
        i++;
        cl = argmax(acc);
      } while (acc[cl]! < minBucket && i < units.length);
      while (i < units.length && argmax(units[i]![1]) === cl) {
        add(acc, units[i]![1]);
        i++;
      }
      buckets.push({ first, last: units[i - 1]![0], counts: acc });
    }
    for (let j = buckets.length - 1; j > 0; j--) {
      const a = buckets[j - 1]!;
      const b = buckets[j]!;
      if (argmax(a.counts) === argmax(b.counts)) {
        add(a.counts, b.counts);
        a.last = b.last;
        buckets.splice(j, 1);
      }
    }
  }
  const totals = classes.map(() => 0);
  for (const b of buckets) add(totals, b.counts);
  const rows = totals.reduce((a, b) => a + b, 0);
  const commonest = totals.length ? Math.max(...totals) : 0;
  const intervals = buckets.map((b) => {
    const cl = argmax(b.counts);
    return {
      firstBin: b.first,
      lastBin: b.last,
      cls: classes[cl]!,
      rows: b.counts.reduce((x, y) => x + y, 0),
      correct: b.counts[cl]!,
    };
  });
  const correct = intervals.reduce((a, b) => a + b.correct, 0);
  return {
    rows,
    correct,
    commonest,
    accuracy: rows ? correct / rows : 0,
    lambda: rows > commonest ? (correct - commonest) / (rows - commonest) : null,
    uncertainty: uncertaintyCoefficient(
      buckets.map((b) => b.counts),
      totals,
    ),
    intervals,
  };
}

/**
 * I(X;Y) ÷ H(Y) from a contingency table (rows: values of X, columns: classes),
 * natural logarithms as scikit-learn's `mutual_info_score`; null when the
 * label has one class.
 */
export function uncertaintyCoefficient(
  table: readonly (readonly number[])[],
  totals: readonly number[],
): number | null {
  const n = totals.reduce((a, b) => a + b, 0);
  if (n === 0) return null;
  let h = 0;
  for (const t of totals) if (t > 0) h -= (t / n) * Math.log(t / n);
  if (h <= 0) return null;
  let mi = 0;
  for (const row of table) {
    const nx = row.reduce((a, b) => a + b, 0);
    row.forEach((k, j) => {
      if (k > 0) mi += (k / n) * Math.log((k * n) / (nx * totals[j]!));
    });
  }
  return Math.min(1, Math.max(0, mi / h));
}

/** Per class: its labelled rows and how many of them meet a condition (filled in, non-zero). */
export interface ConditionCount {
  cls: string;
  rows: number;
  hits: number;
}

/** "Condition ⇒ class" as a rule. */
export interface ConditionRule {
  cls: string;
  /** Rows meeting the condition. */
  support: number;
  /** Of those, rows of the class. */
  hits: number;
  precision: number;
  /** Precision had every class as many rows: a ÷ (a + b), a and b the condition's rates in and outside the class. */
  balancedPrecision: number;
  recall: number;
  /** The condition's rate outside the class. */
  rateOthers: number;
}

/**
 * The rule "condition ⇒ class" with the highest recall among those at
 * `precision` or better, both as counted and balanced, over at least
 * 1 ÷ (1 − precision) rows (fewer cannot show that precision), with recall at
 * least `recall`; null when no class qualifies.
 */
export function determiningRule(
  counts: readonly ConditionCount[],
  precision: number,
  recall: number,
): ConditionRule | null {
  const total = counts.reduce((a, c) => a + c.rows, 0);
  const support = counts.reduce((a, c) => a + c.hits, 0);
  const minSupport = precision < 1 ? Math.ceil(1 / (1 - precision) - 1e-9) : Infinity;
  let best: ConditionRule | null = null;
  for (const c of counts) {
    if (c.rows === 0 || c.rows === total || support < minSupport) continue;
    const rateIn = c.hits / c.rows;
    const rateOthers = (support - c.hits) / (total - c.rows);
    const rule: ConditionRule = {
      cls: c.cls,
      support,
      hits: c.hits,
      precision: c.hits / support,
      balancedPrecision: rateIn + rateOthers > 0 ? rateIn / (rateIn + rateOthers) : 0,
      recall: rateIn,
      rateOthers,
    };
    if (rule.precision >= precision && rule.balancedPrecision >= precision && rule.recall >= recall)
      if (!best || rule.recall > best.recall) best = rule;
  }
  return best;
}

/**
 * R² of y on x₁ and x₂ from their correlations:
 * (r₁² + r₂² − 2 r₁ r₂ r₁₂) ÷ (1 − r₁₂²); null when x₁ and x₂ are
 * (almost) collinear, where the pair adds nothing to one of them.
 */
export function pairR2(r1: number, r2: number, r12: number): number | null {
  const d = 1 - r12 * r12;
  if (!(d > 1e-9)) return null;
  return Math.min(1, Math.max(0, (r1 * r1 + r2 * r2 - 2 * r1 * r2 * r12) / d));
}

const MONTHS: Readonly<Record<string, number>> = {
  jan: 1,
  january: 1,
  feb: 2,
  february: 2,
  mar: 3,
  march: 3,
  apr: 4,
  april: 4,
  may: 5,
  jun: 6,
  june: 6,
  jul: 7,
  july: 7,
  aug: 8,
  august: 8,
  sep: 9,
  sept: 9,
  september: 9,
  oct: 10,
  october: 10,
  nov: 11,
  november: 11,
  dec: 12,
  december: 12,
};

/** The period a column name stands for in a series: what is left of the name, which period parts it has, and its order. */
export interface SeriesPeriod {
  stem: string;
  /** `y` year, `q` quarter, `m` month, `l` lag, in that order. */
  parts: string;
  index: number;
}

/**
 * Reads a column name as a period of a series: `2013`, `sales_2012`,
 * `DEC`, `rain_march`, `q3_2012`, `sales_lag2`, `sales_t-1`, `prev_sales`.
 * Null when the name carries no period.
 */
export function seriesPeriod(name: string): SeriesPeriod | null {
  const tokens = name
    .toLowerCase()
    .replace(/([a-z])((?:1[89]|20)\d{2})(?!\d)/g, '$1 $2')
    .split(/[^a-z0-9]+/)
    .filter((t) => t !== '');
  let year: number | undefined;
  let quarter: number | undefined;
  let month: number | undefined;
  let lag: number | undefined;
  const stem: string[] = [];
  for (let i = 0; i < tokens.length; i++) {
    const t = tokens[i]!;
    const next = tokens[i + 1];
    if (year === undefined && /^(1[89]|20)\d{2}$/.test(t)) year = Number(t);
    else if (quarter === undefined && /^q[1-4]$/.test(t)) quarter = Number(t.slice(1));
    else if (month === undefined && MONTHS[t] !== undefined) month = MONTHS[t];
    else if (lag === undefined && /^(lag|l)\d+$/.test(t)) lag = Number(t.replace(/^\D+/, ''));
    else if (lag === undefined && (t === 'lag' || t === 't') && next !== undefined && /^\d+$/.test(next)) {
      lag = Number(next);
      i++;
    } else if (lag === undefined && (t === 'prev' || t === 'previous')) lag = 1;
    else stem.push(t);
  }
  const parts = `${year !== undefined ? 'y' : ''}${quarter !== undefined ? 'q' : ''}${month !== undefined ? 'm' : ''}${lag !== undefined ? 'l' : ''}`;
  if (parts === '') return null;
  const index = ((year ?? 0) * 4 + ((quarter ?? 1) - 1)) * 12 + (month ?? 0) - (lag ?? 0);
  return { stem: stem.join(' '), parts, index };
}

/**
 * Whether `feature` names an earlier period of the series `target` names:
 * the same name but for an earlier year, quarter or month (`2012` before
 * `2013`, `NOV` before `DEC`), or a lag of it (`sales_lag1` of `sales`).
 */
export function isEarlierPeriod(feature: string, target: string): boolean {
  const f = seriesPeriod(feature);
  if (!f) return false;
  let t = seriesPeriod(target);
  if (f.parts === 'l' && (!t || !t.parts.includes('l'))) {
    const stem = t
      ? null
      : target
          .toLowerCase()
          .split(/[^a-z0-9]+/)
          .filter((x) => x !== '')
          .join(' ');
    if (stem === null) return false;
    t = { stem, parts: 'l', index: 0 };
  }
  return !!t && f.stem === t.stem && f.parts === t.parts && f.index < t.index;
}

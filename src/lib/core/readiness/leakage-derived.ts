import { derivedR2Query, targetCovarianceQuery } from '../sql/readiness-leakage';
import { FEATURE_DEPS, LABEL_DEPS } from './deps';
import { count, finder, first, q, round, toNumber } from './findings';
import { isEarlierPeriod, pairR2 } from './leakage-judgement';
import type { CheckDefinition, QueryResults, ReadinessSetup } from './types';
import { MAX_PAIR_COLUMNS, sharedTrends, withTrend } from './leakage-plan';

/** Numeric features the derived-target R² reads: all for single R², the null-free ones (up to a cap) for pairs. */
function derivedColumns(s: ReadinessSetup): { columns: string[]; complete: string[] } {
  const numeric = s.features.filter((c) => c.family === 'numeric');
  return {
    columns: numeric.map((c) => c.name),
    complete: numeric
      .filter((c) => c.nonNull === s.rows)
      .slice(0, MAX_PAIR_COLUMNS)
      .map((c) => c.name),
  };
}

export function derivedQuery(s: ReadinessSetup): string | undefined {
  if (s.label?.kind !== 'numeric') return undefined;
  const { columns, complete } = derivedColumns(s);
  return columns.length > 0 ? targetCovarianceQuery(s.sql, columns, complete) : undefined;
}

interface Derivation {
  columns: string[];
  r2: number;
  n: number;
}

/**
 * Single numeric features, and pairs of null-free ones, that reproduce the
 * target with R² ≥ `derivedR2` over at least `derivedMinRows` rows, best
 * first; a pair only when neither column does alone, and pairs that share a
 * column with a better one left out. Earlier periods of the target's series
 * and features that share its trend are not derivations.
 */
export function derivations(s: ReadinessSetup, r: QueryResults): Derivation[] {
  if (!derivedQuery(s)) return [];
  const t = s.thresholds;
  const row = first(r.cov);
  const { columns, complete } = derivedColumns(s);
  const trends = sharedTrends(s, r).columns;
  const exempt = (c: string): boolean => isEarlierPeriod(c, s.label!.column) || trends.has(c);
  const out: Derivation[] = [];
  const singles = new Set<string>();
  columns.forEach((c, i) => {
    const rho = toNumber(row[`r_${i}`]);
    const n = count(row[`n_${i}`]);
    if (rho === null || n < t.derivedMinRows || exempt(c)) return;
    if (rho * rho >= t.derivedR2) {
      out.push({ columns: [c], r2: rho * rho, n });
      singles.add(c);
    }
  });
  const n = count(row.n);
  if (complete.length >= 2 && n >= t.derivedMinRows) {
    const cov = (a: number, b: number): number | null =>
      toNumber(row[`cov_${Math.min(a, b)}_${Math.max(a, b)}`]);
    const corr = (a: number, b: number): number | null => {
      const ab = cov(a, b);
      const aa = cov(a, a);
      const bb = cov(b, b);
      return ab === null || aa === null || bb === null || aa <= 0 || bb <= 0 ? null : ab / Math.sqrt(aa * bb);
    };
    const pairs: Derivation[] = [];
    for (let i = 0; i < complete.length; i++)
      for (let j = i + 1; j < complete.length; j++) {
        const [a, b] = [complete[i]!, complete[j]!];
        if (exempt(a) || exempt(b) || singles.has(a) || singles.has(b)) continue;
        const ryi = corr(0, i + 1);
        const ryj = corr(0, j + 1);
        const rij = corr(i + 1, j + 1);
        if (ryi === null || ryj === null || rij === null) continue;
        const r2 = pairR2(ryi, ryj, rij);
        if (r2 !== null && r2 >= t.derivedR2 && ryi * ryi < t.derivedR2 && ryj * ryj < t.derivedR2)
          pairs.push({ columns: [a, b], r2, n });
      }
    const used = new Set<string>();
    for (const p of pairs.sort((x, y) => y.r2 - x.r2)) {
      if (p.columns.some((c) => used.has(c))) continue;
      p.columns.forEach((c) => used.add(c));
      out.push(p);
    }
  }
  return out.sort((a, b) => b.r2 - a.r2);
}

export const leakageDerived: CheckDefinition = {
  id: 'leakage-derived',
  area: 'leakage',
  meaning:
    'The target can be computed from other fields, so a model would recompute it rather than predict it.',
  fix: 'pipeline',
  owner: 'ml-engineering',
  inWords: 'columns computed from the target',
  description:
    'Regression targets that one numeric feature, or a pair of them, reproduces almost exactly (R² ≥ 0.99): the target derived from features, or features derived from the target.',
  evidence: {
    r2: { label: 'R² of the fit', kind: 'number' },
    rows: { label: 'Rows fitted', kind: 'count' },
    threshold: { label: 'Flagged from an R² of', kind: 'number' },
    features: { label: 'Features in the formula', kind: 'count' },
  },
  dependsOn: [...FEATURE_DEPS, ...LABEL_DEPS, 'thresholds'],
  applies: (s) => derivedQuery(s) !== undefined,
  queries: (s) => withTrend(s, { cov: derivedQuery(s)! }),
  findings(s, r) {
    const make = finder(s, this.id, this.area);
    const t = s.thresholds;
    const target = s.label!.column;
    return derivations(s, r).map((d) => {
      const [a, b] = d.columns as [string, string | undefined];
      const which = b ? `${q(a)} and ${q(b)} together` : `${q(a)} alone`;
      return make({
        severity: 'blocker',
        key: d.columns.join('+'),
        title: `${q(target)} is (almost) an exact linear function of ${which} (R² = ${round(d.r2, 4)}): a column derived from the target, or the target from them`,
        columns: [...d.columns, target],
        evidence: { r2: round(d.r2, 6), rows: d.n, threshold: t.derivedR2, features: d.columns.length },
        sql: derivedR2Query(s.sql, d.columns),
        recommendation: b
          ? `A target that two other columns reproduce exactly is bookkeeping, not something to learn: one of ${q(a)} and ${q(b)} is computed from ${q(target)} (like a real rate from a nominal rate minus inflation), or ${q(target)} from them. Find which, and drop the derived column; if the target is the derived one, it can be computed, not predicted.`
          : `${q(a)} reproduces ${q(target)} up to a rescaling: it is the target under another name, computed from it, or recorded after it. Drop it, or use it only if it is truly known at the prediction point.`,
      });
    });
  },
};

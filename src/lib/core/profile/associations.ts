import type { DatasetProfile } from '../model/audit';
import { THRESHOLDS, type Thresholds } from '../thresholds';

/** What the profile shows in place of a score it cannot stand behind. */
export const TOO_FEW_VALUES = 'too few values to judge';

type AssociationThresholds = Pick<Thresholds, 'associationMinRows' | 'associationMinRowsPerCell'>;

/** One Cramér's V pair of a profile, with whether its score means anything. */
export interface JudgedAssociation {
  a: string;
  b: string;
  v: number | null;
  /** Rows where both columns have a value. */
  n: number;
  /** Rows in common per combination of values, the most the table can hold (levels capped by `n`). */
  rowsPerCell: number;
  /** False when the pair has too few rows, or too many values for its rows, for V to mean anything. */
  judged: boolean;
}

/**
 * Whether Cramér's V of a pair can be judged: at least `associationMinRows`
 * rows in common, and at least `associationMinRowsPerCell` of them per
 * combination of values. Each column's levels are its distinct values (at
 * most `n`), so the per-cell count is an upper bound: a pair refused here
 * cannot have enough rows per cell.
 */
export function associationJudged(
  n: number,
  distinctA: number,
  distinctB: number,
  t: AssociationThresholds = THRESHOLDS,
): { judged: boolean; rowsPerCell: number } {
  const cells = Math.max(1, Math.min(distinctA, n)) * Math.max(1, Math.min(distinctB, n));
  const rowsPerCell = n / cells;
  return { judged: n >= t.associationMinRows && rowsPerCell >= t.associationMinRowsPerCell, rowsPerCell };
}

/**
 * The profile's Cramér's V pairs, each judged (`associationJudged`), ranked
 * for display: judged pairs strongest first, then the pairs with too few
 * values, by rows in common, so a near-empty column never heads the list.
 */
export function judgedAssociations(
  profile: Pick<DatasetProfile, 'columns' | 'cramersV'>,
  t: AssociationThresholds = THRESHOLDS,
): JudgedAssociation[] {
  const distinct = new Map(profile.columns.map((c) => [c.name, c.distinct.value]));
  return profile.cramersV
    .map((pair) => ({
      ...pair,
      ...associationJudged(pair.n, distinct.get(pair.a) ?? pair.n, distinct.get(pair.b) ?? pair.n, t),
    }))
    .sort(
      (x, y) =>
        Number(y.judged) - Number(x.judged) ||
        (x.judged ? (y.v ?? 0) - (x.v ?? 0) : y.n - x.n) ||
        x.a.localeCompare(y.a),
    );
}

/**
 * One sentence naming the pairs the heatmap leaves out because they have
 * too few values to judge (at most three by name), or undefined when none is.
 */
export function unjudgedNote(associations: readonly JudgedAssociation[]): string | undefined {
  const unjudged = associations.filter((c) => !c.judged);
  if (unjudged.length === 0) return undefined;
  const named = unjudged.slice(0, 3).map((c) => `${c.a} & ${c.b}`);
  const more = unjudged.length > 3 ? ` and ${unjudged.length - 3} more` : '';
  const pairs = unjudged.length === 1 ? 'pair' : 'pairs';
  return `Not scored, ${TOO_FEW_VALUES}: ${unjudged.length} ${pairs} (${named.join(', ')}${more}).`;
}

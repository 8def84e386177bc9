import { dialect as d } from './dialect';
import { ident } from './quote';
import { type LabelRef, fromTable, identList, labelSql } from './readiness-common';
import { orderedPairsSum } from './pairs';

/**
 * Ordered pairs of rows that share a value, per column: Σ_v k_v(k_v − 1) over
 * the column's values, NULL counted as a value (as GROUP BY groups it).
 * Divided by n(n − 1) it is the unbiased estimate of the chance that two rows
 * drawn without replacement match on the column (Simpson's index; the plug-in
 * Σ p_v² would count every row matching itself and give a unique column the
 * collision probability 1/n instead of 0). One row: `n`, `pairs_i` for column
 * i, and with a label `label_pairs` (all rows, an unusable label as a value),
 * `label_pairs_labelled` (labelled rows only) and `labelled`. The label is
 * grouped on its raw value first, so its canonicalising CASE runs once per
 * spelling.
 */
export function collisionPairsQuery(table: string, columns: readonly string[], label?: LabelRef): string {
  const from = fromTable(table);
  const parts = [`(SELECT count(*) ${from}) AS n`];
  columns.forEach((c, i) => {
    parts.push(
      `(SELECT coalesce(${orderedPairsSum('k')}, 0) FROM (SELECT count(*) AS k ${from} GROUP BY ${ident(c)})) AS pairs_${i}`,
    );
  });
  if (!label) return `SELECT ${parts.join(', ')}`;
  const canonical = labelSql({ ...label, column: 'rz_y_raw' });
  const labels = `rz_yk AS MATERIALIZED (SELECT y, sum(k) AS k FROM (SELECT ${canonical} AS y, k FROM (SELECT ${ident(label.column)} AS rz_y_raw, count(*) AS k ${from} GROUP BY 1)) GROUP BY y)`;
  parts.push(
    `(SELECT coalesce(${orderedPairsSum('k')}, 0) FROM rz_yk) AS label_pairs`,
    `(SELECT coalesce(${orderedPairsSum('k')}, 0) FROM rz_yk WHERE y IS NOT NULL) AS label_pairs_labelled`,
    `(SELECT coalesce(sum(k), 0) FROM rz_yk WHERE y IS NOT NULL) AS labelled`,
  );
  return `WITH ${labels} SELECT ${parts.join(', ')}`;
}

/** Options of `groupingCandidatesQuery`. */
export interface GroupingCandidatesOptions {
  /** Columns tested for being constant within every value of a candidate (entity-level attributes). */
  attributes: readonly string[];
  /** The event-time column: whether each (candidate, time) pair occurs once, as in a panel. */
  time?: string;
}

/**
 * For each candidate grouping column (no NULLs), one row: `candidate` (its
 * index), `entities` (distinct values), `min_rows` and `max_rows` per value,
 * `rows`, `time_keys` (Σ over values of their distinct event times: equal to
 * `rows` when every (value, time) pair is unique) and `a_j`, true when
 * attribute j has one value (or is NULL throughout) within every value of the
 * candidate. One grouped pass per candidate, one statement in all.
 */
export function groupingCandidatesQuery(
  table: string,
  candidates: readonly string[],
  options: GroupingCandidatesOptions,
): string {
  if (candidates.length === 0) throw new RangeError('groupingCandidatesQuery needs candidates');
  const from = fromTable(table);
  const time = options.time ? ident(options.time) : undefined;
  const branches = candidates.map((candidate, i) => {
    const inner = [
      'count(*) AS k',
      time ? `count(DISTINCT ${time}) AS dt` : 'NULL AS dt',
      ...options.attributes.map((a, j) => {
        const c = ident(a);
        return `(min(${c}) IS NOT DISTINCT FROM max(${c}) AND count(${c}) IN (0, count(*))) AS s_${j}`;
      }),
    ];
    const outer = [
      `${i} AS candidate`,
      'count(*) AS entities',
      'min(k) AS min_rows',
      'max(k) AS max_rows',
      'sum(k) AS rows',
      time ? 'sum(dt) AS time_keys' : `${d.cast('NULL', 'HUGEINT')} AS time_keys`,
      // Every row's s_j true (no bool_and in ClickHouse); typed BOOLEAN, as the check reads `true`.
      ...options.attributes.map(
        (_, j) => `${d.cast(`min(CASE WHEN s_${j} THEN 1 ELSE 0 END) = 1`, 'BOOLEAN')} AS a_${j}`,
      ),
    ];
    return `SELECT ${outer.join(', ')} FROM (SELECT ${inner.join(', ')} ${from} GROUP BY ${ident(candidate)})`;
  });
  // Unioned in a subquery: ClickHouse binds a trailing ORDER BY to the last SELECT alone.
  return `SELECT * FROM (${branches.join(' UNION ALL ')}) ORDER BY candidate`;
}

/** The rows of each group of a grouping column as the group-aware split sees them: used in findings' SQL. */
export function groupSizesQuery(table: string, column: string): string {
  const c = ident(column);
  return `SELECT rows_per_group, count(*) AS groups FROM (SELECT ${c}, count(*) AS rows_per_group ${fromTable(table)} GROUP BY ${c}) GROUP BY 1 ORDER BY 1`;
}

/**
 * Rows whose complete feature vector occurs on other rows too: the groups,
 * the rows in them and the pairs of rows sharing a vector, with the share of
 * those pairs that also share the target (`same_target_pairs`).
 */
export function repeatedVectorsQuery(table: string, features: readonly string[], target: string): string {
  const f = identList(features);
  return `WITH rz_v AS (SELECT ${f}, count(*) AS n, count(DISTINCT ${ident(target)}) AS targets ${fromTable(table)} GROUP BY ${f} HAVING count(*) > 1) SELECT count(*) AS groups, coalesce(sum(n), 0) AS rows, coalesce(sum(n * (n - 1) / 2), 0) AS pairs, coalesce(max(n), 0) AS max_rows, count(*) FILTER (WHERE targets > 1) AS groups_with_several_targets FROM rz_v`;
}

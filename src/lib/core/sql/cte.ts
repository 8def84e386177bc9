import { ident } from './quote';

/**
 * Named SELECTs a statement reads as tables: on an engine where analyses write
 * nothing (`SqlDialect.readsInPlace`), what would be a temporary table becomes
 * a CTE of each statement that reads it (the profile's samples, the
 * feasibility baselines' rows, design and predictions).
 */

/** A named SELECT that a statement reads as a table: a CTE instead of a temporary table. */
export type Relation = readonly [name: string, select: string];

/**
 * `sql` with `relations` as materialised CTEs before its own (each computed
 * once per statement), so it reads them by name as it would read tables.
 * Later relations may read earlier ones. A statement's own `WITH` takes them
 * at its head; a `WITH RECURSIVE` one is read as a subquery instead, since
 * ClickHouse refuses a MATERIALIZED CTE in a recursive WITH ("not supported").
 */
export function withRelations(relations: readonly Relation[], sql: string): string {
  if (relations.length === 0) return sql;
  const ctes = relations.map(([name, select]) => `${ident(name)} AS MATERIALIZED (${select})`).join(',\n');
  if (/^WITH\s+RECURSIVE\s/i.test(sql)) return `WITH ${ctes}\nSELECT * FROM (${sql}) AS recursive_statement`;
  const own = /^WITH\s+/i.exec(sql);
  return own ? `WITH ${ctes},\n${sql.slice(own[0].length)}` : `WITH ${ctes}\n${sql}`;
}

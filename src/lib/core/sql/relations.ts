import { dialect as d } from './dialect';
import { ident, num } from './quote';
import { TEXT_DATE_FORMATS } from './readiness-common';
import { isIntegerType, isTextType, sqlKind } from './types';

/**
 * The SQL of the related-tables checks (issue 22): key uniqueness and
 * inclusion for discovery, one SELECT per relation that measures every count
 * of its result, the rows behind its findings, and the as-of join. Keys are
 * compared raw when their types agree and as text otherwise
 * (`keysComparedAsText`); every set operation runs on DISTINCT values in SQL.
 */

/** A column of a loaded table, with its DuckDB type. */
export interface TableColumn {
  table: string;
  column: string;
  type: string;
}

/** A time column read for the point-in-time check. */
export interface TimeColumn {
  column: string;
  type: string;
}

/** One end of a relation as the SQL needs it: the key column and, for point in time, a time column. */
export interface RelationSqlEnd extends TableColumn {
  time?: TimeColumn;
}

/** A relation for the SQL: the child's key points at the parent's. */
export interface RelationSql {
  child: RelationSqlEnd;
  parent: RelationSqlEnd;
}

/**
 * Whether keys of these types are compared as text: raw when the types are
 * equal, both integers or both text; as `CAST(.. AS VARCHAR)` otherwise.
 */
export function keysComparedAsText(childType: string, parentType: string): boolean {
  const same = childType.trim().toUpperCase() === parentType.trim().toUpperCase();
  const integers = isIntegerType(childType) && isIntegerType(parentType);
  const texts = isTextType(childType) && isTextType(parentType);
  return !(same || integers || texts);
}

/** A key as compared: the column itself, or its text when the two sides' types differ. */
export function keySql(expression: string, asText: boolean): string {
  return asText ? `CAST(${expression} AS VARCHAR)` : expression;
}

/** A key normalised for the format check: trimmed, lower-cased, leading zeros dropped ('' for all zeros). */
export function normalisedKeySql(expression: string): string {
  return `ltrim(lower(trim(CAST(${expression} AS VARCHAR))), '0')`;
}

/** Whether a time column can be read as a time at all (native or text). */
export function isReadableTime(type: string): boolean {
  const kind = sqlKind(type);
  return kind === 'date' || kind === 'timestamp' || kind === 'string';
}

/**
 * A time value as TIMESTAMP: native types cast, text parsed (ISO first, then
 * `TEXT_DATE_FORMATS`, as `timeSql` reads a text column, but over any
 * expression so a join can qualify it), NULL when unreadable.
 */
export function timeValueSql(expression: string, type: string): string {
  const kind = sqlKind(type);
  if (kind === 'date' || kind === 'timestamp') return `CAST(${expression} AS TIMESTAMP)`;
  if (kind === 'string')
    return `COALESCE(${d.tryCast(`trim(${expression})`, 'TIMESTAMP')}, ${d.tryStrptime(`trim(${expression})`, TEXT_DATE_FORMATS)})`;
  return 'CAST(NULL AS TIMESTAMP)';
}

/** Whether a value carries a date only: a DATE column, or text no longer than `YYYY-MM-DD`. */
export function dateOnlySql(expression: string, type: string): string {
  const kind = sqlKind(type);
  if (kind === 'date') return 'TRUE';
  if (kind === 'string') return `(${d.textLength(`trim(${expression})`)} <= 10)`;
  return 'FALSE';
}

/**
 * `childTime <op> parentTime`, at DATE granularity when either side is a date
 * only (a snapshot date covers its whole day), at the instant otherwise.
 */
export function timeComparisonSql(
  op: '>' | '<=',
  child: { time: string; dateOnly: string },
  parent: { time: string; dateOnly: string },
): string {
  const byDate = `CAST(${child.time} AS DATE) ${op} CAST(${parent.time} AS DATE)`;
  const byInstant = `${child.time} ${op} ${parent.time}`;
  if (child.dateOnly === 'TRUE' || parent.dateOnly === 'TRUE') return byDate;
  if (child.dateOnly === 'FALSE' && parent.dateOnly === 'FALSE') return byInstant;
  return `CASE WHEN ${child.dateOnly} OR ${parent.dateOnly} THEN ${byDate} ELSE ${byInstant} END`;
}

/**
 * Rows, non-null rows and distinct non-null values of each column of one
 * table, in one scan: `rows`, `nonnull_<i>`, `distinct_<i>` (i in the order given).
 */
export function keyUniquenessQuery(table: string, columns: readonly string[]): string {
  const parts = columns.flatMap((c, i) => [
    `count(${ident(c)}) AS nonnull_${i}`,
    `count(DISTINCT ${ident(c)}) AS distinct_${i}`,
  ]);
  return `SELECT count(*) AS "rows"${parts.map((p) => `, ${p}`).join('')} FROM ${ident(table)}`;
}

/**
 * Inclusion of one child column's distinct non-null values in each candidate
 * parent key's: `child_keys`, and `contained_<i>` per parent (in the order
 * given). The child's distinct values are read once; each parent side is
 * DISTINCT, so the LEFT JOINs never multiply rows.
 */
export function containmentQuery(child: TableColumn, parents: readonly TableColumn[]): string {
  const c = ident(child.column);
  const joins = parents.map((p, i) => {
    const asText = keysComparedAsText(child.type, p.type);
    const pc = ident(p.column);
    return (
      ` LEFT JOIN (SELECT DISTINCT ${keySql(pc, asText)} AS k FROM ${ident(p.table)} WHERE ${pc} IS NOT NULL) AS rel_p${i}` +
      ` ON ${keySql('rel_v.v', asText)} = rel_p${i}.k`
    );
  });
  const counts = parents.map((_, i) => `, count(rel_p${i}.k) AS contained_${i}`).join('');
  return (
    `WITH rel_v AS (SELECT DISTINCT ${c} AS v FROM ${ident(child.table)} WHERE ${c} IS NOT NULL) ` +
    `SELECT count(*) AS child_keys${counts} FROM rel_v${joins.join('')}`
  );
}

/** A constant date-only flag as itself (so the comparison simplifies), else the column that carries it. */
const literalOr = (flag: string, column: string): string =>
  flag === 'TRUE' || flag === 'FALSE' ? flag : column;

/** The two ends' key and time expressions over the tables' own column names. */
function ends(relation: RelationSql) {
  const asText = keysComparedAsText(relation.child.type, relation.parent.type);
  const timed = Boolean(relation.child.time && relation.parent.time);
  const side = (end: RelationSqlEnd) => ({
    key: keySql(ident(end.column), asText),
    time: end.time ? timeValueSql(ident(end.time.column), end.time.type) : 'NULL',
    dateOnly: end.time ? dateOnlySql(ident(end.time.column), end.time.type) : 'FALSE',
  });
  return { asText, timed, child: side(relation.child), parent: side(relation.parent) };
}

/**
 * One SELECT that measures every count of a relation's result, one row:
 * child_rows, null_keys, parent_rows, parent_null_rows, child_keys,
 * parent_keys, orphan_keys, orphan_rows, duplicate_parent_keys,
 * duplicate_parent_rows, childless_parents, matched_keys, fanout_mean,
 * fanout_p95, fanout_max, rows_after_join, format_keys, format_whitespace,
 * format_case, format_zeros and, when both ends have a time, timed_rows and
 * after_rows. Keys are counted once per distinct value (`rel_ck`, `rel_pk`),
 * then matched in one FULL JOIN (`rel_j`). Point in time reads each parent
 * key's earliest event time: a duplicated key's child row that is after any
 * copy's prediction time leaks into that copy's features.
 */
export function relationMeasureQuery(relation: RelationSql): string {
  const e = ends(relation);
  const timeCols = (s: { time: string; dateOnly: string }) =>
    e.timed ? `, ${s.time} AS t, ${s.dateOnly} AS dd` : '';
  const parentTimes = e.timed ? ', min(t) AS t, max(CASE WHEN dd THEN 1 ELSE 0 END) = 1 AS dd' : '';
  const ckText = 'CAST(rel_j.ckey AS VARCHAR)';
  const pkText = 'CAST(rel_n.pv AS VARCHAR)';
  const ctes = [
    `rel_c AS MATERIALIZED (SELECT ${e.child.key} AS k${timeCols(e.child)} FROM ${ident(relation.child.table)})`,
    `rel_p AS MATERIALIZED (SELECT ${e.parent.key} AS k${timeCols(e.parent)} FROM ${ident(relation.parent.table)})`,
    `rel_ck AS MATERIALIZED (SELECT k, count(*) AS n FROM rel_c WHERE k IS NOT NULL GROUP BY k)`,
    `rel_pk AS MATERIALIZED (SELECT k, count(*) AS n${parentTimes} FROM rel_p WHERE k IS NOT NULL GROUP BY k)`,
    `rel_j AS MATERIALIZED (SELECT rel_ck.k AS ckey, rel_ck.n AS cn, rel_pk.k AS pkey, rel_pk.n AS pn FROM rel_ck FULL JOIN rel_pk ON rel_ck.k = rel_pk.k)`,
    // Orphan keys that meet a parent key once both are normalised, with one such parent value.
    `rel_fm AS (SELECT ${ckText} AS cv, ${pkText} AS pv FROM rel_j JOIN (SELECT ${normalisedKeySql('k')} AS nk, min(k) AS pv FROM rel_pk GROUP BY 1) AS rel_n ON ${normalisedKeySql('rel_j.ckey')} = rel_n.nk WHERE rel_j.pkey IS NULL)`,
  ];
  const after = timeComparisonSql(
    '>',
    { time: 'rel_c.t', dateOnly: literalOr(e.child.dateOnly, 'rel_c.dd') },
    { time: 'rel_pk.t', dateOnly: literalOr(e.parent.dateOnly, 'rel_pk.dd') },
  );
  const parts = [
    `(SELECT count(*) AS child_rows, count(*) - count(k) AS null_keys FROM rel_c) AS rel_cr`,
    `(SELECT count(*) AS parent_rows, count(*) - count(k) AS parent_null_rows FROM rel_p) AS rel_pr`,
    `(SELECT count(ckey) AS child_keys, count(pkey) AS parent_keys, ${d.countIf('pkey IS NULL')} AS orphan_keys, ` +
      `COALESCE(sum(CASE WHEN pkey IS NULL THEN cn END), 0) AS orphan_rows, ${d.countIf('pn > 1')} AS duplicate_parent_keys, ` +
      `COALESCE(sum(CASE WHEN pn > 1 THEN pn END), 0) AS duplicate_parent_rows, ${d.countIf('ckey IS NULL')} AS childless_parents, ` +
      `COALESCE(sum(CASE WHEN pkey IS NOT NULL THEN pn * COALESCE(cn, 1) END), 0) AS keyed_join_rows FROM rel_j) AS rel_k`,
    `(SELECT count(*) AS matched_keys, avg(cn) AS fanout_mean, ${d.quantileCont('CAST(cn AS DOUBLE)', '0.95')} AS fanout_p95, ` +
      `max(cn) AS fanout_max FROM rel_j WHERE ckey IS NOT NULL AND pkey IS NOT NULL) AS rel_f`,
    `(SELECT count(*) AS format_keys, ${d.countIf('cv <> trim(cv) OR pv <> trim(pv)')} AS format_whitespace, ` +
      `${d.countIf(`ltrim(trim(cv), '0') <> ltrim(trim(pv), '0')`)} AS format_case, ` +
      `${d.countIf('lower(trim(cv)) <> lower(trim(pv))')} AS format_zeros FROM rel_fm) AS rel_m`,
  ];
  if (e.timed)
    parts.push(
      `(SELECT count(*) AS timed_rows, ${d.countIf(after)} AS after_rows FROM rel_c JOIN rel_pk ON rel_c.k = rel_pk.k ` +
        `WHERE rel_c.t IS NOT NULL AND rel_pk.t IS NOT NULL) AS rel_t`,
    );
  const columns = [
    'child_rows',
    'null_keys',
    'parent_rows',
    'parent_null_rows',
    'child_keys',
    'parent_keys',
    'orphan_keys',
    'orphan_rows',
    'duplicate_parent_keys',
    'duplicate_parent_rows',
    'childless_parents',
    'matched_keys',
    'fanout_mean',
    'fanout_p95',
    'fanout_max',
    'keyed_join_rows + parent_null_rows AS rows_after_join',
    'format_keys',
    'format_whitespace',
    'format_case',
    'format_zeros',
    ...(e.timed ? ['timed_rows', 'after_rows'] : []),
  ];
  return `WITH ${ctes.join(',\n')}\nSELECT ${columns.join(', ')}\nFROM ${parts.join('\nCROSS JOIN ')}`;
}

/** `name`, or `parent name` when the child side already uses it: example rows keep one value per key. */
export function exampleColumnNames(names: readonly string[]): string[] {
  const used = new Set<string>();
  return names.map((name) => {
    let out = name;
    while (used.has(out)) out = `parent ${out}`;
    used.add(out);
    return out;
  });
}

const limitSql = (limit: number): string => `LIMIT ${num(Math.max(0, Math.floor(limit)))}`;

/** Whether a parent key with this child key exists (exact comparison), for `NOT EXISTS`. */
function parentMatchSql(relation: RelationSql, childAlias: string): string {
  const asText = keysComparedAsText(relation.child.type, relation.parent.type);
  return (
    `SELECT 1 FROM ${ident(relation.parent.table)} AS rel_p ` +
    `WHERE ${keySql(`rel_p.${ident(relation.parent.column)}`, asText)} = ${keySql(`${childAlias}.${ident(relation.child.column)}`, asText)}`
  );
}

/** Parent keys on more than one row, most repeated first: `{ [parent column]: key, rows: n }`. */
export function duplicateKeysQuery(relation: RelationSql, limit: number): string {
  const [key, rows] = exampleColumnNames([relation.parent.column, 'rows']) as [string, string];
  const pc = ident(relation.parent.column);
  return (
    `SELECT ${pc} AS ${ident(key)}, count(*) AS ${ident(rows)} FROM ${ident(relation.parent.table)} ` +
    `WHERE ${pc} IS NOT NULL GROUP BY ${pc} HAVING count(*) > 1 ORDER BY count(*) DESC, 1 ${limitSql(limit)}`
  );
}

/** Child keys with no parent, most frequent first: `{ [child column]: key, rows: n }`. */
export function orphanKeysQuery(relation: RelationSql, limit: number): string {
  const [key, rows] = exampleColumnNames([relation.child.column, 'rows']) as [string, string];
  const cc = `rel_c.${ident(relation.child.column)}`;
  return (
    `SELECT ${cc} AS ${ident(key)}, count(*) AS ${ident(rows)} FROM ${ident(relation.child.table)} AS rel_c ` +
    `WHERE ${cc} IS NOT NULL AND NOT EXISTS (${parentMatchSql(relation, 'rel_c')}) ` +
    `GROUP BY ${cc} ORDER BY count(*) DESC, 1 ${limitSql(limit)}`
  );
}

/**
 * Orphan child keys that match a parent key once normalised, with that
 * parent value: `{ [child column]: value, [parent column]: value }`.
 */
export function formatMismatchesQuery(relation: RelationSql, limit: number): string {
  const [childName, parentName] = exampleColumnNames([relation.child.column, relation.parent.column]) as [
    string,
    string,
  ];
  const cc = `rel_c.${ident(relation.child.column)}`;
  const pc = ident(relation.parent.column);
  return (
    `WITH rel_o AS (SELECT DISTINCT ${cc} AS v FROM ${ident(relation.child.table)} AS rel_c ` +
    `WHERE ${cc} IS NOT NULL AND NOT EXISTS (${parentMatchSql(relation, 'rel_c')})), ` +
    `rel_n AS (SELECT ${normalisedKeySql(pc)} AS nk, min(${pc}) AS pv FROM ${ident(relation.parent.table)} WHERE ${pc} IS NOT NULL GROUP BY 1) ` +
    `SELECT rel_o.v AS ${ident(childName)}, rel_n.pv AS ${ident(parentName)} FROM rel_o JOIN rel_n ON ${normalisedKeySql('rel_o.v')} = rel_n.nk ` +
    `ORDER BY 1 ${limitSql(limit)}`
  );
}

/**
 * Child rows dated after their parent's (earliest) event time:
 * `{ [child column]: key, [child time]: t, [parent time]: t }`, times as text.
 * Undefined when either end has no time column.
 */
export function afterParentTimeQuery(relation: RelationSql, limit: number): string | undefined {
  const ct = relation.child.time;
  const pt = relation.parent.time;
  if (!ct || !pt) return undefined;
  const e = ends(relation);
  const [keyName, childTimeName, parentTimeName] = exampleColumnNames([
    relation.child.column,
    ct.column,
    pt.column,
  ]) as [string, string, string];
  const cc = ident(relation.child.column);
  const pc = ident(relation.parent.column);
  const ctc = ident(ct.column);
  const after = timeComparisonSql(
    '>',
    { time: 'rel_c.t', dateOnly: literalOr(e.child.dateOnly, 'rel_c.dd') },
    { time: 'rel_p.t', dateOnly: literalOr(e.parent.dateOnly, 'rel_p.dd') },
  );
  // The parent's earliest time as stored (a DATE stays a date); text as parsed, since text sorts by its characters.
  const parentShown = isTextType(pt.type) ? e.parent.time : ident(pt.column);
  // A time as DuckDB writes it, on every engine (ClickHouse adds '.000000'); the child's text as it is.
  const childShown = isTextType(ct.type) ? `CAST(${ctc} AS VARCHAR)` : d.timestampText(ctc);
  return (
    `WITH rel_c AS (SELECT ${cc} AS kv, ${e.child.key} AS k, ${childShown} AS shown, ${e.child.time} AS t, ${e.child.dateOnly} AS dd FROM ${ident(relation.child.table)}), ` +
    `rel_p AS (SELECT ${e.parent.key} AS k, ${d.timestampText(`min(${parentShown})`)} AS shown, min(${e.parent.time}) AS t, ` +
    `max(CASE WHEN ${e.parent.dateOnly} THEN 1 ELSE 0 END) = 1 AS dd FROM ${ident(relation.parent.table)} WHERE ${pc} IS NOT NULL GROUP BY 1) ` +
    `SELECT rel_c.kv AS ${ident(keyName)}, rel_c.shown AS ${ident(childTimeName)}, rel_p.shown AS ${ident(parentTimeName)} ` +
    `FROM rel_c JOIN rel_p ON rel_c.k = rel_p.k WHERE rel_c.t IS NOT NULL AND rel_p.t IS NOT NULL AND ${after} ` +
    `ORDER BY rel_c.t DESC, 1 ${limitSql(limit)}`
  );
}

/**
 * Copyable SQL: the child rows known at prediction time, an as-of join that
 * keeps a child row only when its time is at or before its parent's event
 * time (at DATE granularity when either side is a date only). Undefined
 * when either end has no time column.
 */
export function asOfJoinQuery(relation: RelationSql): string | undefined {
  const ct = relation.child.time;
  const pt = relation.parent.time;
  if (!ct || !pt) return undefined;
  const asText = keysComparedAsText(relation.child.type, relation.parent.type);
  const c = (column: string): string => `c.${ident(column)}`;
  const p = (column: string): string => `p.${ident(column)}`;
  const known = timeComparisonSql(
    '<=',
    { time: timeValueSql(c(ct.column), ct.type), dateOnly: dateOnlySql(c(ct.column), ct.type) },
    { time: timeValueSql(p(pt.column), pt.type), dateOnly: dateOnlySql(p(pt.column), pt.type) },
  );
  return (
    `SELECT c.*\nFROM ${ident(relation.child.table)} AS c\n` +
    `JOIN ${ident(relation.parent.table)} AS p ON ${keySql(c(relation.child.column), asText)} = ${keySql(p(relation.parent.column), asText)}\n` +
    `WHERE ${known}`
  );
}

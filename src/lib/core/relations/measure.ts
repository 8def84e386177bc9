import {
  FORMAT_MISMATCH_KINDS,
  type Cardinality,
  type FormatMismatchKind,
  type RelationLink,
  type RelationResult,
} from '../model/relations';
import type { Row } from '../pipeline/stage';
import {
  afterParentTimeQuery,
  asOfJoinQuery,
  duplicateKeysQuery,
  formatMismatchesQuery,
  isReadableTime,
  keysComparedAsText,
  orphanKeysQuery,
  relationMeasureQuery,
  type RelationSql,
  type TimeColumn,
} from '../sql/relations';
import { isTemporalType } from '../sql/types';
import { RELATION_THRESHOLDS } from '../thresholds/relations';
import type { RelationExamples, RelationTable } from './types';

/**
 * One accepted relation's measurements (issue 22): the relation as the SQL
 * sees it (tables, types, time columns), the result read from its one
 * measurement row, and the example statements its findings need.
 */

/** A relation resolved against the loaded tables. */
export interface MeasuredRelation {
  link: RelationLink;
  sql: RelationSql;
}

function column(table: RelationTable, name: string | undefined): TimeColumn | undefined {
  const found = name === undefined ? undefined : table.columns.find((c) => c.name === name);
  return found && isReadableTime(found.type) ? { column: found.name, type: found.type } : undefined;
}

/** The parent's time: its event time (the prediction time), when readable as a time. */
export function parentTime(table: RelationTable): TimeColumn | undefined {
  return column(table, table.roles.eventTime);
}

/**
 * The child's time: its event time, else its first column the profile reads
 * as temporal or typed DATE/TIMESTAMP.
 */
export function childTime(table: RelationTable, keyColumn: string): TimeColumn | undefined {
  const role = column(table, table.roles.eventTime);
  if (role) return role;
  const temporal = new Set(
    (table.profile?.columns ?? []).filter((c) => c.family === 'temporal').map((c) => c.name),
  );
  const first = table.columns.find(
    (c) => c.name !== keyColumn && (temporal.has(c.name) || isTemporalType(c.type)),
  );
  return column(table, first?.name);
}

/** The relation for the SQL, or undefined when a dataset or column is not loaded. */
export function measuredRelation(
  link: RelationLink,
  tables: readonly RelationTable[],
): MeasuredRelation | undefined {
  const child = tables.find((t) => t.datasetId === link.child.dataset);
  const parent = tables.find((t) => t.datasetId === link.parent.dataset);
  const childColumn = child?.columns.find((c) => c.name === link.child.column);
  const parentColumn = parent?.columns.find((c) => c.name === link.parent.column);
  if (!child || !parent || !childColumn || !parentColumn) return undefined;
  const ct = childTime(child, childColumn.name);
  const pt = parentTime(parent);
  const timed = ct && pt ? { child: ct, parent: pt } : undefined;
  return {
    link: { child: { ...link.child }, parent: { ...link.parent } },
    sql: {
      child: {
        table: child.tableName,
        column: childColumn.name,
        type: childColumn.type,
        ...(timed ? { time: timed.child } : {}),
      },
      parent: {
        table: parent.tableName,
        column: parentColumn.name,
        type: parentColumn.type,
        ...(timed ? { time: timed.parent } : {}),
      },
    },
  };
}

const count = (row: Row, key: string): number => {
  const value = Number(row[key] ?? 0);
  return Number.isFinite(value) ? value : 0;
};
const nullable = (row: Row, key: string): number | null => {
  const value = row[key];
  if (value === null || value === undefined) return null;
  const n = Number(value);
  return Number.isFinite(n) ? n : null;
};
const share = (part: number, whole: number): number => (whole > 0 ? part / whole : 0);

/** Parent side : child side, "1" when that side's key is unique (both many: n:m). */
function cardinalityOf(parentUnique: boolean, childUnique: boolean): Cardinality {
  if (parentUnique) return childUnique ? '1:1' : '1:n';
  return childUnique ? 'n:1' : 'n:m';
}

/** A relation's result from its measurement row (`relationMeasureQuery`). */
export function relationResult(relation: MeasuredRelation, row: Row): RelationResult {
  const { link, sql } = relation;
  const childKeys = count(row, 'child_keys');
  const parentKeys = count(row, 'parent_keys');
  const childRows = count(row, 'child_rows');
  const orphanKeys = count(row, 'orphan_keys');
  const nullKeys = count(row, 'null_keys');
  const duplicateParentKeys = count(row, 'duplicate_parent_keys');
  const childlessParents = count(row, 'childless_parents');
  const matched = count(row, 'matched_keys');
  const fanoutMax = matched > 0 ? nullable(row, 'fanout_max') : null;
  const cardinality = cardinalityOf(duplicateParentKeys === 0, (fanoutMax ?? 0) <= 1);
  const present: Record<FormatMismatchKind, boolean> = {
    'leading-zeros': count(row, 'format_zeros') > 0,
    case: count(row, 'format_case') > 0,
    whitespace: count(row, 'format_whitespace') > 0,
  };
  const asOfSql = asOfJoinQuery(sql);
  const timedRows = count(row, 'timed_rows');
  const afterRows = count(row, 'after_rows');
  const pointInTime =
    sql.child.time && sql.parent.time && asOfSql
      ? {
          parentTime: sql.parent.time.column,
          childTime: sql.child.time.column,
          timedRows,
          rowsAfterParentTime: afterRows,
          share: share(afterRows, timedRows),
          asOfSql,
        }
      : null;
  return {
    child: { ...link.child },
    parent: { ...link.parent },
    comparedAsText: keysComparedAsText(sql.child.type, sql.parent.type),
    childRows,
    parentRows: count(row, 'parent_rows'),
    childKeys,
    parentKeys,
    orphanKeys,
    orphanKeyShare: share(orphanKeys, childKeys),
    orphanRows: count(row, 'orphan_rows'),
    nullKeys,
    nullKeyShare: share(nullKeys, childRows),
    duplicateParentKeys,
    duplicateParentRows: count(row, 'duplicate_parent_rows'),
    childlessParents,
    childlessParentShare: share(childlessParents, parentKeys),
    cardinality,
    fanout: {
      mean: matched > 0 ? nullable(row, 'fanout_mean') : null,
      p95: matched > 0 ? nullable(row, 'fanout_p95') : null,
      max: fanoutMax,
    },
    rowsBeforeJoin: count(row, 'parent_rows'),
    rowsAfterJoin: count(row, 'rows_after_join'),
    formatMismatch: {
      keys: count(row, 'format_keys'),
      kinds: FORMAT_MISMATCH_KINDS.filter((kind) => present[kind]),
    },
    rowsAfterParentTime: pointInTime ? afterRows : null,
    pointInTime,
    sql: relationMeasureQuery(sql),
  };
}

/** The example statements a result calls for: only those whose count is above zero. */
export function exampleQueries(
  relation: MeasuredRelation,
  result: RelationResult,
  limit: number = RELATION_THRESHOLDS.examples,
): Partial<Record<keyof Omit<RelationExamples, 'link'>, string>> {
  const after = (result.rowsAfterParentTime ?? 0) > 0 ? afterParentTimeQuery(relation.sql, limit) : undefined;
  return {
    ...(result.duplicateParentKeys > 0 ? { duplicateKeys: duplicateKeysQuery(relation.sql, limit) } : {}),
    ...(result.orphanKeys > 0 ? { orphanKeys: orphanKeysQuery(relation.sql, limit) } : {}),
    ...(result.formatMismatch.keys > 0
      ? { formatMismatches: formatMismatchesQuery(relation.sql, limit) }
      : {}),
    ...(after ? { afterParentTime: after } : {}),
  };
}

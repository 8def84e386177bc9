import type { RelationLink, RelationResult } from '../../../../src/lib/core/model/relations';

/**
 * Measurements of one relation as the analysis would save them, for the pure
 * tests of the judgement and the document: a clean 1:n relation unless told.
 */
export function link(child: string, childColumn: string, parent: string, parentColumn: string): RelationLink {
  return {
    child: { dataset: child, column: childColumn },
    parent: { dataset: parent, column: parentColumn },
  };
}

export function result(l: RelationLink, over: Partial<RelationResult> = {}): RelationResult {
  return {
    ...l,
    comparedAsText: false,
    childRows: 2_000,
    parentRows: 1_000,
    childKeys: 1_000,
    parentKeys: 1_000,
    orphanKeys: 0,
    orphanKeyShare: 0,
    orphanRows: 0,
    nullKeys: 0,
    nullKeyShare: 0,
    duplicateParentKeys: 0,
    duplicateParentRows: 0,
    childlessParents: 0,
    childlessParentShare: 0,
    cardinality: '1:n',
    fanout: { mean: 2, p95: 4, max: 7 },
    rowsBeforeJoin: 1_000,
    rowsAfterJoin: 2_000,
    formatMismatch: { keys: 0, kinds: [] },
    rowsAfterParentTime: null,
    pointInTime: null,
    sql: 'SELECT 1 AS counts',
    ...over,
  };
}

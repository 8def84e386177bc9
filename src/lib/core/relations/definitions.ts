import type { RelationFindingKind } from '../readiness/check-ids';
import type { FindingKindDefinition } from '../readiness/finding-facts';

/**
 * How each related-table finding reads and is fixed, and the label of every
 * evidence key its findings carry. `relations/findings` raises them.
 */

export const RELATION_CHECKS = {
  duplicateKeys: 'relations-duplicate-keys',
  orphans: 'relations-orphans',
  nullKeys: 'relations-null-keys',
  childless: 'relations-childless',
  fanout: 'relations-fanout',
  keyFormat: 'relations-key-format',
  pointInTime: 'relations-point-in-time',
  unreachable: 'relations-unreachable',
} as const satisfies Record<string, RelationFindingKind>;

const CHILD = { label: 'Child table', kind: 'text' } as const;
const PARENT = { label: 'Parent table', kind: 'text' } as const;
const CHILD_ROWS = { label: 'Child rows', kind: 'count', unit: 'row' } as const;
const PARENT_ROWS = { label: 'Parent rows', kind: 'count', unit: 'row' } as const;
const CHILD_KEYS = { label: 'Distinct child keys', kind: 'count', unit: 'key' } as const;
const PARENT_KEYS = { label: 'Distinct parent keys', kind: 'count', unit: 'key' } as const;
const ENDS = { child: CHILD, parent: PARENT };

export const RELATION_FINDING_DEFINITIONS: Readonly<Record<RelationFindingKind, FindingKindDefinition>> = {
  [RELATION_CHECKS.duplicateKeys]: {
    id: RELATION_CHECKS.duplicateKeys,
    area: 'relations',
    meaning:
      'A key that repeats in the parent table joins every child row to several parents: labels and features are duplicated and counts inflate.',
    fix: 'upstream',
    owner: 'source-owner',
    evidence: {
      ...ENDS,
      duplicateKeys: { label: 'Duplicated parent keys', kind: 'count', unit: 'key' },
      duplicateRows: { label: 'Parent rows carrying them', kind: 'count', unit: 'row' },
      parentKeys: PARENT_KEYS,
      share: { label: 'Share of parent keys', kind: 'share' },
    },
  },
  [RELATION_CHECKS.orphans]: {
    id: RELATION_CHECKS.orphans,
    area: 'relations',
    meaning:
      'Child keys with no parent are lost by an inner join and carry no label: features built from them silently drop.',
    fix: 'upstream',
    owner: 'data-engineering',
    evidence: {
      ...ENDS,
      orphanKeys: { label: 'Orphan keys', kind: 'count', unit: 'key' },
      childKeys: CHILD_KEYS,
      share: { label: 'Share of distinct child keys', kind: 'share' },
      orphanRows: { label: 'Child rows they cover', kind: 'count', unit: 'row' },
      childRows: CHILD_ROWS,
    },
  },
  [RELATION_CHECKS.nullKeys]: {
    id: RELATION_CHECKS.nullKeys,
    area: 'relations',
    meaning: 'Child rows without a key join no parent: whatever they record is lost to the features.',
    fix: 'upstream',
    owner: 'data-engineering',
    evidence: {
      ...ENDS,
      nullKeys: { label: 'Child rows with no key', kind: 'count', unit: 'row' },
      childRows: CHILD_ROWS,
      share: { label: 'Share of child rows', kind: 'share' },
    },
  },
  [RELATION_CHECKS.childless]: {
    id: RELATION_CHECKS.childless,
    area: 'relations',
    meaning:
      'Parents with no child get no value for features built from the child table: the model must treat “none” as its own case.',
    fix: 'pipeline',
    owner: 'ml-engineering',
    evidence: {
      ...ENDS,
      childlessParents: { label: 'Parent keys with no child', kind: 'count', unit: 'key' },
      parentKeys: PARENT_KEYS,
      share: { label: 'Share of parent keys', kind: 'share' },
    },
  },
  [RELATION_CHECKS.fanout]: {
    id: RELATION_CHECKS.fanout,
    area: 'relations',
    meaning:
      'How many child rows each parent has: joined without aggregating, the label table grows by this factor and every model row is counted several times.',
    fix: 'pipeline',
    owner: 'data-engineering',
    evidence: {
      ...ENDS,
      cardinality: { label: 'Cardinality (parent : child)', kind: 'text' },
      fanoutMean: { label: 'Child rows per parent, mean', kind: 'number', digits: 2 },
      fanoutP95: { label: 'Child rows per parent, 95th percentile', kind: 'number' },
      fanoutMax: { label: 'Child rows per parent, most', kind: 'count', unit: 'row' },
      rowsBeforeJoin: { label: 'Parent rows before the join', kind: 'count', unit: 'row' },
      rowsAfterJoin: { label: 'Rows after the join', kind: 'count', unit: 'row' },
      parentRows: PARENT_ROWS,
    },
  },
  [RELATION_CHECKS.keyFormat]: {
    id: RELATION_CHECKS.keyFormat,
    area: 'relations',
    meaning:
      'Keys written differently on the two sides (leading zeros, case, spaces, types) fail to join although they name the same entity.',
    fix: 'pipeline',
    owner: 'data-engineering',
    evidence: {
      ...ENDS,
      mismatchedKeys: { label: 'Orphan keys that match once normalised', kind: 'count', unit: 'key' },
      childKeys: CHILD_KEYS,
      share: { label: 'Share of distinct child keys', kind: 'share' },
      kinds: { label: 'Differences found', kind: 'list' },
      comparedAsText: { label: 'Types differ: compared as text', kind: 'boolean' },
    },
  },
  [RELATION_CHECKS.pointInTime]: {
    id: RELATION_CHECKS.pointInTime,
    area: 'relations',
    meaning:
      'Child rows dated after their parent’s prediction time record the future: any feature built from them leaks it, and the model will not have them in production.',
    fix: 'pipeline',
    owner: 'ml-engineering',
    evidence: {
      ...ENDS,
      rowsAfter: { label: 'Child rows after the prediction time', kind: 'count', unit: 'row' },
      timedRows: { label: 'Joined child rows with both times', kind: 'count', unit: 'row' },
      share: { label: 'Share of timed child rows', kind: 'share' },
      parentTime: { label: 'Prediction time (parent)', kind: 'text' },
      childTime: { label: 'Child time column', kind: 'text' },
      majorAt: { label: 'Major from', kind: 'share' },
      blockerAt: { label: 'Blocker from', kind: 'share' },
    },
  },
  [RELATION_CHECKS.unreachable]: {
    id: RELATION_CHECKS.unreachable,
    area: 'relations',
    meaning:
      'A table with no accepted relation leading to the label’s table cannot feed the model: how it joins must be found or it is out of scope.',
    fix: 'pipeline',
    owner: 'data-engineering',
    evidence: {
      table: { label: 'Table', kind: 'text' },
      labelTable: { label: 'Label’s table', kind: 'text' },
      rows: { label: 'Rows', kind: 'count', unit: 'row' },
    },
  },
};

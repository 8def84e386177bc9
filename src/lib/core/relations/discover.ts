import { formatCount, formatShare } from '../format';
import type { ColumnProfile } from '../model/audit';
import { sameLink, type RelationLink, type RelationSuggestion } from '../model/relations';
import { keysComparedAsText } from '../sql/relations';
import { isIntegerType, sqlKind } from '../sql/types';
import { RELATION_THRESHOLDS, type RelationThresholds } from '../thresholds/relations';
import type { RelationTable, RelationsInput } from './types';

/**
 * Key discovery (issue 22), the pure half: which columns may be keys, which
 * child columns to test against them, and which measured pairs to suggest.
 * The profile only pre-filters (its distinct counts may be estimates);
 * uniqueness and inclusion are measured in SQL (`core/sql/relations`).
 */

// The profile's distinct count may be a HyperLogLog estimate or a sample's:
// a column this far below a threshold on the profile is still measured.
const PROFILE_SLACK = 0.1;
// Keys are short codes: text columns longer than this are prose, not keys.
const MAX_KEY_LENGTH = 100;
// Names every table uses for its own row id: equal names say something only
// when the child's column repeats (a foreign key, as pbcseq.id → pbc.id), not
// when it is the child's own row id (tickets.id beside customers.id).
const GENERIC_NAMES = new Set(['id', 'key', 'index', 'rowid', 'row', 'pk', 'uuid', 'name']);

/** A column of a table that discovery reads. */
export interface DiscoveryColumn {
  table: RelationTable;
  column: string;
  type: string;
  profile?: ColumnProfile;
}

/** Exact counts of a candidate key column, measured in SQL. */
export interface KeyStats {
  nonNull: number;
  distinct: number;
}

/** A child column to test against a parent key. */
export interface CandidatePair {
  child: DiscoveryColumn;
  parent: DiscoveryColumn;
  nameMatch: boolean;
  comparedAsText: boolean;
  /** Distinct values over non-null rows of the parent key. */
  parentUniqueness: number;
}

/** A candidate pair with what its inclusion test measured. */
export interface MeasuredPair extends CandidatePair {
  childKeys: number;
  contained: number;
}

/** Lower-case letters and digits only: `Customer_ID` and `customerid` agree. */
export function normalisedName(name: string): string {
  return name.toLowerCase().replace(/[^a-z0-9]/g, '');
}

/** A dataset label's stem: the file name without folders or extension (`data/customers.csv` → `customers`). */
export function tableStem(label: string): string {
  const base =
    label
      .replace(/\s\(\d+\)$/, '')
      .split(/[\\/]/)
      .pop() ?? label;
  return base.replace(/\.[^.]*$/, '').replace(/(\.[a-z0-9]{1,4})+$/i, '');
}

/** A plural English noun's singular, for table names: `customers` → `customer`, `categories` → `category`. */
export function singular(word: string): string {
  if (/ies$/.test(word)) return `${word.slice(0, -3)}y`;
  if (/(sses|xes|ches|shes)$/.test(word)) return word.slice(0, -2);
  if (/[^su]s$/.test(word)) return word.slice(0, -1);
  return word;
}

/**
 * Whether a child column's name points at a parent key: the same name (a
 * generic `id` only when the child column is not unique in its own table),
 * `customer_id` ↔ customers' `id` (singular stem + parent column), or
 * `customers_id` ↔ customers' `id`.
 */
export function namesMatch(
  childColumn: string,
  parentLabel: string,
  parentColumn: string,
  childUnique = true,
): boolean {
  const child = normalisedName(childColumn);
  const parent = normalisedName(parentColumn);
  const stem = normalisedName(tableStem(parentLabel));
  if (child === '' || parent === '') return false;
  if (child === parent) return !GENERIC_NAMES.has(child) || !childUnique;
  if (child === singular(stem) + parent) return true;
  return parent === 'id' && child === `${stem}id`;
}

/** Whether a column's type can hold a key: integers, text, exact decimals and UUIDs (never floats, booleans or times). */
function keyType(type: string): boolean {
  const kind = sqlKind(type);
  return (
    kind === 'integer' || kind === 'string' || kind === 'decimal' || type.trim().toUpperCase() === 'UUID'
  );
}

/** The columns of a table discovery reads: key-typed, short, not the target or an excluded or time column. */
export function discoveryColumns(
  table: RelationTable,
  t: RelationThresholds = RELATION_THRESHOLDS,
): DiscoveryColumn[] {
  const roles = table.roles;
  const skipped = new Set(
    [roles.target, roles.eventTime, roles.outcomeTime, ...(roles.excluded ?? [])].filter(
      (c): c is string => c !== undefined,
    ),
  );
  const profiles = new Map((table.profile?.columns ?? []).map((c) => [c.name, c]));
  return table.columns
    .slice(0, t.maxColumnsPerTable)
    .filter((c) => keyType(c.type) && !skipped.has(c.name))
    .map((c) => {
      const profile = profiles.get(c.name);
      return { table, column: c.name, type: c.type, ...(profile ? { profile } : {}) };
    })
    .filter((c) => c.profile?.family !== 'temporal' && (c.profile?.text?.lengthMax ?? 0) <= MAX_KEY_LENGTH);
}

/** The tables discovery reads: the label's table first, at most `maxTables`. */
export function discoveryTables(
  input: RelationsInput,
  t: RelationThresholds = RELATION_THRESHOLDS,
): RelationTable[] {
  const label = input.tables.filter((table) => table.datasetId === input.labelDataset);
  const others = input.tables.filter((table) => table.datasetId !== input.labelDataset);
  return [...label, ...others].slice(0, t.maxTables);
}

/** Distinct over non-null of a profiled column, or undefined without a profile. */
function profileUniqueness(profile: ColumnProfile | undefined): number | undefined {
  if (!profile || profile.count <= 0) return undefined;
  return profile.distinct.value / profile.count;
}

/**
 * The columns whose uniqueness is worth measuring in SQL: key-typed columns
 * the profile does not rule out (nearly unique, within `PROFILE_SLACK`).
 */
export function keyCandidates(
  input: RelationsInput,
  t: RelationThresholds = RELATION_THRESHOLDS,
): DiscoveryColumn[] {
  return discoveryTables(input, t).flatMap((table) =>
    discoveryColumns(table, t).filter((c) => {
      const uniqueness = profileUniqueness(c.profile);
      return uniqueness === undefined || uniqueness >= t.keyUniqueness - PROFILE_SLACK;
    }),
  );
}

/** Same column names (as sets): two extracts of one table, e.g. drift's reference and current. */
function sameSchema(a: RelationTable, b: RelationTable): boolean {
  const names = new Set(a.columns.map((c) => c.name));
  return a.columns.length === b.columns.length && b.columns.every((c) => names.has(c.name));
}

const uniqueness = (stats: KeyStats): number => (stats.nonNull > 0 ? stats.distinct / stats.nonNull : 0);
const columnKey = (c: DiscoveryColumn): string => JSON.stringify([c.table.datasetId, c.column]);

/** The link a pair stands for. */
export function pairLink(pair: Pick<CandidatePair, 'child' | 'parent'>): RelationLink {
  return {
    child: { dataset: pair.child.table.datasetId, column: pair.child.column },
    parent: { dataset: pair.parent.table.datasetId, column: pair.parent.column },
  };
}

/** The same two columns in either direction. */
function sameColumns(a: RelationLink, b: RelationLink): boolean {
  return sameLink(a, b) || sameLink(a, { child: b.parent, parent: b.child });
}

/**
 * Child columns to test against each confirmed key, ranked (names agreeing
 * first, then how well the distinct counts fit) and capped at
 * `maxCandidatePairs`. A name-free pair into an integer key is never tested:
 * it could not be suggested (small integer codes fall inside any id range).
 */
export function candidatePairs(
  input: RelationsInput,
  keys: ReadonlyMap<DiscoveryColumn, KeyStats>,
  t: RelationThresholds = RELATION_THRESHOLDS,
): CandidatePair[] {
  const tables = discoveryTables(input, t);
  const columns = new Map(tables.map((table) => [table.datasetId, discoveryColumns(table, t)]));
  const decided = [...input.accepted, ...input.dismissed];
  // A column not measured was ruled out as a key by its profile: it repeats.
  const measured = new Map(
    [...keys].map(([column, stats]) => [columnKey(column), { unique: uniqueness(stats) >= t.keyUniqueness }]),
  );
  const ranked: { pair: CandidatePair; fit: number; childDistinct: number }[] = [];
  for (const [parent, stats] of keys) {
    const parentUniqueness = uniqueness(stats);
    if (stats.distinct < 2 || parentUniqueness < t.keyUniqueness) continue;
    for (const table of tables) {
      if (table.datasetId === parent.table.datasetId || sameSchema(table, parent.table)) continue;
      for (const child of columns.get(table.datasetId) ?? []) {
        const link = pairLink({ child, parent });
        if (decided.some((l) => sameColumns(l, link))) continue;
        const nameMatch = namesMatch(
          child.column,
          parent.table.label,
          parent.column,
          measured.get(columnKey(child))?.unique ?? false,
        );
        const childDistinct = child.profile?.distinct.value;
        if (!nameMatch) {
          if (isIntegerType(parent.type)) continue;
          if (childDistinct !== undefined && childDistinct < t.minChildKeysUnnamed * (1 - PROFILE_SLACK))
            continue;
        }
        // At most `distinct parent keys / distinct child keys` of the child's values can be contained.
        const fit = childDistinct ? Math.min(1, stats.distinct / childDistinct) : 1;
        if (fit < t.minContainment * (1 - PROFILE_SLACK)) continue;
        ranked.push({
          pair: {
            child,
            parent,
            nameMatch,
            comparedAsText: keysComparedAsText(child.type, parent.type),
            parentUniqueness,
          },
          fit,
          childDistinct: childDistinct ?? 0,
        });
      }
    }
  }
  return ranked
    .sort(
      (a, b) =>
        Number(b.pair.nameMatch) - Number(a.pair.nameMatch) ||
        b.fit - a.fit ||
        b.childDistinct - a.childDistinct,
    )
    .slice(0, t.maxCandidatePairs)
    .map((r) => r.pair);
}

/** The suggestion rule: agreeing names and most values contained, or no names and nearly all of many values into a non-integer key. */
export function isSuggested(pair: MeasuredPair, t: RelationThresholds = RELATION_THRESHOLDS): boolean {
  if (pair.childKeys <= 0) return false;
  const containment = pair.contained / pair.childKeys;
  if (pair.nameMatch) return containment >= t.minContainment;
  return (
    containment >= t.minContainmentUnnamed &&
    pair.childKeys >= t.minChildKeysUnnamed &&
    !isIntegerType(pair.parent.type)
  );
}

function reason(pair: MeasuredPair, containment: number): string {
  const key =
    pair.parentUniqueness >= 1
      ? 'a unique key'
      : `a key unique on ${formatShare(pair.parentUniqueness)} of its rows`;
  const notes = [
    ...(pair.nameMatch ? ['the names agree'] : []),
    ...(pair.comparedAsText ? ['compared as text, as the types differ'] : []),
  ];
  return (
    `${formatShare(containment)} of the ${formatCount(pair.childKeys)} distinct ${pair.child.column} values in ` +
    `${pair.child.table.label} are ${pair.parent.column} values in ${pair.parent.table.label}, ${key}` +
    `${notes.length ? `; ${notes.join('; ')}` : ''}.`
  );
}

/**
 * Suggestions from measured pairs: those the rule accepts, at most one per
 * child column (best containment, then agreeing names), in the pairs' order.
 */
export function suggestionsFrom(
  pairs: readonly MeasuredPair[],
  t: RelationThresholds = RELATION_THRESHOLDS,
): RelationSuggestion[] {
  const best = new Map<string, MeasuredPair>();
  const containment = (p: MeasuredPair): number => p.contained / p.childKeys;
  for (const pair of pairs.filter((p) => isSuggested(p, t))) {
    const key = JSON.stringify([pair.child.table.datasetId, pair.child.column]);
    const held = best.get(key);
    const better =
      !held ||
      containment(pair) > containment(held) ||
      (containment(pair) === containment(held) && pair.nameMatch && !held.nameMatch);
    if (better) best.set(key, pair);
  }
  return [...best.values()].map((pair) => ({
    ...pairLink(pair),
    containment: containment(pair),
    parentUniqueness: pair.parentUniqueness,
    childKeys: pair.childKeys,
    nameMatch: pair.nameMatch,
    comparedAsText: pair.comparedAsText,
    reason: reason(pair, containment(pair)),
  }));
}

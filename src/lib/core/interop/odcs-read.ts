import { parse } from 'yaml';
import {
  SPEC_DIMENSIONS,
  type LogicalType,
  type RuleExpectation,
  type RuleKind,
  type RuleMeasure,
  type SpecDimension,
  type SpecRule,
} from './spec';
import {
  fromPercent,
  isScalar,
  OdcsError,
  OPERATORS,
  paramsFromLibrary,
  specSql,
  type OdcsMetric,
  type Params,
} from './odcs-terms';

/**
 * Reading back a contract `writeOdcs` wrote (the round trip of issue 23): its
 * objects, foreign keys and quality rules in the check spec's terms, the rules'
 * thresholds, columns and arguments taken from the ODCS constructs themselves.
 */

export interface OdcsColumn {
  name: string;
  logicalType: LogicalType;
  physicalType: string;
  required: boolean;
  unique: boolean;
  primaryKey: boolean;
  primaryKeyPosition?: number;
  classification?: string;
}

export interface OdcsRelationship {
  child: { object: string; column: string };
  parent: { object: string; column: string };
  cardinality: string;
  comparedAsText: boolean;
}

/** A rule as the contract states it, in the spec's terms; `sql` only for `type: sql` rules. */
export type OdcsRule = Omit<SpecRule, 'sql' | 'failingRowsSql'> & {
  construct: { type: 'library'; metric: OdcsMetric } | { type: 'sql'; query: string };
  sql?: string;
};

export interface OdcsReadBack {
  id: string;
  apiVersion: string;
  objects: { name: string; columns: OdcsColumn[] }[];
  relationships: OdcsRelationship[];
  rules: OdcsRule[];
}

type Json = Record<string, unknown>;

function isRecord(v: unknown): v is Json {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function records(v: unknown): Json[] {
  return Array.isArray(v) ? v.filter(isRecord) : [];
}

function text(v: unknown, what: string): string {
  if (typeof v !== 'string') throw new OdcsError(`${what} is not text`);
  return v;
}

function customMap(node: Json): Map<string, unknown> {
  return new Map(
    records(node['customProperties']).map((c) => [text(c['property'], 'A custom property'), c['value']]),
  );
}

function oneOf<T extends string>(value: unknown, options: readonly T[], what: string): T {
  const found = options.find((o) => o === value);
  if (found === undefined)
    throw new OdcsError(`${what} ${String(value)} is not one of ${options.join(', ')}`);
  return found;
}

const LOGICAL_TYPES = [
  'string',
  'integer',
  'number',
  'boolean',
  'date',
  'timestamp',
  'object',
  'array',
] as const;
const KINDS = [
  'row-count',
  'not-null',
  'null-rate',
  'unique',
  'accepted-values',
  'range',
  'invalid-values',
  'freshness',
  'relationship',
  'duplicate-rows',
  'sql',
  'drift',
] as const satisfies readonly RuleKind[];
const MEASURES = [
  'violations',
  'rows',
  'share',
  'days',
  'statistic',
] as const satisfies readonly RuleMeasure[];
const EXPECT_OPS = ['=', '<=', '>='] as const satisfies readonly RuleExpectation['op'][];
const SOURCES = ['profile', 'finding', 'relation', 'volume', 'time', 'monitoring'] as const;
const STATISTICS = ['psi', 'jensen-shannon', 'missing-rate'] as const;
const METRICS = [
  'rowCount',
  'nullValues',
  'duplicateValues',
  'invalidValues',
] as const satisfies readonly OdcsMetric[];

function readSource(v: unknown): SpecRule['source'] {
  if (!isRecord(v)) throw new OdcsError('A rule has no source');
  return {
    from: oneOf(v['from'], SOURCES, 'The source'),
    ...(typeof v['check'] === 'string' && { check: v['check'] }),
    ...(typeof v['findingId'] === 'string' && { findingId: v['findingId'] }),
  };
}

/** The params a rule's custom properties carry, key by key with its type. */
function readParams(v: unknown): Params {
  if (!isRecord(v)) return {};
  const out: Params = {};
  const n = (key: string) => (typeof v[key] === 'number' ? v[key] : undefined);
  const s = (key: string) => (typeof v[key] === 'string' ? v[key] : undefined);
  const ns = (key: string) => n(key) ?? s(key);
  if (n('minRows') !== undefined) out.minRows = n('minRows');
  if (n('maxShare') !== undefined) out.maxShare = n('maxShare');
  if (Array.isArray(v['values'])) out.values = v['values'].filter(isScalar);
  if (ns('min') !== undefined) out.min = ns('min');
  if (ns('max') !== undefined) out.max = ns('max');
  if (n('maxAgeDays') !== undefined) out.maxAgeDays = n('maxAgeDays');
  if (s('parentObject') !== undefined) out.parentObject = s('parentObject');
  if (s('parentColumn') !== undefined) out.parentColumn = s('parentColumn');
  if (typeof v['comparedAsText'] === 'boolean') out.comparedAsText = v['comparedAsText'];
  if (v['statistic'] !== undefined) out.statistic = oneOf(v['statistic'], STATISTICS, 'The statistic');
  if (n('retrain') !== undefined) out.retrain = n('retrain');
  return out;
}

/** `object.property` or `schema/<objectId>/properties/<propertyId>`, as names. */
function resolveReference(ref: unknown, schema: Json[]): { object: string; column: string } {
  const value = text(ref, 'A relationship end');
  const path = /^schema\/([^/]+)\/properties\/([^/]+)$/.exec(value);
  if (!path) {
    const [object, column] = value.split('.');
    if (!object || !column) throw new OdcsError(`Cannot read the reference ${value}`);
    return { object, column };
  }
  const object = schema.find((o) => o['id'] === path[1]);
  const column = records(object?.['properties']).find((p) => p['id'] === path[2]);
  if (!object || !column) throw new OdcsError(`The reference ${value} names no property`);
  return { object: text(object['name'], 'An object name'), column: text(column['name'], 'A property name') };
}

function readRule(node: Json, object: string, column: string | undefined): OdcsRule {
  const props = customMap(node);
  const kind = oneOf(props.get('ruleKind'), KINDS, 'The rule kind');
  const op = EXPECT_OPS.find((o) => typeof node[OPERATORS[o]] === 'number');
  const stated = op === undefined ? undefined : node[OPERATORS[op]];
  if (op === undefined || typeof stated !== 'number')
    throw new OdcsError(`Rule ${String(node['id'])} has no operator this writer uses`);
  const percent = node['unit'] === 'percent';
  const threshold = percent ? fromPercent(stated) : stated;
  const args = isRecord(node['arguments']) ? node['arguments'] : {};
  const leftover = readParams(props.get('params'));
  const source = readSource(props.get('source'));
  const listed = props.get('columns') ?? args['properties'];
  const columns =
    column !== undefined ? [column] : Array.isArray(listed) ? listed.map((c) => text(c, 'A column')) : [];
  const severity = node['severity'] === 'warning' ? 'warn' : 'error';
  const base = {
    id: text(props.get('ruleId'), 'A rule id'),
    kind,
    object,
    columns,
    dimension: oneOf(node['dimension'], SPEC_DIMENSIONS, 'The dimension') satisfies SpecDimension,
    severity,
    description: text(node['description'], 'A rule description'),
    measure: oneOf(props.get('measure'), MEASURES, 'The measure'),
    expect: { op, threshold },
    observed: Number(props.get('observed')),
    source,
  } satisfies Partial<OdcsRule>;
  if (node['type'] === 'sql') {
    const query = text(node['query'], 'A query');
    return {
      ...base,
      params: leftover,
      construct: { type: 'sql', query },
      sql: specSql(query, leftover.parentObject),
    };
  }
  const metric = oneOf(node['metric'], METRICS, 'The metric');
  return {
    ...base,
    params: { ...paramsFromLibrary(kind, args, threshold), ...leftover },
    construct: { type: 'library', metric },
  };
}

/** Read back a contract `writeOdcs` wrote: its objects, relations and rules in the spec's terms. */
export function readOdcs(yamlText: string): OdcsReadBack {
  const doc: unknown = parse(yamlText);
  if (!isRecord(doc)) throw new OdcsError('The contract is not a YAML mapping');
  const schema = records(doc['schema']);
  const objects: OdcsReadBack['objects'] = [];
  const relationships: OdcsRelationship[] = [];
  const rules: OdcsRule[] = [];
  for (const o of schema) {
    const object = text(o['name'], 'An object name');
    const properties = records(o['properties']);
    objects.push({
      name: object,
      columns: properties.map((p) => ({
        name: text(p['name'], 'A property name'),
        logicalType: oneOf(p['logicalType'], LOGICAL_TYPES, 'The logical type'),
        physicalType: text(p['physicalType'], 'A physical type'),
        required: p['required'] === true,
        unique: p['unique'] === true,
        primaryKey: p['primaryKey'] === true,
        ...(typeof p['primaryKeyPosition'] === 'number' && { primaryKeyPosition: p['primaryKeyPosition'] }),
        ...(typeof p['classification'] === 'string' && { classification: p['classification'] }),
      })),
    });
    for (const p of properties)
      for (const q of records(p['quality']))
        rules.push(readRule(q, object, text(p['name'], 'A property name')));
    for (const q of records(o['quality'])) rules.push(readRule(q, object, undefined));
    for (const r of records(o['relationships'])) {
      const props = customMap(r);
      relationships.push({
        child: resolveReference(r['from'], schema),
        parent: resolveReference(r['to'], schema),
        cardinality: text(props.get('cardinality'), 'A cardinality'),
        comparedAsText: props.get('comparedAsText') === true,
      });
    }
  }
  return {
    id: text(doc['id'], 'The contract id'),
    apiVersion: text(doc['apiVersion'], 'The API version'),
    objects,
    relationships,
    rules,
  };
}

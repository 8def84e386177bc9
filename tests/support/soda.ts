import { parse } from 'yaml';

/**
 * A structural check of a Soda Core v4 data contract against the keys Soda
 * documents (docs.soda.io, "Contract language reference", and the key names
 * of soda-core 4.x's contract JSON Schema). That schema is under the Elastic
 * License 2.0, so it is not vendored: these few rules restate the documented
 * keys in our own words.
 */

type Node = Record<string, unknown>;

const CONTRACT_KEYS = ['dataset', 'description', 'filter', 'variables', 'soda_runner', 'columns', 'checks'];
const COLUMN_KEYS = ['name', 'description', 'data_type', 'character_maximum_length', 'optional', 'checks'];
const COMMON = ['name', 'qualifier', 'attributes', 'threshold', 'filter'];

/** The keys each check type documents. */
const COLUMN_CHECKS: Record<string, string[]> = {
  missing: [...COMMON, 'missing_values', 'missing_format'],
  invalid: [
    ...COMMON,
    'valid_values',
    'valid_format',
    'invalid_values',
    'invalid_format',
    'valid_length',
    'valid_min_length',
    'valid_max_length',
    'valid_min',
    'valid_max',
    'valid_reference_data',
  ],
  duplicate: COMMON,
  aggregate: [...COMMON, 'function'],
  failed_rows: [
    'name',
    'qualifier',
    'threshold',
    'expression',
    'query',
    'rows_tested_query',
    'keys_query',
    'key_column_mapping',
  ],
  metric: ['name', 'qualifier', 'threshold', 'expression', 'query'],
};
const DATASET_CHECKS: Record<string, string[]> = {
  row_count: COMMON,
  schema: [...COMMON, 'allow_extra_columns', 'allow_other_column_order'],
  freshness: [...COMMON, 'column'],
  duplicate: [...COMMON, 'columns'],
  failed_rows: COLUMN_CHECKS['failed_rows']!,
  metric: COLUMN_CHECKS['metric']!,
};
const COMPARISONS = [
  'must_be',
  'must_not_be',
  'must_be_greater_than',
  'must_be_greater_than_or_equal',
  'must_be_less_than',
  'must_be_less_than_or_equal',
  'must_be_between',
  'must_be_not_between',
];

function isNode(value: unknown): value is Node {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function unknownKeys(node: Node, allowed: string[], where: string): string[] {
  return Object.keys(node)
    .filter((k) => !allowed.includes(k))
    .map((k) => `${where}: unknown key ${k}`);
}

function thresholdErrors(threshold: unknown, where: string, freshness: boolean): string[] {
  if (!isNode(threshold)) return [`${where}: threshold is not a mapping`];
  const allowed = [...COMPARISONS, 'level', 'additional', freshness ? 'unit' : 'metric'];
  const errors = unknownKeys(threshold, allowed, `${where}.threshold`);
  const comparisons = COMPARISONS.filter((c) => c in threshold);
  if (comparisons.length !== 1)
    errors.push(`${where}: threshold needs exactly one comparison, has ${comparisons.length}`);
  for (const c of comparisons)
    if (!c.includes('between') && typeof threshold[c] !== 'number')
      errors.push(`${where}: ${c} is not a number`);
  if ('level' in threshold && !['warn', 'fail'].includes(String(threshold['level'])))
    errors.push(`${where}: level ${String(threshold['level'])}`);
  if ('metric' in threshold && !['count', 'percent'].includes(String(threshold['metric'])))
    errors.push(`${where}: metric ${String(threshold['metric'])}`);
  if ('unit' in threshold && !['minute', 'hour', 'day'].includes(String(threshold['unit'])))
    errors.push(`${where}: unit ${String(threshold['unit'])}`);
  const additional = threshold['additional'];
  if (additional !== undefined) {
    if (!isNode(additional)) return [...errors, `${where}: additional is not a mapping`];
    errors.push(...unknownKeys(additional, [...COMPARISONS, 'level'], `${where}.additional`));
    if (COMPARISONS.filter((c) => c in additional).length !== 1)
      errors.push(`${where}: additional needs exactly one comparison`);
    const levelOf = (n: Node) => String(n['level'] ?? 'fail');
    if (levelOf(additional) === levelOf(threshold)) errors.push(`${where}: additional has the same level`);
  }
  return errors;
}

function checkErrors(item: unknown, types: Record<string, string[]>, where: string): string[] {
  if (!isNode(item) || Object.keys(item).length !== 1)
    return [`${where}: a check is a mapping with one type`];
  const [type, body] = Object.entries(item)[0]!;
  const allowed = types[type];
  if (!allowed) return [`${where}: unknown check type ${type}`];
  if (body === null) return [];
  if (!isNode(body)) return [`${where}.${type}: not a mapping`];
  const at = `${where}.${type}`;
  const errors = unknownKeys(body, allowed, at);
  if (body['threshold'] !== undefined)
    errors.push(...thresholdErrors(body['threshold'], at, type === 'freshness'));
  if (type === 'freshness' && (typeof body['column'] !== 'string' || body['threshold'] === undefined))
    errors.push(`${at}: freshness needs a column and a threshold`);
  if (type === 'failed_rows' && ['expression', 'query', 'keys_query'].filter((k) => k in body).length !== 1)
    errors.push(`${at}: needs exactly one of expression, query, keys_query`);
  if (type === 'metric' && ['expression', 'query'].filter((k) => k in body).length !== 1)
    errors.push(`${at}: needs exactly one of expression, query`);
  if (type === 'duplicate' && types === DATASET_CHECKS && !Array.isArray(body['columns']))
    errors.push(`${at}: a dataset duplicate check needs columns`);
  for (const list of ['valid_values', 'invalid_values'])
    if (list in body) {
      const values = body[list];
      if (!Array.isArray(values) || !values.every((v) => typeof v === 'string' || typeof v === 'number'))
        errors.push(`${at}: ${list} must list numbers or text`);
    }
  const reference = body['valid_reference_data'];
  if (
    reference !== undefined &&
    !(
      isNode(reference) &&
      typeof reference['dataset'] === 'string' &&
      typeof reference['column'] === 'string'
    )
  )
    errors.push(`${at}: valid_reference_data needs dataset and column`);
  return errors;
}

/** Every structural problem of a contract's YAML text; empty when it keeps to Soda v4's documented keys. */
export function sodaContractErrors(text: string): string[] {
  const doc = parse(text) as unknown;
  if (!isNode(doc)) return ['contract: not a mapping'];
  const errors = unknownKeys(doc, CONTRACT_KEYS, 'contract');
  if (typeof doc['dataset'] !== 'string' || !doc['dataset'].includes('/'))
    errors.push('contract: dataset must be a qualified name datasource/…/dataset');
  const variables = doc['variables'];
  if (variables !== undefined) {
    if (!isNode(variables)) errors.push('contract: variables is not a mapping');
    else
      for (const [name, v] of Object.entries(variables))
        if (v !== null && !(isNode(v) && Object.keys(v).every((k) => k === 'default')))
          errors.push(`variables.${name}: only a default is documented`);
  }
  const columns = doc['columns'];
  if (!Array.isArray(columns)) errors.push('contract: columns is required');
  for (const [i, column] of (Array.isArray(columns) ? columns : []).entries()) {
    if (!isNode(column) || typeof column['name'] !== 'string') {
      errors.push(`columns[${i}]: needs a name`);
      continue;
    }
    errors.push(...unknownKeys(column, COLUMN_KEYS, `columns[${i}]`));
    const checks = column['checks'];
    if (checks === undefined) continue;
    if (!Array.isArray(checks) || checks.length === 0)
      errors.push(`columns[${i}]: checks must be a non-empty list`);
    else
      errors.push(...checks.flatMap((c, j) => checkErrors(c, COLUMN_CHECKS, `columns[${i}].checks[${j}]`)));
  }
  const checks = doc['checks'];
  if (checks !== undefined) {
    if (!Array.isArray(checks) || checks.length === 0)
      errors.push('contract: checks must be a non-empty list');
    else errors.push(...checks.flatMap((c, j) => checkErrors(c, DATASET_CHECKS, `checks[${j}]`)));
  }
  return errors;
}

/** A written query as DuckDB runs it: the contract's `${var.x}` references bound to the given SQL. */
export function sodaQueryForDuckDb(query: string, variables: Record<string, string>): string {
  return query.replace(/\$\{var\.(\w+)\}/g, (m, name: string) => {
    const value = variables[name];
    if (value === undefined) throw new Error(`No binding for ${m}`);
    return value;
  });
}

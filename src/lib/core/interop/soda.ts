import { Document, isMap, isSeq } from 'yaml';
import { formatDate } from '../format';
import {
  bindSpecSql,
  type CheckSpec,
  type InteropFile,
  type RuleExpectation,
  type SpecColumn,
  type SpecObject,
  type SpecRule,
} from './spec';
import { allowsNoViolation, objectFileStem, objectRules, ruleParent } from './per-object';
import { sourceWords } from '../model/dataset-source';
import { ident } from '../sql/quote';

/**
 * The check spec as Soda Core v4 data contracts, one per object (a contract
 * checks one dataset). Keys follow Soda's contract language
 * (soda-core `soda_data_contract_json_schema_1_0_0.json`, under the Elastic
 * License 2.0, so not vendored here): `dataset`, `variables`, `columns[]`
 * with `name`, `data_type` and column `checks` (`missing`, `invalid`,
 * `duplicate`), and dataset `checks` (`schema`, `row_count`, `freshness`,
 * `duplicate`, `failed_rows`, `metric`).
 *
 * A rule becomes a built-in check when one counts the same thing with the
 * same pass condition; otherwise a `failed_rows` query (its failing rows, when
 * it allows none) or a `metric` query (its one-row value). Soda has no table
 * placeholder in queries, so they read contract variables whose defaults are
 * the object names: `${var.table}` and `${var.table_<parent>}`. A `warn` rule
 * gets `level: warn`; a drift rule warns at its review level and fails at its
 * retrain level. Each check's `qualifier` is the rule id; a comment above it
 * keeps the observed value.
 */

/** The variable naming the contract's own table in queries. */
export const SODA_TABLE_VARIABLE = 'table';
/** The variable naming the data source in dataset identifiers. */
export const SODA_DATASOURCE_VARIABLE = 'datasource';
/** Its default: the client sets its own data source name when it runs the contract. */
export const SODA_DEFAULT_DATASOURCE = 'warehouse';
/**
 * The data source a ClickHouse table's contract names by default. Soda Core
 * v4 ships no ClickHouse data source; Soda reaches ClickHouse through its
 * MySQL interface (`type: mysql`, port 9004 by default, docs.soda.io "Connect
 * Soda to ClickHouse"), so the client defines this data source that way.
 */
export const SODA_CLICKHOUSE_DATASOURCE = 'clickhouse';
/** What `{{today}}` becomes in a written query; tests bind it to the as-of date. */
export const SODA_TODAY = 'CURRENT_DATE';

/** `${var.<name>}`: Soda's variable reference, resolved when the contract is read. */
export function sodaVariable(name: string): string {
  return '${var.' + name + '}';
}

/** The variable naming a parent object's table. */
export function sodaParentVariable(parentObject: string): string {
  return `${SODA_TABLE_VARIABLE}_${parentObject}`;
}

type SodaThreshold = Record<string, unknown>;
type SodaCheck = Record<string, Record<string, unknown> | null>;

interface PlacedCheck {
  /** The column it sits under, or undefined for a dataset check. */
  column?: string;
  check: SodaCheck;
  rule?: SpecRule;
}

/** One contract file per object: `<name>.soda.yaml` for the primary object, `<name>.<object>.soda.yaml` for the others. */
export function writeSoda(spec: CheckSpec): InteropFile[] {
  return spec.objects.map((object) => ({
    path: `${objectFileStem(spec, object)}.soda.yaml`,
    mimeType: 'application/yaml',
    text: sodaContractYaml(spec, object),
  }));
}

/** The contract for one object, as a plain object (what the YAML holds, without comments). */
export function sodaContract(spec: CheckSpec, object: SpecObject): Record<string, unknown> {
  const objects = new Map(spec.objects.map((o) => [o.objectName, o]));
  const objectOf: ObjectOf = (name) => objects.get(name);
  const placed = objectRules(spec, object).map((rule) => placeRule(rule, objectOf));
  const parents = [...new Set(placed.flatMap((p) => (p.rule ? [ruleParent(p.rule)] : [])))].filter(
    (p): p is string => p !== undefined,
  );
  const variables: Record<string, { default: string }> = {
    [SODA_DATASOURCE_VARIABLE]: {
      default: object.server ? SODA_CLICKHOUSE_DATASOURCE : SODA_DEFAULT_DATASOURCE,
    },
    [SODA_TABLE_VARIABLE]: { default: sodaTableName(object.objectName, object) },
  };
  for (const parent of parents)
    variables[sodaParentVariable(parent)] = { default: sodaTableName(parent, objectOf(parent)) };
  const datasetChecks: SodaCheck[] = [
    { schema: {} },
    ...placed.filter((p) => p.column === undefined).map((p) => p.check),
  ];
  return {
    dataset: sodaDataset(object.objectName, object),
    description: spec.description,
    variables,
    columns: object.columns.map((column) => sodaColumn(column, placed)),
    checks: datasetChecks,
  };
}

type ObjectOf = (objectName: string) => SpecObject | undefined;

/**
 * The dataset identifier: data source, then the path to the table in it. A
 * ClickHouse table read in place is `<data source>/<database>/<table>`
 * (ClickHouse has no schema level); a file, its object name.
 */
function sodaDataset(objectName: string, object: SpecObject | undefined): string {
  const path = object?.server ? `${object.server.database}/${object.server.table}` : objectName;
  return `${sodaVariable(SODA_DATASOURCE_VARIABLE)}/${path}`;
}

/** A table variable's default: the object's name, or a ClickHouse table's `database.table`, quoted when not a plain name. */
function sodaTableName(objectName: string, object: SpecObject | undefined): string {
  if (!object?.server) return objectName;
  const part = (name: string) => (/^[A-Za-z_][A-Za-z0-9_]*$/.test(name) ? name : ident(name));
  return `${part(object.server.database)}.${part(object.server.table)}`;
}

function sodaColumn(column: SpecColumn, placed: PlacedCheck[]): Record<string, unknown> {
  const checks = placed.filter((p) => p.column === column.name).map((p) => p.check);
  // Soda requires at least one item when `checks` is present.
  return {
    name: column.name,
    data_type: column.physicalType,
    description: column.description,
    ...(checks.length > 0 ? { checks } : {}),
  };
}

/** The contract as YAML, each rule's check preceded by a comment with its id and observed value. */
export function sodaContractYaml(spec: CheckSpec, object: SpecObject): string {
  const contract = sodaContract(spec, object);
  // YAML 1.1 rules quote text a 1.1 reader (ruamel, PyYAML) would take for a date or a boolean: `1900-01-01`, `NO`.
  const doc = new Document(contract, { version: '1.1' });
  doc.commentBefore =
    ` Soda Core v4 data contract for ${object.objectName}, from the Sprint Zero audit "${spec.title}" (as of ${formatDate(spec.asOf, 'day')}).\n` +
    (object.server
      ? ` It checks the ${sourceWords(object)}, in place. Define data source "${SODA_CLICKHOUSE_DATASOURCE}" on it\n` +
        ` (Soda reaches ClickHouse through its MySQL interface: type mysql, port 9004 by default, database ${object.server.database}),\n` +
        ` with the user and password from environment variables, or set the variables to yours.`
      : ` Set the variables to your data source and table names when you run it.`);
  const rules = new Map(objectRules(spec, object).map((rule) => [rule.id, rule]));
  annotateChecks(doc.get('checks'), rules);
  const columns = doc.get('columns');
  if (isSeq(columns))
    for (const column of columns.items) if (isMap(column)) annotateChecks(column.get('checks'), rules);
  return doc.toString({ lineWidth: 0 });
}

/** A comment above each rule's check: its id and what the audit observed (Soda has no field for it). */
function annotateChecks(checks: unknown, rules: Map<string, SpecRule>): void {
  if (!isSeq(checks)) return;
  for (const item of checks.items) {
    if (!isMap(item)) continue;
    const body = item.items[0]?.value;
    const qualifier = isMap(body) ? body.get('qualifier') : undefined;
    const rule = typeof qualifier === 'string' ? rules.get(qualifier) : undefined;
    if (rule) item.commentBefore = ` ${observedNote(rule)}`;
  }
}

function observedNote(rule: SpecRule): string {
  return `${rule.id}: ${rule.measure} ${rule.observed} at the audit (${rule.severity}, from ${rule.source.from})`;
}

/** Where a rule's check goes and what it says. */
function placeRule(rule: SpecRule, objectOf: ObjectOf): PlacedCheck {
  const native = nativeCheck(rule, objectOf);
  if (native) return { ...native, rule };
  return { check: queryCheck(rule), rule };
}

/** The built-in check with the rule's pass condition, or undefined. */
function nativeCheck(rule: SpecRule, objectOf: ObjectOf): Omit<PlacedCheck, 'rule'> | undefined {
  const { params } = rule;
  const [column] = rule.columns;
  const named = { name: rule.description, qualifier: rule.id };
  const noViolation = allowsNoViolation(rule);
  switch (rule.kind) {
    case 'row-count':
      return params.minRows === undefined
        ? undefined
        : { check: { row_count: { ...named, threshold: sodaThreshold(rule) } } };
    case 'not-null':
      return column && noViolation
        ? { column, check: { missing: { ...named, threshold: sodaThreshold(rule) } } }
        : undefined;
    case 'null-rate':
      // Soda's missing percent is 0–100; the spec's share is 0–1.
      return column && params.maxShare !== undefined && rule.measure === 'share'
        ? {
            column,
            check: {
              missing: {
                ...named,
                threshold: {
                  metric: 'percent',
                  ...comparison('<=', roundPercent(params.maxShare * 100)),
                  ...level(rule),
                },
              },
            },
          }
        : undefined;
    case 'unique':
      if (!noViolation || !column) return undefined;
      return rule.columns.length === 1
        ? { column, check: { duplicate: { ...named, threshold: sodaThreshold(rule) } } }
        : { check: { duplicate: { ...named, columns: rule.columns, threshold: sodaThreshold(rule) } } };
    case 'accepted-values':
    case 'invalid-values': {
      const values = sodaValues(params.values);
      if (!column || !values || !noViolation) return undefined;
      const key = rule.kind === 'accepted-values' ? 'valid_values' : 'invalid_values';
      return { column, check: { invalid: { ...named, [key]: values, threshold: sodaThreshold(rule) } } };
    }
    case 'range': {
      if (!column || !noViolation || (params.min === undefined && params.max === undefined)) return undefined;
      const bounds = {
        ...(params.min !== undefined ? { valid_min: params.min } : {}),
        ...(params.max !== undefined ? { valid_max: params.max } : {}),
      };
      return { column, check: { invalid: { ...named, ...bounds, threshold: sodaThreshold(rule) } } };
    }
    case 'relationship':
      // Soda's reference check compares raw values; keys compared as text go through SQL.
      return column && noViolation && params.parentObject && params.parentColumn && !params.comparedAsText
        ? {
            column,
            check: {
              invalid: {
                ...named,
                valid_reference_data: {
                  dataset: sodaDataset(params.parentObject, objectOf(params.parentObject)),
                  column: params.parentColumn,
                },
                threshold: sodaThreshold(rule),
              },
            },
          }
        : undefined;
    case 'freshness':
      return column && params.maxAgeDays !== undefined && rule.expect.op === '<='
        ? {
            check: {
              freshness: {
                ...named,
                column,
                threshold: { unit: 'day', ...comparison('<=', params.maxAgeDays), ...level(rule) },
              },
            },
          }
        : undefined;
    default:
      return undefined;
  }
}

/** A `failed_rows` query when the rule allows no violating row and has them, else a `metric` query of its value. */
function queryCheck(rule: SpecRule): SodaCheck {
  const named = { name: rule.description, qualifier: rule.id };
  if (allowsNoViolation(rule) && rule.failingRowsSql !== undefined)
    return {
      failed_rows: { ...named, query: sodaBind(rule.failingRowsSql, rule), threshold: sodaThreshold(rule) },
    };
  return { metric: { ...named, query: sodaBind(rule.sql, rule), threshold: sodaThreshold(rule) } };
}

/** The rule's threshold; a drift rule with a retrain level warns at review and fails at retrain. */
function sodaThreshold(rule: SpecRule): SodaThreshold {
  const { retrain } = rule.params;
  if (rule.kind === 'drift' && retrain !== undefined && rule.expect.op === '<=')
    return {
      ...comparison('<=', rule.expect.threshold),
      level: 'warn',
      additional: comparison('<=', retrain),
    };
  return { ...comparison(rule.expect.op, rule.expect.threshold), ...level(rule) };
}

function comparison(op: RuleExpectation['op'], threshold: number): SodaThreshold {
  const key = { '=': 'must_be', '<=': 'must_be_less_than_or_equal', '>=': 'must_be_greater_than_or_equal' }[
    op
  ];
  return { [key]: threshold };
}

function level(rule: SpecRule): SodaThreshold {
  return rule.severity === 'warn' ? { level: 'warn' } : {};
}

/** Values as Soda lists them (numbers or text); undefined when one is neither. */
function sodaValues(values: SpecRule['params']['values']): (string | number)[] | undefined {
  if (!values || values.length === 0) return undefined;
  return values.every((v) => typeof v === 'string' || typeof v === 'number')
    ? (values as (string | number)[])
    : undefined;
}

/** Bind the spec's tokens to the contract's variables and the run date. */
function sodaBind(sql: string, rule: SpecRule): string {
  const parent = ruleParent(rule);
  return bindSpecSql(sql.trim(), {
    table: sodaVariable(SODA_TABLE_VARIABLE),
    parent: parent === undefined ? undefined : sodaVariable(sodaParentVariable(parent)),
    today: SODA_TODAY,
  });
}

function roundPercent(percent: number): number {
  return Math.round(percent * 1e9) / 1e9;
}

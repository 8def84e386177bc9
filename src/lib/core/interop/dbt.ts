import { Document } from 'yaml';
import { formatCount, formatDate, formatList } from '../format';
import { ident, str } from '../sql/quote';
import { sqlKind } from '../sql/types';
import { sourceWords } from '../model/dataset-source';
import {
  bindSpecSql,
  thresholdLiteral,
  type CheckSpec,
  type InteropFile,
  type SpecColumn,
  type SpecObject,
  type SpecRule,
} from './spec';

/**
 * The dbt writer (issue 23): one properties file with a model per spec
 * object, the rules dbt's generic tests express as `data_tests` (the 1.10+
 * `arguments:` form), and every other rule as a singular test returning its
 * failing rows. Tests carry the rule's severity and, in `meta`, its id and
 * the value observed at the audit.
 */

/** The dbt packages a generic test may need, as `packages.yml` pins them. */
export const DBT_PACKAGES = {
  dbt_utils: { package: 'dbt-labs/dbt_utils', version: ['>=1.3.0', '<2.0.0'] },
  // The maintained fork of calogica's (archived) package, same macro names.
  dbt_expectations: { package: 'metaplane/dbt_expectations', version: ['>=0.10.0', '<0.11.0'] },
} as const;
export type DbtPackage = keyof typeof DBT_PACKAGES;

/** A rule dbt runs through a generic test from the models file. */
export interface DbtGenericTest {
  kind: 'generic';
  rule: SpecRule;
  name: string;
  /** `unique`, `dbt_utils.accepted_range`… */
  test: string;
  /** The column it sits under; absent for a model-level test. */
  column?: string;
  arguments?: Record<string, unknown>;
  /** dbt's `fail_calc` when the failure count is not the test query's row count. */
  failCalc?: string;
  /** dbt's `where` config: the rows the test reads. */
  where?: string;
  /** The test returns one row when the aggregate expectation fails (not one per violating row). */
  aggregate: boolean;
  package?: DbtPackage;
}

/** A rule dbt runs as a `tests/<name>.sql` file. */
export interface DbtSingularTest {
  kind: 'singular';
  rule: SpecRule;
  name: string;
  /** The test's SQL with dbt's `ref()` and `current_date` bound. */
  sql: string;
  /** Selects the violating rows (from `failingRowsSql`); otherwise one row when the aggregate expectation fails. */
  aggregate: boolean;
  /** Why no generic test carries it. */
  reason: string;
}

export type DbtTest = DbtGenericTest | DbtSingularTest;

/**
 * The dbt relation an object is: a ClickHouse table read in place is a
 * `source()` already in the warehouse, named after its database (dbt-clickhouse
 * reads dbt's schema as the ClickHouse database); a file is a model to `ref()`.
 */
function relation(object: SpecObject | undefined, name: string): string {
  if (object?.server) return `source(${str(object.server.database)}, ${str(name)})`;
  return `ref(${str(name)})`;
}

type RelationOf = (name: string) => string;

function relationsOf(spec: CheckSpec): RelationOf {
  const objects = new Map(spec.objects.map((o) => [o.objectName, o]));
  return (name) => relation(objects.get(name), name);
}

/** dbt writes a test argument or `column_name` into SQL as is: a name outside plain identifiers must be quoted. */
const plainIdentifier = (name: string): boolean => /^[a-z_][a-z0-9_]*$/.test(name);
const sqlName = (name: string): string => (plainIdentifier(name) ? name : ident(name));

/** Jinja would read these in a test argument, so a value carrying one can't go through a generic test. */
const JINJA_MARK = /\{[{%#]|[}%#]\}/;

/** A file and test name from the rule's id: lowercase words joined by `_`, unique in the export. */
function testNameFor(rule: SpecRule, taken: Set<string>): string {
  const base =
    rule.id
      .toLowerCase()
      .replace(/[^a-z0-9]+/g, '_')
      .replace(/^_+|_+$/g, '') || 'rule';
  let name = base;
  for (let n = 2; taken.has(name); n++) name = `${base}_${n}`;
  taken.add(name);
  return name;
}

/** A bound of `dbt_utils.accepted_range` as SQL: numbers raw, ISO dates and times cast, other text quoted. */
function boundSql(value: number | string): string {
  if (typeof value === 'number') return String(value);
  if (/^\d{4}-\d{2}-\d{2}$/.test(value)) return `cast(${str(value)} as date)`;
  if (/^\d{4}-\d{2}-\d{2}[ T]\d{2}:\d{2}/.test(value)) return `cast(${str(value)} as timestamp)`;
  return str(value);
}

/** accepted_values writes each value between quotes (or bare when `quote: false`), without escaping. */
function acceptedValuesArguments(values: (string | number | boolean)[]): Record<string, unknown> | null {
  if (values.length === 0) return null;
  const texts = values.every((v) => typeof v === 'string');
  const bare = values.every((v) => typeof v !== 'string');
  if (texts && values.every((v) => !String(v).includes("'") && !JINJA_MARK.test(String(v))))
    return { values };
  if (bare) return { values, quote: false };
  return null;
}

type GenericShape = Omit<DbtGenericTest, 'kind' | 'rule' | 'name'>;

/** The generic test that runs the rule with the audit's own count, or why there is none. */
function genericFor(
  rule: SpecRule,
  columns: Map<string, SpecColumn>,
  relationOf: RelationOf,
): GenericShape | string {
  const [column] = rule.columns;
  const single = rule.columns.length === 1 && column !== undefined && columns.has(column);
  const { params } = rule;
  switch (rule.kind) {
    case 'not-null':
      return single
        ? { test: 'not_null', column, aggregate: false }
        : 'it reads no single column of the model';
    case 'unique':
      if (single) return { test: 'unique', column, aggregate: false };
      if (rule.columns.length > 1 && rule.columns.every((c) => columns.has(c)))
        return {
          test: 'dbt_utils.unique_combination_of_columns',
          arguments: { combination_of_columns: rule.columns, quote_columns: true },
          // unique_combination_of_columns groups nulls together; the audit, like `unique`, leaves them out.
          where: rule.columns.map((c) => `${ident(c)} is not null`).join(' and '),
          aggregate: false,
          package: 'dbt_utils',
        };
      return 'it reads no column of the model';
    case 'accepted-values': {
      const args = single && params.values ? acceptedValuesArguments(params.values) : null;
      if (!args)
        return 'its values mix types or carry quotes or template marks accepted_values would not escape';
      // accepted_values returns one row per wrong value with its row count: summing counts rows, as the audit does.
      return {
        test: 'accepted_values',
        column,
        arguments: args,
        failCalc: 'coalesce(sum(n_records), 0)',
        aggregate: false,
      };
    }
    case 'range': {
      const bounds = [params.min, params.max].filter((b) => b !== undefined);
      if (!single || bounds.length === 0) return 'it has no bound on a single column';
      if (sqlKind(columns.get(column)!.physicalType) === 'float')
        return 'accepted_range counts infinite and NaN values, which the audit leaves to the profile';
      if (bounds.some((b) => typeof b === 'string' && JINJA_MARK.test(b)))
        return 'a bound carries template marks';
      return {
        test: 'dbt_utils.accepted_range',
        column,
        arguments: {
          ...(params.min !== undefined && { min_value: boundSql(params.min) }),
          ...(params.max !== undefined && { max_value: boundSql(params.max) }),
          inclusive: true,
        },
        aggregate: false,
        package: 'dbt_utils',
      };
    }
    case 'null-rate': {
      const maxShare = params.maxShare ?? rule.expect.threshold;
      if (!single) return 'it reads no single column of the model';
      // not_null_proportion judges the non-null share; 12 decimals keep 1 − 0.05 from printing as 0.9500000000000001.
      const atLeast = Number((1 - maxShare).toFixed(12));
      return {
        test: 'dbt_utils.not_null_proportion',
        column,
        arguments: { at_least: atLeast },
        aggregate: true,
        package: 'dbt_utils',
      };
    }
    case 'row-count':
      return {
        test: 'dbt_expectations.expect_table_row_count_to_be_between',
        arguments: { min_value: params.minRows ?? rule.expect.threshold },
        aggregate: true,
        package: 'dbt_expectations',
      };
    case 'relationship':
      if (!single || !params.parentObject || !params.parentColumn) return 'it names no parent column';
      if (params.comparedAsText)
        return "the keys' types differ and the audit compared them as trimmed text, which relationships does not";
      return {
        test: 'relationships',
        column,
        arguments: { to: relationOf(params.parentObject), field: sqlName(params.parentColumn) },
        aggregate: false,
      };
    case 'freshness':
      return "dbt's recency tests compare with the current timestamp (time of day) and source freshness is for sources only; the audit counts whole days";
    case 'invalid-values':
      return 'dbt_utils.not_accepted_values counts distinct values, the audit counts rows';
    case 'duplicate-rows':
      return 'no generic test counts the copies of whole rows';
    case 'drift':
      return "no generic test compares a column's shares with the reference's";
    case 'sql':
      return 'a statement written for this check';
  }
}

/** The violation count dbt compares with `error_if`/`warn_if` when the rule tolerates some (default `!=0`). */
function tolerance(rule: SpecRule, aggregate: boolean): Record<string, string> {
  if (aggregate) return {};
  const { op, threshold } = rule.expect;
  if (op === '<=' && threshold > 0) return { warn_if: `>${threshold}`, error_if: `>${threshold}` };
  return {};
}

function testMeta(rule: SpecRule): Record<string, string | number> {
  return { rule_id: rule.id, dimension: rule.dimension, observed: rule.observed };
}

/** The SQL of a singular test: the failing rows, or one row when the aggregate expectation fails. */
function singularSql(
  rule: SpecRule,
  objects: Map<string, SpecObject>,
  relationOf: RelationOf,
): { sql: string; aggregate: boolean } {
  const parent = rule.params.parentObject;
  const jinja = (name: string) => `{{ ${relationOf(name)} }}`;
  const bind = {
    table: jinja(rule.object),
    ...(parent !== undefined && objects.has(parent) && { parent: jinja(parent) }),
    today: 'current_date',
  };
  if (rule.failingRowsSql) return { sql: bindSpecSql(rule.failingRowsSql, bind), aggregate: false };
  const { op, threshold } = rule.expect;
  const sql = `select *\nfrom (\n${bindSpecSql(rule.sql, bind)}\n) as audit_check\nwhere not (value ${op} ${thresholdLiteral(threshold)})`;
  return { sql, aggregate: true };
}

/** Every rule of the spec as the dbt test that runs it: a generic test where one counts as the audit does. */
export function dbtTests(spec: CheckSpec): DbtTest[] {
  const objects = new Map(spec.objects.map((o) => [o.objectName, o]));
  const relationOf = relationsOf(spec);
  const taken = new Set<string>();
  return spec.rules.map((rule) => {
    const name = testNameFor(rule, taken);
    const object = objects.get(rule.object);
    const generic = object
      ? genericFor(rule, new Map(object.columns.map((c) => [c.name, c])), relationOf)
      : 'its table is not in the spec';
    if (typeof generic !== 'string') return { kind: 'generic', rule, name, ...generic };
    return { kind: 'singular', rule, name, ...singularSql(rule, objects, relationOf), reason: generic };
  });
}

/** dbt renders descriptions and SQL comments as Jinja: a brace opening a template mark is spaced off, on one line. */
const jinjaInert = (text: string): string => text.replace(/\{(?=[{%#])/g, '{ ').replace(/\s+/g, ' ');

/** A literal SQL segment Jinja must leave alone: wrapped in raw when it carries template marks. */
function jinjaRaw(sql: string): string {
  const refPattern = /\{\{ (?:ref\('[^']*'\)|source\('[^']*', '[^']*'\)) \}\}/g;
  let out = '';
  let last = 0;
  for (const match of sql.matchAll(refPattern)) {
    out += rawSegment(sql.slice(last, match.index)) + match[0];
    last = match.index + match[0].length;
  }
  return out + rawSegment(sql.slice(last));
}
const rawSegment = (segment: string): string =>
  JINJA_MARK.test(segment) ? `{% raw %}${segment}{% endraw %}` : segment;

function singularFile(spec: CheckSpec, test: DbtSingularTest): InteropFile {
  const { rule } = test;
  const config = {
    severity: rule.severity,
    ...tolerance(rule, test.aggregate),
    meta: testMeta(rule),
  };
  // A Jinja call with keyword arguments; JSON's strings, numbers and objects are Jinja literals too.
  const args = Object.entries(config).map(([key, value]) => `${key}=${JSON.stringify(value)}`);
  const text = [
    `-- ${jinjaInert(rule.description)}`,
    `-- Rule ${jinjaInert(rule.id)}, from the Sprint Zero audit "${jinjaInert(spec.title)}" as of ${formatDate(spec.asOf, 'day')}.`,
    test.aggregate
      ? '-- Returns one row when the expectation fails.'
      : '-- Returns the rows that break the rule.',
    `{{ config(${args.join(', ')}) }}`,
    '',
    jinjaRaw(test.sql),
    '',
  ].join('\n');
  return { path: `dbt/tests/${test.name}.sql`, mimeType: 'application/sql', text };
}

function genericEntry(test: DbtGenericTest): Record<string, unknown> {
  const body = {
    name: test.name,
    description: jinjaInert(test.rule.description),
    ...(test.arguments && { arguments: test.arguments }),
    config: {
      severity: test.rule.severity,
      ...(test.failCalc && { fail_calc: test.failCalc }),
      ...(test.where && { where: test.where }),
      ...tolerance(test.rule, test.aggregate),
      meta: testMeta(test.rule),
    },
  };
  return { [test.test]: body };
}

function columnEntry(column: SpecColumn, tests: DbtGenericTest[]): Record<string, unknown> {
  return {
    name: column.name,
    description: jinjaInert(column.description),
    data_type: column.physicalType.toLowerCase(),
    ...(!plainIdentifier(column.name) && { quote: true }),
    ...(tests.length > 0 && { data_tests: tests.map(genericEntry) }),
  };
}

/** The columns, the tests and the audit's facts of one object: what a model and a source table share. */
function objectEntry(spec: CheckSpec, object: SpecObject, tests: DbtGenericTest[]): Record<string, unknown> {
  const rows = `${formatCount(object.rowCount)} rows at the audit of ${formatDate(spec.asOf)}`;
  const lead = object.primary && spec.description ? `${spec.description} ` : '';
  const modelTests = tests.filter((t) => t.rule.object === object.objectName && t.column === undefined);
  return {
    name: object.objectName,
    description: jinjaInert(`${lead}${sourceWords(object)}: ${rows}.`),
    config: {
      meta: {
        sprint_zero: {
          audit: spec.title,
          as_of: spec.asOf,
          ...(object.server ? { table: sourceWords(object) } : { file: object.fileName }),
          rows: object.rowCount,
          ...(object.sha256 && { sha256: object.sha256 }),
        },
      },
    },
    columns: object.columns.map((column) =>
      columnEntry(
        column,
        tests.filter((t) => t.rule.object === object.objectName && t.column === column.name),
      ),
    ),
    ...(modelTests.length > 0 && { data_tests: modelTests.map(genericEntry) }),
  };
}

/**
 * The ClickHouse tables of one database on one server as a dbt source: its
 * name and `schema` the database (dbt-clickhouse has no schema level, its
 * schema is the database), each table under its object name, with
 * `identifier` when the table's own name differs. The connection (host,
 * port, user, password) belongs in the client's profiles.yml; the audit's
 * host and port ride in `meta` only as a pointer.
 */
function sourceEntries(spec: CheckSpec, tests: DbtGenericTest[]): Record<string, unknown>[] {
  const byDatabase = new Map<string, SpecObject[]>();
  for (const o of spec.objects)
    if (o.server) byDatabase.set(o.server.database, [...(byDatabase.get(o.server.database) ?? []), o]);
  return [...byDatabase].map(([database, objects]) => {
    const hosts = [...new Set(objects.map((o) => `${o.server!.host}:${o.server!.port}`))];
    return {
      name: database,
      schema: database,
      description: jinjaInert(
        `The ClickHouse database ${database} on ${hosts.join(', ')}, read in place by the audit.`,
      ),
      config: { meta: { sprint_zero: { clickhouse: objects.map((o) => ({ ...o.server! })) } } },
      tables: objects.map((object) => {
        const { name, ...entry } = objectEntry(spec, object, tests);
        return { name, ...(object.server!.table !== name && { identifier: object.server!.table }), ...entry };
      }),
    };
  });
}

/** dbt reads YAML with PyYAML (YAML 1.1): written as 1.1, `No`, `on` and `2026-11-01` stay quoted strings. */
function yamlFile(path: string, content: unknown, comment: string): InteropFile {
  const doc = new Document(content, { version: '1.1' });
  doc.commentBefore = comment;
  return { path, mimeType: 'application/yaml', text: doc.toString({ lineWidth: 0 }) };
}

/** What the header says of models and sources: files become models to point at a table, server tables are sources. */
function modelObjectsNote(spec: CheckSpec): string {
  const files = spec.objects.some((o) => !o.server);
  const tables = spec.objects.some((o) => o.server);
  return [
    files ? ' Models are named after the audited files; point each at your table, or rename it.' : '',
    tables
      ? ' The audited ClickHouse tables are sources (dbt-clickhouse: the schema is the database); put the connection in profiles.yml.'
      : '',
  ]
    .filter(Boolean)
    .join('\n');
}

/**
 * The dbt files for a check spec: `dbt/models/<name>.yml` (version 2, one
 * model per object, columns with types and generic tests, the singular tests
 * described under `data_tests`), `dbt/tests/<test>.sql` for rules no generic
 * test counts as the audit does, and `dbt/packages.yml` when a generic test
 * comes from dbt_utils or dbt_expectations.
 */
export function writeDbt(spec: CheckSpec): InteropFile[] {
  const tests = dbtTests(spec);
  const generic = tests.filter((t): t is DbtGenericTest => t.kind === 'generic');
  const singular = tests.filter((t): t is DbtSingularTest => t.kind === 'singular');
  const packages = [...new Set(generic.flatMap((t) => (t.package ? [t.package] : [])))].sort();

  const header = [
    ` dbt tests from the Sprint Zero audit "${spec.title}" (as of ${formatDate(spec.asOf, 'day')}).`,
    modelObjectsNote(spec),
    packages.length > 0
      ? ` Needs ${formatList(packages)} (dbt/packages.yml; run dbt deps).`
      : ' Needs no dbt package.',
    ` ${formatCount(generic.length)} generic tests here, ${formatCount(singular.length)} singular tests in dbt/tests/.`,
  ].join('\n');
  const sources = sourceEntries(spec, generic);
  const modelObjects = spec.objects.filter((o) => !o.server);
  const models = {
    version: 2,
    ...(sources.length > 0 && { sources }),
    ...((modelObjects.length > 0 || sources.length === 0) && {
      models: modelObjects.map((object) => objectEntry(spec, object, generic)),
    }),
    ...(singular.length > 0 && {
      data_tests: singular.map((t) => ({ name: t.name, description: jinjaInert(t.rule.description) })),
    }),
  };
  const files = [yamlFile(`dbt/models/${spec.name}.yml`, models, header)];
  files.push(...singular.map((t) => singularFile(spec, t)));
  if (packages.length > 0) {
    const note = packages.includes('dbt_expectations')
      ? " dbt_expectations needs the var 'dbt_date:time_zone' in dbt_project.yml."
      : ' Packages the generic tests of models/ need.';
    files.push(yamlFile('dbt/packages.yml', { packages: packages.map((p) => DBT_PACKAGES[p]) }, note));
  }
  return files;
}

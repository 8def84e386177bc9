import { formatCount } from '../format';
import { ident } from '../sql/quote';
import {
  bindSpecSql,
  thresholdLiteral,
  type CheckSpec,
  type InteropFile,
  type RuleExpectation,
  type SpecObject,
  type SpecRule,
} from './spec';
import { allowsNoViolation, objectFileStem, objectRules, ruleParent } from './per-object';
import { sourceWords } from '../model/dataset-source';
import type { ServerTable } from '../model/audit';

/**
 * The check spec as Great Expectations Core 1.x expectation suites, one per
 * object (a suite validates one batch). The JSON is what
 * `ExpectationSuite.to_json_dict()` writes in GX 1.x
 * (great_expectations/core/expectation_suite.py): `name`, `expectations`
 * (`type`, `kwargs`, `meta`, `description`), `meta`, `notes`; the `id` is left
 * for GX to assign when the suite is added to a context.
 *
 * A rule becomes a built-in expectation when one counts the same thing with
 * the same pass condition (kwargs as the 1.x classes declare them,
 * great_expectations/expectations/core/schemas/*.json). Otherwise it becomes
 * an `unexpected_rows_expectation`, which fails when its query returns a row:
 * the rule's failing rows when it allows none, else its value wrapped so the
 * query returns that one value when it breaks the expectation.
 *
 * GX 1.x has no per-expectation severity field, so the rule's severity, id,
 * measure, threshold and observed value ride in `meta`.
 */

/** GX's table placeholder in `unexpected_rows_query` (filled with Python's `str.format`). */
export const GX_BATCH = '{batch}';
/** What `{{today}}` becomes in a written query; tests bind it to the as-of date. */
export const GX_TODAY = 'CURRENT_DATE';
/** The wrapped value's alias in an aggregate rule's query. */
const AGGREGATE_ALIAS = 'audit_rule';

export type GxExpectationType =
  | 'expect_table_columns_to_match_set'
  | 'expect_table_row_count_to_be_between'
  | 'expect_column_values_to_not_be_null'
  | 'expect_column_values_to_be_unique'
  | 'expect_compound_columns_to_be_unique'
  | 'expect_column_values_to_be_in_set'
  | 'expect_column_values_to_not_be_in_set'
  | 'expect_column_values_to_be_between'
  | 'unexpected_rows_expectation';

export interface GxExpectation {
  type: GxExpectationType;
  kwargs: Record<string, unknown>;
  meta: Record<string, unknown>;
  description?: string;
}

export interface GxSuite {
  name: string;
  expectations: GxExpectation[];
  meta: Record<string, unknown>;
  notes?: string;
}

/** One suite file per object: `<name>.gx.json` for the primary object, `<name>.<object>.gx.json` for the others. */
export function writeGx(spec: CheckSpec): InteropFile[] {
  return spec.objects.map((object) => {
    const suite = gxSuite(spec, object);
    return {
      path: `${objectFileStem(spec, object)}.gx.json`,
      mimeType: 'application/json',
      text: JSON.stringify(suite, null, 2) + '\n',
    };
  });
}

/** The suite validating one object's batch. */
export function gxSuite(spec: CheckSpec, object: SpecObject): GxSuite {
  const schema: GxExpectation = {
    type: 'expect_table_columns_to_match_set',
    kwargs: { column_set: object.columns.map((c) => c.name), exact_match: true },
    meta: { source: 'schema' },
    description: `The table has exactly the ${formatCount(object.columns.length)} audited columns.`,
  };
  return {
    name: objectFileStem(spec, object),
    expectations: [schema, ...objectRules(spec, object).map(gxExpectation)],
    meta: {
      sprint_zero: {
        audit: spec.title,
        object: object.objectName,
        ...(object.server
          ? { table: sourceWords(object), datasource: gxClickHouseDatasource(object.server) }
          : { file: object.fileName }),
        rows_at_audit: object.rowCount,
        as_of: spec.asOf,
        created_at: spec.createdAt,
        redaction: spec.redaction,
      },
    },
    notes: spec.description,
  };
}

/** GX's config-variable references: resolved from the environment (or config_variables.yml) when the context loads. */
export const GX_CLICKHOUSE_USER = '${CLICKHOUSE_USER}';
export const GX_CLICKHOUSE_PASSWORD = '${CLICKHOUSE_PASSWORD}';

/**
 * Where a suite on a ClickHouse table validates: a GX SQL data source
 * (`context.data_sources.add_sql(name, connection_string=…)`) through the
 * clickhouse-sqlalchemy dialect (`clickhouse+http://user:password@host:port/database`,
 * `?protocol=https` over TLS), and a table asset on the audited table. The
 * user and password are GX config variables, never values: the document has none.
 */
export function gxClickHouseDatasource(server: ServerTable): Record<string, unknown> {
  const tls = server.protocol === 'https' ? '?protocol=https' : '';
  return {
    type: 'sql',
    name: `clickhouse_${server.database}`,
    connection_string: `clickhouse+http://${GX_CLICKHOUSE_USER}:${GX_CLICKHOUSE_PASSWORD}@${server.host}:${server.port}/${encodeURIComponent(server.database)}${tls}`,
    table_asset: { table_name: server.table, schema_name: server.database },
  };
}

/** A rule as a built-in expectation when one fits, else as an `unexpected_rows_expectation`. */
export function gxExpectation(rule: SpecRule): GxExpectation {
  const meta = {
    rule_id: rule.id,
    kind: rule.kind,
    severity: rule.severity,
    dimension: rule.dimension,
    measure: rule.measure,
    expect: rule.expect,
    observed: rule.observed,
    source: rule.source,
  };
  const native = nativeForm(rule);
  if (native) return { ...native, meta, description: rule.description };
  return {
    type: 'unexpected_rows_expectation',
    kwargs: { unexpected_rows_query: unexpectedRowsQuery(rule) },
    meta: {
      ...meta,
      query_returns: allowsNoViolation(rule) ? 'failing rows' : 'the value when it breaks the threshold',
    },
    description: rule.description,
  };
}

type NativeForm = Pick<GxExpectation, 'type' | 'kwargs'>;

/**
 * The built-in expectation with the rule's pass condition, or undefined.
 * Value sets must be all text (non-empty) or all numbers, as the 1.x
 * `value_set` field declares; anything else goes through SQL.
 */
function nativeForm(rule: SpecRule): NativeForm | undefined {
  const { params } = rule;
  const [column] = rule.columns;
  switch (rule.kind) {
    case 'row-count':
      return params.minRows === undefined || rule.expect.op !== '>='
        ? undefined
        : { type: 'expect_table_row_count_to_be_between', kwargs: { min_value: params.minRows } };
    case 'not-null':
      return column && allowsNoViolation(rule)
        ? { type: 'expect_column_values_to_not_be_null', kwargs: { column } }
        : undefined;
    case 'null-rate':
      // `mostly` is the share of non-null rows that must hold: 1 − the allowed null share.
      return column && params.maxShare !== undefined
        ? {
            type: 'expect_column_values_to_not_be_null',
            kwargs: { column, mostly: roundShare(1 - params.maxShare) },
          }
        : undefined;
    case 'unique':
      if (!allowsNoViolation(rule) || rule.columns.length === 0) return undefined;
      return rule.columns.length === 1
        ? { type: 'expect_column_values_to_be_unique', kwargs: { column } }
        : { type: 'expect_compound_columns_to_be_unique', kwargs: { column_list: rule.columns } };
    case 'accepted-values':
    case 'invalid-values': {
      const valueSet = gxValueSet(params.values);
      if (!column || !valueSet || !allowsNoViolation(rule)) return undefined;
      return {
        type:
          rule.kind === 'accepted-values'
            ? 'expect_column_values_to_be_in_set'
            : 'expect_column_values_to_not_be_in_set',
        kwargs: { column, value_set: valueSet },
      };
    }
    case 'range': {
      if (!column || !allowsNoViolation(rule)) return undefined;
      const bounds: Record<string, number | string> = {};
      if (params.min !== undefined) bounds.min_value = params.min;
      if (params.max !== undefined) bounds.max_value = params.max;
      return Object.keys(bounds).length === 0
        ? undefined
        : { type: 'expect_column_values_to_be_between', kwargs: { column, ...bounds } };
    }
    default:
      return undefined;
  }
}

/** The values as GX's `value_set` accepts them (all non-empty text or all numbers), or undefined. */
function gxValueSet(values: SpecRule['params']['values']): string[] | number[] | undefined {
  if (!values || values.length === 0) return undefined;
  if (values.every((v): v is string => typeof v === 'string' && v.length > 0)) return values;
  if (values.every((v): v is number => typeof v === 'number' && Number.isFinite(v))) return values;
  return undefined;
}

/**
 * The rule's `unexpected_rows_query`: its failing rows when it allows none,
 * else its one-row value kept only when it breaks the expectation. Literal
 * braces are doubled, as GX fills `{batch}` with Python's `str.format`.
 */
export function unexpectedRowsQuery(rule: SpecRule): string {
  const rowLevel = allowsNoViolation(rule) && rule.failingRowsSql !== undefined;
  const sql = rowLevel ? rule.failingRowsSql! : aggregateQuery(rule.sql, rule.expect);
  const parent = ruleParent(rule);
  return gxBind(sql, parent === undefined ? undefined : ident(parent));
}

/** A one-row `value` query returning its row only when `value <op> threshold` does not hold (or is unknown). */
function aggregateQuery(sql: string, expect: RuleExpectation): string {
  return (
    `SELECT value FROM (${sql.trim()}) AS ${AGGREGATE_ALIAS}\n` +
    `WHERE value IS NULL OR NOT (value ${expect.op} ${thresholdLiteral(expect.threshold)})`
  );
}

/** Bind the spec's tokens to GX's: the batch placeholder, the parent's table name, the run date. */
function gxBind(sql: string, parent: string | undefined): string {
  // Bind the table to a brace-free marker first, so escaping braces cannot touch `{batch}`.
  const marker = '\u0000batch\u0000';
  const bound = bindSpecSql(sql, { table: marker, parent, today: GX_TODAY });
  return bound.replaceAll('{', '{{').replaceAll('}', '}}').replaceAll(marker, GX_BATCH);
}

/** A share as GX reads `mostly`, without binary noise (1 − 0.07 = 0.9299999…). */
function roundShare(share: number): number {
  return Math.round(share * 1e9) / 1e9;
}

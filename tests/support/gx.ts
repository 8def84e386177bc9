import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import Ajv, { type ValidateFunction } from 'ajv';
import addFormats from 'ajv-formats';
import { ROOT } from './paths';

/**
 * Structural checks of a Great Expectations 1.x suite: its keys against what
 * `ExpectationSuite.to_json_dict()` and `ExpectationConfigurationSchema` write
 * (great_expectations/core/expectation_suite.py,
 * great_expectations/expectations/expectation_configuration.py, v1.2.0), and
 * each expectation's kwargs against its class's JSON Schema, vendored under
 * schema/vendor/great-expectations.
 */

const SUITE_KEYS = ['name', 'id', 'expectations', 'suite_parameters', 'meta', 'notes'];
const EXPECTATION_KEYS = [
  'type',
  'kwargs',
  'meta',
  'notes',
  'id',
  'expectation_context',
  'rendered_content',
  'description',
];

/** The vendored schema of each expectation type the writer may use. */
export const GX_SCHEMA_FILES: Record<string, string> = {
  expect_table_columns_to_match_set: 'ExpectTableColumnsToMatchSet.json',
  expect_table_row_count_to_be_between: 'ExpectTableRowCountToBeBetween.json',
  expect_column_values_to_not_be_null: 'ExpectColumnValuesToNotBeNull.json',
  expect_column_values_to_be_unique: 'ExpectColumnValuesToBeUnique.json',
  expect_compound_columns_to_be_unique: 'ExpectCompoundColumnsToBeUnique.json',
  expect_column_values_to_be_in_set: 'ExpectColumnValuesToBeInSet.json',
  expect_column_values_to_not_be_in_set: 'ExpectColumnValuesToNotBeInSet.json',
  expect_column_values_to_be_between: 'ExpectColumnValuesToBeBetween.json',
  unexpected_rows_expectation: 'UnexpectedRowsExpectation.json',
};

const VENDOR = join(ROOT, 'schema/vendor/great-expectations');

/** GX does not validate `multipleOf` on input (model_field_types.py): it only steers GX Cloud's form. */
function withoutMultipleOf(node: unknown): unknown {
  if (Array.isArray(node)) return node.map(withoutMultipleOf);
  if (node && typeof node === 'object')
    return Object.fromEntries(
      Object.entries(node)
        .filter(([key]) => key !== 'multipleOf')
        .map(([key, value]) => [key, withoutMultipleOf(value)]),
    );
  return node;
}

let validators: Map<string, ValidateFunction> | undefined;

function kwargsValidators(): Map<string, ValidateFunction> {
  if (validators) return validators;
  const ajv = new Ajv({ allErrors: true, strict: false });
  addFormats(ajv);
  validators = new Map(
    Object.entries(GX_SCHEMA_FILES).map(([type, file]) => {
      const schema = JSON.parse(readFileSync(join(VENDOR, file), 'utf8')) as object;
      return [type, ajv.compile(withoutMultipleOf(schema) as object)];
    }),
  );
  return validators;
}

/** Every structural problem of a suite's JSON text; empty when GX 1.x would read it. */
export function gxSuiteErrors(text: string): string[] {
  const errors: string[] = [];
  const suite = JSON.parse(text) as Record<string, unknown>;
  for (const key of Object.keys(suite))
    if (!SUITE_KEYS.includes(key)) errors.push(`suite: unknown key ${key}`);
  if (typeof suite['name'] !== 'string' || suite['name'] === '') errors.push('suite: no name');
  if (!Array.isArray(suite['expectations'])) return [...errors, 'suite: no expectations list'];
  for (const [i, raw] of (suite['expectations'] as Record<string, unknown>[]).entries()) {
    for (const key of Object.keys(raw))
      if (!EXPECTATION_KEYS.includes(key)) errors.push(`expectation ${i}: unknown key ${key}`);
    const type = raw['type'];
    const validate = typeof type === 'string' ? kwargsValidators().get(type) : undefined;
    if (!validate) {
      errors.push(`expectation ${i}: type ${String(type)} has no vendored schema`);
      continue;
    }
    if (raw['meta'] !== undefined && (typeof raw['meta'] !== 'object' || raw['meta'] === null))
      errors.push(`expectation ${i}: meta is not an object`);
    if (!validate(raw['kwargs']))
      errors.push(
        ...(validate.errors ?? []).map(
          (e) =>
            `expectation ${i} (${type}) kwargs${e.instancePath}: ${e.message} ${JSON.stringify(e.params)}`,
        ),
      );
  }
  return errors;
}

/**
 * A written `unexpected_rows_query` as DuckDB runs it: `{batch}` bound to the
 * table and the doubled braces undone, as Python's `str.format` does.
 */
export function gxQueryForDuckDb(query: string, table: string): string {
  return query.replace(/\{\{|\}\}|\{batch\}/g, (m) => (m === '{batch}' ? table : m[0]!));
}

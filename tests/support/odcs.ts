import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import Ajv2019, { type ErrorObject } from 'ajv/dist/2019';
import addFormats from 'ajv-formats';
import { parse } from 'yaml';
import type { SpecRule } from '../../src/lib/core/interop/spec';
import { ROOT } from './paths';

/** The vendored official ODCS v3.1.0 JSON Schema (draft 2019-09). */
export const ODCS_SCHEMA_PATH = join(ROOT, 'schema/vendor/odcs/odcs-json-schema-v3.1.0.json');

let validate: ReturnType<Ajv2019['compile']> | undefined;

/** The schema's errors on an ODCS YAML text; empty when it validates. */
export function odcsSchemaErrors(yamlText: string): ErrorObject[] {
  if (!validate) {
    const ajv = new Ajv2019({ allErrors: true, strict: false });
    addFormats(ajv);
    validate = ajv.compile(JSON.parse(readFileSync(ODCS_SCHEMA_PATH, 'utf8')) as object);
  }
  return validate(parse(yamlText)) ? [] : [...(validate.errors ?? [])];
}

/** Twelve significant digits: a share threshold written as a percent (×100, ÷100) may move in its last bit. */
const digits12 = (x: number | undefined) => (x === undefined ? undefined : Number(x.toPrecision(12)));

/** What a rule says, the fields an ODCS round trip must keep, sorted by id. */
export function spokenRules(rules: readonly Omit<SpecRule, 'sql'>[]) {
  return [...rules]
    .map(
      ({
        id,
        kind,
        object,
        columns,
        dimension,
        severity,
        description,
        measure,
        expect,
        observed,
        params,
        source,
      }) => ({
        id,
        kind,
        object,
        columns,
        dimension,
        severity,
        description,
        measure,
        expect: { ...expect, threshold: digits12(expect.threshold) },
        observed,
        params: params.maxShare === undefined ? params : { ...params, maxShare: digits12(params.maxShare) },
        source,
      }),
    )
    .sort((a, b) => a.id.localeCompare(b.id));
}

import { describe, expect, it } from 'vitest';
import { GX_BATCH, GX_TODAY, writeGx, type GxSuite } from '../../../../src/lib/core/interop/gx';
import type { CheckSpec, SpecRule } from '../../../../src/lib/core/interop/spec';
import { GX_SCHEMA_FILES, gxQueryForDuckDb, gxSuiteErrors } from '../../../support/gx';
import { handSpec, HOSTILE } from './odcs-spec';

/** The hand-made spec, with failing-rows SQL on the row-level rules that have it in derive's output. */
function spec(edit: (rules: SpecRule[]) => void = () => {}): CheckSpec {
  const s = handSpec();
  for (const rule of s.rules) {
    if (rule.id === 'sql:customers:leakage')
      rule.failingRowsSql = 'SELECT * FROM {{table}} WHERE "churned" AND "signup_date" > {{today}}';
    if (rule.id === 'relationship:subscriptions:customer_id')
      rule.failingRowsSql =
        'SELECT c.* FROM {{table}} c WHERE c."customer_id" IS NOT NULL AND NOT EXISTS (SELECT 1 FROM {{parent}} p WHERE p."customer_id" = c."customer_id")';
  }
  edit(s.rules);
  return s;
}

function suites(s: CheckSpec = spec()): GxSuite[] {
  return writeGx(s).map((f) => JSON.parse(f.text) as GxSuite);
}

function byRule(s: CheckSpec = spec()): Map<string, GxSuite['expectations'][number]> {
  return new Map(
    suites(s).flatMap((suite) =>
      suite.expectations.filter((e) => e.meta['rule_id']).map((e) => [String(e.meta['rule_id']), e]),
    ),
  );
}

describe('writeGx', () => {
  it('writes one suite per object, named after the spec and the object', () => {
    const files = writeGx(spec());
    expect(files.map((f) => f.path)).toEqual(['churn_audit.gx.json', 'churn_audit.subscriptions.gx.json']);
    expect(files.every((f) => f.mimeType === 'application/json' && f.text.endsWith('}\n'))).toBe(true);
    expect(suites().map((s) => s.name)).toEqual(['churn_audit', 'churn_audit.subscriptions']);
  });

  it('writes suites whose keys GX 1.x reads and whose kwargs its expectation classes accept', () => {
    for (const file of writeGx(spec())) {
      const errors = gxSuiteErrors(file.text);
      expect(errors, errors.join('\n')).toEqual([]);
    }
  });

  it('is checked by a validator that rejects unknown kwargs, missing arguments and unknown keys', () => {
    const text = writeGx(spec())[0]!.text;
    const suite = JSON.parse(text) as GxSuite & Record<string, unknown>;
    const notNull = suite.expectations.find((e) => e.type === 'expect_column_values_to_not_be_null')!;
    notNull.kwargs['severity'] = 'critical';
    expect(gxSuiteErrors(JSON.stringify(suite)).join()).toMatch(/additional/);
    delete notNull.kwargs['severity'];
    delete notNull.kwargs['column'];
    expect(gxSuiteErrors(JSON.stringify(suite)).join()).toMatch(/required/);
    notNull.kwargs['column'] = 'x';
    notNull.type = 'expect_column_values_to_be_nice' as never;
    expect(gxSuiteErrors(JSON.stringify(suite)).join()).toMatch(/no vendored schema/);
    expect(gxSuiteErrors(JSON.stringify({ ...JSON.parse(text), severity: 'x' })).join()).toMatch(
      /unknown key severity/,
    );
  });

  it('gives every rule one expectation, carrying its id, severity, threshold and observed value in meta', () => {
    const s = spec();
    const rules = byRule(s);
    expect([...rules.keys()].sort()).toEqual(s.rules.map((r) => r.id).sort());
    const nullRate = rules.get('null-rate:customers:monthly_fee')!;
    expect(nullRate.meta).toMatchObject({
      severity: 'warn',
      kind: 'null-rate',
      observed: 0.02,
      expect: { op: '<=', threshold: 0.07 },
      dimension: 'completeness',
    });
    expect(nullRate.description).toBe('Rule null-rate:customers:monthly_fee.');
    // The subscriptions rules sit in their own suite.
    const [customers, subscriptions] = suites(s);
    expect(
      subscriptions!.expectations
        .map((e) => e.meta['rule_id'])
        .filter(Boolean)
        .sort(),
    ).toEqual([
      'freshness:subscriptions:started',
      'relationship:subscriptions:customer_id',
      'unique:subscriptions:customer_id+started',
    ]);
    expect(customers!.expectations[0]).toMatchObject({
      type: 'expect_table_columns_to_match_set',
      kwargs: { exact_match: true },
    });
    expect(customers!.expectations[0]!.kwargs['column_set']).toContain(HOSTILE);
  });

  it('uses the built-in expectation when one has the rule’s pass condition', () => {
    const rules = byRule();
    const form = (id: string) => ({ type: rules.get(id)!.type, kwargs: rules.get(id)!.kwargs });
    expect(form('row-count:customers')).toEqual({
      type: 'expect_table_row_count_to_be_between',
      kwargs: { min_value: 100 },
    });
    expect(form('not-null:customers:customer_id')).toEqual({
      type: 'expect_column_values_to_not_be_null',
      kwargs: { column: 'customer_id' },
    });
    // At most 7% nulls: at least 93% of rows not null, without binary noise.
    expect(form('null-rate:customers:monthly_fee')).toEqual({
      type: 'expect_column_values_to_not_be_null',
      kwargs: { column: 'monthly_fee', mostly: 0.93 },
    });
    expect(form('unique:customers:customer_id').type).toBe('expect_column_values_to_be_unique');
    expect(form('unique:subscriptions:customer_id+started')).toEqual({
      type: 'expect_compound_columns_to_be_unique',
      kwargs: { column_list: ['customer_id', 'started'] },
    });
    expect(form('accepted-values:customers:plan')).toEqual({
      type: 'expect_column_values_to_be_in_set',
      kwargs: { column: 'plan', value_set: ['basic', 'pro'] },
    });
    expect(form('invalid-values:customers:signup_date')).toEqual({
      type: 'expect_column_values_to_not_be_in_set',
      kwargs: { column: 'signup_date', value_set: ['1900-01-01'] },
    });
    expect(form('range:customers:monthly_fee')).toEqual({
      type: 'expect_column_values_to_be_between',
      kwargs: { column: 'monthly_fee', min_value: 0, max_value: 500 },
    });
    expect(form(`not-null:customers:${HOSTILE}`).kwargs).toEqual({ column: HOSTILE });
  });

  it('writes the other rules as unexpected_rows_expectation with GX’s batch placeholder', () => {
    const rules = byRule();
    const sqlRules = [...rules.values()].filter((e) => e.type === 'unexpected_rows_expectation');
    expect(sqlRules.map((e) => e.meta['rule_id']).sort()).toEqual([
      'drift:customers:plan',
      'duplicate-rows:customers',
      'freshness:subscriptions:started',
      'relationship:subscriptions:customer_id',
      'sql:customers:leakage',
      'unique:customers:plan',
    ]);
    for (const e of sqlRules) {
      const query = String(e.kwargs['unexpected_rows_query']);
      expect(query).toContain(GX_BATCH);
      expect(query).not.toMatch(/\{\{(table|parent|today)\}\}/);
    }
    // Failing rows when the rule allows none and has them.
    expect(rules.get('sql:customers:leakage')!.kwargs['unexpected_rows_query']).toBe(
      `SELECT * FROM {batch} WHERE "churned" AND "signup_date" > ${GX_TODAY}`,
    );
    expect(rules.get('relationship:subscriptions:customer_id')!.kwargs['unexpected_rows_query']).toContain(
      'FROM "customers" p',
    );
    // Else the value, kept only when it breaks the threshold (a tolerance, a statistic, an age).
    expect(rules.get('drift:customers:plan')!.kwargs['unexpected_rows_query']).toBe(
      'SELECT value FROM (SELECT 0.0123 AS value FROM {batch} LIMIT 1) AS audit_rule\n' +
        'WHERE value IS NULL OR NOT (value <= 0.1)',
    );
    expect(rules.get('unique:customers:plan')!.kwargs['unexpected_rows_query']).toMatch(
      /NOT \(value <= 2\)$/,
    );
    expect(rules.get('freshness:subscriptions:started')!.kwargs['unexpected_rows_query']).toContain(
      `CAST(max("started") AS DATE), ${GX_TODAY})`,
    );
  });

  it('doubles literal braces, which GX’s str.format would otherwise read as placeholders', () => {
    const s = spec((rules) => {
      const leak = rules.find((r) => r.id === 'sql:customers:leakage')!;
      leak.failingRowsSql = `SELECT * FROM {{table}} WHERE regexp_matches("plan", '^x{2}$')`;
    });
    const query = String(byRule(s).get('sql:customers:leakage')!.kwargs['unexpected_rows_query']);
    expect(query).toBe(`SELECT * FROM {batch} WHERE regexp_matches("plan", '^x{{2}}$')`);
    expect(gxQueryForDuckDb(query, '"t"')).toBe(`SELECT * FROM "t" WHERE regexp_matches("plan", '^x{2}$')`);
  });

  it('goes through SQL when GX’s value_set cannot hold the values or the rule tolerates violations', () => {
    const s = spec((rules) => {
      rules.find((r) => r.id === 'accepted-values:customers:plan')!.params.values = [true, false];
      rules.find((r) => r.id === 'invalid-values:customers:signup_date')!.params.values = ['', 'n/a'];
      const range = rules.find((r) => r.id === 'range:customers:monthly_fee')!;
      range.expect = { op: '<=', threshold: 3 };
    });
    const rules = byRule(s);
    for (const id of [
      'accepted-values:customers:plan',
      'invalid-values:customers:signup_date',
      'range:customers:monthly_fee',
    ])
      expect(rules.get(id)!.type, id).toBe('unexpected_rows_expectation');
    for (const file of writeGx(s)) expect(gxSuiteErrors(file.text)).toEqual([]);
  });

  it('knows a schema for every expectation type it writes', () => {
    const types = new Set(suites().flatMap((s) => s.expectations.map((e) => e.type)));
    for (const type of types) expect(GX_SCHEMA_FILES[type], type).toBeDefined();
  });
});

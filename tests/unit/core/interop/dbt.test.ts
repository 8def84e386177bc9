import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import Ajv from 'ajv';
import addFormats from 'ajv-formats';
import { parse } from 'yaml';
import { dbtTests, writeDbt } from '../../../../src/lib/core/interop/dbt';
import type { CheckSpec, RuleKind, SpecColumn, SpecRule } from '../../../../src/lib/core/interop/spec';
import { ROOT } from '../../../support/paths';

/** A hand-made spec with one rule of every kind, over a customers table and its subscriptions. */
function column(name: string, physicalType: string, extra: Partial<SpecColumn> = {}): SpecColumn {
  return {
    name,
    physicalType,
    logicalType: 'string',
    required: false,
    unique: false,
    primaryKey: false,
    missingShare: 0,
    distinct: 10,
    description: `${name} column`,
    ...extra,
  };
}

function rule(kind: RuleKind, object: string, columns: string[], extra: Partial<SpecRule> = {}): SpecRule {
  return {
    id: `${kind}:${object}:${columns.join('+') || 'table'}`,
    kind,
    object,
    columns,
    dimension: 'conformity',
    severity: 'error',
    description: `${kind} holds on ${object}`,
    measure: 'violations',
    expect: { op: '<=', threshold: 0 },
    sql: `select count(*) as value from {{table}}`,
    observed: 0,
    params: {},
    source: { from: 'profile' },
    ...extra,
  };
}

const handSpec = (): CheckSpec => ({
  name: 'churn',
  title: 'Churn audit',
  description: 'Predict churn within 90 days.',
  createdAt: '2026-11-02T10:00:00Z',
  asOf: '2026-11-01',
  verdict: { status: 'fix-first', label: 'Fix first' },
  redaction: 'personal',
  objects: [
    {
      datasetId: 'd1',
      objectName: 'customers',
      fileName: 'customers.csv',
      format: 'csv',
      sizeBytes: 1000,
      rowCount: 1020,
      primary: true,
      columns: [
        column('customer_id', 'BIGINT', { primaryKey: true, role: 'id' }),
        column('plan', 'VARCHAR'),
        column('age', 'BIGINT', { logicalType: 'integer' }),
        column('snapshot_date', 'DATE', { logicalType: 'date' }),
        column('Monthly Fee', 'DOUBLE', { logicalType: 'number' }),
        column('email', 'VARCHAR', { personal: { reason: 'detected', kinds: ['email'] } }),
        column('seats', 'BIGINT'),
      ],
    },
    {
      datasetId: 'd2',
      objectName: 'subscriptions',
      fileName: 'subscriptions.csv',
      format: 'csv',
      sizeBytes: 500,
      rowCount: 2000,
      primary: false,
      columns: [
        column('subscription_id', 'BIGINT'),
        column('customer_id', 'BIGINT'),
        column('ticket_key', 'VARCHAR'),
      ],
    },
  ],
  relationships: [],
  rules: [
    rule('row-count', 'customers', [], {
      measure: 'rows',
      expect: { op: '>=', threshold: 900 },
      params: { minRows: 900 },
      observed: 1020,
    }),
    rule('not-null', 'customers', ['customer_id']),
    rule('null-rate', 'customers', ['age'], {
      measure: 'share',
      expect: { op: '<=', threshold: 0.05 },
      params: { maxShare: 0.05 },
      severity: 'warn',
    }),
    rule('unique', 'customers', ['customer_id'], { observed: 20 }),
    rule('unique', 'subscriptions', ['subscription_id', 'customer_id']),
    rule('accepted-values', 'customers', ['plan'], { params: { values: ['basic', 'pro'] } }),
    rule('accepted-values', 'customers', ['seats'], { params: { values: [1, 2, 5] } }),
    rule('accepted-values', 'customers', ['plan'], {
      id: 'accepted-values:customers:plan:quoted',
      params: { values: ["O'Brien", 'pro'] },
    }),
    rule('range', 'customers', ['age'], { params: { min: 18, max: 99 } }),
    rule('range', 'customers', ['snapshot_date'], { params: { min: '2020-01-01' } }),
    rule('range', 'customers', ['Monthly Fee'], { params: { min: 0 } }),
    rule('invalid-values', 'customers', ['plan'], {
      params: { values: ['N/A', '{{x}}'] },
      failingRowsSql: `select * from {{table}} where "plan" in ('N/A', '{{x}}')`,
    }),
    rule('freshness', 'customers', ['snapshot_date'], {
      measure: 'days',
      expect: { op: '<=', threshold: 45 },
      params: { maxAgeDays: 45 },
      sql: `select {{today}} - max("snapshot_date") as value from {{table}}`,
      observed: 0,
      severity: 'warn',
    }),
    rule('relationship', 'subscriptions', ['customer_id'], {
      params: { parentObject: 'customers', parentColumn: 'customer_id' },
      observed: 109,
    }),
    rule('relationship', 'subscriptions', ['ticket_key'], {
      params: { parentObject: 'customers', parentColumn: 'customer_id', comparedAsText: true },
      failingRowsSql: `select c.* from {{table}} c where trim(c."ticket_key") not in (select trim(cast(p."customer_id" as varchar)) from {{parent}} p)`,
    }),
    rule('duplicate-rows', 'subscriptions', [], {
      sql: 'select count(*) - count(distinct s) as value from {{table}} s',
      expect: { op: '<=', threshold: 3 },
    }),
    rule('sql', 'subscriptions', ['customer_id'], {
      failingRowsSql: 'select * from {{table}} where "customer_id" < 0',
    }),
    rule('drift', 'customers', ['plan'], {
      measure: 'statistic',
      expect: { op: '<=', threshold: 0.1 },
      params: { statistic: 'psi', retrain: 0.25 },
      sql: 'select 0.02 as value from {{table}} limit 1',
      observed: 0.02,
      severity: 'warn',
    }),
  ],
  findings: [],
});

const schema = (file: string): object =>
  JSON.parse(readFileSync(join(ROOT, 'schema/vendor/dbt', file), 'utf8')) as object;

function validator(file: string) {
  const ajv = new Ajv({ allErrors: true, strict: false });
  addFormats(ajv);
  // The Fusion schema's one format ajv-formats lacks (Rust's u64).
  ajv.addFormat('uint64', { type: 'number', validate: (n: number) => Number.isInteger(n) && n >= 0 });
  return ajv.compile(schema(file));
}

type Entry = Record<
  string,
  {
    name?: string;
    arguments?: Record<string, unknown>;
    config: {
      severity: string;
      meta: { rule_id: string; observed: number };
      fail_calc?: string;
      warn_if?: string;
      where?: string;
    };
  }
>;
interface Models {
  version: number;
  models: {
    name: string;
    columns: { name: string; data_type: string; quote?: boolean; data_tests?: Entry[] }[];
    data_tests?: Entry[];
  }[];
  data_tests?: { name: string; description: string }[];
}

const files = writeDbt(handSpec());
const byPath = new Map(files.map((f) => [f.path, f.text]));
const models = parse(byPath.get('dbt/models/churn.yml')!) as Models;
const entries = (): { test: string; column?: string; object: string; body: Entry[string] }[] =>
  models.models.flatMap((m) => [
    ...m.columns.flatMap((c) =>
      (c.data_tests ?? []).flatMap((e) =>
        Object.entries(e).map(([test, body]) => ({ test, column: c.name, object: m.name, body })),
      ),
    ),
    ...(m.data_tests ?? []).flatMap((e) =>
      Object.entries(e).map(([test, body]) => ({ test, object: m.name, body })),
    ),
  ]);
const entryFor = (id: string) => entries().find((e) => e.body.config.meta.rule_id === id);
const singularFor = (id: string): string | undefined =>
  files.find((f) => f.path.startsWith('dbt/tests/') && f.text.includes(`"rule_id":${JSON.stringify(id)}`))
    ?.text;

describe('writeDbt', () => {
  it('writes the models file against both dbt property-file schemas and packages.yml against its own', () => {
    const core = validator('dbt_yml_files-latest.json');
    const fusion = validator('dbt_yml_files-latest-fusion.json');
    const packages = validator('packages-latest.json');
    expect(core(models), JSON.stringify(core.errors)).toBe(true);
    expect(fusion(models), JSON.stringify(fusion.errors)).toBe(true);
    expect(packages(parse(byPath.get('dbt/packages.yml')!)), JSON.stringify(packages.errors)).toBe(true);
    // The Fusion schema is the strict one: the pre-1.10 form (arguments beside config) fails it.
    const legacy = structuredClone(models);
    legacy.models[0]!.columns[1]!.data_tests = [
      { accepted_values: { values: ['a'], config: { severity: 'error' } } } as never,
    ];
    expect(fusion(legacy)).toBe(false);
  });

  it('gives every rule exactly one test, generic with its id in meta or singular with its id in config', () => {
    for (const r of handSpec().rules) {
      const generic = entries().filter((e) => e.body.config.meta.rule_id === r.id).length;
      const singular = files.filter(
        (f) => f.text.includes(`"rule_id":${JSON.stringify(r.id)}`) && f.path.endsWith('.sql'),
      ).length;
      expect(generic + singular, r.id).toBe(1);
    }
    expect(files.filter((f) => f.path.endsWith('.sql'))).toHaveLength(
      dbtTests(handSpec()).filter((t) => t.kind === 'singular').length,
    );
  });

  it('writes one model per object with typed columns, quoting a name dbt would not', () => {
    expect(models.version).toBe(2);
    expect(models.models.map((m) => m.name)).toEqual(['customers', 'subscriptions']);
    const fee = models.models[0]!.columns.find((c) => c.name === 'Monthly Fee')!;
    expect(fee).toMatchObject({ data_type: 'double', quote: true });
    expect(models.models[0]!.columns.find((c) => c.name === 'plan')!.quote).toBeUndefined();
  });

  it('uses the built-in generic tests in the arguments form with severity and the observed value', () => {
    expect(entryFor('not-null:customers:customer_id')).toMatchObject({
      test: 'not_null',
      column: 'customer_id',
    });
    expect(entryFor('unique:customers:customer_id')).toMatchObject({
      test: 'unique',
      body: { config: { severity: 'error', meta: { observed: 20 } } },
    });
    expect(entryFor('accepted-values:customers:plan')).toMatchObject({
      test: 'accepted_values',
      body: { arguments: { values: ['basic', 'pro'] }, config: { fail_calc: 'coalesce(sum(n_records), 0)' } },
    });
    expect(entryFor('accepted-values:customers:seats')!.body.arguments).toEqual({
      values: [1, 2, 5],
      quote: false,
    });
    expect(entryFor('relationship:subscriptions:customer_id')).toMatchObject({
      test: 'relationships',
      body: {
        arguments: { to: "ref('customers')", field: 'customer_id' },
        config: { meta: { observed: 109 } },
      },
    });
  });

  it('uses dbt_utils and dbt_expectations where no built-in test fits, and pins both', () => {
    expect(entryFor('row-count:customers:table')).toMatchObject({
      test: 'dbt_expectations.expect_table_row_count_to_be_between',
      body: { arguments: { min_value: 900 } },
    });
    expect(entryFor('null-rate:customers:age')).toMatchObject({
      test: 'dbt_utils.not_null_proportion',
      body: { arguments: { at_least: 0.95 }, config: { severity: 'warn' } },
    });
    expect(entryFor('unique:subscriptions:subscription_id+customer_id')).toMatchObject({
      test: 'dbt_utils.unique_combination_of_columns',
      body: {
        arguments: { combination_of_columns: ['subscription_id', 'customer_id'], quote_columns: true },
      },
    });
    expect(entryFor('range:customers:age')!.body.arguments).toEqual({
      min_value: '18',
      max_value: '99',
      inclusive: true,
    });
    expect(entryFor('range:customers:snapshot_date')!.body.arguments).toEqual({
      min_value: "cast('2020-01-01' as date)",
      inclusive: true,
    });
    const packages = parse(byPath.get('dbt/packages.yml')!) as { packages: { package: string }[] };
    expect(packages.packages.map((p) => p.package)).toEqual([
      'metaplane/dbt_expectations',
      'dbt-labs/dbt_utils',
    ]);
    expect(byPath.get('dbt/models/churn.yml')).toMatch(/^# .*\n# .*\n# Needs dbt_expectations and dbt_utils/);
  });

  it('writes the failing rows of a rule no generic test counts, with ref() and the parent bound', () => {
    const text = singularFor('relationship:subscriptions:ticket_key')!;
    expect(text).toContain(
      `from {{ ref('subscriptions') }} c where trim(c."ticket_key") not in (select trim(cast(p."customer_id" as varchar)) from {{ ref('customers') }} p)`,
    );
    expect(text).toContain(
      `{{ config(severity="error", meta={"rule_id":"relationship:subscriptions:ticket_key"`,
    );
    expect(text).not.toMatch(/\{\{(table|parent|today)\}\}/);
    expect(entryFor('relationship:subscriptions:ticket_key')).toBeUndefined();
  });

  it('wraps an aggregate rule so it returns one row when the expectation fails, with today as current_date', () => {
    const text = singularFor('freshness:customers:snapshot_date')!;
    expect(text).toContain(
      `select current_date - max("snapshot_date") as value from {{ ref('customers') }}\n) as audit_check\nwhere not (value <= 45)`,
    );
    expect(text).toContain('severity="warn"');
    expect(singularFor('drift:customers:plan')).toContain('where not (value <= 0.1)');
    expect(singularFor('duplicate-rows:subscriptions:table')).toContain('where not (value <= 3)');
  });

  it('tolerates the violations a row-level rule allows through warn_if and error_if', () => {
    const tolerant = handSpec();
    tolerant.rules = [rule('not-null', 'customers', ['age'], { expect: { op: '<=', threshold: 5 } })];
    const [test] = Object.values(
      (parse(writeDbt(tolerant)[0]!.text) as Models).models[0]!.columns.find((c) => c.name === 'age')!
        .data_tests![0]!,
    );
    expect(test!.config).toMatchObject({ warn_if: '>5', error_if: '>5' });
  });

  it('keeps Jinja off the SQL: template marks in a value stay raw and a quoted value leaves accepted_values', () => {
    const text = singularFor('invalid-values:customers:plan')!;
    expect(text).toContain(
      `select * from {{ ref('customers') }}{% raw %} where "plan" in ('N/A', '{{x}}'){% endraw %}`,
    );
    expect(entryFor('accepted-values:customers:plan:quoted')).toBeUndefined();
    expect(singularFor('accepted-values:customers:plan:quoted')).toBeDefined();
  });

  it('spaces off template marks in descriptions, which dbt renders as Jinja', () => {
    const spec = handSpec();
    spec.rules = [
      rule('not-null', 'customers', ['plan'], { description: 'plan is never {{{x}} or {%y%} or {#z#}' }),
      rule('sql', 'customers', ['plan'], {
        description: 'no {{ ref("x") }}',
        failingRowsSql: 'select * from {{table}}',
      }),
    ];
    const out = writeDbt(spec);
    for (const f of out) expect(f.text.replace(/\{\{ (ref|config)\(.*?\) \}\}/g, '')).not.toMatch(/\{[{%#]/);
    expect(out[0]!.text).toContain('plan is never { { {x}} or { %y%} or { #z#}');
  });

  it('needs no packages.yml when only built-in tests are written', () => {
    const plain = handSpec();
    plain.rules = plain.rules.filter((r) => r.kind === 'not-null' || r.kind === 'unique').slice(0, 2);
    const out = writeDbt(plain);
    expect(out.map((f) => f.path)).toEqual(['dbt/models/churn.yml']);
    expect(out[0]!.text).toContain('# Needs no dbt package.');
  });

  it('names tests after their rule ids, distinct even when two ids read alike', () => {
    const spec = handSpec();
    spec.rules.push(rule('sql', 'subscriptions', ['customer_id'], { id: 'sql:subscriptions:customer-id' }));
    const names = dbtTests(spec).map((t) => t.name);
    expect(new Set(names).size).toBe(names.length);
    expect(names).toContain('not_null_customers_customer_id');
    expect(names).toContain('relationship_subscriptions_ticket_key');
    expect(names.filter((n) => n.startsWith('sql_subscriptions_customer_id'))).toEqual([
      'sql_subscriptions_customer_id',
      'sql_subscriptions_customer_id_2',
    ]);
  });

  it('writes YAML that a YAML 1.1 reader (dbt’s PyYAML) reads back as the same strings', () => {
    const spec = handSpec();
    spec.rules = [
      rule('accepted-values', 'customers', ['plan'], {
        params: { values: ['No', 'Yes', 'on', '2026-11-01', '1.0'] },
      }),
    ];
    const text = writeDbt(spec)[0]!.text;
    const read = (version: '1.1' | '1.2') =>
      (parse(text, { version }) as Models).models[0]!.columns.find((c) => c.name === 'plan')!;
    const values = (version: '1.1' | '1.2') =>
      Object.values(read(version).data_tests![0]!)[0]!.arguments!.values;
    expect(values('1.1')).toEqual(['No', 'Yes', 'on', '2026-11-01', '1.0']);
    expect(values('1.2')).toEqual(values('1.1'));
    expect(text).toContain('as_of: "2026-11-01"');
  });

  it('leaves a float range and invalid values to singular tests, and a combination drops rows with a null', () => {
    const [fee] = dbtTests(handSpec()).filter((t) => t.rule.id === 'range:customers:Monthly Fee');
    expect(fee).toMatchObject({ kind: 'singular', reason: expect.stringContaining('infinite') });
    expect(entryFor('unique:subscriptions:subscription_id+customer_id')!.body.config).toMatchObject({
      where: '"subscription_id" is not null and "customer_id" is not null',
    });
  });
});

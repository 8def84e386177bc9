import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import {
  ODCS_OBJECT,
  ODCS_PERSONAL_CLASSIFICATION,
  OdcsError,
  readOdcs,
  writeOdcs,
} from '../../../../src/lib/core/interop/odcs';
import type { CheckSpec, SpecRule } from '../../../../src/lib/core/interop/spec';
import { odcsSchemaErrors, spokenRules } from '../../../support/odcs';
import { handSpec, HOSTILE } from './odcs-spec';

type Node = Record<string, unknown> & {
  quality?: Node[];
  properties?: Node[];
  relationships?: Node[];
};

function contract(spec: CheckSpec = handSpec()): { doc: Node; schema: Node[] } {
  const doc = parse(writeOdcs(spec).text) as Node;
  return { doc, schema: doc['schema'] as Node[] };
}

/** Every quality entry of the contract, keyed by the spec rule id it carries. */
function qualityById(schema: Node[]): Map<string, Node> {
  const all = schema.flatMap((o) => [
    ...(o.quality ?? []),
    ...(o.properties ?? []).flatMap((p) => p.quality ?? []),
  ]);
  return new Map(
    all.map((q) => {
      const props = q['customProperties'] as { property: string; value: unknown }[];
      return [String(props.find((c) => c.property === 'ruleId')?.value), q];
    }),
  );
}

describe('writeOdcs', () => {
  it('writes an ODCS v3.1.0 contract that the official JSON Schema accepts', () => {
    const file = writeOdcs(handSpec());
    expect(file.path).toBe('churn_audit.odcs.yaml');
    expect(file.mimeType).toBe('application/yaml');
    const { doc } = contract();
    expect(doc).toMatchObject({
      apiVersion: 'v3.1.0',
      kind: 'DataContract',
      id: 'churn_audit',
      status: 'proposed',
    });
    const errors = odcsSchemaErrors(file.text);
    expect(errors, JSON.stringify(errors, null, 2)).toEqual([]);
  });

  it('names the audited files as local servers, one `{model}` path when every file is named after its object', () => {
    expect(contract().doc['servers']).toEqual([
      expect.objectContaining({ server: 'audited', type: 'local', path: './{model}.csv', format: 'csv' }),
    ]);
    const renamed = handSpec();
    renamed.objects[0]!.fileName = 'Customer export.csv';
    expect(contract(renamed).doc['servers']).toEqual([
      expect.objectContaining({
        server: 'customers',
        type: 'local',
        path: './Customer export.csv',
        format: 'csv',
      }),
      expect.objectContaining({
        server: 'subscriptions',
        type: 'local',
        path: './subscriptions.csv',
        format: 'csv',
      }),
    ]);
    expect(odcsSchemaErrors(writeOdcs(renamed).text)).toEqual([]);
  });

  it('is checked by a validator that does reject what ODCS forbids', () => {
    const text = writeOdcs(handSpec()).text;
    // A dimension outside ODCS's enum, and a key no quality rule may carry.
    expect(odcsSchemaErrors(text.replace('dimension: completeness', 'dimension: validity'))).not.toEqual([]);
    expect(
      odcsSchemaErrors(text.replace(/( +)metric: rowCount/, '$1metric: rowCount\n$1observed: 120')),
    ).not.toEqual([]);
    expect(odcsSchemaErrors(text.replace('status: proposed\n', ''))).not.toEqual([]);
  });

  it('states types, keys and nullability per property, and classifies the personal column without an example', () => {
    const { schema } = contract();
    const customers = schema.find((o) => o['name'] === 'customers')!;
    const byName = new Map((customers.properties ?? []).map((p) => [p['name'], p]));
    expect(byName.get('customer_id')).toMatchObject({
      logicalType: 'integer',
      physicalType: 'BIGINT',
      required: true,
      unique: true,
      primaryKey: true,
      primaryKeyPosition: 1,
    });
    expect(byName.get('email')).toMatchObject({
      classification: ODCS_PERSONAL_CLASSIFICATION,
      primaryKey: false,
    });
    expect(byName.get('email')!['examples']).toBeUndefined();
    expect(byName.get('plan')!['classification']).toBeUndefined();
    expect(customers['dataGranularityDescription']).toBe('One row per customer_id.');
  });

  it('uses the library metric whose count is the rule’s, and SQL for every other rule', () => {
    const q = qualityById(contract().schema);
    expect(q.get('row-count:customers')).toMatchObject({ metric: 'rowCount', mustBeGreaterOrEqualTo: 100 });
    expect(q.get('not-null:customers:customer_id')).toMatchObject({
      metric: 'nullValues',
      mustBe: 0,
      unit: 'rows',
    });
    // 7 % as ODCS's percent unit, not the spec's 0.07 share.
    expect(q.get('null-rate:customers:monthly_fee')).toMatchObject({
      metric: 'nullValues',
      mustBeLessOrEqualTo: 7,
      unit: 'percent',
      severity: 'warning',
    });
    expect(q.get('unique:customers:customer_id')).toMatchObject({ metric: 'duplicateValues', mustBe: 0 });
    expect(q.get('unique:subscriptions:customer_id+started')).toMatchObject({
      metric: 'duplicateValues',
      arguments: { properties: ['customer_id', 'started'] },
    });
    expect(q.get('accepted-values:customers:plan')).toMatchObject({
      metric: 'invalidValues',
      arguments: { validValues: ['basic', 'pro'] },
    });
    // Slack on duplicates: ODCS does not say what duplicateValues counts, so it stays SQL;
    // sentinels too, since missingValues counts nulls as well in datacontract-cli.
    for (const id of [
      'invalid-values:customers:signup_date',
      'unique:customers:plan',
      'range:customers:monthly_fee',
      'freshness:subscriptions:started',
      'relationship:subscriptions:customer_id',
      'duplicate-rows:customers',
      'sql:customers:leakage',
      'drift:customers:plan',
    ]) {
      expect(q.get(id)?.['type'], id).toBe('sql');
      expect(q.get(id)?.['metric'], id).toBeUndefined();
    }
  });

  it('puts a rule on its property when it reads one column, on its object otherwise', () => {
    const { schema } = contract();
    const customers = schema.find((o) => o['name'] === 'customers')!;
    const onObject = (customers.quality ?? []).map((q) => q['id']);
    expect(onObject).toEqual(['row-count_customers', 'duplicate-rows_customers', 'sql_customers_leakage']);
    const plan = customers.properties!.find((p) => p['name'] === 'plan')!;
    expect(plan.quality!.map((q) => q['id'])).toEqual([
      'unique_customers_plan',
      'accepted-values_customers_plan',
      'drift_customers_plan',
    ]);
  });

  it('binds the SQL tokens to ODCS’s {object}, the parent’s schema name and CURRENT_DATE', () => {
    const q = qualityById(contract().schema);
    const query = (id: string) => String(q.get(id)?.['query']);
    expect(query('range:customers:monthly_fee')).toBe(
      `SELECT count(*) AS value FROM ${ODCS_OBJECT} WHERE "monthly_fee" NOT BETWEEN 0 AND 500`,
    );
    expect(query('freshness:subscriptions:started')).toContain(', CURRENT_DATE) AS value FROM {object}');
    expect(query('relationship:subscriptions:customer_id')).toContain('FROM "customers" p WHERE');
    for (const rule of q.values()) expect(String(rule['query'] ?? '')).not.toContain('{{');
  });

  it('declares each relation as a schema-level foreign key on the child', () => {
    const { schema } = contract();
    const subscriptions = schema.find((o) => o['name'] === 'subscriptions')!;
    expect(subscriptions.relationships).toEqual([
      {
        type: 'foreignKey',
        from: 'subscriptions.customer_id',
        to: 'customers.customer_id',
        customProperties: [
          { property: 'cardinality', value: 'many-to-one' },
          { property: 'comparedAsText', value: false },
        ],
      },
    ]);
  });

  it('references a column whose name is no identifier by its stable ids, and still validates', () => {
    const spec = handSpec();
    spec.objects[1]!.columns.push({ ...spec.objects[0]!.columns[6]! });
    spec.relationships.push({
      child: { object: 'subscriptions', column: HOSTILE },
      parent: { object: 'customers', column: HOSTILE },
      cardinality: 'many-to-one',
      comparedAsText: true,
    });
    const text = writeOdcs(spec).text;
    const subscriptions = (parse(text) as { schema: Node[] }).schema[1]!;
    expect(subscriptions.relationships![1]).toMatchObject({
      from: 'schema/subscriptions/properties/note_x_DROP',
      to: 'schema/customers/properties/note_x_DROP',
    });
    expect(odcsSchemaErrors(text)).toEqual([]);
    expect(readOdcs(text).relationships).toEqual(spec.relationships);
  });

  it('refuses a rule on an object the spec does not describe', () => {
    const spec = handSpec();
    spec.rules[0] = { ...spec.rules[0]!, object: 'elsewhere' };
    expect(() => writeOdcs(spec)).toThrow(OdcsError);
  });

  it('refuses a relation rule whose SQL reads a parent it does not name', () => {
    const spec = handSpec();
    const relation = spec.rules.find((r) => r.kind === 'relationship')!;
    relation.params = {};
    expect(() => writeOdcs(spec)).toThrow(/names none/);
  });
});

describe('readOdcs', () => {
  it('gives back the spec’s rules: ids, kinds, objects, columns, thresholds, params, sources and SQL', () => {
    const spec = handSpec();
    const back = readOdcs(writeOdcs(spec).text);
    expect(spokenRules(back.rules)).toEqual(spokenRules(spec.rules));
    const sqlRules = back.rules.filter((r) => r.construct.type === 'sql');
    expect(sqlRules).toHaveLength(8);
    const bySpec = new Map(spec.rules.map((r) => [r.id, r]));
    for (const r of sqlRules) expect(r.sql, r.id).toBe(bySpec.get(r.id)!.sql);
  });

  it('gives back the objects’ columns, keys, personal classification and relations', () => {
    const spec = handSpec();
    const back = readOdcs(writeOdcs(spec).text);
    expect(back.apiVersion).toBe('v3.1.0');
    expect(back.relationships).toEqual(spec.relationships);
    expect(back.objects.map((o) => o.name)).toEqual(['customers', 'subscriptions']);
    const written = back.objects.flatMap((o) => o.columns);
    const given = spec.objects.flatMap((o) => o.columns);
    expect(
      written.map((c) => [c.name, c.logicalType, c.physicalType, c.required, c.unique, c.primaryKey]),
    ).toEqual(given.map((c) => [c.name, c.logicalType, c.physicalType, c.required, c.unique, c.primaryKey]));
    expect(written.filter((c) => c.classification).map((c) => c.name)).toEqual(['email']);
  });

  it('reads the parent table back as a token only where it is a table, not a column spelt like it', () => {
    const spec = handSpec();
    const relation = spec.rules.find((r) => r.kind === 'relationship')!;
    relation.sql = `${relation.sql} AND c."customers" IS NULL AND EXISTS (SELECT 1 FROM {{parent}} JOIN {{parent}} q ON TRUE)`;
    const back = readOdcs(writeOdcs(spec).text).rules.find((r) => r.id === relation.id)!;
    expect(back.sql).toBe(relation.sql);
  });

  it('reads a share threshold written as a percent back to the same share', () => {
    const spec = handSpec();
    const shares = [0.07, 0.001, 0.3333333333, 0.05];
    spec.rules = shares.map((maxShare, i): SpecRule => ({
      ...spec.rules[2]!,
      id: `null-rate:customers:monthly_fee:${i}`,
      expect: { op: '<=', threshold: maxShare },
      params: { maxShare },
    }));
    expect(readOdcs(writeOdcs(spec).text).rules.map((r) => r.expect.threshold)).toEqual(shares);
  });

  it('says what it cannot read instead of guessing', () => {
    expect(() => readOdcs('- just a list')).toThrow(OdcsError);
    const text = writeOdcs(handSpec()).text.replace('ruleKind', 'kindOfRule');
    expect(() => readOdcs(text)).toThrow(OdcsError);
  });
});

describe('ODCS YAML for 1.1 readers', () => {
  it('keeps values a YAML 1.1 reader (PyYAML, as datacontract-cli uses) would take for booleans or dates as strings', () => {
    const spec = handSpec();
    const values = ['Yes', 'No', 'on', '2026-11-01'];
    const rules = spec.rules.map((r) =>
      r.id === 'accepted-values:customers:plan' ? { ...r, params: { values } } : r,
    );
    const text = writeOdcs({ ...spec, rules }).text;
    const read = parse(text, { version: '1.1' }) as Node;
    const found = JSON.stringify(read).includes(JSON.stringify(values));
    expect(found).toBe(true);
  });
});

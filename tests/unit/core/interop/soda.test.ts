import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { SODA_TODAY, writeSoda } from '../../../../src/lib/core/interop/soda';
import type { CheckSpec, SpecRule } from '../../../../src/lib/core/interop/spec';
import { sodaContractErrors, sodaQueryForDuckDb } from '../../../support/soda';
import { handSpec, HOSTILE } from './odcs-spec';

type Node = Record<string, unknown>;
type Check = Record<string, Node | null>;

function spec(edit: (rules: SpecRule[]) => void = () => {}): CheckSpec {
  const s = handSpec();
  const leak = s.rules.find((r) => r.id === 'sql:customers:leakage')!;
  leak.failingRowsSql = 'SELECT * FROM {{table}} WHERE "churned" AND "signup_date" > {{today}}';
  edit(s.rules);
  return s;
}

function contracts(s: CheckSpec = spec()): Node[] {
  return writeSoda(s).map((f) => parse(f.text) as Node);
}

/** Every check of the contracts, keyed by the rule id in its qualifier, with the column it sits under. */
function byRule(s: CheckSpec = spec()): Map<string, { type: string; body: Node; under?: string }> {
  const out = new Map<string, { type: string; body: Node; under?: string }>();
  const add = (checks: unknown, under?: string) => {
    for (const check of (checks as Check[] | undefined) ?? []) {
      const [type, body] = Object.entries(check)[0]!;
      if (body && typeof body['qualifier'] === 'string') out.set(body['qualifier'], { type, body, under });
    }
  };
  for (const c of contracts(s)) {
    add(c['checks']);
    for (const column of c['columns'] as Node[]) add(column['checks'], String(column['name']));
  }
  return out;
}

describe('writeSoda', () => {
  it('writes one contract per object, named after the spec and the object', () => {
    const files = writeSoda(spec());
    expect(files.map((f) => f.path)).toEqual([
      'churn_audit.soda.yaml',
      'churn_audit.subscriptions.soda.yaml',
    ]);
    expect(files.every((f) => f.mimeType === 'application/yaml')).toBe(true);
    const [customers, subscriptions] = contracts();
    expect(customers!['dataset']).toBe('${var.datasource}/customers');
    expect(subscriptions!['dataset']).toBe('${var.datasource}/subscriptions');
    expect(subscriptions!['variables']).toEqual({
      datasource: { default: 'warehouse' },
      table: { default: 'subscriptions' },
      table_customers: { default: 'customers' },
    });
  });

  it('keeps to the keys Soda v4 documents', () => {
    for (const file of writeSoda(spec())) {
      const errors = sodaContractErrors(file.text);
      expect(errors, `${file.path}\n${errors.join('\n')}`).toEqual([]);
    }
  });

  it('is checked by a validator that rejects unknown keys, check types and thresholds', () => {
    const text = writeSoda(spec())[0]!.text;
    expect(
      sodaContractErrors(text.replace('must_be_greater_than_or_equal: 100', 'must_be_at_least: 100')),
    ).not.toEqual([]);
    expect(sodaContractErrors(text.replace('- row_count:', '- rows:'))).not.toEqual([]);
    expect(sodaContractErrors(text.replace(/^dataset: .*$/m, 'dataset: customers'))).not.toEqual([]);
    expect(sodaContractErrors(text.replace('valid_values:', 'accepted_values:'))).not.toEqual([]);
  });

  it('lists every column with its type and puts every rule in one check named by its id', () => {
    const s = spec();
    const [customers] = contracts(s);
    const columns = customers!['columns'] as Node[];
    expect(columns.map((c) => c['name'])).toEqual(s.objects[0]!.columns.map((c) => c.name));
    expect(columns.find((c) => c['name'] === 'signup_date')!['data_type']).toBe('DATE');
    expect(columns.find((c) => c['name'] === HOSTILE)).toBeDefined();
    expect([...byRule(s).keys()].sort()).toEqual(s.rules.map((r) => r.id).sort());
    expect((customers!['checks'] as Check[])[0]).toEqual({ schema: {} });
  });

  it('uses Soda’s built-in checks where one has the rule’s pass condition', () => {
    const rules = byRule();
    const form = (id: string) => {
      const { type, body, under } = rules.get(id)!;
      const { name: _n, qualifier: _q, ...rest } = body;
      return { type, under, ...rest };
    };
    expect(form('row-count:customers')).toEqual({
      type: 'row_count',
      under: undefined,
      threshold: { must_be_greater_than_or_equal: 100 },
    });
    expect(form('not-null:customers:customer_id')).toEqual({
      type: 'missing',
      under: 'customer_id',
      threshold: { must_be: 0 },
    });
    // Soda's missing percent runs 0–100; a warn rule warns.
    expect(form('null-rate:customers:monthly_fee')).toEqual({
      type: 'missing',
      under: 'monthly_fee',
      threshold: { metric: 'percent', must_be_less_than_or_equal: 7, level: 'warn' },
    });
    expect(form('unique:customers:customer_id')).toMatchObject({ type: 'duplicate', under: 'customer_id' });
    expect(form('unique:subscriptions:customer_id+started')).toMatchObject({
      type: 'duplicate',
      under: undefined,
      columns: ['customer_id', 'started'],
    });
    expect(form('accepted-values:customers:plan')).toMatchObject({
      type: 'invalid',
      under: 'plan',
      valid_values: ['basic', 'pro'],
    });
    expect(form('invalid-values:customers:signup_date')).toMatchObject({
      type: 'invalid',
      invalid_values: ['1900-01-01'],
    });
    expect(form('range:customers:monthly_fee')).toMatchObject({
      type: 'invalid',
      valid_min: 0,
      valid_max: 500,
    });
    expect(form('relationship:subscriptions:customer_id')).toMatchObject({
      type: 'invalid',
      under: 'customer_id',
      valid_reference_data: { dataset: '${var.datasource}/customers', column: 'customer_id' },
    });
    expect(form('freshness:subscriptions:started')).toEqual({
      type: 'freshness',
      under: undefined,
      column: 'started',
      threshold: { unit: 'day', must_be_less_than_or_equal: 45 },
    });
    expect(rules.get('row-count:customers')!.body['name']).toBe('Rule row-count:customers.');
  });

  it('writes the other rules as failed_rows or metric queries over the contract’s variables', () => {
    const rules = byRule();
    expect(rules.get('sql:customers:leakage')).toMatchObject({
      type: 'failed_rows',
      body: {
        query: `SELECT * FROM \${var.table} WHERE "churned" AND "signup_date" > ${SODA_TODAY}`,
        threshold: { must_be: 0 },
      },
    });
    expect(rules.get('duplicate-rows:customers')).toMatchObject({
      type: 'metric',
      body: {
        query: 'SELECT count(*) - count(DISTINCT t) AS value FROM ${var.table} t',
        threshold: { must_be: 0 },
      },
    });
    expect(rules.get('unique:customers:plan')).toMatchObject({
      type: 'metric',
      body: { threshold: { must_be_less_than_or_equal: 2, level: 'warn' } },
    });
    // Drift warns at its review level and fails at its retrain level.
    expect(rules.get('drift:customers:plan')).toMatchObject({
      type: 'metric',
      body: {
        threshold: {
          must_be_less_than_or_equal: 0.1,
          level: 'warn',
          additional: { must_be_less_than_or_equal: 0.25 },
        },
      },
    });
    const query = String(rules.get('duplicate-rows:customers')!.body['query']);
    expect(sodaQueryForDuckDb(query, { table: '"t1"' })).toBe(
      'SELECT count(*) - count(DISTINCT t) AS value FROM "t1" t',
    );
  });

  it('goes through SQL for keys compared as text and for value lists Soda cannot hold', () => {
    const s = spec((rules) => {
      const rel = rules.find((r) => r.id === 'relationship:subscriptions:customer_id')!;
      rel.params.comparedAsText = true;
      rules.find((r) => r.id === 'accepted-values:customers:plan')!.params.values = [true, false];
    });
    const rules = byRule(s);
    const rel = rules.get('relationship:subscriptions:customer_id')!;
    expect(rel.type).toBe('metric');
    expect(String(rel.body['query'])).toContain('FROM ${var.table_customers} p');
    expect(rules.get('accepted-values:customers:plan')!.type).toBe('metric');
    for (const file of writeSoda(s)) expect(sodaContractErrors(file.text)).toEqual([]);
  });

  it('notes above each check the rule id and the value the audit observed', () => {
    const text = writeSoda(spec())[1]!.text;
    expect(text).toContain(
      '# relationship:subscriptions:customer_id: violations 4 at the audit (error, from relation)',
    );
    expect(text).toMatch(/^# Soda Core v4 data contract for subscriptions/);
  });
});

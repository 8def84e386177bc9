import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import Ajv from 'ajv';
import addFormats from 'ajv-formats';
import { parse } from 'yaml';
import { engine, loadFile, ROOT } from '../../../support/engine';
import { analysedDemo, DEMO_CSV, DEMO_LATER_CSV } from '../../../support/demo';
import type { Connector } from '../../../../src/lib/engine/connector';
import { createNativeConnector } from '../../../../src/lib/engine/native-connector';
import type { AuditDocument } from '../../../../src/lib/core/model/audit';
import { ident } from '../../../../src/lib/core/sql/quote';
import { deriveCheckSpec } from '../../../../src/lib/core/interop/derive';
import { dbtTests, writeDbt } from '../../../../src/lib/core/interop/dbt';
import {
  bindSpecSql,
  type CheckSpec,
  type InteropFile,
  type SpecRule,
} from '../../../../src/lib/core/interop/spec';
import { demoInteropCase, loadCaseOn, plantedInteropCase } from '../../../support/interop-cases';
import {
  PLANTED_DUPLICATE_CUSTOMERS,
  PLANTED_KEY,
  plantedRelations,
} from '../../../fixtures/relations/planted';

/**
 * The dbt export of the demo and of the planted related extracts: the models
 * file validates against dbt-labs' schemas; every singular test, and every
 * generic test compiled the way its macro (dbt-adapters, dbt_utils,
 * dbt_expectations) compiles it, runs on DuckDB-WASM and native DuckDB with
 * `ref()` bound to the loaded table and `current_date` to the audit's as-of
 * date, and fails as many rows as the audit counted; no personal value of the
 * unmasked demo appears in any file.
 */

type Body = {
  arguments?: Record<string, unknown>;
  config: { fail_calc?: string; where?: string; meta: { rule_id: string } };
};
type Entry = Record<string, Body>;
interface ColumnYaml {
  name: string;
  quote?: boolean;
  data_tests?: Entry[];
}
interface Models {
  models: { name: string; columns: ColumnYaml[]; data_tests?: Entry[] }[];
}
interface Generic {
  test: string;
  object: string;
  column?: ColumnYaml;
  body: Body;
}

const validator = (file: string) => {
  const ajv = new Ajv({ allErrors: true, strict: false });
  addFormats(ajv);
  // The Fusion schema's one format ajv-formats lacks (Rust's u64).
  ajv.addFormat('uint64', { type: 'number', validate: (n: number) => Number.isInteger(n) && n >= 0 });
  return ajv.compile(JSON.parse(readFileSync(join(ROOT, 'schema/vendor/dbt', file), 'utf8')) as object);
};
const coreSchema = validator('dbt_yml_files-latest.json');
const fusionSchema = validator('dbt_yml_files-latest-fusion.json');
const packagesSchema = validator('packages-latest.json');

function genericTests(models: Models): Generic[] {
  return models.models.flatMap((m) => [
    ...m.columns.flatMap((column) =>
      (column.data_tests ?? []).flatMap((e) =>
        Object.entries(e).map(([test, body]) => ({ test, object: m.name, column, body })),
      ),
    ),
    ...(m.data_tests ?? []).flatMap((e) =>
      Object.entries(e).map(([test, body]) => ({ test, object: m.name, body })),
    ),
  ]);
}

/** `{{ ref('x') }}` and `ref('x')` as the loaded table, `current_date` as the as-of date, Jinja's raw blocks and config dropped. */
function bindDbt(sql: string, tables: Record<string, string>, asOf: string): string {
  return sql
    .replace(/^\{\{ config\(.*\) \}\}$/m, '')
    .replace(/\{\{ ref\('([^']+)'\) \}\}|ref\('([^']+)'\)/g, (_, a?: string, b?: string) =>
      ident(tables[(a ?? b)!]!),
    )
    .replaceAll('{% raw %}', '')
    .replaceAll('{% endraw %}', '')
    .replace(/\bcurrent_date\b/gi, `DATE '${asOf}'`);
}

/** The SQL dbt compiles a generic test to, from its macro (default__test_<name>), with the test's `where` config. */
function compileGeneric(g: Generic): string {
  const whereConfig = g.body.config.where;
  const model = whereConfig
    ? `(select * from {{ ref('${g.object}') }} where ${whereConfig}) dbt_subquery`
    : `{{ ref('${g.object}') }}`;
  const col = g.column ? (g.column.quote ? ident(g.column.name) : g.column.name) : '';
  const args = g.body.arguments ?? {};
  switch (g.test) {
    case 'not_null':
      return `select ${col} from ${model} where ${col} is null`;
    case 'unique':
      return `select ${col} as unique_field, count(*) as n_records from ${model} where ${col} is not null group by ${col} having count(*) > 1`;
    case 'accepted_values': {
      const quote = args.quote !== false;
      const list = (args.values as unknown[]).map((v) => (quote ? `'${String(v)}'` : String(v))).join(',');
      return `with all_values as (select ${col} as value_field, count(*) as n_records from ${model} group by ${col}) select * from all_values where value_field not in (${list})`;
    }
    case 'relationships':
      return `with child as (select ${col} as from_field from ${model} where ${col} is not null), parent as (select ${String(args.field)} as to_field from {{ ${String(args.to)} }}) select from_field from child left join parent on child.from_field = parent.to_field where parent.to_field is null`;
    case 'dbt_utils.accepted_range': {
      const op = args.inclusive === false ? '' : '=';
      const min = args.min_value === undefined ? '' : ` or not ${col} >${op} ${String(args.min_value)}`;
      const max = args.max_value === undefined ? '' : ` or not ${col} <${op} ${String(args.max_value)}`;
      return `with meet_condition as (select * from ${model}), validation_errors as (select * from meet_condition where 1 = 2${min}${max}) select * from validation_errors`;
    }
    case 'dbt_utils.not_null_proportion':
      // dbt.type_numeric() is numeric(28,6) on the default adapter.
      return `with validation as (select sum(case when ${col} is null then 0 else 1 end) / cast(count(*) as numeric(28,6)) as not_null_proportion from ${model}), validation_errors as (select not_null_proportion from validation where not_null_proportion < ${String(args.at_least)} or not_null_proportion > ${String(args.at_most ?? 1)}) select * from validation_errors`;
    case 'dbt_utils.unique_combination_of_columns': {
      const cols = (args.combination_of_columns as string[])
        .map((c) => (args.quote_columns ? ident(c) : c))
        .join(', ');
      return `with validation_errors as (select ${cols} from ${model} group by ${cols} having count(*) > 1) select * from validation_errors`;
    }
    case 'dbt_expectations.expect_table_row_count_to_be_between': {
      const bounds = [
        args.min_value !== undefined && `count(*) >= ${String(args.min_value)}`,
        args.max_value !== undefined && `count(*) <= ${String(args.max_value)}`,
      ].filter(Boolean);
      return `with grouped_expression as (select ${bounds.join(' and ')} as expression from ${model}), validation_errors as (select * from grouped_expression where not(expression = true)) select * from validation_errors`;
    }
    default:
      throw new Error(`No compiler for ${g.test}`);
  }
}

const holds = (rule: SpecRule, value: number): boolean => {
  const { op, threshold } = rule.expect;
  return op === '=' ? value === threshold : op === '<=' ? value <= threshold : value >= threshold;
};

interface Run {
  rule: string;
  kind: 'generic' | 'singular';
  test: string;
  expected: number;
  got: number;
}

/**
 * Every test of the export on one engine: what it fails, beside what the rule
 * says it should (its value: the audit's `observed`, or what its own SQL
 * returns on other data), one row per violation or one row for a failed
 * aggregate expectation.
 */
async function runAll(
  conn: Connector,
  spec: CheckSpec,
  files: InteropFile[],
  tables: Record<string, string>,
  valueOf: (rule: SpecRule) => Promise<number> = (rule) => Promise.resolve(rule.observed),
): Promise<Run[]> {
  const rules = new Map(spec.rules.map((r) => [r.id, r]));
  const models = parse(files[0]!.text) as Models;
  const count = async (sql: string, failCalc = 'count(*)'): Promise<number> => {
    const rows = await conn.query(
      `select ${failCalc} as n from (\n${bindDbt(sql, tables, spec.asOf)}\n) dbt_internal_test`,
    );
    return Number(rows[0]!.n);
  };
  const runs: Run[] = [];
  const planned = new Map(dbtTests(spec).map((t) => [t.rule.id, t]));
  for (const g of genericTests(models)) {
    const rule = rules.get(g.body.config.meta.rule_id)!;
    const aggregate = planned.get(rule.id)!.aggregate;
    const value = await valueOf(rule);
    const got = await count(compileGeneric(g), g.body.config.fail_calc);
    runs.push({
      rule: rule.id,
      kind: 'generic',
      test: g.test,
      expected: aggregate ? (holds(rule, value) ? 0 : 1) : value,
      got,
    });
  }
  for (const file of files.filter((f) => f.path.startsWith('dbt/tests/'))) {
    const id = /"rule_id":("(?:[^"\\]|\\.)*")/.exec(file.text)![1]!;
    const rule = rules.get(JSON.parse(id) as string)!;
    const t = planned.get(rule.id)!;
    const value = await valueOf(rule);
    runs.push({
      rule: rule.id,
      kind: 'singular',
      test: file.path,
      expected: t.aggregate ? (holds(rule, value) ? 0 : 1) : value,
      got: await count(file.text),
    });
  }
  return runs;
}

/** The demo's planted personal values, read from the CSV (as the redaction test reads them). */
function demoPersonalValues(): string[] {
  const lines = readFileSync(DEMO_CSV, 'utf8').trim().split('\n');
  const header = lines[0]!.split(',');
  const at = (name: string): number => header.indexOf(name);
  return lines.slice(1).flatMap((line) => {
    const cells = line.split(',');
    return [cells[at('email')]!, cells[at('phone')]!, cells[at('card_number')]!].filter((v) => v.length > 4);
  });
}

let wasm: Connector;
let native: Connector;
let demoAudit: AuditDocument;
let demoSpec: CheckSpec;
let demoFiles: InteropFile[];
const demoTables = { wasm: {} as Record<string, string>, native: {} as Record<string, string> };

beforeAll(async () => {
  wasm = await engine();
  native = await createNativeConnector({ threads: 1 });
  const demo = await analysedDemo(wasm);
  demoAudit = demo.audit;
  demoSpec = deriveCheckSpec(demoAudit);
  demoFiles = writeDbt(demoSpec);
  const object = demoSpec.objects.find((o) => o.datasetId === demo.datasetId)!.objectName;
  demoTables.wasm[object] = demo.tableName;
  demoTables.native[object] = (await loadFile(native, DEMO_CSV)).tableName;
}, 240_000);

afterAll(async () => {
  await wasm.close();
  await native.close();
});

describe('dbt export of the demo', () => {
  it('validates against dbt-labs’ core and Fusion property-file schemas, and packages.yml against its own', () => {
    const models = parse(demoFiles[0]!.text) as unknown;
    expect(demoFiles[0]!.path).toBe(`dbt/models/${demoSpec.name}.yml`);
    expect(coreSchema(models), JSON.stringify(coreSchema.errors)).toBe(true);
    expect(fusionSchema(models), JSON.stringify(fusionSchema.errors)).toBe(true);
    const packages = demoFiles.find((f) => f.path === 'dbt/packages.yml');
    expect(packages).toBeDefined();
    expect(packagesSchema(parse(packages!.text)), JSON.stringify(packagesSchema.errors)).toBe(true);
  });

  it('runs every rule, generic or singular, and each fails as many rows as the audit counted, on DuckDB-WASM and native', async () => {
    const tests = dbtTests(demoSpec);
    expect(tests.length).toBe(demoSpec.rules.length);
    expect(tests.some((t) => t.kind === 'generic')).toBe(true);
    expect(tests.some((t) => t.kind === 'singular')).toBe(true);
    for (const [name, conn] of [
      ['wasm', wasm],
      ['native', native],
    ] as const) {
      const runs = await runAll(conn, demoSpec, demoFiles, demoTables[name]);
      expect(runs).toHaveLength(demoSpec.rules.length);
      expect(
        runs.filter((r) => r.got !== r.expected),
        name,
      ).toEqual([]);
    }
    // The rules' own figures are the audit's: the target's null labels and the duplicate rows as profiled.
    const profile = Object.values(demoAudit.profiles)[0]!;
    const rule = (id: string) => demoSpec.rules.find((r) => r.id === id);
    expect(rule(`duplicate-rows:${demoSpec.objects[0]!.objectName}`)?.observed).toBe(profile.duplicateRows);
    const churned = profile.columns.find((c) => c.name === 'churned')!;
    expect(rule(`not-null:${demoSpec.objects[0]!.objectName}:churned`)?.observed).toBe(churned.missing);
  }, 120_000);

  it('on the demo’s later extract, every test fails what its rule’s own SQL counts there, on both engines', async () => {
    const object = demoSpec.objects[0]!.objectName;
    let changed = 0;
    for (const conn of [wasm, native]) {
      const later = (await loadFile(conn, DEMO_LATER_CSV)).tableName;
      const valueOf = async (rule: SpecRule): Promise<number> => {
        const sql = bindSpecSql(rule.sql, { table: ident(later), today: `DATE '${demoSpec.asOf}'` });
        const value = Number((await conn.query(sql))[0]!.value);
        if (Math.abs(value - rule.observed) > 1e-12) changed++;
        return value;
      };
      const runs = await runAll(conn, demoSpec, demoFiles, { [object]: later }, valueOf);
      expect(runs).toHaveLength(demoSpec.rules.length);
      expect(runs.filter((r) => r.got !== r.expected)).toEqual([]);
    }
    // The later extract differs (its drift is planted), so the counts compared above are not the audit's.
    expect(changed).toBeGreaterThan(10);
  }, 120_000);

  it('writes no personal value of the unmasked demo, whatever the redaction mode', () => {
    const values = demoPersonalValues();
    expect(values.length).toBeGreaterThan(1000);
    // The unredacted audit does hold some (its profile's top values), so the check below can fail.
    const raw = JSON.stringify(demoAudit);
    expect(values.some((v) => raw.includes(v))).toBe(true);
    for (const redaction of ['personal', 'none', 'strict'] as const) {
      const text = writeDbt(deriveCheckSpec(demoAudit, { redaction }))
        .map((f) => f.text)
        .join('\n');
      expect(
        values.filter((v) => text.includes(v)),
        redaction,
      ).toEqual([]);
    }
  });
});

describe('dbt export of the planted related extracts', () => {
  const planted = plantedRelations();
  let spec: CheckSpec;
  let files: InteropFile[];
  const tables = { wasm: {} as Record<string, string>, native: {} as Record<string, string> };

  beforeAll(async () => {
    // The subscriptions' relation accepted from a suggestion, the tickets' by the user: both are written.
    const c = await plantedInteropCase(wasm, {
      id: 'dbt-planted',
      acceptedBy: { subscriptions: 'suggested' },
    });
    spec = c.spec;
    files = writeDbt(spec);
    tables.wasm = Object.fromEntries(c.tables);
    tables.native = Object.fromEntries(await loadCaseOn(native, c));
  }, 240_000);

  it('validates against both property-file schemas', () => {
    const models = parse(files[0]!.text) as unknown;
    expect(coreSchema(models), JSON.stringify(coreSchema.errors)).toBe(true);
    expect(fusionSchema(models), JSON.stringify(fusionSchema.errors)).toBe(true);
  });

  it('relationships fails the orphan subscription rows and unique the repeated customer ids, as planted', async () => {
    const generics = genericTests(parse(files[0]!.text) as Models);
    const relationship = generics.find((g) => g.test === 'relationships' && g.object === 'subscriptions');
    expect(relationship?.body.arguments).toEqual({ to: "ref('customers')", field: PLANTED_KEY });
    const unique = generics.find(
      (g) => g.test === 'unique' && g.object === 'customers' && g.column?.name === PLANTED_KEY,
    );
    expect(unique).toBeDefined();
    for (const [name, conn] of [
      ['wasm', wasm],
      ['native', native],
    ] as const) {
      const run = async (g: Generic) =>
        Number(
          (
            await conn.query(
              `select count(*) as n from (${bindDbt(compileGeneric(g), tables[name], spec.asOf)}) t`,
            )
          )[0]!.n,
        );
      expect(await run(relationship!), name).toBe(planted.expected.subscriptions.orphanRows);
      expect(await run(unique!), name).toBe(PLANTED_DUPLICATE_CUSTOMERS);
    }
    expect(planted.expected.subscriptions.orphanRows).toBe(109);
  }, 120_000);

  it('the tickets’ keys, compared as text, leave relationships for a singular test that counts the same orphans', () => {
    const tickets = dbtTests(spec).find((t) => t.rule.kind === 'relationship' && t.rule.object === 'tickets');
    expect(tickets?.kind).toBe('singular');
    expect(tickets?.rule.observed).toBe(planted.expected.tickets.orphanRows);
  });

  it('runs every rule on DuckDB-WASM and native, each failing as many rows as the audit counted', async () => {
    for (const [name, conn] of [
      ['wasm', wasm],
      ['native', native],
    ] as const) {
      const runs = await runAll(conn, spec, files, tables[name]);
      expect(runs).toHaveLength(spec.rules.length);
      expect(
        runs.filter((r) => r.got !== r.expected),
        name,
      ).toEqual([]);
    }
  }, 120_000);
});

describe('dbt export of the demo with a monitoring contract', () => {
  it('writes each drift statistic as a singular test that runs on both engines and holds on its own reference', async () => {
    const c = await demoInteropCase(wasm);
    const files = writeDbt(c.spec);
    const models = parse(files[0]!.text) as unknown;
    expect(coreSchema(models), JSON.stringify(coreSchema.errors)).toBe(true);
    expect(fusionSchema(models), JSON.stringify(fusionSchema.errors)).toBe(true);
    const drift = dbtTests(c.spec).filter((t) => t.rule.kind === 'drift');
    expect(drift.length).toBeGreaterThan(5);
    expect(drift.every((t) => t.kind === 'singular' && t.aggregate)).toBe(true);
    const engines: [Connector, Map<string, string>][] = [
      [wasm, c.tables],
      [native, await loadCaseOn(native, c)],
    ];
    for (const [conn, tables] of engines) {
      const runs = await runAll(conn, c.spec, files, Object.fromEntries(tables));
      expect(runs).toHaveLength(c.spec.rules.length);
      expect(runs.filter((r) => r.got !== r.expected)).toEqual([]);
    }
  }, 240_000);
});

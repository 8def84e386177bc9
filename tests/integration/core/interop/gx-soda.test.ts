import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { useEngine } from '../../../support/engine';
import {
  demoInteropCase,
  loadCaseOn,
  plantedInteropCase,
  type InteropCase,
} from '../../../support/interop-cases';
import { gxQueryForDuckDb, gxSuiteErrors } from '../../../support/gx';
import { sodaContractErrors, sodaQueryForDuckDb } from '../../../support/soda';
import type { Connector } from '../../../../src/lib/engine/connector';
import { createNativeConnector } from '../../../../src/lib/engine/native-connector';
import { personalColumns } from '../../../../src/lib/core/redact';
import { dateLiteral, ident } from '../../../../src/lib/core/sql/quote';
import { GX_TODAY, writeGx, type GxSuite } from '../../../../src/lib/core/interop/gx';
import {
  SODA_DATASOURCE_VARIABLE,
  SODA_TABLE_VARIABLE,
  SODA_TODAY,
  sodaParentVariable,
  writeSoda,
} from '../../../../src/lib/core/interop/soda';
import { expectationHolds } from '../../../../src/lib/core/interop/per-object';
import type { SpecRule } from '../../../../src/lib/core/interop/spec';

/**
 * The Great Expectations suites and Soda contracts of real audits: the demo
 * and the three planted related extracts. They keep to each tool's documented
 * structure; every GX `unexpected_rows_query` and every Soda `failed_rows` or
 * `metric` query runs in DuckDB with its placeholders bound to the loaded
 * tables and the as-of date, and gives the audit's value; and no personal
 * value of the unmasked demo is written.
 */

const conn = useEngine();
let native: Connector;
let demo: InteropCase;
let related: InteropCase;
/** The same files loaded on native DuckDB (`@duckdb/node-api`, the CLI's `--engine native`): table per object. */
const nativeTables = new Map<InteropCase, Map<string, string>>();

beforeAll(async () => {
  native = await createNativeConnector({ threads: 1 });
  demo = await demoInteropCase(conn);
  related = await plantedInteropCase(conn, { id: 'gx-soda-relations' });
  for (const c of [demo, related]) nativeTables.set(c, await loadCaseOn(native, c));
}, 300_000);

afterAll(async () => {
  await native.close();
});

/** Drift statistics are rounded in the monitoring contract; on their own reference they come back within this. */
const DRIFT_TOLERANCE = 1e-5;

/** The value a query returned is the rule's observed one: exactly for counts, closely for shares and statistics. */
function expectObserved(value: number, rule: SpecRule, engineName: string): void {
  const what = `${rule.id} on ${engineName}`;
  if (rule.kind === 'drift')
    expect(Math.abs(value - rule.observed), what).toBeLessThanOrEqual(DRIFT_TOLERANCE);
  else if (rule.measure === 'share' || rule.measure === 'statistic')
    expect(value, what).toBeCloseTo(rule.observed, 12);
  else expect(value, what).toBe(rule.observed);
}

/** Both engines, each with its loaded tables for the case. */
function engines(c: InteropCase): [string, Connector, Map<string, string>][] {
  return [
    ['wasm', conn, c.tables],
    ['native', native, nativeTables.get(c)!],
  ];
}

type Row = Record<string, unknown>;

function ruleById(c: InteropCase): Map<string, SpecRule> {
  return new Map(c.spec.rules.map((r) => [r.id, r]));
}

/** A query with the run date bound to the audit's as-of date, as the audit judged it. */
function asOf(sql: string, c: InteropCase, today: string): string {
  return sql.replaceAll(today, dateLiteral(c.spec.asOf));
}

/** Run a query and give its rows; the message names the rule when DuckDB rejects it. */
async function run(on: Connector, sql: string, id: string): Promise<Row[]> {
  try {
    return await on.query(sql);
  } catch (error) {
    throw new Error(`${id}: ${String(error)}\n${sql}`);
  }
}

/** A query wrapped so its value is what it returns regardless of the threshold: the aggregate's own `value`. */
function withoutThresholdFilter(query: string): string {
  const at = query.lastIndexOf('\nWHERE value IS NULL OR NOT (');
  if (at < 0) throw new Error(`Not an aggregate query: ${query}`);
  return query.slice(0, at);
}

describe.each([
  ['the demo', () => demo],
  ['the planted related extracts', () => related],
])('the GX suites and Soda contracts of %s', (_name, get) => {
  it('write one GX suite and one Soda contract per object, in each tool’s documented structure', () => {
    const c = get();
    const gx = writeGx(c.spec);
    const soda = writeSoda(c.spec);
    expect(gx).toHaveLength(c.spec.objects.length);
    expect(soda).toHaveLength(c.spec.objects.length);
    for (const file of gx) {
      const errors = gxSuiteErrors(file.text);
      expect(errors, `${file.path}\n${errors.slice(0, 20).join('\n')}`).toEqual([]);
    }
    for (const file of soda) {
      const errors = sodaContractErrors(file.text);
      expect(errors, `${file.path}\n${errors.slice(0, 20).join('\n')}`).toEqual([]);
    }
  });

  it('give every rule of the spec exactly one GX expectation and one Soda check', () => {
    const c = get();
    const ids = c.spec.rules.map((r) => r.id).sort();
    expect(ids.length).toBeGreaterThan(0);
    const gxIds = writeGx(c.spec)
      .flatMap((f) => (JSON.parse(f.text) as GxSuite).expectations)
      .flatMap((e) => (e.meta['rule_id'] ? [String(e.meta['rule_id'])] : []));
    expect(gxIds.sort()).toEqual(ids);
    const sodaIds = writeSoda(c.spec).flatMap((f) => {
      const doc = parse(f.text) as { checks?: Row[]; columns: { checks?: Row[] }[] };
      return [...(doc.checks ?? []), ...doc.columns.flatMap((col) => col.checks ?? [])].flatMap((check) => {
        const body = Object.values(check)[0] as Row | null;
        return body && typeof body['qualifier'] === 'string' ? [body['qualifier']] : [];
      });
    });
    expect(sodaIds.sort()).toEqual(ids);
  });

  it('runs every GX unexpected_rows_query on DuckDB-WASM and native, giving the audit’s value', async () => {
    const c = get();
    const rules = ruleById(c);
    let ran = 0;
    for (const [engineName, on, tables] of engines(c))
      for (const file of writeGx(c.spec)) {
        const suite = JSON.parse(file.text) as GxSuite;
        for (const e of suite.expectations.filter((x) => x.type === 'unexpected_rows_expectation')) {
          const rule = rules.get(String(e.meta['rule_id']))!;
          const query = String(e.kwargs['unexpected_rows_query']);
          let sql = asOf(gxQueryForDuckDb(query, ident(tables.get(rule.object)!)), c, GX_TODAY);
          const parent = rule.params.parentObject;
          if (parent !== undefined) sql = sql.replaceAll(ident(parent), ident(tables.get(parent)!));
          const rows = await run(on, sql, rule.id);
          if (e.meta['query_returns'] === 'failing rows') {
            // GX fails on any row: the failing rows are the violations the audit counted.
            expect(rows.length, `${rule.id} on ${engineName}`).toBe(rule.observed);
          } else {
            expect(rows.length, `${rule.id} on ${engineName}`).toBe(
              expectationHolds(rule.observed, rule.expect) ? 0 : 1,
            );
            const [value] = await run(on, withoutThresholdFilter(sql), rule.id);
            expectObserved(Number(value!['value']), rule, engineName);
          }
          ran += 1;
        }
      }
    expect(ran).toBeGreaterThan(0);
  }, 120_000);

  it('runs every Soda failed_rows and metric query on DuckDB-WASM and native, giving the audit’s value', async () => {
    const c = get();
    const rules = ruleById(c);
    let ran = 0;
    for (const [engineName, on, tables] of engines(c))
      // One contract per object, in the spec's order.
      for (const [index, file] of writeSoda(c.spec).entries()) {
        const doc = parse(file.text) as { checks?: Row[]; columns: { checks?: Row[] }[]; variables: Row };
        const object = c.spec.objects[index]!;
        const bindings: Record<string, string> = {
          [SODA_TABLE_VARIABLE]: ident(tables.get(object.objectName)!),
        };
        for (const o of c.spec.objects)
          bindings[sodaParentVariable(o.objectName)] = ident(tables.get(o.objectName)!);
        expect(Object.keys(doc.variables)).toContain(SODA_DATASOURCE_VARIABLE);
        const checks = [...(doc.checks ?? []), ...doc.columns.flatMap((col) => col.checks ?? [])];
        for (const check of checks) {
          const [type, body] = Object.entries(check)[0] as [string, Row | null];
          if ((type !== 'failed_rows' && type !== 'metric') || !body) continue;
          const rule = rules.get(String(body['qualifier']))!;
          const sql = asOf(sodaQueryForDuckDb(String(body['query']), bindings), c, SODA_TODAY);
          const rows = await run(on, sql, rule.id);
          if (type === 'failed_rows') expect(rows.length, `${rule.id} on ${engineName}`).toBe(rule.observed);
          else {
            // Soda reads a metric query's first value.
            expect(rows, rule.id).toHaveLength(1);
            expectObserved(Number(Object.values(rows[0]!)[0]), rule, engineName);
          }
          ran += 1;
        }
      }
    expect(ran).toBeGreaterThan(0);
  }, 120_000);
});

describe('the GX suites and Soda contracts of related extracts', () => {
  it('check each relation from its child, against the parent’s table', () => {
    const relationRules = related.spec.rules.filter((r) => r.kind === 'relationship');
    expect(relationRules.map((r) => r.object).sort()).toEqual(['subscriptions', 'tickets']);
    const gx = writeGx(related.spec).map((f) => [f.path, f.text] as const);
    const soda = writeSoda(related.spec).map((f) => [f.path, f.text] as const);
    for (const rule of relationRules) {
      const [, gxText] = gx.find(([path]) => path.includes(`.${rule.object}.`))!;
      expect(gxText).toContain(rule.id);
      expect(gxText).toContain(ident('customers').replaceAll('"', '\\"'));
      const [, sodaText] = soda.find(([path]) => path.includes(`.${rule.object}.`))!;
      // Keys of different types go through SQL; the same type uses Soda's reference check.
      expect(sodaText).toContain(
        rule.params.comparedAsText ? '${var.table_customers}' : 'dataset: ${var.datasource}/customers',
      );
    }
  });
});

describe('the GX suite and Soda contract of the demo', () => {
  it('hold no value of a personal-data column of the unmasked demo', async () => {
    const personal = personalColumns(demo.audit);
    expect(personal.length).toBeGreaterThan(0);
    const table = ident(demo.tables.values().next().value!);
    const values: string[] = [];
    for (const p of personal) {
      const rows = await conn.query(
        `SELECT DISTINCT CAST(${ident(p.column)} AS VARCHAR) AS v FROM ${table} WHERE ${ident(p.column)} IS NOT NULL`,
      );
      // Values this short also spell ordinary words and numbers of the file.
      values.push(...rows.map((r) => String(r['v'])).filter((v) => v.length >= 5));
    }
    expect(values.length).toBeGreaterThan(100);
    const texts = [...writeGx(demo.spec), ...writeSoda(demo.spec)].map((f) => f.text);
    const leaked = values.filter((v) => texts.some((t) => t.includes(v)));
    expect(leaked).toEqual([]);
  });
});

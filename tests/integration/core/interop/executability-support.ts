import { expect } from 'vitest';
import type { Connector } from '../../../../src/lib/engine/connector';
import type { AuditDocument } from '../../../../src/lib/core/model/audit';
import { ident } from '../../../../src/lib/core/sql/quote';
import { bindSpecSql, type CheckSpec, type SpecRule } from '../../../../src/lib/core/interop/spec';
import { tablesByDataset, type InteropCase } from '../../../support/interop-cases';

/**
 * The runner the executability tests use: it binds a rule's tokens to loaded
 * tables and the as-of date and runs it.
 */

export interface AuditedTables {
  audit: AuditDocument;
  /** Dataset id → loaded table name (the session's `tableMap()`). */
  tables: Readonly<Record<string, string>>;
}

/** A case's audit with its tables by dataset id, as `runRules` binds them. */
export function auditedTables(c: InteropCase): AuditedTables {
  return { audit: c.audit, tables: tablesByDataset(c.spec, c.tables) };
}

export interface RuleRun {
  rule: SpecRule;
  value: number;
  /** Rows `failingRowsSql` selects, when the rule has one. */
  failingRows?: number;
}

/** Bind each rule's `{{table}}`, `{{parent}}` and `{{today}}` to `tables` (by object name) and the spec's as-of date. */
export function boundSql(
  spec: CheckSpec,
  tables: Readonly<Record<string, string>>,
  rule: SpecRule,
  sql: string,
): string {
  const tableOf = (objectName: string): string => {
    const o = spec.objects.find((x) => x.objectName === objectName);
    const table = o ? tables[o.datasetId] : undefined;
    if (!table) throw new Error(`No loaded table for ${objectName}`);
    return ident(table);
  };
  return bindSpecSql(sql, {
    table: tableOf(rule.object),
    ...(rule.params.parentObject ? { parent: tableOf(rule.params.parentObject) } : {}),
    today: `DATE '${spec.asOf}'`,
  });
}

/** Run every rule's `sql` (and `failingRowsSql` counted) on `conn`. */
export async function runRules(
  conn: Connector,
  spec: CheckSpec,
  tables: Readonly<Record<string, string>>,
): Promise<RuleRun[]> {
  const runs: RuleRun[] = [];
  const loaded = Object.values(tables);
  for (const rule of spec.rules) {
    // Rules name their tables by token only, never by the audit's loaded names.
    expect(rule.sql, rule.id).toContain('{{table}}');
    for (const name of loaded)
      expect(`${rule.sql} ${rule.failingRowsSql ?? ''}`, rule.id).not.toContain(ident(name));
    const rows = await conn.query(boundSql(spec, tables, rule, rule.sql));
    expect(rows, rule.id).toHaveLength(1);
    expect(Object.keys(rows[0]!), rule.id).toEqual(['value']);
    const value = Number(rows[0]!.value);
    if (rule.failingRowsSql === undefined) {
      runs.push({ rule, value });
      continue;
    }
    const failing = await conn.query(
      `SELECT count(*) AS n FROM (${boundSql(spec, tables, rule, rule.failingRowsSql)}) AS failing`,
    );
    runs.push({ rule, value, failingRows: Number(failing[0]!.n) });
  }
  return runs;
}

/** Drift statistics are rounded in the contract (shares to 6 digits): on their own reference they come back within this. */
export const DRIFT_TOLERANCE = 1e-5;

/** Every rule returns its `observed` value: exactly for counts, within `DRIFT_TOLERANCE` for drift statistics. */
export function expectObserved(runs: readonly RuleRun[]): void {
  for (const { rule, value, failingRows } of runs) {
    if (rule.kind === 'drift')
      expect(Math.abs(value - rule.observed), rule.id).toBeLessThanOrEqual(DRIFT_TOLERANCE);
    else if (rule.measure === 'share') expect(value, rule.id).toBeCloseTo(rule.observed, 12);
    else expect(value, rule.id).toBe(rule.observed);
    if (failingRows !== undefined) expect(failingRows, `${rule.id} failing rows`).toBe(rule.observed);
  }
}

/** The rule of `kind` on `object` (and column), which must exist. */
export function ruleOf(spec: CheckSpec, kind: SpecRule['kind'], object: string, column?: string): SpecRule {
  const rule = spec.rules.find(
    (r) => r.kind === kind && r.object === object && (column === undefined || r.columns[0] === column),
  );
  expect(rule, `${kind} ${object} ${column ?? ''}`).toBeDefined();
  return rule!;
}

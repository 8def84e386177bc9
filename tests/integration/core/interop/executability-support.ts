import { expect } from 'vitest';
import type { Connector } from '../../../../src/lib/engine/connector';
import { nodeDecoders } from '../../../../src/lib/engine/node-decoders';
import { bytesSource } from '../../../../src/lib/engine/node-source';
import { newAudit } from '../../../../src/lib/core/model/document';
import { NO_ROLES, setRoles } from '../../../../src/lib/core/audit/edits';
import type { AuditDocument } from '../../../../src/lib/core/model/audit';
import { ident } from '../../../../src/lib/core/sql/quote';
import { bindSpecSql, type CheckSpec, type SpecRule } from '../../../../src/lib/core/interop/spec';
import { AuditSession, memoryAuditStore } from '../../../../src/lib/session';
import { runDrift } from '../../../../src/lib/session/drift';
import { demoSession } from '../../../support/demo';
import {
  PLANTED_FILES,
  PLANTED_KEY,
  PLANTED_PARENT_TIME,
  PLANTED_TARGET,
  plantedRelations,
} from '../../../fixtures/relations/planted';

/**
 * The audits the executability tests derive check specs from, and the runner
 * that binds a rule's tokens to loaded tables and the as-of date and runs it.
 */

export interface AuditedTables {
  audit: AuditDocument;
  /** Dataset id → loaded table name (the session's `tableMap()`). */
  tables: Readonly<Record<string, string>>;
}

/**
 * The demo analysed with every role, and a monitoring contract whose
 * reference is the demo itself, so each drift statistic run on the same
 * table measures the reference against itself.
 */
export async function demoWithContract(conn: Connector): Promise<AuditedTables> {
  const { session, datasetId } = await demoSession(conn, {
    name: 'demo checks',
    id: 'interop-demo',
    // A history start inside the data, so the time-before-start check finds rows to count.
    context: { positiveClass: 'Yes', historyFrom: '2024-04-01' },
  });
  expect(await session.analyse({ suggestRoles: false, plan: false, baselines: false })).toBe('done');
  const drift = await runDrift(
    session,
    { kind: 'datasets', currentDatasetId: datasetId, referenceDatasetId: datasetId, allowSelf: true },
    { history: false },
  );
  expect(drift.status).toBe('done');
  return { audit: session.audit!, tables: session.tableMap() };
}

/** The three planted extracts, analysed, both relations to customers accepted. */
export async function plantedAudit(
  conn: Connector,
): Promise<AuditedTables & { ids: Record<keyof typeof PLANTED_FILES, string> }> {
  const planted = plantedRelations();
  const session = new AuditSession({
    engine: { connector: conn, decoders: nodeDecoders },
    store: memoryAuditStore(),
  });
  const doc = newAudit('churn extracts', 'interop-planted');
  doc.context.asOf = '2026-11-01';
  session.open(doc);
  const outcome = await session.addSources(
    [
      bytesSource(PLANTED_FILES.customers, planted.customers),
      bytesSource(PLANTED_FILES.subscriptions, planted.subscriptions),
      bytesSource(PLANTED_FILES.tickets, planted.tickets),
    ],
    {},
    { analyse: false },
  );
  expect(outcome.failed).toEqual([]);
  const [customers, subscriptions, tickets] = outcome.loaded as [string, string, string];
  await session.edit((d) =>
    setRoles(d, customers, { ...NO_ROLES, target: PLANTED_TARGET, eventTime: PLANTED_PARENT_TIME }),
  );
  expect(await session.analyse({ suggestRoles: false, baselines: false, plan: false })).toBe('done');
  for (const child of [subscriptions, tickets])
    await session.acceptRelation(
      {
        child: { dataset: child, column: PLANTED_KEY },
        parent: { dataset: customers, column: PLANTED_KEY },
      },
      'user',
    );
  return { audit: session.audit!, tables: session.tableMap(), ids: { customers, subscriptions, tickets } };
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

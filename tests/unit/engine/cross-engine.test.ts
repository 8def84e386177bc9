import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { join } from 'node:path';
import { FIXTURES } from '../../support/engine';
import { DEMO_CSV, DEMO_ROLES } from '../../support/demo';
import type { Connector } from '../../../src/lib/engine/connector';
import { createNodeConnector } from '../../../src/lib/engine/node-connector';
import { createNativeConnector } from '../../../src/lib/engine/native-connector';
import { nodeDecoders } from '../../../src/lib/engine/node-decoders';
import { fileSource } from '../../../src/lib/engine/node-source';
import { loadDataset } from '../../../src/lib/engine/load-dataset';
import { runAnalysis } from '../../../src/lib/session/analyse';
import { newAudit } from '../../../src/lib/core/model/document';
import { withDataset } from '../../../src/lib/core/audit/edits';
import { toDatasetRef } from '../../../src/lib/engine/dataset-ref';
import type { AuditDocument, ColumnRoles } from '../../../src/lib/core/model/audit';

/** Keys that differ between any two runs (clocks, durations), whatever the engine. */
const VOLATILE = new Set([
  'computedAt',
  'loadedAt',
  'createdAt',
  'updatedAt',
  'at',
  'durationMs',
  'loadMs',
  'ms',
]);

/**
 * Every path where two values differ: numbers beyond a relative 1e-9 (the engines
 * sum floats in different orders), anything else exactly.
 */
function differences(a: unknown, b: unknown, path = '$'): string[] {
  if (typeof a === 'number' && typeof b === 'number') {
    if (Number.isNaN(a) && Number.isNaN(b)) return [];
    return Math.abs(a - b) <= 1e-9 * Math.max(1, Math.abs(a), Math.abs(b)) ? [] : [`${path}: ${a} ≠ ${b}`];
  }
  if (Array.isArray(a) && Array.isArray(b)) {
    if (a.length !== b.length) return [`${path}: length ${a.length} ≠ ${b.length}`];
    // Detail rows tied on their ORDER BY key come back in either order, on either engine.
    const [x, y] = path.endsWith('.details') ? [canonical(a), canonical(b)] : [a, b];
    return x.flatMap((v, i) => differences(v, y[i], `${path}[${i}]`));
  }
  if (a && b && typeof a === 'object' && typeof b === 'object') {
    const keys = new Set([...Object.keys(a), ...Object.keys(b)]);
    return [...keys]
      .filter((k) => !VOLATILE.has(k))
      .flatMap((k) =>
        differences((a as Record<string, unknown>)[k], (b as Record<string, unknown>)[k], `${path}.${k}`),
      );
  }
  return Object.is(a, b) ? [] : [`${path}: ${JSON.stringify(a)} ≠ ${JSON.stringify(b)}`];
}

/**
 * Checks whose example rows are picked among rows tied on the sort key: either
 * engine may pick another of the tied rows, so only how many they show is compared.
 */
const TIE_PICKED = new Set(['quality-duplicates', 'leakage-split-duplicates']);

function comparable(audit: AuditDocument, skipColumns: readonly string[]): unknown {
  return {
    findings: audit.findings
      .filter((f) => !skipColumns.some((c) => f.id.includes(`:${c}`)))
      .map((f) =>
        TIE_PICKED.has(f.check)
          ? { ...f, details: f.details?.length, evidence: { ...f.evidence, example: undefined } }
          : f,
      ),
    verdict: audit.verdict?.status,
    profiles: Object.fromEntries(
      Object.entries(audit.profiles).map(([id, p]) => [
        id,
        {
          ...p,
          duplicateExample: undefined,
          columns: p.columns.filter((c) => !skipColumns.includes(c.name)),
          alerts: p.alerts.filter((alert) => !skipColumns.includes(alert.column ?? '')),
        },
      ]),
    ),
  };
}

const canonical = (rows: unknown[]): unknown[] =>
  [...rows].sort((p, q) => (JSON.stringify(p) < JSON.stringify(q) ? -1 : 1));

interface Case {
  file: string;
  roles: Omit<ColumnRoles, 'segments' | 'excluded'> & Partial<Pick<ColumnRoles, 'segments'>>;
  asOf?: string;
  /**
   * Columns the two engines type differently, as `name: wasm type → native type`.
   * DuckDB-WASM imports JSON through its own importer (no json extension offline),
   * which reads ISO dates as TIMESTAMP_S; native DuckDB's read_json keeps DATE.
   */
  typedApart?: Record<string, string>;
}

const CASES: Case[] = [
  {
    file: DEMO_CSV,
    roles: DEMO_ROLES,
    asOf: '2026-11-01',
  },
  { file: join(FIXTURES, 'profile/planted.csv'), roles: {} },
  { file: join(FIXTURES, 'formats/tiny-snappy.parquet'), roles: {} },
  {
    file: join(FIXTURES, 'formats/tiny.json'),
    roles: {},
    typedApart: {
      id: 'INTEGER → BIGINT',
      signup_date: 'TIMESTAMP_S → DATE',
      last_seen: 'TIMESTAMP_S → TIMESTAMP',
    },
  },
];

async function auditWith(conn: Connector, c: Case): Promise<AuditDocument> {
  // The same table name on both engines, so each finding's SQL can be compared too.
  const loaded = await loadDataset(conn, nodeDecoders, await fileSource(c.file), {
    tableName: 'cross_engine',
  });
  try {
    // Same dataset id on both engines, so finding ids can be compared.
    const ref = { ...toDatasetRef(loaded, []), id: 'ds' };
    const audit = withDataset(newAudit('cross', 'a1'), ref);
    if (c.asOf) audit.context.asOf = c.asOf;
    audit.roles = { [ref.id]: { segments: [], excluded: [], ...c.roles } };
    return await runAnalysis(conn, audit, { tables: { [ref.id]: loaded.tableName } });
  } finally {
    await conn.exec(`DROP TABLE IF EXISTS "${loaded.tableName}"`);
  }
}

let wasm: Connector;
let native: Connector;
beforeAll(async () => {
  wasm = await createNodeConnector();
  native = await createNativeConnector({ threads: 2 });
});
afterAll(async () => {
  await wasm.close();
  await native.close();
});

describe('the same audit on DuckDB-WASM and native DuckDB', () => {
  it.each(CASES.map((c) => [c.file.split('/').pop()!, c] as const))(
    '%s: identical findings, verdict and profile numbers',
    async (_name, c) => {
      const [a, b] = [await auditWith(wasm, c), await auditWith(native, c)];
      const typesOf = (audit: AuditDocument): Map<string, string> =>
        new Map(audit.datasets[0]!.columns.map((col) => [col.name, col.type]));
      const [ta, tb] = [typesOf(a), typesOf(b)];
      const apart = Object.fromEntries(
        [...ta]
          .filter(([name, type]) => tb.get(name) !== type)
          .map(([name, type]) => [name, `${type} → ${tb.get(name)}`]),
      );
      expect(apart).toEqual(c.typedApart ?? {});
      const skip = Object.keys(apart);
      expect(a.findings.length).toBeGreaterThan(0);
      const ids = (audit: AuditDocument): string[] =>
        audit.findings.map((f) => f.id).filter((id) => !skip.some((col) => id.includes(`:${col}`)));
      expect(ids(b)).toEqual(ids(a));
      expect(
        differences(comparable(a, skip), comparable(b, skip))
          .map((d) => d.slice(0, 200))
          .slice(0, 30),
      ).toEqual([]);
    },
  );
});

import { expect } from 'vitest';
import type { Connector } from '../../src/lib/engine/connector';
import type { DataSource } from '../../src/lib/engine/connector';
import { loadDataset } from '../../src/lib/engine/load-dataset';
import { nodeDecoders } from '../../src/lib/engine/node-decoders';
import { bytesSource, fileSource } from '../../src/lib/engine/node-source';
import { newAudit } from '../../src/lib/core/model/document';
import { NO_ROLES, setRoles } from '../../src/lib/core/audit/edits';
import type { AuditDocument } from '../../src/lib/core/model/audit';
import { deriveCheckSpec } from '../../src/lib/core/interop/derive';
import type { CheckSpec } from '../../src/lib/core/interop/spec';
import type { ProjectContext } from '../../src/lib/core/model/audit';
import { AuditSession, memoryAuditStore } from '../../src/lib/session';
import { runDrift } from '../../src/lib/session/drift';
import {
  PLANTED_FILES,
  PLANTED_KEY,
  PLANTED_PARENT_TIME,
  PLANTED_TARGET,
  plantedRelations,
} from '../fixtures/relations/planted';
import { DEMO_CSV, demoSession } from './demo';

/** An audited dataset set and its check spec: what the export tests write and run. */
export interface InteropCase {
  audit: AuditDocument;
  spec: CheckSpec;
  /** Loaded table per spec object name, on the engine the audit ran on. */
  tables: Map<string, string>;
  /** Each object's file, to load it again on another engine. */
  sources: Map<string, () => Promise<DataSource>>;
}

/** The planted extracts' case, with each extract's dataset id. */
export interface PlantedInteropCase extends InteropCase {
  ids: Record<keyof typeof PLANTED_FILES, string>;
}

/** How the planted case is set up: its audit id, and who accepted each child's relation (the user by default). */
export interface PlantedCaseOptions {
  id?: string;
  acceptedBy?: Partial<Record<'subscriptions' | 'tickets', 'user' | 'suggested'>>;
}

/** Loaded table per dataset id (what `session.tableMap()` gives), from tables per spec object name. */
export function tablesByDataset(spec: CheckSpec, tables: Map<string, string>): Record<string, string> {
  return Object.fromEntries(spec.objects.map((o) => [o.datasetId, tables.get(o.objectName)!]));
}

function casesOf(session: AuditSession, sources: Map<string, () => Promise<DataSource>>): InteropCase {
  const audit = session.audit!;
  const spec = deriveCheckSpec(audit);
  const byFile = new Map(spec.objects.map((o) => [o.fileName, o.objectName]));
  const tables = new Map(spec.objects.map((o) => [o.objectName, session.tableName(o.datasetId)!]));
  const objectSources = new Map([...sources].map(([file, source]) => [byFile.get(file)!, source]));
  return { audit, spec, tables, sources: objectSources };
}

/**
 * The demo with every role, analysed, and a monitoring contract from a drift
 * run against itself, so its spec has drift rules; unmasked in the audit.
 * `context` goes over the demo's as-of date and positive class.
 */
export async function demoInteropCase(
  conn: Connector,
  options: { id?: string; context?: Partial<ProjectContext> } = {},
): Promise<InteropCase> {
  const { session, datasetId } = await demoSession(conn, {
    name: 'demo checks',
    id: options.id ?? 'gx-soda-demo',
    context: { positiveClass: 'Yes', ...options.context },
  });
  expect(await session.analyse({ suggestRoles: false, plan: false, baselines: false })).toBe('done');
  const drift = await runDrift(
    session,
    { kind: 'datasets', currentDatasetId: datasetId, referenceDatasetId: datasetId, allowSelf: true },
    { history: false },
  );
  expect(drift.status).toBe('done');
  return casesOf(session, new Map([['customer-churn.csv', () => fileSource(DEMO_CSV)]]));
}

/** The three planted related extracts, analysed, both relations to customers accepted. */
export async function plantedInteropCase(
  conn: Connector,
  options: PlantedCaseOptions = {},
): Promise<PlantedInteropCase> {
  const planted = plantedRelations();
  const session = new AuditSession({
    engine: { connector: conn, decoders: nodeDecoders },
    store: memoryAuditStore(),
  });
  const doc = newAudit('churn extracts', options.id ?? 'interop-relations');
  doc.context.asOf = '2026-11-01';
  session.open(doc);
  const sources = new Map(
    Object.entries(PLANTED_FILES).map(([key, file]) => [
      file as string,
      () => Promise.resolve(bytesSource(file, planted[key as keyof typeof PLANTED_FILES])),
    ]),
  );
  const outcome = await session.addSources(
    await Promise.all([...sources.values()].map((s) => s())),
    {},
    { analyse: false },
  );
  expect(outcome.failed).toEqual([]);
  const [customers, subscriptions, tickets] = outcome.loaded as [string, string, string];
  await session.edit((d) =>
    setRoles(d, customers, { ...NO_ROLES, target: PLANTED_TARGET, eventTime: PLANTED_PARENT_TIME }),
  );
  expect(await session.analyse({ suggestRoles: false, baselines: false, plan: false })).toBe('done');
  for (const [key, child] of [
    ['subscriptions', subscriptions],
    ['tickets', tickets],
  ] as const)
    await session.acceptRelation(
      { child: { dataset: child, column: PLANTED_KEY }, parent: { dataset: customers, column: PLANTED_KEY } },
      options.acceptedBy?.[key] ?? 'user',
    );
  return { ...casesOf(session, sources), ids: { customers, subscriptions, tickets } };
}

/** The case's files loaded on another engine through the production loader: table per object name. */
export async function loadCaseOn(conn: Connector, c: InteropCase): Promise<Map<string, string>> {
  const tables = new Map<string, string>();
  for (const [object, source] of c.sources)
    tables.set(object, (await loadDataset(conn, nodeDecoders, await source())).tableName);
  return tables;
}

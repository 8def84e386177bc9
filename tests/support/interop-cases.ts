import type { Connector } from '../../src/lib/engine/connector';
import { nodeDecoders } from '../../src/lib/engine/node-decoders';
import { bytesSource } from '../../src/lib/engine/node-source';
import { newAudit } from '../../src/lib/core/model/document';
import { NO_ROLES, setRoles } from '../../src/lib/core/audit/edits';
import type { AuditDocument } from '../../src/lib/core/model/audit';
import { deriveCheckSpec } from '../../src/lib/core/interop/derive';
import type { CheckSpec } from '../../src/lib/core/interop/spec';
import { AuditSession, memoryAuditStore } from '../../src/lib/session';
import {
  PLANTED_FILES,
  PLANTED_KEY,
  PLANTED_PARENT_TIME,
  PLANTED_TARGET,
  plantedRelations,
} from '../fixtures/relations/planted';
import { analysedDemo } from './demo';

/** An audited dataset set, its check spec and the loaded table of each spec object: what export tests run. */
export interface InteropCase {
  audit: AuditDocument;
  spec: CheckSpec;
  /** Loaded table per spec object name. */
  tables: Map<string, string>;
}

/** The demo, analysed with every role, unmasked in the audit, and its spec. */
export async function demoInteropCase(conn: Connector): Promise<InteropCase> {
  const analysed = await analysedDemo(conn);
  const spec = deriveCheckSpec(analysed.audit);
  return {
    audit: analysed.audit,
    spec,
    tables: new Map(spec.objects.map((o) => [o.objectName, analysed.tableName])),
  };
}

/** The three planted related extracts, both relations accepted, and their spec. */
export async function plantedInteropCase(conn: Connector, id = 'interop-relations'): Promise<InteropCase> {
  const planted = plantedRelations();
  const session = new AuditSession({
    engine: { connector: conn, decoders: nodeDecoders },
    store: memoryAuditStore(),
  });
  const doc = newAudit('churn extracts', id);
  doc.context.asOf = '2026-11-01';
  session.open(doc);
  const outcome = await session.addSources(
    Object.entries(PLANTED_FILES).map(([key, file]) =>
      bytesSource(file, planted[key as keyof typeof PLANTED_FILES]),
    ),
    {},
    { analyse: false },
  );
  const [customers, subscriptions, tickets] = outcome.loaded as [string, string, string];
  await session.edit((d) =>
    setRoles(d, customers, { ...NO_ROLES, target: PLANTED_TARGET, eventTime: PLANTED_PARENT_TIME }),
  );
  await session.analyse({ suggestRoles: false, baselines: false, plan: false });
  for (const child of [subscriptions, tickets])
    await session.acceptRelation(
      { child: { dataset: child, column: PLANTED_KEY }, parent: { dataset: customers, column: PLANTED_KEY } },
      'user',
    );
  const audit = session.audit!;
  const spec = deriveCheckSpec(audit);
  const tables = new Map(spec.objects.map((o) => [o.objectName, session.tableName(o.datasetId)!]));
  return { audit, spec, tables };
}

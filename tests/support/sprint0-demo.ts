import type { Connector } from '../../src/lib/engine/connector';
import type { AuditDocument } from '../../src/lib/core/model/audit';
import { newAudit } from '../../src/lib/core/model/document';
import { demoDeliverable } from '../../src/lib/core/deliverable/demo';
import { exampleChurnPlan } from '../../src/lib/core/plan/summary';
import { bytesSource, fileSource } from '../../src/lib/engine/node-source';
import { computePlan } from '../../src/lib/session/plan';
import { DEMO_AUDIT_NAME, DEMO_CONTEXT } from '../../src/lib/ui/landing/demo';
import { DEMO_CSV, DEMO_ROLES, memorySession } from './demo';
import { engine } from './node-engine';
import type { ColumnRoles, ProjectContext } from '../../src/lib/core/model/audit';
import type { MetricPlan } from '../../src/lib/core/model/plan';
import type { Deliverable } from '../../src/lib/core/model/deliverable';

/**
 * The sprint-0 package of the demo as a client receives it: the app's "Try
 * the demo" (its context and example metric plan, every role of the story),
 * analysed and the plan's baselines computed through the session, then the
 * deliverable a consultant fills in after the kick-off.
 */
export async function sprint0Demo(conn: Connector): Promise<AuditDocument> {
  return sprint0Audit(conn, {
    name: DEMO_AUDIT_NAME,
    context: DEMO_CONTEXT,
    plan: exampleChurnPlan(),
    roles: DEMO_ROLES,
    file: { path: DEMO_CSV },
    deliverable: demoDeliverable(),
  });
}

/**
 * sprint0Demo's document, for tests that read it without its tables: computed once per worker
 * process (the `duckdb` project's files share one, vitest.config.ts) on an engine of its own,
 * since it costs ~10 s of CPU, and given to each caller as a deep copy of its own. It depends on
 * the demo file and the code under test alone.
 */
export async function sprint0DemoDocument(): Promise<AuditDocument> {
  const scope = globalThis as typeof globalThis & { [DOCUMENT]?: Promise<AuditDocument> };
  scope[DOCUMENT] ??= (async () => {
    const conn = await engine();
    try {
      return await sprint0Demo(conn);
    } finally {
      await conn.close();
    }
  })();
  scope[DOCUMENT].catch(() => (scope[DOCUMENT] = undefined));
  return structuredClone(await scope[DOCUMENT]);
}

// On globalThis, like the engine pool: one per worker process, whatever re-imports this module.
const DOCUMENT = Symbol.for('sprint-zero.sprint0-demo-document');

export interface Sprint0AuditOptions {
  name: string;
  context: ProjectContext;
  plan?: MetricPlan;
  roles: ColumnRoles;
  file: { path: string } | { name: string; text: string };
  deliverable?: Deliverable;
}

/** Any dataset taken through the same steps as the demo: load, roles, analysis, metric plan, deliverable. */
export async function sprint0Audit(conn: Connector, options: Sprint0AuditOptions): Promise<AuditDocument> {
  const session = memorySession(conn, {
    ...newAudit(options.name, 'sprint0-demo'),
    context: { ...options.context },
    ...(options.plan ? { plan: { plan: options.plan } } : {}),
  });
  const source =
    'path' in options.file
      ? await fileSource(options.file.path)
      : bytesSource(options.file.name, options.file.text);
  const loaded = await session.addSources([source], {}, { analyse: false });
  const datasetId = loaded.loaded[0];
  if (!datasetId) throw new Error(`${source.name} did not load: ${JSON.stringify(loaded.failed)}`);
  const roles = await session.setRoles(datasetId, options.roles);
  if (!roles.set) throw new Error(`Roles refused: ${roles.reason}`);
  await session.analyse();
  const plan = await computePlan(session);
  if (plan.status !== 'done') throw new Error(`Metric plan not computed: ${plan.message ?? plan.status}`);
  const audit = session.audit!;
  return options.deliverable ? { ...audit, deliverable: options.deliverable } : audit;
}

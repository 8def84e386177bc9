import { join } from 'node:path';
import type { Connector } from '../../src/lib/engine/connector';
import type { AuditDocument, ColumnRoles, ProjectContext } from '../../src/lib/core/model/audit';
import { newAudit } from '../../src/lib/core/model/document';
import { setRoles, withDataset } from '../../src/lib/core/audit/edits';
import { toDatasetRef } from '../../src/lib/engine/dataset-ref';
import { nodeDecoders } from '../../src/lib/engine/node-decoders';
import { fileSource } from '../../src/lib/engine/node-source';
import { runAnalysis } from '../../src/lib/session/analyse';
import { AuditSession, memoryAuditStore, type AuditStorePort } from '../../src/lib/session';
import { loadFile, ROOT } from './node-engine';

export const DEMO_CSV = join(ROOT, 'public/demo/customer-churn.csv');
/** The demo's later extract, with planted drift (scripts/lib/drift-extract.ts). */
export const DEMO_LATER_CSV = join(ROOT, 'public/demo/customer-churn-2027-02.csv');

/** Every role of the demo's churn story (README, "The demo dataset"). */
export const DEMO_ROLES: ColumnRoles = {
  target: 'churned',
  id: 'customer_id',
  eventTime: 'snapshot_date',
  outcomeTime: 'churn_date',
  source: 'source_system',
  segments: ['region'],
  excluded: [],
};

/** The same roles as the CLI's flags, with the demo's as-of date. */
export const DEMO_ROLE_FLAGS = {
  target: DEMO_ROLES.target!,
  id: DEMO_ROLES.id!,
  time: DEMO_ROLES.eventTime!,
  'outcome-time': DEMO_ROLES.outcomeTime!,
  source: DEMO_ROLES.source!,
  segment: DEMO_ROLES.segments,
  'as-of': '2026-11-01',
};

export interface AnalysedDemo {
  audit: AuditDocument;
  datasetId: string;
  tableName: string;
}

/**
 * The demo loaded through the production loader and analysed with every role
 * set, as of its export date: the audit most report and privacy tests start from.
 */
export async function analysedDemo(
  conn: Connector,
  options: { name?: string; auditId?: string; context?: Partial<AuditDocument['context']> } = {},
): Promise<AnalysedDemo> {
  const loaded = await loadFile(conn, DEMO_CSV);
  const ref = toDatasetRef(loaded, []);
  const audit = withDataset(newAudit(options.name ?? 'demo', options.auditId ?? 'demo'), ref);
  audit.context = { ...audit.context, asOf: '2026-11-01', ...options.context };
  audit.roles = { [ref.id]: DEMO_ROLES };
  const analysed = await runAnalysis(conn, audit, { tables: { [ref.id]: loaded.tableName } });
  return { audit: analysed, datasetId: ref.id, tableName: loaded.tableName };
}

/** A session on the node engine and an in-memory store (unless given one), with `audit` open when given. */
export function memorySession(
  conn: Connector,
  audit?: AuditDocument,
  store: AuditStorePort = memoryAuditStore(),
): AuditSession {
  const session = new AuditSession({ engine: { connector: conn, decoders: nodeDecoders }, store });
  if (audit) session.open(audit);
  return session;
}

export interface DemoSessionOptions {
  name?: string;
  id?: string;
  /** Over the demo's as-of date, 2026-11-01. */
  context?: Partial<ProjectContext>;
  /** The files to load, in order; the demo alone by default. */
  files?: string[];
  /** Over every role of the story, set on the first file. */
  roles?: Partial<ColumnRoles>;
}

export interface DemoSession {
  session: AuditSession;
  /** The first file's dataset, which carries the roles. */
  datasetId: string;
  datasetIds: string[];
}

/**
 * A session holding a new audit of the demo: its file(s) loaded but not yet
 * analysed, and the story's roles set, so a test starts its own analysis,
 * plan or drift from there.
 */
export async function demoSession(conn: Connector, options: DemoSessionOptions = {}): Promise<DemoSession> {
  const audit = newAudit(options.name ?? 'demo', options.id ?? 'demo');
  audit.context = { ...audit.context, asOf: '2026-11-01', ...options.context };
  const session = memorySession(conn, audit);
  const sources = await Promise.all((options.files ?? [DEMO_CSV]).map((path) => fileSource(path)));
  const outcome = await session.addSources(sources, {}, { analyse: false });
  const [datasetId] = outcome.loaded;
  if (!datasetId || outcome.loaded.length !== sources.length)
    throw new Error(`The demo did not load: ${JSON.stringify(outcome.failed)}`);
  await session.edit((a) => setRoles(a, datasetId, { ...DEMO_ROLES, ...options.roles }));
  return { session, datasetId, datasetIds: outcome.loaded };
}

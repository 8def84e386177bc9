import { join } from 'node:path';
import type { Connector } from '../../src/lib/engine/connector';
import type { AuditDocument, ColumnRoles } from '../../src/lib/core/model/audit';
import { newAudit } from '../../src/lib/core/model/document';
import { withDataset } from '../../src/lib/core/audit/edits';
import { toDatasetRef } from '../../src/lib/engine/dataset-ref';
import { runAnalysis } from '../../src/lib/session/analyse';
import { loadFile, ROOT } from './engine';

export const DEMO_CSV = join(ROOT, 'public/demo/customer-churn.csv');

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

import type { ProjectContext } from '../../core/model/audit';

/** The demo audit's name. */
export const DEMO_AUDIT_NAME = 'Kestrel churn (demo)';

/** The demo's story (README): the extract was taken on 2026-11-01 to rank accounts by churn risk. */
export const DEMO_CONTEXT: ProjectContext = {
  decision: 'Which accounts should the retention team call this month (about 300 calls)?',
  task: 'binary',
  targetDefinition: 'churned = Yes when the account cancelled within 90 days of the snapshot',
  positiveClass: 'Yes',
  predictionPoint: 'At the monthly account snapshot (snapshot_date)',
  asOf: '2026-11-01',
};

/** The demo's source-system column (README: `crm_eu`, `crm_us`, `legacy_billing`). */
export const DEMO_SOURCE_COLUMN = 'source_system';

/** The bundled demo extract, served from the app's own origin. */
export async function fetchDemoFile(): Promise<File> {
  const response = await fetch('./demo/customer-churn.csv');
  if (!response.ok) throw new Error(`HTTP ${response.status}`);
  const blob = await response.blob();
  return new File([blob], 'customer-churn.csv', { type: 'text/csv', lastModified: Date.UTC(2026, 10, 1) });
}

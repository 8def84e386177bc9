import { newAudit } from '../../../../src/lib/core/audit/document';
import type { AuditDocument, DatasetProfile } from '../../../../src/lib/core/audit/schema';

/** An audit whose profile holds a real-looking e-mail address in the top values of an `email` column. */
export function auditWithEmail(id: string): AuditDocument {
  const audit = newAudit('With PII', id);
  audit.datasets = [
    {
      id: 'd1',
      fileName: 'clients.csv',
      format: 'csv',
      sizeBytes: 10,
      lastModified: 0,
      rowCount: 2,
      columns: [{ name: 'email', type: 'VARCHAR' }],
      fingerprint: 'f',
      loadedAt: '2026-11-01T00:00:00Z',
      warnings: [],
    },
  ];
  const profile: DatasetProfile = {
    datasetId: 'd1',
    rows: 2,
    columnCount: 1,
    columns: [
      {
        name: 'email',
        type: 'VARCHAR',
        family: 'text',
        count: 2,
        missing: 0,
        missingLike: { total: 0, values: [] },
        distinct: { value: 2, approximate: false },
        topK: [
          { value: 'jane.doe@client.example', count: 1 },
          { value: 'john.roe@client.example', count: 1 },
        ],
        otherCount: 0,
        pii: [{ kind: 'email', matches: 2, share: 1 }],
      },
    ],
    duplicateRows: 0,
    duplicateExample: null,
    constantColumns: [],
    allMissingColumns: [],
    missingCooccurrence: [],
    correlations: [],
    cramersV: [],
    sample: { sampled: false, rows: 2 },
    alerts: [],
    computedAt: '2026-11-01T00:00:00Z',
    durationMs: 1,
  };
  audit.profiles = { d1: profile };
  return audit;
}

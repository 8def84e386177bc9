import { newAudit } from '../../../../src/lib/core/model/document';
import type { AuditDocument, DatasetProfile, Finding } from '../../../../src/lib/core/model/audit';

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

/** An audit whose personal column holds `n` distinct values, each also quoted in a finding's title and SQL. */
export function auditWithValues(n: number): AuditDocument {
  const audit = auditWithEmail(`linear-${n}`);
  const names = Array.from({ length: n }, (_, i) => `Person${String(i).padStart(6, '0')} Example`);
  const column = audit.profiles.d1!.columns[0]!;
  column.name = 'customer_name';
  audit.datasets[0]!.columns[0]!.name = 'customer_name';
  column.pii = [];
  column.topK = names.map((value) => ({ value, count: 1 }));
  const findings: Finding[] = names.map((value, i) => ({
    id: `check-${i}:d1:x`,
    check: 'quality-example',
    area: 'quality',
    severity: 'minor',
    title: `Value ${value} looks odd`,
    datasetId: 'd1',
    columns: ['customer_name'],
    evidence: { note: `seen ${value} twice` },
    sql: `SELECT * FROM t WHERE "customer_name" = '${value}'`,
    recommendation: 'Check it.',
  }));
  return { ...audit, findings };
}

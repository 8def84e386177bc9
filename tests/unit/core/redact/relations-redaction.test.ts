import { describe, expect, it } from 'vitest';
import { newAudit } from '../../../../src/lib/core/model/document';
import type { AuditDocument, DatasetRef, Finding } from '../../../../src/lib/core/model/audit';
import type { RelationLink } from '../../../../src/lib/core/model/relations';
import { redactForExport } from '../../../../src/lib/core/redact';

function dataset(id: string, fileName: string, columns: string[]): DatasetRef {
  return {
    id,
    fileName,
    format: 'csv',
    sizeBytes: 10,
    lastModified: 0,
    rowCount: 100,
    columns: columns.map((name) => ({ name, type: 'VARCHAR' })),
    fingerprint: id,
    loadedAt: '2026-11-01T00:00:00Z',
    warnings: [],
  };
}

function finding(
  check: string,
  datasetId: string,
  column: string,
  details: Record<string, unknown>[],
): Finding {
  return {
    id: `${check}:${datasetId}:${column}`,
    check,
    area: 'relations',
    severity: 'minor',
    title: `${details.length} keys to look at`,
    datasetId,
    columns: [column],
    evidence: { child: 'subscriptions.csv', parent: 'customers.csv' },
    sql: 'SELECT count(*) FROM t',
    recommendation: 'The keys are in the details.',
    details,
  };
}

/**
 * Customers (parent) and subscriptions (child). Three relations: by e-mail, by
 * a reference code marked personal on the child only (the parent's `ref` is
 * not personal by name or mark), and by an account code of the same name on
 * both sides (the parent's value sits under `parent acct`).
 */
function relatedAudit(): AuditDocument {
  const audit = newAudit('Related', 'rel');
  audit.datasets = [
    dataset('d1', 'customers.csv', ['email', 'ref', 'acct', 'plan']),
    dataset('d2', 'subscriptions.csv', ['customer_email', 'cust_ref', 'acct', 'plan']),
  ];
  audit.personalColumns = { d2: ['cust_ref', 'acct'] };
  const links: RelationLink[] = [
    { child: { dataset: 'd2', column: 'customer_email' }, parent: { dataset: 'd1', column: 'email' } },
    { child: { dataset: 'd2', column: 'cust_ref' }, parent: { dataset: 'd1', column: 'ref' } },
    { child: { dataset: 'd2', column: 'acct' }, parent: { dataset: 'd1', column: 'acct' } },
  ];
  audit.relationState = {
    accepted: links.map((l) => ({ ...l, origin: 'user' as const })),
    dismissed: [],
    suggestions: [],
    discovery: 'off',
  };
  audit.findings = [
    finding('relations-orphans', 'd2', 'customer_email', [
      { customer_email: 'jane.doe@client.example', rows: 3 },
    ]),
    finding('relations-duplicate-keys', 'd1', 'email', [{ email: 'john.roe@client.example', rows: 2 }]),
    finding('relations-orphans', 'd2', 'cust_ref', [{ cust_ref: 'K7Q-55120', rows: 3 }]),
    finding('relations-duplicate-keys', 'd1', 'ref', [{ ref: 'ZX-77341', rows: 2 }]),
    finding('relations-key-format', 'd2', 'cust_ref', [{ cust_ref: 'k7q-00042', ref: 'K7Q-42' }]),
    finding('relations-key-format', 'd2', 'acct', [{ acct: 'ac-0981', 'parent acct': 'AC-981' }]),
    // Not a key: a plan name stays readable.
    finding('relations-point-in-time', 'd2', 'cust_ref', [{ cust_ref: 'K7Q-90001', plan: 'Premium' }]),
  ];
  return audit;
}

const KEY_VALUES = [
  'jane.doe@client.example',
  'john.roe@client.example',
  'K7Q-55120',
  'ZX-77341',
  'k7q-00042',
  'K7Q-42',
  'ac-0981',
  'AC-981',
  'K7Q-90001',
];

describe('redaction of relation findings', () => {
  it('masks the key values of both datasets by default, whichever side is marked personal', () => {
    const json = JSON.stringify(redactForExport(relatedAudit()));
    for (const value of KEY_VALUES) expect(json).not.toContain(value);
    expect(json).toContain('Premium');
  });

  it('leaves the relation state whole: column names and dataset ids are identifiers, not values', () => {
    const audit = relatedAudit();
    expect(redactForExport(audit).relationState).toEqual(audit.relationState);
  });

  it('masks them in strict mode too', () => {
    const json = JSON.stringify(redactForExport(relatedAudit(), 'strict'));
    for (const value of KEY_VALUES) expect(json).not.toContain(value);
  });

  it('keeps every value with mode none', () => {
    const json = JSON.stringify(redactForExport(relatedAudit(), 'none'));
    for (const value of KEY_VALUES) expect(json).toContain(value);
  });

  it('leaves the parent key readable when neither column is personal', () => {
    const audit = relatedAudit();
    audit.personalColumns = {};
    const json = JSON.stringify(redactForExport(audit));
    expect(json).toContain('ZX-77341');
    expect(json).toContain('AC-981');
    // E-mail addresses are masked wherever they appear.
    expect(json).not.toContain('jane.doe@client.example');
  });
});

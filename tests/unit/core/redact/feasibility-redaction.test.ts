import { describe, expect, it } from 'vitest';
import type { AuditDocument } from '../../../../src/lib/core/model/audit';
import type { Feasibility } from '../../../../src/lib/core/model/feasibility';
import { feasibilityNotRun } from '../../../../src/lib/core/feasibility/document';
import { redactForExport } from '../../../../src/lib/core/redact';
import { auditWithEmail } from './pii-audit';

/** The label-review sample quotes whole rows: a personal column's value must leave masked, the others as they are. */
function withReviewSample(): AuditDocument {
  const doc = auditWithEmail('a1');
  doc.datasets[0]!.columns.push(
    { name: 'surname', type: 'VARCHAR' },
    { name: 'plan', type: 'VARCHAR' },
    { name: 'churned', type: 'VARCHAR' },
  );
  doc.roles = { d1: { target: 'churned', segments: [], excluded: [] } };
  doc.personalColumns = { d1: ['surname'] };
  // Without a profile, the dataset's own column list is what the redactor reads.
  doc.profiles = {};
  const feasibility: Feasibility = {
    ...feasibilityNotRun('', '2026-12-04T00:00:00Z'),
    status: 'done',
    band: 'A',
    bandReason: 'ok',
    positiveClass: 'Yes',
    labelNoise: {
      estimate: 0.1,
      lower: 0.08,
      upper: 0.12,
      method: 'confident-learning',
      rows: 1_000,
      knn: null,
      reviewSample: [
        {
          values: { surname: 'Quartermaine', plan: 'Premium', email: 'jane.doe@client.example' },
          givenLabel: 'Yes',
          givenLabelProbability: 0.03,
        },
      ],
      reviewSizes: [],
      interpretable: true,
    },
  };
  return { ...doc, feasibility };
}

describe('redaction of the feasibility step', () => {
  it('masks a personal column’s value in the label-review sample, and keeps the others', () => {
    const out = redactForExport(withReviewSample());
    const row = out.feasibility?.labelNoise?.reviewSample[0];
    expect(JSON.stringify(out)).not.toContain('Quartermaine');
    expect(JSON.stringify(out)).not.toContain('jane.doe@client.example');
    expect(row?.values.plan).toBe('Premium');
    expect(row?.givenLabel).toBe('Yes');
  });

  it('masks every value of the sample in strict mode', () => {
    const out = redactForExport(withReviewSample(), 'strict');
    const row = out.feasibility?.labelNoise?.reviewSample[0];
    expect(row?.values.plan).not.toBe('Premium');
    expect(out.feasibility?.positiveClass).not.toBe('Yes');
  });
});

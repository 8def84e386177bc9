import { describe, it, expect } from 'vitest';
import { newAudit } from '../../../../src/lib/core/model/document';
import { auditDifferences } from '../../../../src/lib/ui/export/tab-conflict';
import { largeAudit } from '../../../fixtures/large-audit';

describe('what differs between this tab’s unsaved copy and another tab’s save', () => {
  it('names each difference in plain words, from this tab’s side', () => {
    const base = largeAudit({ emails: 3 });
    const finding = base.findings[0]!;
    const mine = {
      ...base,
      name: 'Renamed here',
      waivers: [{ findingId: finding.id, reason: 'Known', at: '2026-11-02' }],
      roles: { d1: { target: 'plan', segments: [], excluded: [] } },
    };
    const theirs = {
      ...base,
      name: 'Renamed there',
      revision: 7,
      updatedAt: '2026-12-01T00:00:00Z',
      context: { ...base.context, asOf: '2026-12-01' },
      notes: [{ findingId: finding.id, text: 'Ask the client', at: '2026-11-03' }],
      personalColumns: { d1: ['plan'] },
    };
    expect(auditDifferences(mine, theirs)).toEqual([
      'Name: “Renamed here” here, “Renamed there” in the other tab.',
      `Project as-of date: “${base.context.asOf}” here, “2026-12-01” in the other tab.`,
      'Target of “clients.csv”: “plan” here, none in the other tab.',
      `Waived only here: “${finding.title}”.`,
      `Note only in the other tab, on “${finding.title}”.`,
      'Marked as personal data only in the other tab, in “clients.csv”: plan.',
    ]);
  });

  it('finds nothing to name when only the save bookkeeping differs', () => {
    const audit = newAudit('Same', 'a');
    expect(auditDifferences(audit, { ...audit, revision: 3, updatedAt: 'later' })).toEqual([]);
  });

  it('counts findings when the analysis results differ', () => {
    const base = largeAudit({ emails: 3 });
    expect(auditDifferences(base, { ...base, findings: base.findings.slice(1) })).toEqual([
      'Analysis results: 3 findings here, 2 in the other tab.',
    ]);
  });
});

import { describe, it, expect } from 'vitest';
import type { AuditDocument } from '../../../../src/lib/core/model/audit';
import { personalColumns, redactForStorage } from '../../../../src/lib/core/redact';
import { personalStates, setColumnPersonal } from '../../../../src/lib/ui/export/personal-edit';
import { largeAudit } from '../../../fixtures/large-audit';

/** The large audit's `clients.csv`, plus a reference file with the same columns. */
function twoDatasets(): AuditDocument {
  const audit = largeAudit({ emails: 3 });
  const reference = { ...audit.datasets[0]!, id: 'd0', fileName: 'reference.csv' };
  return {
    ...audit,
    datasets: [reference, ...audit.datasets],
    profiles: { ...audit.profiles, d0: { ...audit.profiles.d1!, datasetId: 'd0' } },
  };
}

const masked = (audit: AuditDocument): string[] =>
  personalColumns(audit).map((c) => `${c.datasetId}:${c.column}:${c.reason}`);

describe('marking columns personal or not, in the personal-data editor', () => {
  it('a detected column marked not personal is unmasked in every dataset, and can be taken back', () => {
    const audit = twoDatasets();
    expect(masked(audit)).toEqual(['d0:email:detected', 'd1:email:detected']);
    const notPersonal = setColumnPersonal(audit, 'email', false, 'd1');
    expect(masked(notPersonal)).toEqual([]);
    expect(personalStates(notPersonal).get('d0\u0000email')).toEqual({
      personal: false,
      reason: 'not-personal',
      detectedAs: 'detected',
      kinds: ['email'],
    });
    const back = setColumnPersonal(notPersonal, 'email', true, 'd0');
    expect(masked(back)).toEqual(['d0:email:detected', 'd1:email:detected']);
    expect(Object.values(back.notPersonalColumns ?? {}).flat()).toEqual([]);
    expect(Object.values(back.personalColumns ?? {}).flat()).toEqual([]);
  });

  it('a column marked personal in one dataset is masked in each, and unmarking clears every mark', () => {
    const marked = setColumnPersonal(twoDatasets(), 'plan', true, 'd0');
    expect(masked(marked)).toEqual([
      'd0:email:detected',
      'd0:plan:marked',
      'd1:email:detected',
      'd1:plan:marked',
    ]);
    const unmarked = setColumnPersonal(marked, 'plan', false, 'd1');
    expect(masked(unmarked)).toEqual(['d0:email:detected', 'd1:email:detected']);
    expect(Object.values(unmarked.personalColumns ?? {}).flat()).toEqual([]);
    expect(Object.values(unmarked.notPersonalColumns ?? {}).flat()).toEqual([]);
  });

  it('what was already computed is masked again on the next save: a finding quoting the value', () => {
    const audit = largeAudit({ emails: 3 });
    audit.findings[0]!.title = 'Customers on premium churn twice as often';
    expect(JSON.stringify(redactForStorage(audit))).toContain('premium');
    const saved = JSON.stringify(redactForStorage(setColumnPersonal(audit, 'plan', true, 'd1')));
    expect(saved).not.toContain('premium');
    expect(saved).toContain('"plan"');
  });
});

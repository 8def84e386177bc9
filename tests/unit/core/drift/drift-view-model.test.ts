import { describe, expect, it } from 'vitest';
import { newAudit } from '../../../../src/lib/core/audit/document';
import { withDataset } from '../../../../src/lib/core/audit/edits';
import { AuditDocumentSchema } from '../../../../src/lib/core/audit/schema';
import { resolveDriftThresholds } from '../../../../src/lib/core/thresholds';
import {
  initialForm,
  requestFromForm,
  thresholdRows,
  withThreshold,
} from '../../../../src/lib/ui/drift/drift-view-model';

describe('drift view model', () => {
  it('starts with the extract added last as current and the audited (primary) dataset as reference', () => {
    const ref = (id: string, fileName: string) => ({
      id,
      fileName,
      format: 'csv' as const,
      sizeBytes: 1,
      lastModified: 0,
      rowCount: 1,
      columns: [{ name: 'x', type: 'INTEGER' }],
      fingerprint: id,
      loadedAt: '2026-11-01T00:00:00Z',
      warnings: [],
    });
    let audit = withDataset(newAudit('t', 't'), ref('a', 'customer-churn.csv'));
    expect(initialForm(audit)).toMatchObject({ kind: 'source-split', currentDatasetId: 'a' });
    audit = withDataset(audit, ref('b', 'customer-churn-2026-12.csv'));
    audit = withDataset(audit, ref('c', 'customer-churn-2027-02.csv'));
    expect(initialForm(audit)).toMatchObject({
      kind: 'datasets',
      currentDatasetId: 'c',
      referenceDatasetId: 'a',
    });
  });

  it('saves a threshold override with the audit and drops it when set back to the default', () => {
    const audit = newAudit('t', 't');
    const edited = withThreshold(audit, 'wasserstein', 0.2);
    expect(AuditDocumentSchema.parse(edited).drift!.thresholds).toEqual({ wasserstein: 0.2 });
    expect(thresholdRows(edited).find((r) => r.key === 'wasserstein')).toMatchObject({
      value: 0.2,
      fallback: 0.1,
    });
    expect(resolveDriftThresholds(edited.drift!.thresholds).wasserstein).toBe(0.2);
    expect(withThreshold(edited, 'wasserstein', 0.1).drift!.thresholds).toEqual({});
    expect(withThreshold(edited, 'psiMajor', -1)).toBe(edited);
  });

  it('turns the form into a session request', () => {
    const base = {
      currentDatasetId: 'c',
      referenceDatasetId: 'r',
      splitAt: ' 2025-07-01 ',
      splitColumn: '',
      referenceValues: ' crm_eu, ,crm_us ',
    };
    expect(requestFromForm({ ...base, kind: 'datasets' })).toEqual({
      kind: 'datasets',
      currentDatasetId: 'c',
      referenceDatasetId: 'r',
    });
    expect(requestFromForm({ ...base, kind: 'date-split' })).toEqual({
      kind: 'date-split',
      currentDatasetId: 'c',
      splitAt: '2025-07-01',
    });
    expect(requestFromForm({ ...base, kind: 'source-split' })).toEqual({
      kind: 'source-split',
      currentDatasetId: 'c',
      referenceValues: ['crm_eu', 'crm_us'],
    });
  });
});

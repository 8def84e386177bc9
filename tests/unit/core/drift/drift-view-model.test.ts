import { describe, expect, it } from 'vitest';
import { newAudit } from '../../../../src/lib/core/model/document';
import { withDataset } from '../../../../src/lib/core/audit/edits';
import { AuditDocumentSchema } from '../../../../src/lib/core/model/audit';
import { resolveDriftThresholds } from '../../../../src/lib/core/thresholds';
import { classRates, labelRateRule, labelVerdict } from '../../../../src/lib/core/drift/label-rates';
import { DRIFT_THRESHOLDS } from '../../../../src/lib/core/thresholds';
import {
  EDITABLE_THRESHOLDS,
  initialForm,
  labelSummary,
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

  it('states the label verdict, its reason and each class rate with its interval and move', () => {
    const t = DRIFT_THRESHOLDS;
    const rates = classRates(
      [
        { label: 'ok', reference: 3820, current: 3628 },
        { label: 'fraud', reference: 180, current: 372 },
        { label: 'review', reference: 4, current: 5 },
      ],
      t,
    );
    const verdict = labelVerdict(0.08, 1e-12, rates, t);
    const summary = labelSummary({
      column: 'label',
      status: verdict.drift ? 'drift' : 'no-drift',
      jensenShannon: 0.08,
      psi: 0.04,
      threshold: t.label,
      classes: [],
      classRates: rates,
      rule: labelRateRule(t),
      ...(verdict.reason ? { reason: verdict.reason } : {}),
      sql: 'SELECT 1',
    });
    expect(summary.verdict).toBe('Label “label”: drifts (Jensen–Shannon 0.08).');
    expect(summary.reason).toContain('“fraud” 4.5 % → 9.3 % (× 2.07');
    const byClass = Object.fromEntries(summary.classes.map((c) => [c.label, c]));
    expect(byClass.fraud!.verdict).toBe('moved');
    expect(byClass.fraud!.reference).toMatch(/^4\.5 % \[3\.9 %, 5\.2 %\]$/);
    expect(byClass.review!.verdict).toBe('too rare to judge');
    expect(EDITABLE_THRESHOLDS).toContain('labelRateRatio');
  });
});

import { describe, expect, it } from 'vitest';
import type { AuditDocument, DatasetRef, Finding } from '../../../../src/lib/core/model/audit';
import type { FeasibilityResult } from '../../../../src/lib/core/model/feasibility';
import { newAudit } from '../../../../src/lib/core/model/document';
import { setRoles, waive, withDataset, withFindings } from '../../../../src/lib/core/audit/edits';
import { feasibilityNotRun, withFeasibility } from '../../../../src/lib/core/feasibility/document';

const dataset: DatasetRef = {
  id: 'd1',
  fileName: 'churn.csv',
  format: 'csv',
  sizeBytes: 1,
  lastModified: 0,
  rowCount: 10_000,
  columns: [{ name: 'churned', type: 'VARCHAR' }],
  fingerprint: 'f',
  loadedAt: '2026-12-04T00:00:00.000Z',
  warnings: [],
};

function audit(target?: string): AuditDocument {
  const doc = withDataset(newAudit('t', 'a1', new Date('2026-12-04T00:00:00Z')), dataset);
  return setRoles(doc, 'd1', { segments: [], excluded: [], ...(target ? { target } : {}) });
}

function finding(check: string, area: Finding['area'], severity: Finding['severity']): Finding {
  return {
    id: `${check}:d1:x`,
    check,
    area,
    severity,
    title: check,
    datasetId: 'd1',
    columns: [],
    evidence: {},
    sql: '',
    recommendation: '',
  };
}

const signal: FeasibilityResult = {
  ...feasibilityNotRun('', '2026-12-04T00:00:00.000Z'),
  status: 'done',
  task: 'binary',
  best: 'logistic',
  baselines: [
    {
      model: 'logistic',
      task: 'binary',
      features: ['a'],
      split: { design: 'random', column: null, cut: null },
      auc: { estimate: 0.8, lower: 0.77, upper: 0.83 },
      prAuc: null,
      brier: 0.15,
      r2: null,
      mae: null,
      n: { train: 8_000, test: 2_000 },
      positives: { train: 2_000, test: 500 },
      iterations: 5,
      converged: true,
    },
  ],
};

describe('Data Readiness Level band', () => {
  it('is A when the data is valid, nothing blocks and the baselines find signal', () => {
    const doc = withFeasibility(withFindings(audit('churned'), []), signal);
    expect(doc.feasibility?.band).toBe('A');
    expect(doc.findings.some((f) => f.check === 'feasibility-no-signal')).toBe(true);
  });

  it('is C while a validity area has an open major, and follows a waiver back to A', () => {
    const doc = withFeasibility(
      withFindings(audit('churned'), [finding('quality-duplicates', 'quality', 'major')]),
      signal,
    );
    expect(doc.feasibility?.band).toBe('C');
    expect(doc.feasibility?.bandReason).toContain('data quality');
    const waived = waive(doc, 'quality-duplicates:d1:x', 'Known export artefact', '2026-12-04');
    expect(waived.feasibility?.band).toBe('A');
  });

  it('is B without a target, when the baselines did not run, and with no signal', () => {
    expect(withFeasibility(withFindings(audit(), []), signal).feasibility?.band).toBe('B');
    const notRun = withFeasibility(
      withFindings(audit('churned'), []),
      feasibilityNotRun('Multiclass targets are not fitted yet.', 'x'),
    );
    expect(notRun.feasibility?.band).toBe('B');
    expect(notRun.feasibility?.bandReason).toContain('Multiclass');
    const chance = {
      ...signal,
      baselines: [{ ...signal.baselines[0]!, auc: { estimate: 0.5, lower: 0.47, upper: 0.53 } }],
    };
    const none = withFeasibility(withFindings(audit('churned'), []), chance);
    expect(none.feasibility?.band).toBe('B');
    expect(none.verdict?.status).toBe('not-ready');
  });

  it('replaces the previous run’s findings instead of piling them up', () => {
    const once = withFeasibility(withFindings(audit('churned'), []), signal);
    const twice = withFeasibility(once, signal);
    expect(twice.findings.filter((f) => f.check.startsWith('feasibility-'))).toHaveLength(
      once.findings.filter((f) => f.check.startsWith('feasibility-')).length,
    );
  });
});

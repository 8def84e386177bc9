import { beforeAll, describe, expect, it } from 'vitest';
import { useEngine } from '../../support/engine';
import { demoSession } from '../../support/demo';
import { AuditDocumentSchema } from '../../../src/lib/core/model/audit';
import { PLAN_CHECKS } from '../../../src/lib/core/plan/findings';
import { exampleChurnPlan } from '../../../src/lib/core/plan/summary';
import type { AuditSession } from '../../../src/lib/session';
import { computePlan, savePlan } from '../../../src/lib/session/plan';

const conn = useEngine();
let session: AuditSession;
let datasetId: string;

beforeAll(async () => {
  ({ session, datasetId } = await demoSession(conn, {
    id: 'plan-demo',
    context: { positiveClass: 'Yes' },
    roles: { segments: [] },
  }));
  // A leakage finding as the readiness audit reports it: its column must stay out of the rule search.
  await session.edit((a) => ({
    ...a,
    findings: [
      {
        id: `leakage-target-proxy:${datasetId}:cancellation_reason`,
        check: 'leakage-target-proxy',
        area: 'leakage',
        severity: 'blocker',
        title: 'cancellation_reason is filled only for churners',
        datasetId,
        columns: ['cancellation_reason'],
        evidence: {},
        sql: 'SELECT 1',
        recommendation: 'Drop it.',
      },
    ],
  }));
}, 60_000);

describe('metric plan through the session', () => {
  it('computes baselines without a plan and says info: no plan yet', async () => {
    const outcome = await computePlan(session);
    expect(outcome.status).toBe('done');
    const audit = session.audit!;
    expect(audit.plan?.results?.prevalence).toBeGreaterThan(0.2);
    expect(audit.plan?.results?.excludedColumns).toContainEqual({
      column: 'cancellation_reason',
      reason: 'leakage finding',
    });
    const metrics = audit.findings.filter((f) => f.area === 'metrics');
    expect(metrics.map((f) => [f.check, f.severity])).toEqual([[PLAN_CHECKS.noPlan, 'info']]);
    expect(audit.findings.some((f) => f.area === 'leakage')).toBe(true);
  }, 60_000);

  it('saves a plan, re-evaluates it without SQL, and the verdict counts its findings', async () => {
    const plan = exampleChurnPlan();
    const computedAt = session.audit!.plan!.results!.computedAt;
    // A 40-a-month capacity cannot absorb ~184 flagged accounts a month.
    const outcome = await savePlan(session, { ...plan, capacity: { cases: 40, per: 'month' } });
    expect(outcome.status).toBe('done');
    const audit = session.audit!;
    expect(audit.plan!.results!.computedAt).toBe(computedAt);
    expect(audit.findings.map((f) => f.check)).toContain(PLAN_CHECKS.overCapacity);
    expect(audit.findings.map((f) => f.check)).not.toContain(PLAN_CHECKS.noPlan);
    expect(audit.verdict!.byArea.find((a) => a.area === 'metrics')!.major).toBeGreaterThan(0);
    expect(audit.verdict!.openMajors).toContain(`${PLAN_CHECKS.overCapacity}:${datasetId}:plan`);
    // The document with its plan is still a valid audit file.
    expect(AuditDocumentSchema.safeParse(audit).success).toBe(true);
  });

  it('recomputes the split when the holdout share changes', async () => {
    const before = session.audit!.plan!.results!.split!.validationRows;
    const plan = { ...exampleChurnPlan(), validation: { design: 'time' as const, holdoutShare: 0.4 } };
    const outcome = await savePlan(session, plan);
    expect(outcome.status).toBe('done');
    const split = session.audit!.plan!.results!.split!;
    expect(split.holdoutShare).toBe(0.4);
    expect(split.validationRows).toBeGreaterThan(1.8 * before);
  }, 60_000);
});

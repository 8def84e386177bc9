import { beforeAll, describe, expect, it } from 'vitest';
import { useEngine } from '../../../support/engine';
import { DEMO_LATER_CSV, demoSession } from '../../../support/demo';
import { fileSource } from '../../../../src/lib/engine/node-source';
import * as edits from '../../../../src/lib/core/audit/edits';
import { AuditDocumentSchema } from '../../../../src/lib/core/model/audit';
import type { AuditSession } from '../../../../src/lib/session';
import { runDrift } from '../../../../src/lib/session/drift';

const conn = useEngine();
let session: AuditSession;
let datasetId: string;

beforeAll(async () => {
  ({ session, datasetId } = await demoSession(conn, {
    name: 'demo drift',
    id: 'drift-demo',
    context: { positiveClass: 'Yes' },
    roles: { excluded: ['cancellation_reason'] },
  }));
  // Drift needs only the profile's families: no role suggestions, no metric plan.
  await session.analyse({ suggestRoles: false, plan: false });
}, 120_000);

describe('drift through the session, on the demo', () => {
  it('splits by source: the legacy platform’s cents and churn rate stand out, and the result is saved', async () => {
    const outcome = await runDrift(session, {
      kind: 'source-split',
      currentDatasetId: datasetId,
      referenceValues: ['crm_eu', 'crm_us'],
    });
    expect(outcome.status).toBe('done');
    const report = outcome.report!;
    expect(report.comparison.referenceLabel).toBe('source_system in crm_eu, crm_us');
    const fee = report.columns.find((c) => c.column === 'monthly_fee')!;
    expect(fee.status).toBe('drift');
    expect(fee.psiLevel).toBe('major');
    // The split column, IDs, times, the excluded leak and free text are not compared as features.
    const names = report.columns.map((c) => c.column);
    for (const left of [
      'source_system',
      'customer_id',
      'snapshot_date',
      'churn_date',
      'churned',
      'cancellation_reason',
    ])
      expect(names).not.toContain(left);
    expect(report.columns.find((c) => c.column === 'email')!.status).toBe('skipped');
    // Card numbers are personal data: skipped, so none of them lands in the report's categories.
    const card = report.columns.find((c) => c.column === 'card_number')!;
    expect(card).toMatchObject({ status: 'skipped', shares: [], newCategories: [] });
    expect(card.reason).toContain('personal');
    // Legacy churns at 48.5 % against 19.3 % for the CRMs.
    expect(report.label!.positive).toBe('yes');
    expect(report.label!.positiveRate!.reference.rate).toBeCloseTo(0.193, 2);
    expect(report.label!.positiveRate!.current.rate).toBeCloseTo(0.485, 2);
    expect(report.label!.status).toBe('drift');

    const saved = AuditDocumentSchema.parse(session.audit);
    expect(saved.drift!.report!.columns.length).toBe(report.columns.length);
    expect(saved.drift!.contract!.columns.some((c) => c.column === 'monthly_fee')).toBe(true);
    expect(saved.drift!.history!.referenceMonths).toEqual(['2024-03', '2024-04', '2024-05']);
  }, 120_000);

  it('splits at a date and refuses requests that cannot run', async () => {
    const outcome = await runDrift(
      session,
      { kind: 'date-split', currentDatasetId: datasetId, splitAt: '2025-07-01' },
      { history: false },
    );
    expect(outcome.status).toBe('done');
    expect(outcome.report!.comparison).toMatchObject({ splitColumn: 'snapshot_date', splitAt: '2025-07-01' });
    expect(outcome.report!.columns.find((c) => c.column === 'region')!.nReference).toBeGreaterThan(1000);
    const bad = await runDrift(session, {
      kind: 'date-split',
      currentDatasetId: datasetId,
      splitAt: '1 July',
    });
    expect(bad).toMatchObject({ status: 'invalid', message: 'Give the split date as YYYY-MM-DD.' });
  }, 120_000);

  it('compares the demo with its later extract: planted drift flagged, untouched columns not, North’s churn found', async () => {
    const later = await session.addSources([await fileSource(DEMO_LATER_CSV)], {}, { analyse: false });
    const laterId = later.loaded[0]!;
    // The later extract is the current side; it takes the same roles.
    await session.edit((a) => edits.setRoles(a, laterId, edits.rolesOf(a, datasetId)));
    const outcome = await runDrift(
      session,
      { kind: 'datasets', currentDatasetId: laterId, referenceDatasetId: datasetId },
      { history: false },
    );
    expect(outcome.status).toBe('done');
    const status = Object.fromEntries(outcome.report!.columns.map((c) => [c.column, c.status]));
    expect(status).toMatchObject({
      monthly_fee: 'drift',
      plan: 'drift',
      payment_method: 'drift',
      tenure_months: 'no-drift',
      support_tickets: 'no-drift',
      contract_type: 'no-drift',
      last_login_days: 'no-drift',
    });
    const fee = outcome.report!.columns.find((c) => c.column === 'monthly_fee')!;
    // Legacy cents and sentinels inflate the reference spread: the deciles (PSI) see the price rise.
    expect(fee.psiLevel).toBe('major');
    expect(fee.reason).toContain('PSI');
    const plan = outcome.report!.columns.find((c) => c.column === 'plan')!;
    expect(plan.newCategories.map((c) => c.value)).toEqual(['Enterprise Plus']);
    const top = outcome.report!.concept![0]!;
    expect(top.feature).toBe('region');
    expect(top.segment.toLowerCase()).toBe('north');
    expect(top.moved).toBe(true);
  }, 120_000);
});

import { beforeAll, describe, expect, it } from 'vitest';
import { useEngine } from '../../support/engine';
import { DEMO_CSV, DEMO_LATER_CSV, demoSession, memorySession } from '../../support/demo';
import { bytesSource } from '../../../src/lib/engine/node-source';
import { newAudit } from '../../../src/lib/core/model/document';
import * as edits from '../../../src/lib/core/audit/edits';
import type { Finding } from '../../../src/lib/core/model/audit';
import { isCheckId } from '../../../src/lib/core/readiness/check-ids';
import type { AuditSession } from '../../../src/lib/session';
import { computePlan } from '../../../src/lib/session/plan';

const conn = useEngine();
let session: AuditSession;
let primary: string;
let later: string;

beforeAll(async () => {
  // Both extracts in one call: each must become a dataset with its own table.
  let loaded: string[];
  ({ session, datasetIds: loaded } = await demoSession(conn, {
    id: 'owned-findings',
    context: { asOf: '2027-02-01', positiveClass: 'Yes' },
    files: [DEMO_CSV, DEMO_LATER_CSV],
    roles: { excluded: ['cancellation_reason'] },
  }));
  [primary, later] = loaded as [string, string];
  expect(await session.analyse()).toBe('done');
}, 240_000);

const ids = (findings: readonly Finding[], keep: (f: Finding) => boolean): string[] =>
  findings
    .filter(keep)
    .map((f) => f.id)
    .sort();
const readiness = (f: Finding): boolean => isCheckId(f.check);

describe('several extracts in one audit', () => {
  it('loads several files in one call into an open audit and keeps every dataset', () => {
    const audit = session.audit!;
    expect(audit.datasets.map((d) => d.fileName).sort()).toEqual([
      'customer-churn-2027-02.csv',
      'customer-churn.csv',
    ]);
    expect(later).not.toBe(primary);
    expect(session.tableName(primary)).toBeDefined();
    expect(session.tableName(later)).toBeDefined();
    expect(session.tableName(later)).not.toBe(session.tableName(primary));
    expect(Object.keys(audit.profiles).sort()).toEqual([primary, later].sort());
  });

  it('a later extract without roles takes the reference’s roles for drift', async () => {
    const drift = await session.drift({
      kind: 'datasets',
      currentDatasetId: later,
      referenceDatasetId: primary,
    });
    expect(drift.status).toBe('done');
    expect(drift.history?.timeColumn).toBe('snapshot_date');
    expect(drift.report?.label?.column).toBe('churned');
    const compared = drift.report!.columns.map((c) => c.column);
    expect(compared).not.toContain('customer_id');
    expect(compared).not.toContain('cancellation_reason');
    expect(drift.report!.columns.find((c) => c.column === 'monthly_fee')?.status).toBe('drift');
    // Not saved as the later extract's own roles.
    expect(session.audit!.roles[later]).toBeUndefined();
  });
});

/** 12 months × 100 rows; `amount` jumps after June, `visits` stays put. */
function historyCsv(): string {
  const lines = ['id,month,amount,visits,churned'];
  for (let m = 1; m <= 12; m++)
    for (let i = 0; i < 100; i++)
      lines.push(
        `r${m}-${i},2024-${String(m).padStart(2, '0')}-15,${(m > 6 ? 500 : 0) + i},${i % 10},${i % 4 === 0 ? 'Yes' : 'No'}`,
      );
  return `${lines.join('\n')}\n`;
}

describe('a full re-analysis keeps the findings other tasks produced', () => {
  it('drift-history and metric-plan findings survive analyse(), readiness findings are replaced once', async () => {
    const audit = newAudit('history', 'history-findings');
    audit.context.asOf = '2025-01-01';
    audit.context.positiveClass = 'Yes';
    const s = memorySession(conn, audit);
    const id = (await s.addSources([bytesSource('history.csv', historyCsv())], {}, { analyse: false }))
      .loaded[0]!;
    await s.edit((a) =>
      edits.setRoles(a, id, { target: 'churned', id: 'id', eventTime: 'month', segments: [], excluded: [] }),
    );
    expect(await s.analyse()).toBe('done');
    const drift = await s.drift({ kind: 'date-split', currentDatasetId: id, splitAt: '2024-07-01' });
    expect(drift.status).toBe('done');
    expect((await computePlan(s)).status).toBe('done');

    const before = s.audit!;
    const history = ids(before.findings, (f) => f.check === 'drift-history');
    const metrics = ids(before.findings, (f) => f.area === 'metrics');
    expect(history).toEqual([`drift-history:${id}:amount`]);
    expect(metrics.length).toBeGreaterThan(0);
    const readinessBefore = ids(before.findings, readiness);
    expect(readinessBefore.length).toBeGreaterThan(0);

    expect(await s.analyse({ reprofile: true })).toBe('done');
    const after = s.audit!;
    expect(ids(after.findings, (f) => f.check === 'drift-history')).toEqual(history);
    expect(ids(after.findings, (f) => f.area === 'metrics')).toEqual(metrics);
    // The same readiness findings, each once: re-run, not appended to the old ones.
    expect(ids(after.findings, readiness)).toEqual(readinessBefore);
    expect(new Set(after.findings.map((f) => f.id)).size).toBe(after.findings.length);
    expect(after.drift?.report).toBeDefined();
    // The verdict counts the kept findings too.
    expect(after.verdict).toEqual(edits.withDerivedVerdict(after).verdict);
  });

  it('a finding another task saves while the analysis runs is kept when the analysis lands', async () => {
    const s = memorySession(conn, newAudit('race', 'race'));
    const id = (await s.addSources([bytesSource('history.csv', historyCsv())], {}, { analyse: false }))
      .loaded[0]!;
    const planned: Finding = {
      id: `metrics-no-plan:${id}:summary`,
      check: 'metrics-no-plan',
      area: 'metrics',
      severity: 'info',
      title: 'No metric plan yet',
      datasetId: id,
      columns: [],
      evidence: {},
      sql: '',
      recommendation: 'Write the plan.',
    };
    // Once the analysis has read the document and is profiling, another task saves a finding.
    let edited: Promise<boolean> | undefined;
    const off = s.on('task', (t) => {
      if (!edited && t?.fraction !== undefined && t.fraction > 0)
        edited = s.edit((a) => ({ ...a, findings: [...a.findings, planned] }));
    });
    // Without the plan that follows: it would recompute the metrics findings this test plants.
    expect(await s.analyse({ reprofile: true, plan: false })).toBe('done');
    off();
    expect(await edited).toBe(true);
    expect(s.audit!.findings.map((f) => f.id)).toContain(planned.id);
    expect(s.audit!.findings.filter(readiness).length).toBeGreaterThan(0);
  });
});

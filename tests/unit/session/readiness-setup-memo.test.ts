import { beforeAll, describe, expect, it } from 'vitest';
import { useEngine } from '../../support/engine';
import { demoSession, memorySession } from '../../support/demo';
import { countingConnector } from '../../support/counting-connector';
import type { AuditDocument } from '../../../src/lib/core/model/audit';
import type { AuditSession } from '../../../src/lib/session';
import { computeFeasibility } from '../../../src/lib/session/feasibility';
import { computePlan } from '../../../src/lib/session/plan';
import { exampleChurnPlan } from '../../../src/lib/core/plan/summary';

const conn = useEngine();

/** What feasibility and the plan computed, without the times that differ between two runs. */
function results(audit: AuditDocument): unknown {
  const strip = (value: unknown): unknown =>
    JSON.parse(JSON.stringify(value), (key, v: unknown) =>
      key === 'computedAt' || key === 'durationMs' ? undefined : v,
    );
  return { feasibility: strip(audit.feasibility), plan: strip(audit.plan?.results) };
}

let session: AuditSession;
let reads: () => number;

beforeAll(async () => {
  // The time columns' encodings: the readiness setup's second stage.
  const counted = countingConnector(conn, /AS "readable__0"/);
  reads = counted.count;
  ({ session } = await demoSession(counted.conn, { id: 'setup-memo' }));
  await session.edit((a) => ({ ...a, plan: { plan: exampleChurnPlan() } }));
  expect(await session.analyse({ suggestRoles: false })).toBe('done');
}, 120_000);

describe('the readiness setup, read once per analysis', () => {
  it('is read by readiness and reused by feasibility and the plan that follow it', () => {
    expect(session.audit?.feasibility?.status).toBe('done');
    expect(session.audit?.plan?.results).toBeDefined();
    expect(reads()).toBe(1);
  });

  it('gives feasibility and the plan the very results they compute when they read it themselves', async () => {
    const remembered = results(session.audit!);
    const fresh = memorySession(conn, session.audit!);
    // The same loaded table, in a session that has read no setup.
    Object.defineProperty(fresh, 'tableMap', { value: () => session.tableMap() });
    expect((await computeFeasibility(fresh)).status).toBe('done');
    expect((await computePlan(fresh)).status).toBe('done');
    expect(results(fresh.audit!)).toEqual(remembered);
  }, 120_000);

  it('is read again once the roles change, and forgotten when a table is loaded', async () => {
    const before = reads();
    const datasetId = session.audit!.primaryDatasetId!;
    await session.edit((a) => ({
      ...a,
      roles: { ...a.roles, [datasetId]: { ...a.roles[datasetId]!, segments: [] } },
    }));
    expect((await computePlan(session)).status).toBe('done');
    expect(reads()).toBe(before + 1);
    session.readinessSetups.forget();
    expect(session.readinessSetups.recall({} as never)).toBeUndefined();
  }, 120_000);
});

import { beforeAll, describe, expect, it } from 'vitest';
import { useEngine } from '../../support/engine';
import { nodeDecoders } from '../../../src/lib/engine/node-decoders';
import { bytesSource } from '../../../src/lib/engine/node-source';
import { newAudit } from '../../../src/lib/core/model/document';
import { NO_ROLES, setRoles } from '../../../src/lib/core/audit/edits';
import type { AuditDocument } from '../../../src/lib/core/model/audit';
import { sameLink, type RelationLink, type RelationResult } from '../../../src/lib/core/model/relations';
import { RELATION_CHECKS } from '../../../src/lib/core/relations/definitions';
import { isRelationFinding } from '../../../src/lib/core/relations/document';
import { AuditSession, memoryAuditStore, type TaskState } from '../../../src/lib/session';
import {
  PLANTED_FILES,
  PLANTED_KEY,
  PLANTED_PARENT_TIME,
  PLANTED_TARGET,
  plantedRelations,
  type PlantedExpectation,
} from '../../fixtures/relations/planted';

/**
 * The relations step through the session, on the three planted extracts:
 * suggested after the analysis, accepted, measured with the generator's exact
 * counts, judged into the verdict (the tickets' point-in-time leak blocks),
 * dismissed for good, removed with its findings.
 */
const planted = plantedRelations();
const conn = useEngine();
let session: AuditSession;
const ids = { customers: '', subscriptions: '', tickets: '' };
const details: string[] = [];
let leakId = '';

const link = (child: string): RelationLink => ({
  child: { dataset: child, column: PLANTED_KEY },
  parent: { dataset: ids.customers, column: PLANTED_KEY },
});
const audit = (): AuditDocument => session.audit!;
const resultOf = (child: string): RelationResult | undefined =>
  audit().relations?.find((r) => sameLink(r, link(child)));
const suggested = (child: string): boolean =>
  audit().relationState?.suggestions.some((s) => sameLink(s, link(child))) ?? false;

/** Every count the generator planted, exactly; shares and means to float precision. */
function expectPlanted(result: RelationResult | undefined, expected: PlantedExpectation): void {
  expect(result).toBeDefined();
  const { fanout, pointInTime, orphanKeyShare, nullKeyShare, childlessParentShare, ...counts } = expected;
  expect(result).toMatchObject(counts);
  expect(result!.orphanKeyShare).toBeCloseTo(orphanKeyShare, 12);
  expect(result!.nullKeyShare).toBeCloseTo(nullKeyShare, 12);
  expect(result!.childlessParentShare).toBeCloseTo(childlessParentShare, 12);
  expect(result!.fanout.mean).toBeCloseTo(fanout.mean!, 9);
  expect(result!.fanout.p95).toBeCloseTo(fanout.p95!, 9);
  expect(result!.fanout.max).toBe(fanout.max);
  expect(result!.pointInTime).toMatchObject({
    timedRows: pointInTime.timedRows,
    rowsAfterParentTime: pointInTime.rowsAfterParentTime,
  });
  expect(result!.pointInTime!.share).toBeCloseTo(pointInTime.share, 12);
}

beforeAll(async () => {
  session = new AuditSession({
    engine: { connector: conn, decoders: nodeDecoders },
    store: memoryAuditStore(),
  });
  session.on('task', (t: TaskState | undefined) => {
    if (t?.detail) details.push(t.detail);
  });
  const doc = newAudit('churn extracts', 'relations-session');
  doc.context.asOf = '2026-11-01';
  session.open(doc);
  const outcome = await session.addSources(
    [
      bytesSource(PLANTED_FILES.customers, planted.customers),
      bytesSource(PLANTED_FILES.subscriptions, planted.subscriptions),
      bytesSource(PLANTED_FILES.tickets, planted.tickets),
    ],
    {},
    { analyse: false },
  );
  expect(outcome.failed).toEqual([]);
  [ids.customers, ids.subscriptions, ids.tickets] = outcome.loaded as [string, string, string];
  await session.edit((d) =>
    setRoles(d, ids.customers, { ...NO_ROLES, target: PLANTED_TARGET, eventTime: PLANTED_PARENT_TIME }),
  );
  expect(await session.analyse({ suggestRoles: false, baselines: false, plan: false })).toBe('done');
}, 240_000);

describe('relations in the session', () => {
  it('suggests both child keys after the analysis, with readable progress', () => {
    expect(audit().relationState?.discovery).toBe('ran');
    expect(suggested(ids.subscriptions)).toBe(true);
    expect(suggested(ids.tickets)).toBe(true);
    expect(audit().relations ?? []).toEqual([]);
    expect(details.some((d) => d.startsWith('Relations: '))).toBe(true);
  });

  it('a dismissed suggestion leaves and is not suggested again', async () => {
    await session.dismissRelation(link(ids.tickets));
    expect(suggested(ids.tickets)).toBe(false);
    expect(audit().relationState?.dismissed.some((d) => sameLink(d, link(ids.tickets)))).toBe(true);
    // Discovery ran again after the edit: still not suggested.
    await session.relations({ discover: true });
    expect(suggested(ids.tickets)).toBe(false);
    expect(suggested(ids.subscriptions)).toBe(true);
  }, 120_000);

  it('accepted relations carry the exact planted counts', async () => {
    await session.acceptRelation(link(ids.subscriptions), 'suggested');
    await session.acceptRelation(link(ids.tickets), 'user');
    expect(audit().relationState?.accepted.map((a) => a.origin)).toEqual(['suggested', 'user']);
    expect(audit().relationState?.dismissed ?? []).toEqual([]);
    expectPlanted(resultOf(ids.subscriptions), planted.expected.subscriptions);
    expectPlanted(resultOf(ids.tickets), planted.expected.tickets);
  }, 120_000);

  it('their findings join the verdict, the tickets’ point-in-time leak as a blocker', () => {
    const findings = audit().findings.filter(isRelationFinding);
    const leak = findings.find((f) => f.check === RELATION_CHECKS.pointInTime && f.datasetId === ids.tickets);
    expect(leak?.severity).toBe('blocker');
    expect(leak?.evidence.rowsAfter).toBe(planted.expected.tickets.rowsAfterParentTime);
    leakId = leak!.id;
    expect(audit().verdict?.openBlockers).toContain(leakId);
    expect(audit().verdict?.status).toBe('not-ready');
    const orphans = findings.find(
      (f) => f.check === RELATION_CHECKS.orphans && f.datasetId === ids.subscriptions,
    );
    expect(orphans?.evidence.orphanKeys).toBe(planted.expected.subscriptions.orphanKeys);
    expect(
      findings.some((f) => f.check === RELATION_CHECKS.duplicateKeys && f.datasetId === ids.customers),
    ).toBe(true);
  });

  it('a child’s new event time checks the relations again', async () => {
    const before = audit().relationState?.computedAt;
    const set = await session.setRoles(ids.subscriptions, { ...NO_ROLES, eventTime: 'start_date' });
    expect(set).toEqual({ set: true });
    expect(audit().relationState?.computedAt).not.toBe(before);
    expect(resultOf(ids.subscriptions)?.pointInTime?.childTime).toBe('start_date');
  }, 180_000);

  it('removing a relation drops its results and findings', async () => {
    await session.removeRelation(link(ids.tickets));
    expect(resultOf(ids.tickets)).toBeUndefined();
    expect(resultOf(ids.subscriptions)).toBeDefined();
    const left = audit().findings.filter(isRelationFinding);
    expect(left.some((f) => f.datasetId === ids.tickets && f.check !== RELATION_CHECKS.unreachable)).toBe(
      false,
    );
    expect(audit().verdict?.openBlockers).not.toContain(leakId);
  }, 120_000);

  it('with fewer than two tables the results and findings go', async () => {
    await session.removeDataset(ids.tickets);
    await session.removeDataset(ids.subscriptions);
    expect(audit().relations).toBeUndefined();
    expect(audit().findings.filter(isRelationFinding)).toEqual([]);
    expect(audit().relationState?.suggestions ?? []).toEqual([]);
  }, 120_000);
});

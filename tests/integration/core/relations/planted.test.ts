import { beforeAll, describe, expect, it } from 'vitest';
import { RelationResultSchema, type RelationResult } from '../../../../src/lib/core/model/relations';
import type { RelationTable } from '../../../../src/lib/core/relations/analysis';
import { useEngine } from '../../../support/engine';
import {
  PLANTED_FILES,
  PLANTED_KEY,
  PLANTED_PARENT_TIME,
  PLANTED_TARGET,
  PLANTED_TIMES,
  plantedRelations,
  type PlantedExpectation,
} from '../../../fixtures/relations/planted';
import { link, relationTable, runRelations } from './relations-support';

const conn = useEngine();
let tables: RelationTable[];
const planted = plantedRelations();

beforeAll(async () => {
  tables = [
    await relationTable(conn, PLANTED_FILES.customers, planted.customers, {
      target: PLANTED_TARGET,
      eventTime: PLANTED_PARENT_TIME,
    }),
    await relationTable(conn, PLANTED_FILES.subscriptions, planted.subscriptions),
    await relationTable(conn, PLANTED_FILES.tickets, planted.tickets),
  ];
}, 60_000);

const toCustomers = (child: string) => link(child, PLANTED_KEY, PLANTED_FILES.customers, PLANTED_KEY);

/** Every planted count, exactly; the fan-out's mean and p95 to floating-point precision. */
function expectPlanted(result: RelationResult, expected: PlantedExpectation): void {
  const { fanout, pointInTime, ...counts } = expected;
  expect(result).toMatchObject(counts);
  expect(result.fanout.max).toBe(fanout.max);
  expect(result.fanout.mean).toBeCloseTo(fanout.mean!, 10);
  expect(result.fanout.p95).toBeCloseTo(fanout.p95!, 10);
  expect(result.pointInTime).toMatchObject({
    timedRows: pointInTime.timedRows,
    rowsAfterParentTime: pointInTime.rowsAfterParentTime,
  });
  expect(result.pointInTime!.share).toBeCloseTo(pointInTime.share, 12);
}

describe('relations on the planted churn extracts', () => {
  it('suggests both children into customers.customer_id and nothing else', async () => {
    const outcome = await runRelations(conn, {
      tables,
      labelDataset: PLANTED_FILES.customers,
      discover: true,
    });
    expect(
      outcome.suggestions.map((s) => [s.child.dataset, s.child.column, s.parent.dataset, s.parent.column]),
    ).toEqual([
      [PLANTED_FILES.subscriptions, PLANTED_KEY, PLANTED_FILES.customers, PLANTED_KEY],
      [PLANTED_FILES.tickets, PLANTED_KEY, PLANTED_FILES.customers, PLANTED_KEY],
    ]);
    const tickets = outcome.suggestions[1]!;
    expect(tickets.comparedAsText).toBe(true);
    expect(tickets.childKeys).toBe(planted.expected.tickets.childKeys);
    expect(tickets.containment).toBeCloseTo(1 - planted.expected.tickets.orphanKeyShare, 12);
  });

  it('finds every planted defect with its exact count', async () => {
    const accepted = [toCustomers(PLANTED_FILES.subscriptions), toCustomers(PLANTED_FILES.tickets)];
    const outcome = await runRelations(conn, { tables, labelDataset: PLANTED_FILES.customers, accepted });
    const [subscriptions, tickets] = outcome.results.map((r) => RelationResultSchema.parse(r));
    expectPlanted(subscriptions!, planted.expected.subscriptions);
    expectPlanted(tickets!, planted.expected.tickets);
    expect(subscriptions!.pointInTime).toMatchObject({
      parentTime: PLANTED_PARENT_TIME,
      childTime: PLANTED_TIMES.subscriptions,
    });
    expect(tickets!.pointInTime).toMatchObject({ childTime: PLANTED_TIMES.tickets });

    const [, ticketExamples] = outcome.examples;
    expect(ticketExamples!.duplicateKeys).toHaveLength(20);
    expect(ticketExamples!.formatMismatches).toHaveLength(planted.expected.tickets.formatMismatch.keys);
    for (const row of ticketExamples!.formatMismatches)
      expect(String(row[PLANTED_KEY]).replace(/^0+/, '')).toBe(String(row[`parent ${PLANTED_KEY}`]));
    expect(ticketExamples!.afterParentTime).toHaveLength(20);
    // The as-of join keeps the timed tickets not after the snapshot; counted by ticket, since a duplicated
    // customer joins each of its tickets twice (both copies carry the same snapshot).
    const known = await conn.query(
      `SELECT count(DISTINCT ticket_id) AS n FROM (${tickets!.pointInTime!.asOfSql})`,
    );
    expect(Number(known[0]!.n)).toBe(
      planted.expected.tickets.pointInTime.timedRows -
        planted.expected.tickets.pointInTime.rowsAfterParentTime,
    );
  });
});

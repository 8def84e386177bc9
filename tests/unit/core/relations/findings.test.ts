import { describe, expect, it } from 'vitest';
import type { Finding } from '../../../../src/lib/core/model/audit';
import type { RelationResult } from '../../../../src/lib/core/model/relations';
import { evidenceLabelOf, evidenceRows } from '../../../../src/lib/core/deliverable/presentation';
import { RELATION_FINDING_KINDS } from '../../../../src/lib/core/readiness/check-ids';
import { findingId } from '../../../../src/lib/core/readiness/findings';
import {
  RELATION_CHECKS,
  RELATION_FINDING_DEFINITIONS,
} from '../../../../src/lib/core/relations/definitions';
import {
  isFindingOfRelation,
  relationFindings,
  type RelationFindingContext,
} from '../../../../src/lib/core/relations/findings';
import { joinPaths } from '../../../../src/lib/core/relations/paths';
import type { RelationExamples } from '../../../../src/lib/core/relations/types';
import { RELATION_THRESHOLDS } from '../../../../src/lib/core/thresholds';
import { link, result } from './results';

// Dataset ids unlike their labels, so a title quoting an id is caught.
const CUST = 'ds-7f3a';
const SUBS = 'ds-91c2';
const TICKETS = 'ds-0b4e';
const WEATHER = 'ds-55aa';
const labels = {
  [CUST]: 'customers.csv',
  [SUBS]: 'subscriptions.csv',
  [TICKETS]: 'tickets.csv',
  [WEATHER]: 'weather.csv',
};
const subsLink = link(SUBS, 'customer_id', CUST, 'id');
const ticketsLink = link(TICKETS, 'customer_id', CUST, 'id');
const rowsOf = { [CUST]: 1_000, [SUBS]: 2_000, [TICKETS]: 5_000, [WEATHER]: 365 };

function ctx(accepted = [subsLink], over: Partial<RelationFindingContext> = {}): RelationFindingContext {
  return { labels, labelDataset: CUST, paths: joinPaths([CUST, SUBS], CUST, accepted), rowsOf, ...over };
}

const of = (findings: Finding[], check: string) => findings.filter((f) => f.check === check);
const one = (findings: Finding[], check: string): Finding => {
  const found = of(findings, check);
  expect(found, check).toHaveLength(1);
  return found[0]!;
};

/** The churn extracts, every defect planted once. */
function defective(): { results: RelationResult[]; examples: RelationExamples[] } {
  const subs = result(subsLink, {
    orphanKeys: 31,
    orphanKeyShare: 0.031,
    orphanRows: 62,
    nullKeys: 40,
    nullKeyShare: 0.02,
    duplicateParentKeys: 20,
    duplicateParentRows: 41,
    childlessParents: 150,
    childlessParentShare: 0.15,
    cardinality: 'n:m',
    fanout: { mean: 2.4, p95: 5, max: 12 },
    rowsAfterJoin: 2_450,
    formatMismatch: { keys: 12, kinds: ['leading-zeros', 'whitespace'] },
    comparedAsText: true,
  });
  const tickets = result(ticketsLink, {
    childRows: 5_000,
    rowsAfterParentTime: 80,
    pointInTime: {
      parentTime: 'snapshot_date',
      childTime: 'opened_at',
      timedRows: 1_000,
      rowsAfterParentTime: 80,
      share: 0.08,
      asOfSql: 'SELECT c.* FROM t AS c',
    },
  });
  const examples: RelationExamples[] = [
    {
      link: subsLink,
      duplicateKeys: [{ id: 7n, rows: 3n }],
      orphanKeys: [{ customer_id: 'C999', rows: 2 }],
      formatMismatches: [{ customer_id: '00123', id: '123' }],
      afterParentTime: [],
    },
    {
      link: ticketsLink,
      duplicateKeys: [],
      orphanKeys: [],
      formatMismatches: [],
      afterParentTime: [
        { customer_id: 'C1', opened_at: new Date('2026-03-02T00:00:00Z'), snapshot_date: '2026-03-01' },
      ],
    },
  ];
  return { results: [subs, tickets], examples };
}

describe('relation findings', () => {
  const { results, examples } = defective();
  const all = relationFindings(results, examples, {
    ...ctx([subsLink, ticketsLink]),
    paths: joinPaths([CUST, SUBS, TICKETS, WEATHER], CUST, [subsLink, ticketsLink]),
  });

  it('read the issue’s orphans as one sentence with the share first and the counts behind it', () => {
    const f = one(all, RELATION_CHECKS.orphans);
    expect(f.title).toBe(
      '3.1 % of subscriptions.csv’s customer_id keys (31 of 1,000) have no id in customers.csv; they cover 62 rows',
    );
    expect(f.severity).toBe('minor');
    expect(f.datasetId).toBe(SUBS);
    expect(f.columns).toEqual(['customer_id']);
    expect(f.id).toBe(findingId(RELATION_CHECKS.orphans, SUBS, `customer_id>${CUST}.id`));
    expect(f.sql).toBe(results[0]!.sql);
    expect(f.details).toEqual([{ customer_id: 'C999', rows: 2 }]);
    // The orphans that only differ in format are pointed at their own finding.
    expect(f.recommendation).toMatch(/^12 of these keys match once normalised/);
  });

  it('raise duplicate parent keys on the parent, once per parent key, with plain JSON examples', () => {
    const f = one(all, RELATION_CHECKS.duplicateKeys);
    expect(f.datasetId).toBe(CUST);
    expect(f.columns).toEqual(['id']);
    expect(f.severity).toBe('major'); // 20 of 1,000 = 2 % ≥ 1 %
    expect(f.title).toBe(
      '2 % of customers.csv’s id keys (20 of 1,000) appear on more than one row: 41 rows carry them',
    );
    expect(f.details).toEqual([{ id: 7, rows: 3 }]);
    expect(f.recommendation).toContain('labelled more than once');
  });

  it('report null keys apart from orphans', () => {
    const f = one(all, RELATION_CHECKS.nullKeys);
    expect(f.title).toBe(
      '2 % of subscriptions.csv’s rows (40 of 2,000) have no customer_id, so they join no row of customers.csv',
    );
    expect(f.evidence).toMatchObject({ nullKeys: 40, childRows: 2_000, share: 0.02 });
    expect(f.severity).toBe('minor');
  });

  it('say how keys differ in format, and that the types differ', () => {
    const f = one(all, RELATION_CHECKS.keyFormat);
    expect(f.title).toBe(
      '1.2 % of subscriptions.csv’s customer_id keys (12 of 1,000) match customers.csv’s id only after stripping leading zeros and trimming spaces',
    );
    expect(f.severity).toBe('major');
    expect(f.evidence.kinds).toBe('["leading zeros","spaces"]');
    expect(f.evidence.comparedAsText).toBe(true);
    expect(f.recommendation).toContain('cast both to one type');
  });

  it('block on tickets opened after the prediction time, and point at the as-of join', () => {
    const f = one(all, RELATION_CHECKS.pointInTime);
    expect(f.severity).toBe('blocker');
    expect(f.datasetId).toBe(TICKETS);
    expect(f.title).toBe(
      '8 % of tickets.csv’s rows joined to customers.csv (80 of 1,000) have opened_at after customers.csv’s snapshot_date, the prediction time: features built from them leak the future',
    );
    expect(f.recommendation).toContain('as-of join');
    expect(f.recommendation).toContain('Relations view');
    expect(f.details).toEqual([
      { customer_id: 'C1', opened_at: '2026-03-02T00:00:00.000Z', snapshot_date: '2026-03-01' },
    ]);
  });

  it('give one fan-out finding per relation, as information, with the type difference folded in', () => {
    const fanouts = of(all, RELATION_CHECKS.fanout);
    expect(fanouts).toHaveLength(2);
    expect(fanouts.every((f) => f.severity === 'info')).toBe(true);
    expect(fanouts[0]!.title).toBe(
      'subscriptions.csv joins customers.csv many to many (n:m): 2.4 rows per id on average (95th percentile 5, at most 12), and a plain join turns customers.csv’s 1,000 rows into 2,450; the key columns’ types differ, so their values were compared as text',
    );
    expect(fanouts[0]!.recommendation).toMatch(/^Aggregate subscriptions\.csv to one row per id/);
    expect(fanouts[1]!.title).not.toContain('as text');
  });

  it('note parents without children as information', () => {
    const f = one(all, RELATION_CHECKS.childless);
    expect(f.severity).toBe('info');
    expect(f.title).toBe('15 % of customers.csv’s id keys (150 of 1,000) have no row in subscriptions.csv');
  });

  it('flag a table that cannot reach the label’s table once relations exist', () => {
    const f = one(all, RELATION_CHECKS.unreachable);
    expect(f.datasetId).toBe(WEATHER);
    expect(f.severity).toBe('minor');
    expect(f.title).toBe(
      'weather.csv has no accepted relation leading to customers.csv, the label’s table, so it cannot feed the model',
    );
    expect(f.evidence).toEqual({ table: 'weather.csv', labelTable: 'customers.csv', rows: 365 });
  });

  it('tell which relation raised each finding, the parent’s duplicates belonging to every relation on that key', () => {
    const ofTickets = all.filter((f) => isFindingOfRelation(f, ticketsLink)).map((f) => f.check);
    expect(ofTickets.sort()).toEqual([
      RELATION_CHECKS.duplicateKeys,
      RELATION_CHECKS.fanout,
      RELATION_CHECKS.pointInTime,
    ]);
    const ofSubs = all.filter((f) => isFindingOfRelation(f, subsLink));
    expect(ofSubs).toHaveLength(6); // all but point in time (no times) and unreachable
    expect(
      all
        .filter((f) => !isFindingOfRelation(f, subsLink) && !isFindingOfRelation(f, ticketsLink))
        .map((f) => f.check),
    ).toEqual([RELATION_CHECKS.unreachable]);
  });

  it('cover every relation finding kind, each with a unique id', () => {
    expect(new Set(all.map((f) => f.check))).toEqual(new Set(RELATION_FINDING_KINDS));
    expect(new Set(all.map((f) => f.id)).size).toBe(all.length);
  });

  it('label every evidence key they carry, and only keys their definition lists', () => {
    const unlabelled: string[] = [];
    for (const f of all)
      for (const key of Object.keys(f.evidence)) {
        if (!evidenceLabelOf(f.check, key)) unlabelled.push(`${f.check}: ${key}`);
        expect(
          Object.keys(
            RELATION_FINDING_DEFINITIONS[f.check as keyof typeof RELATION_FINDING_DEFINITIONS].evidence,
          ),
        ).toContain(key);
      }
    expect(unlabelled).toEqual([]);
  });

  it('read as sentences with formatted numbers: no dataset id, no e-notation, no raw fraction', () => {
    for (const f of all) {
      for (const id of [CUST, SUBS, TICKETS, WEATHER]) {
        expect(f.title, f.check).not.toContain(id);
        expect(f.recommendation, f.check).not.toContain(id);
      }
      expect(f.title, f.check).not.toMatch(/\de[-+]?\d|0\.\d{3}/);
      expect(f.title, f.check).not.toMatch(/\.$/);
      for (const row of evidenceRows(f))
        expect(row.value, `${f.check}: ${row.label}`).not.toMatch(/\de[-+]\d/);
    }
  });
});

describe('relation severities', () => {
  const t = RELATION_THRESHOLDS;
  const severity = (over: Partial<RelationResult>, check: string): string | undefined =>
    of(relationFindings([result(subsLink, over)], [], ctx()), check)[0]?.severity;

  it('make orphans major from their share of distinct keys, minor below, absent at none', () => {
    const at = (keys: number) => ({ orphanKeys: keys, orphanKeyShare: keys / 1_000, orphanRows: keys });
    expect(severity(at(t.orphanMajorShare * 1_000), RELATION_CHECKS.orphans)).toBe('major');
    expect(severity(at(t.orphanMajorShare * 1_000 - 1), RELATION_CHECKS.orphans)).toBe('minor');
    expect(severity(at(0), RELATION_CHECKS.orphans)).toBeUndefined();
  });

  it('make null keys and duplicate keys major from their thresholds', () => {
    expect(severity({ nullKeys: 100, nullKeyShare: t.nullKeyMajorShare }, RELATION_CHECKS.nullKeys)).toBe(
      'major',
    );
    expect(severity({ nullKeys: 1, nullKeyShare: 0.0005 }, RELATION_CHECKS.nullKeys)).toBe('minor');
    expect(
      severity({ duplicateParentKeys: 10, duplicateParentRows: 20 }, RELATION_CHECKS.duplicateKeys),
    ).toBe('major');
    expect(severity({ duplicateParentKeys: 9, duplicateParentRows: 18 }, RELATION_CHECKS.duplicateKeys)).toBe(
      'minor',
    );
  });

  it('grade rows after the prediction time: blocker, major, minor, and a clean check as information', () => {
    const pit = (after: number, timed = 1_000) => ({
      pointInTime: {
        parentTime: 'snapshot_date',
        childTime: 'started_at',
        timedRows: timed,
        rowsAfterParentTime: after,
        share: timed ? after / timed : 0,
        asOfSql: 'SELECT 1',
      },
    });
    expect(severity(pit(50), RELATION_CHECKS.pointInTime)).toBe('blocker');
    expect(severity(pit(49), RELATION_CHECKS.pointInTime)).toBe('major');
    expect(severity(pit(10), RELATION_CHECKS.pointInTime)).toBe('major');
    expect(severity(pit(9), RELATION_CHECKS.pointInTime)).toBe('minor');
    expect(severity(pit(0), RELATION_CHECKS.pointInTime)).toBe('info');
    expect(severity(pit(0, 0), RELATION_CHECKS.pointInTime)).toBeUndefined();
    expect(severity({ pointInTime: null }, RELATION_CHECKS.pointInTime)).toBeUndefined();
  });

  it('follow thresholds passed in', () => {
    const over = { orphanKeys: 10, orphanKeyShare: 0.01, orphanRows: 10 };
    const findings = relationFindings(
      [result(subsLink, over)],
      [],
      ctx([subsLink], { thresholds: { orphanMajorShare: 0.01 } }),
    );
    expect(one(findings, RELATION_CHECKS.orphans).severity).toBe('major');
  });

  it('say a relation that matches nothing joins no row, and a 1:1 join keeps the parent’s rows', () => {
    const none = relationFindings(
      [result(subsLink, { fanout: { mean: null, p95: null, max: null }, rowsAfterJoin: 1_000 })],
      [],
      ctx(),
    );
    expect(one(none, RELATION_CHECKS.fanout).title).toBe(
      'No row of subscriptions.csv joins customers.csv on customer_id = id',
    );
    const single = relationFindings(
      [result(subsLink, { cardinality: '1:1', fanout: { mean: 1, p95: 1, max: 1 }, rowsAfterJoin: 1_000 })],
      [],
      ctx(),
    );
    const f = one(single, RELATION_CHECKS.fanout);
    expect(f.title).toContain('one to one (1:1)');
    expect(f.title).toContain('a join keeps customers.csv’s 1,000 rows');
    expect(f.recommendation).toMatch(/joined to customers\.csv directly/);
  });
});

describe('unreachable tables', () => {
  const ids = [CUST, SUBS, WEATHER];

  it('stay quiet while nothing says how the tables join', () => {
    const findings = relationFindings([], [], {
      labels,
      labelDataset: CUST,
      paths: joinPaths(ids, CUST, []),
      rowsOf,
    });
    expect(findings).toEqual([]);
  });

  it('are raised for every table but the label’s once one relation is accepted', () => {
    const findings = relationFindings([result(subsLink)], [], {
      labels,
      labelDataset: CUST,
      paths: joinPaths(ids, CUST, [subsLink]),
      rowsOf,
    });
    expect(of(findings, RELATION_CHECKS.unreachable).map((f) => f.datasetId)).toEqual([WEATHER]);
  });

  it('are raised while a suggestion waits, and point at it', () => {
    const suggested = link(WEATHER, 'customer_id', CUST, 'id');
    const findings = relationFindings([], [], {
      labels,
      labelDataset: CUST,
      paths: joinPaths(ids, CUST, []),
      rowsOf,
      suggestions: [suggested],
    });
    const unreachable = of(findings, RELATION_CHECKS.unreachable);
    expect(unreachable.map((f) => f.datasetId)).toEqual([SUBS, WEATHER]);
    expect(unreachable[1]!.recommendation).toMatch(/is suggested/);
    expect(unreachable[0]!.recommendation).toMatch(/^Find the column/);
    expect(unreachable[0]!.id).toBe(findingId(RELATION_CHECKS.unreachable, SUBS, `to:${CUST}`));
  });

  it('are none without a label’s table', () => {
    const findings = relationFindings([result(subsLink)], [], { labels, paths: [], rowsOf });
    expect(of(findings, RELATION_CHECKS.unreachable)).toEqual([]);
  });
});

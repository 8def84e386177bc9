import { describe, expect, it } from 'vitest';
import type { AuditDocument, DatasetRef, Finding } from '../../../../src/lib/core/model/audit';
import { newAudit } from '../../../../src/lib/core/model/document';
import type { DriftState } from '../../../../src/lib/core/model/drift';
import type { RelationSuggestion } from '../../../../src/lib/core/model/relations';
import { RELATION_CHECKS } from '../../../../src/lib/core/relations/definitions';
import {
  acceptRelation,
  dismissSuggestion,
  isRelationFinding,
  relationPaths,
  relationTables,
  relationsInput,
  removeRelation,
  withRelations,
} from '../../../../src/lib/core/relations/document';
import { link, result } from './results';

function dataset(id: string, fileName: string, columns: string[], rowCount = 100): DatasetRef {
  return {
    id,
    fileName,
    format: 'csv',
    sizeBytes: 1,
    lastModified: 0,
    rowCount,
    columns: columns.map((name) => ({ name, type: 'VARCHAR' })),
    fingerprint: id,
    loadedAt: '2026-12-04T00:00:00.000Z',
    warnings: [],
  };
}

const CUST = dataset('c', 'customers.csv', ['id', 'churned', 'snapshot_date'], 1_000);
const SUBS = dataset('s', 'subscriptions.csv', ['customer_id', 'started_at'], 2_000);
const TICKETS = dataset('t', 'tickets.csv', ['customer_id', 'opened_at'], 5_000);
const subsLink = link('s', 'customer_id', 'c', 'id');
const ticketsLink = link('t', 'customer_id', 'c', 'id');
const TABLES = { c: 't_customers', s: 't_subs', t: 't_tickets' };

function audit(...datasets: DatasetRef[]): AuditDocument {
  return {
    ...newAudit('churn', 'a1', new Date('2026-12-04T00:00:00Z')),
    datasets,
    roles: { c: { target: 'churned', eventTime: 'snapshot_date', segments: [], excluded: [] } },
  };
}

const driftBetween = (reference: string, current: string): DriftState =>
  ({
    report: { comparison: { kind: 'datasets', referenceDatasetId: reference, currentDatasetId: current } },
  }) as DriftState;

const suggestion = (l = ticketsLink): RelationSuggestion => ({
  ...l,
  containment: 1,
  parentUniqueness: 1,
  childKeys: 900,
  nameMatch: true,
  comparedAsText: false,
  reason: 'same name',
});

const other: Finding = {
  id: 'quality-missing:c:churned',
  check: 'quality-missing',
  area: 'quality',
  severity: 'minor',
  title: 'x',
  datasetId: 'c',
  columns: [],
  evidence: {},
  sql: '',
  recommendation: '',
};

const RUN = { discovery: 'ran', computedAt: '2026-12-04T10:00:00Z', durationMs: 12 } as const;

describe('the datasets that take part', () => {
  it('are the loaded ones, with their label, table, columns, rows and roles', () => {
    const tables = relationTables(audit(CUST, SUBS, TICKETS), { c: 't_customers', s: 't_subs' });
    expect(tables.map((t) => t.datasetId)).toEqual(['c', 's']);
    expect(tables[0]).toMatchObject({
      label: 'customers.csv',
      tableName: 't_customers',
      rows: 1_000,
      roles: { target: 'churned', eventTime: 'snapshot_date' },
    });
    expect(tables[1]!.columns).toEqual([
      { name: 'customer_id', type: 'VARCHAR' },
      { name: 'started_at', type: 'VARCHAR' },
    ]);
  });

  it('leave out the other extract of a drift comparison, never the label’s table', () => {
    const later = dataset(
      'c2',
      'customers.csv',
      CUST.columns.map((c) => c.name),
    );
    const base = audit(CUST, SUBS, later);
    const tables = { ...TABLES, c2: 't_c2' };
    expect(
      relationTables({ ...base, drift: driftBetween('c', 'c2') }, tables).map((t) => t.datasetId),
    ).toEqual(['c', 's']);
    expect(
      relationTables({ ...base, drift: driftBetween('c2', 'c') }, tables).map((t) => t.datasetId),
    ).toEqual(['c', 's']);
    // Neither side is the label's table: the reference goes.
    expect(
      relationTables({ ...base, drift: driftBetween('s', 'c2') }, tables).map((t) => t.datasetId),
    ).toEqual(['c', 'c2']);
    // A dataset against itself (a contract only) drops nothing.
    expect(relationTables({ ...base, drift: driftBetween('c', 'c') }, tables)).toHaveLength(3);
  });

  it('give the label dataset the second customers.csv a distinct label', () => {
    const twin = dataset('c2', 'customers.csv', ['id']);
    expect(relationTables(audit(CUST, twin), { c: 'a', c2: 'b' }).map((t) => t.label)).toEqual([
      'customers.csv',
      'customers.csv (2)',
    ]);
  });
});

describe('the analysis input', () => {
  it('is undefined with fewer than two loaded datasets', () => {
    expect(relationsInput(audit(CUST), TABLES, { discover: true })).toBeUndefined();
    expect(relationsInput(audit(CUST, SUBS), { c: 't_customers' }, { discover: true })).toBeUndefined();
  });

  it('names the label’s table and carries the decisions, leaving out relations to columns no longer there', () => {
    const gone = link('s', 'old_key', 'c', 'id');
    const a = acceptRelation(acceptRelation(audit(CUST, SUBS, TICKETS), subsLink, 'user'), gone, 'suggested');
    const dismissed = dismissSuggestion(a, ticketsLink);
    const input = relationsInput(dismissed, TABLES, { discover: false })!;
    expect(input.labelDataset).toBe('c');
    expect(input.accepted).toEqual([subsLink]);
    expect(input.dismissed).toEqual([ticketsLink]);
    expect(input.discover).toBe(false);
    expect(input.tables).toHaveLength(3);
  });
});

describe('saving a run', () => {
  const start = acceptRelation({ ...audit(CUST, SUBS, TICKETS), findings: [other] }, subsLink, 'user');

  it('stores the suggestions, the accepted relations’ results and their findings, and derives the verdict', () => {
    const measured = result(subsLink, { orphanKeys: 100, orphanKeyShare: 0.1, orphanRows: 150 });
    const saved = withRelations(
      start,
      { suggestions: [suggestion()], results: [measured], examples: [] },
      RUN,
    );
    expect(saved.relations).toEqual([measured]);
    expect(saved.relationState).toMatchObject({
      accepted: [{ ...subsLink, origin: 'user' }],
      suggestions: [suggestion()],
      discovery: 'ran',
      computedAt: RUN.computedAt,
      durationMs: 12,
    });
    const checks = saved.findings.map((f) => f.check);
    expect(checks[0]).toBe('quality-missing');
    expect(checks).toContain(RELATION_CHECKS.orphans);
    expect(checks).toContain(RELATION_CHECKS.fanout);
    // Tickets has a suggestion waiting but no accepted relation.
    expect(saved.findings.find((f) => f.check === RELATION_CHECKS.unreachable)?.datasetId).toBe('t');
    expect(saved.verdict?.byArea.find((a) => a.area === 'relations')?.major).toBe(1);
  });

  it('replaces the previous run’s findings and drops results and suggestions decided meanwhile', () => {
    const first = withRelations(
      start,
      {
        suggestions: [],
        results: [result(subsLink, { orphanKeys: 1, orphanKeyShare: 0.001, orphanRows: 1 })],
        examples: [],
      },
      RUN,
    );
    const removed = removeRelation(dismissSuggestion(first, ticketsLink), subsLink);
    const second = withRelations(
      removed,
      { suggestions: [suggestion()], results: [result(subsLink)], examples: [] },
      { ...RUN, discovery: 'off' },
    );
    expect(second.relations).toEqual([]);
    expect(second.relationState?.suggestions).toEqual([]);
    expect(second.findings).toEqual([other]);
    expect(second.relationState?.discovery).toBe('off');
  });
});

describe('relation edits', () => {
  it('accept a suggestion: it leaves the suggestions and the dismissed list, once', () => {
    const base: AuditDocument = {
      ...audit(CUST, SUBS, TICKETS),
      relationState: {
        accepted: [],
        dismissed: [ticketsLink],
        suggestions: [suggestion()],
        discovery: 'ran',
      },
    };
    const accepted = acceptRelation(base, ticketsLink, 'suggested');
    expect(accepted.relationState).toMatchObject({
      accepted: [{ ...ticketsLink, origin: 'suggested' }],
      dismissed: [],
      suggestions: [],
    });
    expect(acceptRelation(accepted, ticketsLink, 'user')).toBe(accepted);
    expect(base.relationState?.suggestions).toHaveLength(1);
  });

  it('create the state when the audit never ran the step, and update join paths and unreachable tables at once', () => {
    const plain = audit(CUST, SUBS, TICKETS);
    expect(plain.relationState).toBeUndefined();
    const one = acceptRelation(plain, subsLink, 'user');
    expect(one.relationState?.discovery).toBe('not-run');
    expect(relationPaths(one).find((p) => p.dataset === 's')?.path).toEqual(['s', 'c']);
    expect(
      one.findings.filter((f) => f.check === RELATION_CHECKS.unreachable).map((f) => f.datasetId),
    ).toEqual(['t']);
    const two = acceptRelation(one, ticketsLink, 'user');
    expect(two.findings.filter((f) => f.check === RELATION_CHECKS.unreachable)).toEqual([]);
  });

  it('dismiss a suggestion once', () => {
    const base = {
      ...audit(CUST, TICKETS),
      relationState: { accepted: [], dismissed: [], suggestions: [suggestion()], discovery: 'ran' as const },
    };
    const once = dismissSuggestion(base, ticketsLink);
    expect(once.relationState).toMatchObject({ suggestions: [], dismissed: [ticketsLink] });
    expect(dismissSuggestion(once, ticketsLink).relationState?.dismissed).toEqual([ticketsLink]);
  });

  it('remove a relation with its result and findings, keeping a parent’s duplicates while another relation joins that key', () => {
    const dup = { duplicateParentKeys: 5, duplicateParentRows: 10 };
    let a = acceptRelation(acceptRelation(audit(CUST, SUBS, TICKETS), subsLink, 'user'), ticketsLink, 'user');
    a = withRelations(
      a,
      { suggestions: [], results: [result(subsLink, dup), result(ticketsLink, dup)], examples: [] },
      RUN,
    );
    expect(a.findings.filter((f) => f.check === RELATION_CHECKS.duplicateKeys)).toHaveLength(1);
    const withoutSubs = removeRelation(a, subsLink);
    expect(withoutSubs.relations?.map((r) => r.child.dataset)).toEqual(['t']);
    expect(withoutSubs.relationState?.accepted.map((r) => r.child.dataset)).toEqual(['t']);
    // Subscriptions keeps only the news that it no longer reaches the label's table.
    expect(withoutSubs.findings.filter((f) => f.datasetId === 's').map((f) => f.check)).toEqual([
      RELATION_CHECKS.unreachable,
    ]);
    expect(withoutSubs.findings.filter((f) => f.check === RELATION_CHECKS.duplicateKeys)).toHaveLength(1);
    // With no relation left, nothing says how the tables join: no finding at all.
    const withoutBoth = removeRelation(withoutSubs, ticketsLink);
    expect(withoutBoth.findings).toEqual([]);
    expect(withoutBoth.relations).toEqual([]);
  });

  it('tell relation findings from the rest', () => {
    expect(isRelationFinding({ check: RELATION_CHECKS.pointInTime })).toBe(true);
    expect(isRelationFinding(other)).toBe(false);
  });
});

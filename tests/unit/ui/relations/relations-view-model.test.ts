import { describe, expect, it } from 'vitest';
import type { AuditDocument, DatasetRef, Finding } from '../../../../src/lib/core/model/audit';
import { newAudit } from '../../../../src/lib/core/model/document';
import type { RelationSuggestion } from '../../../../src/lib/core/model/relations';
import { RELATION_CHECKS } from '../../../../src/lib/core/relations/definitions';
import {
  arrowName,
  formLink,
  linkKey,
  relationsView,
  type RelationsReady,
} from '../../../../src/lib/ui/relations/relations-view-model';
import { link, result } from '../../core/relations/results';

function dataset(id: string, fileName: string, columns: string[], rowCount: number): DatasetRef {
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

const CUST = dataset('c', 'customers.csv', ['customer_id', 'churned', 'snapshot_date'], 2_020);
const SUBS = dataset('s', 'subscriptions.csv', ['customer_id', 'start_date'], 4_100);
const TICKETS = dataset('t', 'tickets.csv', ['customer_id', 'opened_at'], 1_234_567);
const subsLink = link('s', 'customer_id', 'c', 'customer_id');
const ticketsLink = link('t', 'customer_id', 'c', 'customer_id');

function audit(over: Partial<AuditDocument> = {}): AuditDocument {
  return {
    ...newAudit('churn', 'a1', new Date('2026-12-04T00:00:00Z')),
    datasets: [CUST, SUBS, TICKETS],
    roles: { c: { target: 'churned', eventTime: 'snapshot_date', segments: [], excluded: [] } },
    ...over,
  };
}

function ready(a: AuditDocument): RelationsReady {
  const view = relationsView(a);
  if (view.kind !== 'ready') throw new Error(`expected a ready view, got ${view.kind}`);
  return view;
}

const suggestion: RelationSuggestion = {
  ...ticketsLink,
  containment: 0.9876,
  parentUniqueness: 0.99,
  childKeys: 1_500,
  nameMatch: true,
  comparedAsText: true,
  reason: 'tickets.csv customer_id values are found among customers.csv customer_id.',
};

function finding(check: string, datasetId: string, key: string, severity: Finding['severity']): Finding {
  return {
    id: `${check}:${datasetId}:${key}`,
    check,
    area: 'relations',
    severity,
    title: check,
    datasetId,
    columns: ['customer_id'],
    evidence: {},
    sql: 'SELECT 1',
    recommendation: 'fix it',
  };
}

const measured = audit({
  relationState: {
    accepted: [{ ...subsLink, origin: 'suggested' }],
    dismissed: [],
    suggestions: [suggestion],
    discovery: 'ran',
    computedAt: '2026-12-04T10:00:00Z',
  },
  relations: [
    result(subsLink, {
      childRows: 4_100,
      childKeys: 1_700,
      orphanKeys: 51,
      orphanKeyShare: 0.03,
      orphanRows: 120,
      nullKeys: 82,
      nullKeyShare: 0.02,
      duplicateParentKeys: 20,
      duplicateParentRows: 40,
      fanout: { mean: 2.4049, p95: 5, max: 9 },
      rowsBeforeJoin: 2_020,
      rowsAfterJoin: 4_321,
      pointInTime: {
        parentTime: 'snapshot_date',
        childTime: 'start_date',
        timedRows: 3_900,
        rowsAfterParentTime: 312,
        share: 0.08,
        asOfSql: 'SELECT c.* FROM "s" AS c JOIN "c" AS p ON c."customer_id" = p."customer_id" WHERE …',
      },
      rowsAfterParentTime: 312,
    }),
  ],
});

describe('relations view model', () => {
  it('asks for a second table when the audit has one', () => {
    const view = relationsView(audit({ datasets: [CUST] }));
    expect(view.kind).toBe('too-few');
  });

  it('offers discovery until it has run, and says how many suggestions wait once it has', () => {
    const fresh = ready(audit());
    expect(fresh.canDiscover).toBe(true);
    expect(fresh.status).toMatch(/not been looked for/);
    const run = ready(measured);
    expect(run.canDiscover).toBe(false);
    expect(run.status).toBe(
      'Looked for keys shared by these tables on 4 Dec 2026, 10:00 UTC: 1 suggestion waiting.',
    );
  });

  it('shows a suggestion with its evidence formatted, never raw', () => {
    const [s] = ready(measured).suggestions;
    expect(s?.name).toBe('tickets.csv · customer_id → customers.csv · customer_id');
    expect(s?.evidence).toEqual([
      { label: 'Child values found in the parent key', value: '98.8 %' },
      { label: 'Distinct child values', value: '1,500' },
      { label: 'Parent column unique', value: '99 %' },
      { label: 'Names match', value: 'Yes' },
      { label: 'Types differ', value: 'Compared as text' },
    ]);
    expect(s?.link).toEqual(ticketsLink);
  });

  it('lists each measured relation with its facts and the as-of SQL', () => {
    const [a] = ready(measured).accepted;
    expect(a).toMatchObject({
      origin: 'Accepted suggestion',
      cardinality: '1:n',
      orphans: '3 %',
      fanout: '2.4',
      pointInTime: '8 %',
    });
    expect(a?.asOfSql).toContain('JOIN');
    const facts = Object.fromEntries((a?.facts ?? []).map((f) => [f.label, f.value]));
    expect(facts['Orphan child keys (no parent)']).toBe('51 (3 %) of 1,700 keys, on 120 rows');
    expect(facts['Child rows with no key']).toBe('82 (2 %)');
    expect(facts['Duplicated parent keys']).toBe('20 keys on 40 rows');
    expect(facts['Child rows per parent (with children)']).toBe('mean 2.4 · p95 5 · max 9');
    expect(facts['Rows before → after the join']).toBe('2,020 → 4,321');
    expect(facts['Key format mismatches']).toBe('None');
    expect(facts['Child rows after the prediction time']).toBe(
      '312 (8 %) of 3,900 timed rows (start_date after snapshot_date)',
    );
    expect(a?.facts?.find((f) => f.label === 'Duplicated parent keys')?.flagged).toBe(true);
    expect(a?.facts?.find((f) => f.label === 'Key format mismatches')?.flagged).toBe(false);
  });

  it('says why point in time was not checked', () => {
    const noTime = audit({
      roles: { c: { target: 'churned', segments: [], excluded: [] } },
      relationState: {
        accepted: [{ ...subsLink, origin: 'user' }],
        dismissed: [],
        suggestions: [],
        discovery: 'off',
      },
      relations: [
        result(subsLink, { formatMismatch: { keys: 6, kinds: ['leading-zeros'] }, comparedAsText: true }),
      ],
    });
    const [a] = ready(noTime).accepted;
    expect(a?.origin).toBe('Added by hand');
    expect(a?.pointInTime).toBe('Not checked');
    expect(a?.asOfSql).toBeUndefined();
    const facts = Object.fromEntries((a?.facts ?? []).map((f) => [f.label, f.value]));
    expect(facts['Child rows after the prediction time']).toMatch(/customers\.csv has no event time/);
    expect(facts['Key format mismatches']).toBe('6 keys (leading zeros); types differ, compared as text');
  });

  it('draws the label’s table first, joined tables next, and an unjoined one apart', () => {
    const view = ready(measured);
    const byId = new Map(view.diagram.tables.map((t) => [t.id, t]));
    expect(byId.get('c')).toMatchObject({
      labelTable: true,
      joined: true,
      note: 'Label’s table · target churned',
    });
    expect(byId.get('s')?.joined).toBe(true);
    expect(byId.get('t')?.joined).toBe(false);
    expect(byId.get('c')!.x).toBeLessThan(byId.get('s')!.x);
    expect(byId.get('s')!.x).toBeLessThan(byId.get('t')!.x);
    expect(byId.get('t')?.rowsText).toBe('1,234,567 rows');
    expect(view.diagram.relations).toHaveLength(1);
    expect(view.diagram.relations[0]?.lines).toEqual([
      '1:n · 2.4 per parent',
      '3 % orphan keys',
      '8 % after prediction time',
    ]);
  });

  it('names each arrow with its numbers and colours it by its worst open finding', () => {
    const withFindings = {
      ...measured,
      findings: [
        finding(RELATION_CHECKS.pointInTime, 's', 'customer_id>c.customer_id', 'blocker'),
        finding(RELATION_CHECKS.duplicateKeys, 'c', 'customer_id', 'minor'),
        finding(RELATION_CHECKS.orphans, 't', 'customer_id>c.customer_id', 'major'),
      ],
    };
    const [a] = ready(withFindings).accepted;
    expect(a?.severity).toBe('blocker');
    expect(arrowName(a!)).toBe(
      'subscriptions.csv · customer_id → customers.csv · customer_id: 1:n, 3 % orphan keys, 2.4 child rows per parent on average, 8 % of child rows after the prediction time, worst finding blocker',
    );
    // A waived blocker no longer colours the arrow.
    const waived = {
      ...withFindings,
      waivers: [{ findingId: withFindings.findings[0]!.id, reason: 'known', at: '2026-12-04T11:00:00Z' }],
    };
    expect(ready(waived).accepted[0]?.severity).toBe('minor');
    expect(ready(withFindings).findingsLine).toBe(
      '3 findings on the relations: 1 blocker, 1 major and 1 minor',
    );
    expect(ready(measured).findingsLine).toBe('');
    const many = {
      ...withFindings,
      findings: [
        ...withFindings.findings,
        finding(RELATION_CHECKS.nullKeys, 's', 'customer_id>c.customer_id', 'minor'),
        finding(RELATION_CHECKS.keyFormat, 's', 'customer_id>c.customer_id', 'blocker'),
      ],
    };
    expect(ready(many).findingsLine).toBe('5 findings on the relations: 2 blockers, 1 major and 2 minor');
    expect(ready(withFindings).findings.map((g) => [g.severity, g.items.length])).toEqual([
      ['blocker', 1],
      ['major', 1],
      ['minor', 1],
    ]);
  });

  it('checks the hand-drawn relation before adding it', () => {
    const empty = { childDataset: '', childColumn: '', parentDataset: '', parentColumn: '' };
    expect(formLink(measured, empty)).toMatchObject({ ok: false });
    const same = {
      childDataset: 's',
      childColumn: 'customer_id',
      parentDataset: 's',
      parentColumn: 'customer_id',
    };
    expect(formLink(measured, same)).toMatchObject({ ok: false, message: expect.stringMatching(/itself/) });
    const dup = {
      childDataset: 's',
      childColumn: 'customer_id',
      parentDataset: 'c',
      parentColumn: 'customer_id',
    };
    expect(formLink(measured, dup)).toMatchObject({ ok: false, message: expect.stringMatching(/already/) });
    const gone = { childDataset: 't', childColumn: 'nope', parentDataset: 'c', parentColumn: 'customer_id' };
    expect(formLink(measured, gone)).toMatchObject({ ok: false });
    const ok = {
      childDataset: 't',
      childColumn: 'customer_id',
      parentDataset: 'c',
      parentColumn: 'customer_id',
    };
    expect(formLink(measured, ok)).toEqual({ ok: true, link: ticketsLink });
  });

  it('keys links by all four ends', () => {
    expect(linkKey(subsLink)).not.toBe(linkKey(ticketsLink));
    expect(linkKey(subsLink)).toBe(linkKey(link('s', 'customer_id', 'c', 'customer_id')));
  });
});

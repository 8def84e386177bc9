import { describe, expect, it } from 'vitest';
import { newAudit } from '../../../../src/lib/core/model/document';
import {
  auditVerdict,
  note,
  parseAudit,
  primaryDataset,
  primaryDatasetId,
  removeDataset,
  rename,
  rolesOf,
  setContext,
  setPrimary,
  setRoles,
  unwaive,
  waive,
  withDataset,
  withDerivedVerdict,
  withFindings,
} from '../../../../src/lib/core/audit/edits';
import type { AuditDocument, DatasetRef, Finding, Severity } from '../../../../src/lib/core/model/audit';

const at = '2026-11-25T10:00:00Z';

function ref(id: string): DatasetRef {
  return {
    id,
    fileName: `${id}.csv`,
    format: 'csv',
    sizeBytes: 1,
    lastModified: 0,
    rowCount: 1,
    columns: [{ name: 'x', type: 'BIGINT' }],
    fingerprint: id,
    loadedAt: at,
    warnings: [],
  };
}

function finding(id: string, severity: Severity, datasetId = 'd1'): Finding {
  return {
    id,
    check: 'volume-rows',
    area: 'volume',
    severity,
    title: id,
    datasetId,
    columns: [],
    evidence: {},
    sql: 'SELECT 1',
    recommendation: 'Do something.',
  };
}

/** An audit with two datasets that has run: one open blocker and one major on d1. */
function ran(): AuditDocument {
  const base = withDataset(withDataset(newAudit('t', 'a1', new Date(at)), ref('d1')), ref('d2'));
  const withRoles = setRoles(base, 'd1', { target: 'x', segments: [], excluded: [] });
  return withFindings(withRoles, [finding('b1', 'blocker'), finding('m1', 'major')]);
}

describe('primary dataset rule', () => {
  it('falls back to the first dataset', () => {
    const audit = withDataset(newAudit('t', 'a1'), ref('d1'));
    expect(primaryDatasetId({ datasets: [ref('d1')] })).toBe('d1');
    expect(primaryDatasetId({ datasets: [ref('d1'), ref('d2')], primaryDatasetId: 'd2' })).toBe('d2');
    expect(primaryDataset(audit)?.id).toBe('d1');
  });

  it('ignores a chosen id that names no dataset, so the checks and the view agree', () => {
    expect(primaryDatasetId({ datasets: [ref('d1')], primaryDatasetId: 'gone' })).toBe('d1');
    expect(primaryDatasetId({ datasets: [] })).toBeUndefined();
  });

  it('makes the first dataset added the primary one, and keeps it when more are added', () => {
    const audit = withDataset(withDataset(newAudit('t', 'a1'), ref('d1')), ref('d2'));
    expect(audit.primaryDatasetId).toBe('d1');
    expect(audit.datasets.map((d) => d.id)).toEqual(['d1', 'd2']);
  });
});

describe('verdict derivation', () => {
  it('is undefined before the checks first run, and Ready after a run without findings', () => {
    expect(auditVerdict(newAudit('t', 'a1'))).toBeUndefined();
    expect(withFindings(newAudit('t', 'a1'), []).verdict?.status).toBe('ready');
  });

  it('never trusts a stored verdict: a file claiming Ready beside an open blocker is Not ready', () => {
    const audit = ran();
    const lying = { ...audit, verdict: { ...audit.verdict!, status: 'ready' as const, openBlockers: [] } };
    expect(auditVerdict(lying)?.status).toBe('not-ready');
    expect(withDerivedVerdict(lying).verdict?.openBlockers).toEqual(['b1']);
    expect(parseAudit(JSON.parse(JSON.stringify(lying))).verdict?.status).toBe('not-ready');
  });
});

describe('document edits', () => {
  it('return a new document and leave the input untouched', () => {
    const audit = ran();
    const copy = JSON.parse(JSON.stringify(audit));
    waive(audit, 'b1', 'ok', at);
    note(audit, 'b1', 'why', at);
    rename(audit, 'other');
    setRoles(audit, 'd1', { segments: ['x'], excluded: [] });
    setContext(audit, { asOf: '2027-01-01' });
    setPrimary(audit, 'd2');
    removeDataset(audit, 'd1');
    expect(audit).toEqual(copy);
  });

  it('removing a dataset drops the relations naming it, and keeps the others', () => {
    const link = (child: string, parent: string) => ({
      child: { dataset: child, column: 'x' },
      parent: { dataset: parent, column: 'x' },
    });
    const audit: AuditDocument = {
      ...withDataset(withDataset(withDataset(newAudit('t', 'a'), ref('d1')), ref('d2')), ref('d3')),
      relationState: {
        accepted: [
          { ...link('d2', 'd1'), origin: 'user' },
          { ...link('d3', 'd2'), origin: 'suggested' },
        ],
        dismissed: [link('d3', 'd1')],
        suggestions: [],
        discovery: 'ran',
      },
    };
    const removed = removeDataset(audit, 'd3');
    expect(removed.relationState?.accepted).toEqual([{ ...link('d2', 'd1'), origin: 'user' }]);
    expect(removed.relationState?.dismissed).toEqual([]);
    expect(removeDataset(audit, 'd1').relationState?.accepted).toEqual([
      { ...link('d3', 'd2'), origin: 'suggested' },
    ]);
  });

  it('waive and unwaive move the verdict, and an empty reason waives nothing', () => {
    const audit = ran();
    expect(audit.verdict?.status).toBe('not-ready');
    const waived = waive(audit, 'b1', '  dropped from features  ', at);
    expect(waived.waivers).toEqual([{ findingId: 'b1', reason: 'dropped from features', at }]);
    expect(waived.verdict?.status).toBe('conditional');
    expect(waive(audit, 'b1', '   ', at)).toBe(audit);
    const again = waive(waived, 'b1', 'new reason', at);
    expect(again.waivers).toHaveLength(1);
    expect(unwaive(waived, 'b1').verdict?.status).toBe('not-ready');
  });

  it('keeps one note per finding and removes it when the text is empty', () => {
    const noted = note(note(ran(), 'b1', ' first ', at), 'b1', 'second', at);
    expect(noted.notes).toEqual([{ findingId: 'b1', text: 'second', at }]);
    expect(note(noted, 'b1', '  ', at).notes).toEqual([]);
  });

  it('renames, ignoring a blank name', () => {
    expect(rename(ran(), '  Acme churn ').name).toBe('Acme churn');
    expect(rename(ran(), ' ').name).toBe('t');
  });

  it('sets roles and context without touching findings', () => {
    const audit = ran();
    const roles = { target: 'x', segments: ['x'], excluded: [] };
    expect(rolesOf(setRoles(audit, 'd1', roles), 'd1')).toEqual(roles);
    expect(rolesOf(audit, 'd2')).toEqual({ segments: [], excluded: [] });
    const later = setContext(audit, { asOf: '2027-01-01' });
    expect(later.context).toEqual({ ...audit.context, asOf: '2027-01-01' });
    expect(later.findings).toBe(audit.findings);
  });

  it('setPrimary clears the old primary’s findings and verdict until the checks run again', () => {
    const audit = ran();
    const moved = setPrimary(audit, 'd2');
    expect(primaryDatasetId(moved)).toBe('d2');
    expect(moved.findings).toEqual([]);
    expect(auditVerdict(moved)).toBeUndefined();
    expect(setPrimary(audit, 'd1')).toBe(audit);
    expect(setPrimary(audit, 'nope')).toBe(audit);
  });

  it('removing a secondary dataset drops its profile and roles and keeps the verdict', () => {
    const audit = setRoles(ran(), 'd2', { segments: [], excluded: [] });
    const removed = removeDataset(audit, 'd2');
    expect(removed.datasets.map((d) => d.id)).toEqual(['d1']);
    expect(removed.roles.d2).toBeUndefined();
    expect(removed.findings).toHaveLength(2);
    expect(removed.verdict?.status).toBe('not-ready');
  });

  it('removing the primary dataset promotes the next one, whose checks have not run', () => {
    const removed = removeDataset(ran(), 'd1');
    expect(primaryDatasetId(removed)).toBe('d2');
    expect(removed.primaryDatasetId).toBe('d2');
    expect(removed.findings).toEqual([]);
    expect(removed.roles.d1).toBeUndefined();
    expect(auditVerdict(removed)).toBeUndefined();
    const empty = removeDataset(removed, 'd2');
    expect(empty.datasets).toEqual([]);
    expect(empty.primaryDatasetId).toBeUndefined();
  });
});

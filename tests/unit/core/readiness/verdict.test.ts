import { describe, expect, it } from 'vitest';
import { AREAS, VerdictSchema, type Finding, type Severity } from '../../../../src/lib/core/model/audit';
import {
  VERDICT_LABELS,
  VERDICT_RULE,
  notAssessed,
  verdictFor,
} from '../../../../src/lib/core/readiness/verdict';
import { READINESS_CHECKS, checksInWords } from '../../../../src/lib/core/readiness/registry';
import { findingId, mergeFindings } from '../../../../src/lib/core/readiness/findings';

function finding(check: string, severity: Severity, area: Finding['area'] = 'labels', key = 'k'): Finding {
  return {
    id: findingId(check, 'ds', key),
    check,
    area,
    severity,
    title: check,
    datasetId: 'ds',
    columns: [],
    evidence: {},
    sql: 'SELECT 1',
    recommendation: '',
  };
}

const waiver = (f: Finding) => ({
  findingId: f.id,
  reason: 'accepted by the client',
  at: '2026-11-25T10:00:00Z',
});

describe('verdictFor', () => {
  it('is ready when there are no findings', () => {
    const v = verdictFor([], []);
    expect(v.status).toBe('ready');
    expect(v.rule).toBe(VERDICT_RULE);
    expect(VerdictSchema.parse(v)).toEqual(v);
  });

  it('is ready when only minor and info findings are open', () => {
    expect(verdictFor([finding('a', 'minor'), finding('b', 'info')], []).status).toBe('ready');
  });

  it('is ready with conditions when a major finding is open', () => {
    const v = verdictFor([finding('a', 'major'), finding('b', 'minor')], []);
    expect(v.status).toBe('conditional');
    expect(v.openMajors).toEqual(['a:ds:k']);
    expect(v.openBlockers).toEqual([]);
  });

  it('is not ready when any blocker is open, whatever else is open', () => {
    const v = verdictFor([finding('a', 'major'), finding('b', 'blocker', 'leakage')], []);
    expect(v.status).toBe('not-ready');
    expect(v.openBlockers).toEqual(['b:ds:k']);
    expect(v.openMajors).toEqual(['a:ds:k']);
  });

  it('drops to conditional when the only blocker is waived', () => {
    const blocker = finding('b', 'blocker', 'leakage');
    const v = verdictFor([finding('a', 'major'), blocker], [waiver(blocker)]);
    expect(v.status).toBe('conditional');
    expect(v.openBlockers).toEqual([]);
  });

  it('becomes ready when every blocker and major is waived', () => {
    const blocker = finding('b', 'blocker');
    const major = finding('a', 'major');
    const v = verdictFor([major, blocker, finding('c', 'minor')], [waiver(blocker), waiver(major)]);
    expect(v.status).toBe('ready');
  });

  it('ignores waivers for findings that no longer exist', () => {
    const v = verdictFor(
      [finding('a', 'major')],
      [{ findingId: 'gone:ds:k', reason: 'old', at: '2026-01-01T00:00:00Z' }],
    );
    expect(v.status).toBe('conditional');
  });

  it('counts open findings per area and severity, and waived ones separately', () => {
    const waived = finding('x', 'major', 'time', 'w');
    const v = verdictFor(
      [
        finding('a', 'blocker', 'leakage'),
        finding('b', 'minor', 'leakage', 'k2'),
        finding('c', 'info', 'volume'),
        waived,
      ],
      [waiver(waived)],
    );
    expect(v.byArea.map((a) => a.area)).toEqual([...AREAS]);
    expect(v.byArea.find((a) => a.area === 'leakage')).toEqual({
      area: 'leakage',
      blocker: 1,
      major: 0,
      minor: 1,
      info: 0,
      waived: 0,
    });
    expect(v.byArea.find((a) => a.area === 'time')).toEqual({
      area: 'time',
      blocker: 0,
      major: 0,
      minor: 0,
      info: 0,
      waived: 1,
    });
  });
});

describe('no target means no verdict', () => {
  const noTarget = finding('labels-no-target', 'info', 'labels', 'target');

  it('is Not assessed when the no-target finding is there, whatever else is open', () => {
    expect(verdictFor([noTarget], []).status).toBe('not-assessed');
    const v = verdictFor([noTarget, finding('a', 'blocker', 'privacy'), finding('b', 'major')], []);
    expect(v.status).toBe('not-assessed');
    // The open blockers and majors are still listed beside it.
    expect(v.openBlockers).toEqual(['a:ds:k']);
    expect(v.openMajors).toEqual(['b:ds:k']);
    expect(VerdictSchema.parse(v)).toEqual(v);
  });

  it('cannot be waived into a verdict: a waiver does not make the skipped checks run', () => {
    expect(verdictFor([noTarget], [waiver(noTarget)]).status).toBe('not-assessed');
  });

  it('has one label per status, written once', () => {
    expect(VERDICT_LABELS).toEqual({
      'not-assessed': 'Not assessed',
      'not-ready': 'Not ready',
      conditional: 'Ready with conditions',
      ready: 'Ready',
    });
    expect(Object.keys(VERDICT_LABELS).sort()).toEqual([...VerdictSchema.shape.status.options].sort());
    expect(VERDICT_RULE).toMatch(/^Not assessed while no target is set/);
  });

  it('recomputes an audit saved before the status existed: its major no-target finding now reads Not assessed', () => {
    const old = {
      ...noTarget,
      severity: 'major' as const,
      evidence: { notAssessed: 'labels-missing, leakage-id-like' },
    };
    expect(verdictFor([old], []).status).toBe('not-assessed');
    expect(notAssessed([old])).toEqual([
      'No target, so these were not checked: labels-missing, leakage-id-like.',
    ]);
    const fresh = {
      ...noTarget,
      evidence: { notAssessed: 'labels-missing', notAssessedInWords: 'missing labels' },
    };
    expect(notAssessed([fresh])).toEqual(['No target, so these were not checked: missing labels.']);
  });
});

describe('mergeFindings', () => {
  it('replaces only the findings of re-run checks', () => {
    const kept = finding('volume-rows', 'info', 'volume');
    const old = finding('labels-missing', 'major');
    const fresh = finding('labels-missing', 'minor');
    const merged = mergeFindings([kept, old], [fresh], ['labels-missing']);
    expect(merged).toHaveLength(2);
    expect(merged.find((f) => f.check === 'labels-missing')?.severity).toBe('minor');
    expect(merged).toContain(kept);
  });
});

describe('what a target-less audit could not check, in plain words', () => {
  it('names every check that needs a target in words, never by its id', () => {
    const needTarget = READINESS_CHECKS.filter(
      (c) => c.id !== 'labels-no-target' && c.dependsOn.includes('target'),
    ).map((c) => c.id);
    expect(needTarget.length).toBeGreaterThan(20);
    const unnamed = needTarget.filter((id) => checksInWords([id]) === id);
    expect(unnamed).toEqual([]);
    expect(checksInWords(['labels-missing', 'consistency-scale'])).toBe(
      'missing labels, units or scales that differ by source',
    );
  });
});

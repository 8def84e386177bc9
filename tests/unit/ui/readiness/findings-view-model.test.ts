import { describe, expect, it } from 'vitest';
import { AREAS, type AuditDocument, type Finding, type Severity } from '../../../../src/lib/core/model/audit';
import { newAudit } from '../../../../src/lib/core/model/document';
import { VERDICT_LABELS } from '../../../../src/lib/core/readiness/verdict';
import {
  areaSummary,
  currentVerdict,
  detailTable,
  evidenceRows,
  findingAnchor,
  findingViews,
  groupFindings,
  humanizeKey,
  openIssues,
  revealIn,
  severityCounts,
  withSeverity,
} from '../../../../src/lib/ui/readiness/findings-view-model';

function finding(
  check: string,
  area: Finding['area'],
  severity: Severity,
  key = 'k',
  title = check,
): Finding {
  return {
    id: `${check}:ds:${key}`,
    check,
    area,
    severity,
    title,
    datasetId: 'ds',
    columns: [],
    evidence: {},
    sql: 'SELECT 1',
    recommendation: 'Do something.',
  };
}

const findings: Finding[] = [
  finding('privacy-pii', 'privacy', 'major', 'email'),
  finding('volume-rows', 'volume', 'info'),
  finding('leakage-single-feature', 'leakage', 'blocker', 'cancellation_reason'),
  finding('labels-by-source', 'labels', 'info', 'summary'),
  finding('labels-variants', 'labels', 'major'),
  finding('labels-by-source', 'labels', 'major', 'legacy'),
  finding('time-future', 'time', 'minor'),
];

function audit(overrides: Partial<AuditDocument> = {}): AuditDocument {
  return { ...newAudit('t', 'a1', new Date('2026-11-01T10:00:00Z')), findings, ...overrides };
}

const at = '2026-11-25T10:00:00Z';

describe('groupFindings', () => {
  it('orders areas as in the spec and severities blocker first, leaving out empty ones', () => {
    const groups = groupFindings(findingViews(audit()));
    expect(groups.map((g) => g.area)).toEqual(['volume', 'labels', 'time', 'leakage', 'privacy']);
    const labels = groups.find((g) => g.area === 'labels')!;
    expect(labels.severities.map((s) => s.severity)).toEqual(['major', 'info']);
    expect(labels.count).toBe(3);
  });

  it('orders findings of one severity by the check registry, so labels-variants precedes labels-by-source', () => {
    const labels = groupFindings(findingViews(audit())).find((g) => g.area === 'labels')!;
    expect(labels.severities[0]!.items.map((v) => v.finding.check)).toEqual([
      'labels-variants',
      'labels-by-source',
    ]);
  });

  it('filters by severity and hides waived findings on request', () => {
    const views = findingViews(
      audit({ waivers: [{ findingId: 'privacy-pii:ds:email', reason: 'hashed upstream', at }] }),
    );
    const onlyMajor = groupFindings(views, { severities: ['major'], hideWaived: false });
    expect(onlyMajor.flatMap((g) => g.severities.flatMap((s) => s.items.map((v) => v.finding.id)))).toEqual([
      'labels-variants:ds:k',
      'labels-by-source:ds:legacy',
      'privacy-pii:ds:email',
    ]);
    const hidden = groupFindings(views, { severities: ['major'], hideWaived: true });
    expect(hidden.some((g) => g.area === 'privacy')).toBe(false);
  });

  it('attaches waivers and notes to their findings', () => {
    const views = findingViews(
      audit({
        waivers: [{ findingId: 'time-future:ds:k', reason: 'known clock skew', at }],
        notes: [{ findingId: 'volume-rows:ds:k', text: 'ask for more history', at }],
      }),
    );
    expect(views.find((v) => v.finding.check === 'time-future')!.waiver?.reason).toBe('known clock skew');
    expect(views.find((v) => v.finding.check === 'volume-rows')!.note?.text).toBe('ask for more history');
    expect(views.find((v) => v.finding.check === 'privacy-pii')!.waiver).toBeUndefined();
  });
});

describe('severityCounts', () => {
  it('counts open and waived findings per severity', () => {
    const counts = severityCounts(
      findingViews(audit({ waivers: [{ findingId: 'labels-variants:ds:k', reason: 'r', at }] })),
    );
    expect(counts.find((c) => c.severity === 'major')).toEqual({
      severity: 'major',
      label: 'Major',
      open: 2,
      waived: 1,
    });
    expect(counts.find((c) => c.severity === 'blocker')!.open).toBe(1);
  });
});

describe('verdict summary', () => {
  it('has no verdict before the audit first runs, and Ready after a run without findings', () => {
    expect(currentVerdict(audit({ findings: [] }))).toBeUndefined();
    const ran = audit({
      findings: [],
      verdict: { status: 'ready', rule: '', byArea: [], openBlockers: [], openMajors: [] },
    });
    expect(currentVerdict(ran)?.status).toBe('ready');
  });

  it('derives the verdict from findings and waivers, so waiving the only blocker makes it conditional', () => {
    const before = currentVerdict(audit())!;
    expect(VERDICT_LABELS[before.status]).toBe('Not ready');
    const after = currentVerdict(
      audit({
        waivers: [{ findingId: 'leakage-single-feature:ds:cancellation_reason', reason: 'dropped', at }],
      }),
    )!;
    expect(VERDICT_LABELS[after.status]).toBe('Ready with conditions');
  });

  it('sums the per-area counts into a total row', () => {
    const verdict = currentVerdict(audit({ waivers: [{ findingId: 'time-future:ds:k', reason: 'r', at }] }))!;
    const { rows, total } = areaSummary(verdict);
    expect(rows.map((r) => r.area)).toEqual([...AREAS]);
    expect(rows.slice(0, 8).map((r) => r.area)).toEqual([
      'volume',
      'labels',
      'time',
      'coverage',
      'consistency',
      'leakage',
      'quality',
      'privacy',
    ]);
    expect(rows.find((r) => r.area === 'labels')).toMatchObject({
      label: 'Labels',
      major: 2,
      info: 1,
      total: 3,
    });
    expect(rows.find((r) => r.area === 'time')).toMatchObject({ minor: 0, waived: 1, total: 1 });
    expect(total).toMatchObject({
      label: 'All areas',
      blocker: 1,
      major: 3,
      minor: 0,
      info: 2,
      waived: 1,
      total: 7,
    });
  });

  it('lists open blockers before open majors, with their titles', () => {
    const issues = openIssues(currentVerdict(audit())!, findings);
    expect(issues.map((i) => i.severity)).toEqual(['blocker', 'major', 'major', 'major']);
    expect(issues[0]!.title).toBe('leakage-single-feature');
  });
});

describe('findingAnchor', () => {
  it('makes distinct, selector-safe ids even for hostile keys', () => {
    const a = findingAnchor('labels-by-source:ds:a"; DROP TABLE x; --');
    const b = findingAnchor('labels-by-source:ds:a"; DROP TABLE y; --');
    expect(a).toMatch(/^finding-[A-Za-z0-9_-]+$/);
    expect(a).not.toBe(b);
    expect(findingAnchor('x')).toBe(findingAnchor('x'));
  });
});

describe('withSeverity', () => {
  it('shows or hides one severity, keeping the blocker-first order', () => {
    const f = withSeverity({ severities: ['minor'], hideWaived: true }, 'blocker', true);
    expect(f).toEqual({ severities: ['blocker', 'minor'], hideWaived: true });
    expect(withSeverity(f, 'minor', false).severities).toEqual(['blocker']);
  });
});

describe('revealIn', () => {
  it('widens the filter just enough to show a finding the user jumps to', () => {
    const [view] = findingViews(audit({ findings: [finding('privacy-pii', 'privacy', 'major')] }));
    expect(revealIn({ severities: ['blocker'], hideWaived: true }, view!)).toEqual({
      severities: ['blocker', 'major'],
      hideWaived: true,
    });
  });
});

describe('evidence and details', () => {
  it('labels evidence from its check and shows each value in its unit, but copies the raw value', () => {
    const f = {
      ...finding('labels-by-source', 'labels', 'major'),
      evidence: {
        rate: 0.4275,
        pValue: 4.8766541512802684e-154,
        rows: 5130,
        'share:Yes': 0.00208,
        source: 'legacy_billing',
        unknownKey: false,
        difference: null,
      },
    };
    const rows = evidenceRows(f);
    expect(rows.map((r) => r.label)).toEqual([
      'Positive rate in this source',
      'p-value',
      'Rows',
      'Share of “Yes”',
      'Source',
      'Unknown key',
      'Difference',
    ]);
    expect(rows.map((r) => r.text)).toEqual([
      '42.8 %',
      '<0.0001',
      '5,130',
      '0.2 %',
      'legacy_billing',
      'no',
      '—',
    ]);
    expect(rows[1]!.copy).toBe('4.8766541512802684e-154');
  });

  it('keeps acronyms and the data part of keys intact', () => {
    expect(humanizeKey('presenceAuc')).toBe('Presence AUC');
    expect(humanizeKey('share:Yes rate')).toBe('Share: Yes rate');
    expect(humanizeKey('expectedStraddlingGroups')).toBe('Expected straddling groups');
  });

  it('builds a text table from detail rows with the union of their keys', () => {
    const t = detailTable(
      [
        { month: '2024-03', rows: 4130, share: 0.764083333333333 },
        { month: '2024-04', rows: 0, note: ['a', 'b'], mean: 1.23456789, year: 2024 },
        { month: null, rows: 1.23456789 },
      ],
      2,
    );
    expect(t.columns).toEqual(['month', 'rows', 'share', 'note', 'mean', 'year']);
    expect(t.rows).toEqual([
      ['2024-03', '4,130', '76.4 %', '', '', ''],
      ['2024-04', '0', '', 'a, b', '1.235', '2024'],
    ]);
    expect(t.hidden).toBe(1);
    expect(detailTable(undefined)).toEqual({ columns: [], rows: [], hidden: 0 });
  });
});

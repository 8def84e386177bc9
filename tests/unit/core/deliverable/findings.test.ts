import { describe, it, expect } from 'vitest';
import { IntegrationSchema, TeamSchema, DeliverableSchema } from '../../../../src/lib/core/model/deliverable';
import { integrationFindings, teamFindings } from '../../../../src/lib/core/deliverable/findings';
import { auditVerdict } from '../../../../src/lib/core/audit/edits';
import { prefillSources } from '../../../../src/lib/core/deliverable/prefill';
import {
  evidenceRows,
  findingMeaning,
  formatEvidence,
  humanizeKey,
  sortBySeverity,
  presentationOf,
  FINDING_KINDS,
} from '../../../../src/lib/core/deliverable/presentation';
import { CHECK_IDS } from '../../../../src/lib/core/readiness/registry';
import { AuditDocumentSchema, type Finding } from '../../../../src/lib/core/model/audit';
import { newAudit } from '../../../../src/lib/core/model/document';

describe('integration risks', () => {
  it('flags real-time serving fed by a daily CSV as a blocker, short history and ownerless legacy as major', () => {
    const integration = IntegrationSchema.parse({
      serving: { mode: 'real-time', latency: 'under 200 ms' },
      trainingWindowMonths: 24,
      sources: [
        { name: 'crm_eu', owner: 'Ana', access: 'api', refresh: 'real-time', historyMonths: 36 },
        {
          name: 'legacy_billing',
          access: 'manual-export',
          refresh: 'daily',
          historyMonths: 12,
          legacy: true,
        },
      ],
    });
    const found = integrationFindings(integration).map((f) => [f.check, f.severity, f.area]);
    expect(found).toEqual([
      ['integration-serving-freshness', 'blocker', 'integration'],
      ['integration-history', 'major', 'integration'],
      ['integration-legacy-owner', 'major', 'integration'],
    ]);
  });

  it('raises no freshness blocker for batch serving, and nothing when the map is absent', () => {
    const integration = IntegrationSchema.parse({
      serving: { mode: 'batch' },
      sources: [{ name: 's', owner: 'o', access: 'manual-export', refresh: 'daily' }],
    });
    expect(integrationFindings(integration)).toEqual([]);
    expect(integrationFindings(undefined)).toEqual([]);
  });
});

describe('team gaps', () => {
  it('makes each uncovered role a finding, major without a plan and minor with one', () => {
    const team = TeamSchema.parse({
      members: [
        { role: 'data-engineering', who: 'Sam' },
        { role: 'ml-engineering', gap: true, plan: 'Hire a contractor by January' },
      ],
      domainReviewCadence: 'fortnightly',
    });
    const found = teamFindings(team).map((f) => [f.id, f.severity]);
    expect(found).toEqual([
      ['team-gap:sprint0:ml-engineering', 'minor'],
      ['team-gap:sprint0:domain-expertise', 'major'],
    ]);
  });

  it('counts derived findings in the verdict, and a waiver lifts them like any other', () => {
    const audit = {
      ...newAudit('x', 'a'),
      deliverable: DeliverableSchema.parse({ team: { members: [], domainReviewCadence: 'weekly' } }),
    };
    expect(auditVerdict(audit)?.status).toBe('conditional');
    const waivers = ['data-engineering', 'ml-engineering', 'domain-expertise'].map((r) => ({
      findingId: `team-gap:sprint0:${r}`,
      reason: 'covered by the client',
      at: '2026-11-01',
    }));
    expect(auditVerdict({ ...audit, waivers })?.status).toBe('ready');
    expect(AuditDocumentSchema.safeParse(audit).success).toBe(true);
  });
});

describe('source pre-fill', () => {
  it('lists the source role’s values not already mapped, marking legacy-named ones', () => {
    const audit = {
      datasets: [{ id: 'd' }],
      roles: { d: { source: 'src', segments: [], excluded: [] } },
      profiles: {
        d: {
          columns: [
            {
              name: 'src',
              topK: [
                { value: 'crm', count: 5 },
                { value: 'legacy_billing', count: 2 },
                { value: null, count: 1 },
              ],
            },
          ],
        },
      },
    } as unknown as Parameters<typeof prefillSources>[0];
    const sources = prefillSources(audit, [
      {
        name: 'crm',
        owner: 'Ana',
        access: 'api',
        refresh: 'daily',
        historyMonths: 12,
        legacy: false,
        notes: '',
      },
    ]);
    expect(sources.map((s) => [s.name, s.owner, s.legacy])).toEqual([
      ['crm', 'Ana', false],
      ['legacy_billing', '', true],
    ]);
  });
});

describe('finding presentation', () => {
  it('labels evidence from its check and formats shares, counts and p-values', () => {
    expect(humanizeKey('belowSeedGuidance')).toBe('Below seed guidance');
    const classes = {
      check: 'volume-classes',
      evidence: { minorityShare: 0.2359, minorityRows: 2831, positiveClass: 'Yes' },
    };
    expect(evidenceRows(classes)).toEqual([
      { label: 'Share of the smallest class', value: '23.6 %' },
      { label: 'Rows of the smallest class', value: '2,831' },
      { label: 'Positive class', value: 'Yes' },
    ]);
    const rows = evidenceRows({
      check: 'volume-rows',
      evidence: { rows: 12000, belowSeedGuidance: false, seedGuidanceRows: 10000 },
    });
    expect(rows).toEqual([
      { label: 'Rows', value: '12,000' },
      { label: 'Below the seed guidance', value: 'no' },
      { label: 'Seed guidance (a reference)', value: '10,000 rows' },
    ]);
    expect(formatEvidence({ check: 'labels-by-source', evidence: { pValue: 4.9e-154 } }, 'pValue')).toBe(
      '<0.0001',
    );
    expect(formatEvidence({ check: 'quality-duplicates', evidence: { share: 0.0004 } }, 'share')).toBe(
      '<0.1 %',
    );
    expect(formatEvidence({ check: 'coverage-span', evidence: { days: 729 } }, 'days')).toBe('729 days');
    expect(
      formatEvidence(
        { check: 'coverage-span', evidence: { first: '2019-01-01', granularity: 'quarter' } },
        'first',
      ),
    ).toBe('2019 Q1');
    expect(rows.map((r) => r.label).join(' ')).not.toMatch(/[a-z][A-Z]/);
  });

  it('puts blockers and majors first', () => {
    const mk = (severity: Finding['severity'], area: Finding['area']): Finding => ({
      id: `${severity}-${area}`,
      check: 'quality-duplicates',
      area,
      severity,
      title: '',
      datasetId: 'd',
      columns: [],
      evidence: {},
      sql: '',
      recommendation: '',
    });
    const sorted = sortBySeverity([
      mk('info', 'volume'),
      mk('minor', 'labels'),
      mk('blocker', 'privacy'),
      mk('major', 'time'),
    ]);
    expect(sorted.map((f) => f.severity)).toEqual(['blocker', 'major', 'minor', 'info']);
  });

  it('has a one-sentence meaning for every readiness check', () => {
    const missing = CHECK_IDS.filter((id) => !presentationOf(id).meaning.endsWith('.'));
    expect(missing).toEqual([]);
    expect(findingMeaning({ check: 'leakage-single-feature' })).toMatch(/after the outcome/);
  });

  it('reads the meaning, fix and owner of every finding kind from its own definition', () => {
    expect(findingMeaning({ check: 'team-gap' })).toBe(FINDING_KINDS['team-gap'].meaning);
    expect(presentationOf('integration-history')).toMatchObject({
      fix: 'collect-more-data',
      owner: 'source-owner',
    });
    expect(presentationOf('metrics-no-plan').evidence.prevalence?.label).toBe('Positive rate');
    expect(presentationOf('drift-history').evidence.worstMonth?.kind).toBe('date');
  });

  it('falls back to a generic meaning for a check this version does not know', () => {
    expect(presentationOf('volume-retired-check')).toBeUndefined();
    expect(findingMeaning({ check: 'volume-retired-check' })).toMatch(/recommendation/);
  });
});

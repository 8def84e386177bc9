import type { AuditDocument, Finding, Severity } from '../model/audit';
import type { DeliverableFindingKind } from '../readiness/check-ids';
import type { FindingKindDefinition } from '../readiness/finding-facts';
import { TEAM_ROLE_LABELS, ACCESS_LABELS, REFRESH_LABELS } from './defaults';
import {
  TEAM_ROLES,
  type Deliverable,
  type Integration,
  type SourceSystem,
  type Team,
} from '../model/deliverable';

/**
 * Findings derived from the deliverable's system and team maps, in the
 * `integration` and `team` areas. They have the shape of readiness findings
 * (so waivers, notes, the verdict and the reports treat them alike) but come
 * from what the consultant recorded, not from a query: their `sql` is empty
 * and their dataset id is `DELIVERABLE_DATASET_ID`. They are recomputed from
 * the document every time, never stored, so they cannot go stale.
 */

/** The `datasetId` of derived findings: they belong to the engagement, not to a file. */
export const DELIVERABLE_DATASET_ID = 'sprint0';

/** How each derived finding reads and is fixed: its meaning, fix and owner, and the label and kind of every evidence key. */
export const DELIVERABLE_FINDING_DEFINITIONS: Readonly<
  Record<DeliverableFindingKind, FindingKindDefinition>
> = {
  'integration-serving-freshness': {
    id: 'integration-serving-freshness',
    area: 'integration',
    meaning:
      'Real-time predictions need fresh inputs; a source exported daily or by hand cannot provide them.',
    fix: 'upstream',
    owner: 'source-owner',
    evidence: {
      source: { label: 'Source', kind: 'text' },
      access: { label: 'Access', kind: 'text' },
      refresh: { label: 'Refresh', kind: 'text' },
      servingLatency: { label: 'Serving latency', kind: 'text' },
    },
  },
  'integration-history': {
    id: 'integration-history',
    area: 'integration',
    meaning:
      'The source keeps less history than the training window needs, so the model cannot be trained as planned.',
    fix: 'collect-more-data',
    owner: 'source-owner',
    evidence: {
      source: { label: 'Source', kind: 'text' },
      historyMonths: { label: 'History kept', kind: 'duration', unit: 'month' },
      trainingWindowMonths: { label: 'Training window', kind: 'duration', unit: 'month' },
    },
  },
  'integration-legacy-owner': {
    id: 'integration-legacy-owner',
    area: 'integration',
    meaning:
      'Nobody answers for a legacy system the pipeline depends on, so its failures will go unresolved.',
    fix: 'upstream',
    owner: 'project-lead',
    evidence: {
      source: { label: 'Source', kind: 'text' },
      legacy: { label: 'Legacy system', kind: 'boolean' },
    },
  },
  'integration-access-unknown': {
    id: 'integration-access-unknown',
    area: 'integration',
    meaning: 'Until it is known how the source is reached, the pipeline cannot be planned.',
    fix: 'upstream',
    owner: 'data-engineering',
    evidence: { source: { label: 'Source', kind: 'text' } },
  },
  'integration-serving-undecided': {
    id: 'integration-serving-undecided',
    area: 'integration',
    meaning: 'How predictions reach their users decides the plumbing to build, its cost and its latency.',
    fix: 'upstream',
    owner: 'project-lead',
    evidence: { servingMode: { label: 'Serving mode', kind: 'text' } },
  },
  'team-gap': {
    id: 'team-gap',
    area: 'team',
    meaning: 'A role nobody covers becomes the bottleneck of the project.',
    fix: 'staffing',
    owner: 'project-lead',
    evidence: {
      role: { label: 'Role', kind: 'text' },
      plan: { label: 'Plan to fill it', kind: 'text' },
    },
  },
  'team-domain-review': {
    id: 'team-domain-review',
    area: 'team',
    meaning: 'Without regular review by a domain expert, label and feature errors are found late.',
    fix: 'staffing',
    owner: 'project-lead',
    evidence: { domainReviewCadence: { label: 'Domain-review cadence', kind: 'text' } },
  },
};

/** Refresh cadences too slow to feed a real-time endpoint. */
const SLOW_REFRESH = new Set<SourceSystem['refresh']>(['daily', 'weekly', 'monthly', 'ad-hoc']);

function finding(
  check: DeliverableFindingKind,
  area: 'integration' | 'team',
  key: string,
  severity: Severity,
  title: string,
  evidence: Finding['evidence'],
  recommendation: string,
): Finding {
  return {
    id: `${check}:${DELIVERABLE_DATASET_ID}:${key}`,
    check,
    area,
    severity,
    title,
    datasetId: DELIVERABLE_DATASET_ID,
    columns: [],
    evidence,
    sql: '',
    recommendation,
  };
}

/**
 * Integration risks from the system map:
 * - real-time serving fed by a source that is exported by hand or refreshed
 *   daily or slower → blocker (the endpoint would score on stale features);
 * - a source keeping less history than the training window needs → major;
 * - a legacy source with no owner → major (nobody can fix or explain it);
 * - a source whose access mode is unknown → minor;
 * - serving mode not decided → minor.
 */
export function integrationFindings(integration: Integration | undefined): Finding[] {
  if (!integration) return [];
  const out: Finding[] = [];
  const realTime = integration.serving.mode === 'real-time';
  for (const s of integration.sources) {
    if (realTime && (s.access === 'manual-export' || SLOW_REFRESH.has(s.refresh))) {
      out.push(
        finding(
          'integration-serving-freshness',
          'integration',
          s.name,
          'blocker',
          `Real-time serving is fed by “${s.name}”, which is ${s.access === 'manual-export' ? 'exported by hand' : `refreshed ${REFRESH_LABELS[s.refresh].toLowerCase()}`}`,
          {
            source: s.name,
            access: ACCESS_LABELS[s.access],
            refresh: REFRESH_LABELS[s.refresh],
            servingLatency: integration.serving.latency || null,
          },
          'Give the endpoint a feed as fresh as its latency (an API or a stream from the source), or serve in batch at the cadence the source allows.',
        ),
      );
    }
    const window = integration.trainingWindowMonths;
    if (window !== null && s.historyMonths !== null && s.historyMonths < window) {
      out.push(
        finding(
          'integration-history',
          'integration',
          s.name,
          'major',
          `“${s.name}” keeps ${s.historyMonths} months of history; the training window needs ${window}`,
          { source: s.name, historyMonths: s.historyMonths, trainingWindowMonths: window },
          'Recover archived extracts, shorten the training window with the domain expert, or start collecting now and plan the model for when the history exists.',
        ),
      );
    }
    if (s.legacy && s.owner.trim() === '') {
      out.push(
        finding(
          'integration-legacy-owner',
          'integration',
          s.name,
          'major',
          `Legacy source “${s.name}” has no owner`,
          { source: s.name, legacy: true },
          'Name an owner on the client side who can explain the system’s fields and approve changes before the pipeline depends on it.',
        ),
      );
    }
    if (s.access === 'unknown') {
      out.push(
        finding(
          'integration-access-unknown',
          'integration',
          s.name,
          'minor',
          `How “${s.name}” is reached is not known yet`,
          { source: s.name },
          'Ask the source owner whether the data comes as a manual export, a scheduled batch, an API or a stream.',
        ),
      );
    }
  }
  if (integration.serving.mode === 'undecided') {
    out.push(
      finding(
        'integration-serving-undecided',
        'integration',
        'serving',
        'minor',
        'How predictions will be served is not decided',
        { servingMode: 'undecided' },
        'Decide with the client whether predictions are served in batch, from a real-time endpoint or inside an existing tool, and the latency that needs.',
      ),
    );
  }
  return out;
}

/** Whether a team member really covers the role: a name, and not marked as a gap. */
function covers(member: Team['members'][number]): boolean {
  return !member.gap && member.who.trim() !== '';
}

/**
 * Team gaps from the team map: each of data engineering, ML engineering and
 * domain expertise that nobody covers is a finding, major without a plan to
 * fill it and minor with one; no domain-expert review cadence is minor.
 */
export function teamFindings(team: Team | undefined): Finding[] {
  if (!team) return [];
  const out: Finding[] = [];
  for (const role of TEAM_ROLES) {
    const members = team.members.filter((m) => m.role === role);
    if (members.some(covers)) continue;
    const plan = members.map((m) => m.plan.trim()).find((p) => p !== '') ?? '';
    out.push(
      finding(
        'team-gap',
        'team',
        role,
        plan ? 'minor' : 'major',
        `Nobody covers ${TEAM_ROLE_LABELS[role].toLowerCase()}${plan ? ' yet (a plan exists)' : ''}`,
        { role: TEAM_ROLE_LABELS[role], plan: plan || null },
        plan
          ? `Follow the plan to fill the role: ${plan}`
          : `Name who covers ${TEAM_ROLE_LABELS[role].toLowerCase()}, or plan how to fill it (hire, client secondment, partner) before the baseline phase.`,
      ),
    );
  }
  if (team.domainReviewCadence === 'none') {
    out.push(
      finding(
        'team-domain-review',
        'team',
        'cadence',
        'minor',
        'No regular domain-expert review is planned',
        { domainReviewCadence: 'none' },
        'Book a domain expert to review labels, features and errors on a fixed cadence (weekly or fortnightly during the first phases).',
      ),
    );
  }
  return out;
}

/** Integration and team findings of a deliverable (none when it is absent). */
export function deliverableFindings(deliverable: Deliverable | undefined): Finding[] {
  return [...integrationFindings(deliverable?.integration), ...teamFindings(deliverable?.team)];
}

/** The audit's readiness findings followed by those derived from its deliverable. */
export function allFindings(audit: Pick<AuditDocument, 'findings' | 'deliverable'>): Finding[] {
  return [...audit.findings, ...deliverableFindings(audit.deliverable)];
}

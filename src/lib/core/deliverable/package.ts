import type { AuditDocument, Finding, Verdict } from '../model/audit';
import type { ResolvedDeliverable } from './prefill';

/** Whether a section of the sprint-0 deliverable is filled in, with what is missing. */
export interface SectionStatus {
  id: SectionId;
  title: string;
  complete: boolean;
  /** What is still missing, in words; empty when complete. */
  missing: string[];
}

export const SECTION_IDS = [
  'summary',
  'work-plan',
  'metric-plan',
  'integration',
  'team-timeline-cost',
  'profiles',
] as const;
export type SectionId = (typeof SECTION_IDS)[number];

/**
 * Section titles, numbered as in the report: the body's chapters, then the
 * appendix. Findings have no section of their own: each appears once, as the
 * work item that fixes it.
 */
export const SECTION_TITLES: Record<SectionId, string> = {
  summary: '1. Summary',
  'work-plan': '2. Findings and the work that fixes them',
  'metric-plan': '3. Metric plan',
  integration: '4. Integration sketch',
  'team-timeline-cost': '5. Team, timeline and cost',
  profiles: 'Appendix A. Dataset profiles',
};

/** The appendix of SQL listings, after the profiles (not a section the consultant completes). */
export const SQL_APPENDIX_TITLE = 'Appendix B. SQL that reproduces each finding';

/** Whether the document holds a metric plan (added by the metric-plan feature; read loosely so this module needs no import of it). */
export function hasMetricPlan(audit: object): boolean {
  const state = (audit as { plan?: { plan?: unknown } }).plan;
  return state?.plan !== undefined && state.plan !== null;
}

/**
 * The recommended next step: the consultant's own when typed; otherwise
 * derived from the verdict: fix the open blockers, or run the baseline with
 * the majors as conditions, or start the baseline.
 */
export function recommendedNextStep(
  verdict: Verdict | undefined,
  topRisks: readonly Finding[],
  typed: string,
): string {
  if (typed.trim() !== '') return typed.trim();
  if (!verdict)
    return 'Load the client’s data and run the readiness checks; the verdict decides the next step.';
  if (verdict.status === 'not-assessed')
    return 'Set the target column the model will learn, then re-run the audit: without it the labels, leakage and class balance are unchecked and there is no verdict.';
  if (verdict.status === 'not-ready') {
    const first = topRisks[0];
    return `Do not start model work yet: fix the ${verdict.openBlockers.length} open blocker${verdict.openBlockers.length === 1 ? '' : 's'}${first ? `, starting with “${first.title}”` : ''}, or waive each with a documented reason, then re-run the audit.`;
  }
  if (verdict.status === 'conditional')
    return `Start the baseline phase with the ${verdict.openMajors.length} open major finding${verdict.openMajors.length === 1 ? '' : 's'} as explicit conditions in the data-engineering plan, each with an owner and a date.`;
  return 'Start the baseline model and the production plumbing; keep the monitoring plan from this audit.';
}

/** Completeness of each section, for the overview tab and the report's status line. */
export function sectionStatuses(audit: AuditDocument, d: ResolvedDeliverable): SectionStatus[] {
  const stored = audit.deliverable;
  const status = (id: SectionId, missing: string[]): SectionStatus => ({
    id,
    title: SECTION_TITLES[id],
    complete: missing.length === 0,
    missing,
  });
  const ran = audit.findings.length > 0 || audit.verdict !== undefined;
  const ctx = audit.context;
  return [
    status('summary', [
      ...(ran ? [] : ['the readiness checks have not run']),
      ...(ctx.decision.trim() ? [] : ['the decision the model supports']),
      ...(ctx.targetDefinition.trim() ? [] : ['the target definition']),
      ...(ctx.predictionPoint.trim() ? [] : ['the prediction point']),
      ...((stored?.constraints.length ?? 0) > 0 ? [] : ['the constraints']),
    ]),
    status('work-plan', ran ? [] : ['findings to plan from']),
    status('metric-plan', hasMetricPlan(audit) ? [] : ['the metric plan']),
    status('integration', [
      ...(stored?.integration ? [] : ['the system map']),
      ...(d.integration.sources.some((s) => s.access === 'unknown') ? ['how each source is reached'] : []),
      ...(d.integration.serving.mode === 'undecided' ? ['the serving mode'] : []),
      ...(d.integration.pipeline.some((p) => p.status === 'unknown') ? ['which pipeline steps exist'] : []),
    ]),
    status('team-timeline-cost', [
      ...(stored?.team ? [] : ['the team map']),
      ...(d.team.domainReviewCadence === 'none' ? ['the domain-review cadence'] : []),
      ...(d.signOff.length > 0 ? [] : ['the sign-off']),
    ]),
    status('profiles', Object.keys(audit.profiles).length > 0 ? [] : ['no dataset is profiled']),
  ];
}

import type { AuditDocument, Finding, Verdict } from '../model/audit';
import { allFindings } from '../deliverable/findings';
import { recommendedNextStep, sectionStatuses, type SectionStatus } from '../deliverable/package';
import { resolveDeliverable, type ResolvedDeliverable } from '../deliverable/prefill';
import { sortBySeverity } from '../deliverable/presentation';
import { costBands, timelineEstimate, type CostBand, type TimelineEstimate } from '../deliverable/timeline';
import { buildWorkPlan, type WorkPlanView } from '../deliverable/work-plan';
import { auditVerdict } from './edits';

// Here, not in deliverable/: the package needs the verdict, and the verdict (audit/edits) reads the
// deliverable's derived findings, so deliverable/ importing audit/ would make the folders a cycle.

/** Everything the report, the Markdown summary and the overview tab show, computed once from the document. */
export interface Sprint0Package {
  deliverable: ResolvedDeliverable;
  /** Readiness and deliverable findings, most severe first. */
  findings: Finding[];
  /** Recomputed from the findings and waivers; undefined while no check has run and nothing was entered. */
  verdict: Verdict | undefined;
  workPlan: WorkPlanView;
  timeline: TimelineEstimate;
  costs: CostBand[];
  /** The three biggest open risks: open blockers, then majors, most severe first. */
  topRisks: Finding[];
  nextStep: string;
  sections: SectionStatus[];
}

/**
 * The sprint-0 package of an audit: its deliverable with defaults, every
 * finding (readiness, integration, team) most severe first, the verdict
 * recomputed from them and the waivers, the data-engineering plan, the
 * timeline and cost bands, the three biggest risks and the next step.
 */
export function sprint0Package(audit: AuditDocument): Sprint0Package {
  const deliverable = resolveDeliverable(audit);
  const findings = sortBySeverity(allFindings(audit));
  const verdict = auditVerdict(audit);
  const waived = new Set(audit.waivers.map((w) => w.findingId));
  const workPlan = buildWorkPlan(findings, audit.waivers, deliverable.workPlan);
  const waivedBlockers = findings.filter((f) => f.severity === 'blocker' && waived.has(f.id)).length;
  const timeline = timelineEstimate(workPlan.weeks, waivedBlockers, deliverable.timeline);
  const costs = costBands(timeline, deliverable.cost);
  const topRisks = findings
    .filter((f) => !waived.has(f.id) && (f.severity === 'blocker' || f.severity === 'major'))
    .slice(0, 3);
  return {
    deliverable,
    findings,
    verdict,
    workPlan,
    timeline,
    costs,
    topRisks,
    nextStep: recommendedNextStep(verdict, topRisks, deliverable.nextStep),
    sections: sectionStatuses(audit, deliverable),
  };
}

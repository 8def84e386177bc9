import { AREAS, type Finding, type Verdict, type Waiver } from '../model/audit';

/** The feasibility rule, stated once; the verdict carries it so reports can quote it. */
export const VERDICT_RULE =
  'Not assessed while no target is set (the label, leakage and class-balance checks cannot run). Otherwise Not ready if any open (unwaived) finding is a blocker; otherwise Ready with conditions if any open finding is major; otherwise Ready. Waived findings do not count.';

/** User-facing names of the verdict states: the one place they are written. */
export const VERDICT_LABELS: Record<Verdict['status'], string> = {
  'not-assessed': 'Not assessed',
  'not-ready': 'Not ready',
  conditional: 'Ready with conditions',
  ready: 'Ready',
};

/** The check whose finding says the audit ran without a target. */
export const NO_TARGET_CHECK = 'labels-no-target';

/** Whether the findings say the audit ran without a target (its verdict is then `not-assessed`). */
export function lacksTarget(findings: readonly Finding[]): boolean {
  return findings.some((f) => f.check === NO_TARGET_CHECK);
}

/**
 * The feasibility gate: no target → `not-assessed` (a waiver cannot make the
 * skipped checks run); else any open blocker → `not-ready`; else any open
 * major → `conditional`; else `ready`. A finding is open unless a waiver names
 * its id. Also returns the per-area counts of open findings (and of waived
 * ones) and the ids of the open blockers and majors, which a `not-assessed`
 * verdict still lists.
 */
export function verdictFor(findings: readonly Finding[], waivers: readonly Waiver[]): Verdict {
  const waived = new Set(waivers.map((w) => w.findingId));
  const open = findings.filter((f) => !waived.has(f.id));
  const openBlockers = open.filter((f) => f.severity === 'blocker').map((f) => f.id);
  const openMajors = open.filter((f) => f.severity === 'major').map((f) => f.id);
  const byArea = AREAS.map((area) => {
    const inArea = findings.filter((f) => f.area === area);
    const openInArea = inArea.filter((f) => !waived.has(f.id));
    const n = (severity: Finding['severity']): number =>
      openInArea.filter((f) => f.severity === severity).length;
    return {
      area,
      blocker: n('blocker'),
      major: n('major'),
      minor: n('minor'),
      info: n('info'),
      waived: inArea.length - openInArea.length,
    };
  });
  const status: Verdict['status'] = lacksTarget(findings)
    ? 'not-assessed'
    : openBlockers.length > 0
      ? 'not-ready'
      : openMajors.length > 0
        ? 'conditional'
        : 'ready';
  return { status, rule: VERDICT_RULE, byArea, openBlockers, openMajors };
}

/**
 * What the audit could not assess, one line each, from its findings: checks
 * skipped for want of a target (in plain words; audits saved before the words
 * existed name the check ids), time-role columns that could not be read as
 * time, and checks whose SQL failed. The verdict panel lists these next to
 * the verdict, so a "Ready with conditions" says what it did not look at.
 */
export function notAssessed(findings: readonly Finding[]): string[] {
  const lines: string[] = [];
  for (const f of findings) {
    if (f.check === NO_TARGET_CHECK) {
      const words = f.evidence.notAssessedInWords;
      const ids = f.evidence.notAssessed;
      const checks = typeof words === 'string' && words ? words : typeof ids === 'string' ? ids : '';
      lines.push(
        `No target, so these were not checked: ${checks || 'the labels, leakage and class balance'}.`,
      );
    } else if (f.check === 'time-role') lines.push(f.title + '.');
    else if (f.id.endsWith(':error')) lines.push(f.title);
  }
  return lines;
}

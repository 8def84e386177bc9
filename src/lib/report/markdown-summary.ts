import { escapeMarkdown } from '../core/format/markdown';
import type { AuditDocument, RedactionMode } from '../core/model/audit';
import { redactForExport } from '../core/redact';
import { assessedDatasetText } from '../core/audit/assessed';
import { AREA_LABELS } from '../core/readiness/area-labels';
import { VERDICT_LABELS } from '../core/readiness/verdict';
import { FIX_LABELS, OWNER_ROLE_LABELS, TEAM_ROLE_LABELS } from '../core/deliverable/defaults';
import { sprint0Package } from '../core/audit/sprint0-package';
import { SEVERITY_LABELS, findingMeaning, humanizeKey, keyNumber } from '../core/deliverable/presentation';
import { fmtRange } from '../core/deliverable/timeline';
import { formatCount, formatDate, formatMoney, formatTimestamp, plural } from '../core/format';
import { feasibilityText } from './sprint0/feasibility';
import { relationsMarkdown } from './sprint0/relations';

/**
 * The sprint-0 summary in Markdown, for tickets and documents: verdict, the
 * feasibility (band, baseline, learning curve, label noise), the related
 * tables (join paths and what each relation measured), the three
 * biggest risks, the next step, the data-engineering plan, timeline and
 * cost, team gaps and every finding on one line, most severe first. Text from
 * data or people is escaped so it cannot become a link, an image, HTML or
 * table structure.
 */

export { escapeMarkdown };
const m = escapeMarkdown;

/** The Markdown summary of an audit's sprint-0 package, personal values masked as in every export. The verdict is recomputed from findings and waivers. */
export function sprint0MarkdownSummary(
  source: AuditDocument,
  generatedAt: string,
  redaction: RedactionMode = 'personal',
): string {
  const audit = redactForExport(source, redaction);
  const pkg = sprint0Package(audit);
  const v = pkg.verdict;
  const waived = new Map(audit.waivers.map((w) => [w.findingId, w.reason]));
  const lines: string[] = [];
  lines.push(`# ${m(audit.name)}: Sprint 0 summary`, '');
  lines.push(
    `Data as of ${m(formatDate(audit.context.asOf, 'day'))} · generated ${m(formatTimestamp(generatedAt))} by Sprint Zero`,
    '',
  );
  lines.push(`Assessed dataset: ${m(assessedDatasetText(audit))}`, '');
  lines.push(
    v
      ? `**Verdict: ${VERDICT_LABELS[v.status]}**. ${plural(v.openBlockers.length, 'open blocker')}, ${plural(v.openMajors.length, 'open major finding')}, ${formatCount(audit.waivers.length)} waived.`
      : '**Verdict: none yet**. The readiness checks have not run.',
    '',
  );
  const feasibility = feasibilityText(audit.feasibility, audit.plan?.plan);
  lines.push('## Feasibility', '');
  lines.push(
    feasibility.band ? `**${m(feasibility.band)}.** ${m(feasibility.reason)}` : m(feasibility.reason),
    '',
  );
  for (const [label, text] of feasibility.facts) lines.push(`- **${m(label)}:** ${m(text)}`);
  if (feasibility.facts.length) lines.push('');
  lines.push(...relationsMarkdown(audit, m));
  lines.push('## The three biggest risks', '');
  if (pkg.topRisks.length === 0) lines.push('No open blocker or major finding.');
  pkg.topRisks.forEach((f, i) =>
    lines.push(`${i + 1}. **${SEVERITY_LABELS[f.severity]}**: ${m(f.title)}. ${m(findingMeaning(f))}`),
  );
  lines.push('', '## Recommended next step', '', m(pkg.nextStep), '');

  lines.push('## Data-engineering plan', '');
  lines.push(
    `${plural(pkg.workPlan.items.length, 'work item')}, ${fmtRange(pkg.workPlan.effortDays)} person-days.`,
    '',
  );
  if (pkg.workPlan.items.length) {
    lines.push('| Severity | Work item | Fix | Owner | Effort |', '|---|---|---|---|---|');
    for (const i of pkg.workPlan.items)
      lines.push(
        `| ${i.severity ? SEVERITY_LABELS[i.severity] : 'Added'} | ${m(i.title)} | ${FIX_LABELS[i.fix]} | ${OWNER_ROLE_LABELS[i.ownerRole]} | ${i.effort} |`,
      );
    lines.push('');
  }
  if (pkg.workPlan.waived.length) {
    lines.push('Accepted instead of fixed:', '');
    for (const w of pkg.workPlan.waived) lines.push(`- ${m(w.title)}: ${m(w.reason)}`);
    lines.push('');
  }

  lines.push('## Team, timeline and cost', '');
  const gaps = pkg.deliverable.team.members.filter((t) => t.gap || t.who.trim() === '');
  lines.push(
    gaps.length
      ? `Team gaps: ${gaps.map((g) => `${TEAM_ROLE_LABELS[g.role]}${g.plan ? ` (plan: ${m(g.plan)})` : ''}`).join('; ')}.`
      : 'Every team role is covered.',
    '',
  );
  lines.push('| Phase | Weeks |', '|---|---|');
  for (const p of pkg.timeline.phases) lines.push(`| ${m(p.name)} | ${fmtRange(p.weeks)} |`);
  lines.push(`| **Total** | **${fmtRange(pkg.timeline.total)}** |`, '', m(pkg.timeline.method), '');
  lines.push('| Scope | Team | Weeks | Cost |', '|---|---|---|---|');
  for (const c of pkg.costs)
    lines.push(
      `| ${c.label} | ${c.teamSize} | ${fmtRange(c.weeks)} | ${m(formatMoney(c.cost.min, { currency: c.currency }))}–${m(formatMoney(c.cost.max, { currency: c.currency }))} |`,
    );
  lines.push('');

  lines.push('## Findings', '');
  if (pkg.findings.length === 0) lines.push('No findings.');
  for (const f of pkg.findings) {
    const k = keyNumber(f);
    const reason = waived.get(f.id);
    lines.push(
      `- **${SEVERITY_LABELS[f.severity]}** · ${AREA_LABELS[f.area] ?? humanizeKey(f.area)} · ${m(f.title)}${k ? ` (${m(k)})` : ''}${reason !== undefined ? ` · waived: ${m(reason)}` : ''}`,
    );
  }
  if (pkg.deliverable.signOff.length) {
    lines.push('', '## Sign-off', '');
    for (const s of pkg.deliverable.signOff)
      lines.push(`- ${m(s.reviewer)}${s.role ? `, ${m(s.role)}` : ''}${s.date ? `, ${m(s.date)}` : ''}`);
  }
  return `${lines.join('\n')}\n`;
}

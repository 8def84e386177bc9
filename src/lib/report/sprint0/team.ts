import { timelineSpec } from '../../core/deliverable/charts';
import { TEAM_ROLE_LABELS } from '../../core/deliverable/defaults';
import type { Sprint0Package } from '../../core/audit/sprint0-package';
import { humanizeKey } from '../../core/deliverable/presentation';
import { formatDate, formatMoney, formatNumber } from '../../core/format';
import { orDash, table } from '../report-template';
import { ChartBudget, WIDE_CHART, e, range, section } from './common';

/** Chapter 5: team and gaps, timeline with its chart, cost bands and sign-off. */
export async function teamSection(pkg: Sprint0Package, charts: ChartBudget): Promise<string> {
  const d = pkg.deliverable;
  const team = table(
    ['Role', 'Who', 'Plan if a gap'],
    d.team.members.map((m) => [
      e(TEAM_ROLE_LABELS[m.role]),
      m.gap || m.who.trim() === '' ? '<span class="todo">Gap</span>' : e(m.who),
      orDash(m.plan),
    ]),
  );
  const t = pkg.timeline;
  // One source for every phase (the default) is said once under the table instead of in each row.
  const sources = [...new Set(t.phases.map((p) => p.source))];
  const oneSource = sources.length === 1;
  const timeline = table(
    [
      'Phase',
      'Planned',
      'Work plan',
      'Waived blockers',
      'Estimate (weeks)',
      ...(oneSource ? [] : ['Source']),
    ],
    [
      ...t.phases.map((p) => [
        e(p.name),
        e(range(p.base)),
        p.fromWorkPlan.max > 0 ? `+${e(range(p.fromWorkPlan))}` : '—',
        p.uplift.max > 0 ? `+${e(range(p.uplift))}` : '—',
        `<strong>${e(range(p.weeks))}</strong>`,
        ...(oneSource ? [] : [`<span class="small">${e(p.source)}</span>`]),
      ]),
      [
        '<strong>Total</strong>',
        '',
        '',
        '',
        `<strong>${e(range(t.total))}</strong>`,
        ...(oneSource ? [] : ['']),
      ],
    ],
    { numeric: [1, 2, 3, 4], keep: true },
  );
  const sourceNote = oneSource && sources[0] ? ` Planned phase lengths: ${sources[0]}.` : '';
  const chart = await charts.render(timelineSpec(t), 'Timeline of the phases in weeks', WIDE_CHART);
  const money = (n: number, currency: string): string => e(formatMoney(n, { currency }));
  const cost = table(
    ['Scope', 'Team size', 'Weeks', 'Cost band'],
    pkg.costs.map((c) => [
      e(c.label),
      e(formatNumber(c.teamSize)),
      e(range(c.weeks)),
      `${money(c.cost.min, c.currency)} – ${money(c.cost.max, c.currency)}`,
    ]),
    { numeric: [1, 2, 3], keep: true },
  );
  const signOff = table(
    ['Reviewed by', 'Role', 'Date', 'Notes'],
    d.signOff.map((s) => [
      e(s.reviewer),
      orDash(s.role),
      s.date ? e(formatDate(s.date, 'day')) : orDash(''),
      orDash(s.notes),
    ]),
    { empty: 'Not signed off yet.' },
  );
  return section(
    'team-timeline-cost',
    `<h3>Team</h3>${team}<p>Domain-expert review: <strong>${e(humanizeKey(d.team.domainReviewCadence))}</strong>.</p>
<h3>Timeline</h3>${timeline}<p class="small">${e(`${t.method}${sourceNote}`)}</p>${chart}
<h3>Cost bands</h3>${cost}<p class="muted small">Team size × ${money(d.cost.dailyRate, d.cost.currency)} per person-day × 5 days a week over each scope’s phases. The rate and team sizes are editable inputs (defaults: team assumption).</p>
<h3>Sign-off</h3>${signOff}`,
  );
}

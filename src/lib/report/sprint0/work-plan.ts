import type { AuditDocument, Finding } from '../../core/model/audit';
import { findingChart } from '../../core/deliverable/presentation';
import { EFFORT_DAYS } from '../../core/deliverable/defaults';
import type { Sprint0Package } from '../../core/audit/sprint0-package';
import { formatList, formatNumber, plural } from '../../core/format';
import { workItemsHtml } from '../report-template';
import { ChartBudget, ITEM_CHART, e, range, section, type Numbering } from './common';

/** Chapter 2: each open finding once, as the work item that fixes it, with a chart beside the severe ones. */
export async function workPlanSection(
  audit: AuditDocument,
  pkg: Sprint0Package,
  charts: ChartBudget,
  numbering: Numbering,
): Promise<string> {
  const plan = pkg.workPlan;
  const byId = new Map(pkg.findings.map((f) => [f.id, f]));
  const notes = new Map(audit.notes.map((n) => [n.findingId, n.text]));
  const open = plan.items.filter((i) => i.origin === 'finding');
  const manual = plan.items.filter((i) => i.origin === 'manual');
  const count = (s: Finding['severity']): number => open.filter((i) => i.severity === s).length;
  const intro = `<p>Each open finding appears once, as the work item that fixes it, most severe first: ${e(
    formatList([
      plural(count('blocker'), 'blocker'),
      plural(count('major'), 'major finding'),
      plural(count('minor'), 'minor finding'),
    ]),
  )}${manual.length ? `, and ${e(plural(manual.length, 'item'))} added by the consultant` : ''}. Total effort: <strong>${e(range(plan.effortDays))} person-days</strong>, about <strong>${e(range(plan.weeks))} weeks</strong> for the data engineers on the plan.</p>
<p class="muted small">Effort bands in person-days: ${e(
    Object.entries(EFFORT_DAYS)
      .map(([band, d]) => `${band} ${formatNumber(d.min)}–${formatNumber(d.max)}`)
      .join(', '),
  )} (team assumption). The consultant can edit each item’s fix, owner and effort.</p>`;

  // Charts are rendered first (asynchronously); the items themselves are laid out by the template.
  const chartOf = new Map<string, string>();
  for (const item of open) {
    const f = byId.get(item.id);
    if (!f || (f.severity !== 'blocker' && f.severity !== 'major')) continue;
    const chart = findingChart(f);
    const svg = chart ? await charts.render(chart.spec, chart.label, ITEM_CHART) : '';
    if (svg) chartOf.set(f.id, svg);
  }
  return section(
    'work-plan',
    `${intro}
${workItemsHtml({
  findings: pkg.findings,
  items: plan.items,
  waived: plan.waived,
  notes,
  chartOf,
  itemOf: numbering.itemOf,
  sqlRefOf: numbering.sqlRefOf,
})}`,
  );
}

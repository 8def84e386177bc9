import { ACCESS_LABELS, REFRESH_LABELS } from '../../core/deliverable/defaults';
import type { Sprint0Package } from '../../core/audit/sprint0-package';
import { humanizeKey } from '../../core/deliverable/presentation';
import { formatList, plural } from '../../core/format';
import { orDash, table } from '../report-template';
import { e, section, type Numbering } from './common';

/** Chapter 4: the data flow from source systems to serving, the sources and the pipeline steps. */
export function integrationSection(pkg: Sprint0Package, numbering: Numbering): string {
  const i = pkg.deliverable.integration;
  const sources = table(
    ['Source system', 'Owner', 'Access', 'Refresh', 'History', 'Legacy'],
    i.sources.map((s) => [
      e(s.name),
      orDash(s.owner),
      e(ACCESS_LABELS[s.access]),
      e(REFRESH_LABELS[s.refresh]),
      s.historyMonths === null ? '<span class="muted">unknown</span>' : e(plural(s.historyMonths, 'month')),
      s.legacy ? 'Yes' : 'No',
    ]),
  );
  const steps = table(
    ['Pipeline step', 'Status', 'Notes'],
    i.pipeline.map((p) => [
      e(p.name),
      p.status === 'exists'
        ? 'Exists'
        : p.status === 'to-build'
          ? '<strong>To build</strong>'
          : '<span class="muted">Unknown</span>',
      orDash(p.notes),
    ]),
  );
  const li = (items: string[]): string => `<ul>${items.map((x) => `<li>${x}</li>`).join('')}</ul>`;
  const flow = `<div class="flow" role="group" aria-label="Data flow from source systems to serving">
<div><strong>Source systems</strong>${li(i.sources.slice(0, 12).map((s) => `${e(s.name)} <span class="muted small">(${e(ACCESS_LABELS[s.access].toLowerCase())})</span>`))}</div>
<div class="arrow" aria-hidden="true">→</div>
<div><strong>Pipeline</strong>${li(i.pipeline.slice(0, 12).map((p) => `${e(p.name)}${p.status === 'to-build' ? ' <span class="todo small">to build</span>' : ''}`))}</div>
<div class="arrow" aria-hidden="true">→</div>
<div><strong>Serving</strong>${li([e(humanizeKey(i.serving.mode)), ...(i.serving.latency ? [`Latency: ${e(i.serving.latency)}`] : []), ...(i.serving.consumer ? [`Used by: ${e(i.serving.consumer)}`] : [])])}</div>
</div>`;
  const risks = pkg.findings
    .filter((f) => f.area === 'integration')
    .map((f) => numbering.itemOf.get(f.id))
    .filter((n): n is number => n !== undefined);
  return section(
    'integration',
    `${flow}
<p>Training window needed: ${i.trainingWindowMonths === null ? '<span class="muted">not decided</span>' : e(plural(i.trainingWindowMonths, 'month'))}.${risks.length ? ` Integration risks are work items ${e(formatList(risks.map((n) => `#${n}`)))} in section 2.` : ''}</p>
<h3>Source systems</h3><p class="muted small">Pre-filled from the values of the source column; owner, access, refresh and history as recorded with the client.</p>${sources}
<h3>Pipeline steps</h3>${steps}`,
  );
}

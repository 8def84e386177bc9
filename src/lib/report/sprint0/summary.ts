import type { AuditDocument } from '../../core/model/audit';
import { assessedDatasetText } from '../../core/audit/assessed';
import { AREA_LABELS } from '../../core/readiness/area-labels';
import { VERDICT_RULE } from '../../core/readiness/verdict';
import { CONSTRAINT_LABELS } from '../../core/deliverable/defaults';
import type { Sprint0Package } from '../../core/audit/sprint0-package';
import { humanizeKey } from '../../core/deliverable/presentation';
import { formatCount, formatDate } from '../../core/format';
import { isServerTable, sourceWords } from '../../core/model/dataset-source';
import { orDash, sevBadge, table } from '../report-template';
import { verdictParagraph } from '../verdict-html';
import { e, section, type Numbering } from './common';
import { bandWords } from './feasibility';

function feasibilityText(pkg: Sprint0Package, audit: AuditDocument): string {
  const v = pkg.verdict;
  if (!v) return 'Feasibility cannot be judged until the client’s data is loaded and checked.';
  const band = bandWords(audit.feasibility);
  return band ? `${band}. ${verdictFeasibility(v)}` : verdictFeasibility(v);
}

function verdictFeasibility(v: NonNullable<Sprint0Package['verdict']>): string {
  if (v.status === 'not-assessed')
    return 'Not assessed: no target is set, so the labels, leakage and class balance were not checked. Set the target and re-run the audit before judging feasibility.';
  if (v.status === 'not-ready')
    return 'Not feasible as the data stands: at least one blocker would make a model’s results unreliable or unusable. Feasible once the blockers are fixed or explicitly accepted.';
  if (v.status === 'conditional')
    return 'Feasible, on conditions: the open major findings must be handled in the data-engineering plan before results can be trusted.';
  return 'Feasible: no open blocker or major finding.';
}

/** Chapter 1: verdict and feasibility (band, baseline, learning curve, label noise), the biggest risks, next step, business context, constraints, data and its related tables. */
export function summarySection(
  audit: AuditDocument,
  pkg: Sprint0Package,
  numbering: Numbering,
  feasibility = '',
  relations = '',
): string {
  const v = pkg.verdict;
  const verdict = v
    ? `${verdictParagraph(v, audit.waivers.length)}
<p><strong>${e(feasibilityText(pkg, audit))}</strong></p><p class="muted small">${e(VERDICT_RULE)}</p>`
    : verdictParagraph(v, audit.waivers.length);
  const risks = pkg.topRisks.length
    ? `<ol>${pkg.topRisks
        .map((f) => {
          const n = numbering.itemOf.get(f.id);
          return `<li>${sevBadge(f.severity)}${e(f.title)}${n ? ` <span class="muted small">(work item #${n})</span>` : ''}</li>`;
        })
        .join('')}</ol>`
    : '<p>No open blocker or major finding.</p>';
  const c = audit.context;
  const context = `<dl class="facts">
<dt>Decision the model supports</dt><dd>${orDash(c.decision)}</dd>
<dt>Task</dt><dd>${e(TASK_WORDS[c.task] ?? humanizeKey(c.task))}</dd>
<dt>Target definition</dt><dd>${orDash(c.targetDefinition)}</dd>
<dt>Positive class</dt><dd>${orDash(c.positiveClass)}</dd>
<dt>Prediction point</dt><dd>${orDash(c.predictionPoint)}</dd>
<dt>Data as of</dt><dd>${e(formatDate(c.asOf, 'day'))}</dd>
<dt>Assessed dataset</dt><dd>${e(assessedDatasetText(audit))}</dd>
</dl>`;
  const constraints = pkg.deliverable.constraints.length
    ? `<ul>${pkg.deliverable.constraints.map((k) => `<li><b>${e(CONSTRAINT_LABELS[k.kind])}:</b> ${e(k.text)}</li>`).join('')}</ul>`
    : '<p class="muted">None recorded.</p>';
  const datasets = table(
    [audit.datasets.some(isServerTable) ? 'Source' : 'File', 'Format', 'Rows', 'Columns'],
    audit.datasets.map((d) => [
      e(sourceWords(d)),
      e(d.format.toUpperCase()),
      formatCount(d.rowCount),
      formatCount(d.columns.length),
    ]),
    { numeric: [2, 3] },
  );
  const byArea = pkg.verdict
    ? table(
        ['Area', 'Blockers', 'Majors', 'Minors', 'Info', 'Waived'],
        pkg.verdict.byArea
          .filter((a) => a.blocker + a.major + a.minor + a.info + a.waived > 0)
          .map((a) => [
            e(AREA_LABELS[a.area] ?? humanizeKey(a.area)),
            formatCount(a.blocker),
            formatCount(a.major),
            formatCount(a.minor),
            formatCount(a.info),
            formatCount(a.waived),
          ]),
        { numeric: [1, 2, 3, 4, 5], keep: true },
      )
    : '';
  const incomplete = pkg.sections.filter((s) => !s.complete);
  const status = incomplete.length
    ? `<h3>Still to complete in this package</h3><ul>${incomplete.map((s) => `<li><b>${e(s.title)}:</b> ${e(s.missing.join('; '))}</li>`).join('')}</ul>`
    : '<p class="muted small">Every section of this package is complete.</p>';
  return section(
    'summary',
    `<h3>Verdict</h3>${verdict}
${feasibility}
<h3>The biggest risks</h3>${risks}
<h3>Recommended next step</h3><p class="next">${e(pkg.nextStep)}</p>
<h3>Business context</h3>${context}
<h3>Constraints</h3>${constraints}
<h3>Data received</h3>${datasets}
${relations}
${byArea ? `<h3>Findings by area</h3>${byArea}` : ''}
${status}`,
  );
}

const TASK_WORDS: Record<string, string> = {
  binary: 'Binary classification',
  multiclass: 'Classification into several classes',
  regression: 'Regression (predicting a number)',
};

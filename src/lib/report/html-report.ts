import type { AuditDocument, RedactionMode } from '../core/model/audit';
import { neutraliseCell, redactForExport } from '../core/redact';
import { VERDICT_RULE } from '../core/readiness/verdict';
import { auditVerdict } from '../core/audit/edits';
import { assessedDatasetText } from '../core/audit/assessed';
import { buildWorkPlan } from '../core/deliverable/work-plan';
import { allFindings } from '../core/deliverable/findings';
import { sortBySeverity } from '../core/deliverable/presentation';
import { formatCount, formatDate, formatTimestamp, plural } from '../core/format';
import { isServerTable, sourceWords } from '../core/model/dataset-source';
import { chapter, escapeHtml, reportDocument, sqlAppendix, table, workItemsHtml } from './report-template';
import { verdictParagraph } from './verdict-html';

// One escaping function for every report (defined with the template): everything from data goes through it.
export { escapeHtml };

/**
 * Text for a table cell of the report: escaped, and neutralised so that a
 * table copied from the report into a spreadsheet runs no formula.
 */
function cell(text: string): string {
  return escapeHtml(neutraliseCell(text));
}

export interface HtmlReportOptions {
  /** How personal values are masked (`core/redact`); personal-data columns are masked by default. */
  redaction?: RedactionMode;
}

/**
 * The readiness-only report: the "data audit" chapter of the sprint-0
 * report's template (`report-template`), on its own. The verdict first, then
 * every finding as the work item that fixes it, blockers first (so a blocker
 * is on the first printed page), the project context and data, a closing
 * note, and the SQL of each finding in an appendix. Self-contained: no
 * script, no external resource, every value escaped (enum values too: an
 * imported file is not trusted to hold only known ones), table cells
 * neutralised for spreadsheets, personal values masked unless the caller
 * asks otherwise. It can be mailed or archived as is.
 */
export function auditHtmlReport(
  source: AuditDocument,
  generatedAt: string,
  options: HtmlReportOptions = {},
): string {
  const audit = redactForExport(source, options.redaction ?? 'personal');
  const e = escapeHtml;
  const notes = new Map(audit.notes.map((n) => [n.findingId, n.text]));
  // Recomputed by the documented rule: a verdict written in the document (or a file) is never shown as is.
  const verdict = auditVerdict(audit);
  // Every finding the verdict counts: the readiness checks' and those derived from the deliverable.
  const findings = sortBySeverity(allFindings(audit));
  // The default work items (fix, owner, effort): the readiness report has no deliverable to edit them.
  const plan = buildWorkPlan(findings, audit.waivers);
  const itemOf = new Map(plan.items.map((item, i) => [item.id, i + 1]));
  const sqlRefOf = new Map<string, string>();
  const appendix = sqlAppendix({
    title: 'Appendix. SQL that reproduces each finding',
    prefix: 'A',
    findings,
    datasets: audit.datasets,
    itemOf,
    sqlRefOf,
  });
  const c = audit.context;
  const asOf = formatDate(c.asOf, 'day');
  const generated = formatTimestamp(generatedAt);
  const verdictHtml = verdictParagraph(verdict, audit.waivers.length);
  const datasets = table(
    [audit.datasets.some(isServerTable) ? 'Source' : 'File', 'Format', 'Rows', 'Columns', 'Profile alerts'],
    audit.datasets.map((d) => {
      const profile = audit.profiles[d.id];
      return [
        cell(sourceWords(d)),
        e(String(d.format).toUpperCase()),
        e(formatCount(Number(d.rowCount))),
        e(formatCount(d.columns.length)),
        profile ? e(formatCount(profile.alerts.length)) : '—',
      ];
    }),
    { numeric: [2, 3, 4] },
  );
  const context = table(
    ['Question', 'Answer'],
    [
      ['Decision', cell(c.decision || '—')],
      ['Task', cell(c.task)],
      ['Target definition', cell(c.targetDefinition || '—')],
      ['Positive class', cell(c.positiveClass || '—')],
      ['Prediction point', cell(c.predictionPoint || '—')],
      ['Data as of', e(asOf)],
    ],
    { keep: true },
  );
  const open = plan.items.length;
  const body = [
    chapter(
      'verdict',
      '1. Verdict',
      `${verdictHtml}<p>Assessed dataset: ${e(assessedDatasetText(audit))}</p>${redactionNote(audit)}<p class="muted small">${e(VERDICT_RULE)}</p>`,
    ),
    chapter(
      'data-audit',
      '2. Data audit',
      `<p>${e(
        open
          ? `Each open finding appears once, as the work item that fixes it, most severe first: ${plural(open, 'work item')}. Fix, owner and effort are the defaults for each kind of finding (team assumption).`
          : 'No open finding needs work.',
      )}</p>${workItemsHtml({ findings, items: plan.items, waived: plan.waived, notes, chartOf: new Map(), itemOf, sqlRefOf })}`,
    ),
    chapter('context', '3. Project context and data', `${context}${datasets}`),
  ].join('\n');
  return reportDocument({
    title: `${audit.name} — Sprint Zero audit`,
    subtitle: `Sprint Zero readiness audit · data as of ${asOf} · generated ${generated}`,
    runningHead: `${audit.name} · Sprint Zero audit`,
    runningDate: `As of ${asOf}`,
    body,
    closing: `<p><b>End of the audit report.</b> ${e(`${plural(findings.length, 'finding')}, ${plural(open, 'work item')}.`)} The appendix lists the SQL that reproduces each finding.</p>`,
    appendix,
  });
}

/** One line saying how personal values were treated, so a reader knows what the report holds. */
function redactionNote(audit: AuditDocument): string {
  const r = audit.redaction;
  if (!r) return '';
  const text =
    r.mode === 'none'
      ? 'Personal values are included in this report, by the author’s choice.'
      : r.mode === 'strict'
        ? `Every example and top value is masked (${plural(r.maskedColumns, 'personal-data column')}, ${plural(r.maskedValues, 'value')} masked); only aggregates remain.`
        : `Values of ${plural(r.maskedColumns, 'personal-data column')} are masked (${plural(r.maskedValues, 'value')}); counts and shapes remain.`;
  return `<p class="muted">${escapeHtml(text)}</p>`;
}

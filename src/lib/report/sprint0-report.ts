import type { AuditDocument, RedactionMode } from '../core/model/audit';
import { redactForExport } from '../core/redact';
import { sprint0Package, type Sprint0Package } from '../core/audit/sprint0-package';
import { formatDate, formatTimestamp, plural } from '../core/format';
import { escapeHtml, reportDocument } from './report-template';
import { profilesSection, sqlChapter } from './sprint0/appendix';
import { ChartBudget, e, type Numbering } from './sprint0/common';
import { feasibilityPart } from './sprint0/feasibility';
import { integrationSection } from './sprint0/integration';
import { metricPlanSection } from './sprint0/metric-plan';
import { relationsAppendix, relationsPart } from './sprint0/relations';
import { summarySection } from './sprint0/summary';
import { teamSection } from './sprint0/team';
import { workPlanSection } from './sprint0/work-plan';

/**
 * The sprint-0 report: one self-contained HTML file a consultant hands to a
 * client (template: `report-template`). The body: the summary (verdict, then
 * feasibility: band, baseline, learning curve, label noise), each finding
 * once as the work item that fixes it, the metric plan as the app shows it,
 * the integration sketch, team, timeline and cost, and a closing note; then
 * the appendix: dataset profiles and the SQL of each finding, pretty-printed
 * and naming the client's files. No script, no external resource, no event
 * handler; every value from the data or the consultant is escaped; charts
 * are inline SVG from Vega's own renderer.
 *
 * Personal values are masked (`core/redact`, personal-data columns by
 * default) before anything is rendered, as in every export; the report reads
 * aggregates only, never rows.
 */

export interface Sprint0ReportOptions {
  /** When the report was generated (ISO date or timestamp), shown in the header. */
  generatedAt: string;
  /** Render charts (default true); off gives a smaller, text-only file. */
  charts?: boolean;
  /** At most this many charts in the whole report, so any dataset gives a bounded file (default 60). */
  maxCharts?: number;
  /** How personal values are masked (default `personal`: the personal-data columns), as for every export. */
  redaction?: RedactionMode;
  /**
   * Printed pages of the body and of the appendix on A4, when the exporter has
   * measured them (a print of this same report); the closing note states them.
   */
  pages?: { body: number; appendix: number };
}

// One escaping function for every report: everything from data or people goes through it.
export { escapeHtml };
export { cssString } from './report-template';

/** Work-item numbers: open findings in plan order (most severe first), then the consultant's items. */
function numberItems(pkg: Sprint0Package): Numbering {
  const itemOf = new Map<string, number>();
  pkg.workPlan.items.forEach((item, i) => itemOf.set(item.id, i + 1));
  return { itemOf, sqlRefOf: new Map() };
}

/** The closing note's sentence on the printed length: the measured pages, or where to find them. */
function pageCountText(pages: Sprint0ReportOptions['pages']): string {
  return pages
    ? `Printed on A4, this report is ${plural(pages.body, 'page')} of body and ${plural(pages.appendix, 'page')} of appendix (${plural(pages.body + pages.appendix, 'page')} in all).`
    : 'Printed, each page carries its number and the total at its foot.';
}

function closingNote(audit: AuditDocument, options: Sprint0ReportOptions): string {
  const redaction = audit.redaction;
  const masked =
    redaction?.mode === 'none'
      ? 'Personal values are included, by the author’s choice.'
      : redaction?.mode === 'strict'
        ? 'Every example and top value is masked; only aggregates remain.'
        : 'Values of personal-data columns are masked; counts and shapes remain.';
  return `<p><b>End of the report.</b> <span id="page-count">${e(pageCountText(options.pages))}</span> The appendix holds the dataset profiles and the SQL of each finding.</p>
<p class="muted small">Generated ${e(formatTimestamp(options.generatedAt))} by Sprint Zero from the audit “${e(audit.name)}”. ${e(masked)}</p>`;
}

/**
 * The report with its closing note stating the printed pages, once the
 * exporter has measured them on the report itself (the sentence is the same
 * length either way, so stating it moves no page).
 */
export function withPrintedPages(html: string, pages: { body: number; appendix: number }): string {
  return html.replace(
    /<span id="page-count">[^<]*<\/span>/,
    `<span id="page-count">${e(pageCountText(pages))}</span>`,
  );
}

/**
 * The sprint-0 report of an audit as one HTML string. The verdict is
 * recomputed from the findings (readiness, plan, integration, team) and the
 * waivers; a verdict stored in the document is never shown as is.
 */
export async function sprint0HtmlReport(
  source: AuditDocument,
  options: Sprint0ReportOptions,
): Promise<string> {
  const audit = redactForExport(source, options.redaction ?? 'personal');
  const pkg = sprint0Package(audit);
  const charts = new ChartBudget(options.maxCharts ?? 60, options.charts ?? true);
  const numbering = numberItems(pkg);
  // The SQL listings first: the work items refer to them.
  const sql = sqlChapter(audit, pkg, numbering);
  const body = [
    summarySection(audit, pkg, numbering, await feasibilityPart(audit, charts), relationsPart(audit)),
    await workPlanSection(audit, pkg, charts, numbering),
    await metricPlanSection(audit, charts),
    integrationSection(pkg, numbering),
    await teamSection(pkg, charts),
  ].join('\n');
  const appendix = `${await profilesSection(audit, charts)}\n${sql}\n${relationsAppendix(audit)}`;
  const asOf = formatDate(audit.context.asOf, 'day');
  const generated = formatDate(options.generatedAt, 'day');
  return reportDocument({
    title: `${audit.name} — Sprint 0 report`,
    subtitle: `Sprint 0 report · data as of ${asOf} · generated ${generated} by Sprint Zero`,
    runningHead: `${audit.name} · Sprint 0 report`,
    runningDate: `As of ${asOf} · ${generated}`,
    body,
    closing: closingNote(audit, options),
    appendix,
    allowDataImages: true,
  });
}

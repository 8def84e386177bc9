import type { TopLevelSpec } from 'vega-lite';
import { escapeHtml } from './html-report';
import type {
  AuditDocument,
  ColumnProfile,
  DatasetProfile,
  Finding,
  RedactionMode,
} from '../core/audit/schema';
import { maskPatterns, redactForExport } from '../core/redact';
import { findingChart } from '../core/charts/finding-charts';
import { histogramSpec, topKSpec } from '../core/charts/profile-charts';
import { AREA_LABELS } from '../core/readiness/area-labels';
import { VERDICT_LABELS, VERDICT_RULE } from '../core/readiness/verdict';
import { timelineSpec } from '../core/deliverable/charts';
import {
  ACCESS_LABELS,
  CONSTRAINT_LABELS,
  EFFORT_DAYS,
  FIX_LABELS,
  OWNER_ROLE_LABELS,
  REFRESH_LABELS,
  TEAM_ROLE_LABELS,
} from '../core/deliverable/defaults';
import {
  SECTION_TITLES,
  sprint0Package,
  type SectionId,
  type Sprint0Package,
} from '../core/deliverable/package';
import {
  SEVERITY_LABELS,
  evidenceRows,
  findingMeaning,
  formatCount,
  formatNumber,
  formatShare,
  humanizeKey,
  keyNumber,
} from '../core/deliverable/presentation';
import { fmtRange } from '../core/deliverable/timeline';
import { chartSvg } from './svg-charts';
import type { DriftState } from '../core/drift/schema';

/**
 * The sprint-0 report: one self-contained HTML file a consultant hands to a
 * client. No script, no external resource, no event handler; every value
 * from the data or the consultant is escaped; charts are inline SVG from
 * Vega's own renderer. It prints to A4 or Letter with a page break before
 * each section, rows and findings kept whole, and a running header with the
 * audit's name and date (CSS page-margin boxes).
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
}

// One escaping function for every report: everything from data or people goes through it.
export { escapeHtml };
const e = escapeHtml;

/** Text as a CSS string literal: every character but letters, digits and spaces as a CSS escape. */
export function cssString(text: string): string {
  const escaped = [...text]
    .map((ch) => (/[A-Za-z0-9 ]/.test(ch) ? ch : `\\${ch.codePointAt(0)!.toString(16)} `))
    .join('');
  return `"${escaped}"`;
}

/** Profile columns charted per dataset at most (the rest are in the table). */
const MAX_PROFILE_CHARTS_PER_DATASET = 16;

class ChartBudget {
  #left: number;
  constructor(
    max: number,
    readonly enabled: boolean,
  ) {
    this.#left = max;
  }
  async render(spec: TopLevelSpec | null, label: string): Promise<string> {
    if (!this.enabled || !spec || this.#left <= 0) return '';
    this.#left--;
    const svg = await chartSvg(spec, label);
    return svg ? `<figure class="chart">${svg}</figure>` : '';
  }
}

const STYLE = `
:root{color-scheme:light}
body{font-family:system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;max-width:60rem;margin:2rem auto;padding:0 1rem;color:#1b1f24;line-height:1.45;font-size:11pt}
h1{font-size:1.7rem;margin:0 0 .2rem}h2{font-size:1.3rem;border-bottom:2px solid #1b1f24;padding-bottom:.2rem;margin-top:2rem}h3{font-size:1.05rem;margin:1.2rem 0 .4rem}
table{border-collapse:collapse;margin:.5rem 0;width:100%}td,th{border-bottom:1px solid #d5dbe3;padding:.2rem .5rem;text-align:left;vertical-align:top}
thead th{border-bottom:2px solid #8a94a3}.n{text-align:right;white-space:nowrap}
.verdict{display:inline-block;padding:.2rem .8rem;border-radius:999px;color:#fff;font-weight:700}
.v-not-ready{background:#b42318}.v-conditional{background:#b54708}.v-ready{background:#067647}.v-not-assessed{background:#5b6470}
.sev{display:inline-block;min-width:4.2rem;font-size:.72rem;font-weight:700;text-transform:uppercase;padding:.05rem .35rem;border-radius:3px;color:#fff;text-align:center}
.s-blocker{background:#b42318}.s-major{background:#b54708}.s-minor{background:#5b6470}.s-info{background:#8a94a3}
.finding{border-left:4px solid #d5dbe3;padding:.3rem .8rem;margin:.8rem 0}.finding.f-blocker{border-color:#b42318}.finding.f-major{border-color:#b54708}
.finding p{margin:.3rem 0}.meaning{font-style:italic}.waived{opacity:.7}.muted{color:#5b6470}.small{font-size:.85rem}
.risk{margin:.4rem 0}.next{background:#f0f5fb;border-left:4px solid #1f5fa8;padding:.5rem .8rem}
.flow{display:flex;gap:.5rem;align-items:stretch;flex-wrap:wrap;margin:.6rem 0}.flow>div{border:1px solid #8a94a3;border-radius:6px;padding:.4rem .6rem;flex:1 1 12rem}.flow>.arrow{border:none;flex:0 0 auto;align-self:center;font-size:1.4rem}
.flow ul{margin:.2rem 0;padding-left:1.1rem}
pre{background:#f5f7fa;padding:.5rem;white-space:pre-wrap;word-break:break-word;font-size:.75rem}
figure.chart{margin:.5rem 0}figure.chart svg{max-width:100%;height:auto}
.placeholder{border:1px dashed #8a94a3;padding:.6rem .8rem;color:#5b6470}
.ok{color:#067647;font-weight:600}.todo{color:#b54708;font-weight:600}
.runhead{display:none}
@media print{
  body{max-width:none;margin:0;padding:0;font-size:10pt}
  section.sec{break-before:page}
  section.sec:first-of-type{break-before:auto}
  h2,h3{break-after:avoid}
  tr,figure,.finding,.risk,.flow{break-inside:avoid}
  thead{display:table-header-group}
  details>summary{list-style:none}
  a{color:inherit;text-decoration:none}
}
`;

function pageCss(title: string, date: string): string {
  // Page-margin boxes repeat the audit's name and date on every printed page.
  return `@page{size:A4;margin:18mm 14mm 16mm 14mm;
@top-left{content:${cssString(title)};font:9pt system-ui,sans-serif;color:#5b6470}
@top-right{content:${cssString(date)};font:9pt system-ui,sans-serif;color:#5b6470}
@bottom-right{content:counter(page) " / " counter(pages);font:9pt system-ui,sans-serif;color:#5b6470}}`;
}

function section(id: SectionId, body: string): string {
  return `<section class="sec" id="s-${id}"><h2>${e(SECTION_TITLES[id])}</h2>\n${body}\n</section>`;
}

function sev(severity: Finding['severity']): string {
  return `<span class="sev s-${severity}">${e(SEVERITY_LABELS[severity])}</span>`;
}

function table(head: string[], rows: string[][], numeric: readonly number[] = []): string {
  if (rows.length === 0) return '<p class="muted">None.</p>';
  const cls = (i: number): string => (numeric.includes(i) ? ' class="n"' : '');
  return `<table><thead><tr>${head.map((h, i) => `<th${cls(i)}>${e(h)}</th>`).join('')}</tr></thead><tbody>${rows
    .map((r) => `<tr>${r.map((c, i) => `<td${cls(i)}>${c}</td>`).join('')}</tr>`)
    .join('')}</tbody></table>`;
}

function orDash(text: string): string {
  return text.trim() === '' ? '<span class="muted">—</span>' : e(text);
}

function money(n: number, currency: string): string {
  return `${e(currency)} ${Math.round(n).toLocaleString('en-US')}`;
}

// ---- 1. Executive summary -------------------------------------------------------------------------

function summarySection(audit: AuditDocument, pkg: Sprint0Package): string {
  const v = pkg.verdict;
  const waived = audit.waivers.length;
  const verdict = v
    ? `<p><span class="verdict v-${e(v.status)}">${e(VERDICT_LABELS[v.status])}</span> ${formatCount(v.openBlockers.length)} open blocker${v.openBlockers.length === 1 ? '' : 's'}, ${formatCount(v.openMajors.length)} open major finding${v.openMajors.length === 1 ? '' : 's'}, ${formatCount(waived)} waived.</p><p class="muted small">${e(VERDICT_RULE)}</p>`
    : '<p>No verdict yet: the readiness checks have not run.</p>';
  const risks = pkg.topRisks.length
    ? `<ol>${pkg.topRisks
        .map(
          (f) =>
            `<li class="risk">${sev(f.severity)} <strong>${e(f.title)}</strong><br><span class="meaning">${e(findingMeaning(f))}</span><br>${e(f.recommendation)}</li>`,
        )
        .join('')}</ol>`
    : '<p>No open blocker or major finding.</p>';
  const status = table(
    ['Section', 'Status'],
    pkg.sections.map((s) => [
      e(s.title),
      s.complete
        ? '<span class="ok">Complete</span>'
        : `<span class="todo">To complete:</span> ${e(s.missing.join('; '))}`,
    ]),
  );
  return section(
    'summary',
    `<h3>Verdict</h3>${verdict}
<h3>The three biggest risks</h3>${risks}
<h3>Recommended next step</h3><p class="next">${e(pkg.nextStep)}</p>
<h3>Completeness of this package</h3>${status}`,
  );
}

// ---- 2. Feasibility ------------------------------------------------------------------------------

function feasibilitySection(audit: AuditDocument, pkg: Sprint0Package): string {
  const c = audit.context;
  const context = table(
    ['Question', 'Answer'],
    [
      ['Decision the model supports', orDash(c.decision)],
      ['Task', e(humanizeKey(c.task))],
      ['Target definition', orDash(c.targetDefinition)],
      ['Positive class', orDash(c.positiveClass)],
      ['Prediction point', orDash(c.predictionPoint)],
      ['As-of date', e(c.asOf)],
    ],
  );
  const constraints = table(
    ['Constraint', 'Detail'],
    pkg.deliverable.constraints.map((k) => [e(CONSTRAINT_LABELS[k.kind]), e(k.text)]),
  );
  const byArea = pkg.verdict
    ? table(
        ['Area', 'Blockers', 'Majors', 'Minors', 'Info', 'Waived'],
        pkg.verdict.byArea
          .filter((a) => a.blocker + a.major + a.minor + a.info + a.waived > 0)
          .map((a) => [
            e(AREA_LABELS[a.area] ?? humanizeKey(a.area)),
            String(a.blocker),
            String(a.major),
            String(a.minor),
            String(a.info),
            String(a.waived),
          ]),
        [1, 2, 3, 4, 5],
      )
    : '<p class="muted">The readiness checks have not run.</p>';
  const datasets = table(
    ['File', 'Format', 'Rows', 'Columns'],
    audit.datasets.map((d) => [
      e(d.fileName),
      e(d.format.toUpperCase()),
      formatCount(d.rowCount),
      formatCount(d.columns.length),
    ]),
    [2, 3],
  );
  const assessment = !pkg.verdict
    ? 'Feasibility cannot be judged until the client’s data is loaded and checked.'
    : pkg.verdict.status === 'not-assessed'
      ? 'Not assessed: no target is set, so the labels, leakage and class balance were not checked. Set the target and re-run the audit before judging feasibility.'
      : pkg.verdict.status === 'not-ready'
        ? 'Not feasible as the data stands: at least one blocker would make a model’s results unreliable or unusable. Feasible once the blockers are fixed or explicitly accepted.'
        : pkg.verdict.status === 'conditional'
          ? 'Feasible, on conditions: the open major findings must be handled in the data-engineering plan before results can be trusted.'
          : 'Feasible: no open blocker or major finding.';
  return section(
    'feasibility',
    `<p><strong>${e(assessment)}</strong></p>
<h3>Business context</h3>${context}
<h3>Constraints</h3>${constraints}
<h3>Findings by area</h3>${byArea}
<h3>Data received</h3>${datasets}`,
  );
}

// ---- 3. Data-engineering plan --------------------------------------------------------------------

function workPlanSection(pkg: Sprint0Package): string {
  const plan = pkg.workPlan;
  const items = table(
    ['Severity', 'Work item', 'Fix', 'Owner', 'Effort'],
    plan.items.map((i) => [
      i.severity ? sev(i.severity) : '<span class="muted">added</span>',
      `<strong>${e(i.title)}</strong>${i.notes ? `<br><span class="small">${e(i.notes)}</span>` : ''}`,
      e(FIX_LABELS[i.fix]),
      e(OWNER_ROLE_LABELS[i.ownerRole]),
      `${e(i.effort)} <span class="muted small">(${EFFORT_DAYS[i.effort].min}–${EFFORT_DAYS[i.effort].max} d)</span>${i.edited ? ' <span class="muted small">edited</span>' : ''}`,
    ]),
  );
  const waived = table(
    ['Severity', 'Finding', 'Accepted because'],
    plan.waived.map((w) => [sev(w.severity), e(w.title), e(w.reason)]),
  );
  const bands = Object.entries(EFFORT_DAYS)
    .map(([band, d]) => `${band} ${d.min}–${d.max}`)
    .join(', ');
  return section(
    'work-plan',
    `<p>One work item per open finding (information-only findings need none), most severe first. Total effort: <strong>${e(fmtRange(plan.effortDays))} person-days</strong>, about <strong>${e(fmtRange(roundHalf(plan.weeks)))} weeks</strong> for the data engineers on the plan.</p>
${items}
<p class="muted small">Effort bands in person-days: ${e(bands)} (team assumption). The consultant can edit each item's fix, owner and effort, and add items.</p>
<h3>Findings accepted instead of fixed</h3>${waived}`,
  );
}

function roundHalf(r: { min: number; max: number }): { min: number; max: number } {
  return { min: Math.round(r.min * 2) / 2, max: Math.round(r.max * 2) / 2 };
}

// ---- 4. Integration sketch -----------------------------------------------------------------------

function integrationSection(pkg: Sprint0Package, findings: readonly Finding[]): string {
  const i = pkg.deliverable.integration;
  const sources = table(
    ['Source system', 'Owner', 'Access', 'Refresh', 'History', 'Legacy'],
    i.sources.map((s) => [
      e(s.name),
      orDash(s.owner),
      e(ACCESS_LABELS[s.access]),
      e(REFRESH_LABELS[s.refresh]),
      s.historyMonths === null
        ? '<span class="muted">unknown</span>'
        : `${formatCount(s.historyMonths)} months`,
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
  const flow = `<div class="flow" aria-label="Data flow from source systems to serving">
<div><strong>Source systems</strong>${li(i.sources.slice(0, 12).map((s) => `${e(s.name)} <span class="muted small">(${e(ACCESS_LABELS[s.access].toLowerCase())})</span>`))}</div>
<div class="arrow" aria-hidden="true">→</div>
<div><strong>Pipeline</strong>${li(i.pipeline.slice(0, 12).map((p) => `${e(p.name)}${p.status === 'to-build' ? ' <span class="todo small">to build</span>' : ''}`))}</div>
<div class="arrow" aria-hidden="true">→</div>
<div><strong>Serving</strong>${li([e(humanizeKey(i.serving.mode)), ...(i.serving.latency ? [`Latency: ${e(i.serving.latency)}`] : []), ...(i.serving.consumer ? [`Used by: ${e(i.serving.consumer)}`] : [])])}</div>
</div>`;
  const risks = findings.filter((f) => f.area === 'integration');
  return section(
    'integration',
    `${flow}
<h3>Source systems</h3><p class="muted small">Pre-filled from the values of the source column; owner, access, refresh and history as recorded with the client.</p>${sources}
<p>Training window needed: ${i.trainingWindowMonths === null ? '<span class="muted">not decided</span>' : `${formatCount(i.trainingWindowMonths)} months`}.</p>
<h3>Pipeline steps</h3>${steps}
<h3>Integration risks</h3>${risks.length ? `<ul>${risks.map((f) => `<li>${sev(f.severity)} ${e(f.title)}</li>`).join('')}</ul>` : '<p class="muted">None recorded.</p>'}`,
  );
}

// ---- 5. Metric plan ------------------------------------------------------------------------------

/** Scalars of a plain object as label/value rows, depth-limited and bounded (the plan's own renderer can replace this). */
function scalarRows(value: unknown, prefix = '', depth = 0, out: string[][] = []): string[][] {
  if (out.length >= 40 || depth > 2 || value === null || typeof value !== 'object') return out;
  for (const [key, v] of Object.entries(value as Record<string, unknown>)) {
    if (key === 'sql' || key === 'ruleSearch' || key === 'format' || key === 'version') continue;
    const label = prefix ? `${prefix} › ${humanizeKey(key)}` : humanizeKey(key);
    if (typeof v === 'number')
      out.push([
        e(label),
        e(/share|prevalence|accuracy/i.test(key) && v <= 1 ? formatShare(v) : formatNumber(v)),
      ]);
    else if (typeof v === 'string' && v !== '') out.push([e(label), e(v.slice(0, 500))]);
    else if (typeof v === 'boolean') out.push([e(label), v ? 'Yes' : 'No']);
    else if (Array.isArray(v) && v.every((x) => typeof x === 'string') && v.length > 0)
      out.push([e(label), e(v.slice(0, 12).join(', '))]);
    else if (v && typeof v === 'object' && !Array.isArray(v)) scalarRows(v, label, depth + 1, out);
    if (out.length >= 40) break;
  }
  return out;
}

function metricPlanSection(audit: AuditDocument): string {
  const state = (audit as { plan?: { plan?: unknown; results?: unknown } }).plan;
  const drift = driftPart(audit);
  if (!state?.plan)
    return section(
      'metric-plan',
      `<p class="placeholder">No metric plan yet. Define the success metric, the decision costs, the validation design and the targets in the app’s metric plan, and this section will show them with the baseline computed from the data.</p>${drift}`,
    );
  const planRows = scalarRows(state.plan);
  const resultRows = scalarRows(state.results);
  return section(
    'metric-plan',
    `<h3>Plan</h3>${table(['Item', 'Value'], planRows)}${resultRows.length ? `<h3>Baseline from the data</h3>${table(['Measure', 'Value'], resultRows)}` : ''}${drift}`,
  );
}

/** Drift and monitoring (core/drift), when computed: names, statuses and statistics only, never category values. */
function driftPart(audit: AuditDocument): string {
  const state = (audit as { drift?: DriftState }).drift;
  const report = state?.report;
  if (!report && !state?.history && !state?.contract)
    return '<h3>Drift and monitoring</h3><p class="muted">No drift comparison yet: compare a reference period with the current data in the app’s drift view to add it here.</p>';
  const parts: string[] = ['<h3>Drift and monitoring</h3>'];
  if (report) {
    const ds = report.dataset;
    parts.push(
      `<p>${formatCount(ds.drifted)} of ${formatCount(ds.compared)} compared columns drifted (${e(formatShare(ds.share))}; the dataset counts as drifted from ${e(formatShare(ds.threshold))}): <strong>${ds.drift ? 'dataset drift' : 'no dataset drift'}</strong>.</p>`,
    );
    const drifted = report.columns.filter((c) => c.status === 'drift').slice(0, 15);
    if (drifted.length)
      parts.push(
        table(
          ['Column', 'Status', 'Statistic', 'Rule'],
          drifted.map((c) => [
            e(c.column),
            e(humanizeKey(c.status)),
            c.statistic === null ? '—' : e(formatNumber(c.statistic)),
            `<span class="small">${e(c.rule)}</span>`,
          ]),
          [2],
        ),
      );
    if (report.label)
      parts.push(`<p>Label “${e(report.label.column)}”: ${e(humanizeKey(report.label.status))}.</p>`);
  }
  if (state?.history) {
    const unstable = state.history.columns.filter((c) => c.major > 0 || c.moderate > 0).slice(0, 15);
    parts.push(
      `<p>Drift inside the history (monthly PSI on “${e(state.history.timeColumn)}”): ${unstable.length ? `${formatCount(unstable.length)} column(s) move.` : 'no column moves.'}</p>`,
    );
    if (unstable.length)
      parts.push(
        table(
          ['Column', 'Months moderate', 'Months major', 'Worst month'],
          unstable.map((c) => [
            e(c.column),
            formatCount(c.moderate),
            formatCount(c.major),
            orDash(c.worstMonth ?? ''),
          ]),
          [1, 2],
        ),
      );
  }
  if (state?.contract)
    parts.push(
      `<p>Monitoring contract: ${formatCount(state.contract.columns.length)} column(s) monitored${state.contract.label ? ', and the label' : ''}, against ${e(state.contract.reference)}.</p>`,
    );
  return parts.join('');
}

// ---- 6. Team, timeline, cost ---------------------------------------------------------------------

async function teamSection(pkg: Sprint0Package, charts: ChartBudget): Promise<string> {
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
  const timeline = table(
    ['Phase', 'Planned', 'Work plan', 'Waived blockers', 'Estimate (weeks)', 'Source'],
    [
      ...t.phases.map((p) => [
        e(p.name),
        e(fmtRange(p.base)),
        p.fromWorkPlan.max > 0 ? `+${e(fmtRange(p.fromWorkPlan))}` : '—',
        p.uplift.max > 0 ? `+${e(fmtRange(p.uplift))}` : '—',
        `<strong>${e(fmtRange(p.weeks))}</strong>`,
        `<span class="small">${e(p.source)}</span>`,
      ]),
      ['<strong>Total</strong>', '', '', '', `<strong>${e(fmtRange(t.total))}</strong>`, ''],
    ],
    [1, 2, 3, 4],
  );
  const chart = await charts.render(timelineSpec(t), 'Timeline of the phases in weeks');
  const cost = table(
    ['Scope', 'Team size', 'Weeks', 'Cost band'],
    pkg.costs.map((c) => [
      e(c.label),
      formatNumber(c.teamSize),
      e(fmtRange(c.weeks)),
      `${money(c.cost.min, c.currency)} – ${money(c.cost.max, c.currency)}`,
    ]),
    [1, 2, 3],
  );
  const signOff = table(
    ['Reviewed by', 'Role', 'Date', 'Notes'],
    d.signOff.map((s) => [e(s.reviewer), orDash(s.role), orDash(s.date), orDash(s.notes)]),
  );
  return section(
    'team-timeline-cost',
    `<h3>Team</h3>${team}<p>Domain-expert review: <strong>${e(humanizeKey(d.team.domainReviewCadence))}</strong>.</p>
<h3>Timeline</h3>${timeline}<p class="small">${e(t.method)}</p>${chart}
<h3>Cost bands</h3>${cost}<p class="muted small">Team size × ${money(d.cost.dailyRate, d.cost.currency)} per person-day × 5 days a week over each scope's phases. The rate and team sizes are editable inputs (defaults: team assumption).</p>
<h3>Sign-off</h3>${signOff}`,
  );
}

// ---- 7. Findings by area -------------------------------------------------------------------------

const RANK = { blocker: 0, major: 1, minor: 2, info: 3 } as const;

async function findingsSection(
  audit: AuditDocument,
  pkg: Sprint0Package,
  charts: ChartBudget,
): Promise<string> {
  const waived = new Map(audit.waivers.map((w) => [w.findingId, w.reason]));
  const notes = new Map(audit.notes.map((n) => [n.findingId, n.text]));
  // Areas in the order of their most severe finding, so blockers and majors come first.
  const areas = [...new Set(pkg.findings.map((f) => f.area))].sort(
    (a, b) =>
      Math.min(...pkg.findings.filter((f) => f.area === a).map((f) => RANK[f.severity])) -
      Math.min(...pkg.findings.filter((f) => f.area === b).map((f) => RANK[f.severity])),
  );
  const parts: string[] = [];
  for (const area of areas) {
    const inArea = pkg.findings.filter((f) => f.area === area);
    const detailed = inArea.filter((f) => f.severity !== 'info');
    const info = inArea.filter((f) => f.severity === 'info');
    const cards: string[] = [];
    for (const f of detailed) {
      const chart = findingChart(f);
      const svg = chart ? await charts.render(chart.spec, chart.label) : '';
      const reason = waived.get(f.id);
      const note = notes.get(f.id);
      // A quoted row is not an aggregate; anything e-mail- or card-like left in a value is masked as a second defence.
      const evidence = evidenceRows(f, { aggregatesOnly: true }).map((r) => ({
        ...r,
        value: maskPatterns(r.value).text,
      }));
      cards.push(`<div class="finding f-${e(f.severity)}${reason !== undefined ? ' waived' : ''}">
<p>${sev(f.severity)} <strong>${e(f.title)}</strong>${f.columns.length ? ` <span class="muted small">(${f.columns.map(e).join(', ')})</span>` : ''}</p>
<p class="meaning">${e(findingMeaning(f))}</p>
${reason !== undefined ? `<p><strong>Waived:</strong> ${e(reason)}</p>` : ''}
<p><strong>What to do:</strong> ${e(f.recommendation)}</p>
${evidence.length ? `<table class="small"><tbody>${evidence.map((r) => `<tr><th>${e(r.label)}</th><td>${e(r.value)}</td></tr>`).join('')}</tbody></table>` : ''}
${svg}
${note ? `<p><strong>Note:</strong> ${e(note)}</p>` : ''}
${f.sql ? `<details><summary class="small">SQL that reproduces it</summary><pre>${e(f.sql)}</pre></details>` : ''}
</div>`);
    }
    const infoList = info.length
      ? `<p class="small"><strong>For information:</strong></p><ul class="small">${info
          .map((f) => {
            const k = keyNumber(f);
            return `<li>${e(f.title)}${k ? ` <span class="muted">(${e(k)})</span>` : ''}</li>`;
          })
          .join('')}</ul>`
      : '';
    parts.push(`<h3>${e(AREA_LABELS[area] ?? humanizeKey(area))}</h3>${cards.join('')}${infoList}`);
  }
  return section('findings', parts.length ? parts.join('\n') : '<p>No findings.</p>');
}

// ---- 8. Dataset profiles -------------------------------------------------------------------------

function columnRow(c: ColumnProfile, rows: number): string[] {
  // `count` holds the non-missing values: the share missing is of all rows, as in the profile view.
  const missing = rows > 0 ? c.missing / rows : 0;
  const range =
    c.numeric && c.numeric.min !== null && c.numeric.max !== null
      ? `${formatNumber(c.numeric.min)} – ${formatNumber(c.numeric.max)}`
      : c.temporal && c.temporal.min && c.temporal.max
        ? `${c.temporal.min.slice(0, 10)} – ${c.temporal.max.slice(0, 10)}`
        : '';
  return [
    e(c.name),
    e(c.type),
    e(humanizeKey(c.family)),
    e(formatShare(missing)),
    `${c.distinct.approximate ? '≈' : ''}${formatCount(c.distinct.value)}`,
    e(range),
    c.pii.length ? e(c.pii.map((p) => humanizeKey(p.kind)).join(', ')) : '',
  ];
}

async function profilesSection(audit: AuditDocument, charts: ChartBudget): Promise<string> {
  const parts: string[] = [];
  for (const d of audit.datasets) {
    const p: DatasetProfile | undefined = audit.profiles[d.id];
    if (!p) {
      parts.push(`<h3>${e(d.fileName)}</h3><p class="muted">Not profiled.</p>`);
      continue;
    }
    const facts = table(
      ['Rows', 'Columns', 'Duplicate rows', 'Constant columns', 'Empty columns', 'Alerts'],
      [
        [
          formatCount(p.rows),
          formatCount(p.columnCount),
          formatCount(p.duplicateRows),
          formatCount(p.constantColumns.length),
          formatCount(p.allMissingColumns.length),
          formatCount(p.alerts.length),
        ],
      ],
      [0, 1, 2, 3, 4, 5],
    );
    const columns = table(
      ['Column', 'Type', 'Kind', 'Missing', 'Distinct', 'Range', 'Personal data'],
      p.columns.slice(0, 500).map((c) => columnRow(c, p.rows)),
      [3, 4],
    );
    const alerts = p.alerts.length
      ? `<ul class="small">${p.alerts
          .slice(0, 100)
          .map((a) => `<li>${e(a.message)}</li>`)
          .join('')}</ul>`
      : '<p class="muted">No profile alerts.</p>';
    const figures: string[] = [];
    for (const c of p.columns.filter((c) => c.pii.length === 0).slice(0, MAX_PROFILE_CHARTS_PER_DATASET)) {
      const spec =
        c.family === 'numeric' ? histogramSpec(c) : c.family === 'categorical' ? topKSpec(c) : null;
      figures.push(await charts.render(spec, `Distribution of ${c.name}`));
    }
    parts.push(
      `<h3>${e(d.fileName)}</h3>${facts}<h3>Columns</h3>${columns}<h3>Profile alerts</h3>${alerts}${figures.join('')}`,
    );
  }
  return section(
    'profiles',
    `<p class="muted small">Aggregates only: counts, shares, ranges and distributions. No row of the client’s data is included; columns with personal data are not charted.</p>${parts.join('\n') || '<p>No dataset.</p>'}`,
  );
}

// ---- The report ----------------------------------------------------------------------------------

/**
 * The sprint-0 report of an audit as one HTML string. The verdict is
 * recomputed from the findings (readiness, integration, team) and the
 * waivers; a verdict stored in the document is never shown as is.
 */
export async function sprint0HtmlReport(
  source: AuditDocument,
  options: Sprint0ReportOptions,
): Promise<string> {
  const audit = redactForExport(source, options.redaction ?? 'personal');
  const pkg = sprint0Package(audit);
  const charts = new ChartBudget(options.maxCharts ?? 60, options.charts ?? true);
  const date = options.generatedAt.slice(0, 10);
  const head = `${audit.name} · Sprint 0 report`;
  const body = [
    summarySection(audit, pkg),
    feasibilitySection(audit, pkg),
    workPlanSection(pkg),
    integrationSection(pkg, pkg.findings),
    metricPlanSection(audit),
    await teamSection(pkg, charts),
    await findingsSection(audit, pkg, charts),
    await profilesSection(audit, charts),
  ].join('\n');
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'; img-src data:">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${e(audit.name)} — Sprint 0 report</title>
<style>${STYLE}${pageCss(head, `As of ${audit.context.asOf} · ${date}`)}</style></head><body>
<header><h1>${e(audit.name)}</h1>
<p class="muted">Sprint 0 report · data as of ${e(audit.context.asOf)} · generated ${e(date)} by Sprint Zero</p></header>
${body}
</body></html>
`;
}

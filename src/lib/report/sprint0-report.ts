import type { TopLevelSpec } from 'vega-lite';
import type {
  AuditDocument,
  ColumnProfile,
  DatasetProfile,
  Finding,
  RedactionMode,
} from '../core/model/audit';
import { redactForExport } from '../core/redact';
import { assessedDatasetText } from '../core/audit/assessed';
import { findingChart } from '../core/deliverable/presentation';
import { histogramSpec, topKSpec } from '../core/charts/profile-charts';
import { costVsShareSpec, rulePrCurveSpec, targetBandSpec } from '../core/charts/plan-charts';
import { AREA_LABELS } from '../core/readiness/area-labels';
import { VERDICT_LABELS, VERDICT_RULE } from '../core/readiness/verdict';
import { timelineSpec } from '../core/deliverable/charts';
import {
  ACCESS_LABELS,
  CONSTRAINT_LABELS,
  EFFORT_DAYS,
  REFRESH_LABELS,
  TEAM_ROLE_LABELS,
} from '../core/deliverable/defaults';
import {
  SECTION_TITLES,
  SQL_APPENDIX_TITLE,
  sprint0Package,
  type SectionId,
  type Sprint0Package,
} from '../core/deliverable/package';
import { humanizeKey } from '../core/deliverable/presentation';
import type { Range } from '../core/deliverable/work-plan';
import {
  formatCount,
  formatDate,
  formatDistinct,
  formatList,
  formatMoney,
  formatNumber,
  formatShare,
  formatTimestamp,
  plural,
} from '../core/format';
import { evaluatePlan, ruleLabel, type PlanEvaluation } from '../core/plan/evaluate';
import type { MetricName, MetricPlan, PlanResults } from '../core/model/plan';
import { planSummary } from '../core/plan/summary';
import type { DriftState } from '../core/model/drift';
import { chartSvg } from './svg-charts';
import {
  chapter,
  escapeHtml,
  orDash,
  reportDocument,
  sevBadge,
  sqlAppendix,
  workItemsHtml,
  table,
} from './report-template';

/**
 * The sprint-0 report: one self-contained HTML file a consultant hands to a
 * client (template: `report-template`). The body: the summary, each finding
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
const e = escapeHtml;

/** Profile columns charted per dataset at most (the rest are in the table). */
const MAX_PROFILE_CHARTS_PER_DATASET = 12;

interface ChartSize {
  width: number;
  height: number;
}
const ITEM_CHART: ChartSize = { width: 300, height: 110 };
const PLAN_CHART: ChartSize = { width: 320, height: 150 };
const PROFILE_CHART: ChartSize = { width: 210, height: 70 };
const WIDE_CHART: ChartSize = { width: 560, height: 120 };

class ChartBudget {
  #left: number;
  constructor(
    max: number,
    readonly enabled: boolean,
  ) {
    this.#left = max;
  }
  async render(spec: TopLevelSpec | null, label: string, size: ChartSize): Promise<string> {
    if (!this.enabled || !spec || this.#left <= 0) return '';
    this.#left--;
    const svg = await chartSvg(spec, label, size);
    return svg ? `<figure class="chart">${svg}</figure>` : '';
  }
}

function section(id: SectionId, body: string): string {
  return chapter(id, SECTION_TITLES[id], body);
}

/** `3–4` person-days or weeks, half units kept. */
function range(r: Range): string {
  const f = (n: number): string => formatNumber(Math.round(n * 2) / 2, { digits: 1 });
  return f(r.min) === f(r.max) ? f(r.min) : `${f(r.min)}–${f(r.max)}`;
}

/** Words for the validation designs, metrics and statuses the app's plan editor shows. */
const DESIGN_WORDS: Record<'random' | 'time' | 'group', string> = {
  time: 'a time-based split',
  group: 'a split by ID',
  random: 'a random split',
};
const METRIC_WORDS: Record<MetricName, string> = {
  precision: 'precision',
  recall: 'recall',
  'f-beta': 'F-beta',
  'pr-auc': 'area under the precision-recall curve',
  'precision-at-capacity': 'precision at capacity',
  'expected-cost': 'expected cost',
  accuracy: 'accuracy',
  'macro-f1': 'macro F1',
  'weighted-f1': 'weighted F1',
  'per-class-recall': 'recall per class',
  mae: 'mean absolute error',
  rmse: 'root mean squared error',
  mape: 'mean absolute percentage error',
};

/** Where each finding sits in the report: its work-item number and its SQL listing. */
interface Numbering {
  itemOf: Map<string, number>;
  sqlRefOf: Map<string, string>;
}

// ---- 1. Summary ----------------------------------------------------------------------------------

function feasibilityText(pkg: Sprint0Package): string {
  const v = pkg.verdict;
  if (!v) return 'Feasibility cannot be judged until the client’s data is loaded and checked.';
  if (v.status === 'not-assessed')
    return 'Not assessed: no target is set, so the labels, leakage and class balance were not checked. Set the target and re-run the audit before judging feasibility.';
  if (v.status === 'not-ready')
    return 'Not feasible as the data stands: at least one blocker would make a model’s results unreliable or unusable. Feasible once the blockers are fixed or explicitly accepted.';
  if (v.status === 'conditional')
    return 'Feasible, on conditions: the open major findings must be handled in the data-engineering plan before results can be trusted.';
  return 'Feasible: no open blocker or major finding.';
}

function summarySection(audit: AuditDocument, pkg: Sprint0Package, numbering: Numbering): string {
  const v = pkg.verdict;
  const verdict = v
    ? `<p><span class="verdict v-${e(v.status)}">${e(VERDICT_LABELS[v.status])}</span> ${e(
        `${plural(v.openBlockers.length, 'open blocker')}, ${plural(v.openMajors.length, 'open major finding')}, ${formatCount(audit.waivers.length)} waived.`,
      )}</p>
<p><strong>${e(feasibilityText(pkg))}</strong></p><p class="muted small">${e(VERDICT_RULE)}</p>`
    : '<p>No verdict yet: the readiness checks have not run.</p>';
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
    ['File', 'Format', 'Rows', 'Columns'],
    audit.datasets.map((d) => [
      e(d.fileName),
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
<h3>The biggest risks</h3>${risks}
<h3>Recommended next step</h3><p class="next">${e(pkg.nextStep)}</p>
<h3>Business context</h3>${context}
<h3>Constraints</h3>${constraints}
<h3>Data received</h3>${datasets}
${byArea ? `<h3>Findings by area</h3>${byArea}` : ''}
${status}`,
  );
}

const TASK_WORDS: Record<string, string> = {
  binary: 'Binary classification',
  multiclass: 'Classification into several classes',
  regression: 'Regression (predicting a number)',
};

// ---- 2. Findings as work items ---------------------------------------------------------------------

async function workPlanSection(
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

// ---- 3. Metric plan ------------------------------------------------------------------------------

/** The expected cost per period in the plan's unit, with its sign as words: `costs €1,200 a month`. */
function moneyText(x: number | null, plan: MetricPlan, period: string): string {
  if (x === null) return '—';
  const currency = plan.costs.unit === 'money' ? (plan.costs.currency ?? '') : 'cost units';
  return formatMoney(x, { currency, period, signWords: true });
}

async function metricPlanSection(audit: AuditDocument, charts: ChartBudget): Promise<string> {
  const state = audit.plan;
  const drift = driftPart(audit);
  const plan = state?.plan;
  const results = state?.results;
  if (!plan)
    return section(
      'metric-plan',
      `<p class="placeholder">No metric plan yet. Define the success metric, the decision costs, the validation design and the targets in the app’s metric plan, and this section will show them with the baselines computed from the data.</p>${drift}`,
    );
  const targets = planTargets(plan);
  if (!results)
    return section(
      'metric-plan',
      `${targets}<p class="placeholder">The baselines have not been computed from the data yet: compute them in the app’s metric plan.</p>${drift}`,
    );
  const evaluation = evaluatePlan(plan, results);
  const figures = [
    rulePrCurveSpec(evaluation, plan),
    costVsShareSpec(evaluation, plan, results),
    targetBandSpec(evaluation),
  ];
  const rendered: string[] = [];
  for (const c of figures) if (c) rendered.push(await charts.render(c.spec, c.label, PLAN_CHART));
  const shown = rendered.filter((r) => r !== '');
  return section(
    'metric-plan',
    `<h3>The plan in plain words</h3><p>${e(planSummary(plan, results, evaluation))}</p>
${plan.notes ? `<p class="small"><b>Notes:</b> ${e(plan.notes)}</p>` : ''}
${targets}
<h3>What the data says</h3>${planFacts(plan, results, evaluation)}
${planRules(evaluation, results)}
${shown.length ? `<div class="charts">${shown.join('')}</div>` : ''}
${drift}`,
  );
}

function planTargets(plan: MetricPlan): string {
  const t = plan.targets;
  const rows: [string, string][] = [
    ['Primary metric', METRIC_WORDS[plan.primaryMetric]],
    ...(plan.secondaryMetrics.length
      ? [['Also reported', formatList(plan.secondaryMetrics.map((m) => METRIC_WORDS[m]))] as [string, string]]
      : []),
    ...(t.minPrecision !== undefined
      ? [['Minimum precision', formatShare(t.minPrecision)] as [string, string]]
      : []),
    ...(t.minRecall !== undefined ? [['Minimum recall', formatShare(t.minRecall)] as [string, string]] : []),
    ...(t.metricThreshold !== undefined
      ? [['Threshold on the primary metric', formatNumber(t.metricThreshold)] as [string, string]]
      : []),
    [
      'Required lift over the best simple baseline',
      t.requiredLift > 0 ? formatShare(t.requiredLift) : 'none',
    ],
    [
      'Validation',
      `${DESIGN_WORDS[plan.validation.design]}, ${formatShare(plan.validation.holdoutShare)} held out`,
    ],
    ...(plan.capacity
      ? [
          [
            'Capacity',
            `${plural(plan.capacity.cases, 'case')} a ${plan.capacity.per}${plan.decision.actor ? ` (${plan.decision.actor.replace(/^The /, 'the ')})` : ''}`,
          ] as [string, string],
        ]
      : []),
    ...costRows(plan),
  ];
  return `<h3>Targets and assumptions</h3><dl class="facts">${rows.map(([k, v]) => `<dt>${e(k)}</dt><dd>${e(v)}</dd>`).join('')}</dl>`;
}

function costRows(plan: MetricPlan): [string, string][] {
  const c = plan.costs;
  const currency = c.unit === 'money' ? (c.currency ?? '') : 'cost units';
  const rows: [string, string][] = [];
  if (c.falsePositive !== undefined)
    rows.push(['Acting on a case that was not positive', formatMoney(c.falsePositive, { currency })]);
  if (c.falseNegative !== undefined)
    rows.push(['Missing a positive', formatMoney(c.falseNegative, { currency })]);
  if (c.truePositiveValue !== undefined)
    rows.push(['Acting on a positive is worth', formatMoney(c.truePositiveValue, { currency })]);
  if (c.valueColumn) rows.push(['A missed positive costs its row’s', c.valueColumn]);
  return rows;
}

function planFacts(plan: MetricPlan, results: PlanResults, ev: PlanEvaluation): string {
  const rows: [string, string][] = [];
  if (results.prevalence !== null)
    rows.push([
      'Prevalence',
      `${formatShare(results.prevalence)} of ${plural(results.labelledRows, 'labelled row')} are “${results.positiveClass ?? ''}”`,
    ]);
  if (results.majorityAccuracy !== null)
    rows.push([
      'Always the majority class',
      `${formatShare(results.majorityAccuracy)} accurate (always “${results.majorityLabel ?? '—'}”)`,
    ]);
  const point = ev.operatingPoint;
  if (point)
    rows.push([
      'Flagged at the target',
      `${formatShare(point.flaggedShare)} of cases${
        point.flaggedPerPeriod !== null && point.period
          ? `, about ${plural(point.flaggedPerPeriod, 'case')} a ${point.period}${point.capacity !== null ? ` (capacity ${formatCount(point.capacity)}${point.overCapacity ? ', exceeded' : ''})` : ''}`
          : ''
      }`,
    ]);
  const period = point?.period ?? plan.capacity?.per ?? 'month';
  const c = ev.costs;
  if (c) {
    rows.push(
      ['Expected cost at the target', moneyText(c.atTarget, plan, period)],
      ['Doing nothing', moneyText(c.doNothing, plan, period)],
      ['Acting on every case', moneyText(c.flagAll, plan, period)],
      ['The best single-column rule', moneyText(c.bestRule, plan, period)],
    );
    if (c.optimalThreshold !== null)
      rows.push([
        'Cost-optimal score threshold',
        `act above a calibrated probability of ${formatNumber(c.optimalThreshold, { digits: 2 })}`,
      ]);
  }
  const split = results.split;
  if (split)
    rows.push([
      'Validation split',
      `${DESIGN_WORDS[split.design]}${split.splitAt ? ` from ${formatDate(split.splitAt, 'day')}` : ''}: ${plural(split.trainRows, 'training row')}${split.trainPositives !== null ? ` (${plural(split.trainPositives, 'positive')})` : ''}, ${plural(split.validationRows, 'validation row')}${split.validationPositives !== null ? ` (${plural(split.validationPositives, 'positive')})` : ''}`,
    ]);
  const v = ev.verification;
  if (v) {
    const interval = (name: string, i: { lower: number; upper: number } | null, n: number | null): string =>
      i
        ? `${name}: ${formatShare(i.lower)} to ${formatShare(i.upper)}${n !== null ? ` on ${plural(n, 'validation case')}` : ''}`
        : '';
    const parts = [
      interval('recall', v.recallInterval, v.validationPositives),
      interval(
        'precision',
        v.precisionInterval,
        v.validationFlagged === null ? null : Math.round(v.validationFlagged),
      ),
    ].filter((p) => p !== '');
    if (parts.length) rows.push(['Verification intervals (Wilson 95 %)', `${parts.join('; ')}`]);
    if (v.verifiable !== null)
      rows.push([
        'Can the validation data tell?',
        v.verifiable
          ? 'Yes: the intervals are narrow enough to tell the target from the best rule.'
          : `No: too uncertain to verify the target${v.neededValidationRows !== null ? `; about ${plural(v.neededValidationRows, 'validation row')} would be needed` : ''}.`,
      ]);
  }
  return `<dl class="facts">${rows.map(([k, val]) => `<dt>${e(k)}</dt><dd>${e(val)}</dd>`).join('')}</dl>`;
}

function planRules(ev: PlanEvaluation, results: PlanResults): string {
  if (ev.rules.length === 0) return '';
  const rows = ev.rules
    .slice(0, 5)
    .map((r) => [
      e(ruleLabel(r)),
      e(r.precision === null ? '—' : formatShare(r.precision)),
      e(r.recall === null ? '—' : formatShare(r.recall)),
      e(r.flaggedShare === null ? '—' : formatShare(r.flaggedShare)),
    ]);
  const excluded = results.excludedColumns.length
    ? `<p class="muted small">Left out of the rule search: ${e(
        formatList(results.excludedColumns.slice(0, 12).map((c) => `${c.column} (${c.reason})`)),
      )}${results.excludedColumns.length > 12 ? ` and ${formatCount(results.excludedColumns.length - 12)} more` : ''}.</p>`
    : '';
  return `<h3>Best single-column rules (a model must beat these)</h3>${table(
    ['Rule', 'Precision', 'Recall', 'Flagged'],
    rows,
    { numeric: [1, 2, 3], keep: true },
  )}${excluded}`;
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
      `<p>${e(`${formatCount(ds.drifted)} of ${plural(ds.compared, 'compared column')} drifted (${formatShare(ds.share)}; the dataset counts as drifted from ${formatShare(ds.threshold)})`)}: <strong>${ds.drift ? 'dataset drift' : 'no dataset drift'}</strong>.</p>`,
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
          { numeric: [2] },
        ),
      );
    if (report.label)
      parts.push(`<p>Label “${e(report.label.column)}”: ${e(humanizeKey(report.label.status))}.</p>`);
  }
  if (state?.history) {
    const unstable = state.history.columns.filter((c) => c.major > 0 || c.moderate > 0).slice(0, 15);
    parts.push(
      `<p>Drift inside the history (monthly PSI on “${e(state.history.timeColumn)}”): ${unstable.length ? `${e(plural(unstable.length, 'column'))} ${unstable.length === 1 ? 'moves' : 'move'}.` : 'no column moves.'}</p>`,
    );
    if (unstable.length)
      parts.push(
        table(
          ['Column', 'Months moderate', 'Months major', 'Worst month'],
          unstable.map((c) => [
            e(c.column),
            formatCount(c.moderate),
            formatCount(c.major),
            c.worstMonth ? e(formatDate(`${c.worstMonth}-01`, 'month')) : orDash(''),
          ]),
          { numeric: [1, 2] },
        ),
      );
  }
  if (state?.contract)
    parts.push(
      `<p>Monitoring contract: ${e(plural(state.contract.columns.length, 'column'))} monitored${state.contract.label ? ', and the label' : ''}, against ${e(state.contract.reference)}.</p>`,
    );
  return parts.join('');
}

// ---- 4. Integration sketch -----------------------------------------------------------------------

function integrationSection(pkg: Sprint0Package, numbering: Numbering): string {
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

// ---- 5. Team, timeline, cost ---------------------------------------------------------------------

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

// ---- Appendix A. Dataset profiles ----------------------------------------------------------------

function columnRow(c: ColumnProfile, rows: number): string[] {
  // `count` holds the non-missing values: the share missing is of all rows, as in the profile view.
  const missing = rows > 0 ? c.missing / rows : 0;
  const range =
    c.numeric && c.numeric.min !== null && c.numeric.max !== null
      ? `${formatNumber(c.numeric.min)} – ${formatNumber(c.numeric.max)}`
      : c.temporal && c.temporal.min && c.temporal.max
        ? `${formatDate(c.temporal.min, 'day')} – ${formatDate(c.temporal.max, 'day')}`
        : '';
  return [
    e(c.name),
    e(c.type),
    e(humanizeKey(c.family)),
    e(formatShare(missing)),
    e(formatDistinct(c.distinct)),
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
    const facts = `<p>${e(
      formatList([
        plural(p.rows, 'row'),
        plural(p.columnCount, 'column'),
        plural(p.duplicateRows, 'duplicate row'),
        plural(p.constantColumns.length, 'constant column'),
        plural(p.allMissingColumns.length, 'empty column'),
        plural(p.alerts.length, 'profile alert'),
      ]),
    )}.</p>`;
    const columns = table(
      ['Column', 'Type', 'Kind', 'Missing', 'Distinct', 'Range', 'Personal data'],
      p.columns.slice(0, 500).map((c) => columnRow(c, p.rows)),
      { numeric: [3, 4], keep: false },
    );
    const alerts = p.alerts.length
      ? `<ul class="small">${p.alerts
          .slice(0, 40)
          .map((a) => `<li>${e(a.message)}</li>`)
          .join(
            '',
          )}${p.alerts.length > 40 ? `<li class="muted">${e(`and ${plural(p.alerts.length - 40, 'more alert')}`)}</li>` : ''}</ul>`
      : '<p class="muted">No profile alerts.</p>';
    const figures: string[] = [];
    for (const c of p.columns
      .filter((c) => c.pii.length === 0 && (c.family === 'numeric' || c.family === 'categorical'))
      .slice(0, MAX_PROFILE_CHARTS_PER_DATASET)) {
      const spec = c.family === 'numeric' ? histogramSpec(c) : topKSpec(c);
      figures.push(await charts.render(spec, `Distribution of ${c.name}`, PROFILE_CHART));
    }
    const shown = figures.filter((f) => f !== '');
    parts.push(
      `<h3>${e(d.fileName)}</h3>${facts}${columns}<h4>Profile alerts</h4>${alerts}${shown.length ? `<h4>Distributions</h4><div class="charts small">${shown.join('')}</div>` : ''}`,
    );
  }
  return section(
    'profiles',
    `<p class="muted small">Aggregates only: counts, shares, ranges and distributions. No row of the client’s data is included; columns with personal data are not charted.</p>${parts.join('\n') || '<p>No dataset.</p>'}`,
  );
}

// ---- Appendix B. SQL -----------------------------------------------------------------------------

function sqlChapter(audit: AuditDocument, pkg: Sprint0Package, numbering: Numbering): string {
  return sqlAppendix({
    title: SQL_APPENDIX_TITLE,
    prefix: 'B',
    findings: pkg.findings,
    datasets: audit.datasets,
    itemOf: numbering.itemOf,
    sqlRefOf: numbering.sqlRefOf,
  });
}

// ---- The report ----------------------------------------------------------------------------------

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
    summarySection(audit, pkg, numbering),
    await workPlanSection(audit, pkg, charts, numbering),
    await metricPlanSection(audit, charts),
    integrationSection(pkg, numbering),
    await teamSection(pkg, charts),
  ].join('\n');
  const appendix = `${await profilesSection(audit, charts)}\n${sql}`;
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

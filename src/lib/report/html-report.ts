import {
  AREAS,
  SEVERITIES,
  type AuditDocument,
  type Finding,
  type RedactionMode,
} from '../core/audit/schema';
import { neutraliseCell, redactForExport } from '../core/redact';
import { VERDICT_LABELS, VERDICT_RULE } from '../core/readiness/verdict';
import { auditVerdict } from '../core/audit/edits';
import { AREA_LABELS } from '../core/readiness/area-labels';

/** Escape text for HTML element content and attribute values. Everything from data goes through here. */
export function escapeHtml(text: string): string {
  return text.replace(
    /[&<>"']/g,
    (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!,
  );
}

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
 * One self-contained HTML report of an audit: no script, no external resource,
 * every value escaped (enum values too: an imported file is not trusted to
 * hold only known ones), personal values masked unless the caller asks
 * otherwise. It can be mailed or archived as is.
 */
export function auditHtmlReport(
  source: AuditDocument,
  generatedAt: string,
  options: HtmlReportOptions = {},
): string {
  const audit = redactForExport(source, options.redaction ?? 'personal');
  const e = escapeHtml;
  const waived = new Map(audit.waivers.map((w) => [w.findingId, w.reason]));
  const notes = new Map(audit.notes.map((n) => [n.findingId, n.text]));
  // Recomputed by the documented rule: a verdict written in the document (or a file) is never shown as is.
  const verdict = auditVerdict(audit);
  const section = (area: (typeof AREAS)[number]): string => {
    const findings = audit.findings
      .filter((f) => f.area === area)
      .sort((a, b) => SEVERITIES.indexOf(a.severity) - SEVERITIES.indexOf(b.severity));
    if (findings.length === 0) return '';
    return `<h3>${e(AREA_LABELS[area] ?? area)}</h3>${findings.map((f) => findingHtml(f, waived.get(f.id), notes.get(f.id))).join('')}`;
  };
  const datasets = audit.datasets
    .map((d) => {
      const profile = audit.profiles[d.id];
      return `<tr><td>${cell(d.fileName)}</td><td>${e(String(d.format).toUpperCase())}</td><td class="n">${e(Number(d.rowCount).toLocaleString('en-US'))}</td><td class="n">${e(String(d.columns.length))}</td><td class="n">${profile ? e(String(profile.alerts.length)) : '—'}</td></tr>`;
    })
    .join('');
  const c = audit.context;
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'">
<title>${e(audit.name)} — Sprint Zero audit</title>
<style>
body{font-family:system-ui,sans-serif;max-width:60rem;margin:2rem auto;padding:0 1rem;color:#1b1f24;line-height:1.45}
table{border-collapse:collapse;margin:.5rem 0}td,th{border-bottom:1px solid #d5dbe3;padding:.2rem .6rem;text-align:left}.n{text-align:right}
.verdict{display:inline-block;padding:.2rem .8rem;border-radius:999px;color:#fff;font-weight:700}
.not-ready{background:#b42318}.conditional{background:#b54708}.ready{background:#067647}.not-assessed{background:#5b6470}
.finding{border-left:4px solid #d5dbe3;padding:.3rem .8rem;margin:.6rem 0}.blocker{border-color:#b42318}.major{border-color:#b54708}
.sev{font-size:.75rem;font-weight:700;text-transform:uppercase;margin-right:.5rem}pre{background:#f5f7fa;padding:.5rem;overflow:auto;white-space:pre-wrap;font-size:.8rem}
.waived{opacity:.65}.muted{color:#5b6470}
</style></head><body>
<h1>${e(audit.name)}</h1>
<p class="muted">Sprint Zero readiness audit · as of ${e(c.asOf)} · generated ${e(generatedAt)}</p>
<h2>Verdict</h2>
${verdict ? `<p><span class="verdict ${e(verdict.status)}">${e(VERDICT_LABELS[verdict.status] ?? String(verdict.status))}</span> ${verdict.openBlockers.length} open blocker(s), ${verdict.openMajors.length} open major(s), ${audit.waivers.length} waived.</p>` : '<p>No verdict yet: the readiness checks have not run.</p>'}
${redactionNote(audit)}
<p class="muted">${e(VERDICT_RULE)}</p>
<h2>Project context</h2>
<table><tbody>
<tr><th>Decision</th><td>${cell(c.decision || '—')}</td></tr>
<tr><th>Task</th><td>${cell(c.task)}</td></tr>
<tr><th>Target definition</th><td>${cell(c.targetDefinition || '—')}</td></tr>
<tr><th>Positive class</th><td>${cell(c.positiveClass || '—')}</td></tr>
<tr><th>Prediction point</th><td>${cell(c.predictionPoint || '—')}</td></tr>
</tbody></table>
<h2>Datasets</h2>
<table><thead><tr><th>File</th><th>Format</th><th class="n">Rows</th><th class="n">Columns</th><th class="n">Profile alerts</th></tr></thead><tbody>${datasets}</tbody></table>
<h2>Findings</h2>
${audit.findings.length ? AREAS.map(section).join('') : '<p>No findings.</p>'}
</body></html>
`;
}

function findingHtml(f: Finding, waiver: string | undefined, note: string | undefined): string {
  const e = escapeHtml;
  const evidence = Object.entries(f.evidence)
    .map(([k, v]) => `<tr><th>${cell(k)}</th><td>${cell(String(v))}</td></tr>`)
    .join('');
  return `<div class="finding ${e(f.severity)}${waiver ? ' waived' : ''}">
<p><span class="sev">${e(f.severity)}</span><strong>${e(f.title)}</strong>${f.columns.length ? ` <span class="muted">(${f.columns.map(e).join(', ')})</span>` : ''}</p>
${waiver ? `<p><em>Waived:</em> ${e(waiver)}</p>` : ''}
<p>${e(f.recommendation)}</p>
${evidence ? `<table><tbody>${evidence}</tbody></table>` : ''}
${note ? `<p><em>Note:</em> ${e(note)}</p>` : ''}
<details><summary>SQL that reproduces it</summary><pre>${e(f.sql)}</pre></details>
</div>`;
}

/** One line saying how personal values were treated, so a reader knows what the report holds. */
function redactionNote(audit: AuditDocument): string {
  const r = audit.redaction;
  if (!r) return '';
  const text =
    r.mode === 'none'
      ? 'Personal values are included in this report, by the author’s choice.'
      : r.mode === 'strict'
        ? `Every example and top value is masked (${r.maskedColumns} personal-data column(s), ${r.maskedValues} value(s) masked); only aggregates remain.`
        : `Values of ${r.maskedColumns} personal-data column(s) are masked (${r.maskedValues} value(s)); counts and shapes remain.`;
  return `<p class="muted">${escapeHtml(text)}</p>`;
}

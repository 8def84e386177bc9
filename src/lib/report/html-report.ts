import { AREAS, SEVERITIES, type AuditDocument, type Finding } from '../core/audit/schema';
import { VERDICT_LABELS, VERDICT_RULE } from '../core/readiness/verdict';
import { AREA_LABELS } from '../core/readiness/area-labels';

/** Escape text for HTML element content and attribute values. Everything from data goes through here. */
export function escapeHtml(text: string): string {
  return text.replace(
    /[&<>"']/g,
    (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!,
  );
}

/**
 * One self-contained HTML report of an audit: no script, no external resource,
 * every value from the data escaped. It can be mailed or archived as is.
 */
export function auditHtmlReport(audit: AuditDocument, generatedAt: string): string {
  const e = escapeHtml;
  const waived = new Map(audit.waivers.map((w) => [w.findingId, w.reason]));
  const notes = new Map(audit.notes.map((n) => [n.findingId, n.text]));
  const verdict = audit.verdict;
  const section = (area: (typeof AREAS)[number]): string => {
    const findings = audit.findings
      .filter((f) => f.area === area)
      .sort((a, b) => SEVERITIES.indexOf(a.severity) - SEVERITIES.indexOf(b.severity));
    if (findings.length === 0) return '';
    return `<h3>${e(AREA_LABELS[area])}</h3>${findings.map((f) => findingHtml(f, waived.get(f.id), notes.get(f.id))).join('')}`;
  };
  const datasets = audit.datasets
    .map((d) => {
      const profile = audit.profiles[d.id];
      return `<tr><td>${e(d.fileName)}</td><td>${d.format.toUpperCase()}</td><td class="n">${d.rowCount.toLocaleString('en-US')}</td><td class="n">${d.columns.length}</td><td class="n">${profile ? profile.alerts.length : '—'}</td></tr>`;
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
.not-ready{background:#b42318}.conditional{background:#b54708}.ready{background:#067647}
.finding{border-left:4px solid #d5dbe3;padding:.3rem .8rem;margin:.6rem 0}.blocker{border-color:#b42318}.major{border-color:#b54708}
.sev{font-size:.75rem;font-weight:700;text-transform:uppercase;margin-right:.5rem}pre{background:#f5f7fa;padding:.5rem;overflow:auto;white-space:pre-wrap;font-size:.8rem}
.waived{opacity:.65}.muted{color:#5b6470}
</style></head><body>
<h1>${e(audit.name)}</h1>
<p class="muted">Sprint Zero readiness audit · as of ${e(c.asOf)} · generated ${e(generatedAt)}</p>
<h2>Verdict</h2>
${verdict ? `<p><span class="verdict ${verdict.status}">${e(VERDICT_LABELS[verdict.status])}</span> ${verdict.openBlockers.length} open blocker(s), ${verdict.openMajors.length} open major(s), ${audit.waivers.length} waived.</p>` : '<p>No verdict yet: the readiness checks have not run.</p>'}
<p class="muted">${e(VERDICT_RULE)}</p>
<h2>Project context</h2>
<table><tbody>
<tr><th>Decision</th><td>${e(c.decision || '—')}</td></tr>
<tr><th>Task</th><td>${e(c.task)}</td></tr>
<tr><th>Target definition</th><td>${e(c.targetDefinition || '—')}</td></tr>
<tr><th>Positive class</th><td>${e(c.positiveClass || '—')}</td></tr>
<tr><th>Prediction point</th><td>${e(c.predictionPoint || '—')}</td></tr>
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
    .map(([k, v]) => `<tr><th>${e(k)}</th><td>${e(String(v))}</td></tr>`)
    .join('');
  return `<div class="finding ${f.severity}${waiver ? ' waived' : ''}">
<p><span class="sev">${e(f.severity)}</span><strong>${e(f.title)}</strong>${f.columns.length ? ` <span class="muted">(${f.columns.map(e).join(', ')})</span>` : ''}</p>
${waiver ? `<p><em>Waived:</em> ${e(waiver)}</p>` : ''}
<p>${e(f.recommendation)}</p>
${evidence ? `<table><tbody>${evidence}</tbody></table>` : ''}
${note ? `<p><em>Note:</em> ${e(note)}</p>` : ''}
<details><summary>SQL that reproduces it</summary><pre>${e(f.sql)}</pre></details>
</div>`;
}

import type { AuditDocument } from '../../core/model/audit';
import type { DriftState } from '../../core/model/drift';
import { humanizeKey } from '../../core/deliverable/presentation';
import { formatCount, formatDate, formatNumber, formatShare, plural } from '../../core/format';
import { orDash, table } from '../report-template';
import { e } from './common';

/** Drift and monitoring (core/drift), when computed: names, statuses and statistics only, never category values. */
export function driftPart(audit: AuditDocument): string {
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

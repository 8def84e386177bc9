import type { Verdict } from '../core/model/audit';
import { VERDICT_LABELS } from '../core/readiness/verdict';
import { formatCount, plural } from '../core/format';
import { escapeHtml } from './report-template';

/**
 * The verdict as the reports open with it: its badge and the open blockers,
 * majors and waivers, or a line saying no check has run. The status is
 * escaped and its label looked up defensively, as every value of a document.
 */
export function verdictParagraph(verdict: Verdict | undefined, waived: number): string {
  if (!verdict) return '<p>No verdict yet: the readiness checks have not run.</p>';
  const e = escapeHtml;
  const status = String(verdict.status);
  const counts = `${plural(verdict.openBlockers.length, 'open blocker')}, ${plural(verdict.openMajors.length, 'open major finding')}, ${formatCount(waived)} waived.`;
  return `<p><span class="verdict v-${e(status)}">${e(VERDICT_LABELS[verdict.status] ?? status)}</span> ${e(counts)}</p>`;
}

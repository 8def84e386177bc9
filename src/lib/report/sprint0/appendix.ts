import type { AuditDocument, ColumnProfile, DatasetProfile } from '../../core/model/audit';
import { histogramSpec, topKSpec } from '../../core/charts/profile-charts';
import { SQL_APPENDIX_TITLE } from '../../core/deliverable/package';
import type { Sprint0Package } from '../../core/audit/sprint0-package';
import { humanizeKey } from '../../core/deliverable/presentation';
import { formatDate, formatDistinct, formatList, formatNumber, formatShare, plural } from '../../core/format';
import { sqlAppendix, table } from '../report-template';
import { sourceWords } from '../../core/model/dataset-source';
import {
  ChartBudget,
  MAX_PROFILE_CHARTS_PER_DATASET,
  PROFILE_CHART,
  e,
  section,
  type Numbering,
} from './common';

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

/** Appendix A: each dataset's profile, aggregates only; columns with personal data are not charted. */
export async function profilesSection(audit: AuditDocument, charts: ChartBudget): Promise<string> {
  const parts: string[] = [];
  for (const d of audit.datasets) {
    const p: DatasetProfile | undefined = audit.profiles[d.id];
    if (!p) {
      parts.push(`<h3>${e(sourceWords(d))}</h3><p class="muted">Not profiled.</p>`);
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
      `<h3>${e(sourceWords(d))}</h3>${facts}${columns}<h4>Profile alerts</h4>${alerts}${shown.length ? `<h4>Distributions</h4><div class="charts small">${shown.join('')}</div>` : ''}`,
    );
  }
  return section(
    'profiles',
    `<p class="muted small">Aggregates only: counts, shares, ranges and distributions. No row of the client’s data is included; columns with personal data are not charted.</p>${parts.join('\n') || '<p>No dataset.</p>'}`,
  );
}

/** Appendix B: the SQL of each finding, naming the client's files; numbers the listings the work items cite. */
export function sqlChapter(audit: AuditDocument, pkg: Sprint0Package, numbering: Numbering): string {
  return sqlAppendix({
    title: SQL_APPENDIX_TITLE,
    prefix: 'B',
    findings: pkg.findings,
    datasets: audit.datasets,
    itemOf: numbering.itemOf,
    sqlRefOf: numbering.sqlRefOf,
  });
}

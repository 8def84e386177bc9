import type { Finding } from '../model/audit';
import { categoryPeriodsQuery } from '../sql/readiness-coverage';
import { batchRows, categoryBatch, periodColumns, statements } from './consistency-batch';
import { FEATURE_DEPS } from './deps';
import { count, finder, q, toText } from './findings';
import type { CheckDefinition } from './types';
import { TIME_DEPS } from './coverage-time';

export const coverageCategories: CheckDefinition = {
  id: 'coverage-categories',
  area: 'coverage',
  meaning: 'Categories appear or disappear over time; the model will meet values it never saw.',
  fix: 'collect-more-data',
  owner: 'source-owner',
  inWords: 'categories new or gone over time',
  description: 'Categories present only in old data (discontinued) or only in recent data (new).',
  evidence: {
    discontinued: { label: 'Values gone recently', kind: 'text' },
    new: { label: 'Values new recently', kind: 'text' },
    recentSince: { label: 'Recent since', kind: 'date', granularity: 'day' },
    minRows: { label: 'Counted from', kind: 'count', unit: 'row' },
  },
  dependsOn: [...TIME_DEPS, ...FEATURE_DEPS, 'segments', 'source'],
  applies: (s) => s.time !== undefined && periodColumns(s).length > 0,
  queries: (s) => statements({ categories: categoryBatch(s) }),
  findings(s, r) {
    const make = finder(s, this.id, this.area);
    const out: Finding[] = [];
    periodColumns(s).forEach((column) => {
      const rows = batchRows(r.categories, 'periods', column.name);
      if (rows.length === 0) return;
      const gone = rows.filter((x) => count(x.recent) === 0);
      const fresh = rows.filter((x) => count(x.old) === 0);
      const cutoff = toText(rows[0]?.cutoff);
      out.push(
        make({
          severity: 'minor',
          key: column.name,
          title: `${q(column.name)}: ${gone.length} value${gone.length === 1 ? '' : 's'} only in old data, ${fresh.length} only in recent data (since ${cutoff})`,
          columns: [column.name, s.time!.column],
          evidence: {
            discontinued: gone.map((x) => toText(x.value)).join(', ') || null,
            new: fresh.map((x) => toText(x.value)).join(', ') || null,
            recentSince: cutoff,
            minRows: s.thresholds.minCategoryRows,
          },
          details: rows.map((x) => ({ value: toText(x.value), old: count(x.old), recent: count(x.recent) })),
          sql: categoryPeriodsQuery(
            s.sql,
            column.name,
            s.thresholds.recentRowShare,
            s.thresholds.minCategoryRows,
          ),
          recommendation:
            'Discontinued values teach the model patterns that no longer occur; new values are unseen at training time. Map renamed categories to one value, and plan how the model treats unseen ones.',
        }),
      );
    });
    return out;
  },
};

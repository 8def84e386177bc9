import type { Finding } from '../model/audit';
import { segmentClassCountsQuery } from '../sql/readiness-volume';
import { LABEL_DEPS } from './deps';
import { finder, q } from './findings';
import type { CheckDefinition } from './types';
import { segmentSummary } from './volume-segments';

export const coverageSegments: CheckDefinition = {
  id: 'coverage-segments',
  area: 'coverage',
  meaning: 'Some segments are missing in some periods, so the model cannot learn them consistently.',
  fix: 'collect-more-data',
  owner: 'source-owner',
  inWords: 'segments without examples of a class',
  description: 'Segment values with too few rows, or without positive examples (without some classes).',
  evidence: {
    smallSegments: { label: 'Segments with a problem', kind: 'count' },
    minRows: { label: 'Too small below', kind: 'count', unit: 'row' },
    examples: { label: 'Examples', kind: 'text' },
  },
  dependsOn: ['segments', 'thresholds', ...LABEL_DEPS],
  applies: (s) => s.segments.length > 0,
  queries: (s) =>
    Object.fromEntries(s.segments.map((c, i) => [`segment_${i}`, segmentClassCountsQuery(s.sql, c.name)])),
  findings(s, r) {
    const make = finder(s, this.id, this.area);
    const t = s.thresholds;
    const label = s.label;
    const allClasses = label?.classes.map((c) => c.label) ?? [];
    const display = (c: string): string => label?.classes.find((x) => x.label === c)?.display ?? c;
    const out: Finding[] = [];
    s.segments.forEach((column, i) => {
      const summary = segmentSummary(r[`segment_${i}`] ?? [], label?.positive);
      const small = summary.filter((x) => x.rows < t.minGroupRows);
      const problems: { segment: string | null; rows: number; issue: string }[] = small.map((x) => ({
        segment: x.segment,
        rows: x.rows,
        issue: `only ${x.rows} rows`,
      }));
      if (label?.kind === 'classes' && allClasses.length >= 2) {
        for (const x of summary) {
          if (x.rows < t.minGroupRows) continue;
          if (label.task === 'binary') {
            if (x.positives === 0)
              problems.push({
                segment: x.segment,
                rows: x.rows,
                issue: `no ${display(label.positive ?? '')} examples`,
              });
          } else {
            const missing = allClasses.filter((c) => !x.classes.includes(c));
            if (missing.length)
              problems.push({
                segment: x.segment,
                rows: x.rows,
                issue: `no ${missing.map(display).join(', ')}`,
              });
          }
        }
      }
      if (problems.length === 0) return;
      out.push(
        make({
          severity: 'minor',
          key: column.name,
          title: `${problems.length} ${q(column.name)} value${problems.length === 1 ? '' : 's'} with too few rows or missing classes`,
          columns: [column.name, ...(label ? [label.column] : [])],
          evidence: {
            smallSegments: small.length,
            minRows: t.minGroupRows,
            examples: problems
              .slice(0, 6)
              .map((p) => `${p.segment ?? '(missing)'}: ${p.issue}`)
              .join('; '),
          },
          details: problems,
          sql: segmentClassCountsQuery(s.sql, column.name),
          recommendation:
            'The model cannot learn what it has not seen: for thin segments, expect unreliable predictions. Merge small segments, collect more data for them, or exclude them from the model’s scope explicitly.',
        }),
      );
    });
    return out;
  },
};

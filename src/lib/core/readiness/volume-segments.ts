import { rowsPerSegmentChart } from '../charts/check-charts';
import { segmentClassCountsQuery } from '../sql/readiness-volume';
import { count, finder, fmtInt, q, toText } from './findings';
import type { CheckDefinition, ResultRow } from './types';
import { LABEL_DEPS } from './deps';

/** Per segment value: rows, labelled rows, positives and classes seen, from a segment × class result. */
export function segmentSummary(
  rows: readonly ResultRow[],
  positive: string | undefined,
): { segment: string | null; rows: number; labelled: number; positives: number; classes: string[] }[] {
  const out = new Map<
    string | null,
    { segment: string | null; rows: number; labelled: number; positives: number; classes: string[] }
  >();
  for (const row of rows) {
    const segment = toText(row.segment);
    const label = toText(row.label);
    const n = count(row.rows);
    const s = out.get(segment) ?? { segment, rows: 0, labelled: 0, positives: 0, classes: [] };
    s.rows += n;
    if (label !== null) {
      s.labelled += n;
      s.classes.push(label);
      if (label === positive) s.positives += n;
    }
    out.set(segment, s);
  }
  return [...out.values()].sort((a, b) => b.rows - a.rows);
}

export const volumeSegments: CheckDefinition = {
  id: 'volume-segments',
  area: 'volume',
  meaning: 'How many rows each segment has; thin segments get unreliable predictions.',
  fix: 'collect-more-data',
  owner: 'domain-expertise',
  chart: rowsPerSegmentChart,
  inWords: 'labelled rows per segment',
  description: 'Rows, labelled rows and positives per segment value.',
  evidence: {
    values: { label: 'Segment values', kind: 'count' },
    largestRows: { label: 'Rows in the largest segment', kind: 'count' },
    smallestRows: { label: 'Rows in the smallest segment', kind: 'count' },
  },
  dependsOn: ['segments', ...LABEL_DEPS],
  applies: (s) => s.segments.length > 0,
  queries: (s) =>
    Object.fromEntries(s.segments.map((c, i) => [`segment_${i}`, segmentClassCountsQuery(s.sql, c.name)])),
  findings(s, r) {
    const make = finder(s, this.id, this.area);
    return s.segments.map((column, i) => {
      const summary = segmentSummary(r[`segment_${i}`] ?? [], s.label?.positive);
      const smallest = summary[summary.length - 1];
      return make({
        severity: 'info',
        key: column.name,
        title: `${summary.length} values in segment ${q(column.name)}; the smallest has ${fmtInt(smallest?.rows ?? 0)} rows`,
        columns: [column.name],
        evidence: {
          values: summary.length,
          largestRows: summary[0]?.rows ?? 0,
          smallestRows: smallest?.rows ?? 0,
        },
        details: summary
          .slice(0, 100)
          .map((x) => ({ segment: x.segment, rows: x.rows, labelled: x.labelled, positives: x.positives })),
        sql: segmentClassCountsQuery(s.sql, column.name),
        recommendation:
          'Check that every segment the model will serve has enough rows; see the coverage findings for thin segments.',
      });
    });
  },
};

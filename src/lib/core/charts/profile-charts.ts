import type { TopLevelSpec } from 'vega-lite';
import type { ColumnProfile, DatasetProfile } from '../model/audit';
import { judgedAssociations } from '../profile/associations';

/**
 * Vega-Lite specs for the data profile. Data is embedded in `data.values`
 * under fixed field names (`value`, `count`, `a`, `b`…): column names from
 * client files travel only as data or plain titles, never inside a field
 * string or an expression, where dots and brackets would be parsed.
 */

const BASE = {
  $schema: 'https://vega.github.io/schema/vega-lite/v6.json',
  width: 'container',
  config: { view: { stroke: null }, axis: { labelLimit: 160 } },
} as const;

/** Histogram of a numeric column's bins, or null when it has none. */
export function histogramSpec(column: ColumnProfile): TopLevelSpec | null {
  const bins = column.histogram;
  if (!bins || bins.length === 0 || bins.some((b) => typeof b.start !== 'number')) return null;
  return {
    ...BASE,
    title: column.name,
    height: 160,
    data: { values: bins.map((b) => ({ start: b.start, end: b.end, count: b.count })) },
    mark: { type: 'bar', tooltip: true },
    encoding: {
      x: { field: 'start', type: 'quantitative', bin: { binned: true }, title: column.name },
      x2: { field: 'end' },
      y: { field: 'count', type: 'quantitative', title: 'Rows' },
    },
  };
}

/** Horizontal bars of a column's most frequent values, plus "other values" when there are more. */
export function topKSpec(column: ColumnProfile, otherLabel = '(other values)'): TopLevelSpec | null {
  if (column.topK.length === 0) return null;
  const total = column.count > 0 ? column.count : 1;
  const values = column.topK.map((v, rank) => ({
    value: v.value === null ? '(null)' : String(v.value),
    count: v.count,
    share: v.count / total,
    rank,
  }));
  if (column.otherCount > 0)
    values.push({
      value: otherLabel,
      count: column.otherCount,
      share: column.otherCount / total,
      rank: values.length,
    });
  return {
    ...BASE,
    title: column.name,
    height: { step: 18 },
    data: { values },
    mark: { type: 'bar', tooltip: true },
    encoding: {
      y: { field: 'value', type: 'nominal', sort: { field: 'rank', order: 'ascending' }, title: null },
      x: { field: 'count', type: 'quantitative', title: 'Rows' },
      tooltip: [
        { field: 'value', type: 'nominal', title: 'Value' },
        { field: 'count', type: 'quantitative', title: 'Rows', format: ',' },
        { field: 'share', type: 'quantitative', title: 'Share', format: '.1%' },
      ],
    },
  };
}

/** Rows per calendar month of a date column (`temporal.byMonth`). */
export function rowsOverTimeSpec(
  byMonth: readonly { month: string; count: number }[],
  title = 'Rows per month',
): TopLevelSpec | null {
  if (byMonth.length === 0) return null;
  return {
    ...BASE,
    title,
    height: 160,
    data: { values: byMonth.map((m) => ({ month: `${m.month}-01`, count: m.count })) },
    mark: { type: 'bar', tooltip: true },
    encoding: {
      x: { field: 'month', type: 'temporal', timeUnit: 'utcyearmonth', title: null },
      y: { field: 'count', type: 'quantitative', title: 'Rows' },
    },
  };
}

/** Share of missing and missing-looking values per column, stacked. */
export function missingnessMatrixSpec(profile: DatasetProfile): TopLevelSpec {
  const rows = profile.rows > 0 ? profile.rows : 1;
  const values = profile.columns.flatMap((c, order) => [
    { column: c.name, order, kind: 'missing', share: c.missing / rows, count: c.missing },
    {
      column: c.name,
      order,
      kind: 'looks missing',
      share: c.missingLike.total / rows,
      count: c.missingLike.total,
    },
  ]);
  return {
    ...BASE,
    title: 'Missing values by column',
    height: { step: 16 },
    data: { values },
    mark: { type: 'bar', tooltip: true },
    encoding: {
      y: { field: 'column', type: 'nominal', sort: { field: 'order', order: 'ascending' }, title: null },
      x: {
        field: 'share',
        type: 'quantitative',
        stack: 'zero',
        scale: { domain: [0, 1] },
        axis: { format: '%' },
        title: 'Share of rows',
      },
      color: { field: 'kind', type: 'nominal', scale: { domain: ['missing', 'looks missing'] }, title: null },
      tooltip: [
        { field: 'column', type: 'nominal', title: 'Column' },
        { field: 'kind', type: 'nominal', title: 'Kind' },
        { field: 'count', type: 'quantitative', title: 'Rows', format: ',' },
        { field: 'share', type: 'quantitative', title: 'Share', format: '.1%' },
      ],
    },
  };
}

/**
 * Heatmap of pairwise associations: Pearson's r between numeric columns and
 * Cramér's V between categorical ones, each pair shown in both orders. Null
 * when the profile has no pairs.
 */
export function associationHeatmapSpec(profile: DatasetProfile): TopLevelSpec | null {
  const cells: { a: string; b: string; value: number; measure: string; n: number }[] = [];
  for (const c of profile.correlations) {
    if (c.pearson === null) continue;
    cells.push(
      { a: c.a, b: c.b, value: c.pearson, measure: 'Pearson r', n: c.n },
      { a: c.b, b: c.a, value: c.pearson, measure: 'Pearson r', n: c.n },
    );
  }
  // A pair with too few values to judge is left out: its V would read as a strong association.
  for (const c of judgedAssociations(profile)) {
    if (c.v === null || !c.judged) continue;
    cells.push(
      { a: c.a, b: c.b, value: c.v, measure: "Cramér's V", n: c.n },
      { a: c.b, b: c.a, value: c.v, measure: "Cramér's V", n: c.n },
    );
  }
  if (cells.length === 0) return null;
  const order = profile.columns.map((c) => c.name);
  return {
    ...BASE,
    title: 'Associations between columns',
    width: { step: 22 },
    height: { step: 22 },
    data: { values: cells },
    mark: { type: 'rect', tooltip: true },
    encoding: {
      x: { field: 'a', type: 'nominal', sort: order, title: null },
      y: { field: 'b', type: 'nominal', sort: order, title: null },
      color: {
        field: 'value',
        type: 'quantitative',
        scale: { domain: [-1, 1], scheme: 'redblue', reverse: true },
        title: 'r / V',
      },
      tooltip: [
        { field: 'a', type: 'nominal', title: 'Column' },
        { field: 'b', type: 'nominal', title: 'with' },
        { field: 'measure', type: 'nominal', title: 'Measure' },
        { field: 'value', type: 'quantitative', title: 'Value', format: '.2f' },
        { field: 'n', type: 'quantitative', title: 'Rows compared', format: ',' },
      ],
    },
  };
}

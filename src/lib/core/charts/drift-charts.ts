import type { TopLevelSpec } from 'vega-lite';
import type { ColumnDrift, ConceptSegment, DriftHistory, LabelDrift } from '../model/drift';

/**
 * Vega-Lite specs for drift. As in the profile charts, column names and
 * categories from client files travel only as data values or plain titles,
 * never inside a field name or an expression.
 */

const BASE = {
  $schema: 'https://vega.github.io/schema/vega-lite/v6.json',
  width: 'container',
  config: { view: { stroke: null }, axis: { labelLimit: 160 } },
} as const;

const SIDE_COLORS = { domain: ['Reference', 'Current'], range: ['#8c8c8c', '#d9480f'] };

/**
 * Reference and current shares per PSI bin or category, side by side (bars
 * grouped by bucket), in bucket order. Null when the column has no shares.
 */
export function driftDistributionSpec(column: ColumnDrift): TopLevelSpec | null {
  if (column.shares.length === 0) return null;
  const values = column.shares.flatMap((s, rank) => [
    { bucket: s.label, side: 'Reference', share: s.reference, rank },
    { bucket: s.label, side: 'Current', share: s.current, rank },
  ]);
  return {
    ...BASE,
    title: column.column,
    height: { step: 14 },
    data: { values },
    mark: { type: 'bar', tooltip: true },
    encoding: {
      y: {
        field: 'bucket',
        type: 'nominal',
        sort: { field: 'rank', order: 'ascending' },
        title: column.kind === 'numeric' ? 'Reference deciles' : null,
      },
      yOffset: { field: 'side', type: 'nominal', sort: ['Reference', 'Current'] },
      x: {
        field: 'share',
        type: 'quantitative',
        title: 'Share of non-missing values',
        axis: { format: '%' },
      },
      color: { field: 'side', type: 'nominal', scale: SIDE_COLORS, title: null },
    },
  };
}

/**
 * The drift-in-history heatmap: columns × months, coloured by PSI against the
 * reference window (capped at `cap` so one extreme month does not wash out the
 * rest). Reference months are outlined. Null without cells.
 */
export function driftHistorySpec(history: DriftHistory, cap = 0.5): TopLevelSpec | null {
  if (history.cells.length === 0) return null;
  const values = history.cells.map((c) => ({
    column: c.column,
    month: c.month,
    psi: c.psi,
    shown: c.psi === null ? null : Math.min(c.psi, cap),
    rows: c.rows,
    missing: c.missingRate,
    reference: history.referenceMonths.includes(c.month),
    ...(c.labelReason ? { labelRates: c.labelReason } : {}),
  }));
  return {
    ...BASE,
    title: `Drift by month against ${history.referenceMonths[0] ?? '—'}…${history.referenceMonths[history.referenceMonths.length - 1] ?? ''}`,
    height: { step: 18 },
    data: { values },
    mark: { type: 'rect', tooltip: { content: 'data' } },
    encoding: {
      x: { field: 'month', type: 'ordinal', title: 'Month', axis: { labelAngle: -45 } },
      y: { field: 'column', type: 'nominal', title: null },
      color: {
        field: 'shown',
        type: 'quantitative',
        title: 'PSI',
        scale: { domain: [0, cap], scheme: 'orangered' },
      },
      stroke: {
        condition: { test: 'datum.reference', value: '#1c7ed6' },
        value: null,
      },
    },
  };
}

/** Class shares of the label, reference against current. Null without classes. */
export function labelDriftSpec(label: LabelDrift): TopLevelSpec | null {
  if (label.classes.length === 0) return null;
  const values = label.classes.flatMap((c, rank) => [
    { label: c.label, side: 'Reference', share: c.reference, rank },
    { label: c.label, side: 'Current', share: c.current, rank },
  ]);
  return {
    ...BASE,
    title: `Label ${label.column}: class shares`,
    height: { step: 16 },
    data: { values },
    mark: { type: 'bar', tooltip: true },
    encoding: {
      y: { field: 'label', type: 'nominal', sort: { field: 'rank', order: 'ascending' }, title: null },
      yOffset: { field: 'side', type: 'nominal', sort: ['Reference', 'Current'] },
      x: { field: 'share', type: 'quantitative', title: 'Share', axis: { format: '%' } },
      color: { field: 'side', type: 'nominal', scale: SIDE_COLORS, title: null },
    },
  };
}

/**
 * The concept-drift panel: the label rate per segment with its Wilson 95 %
 * interval, reference against current, for the segments that moved most.
 * Null without segments.
 */
export function conceptDriftSpec(segments: readonly ConceptSegment[]): TopLevelSpec | null {
  if (segments.length === 0) return null;
  const values = segments.flatMap((s, rank) => {
    const name = `${s.feature} = ${s.segment}`;
    const spellings = s.variants?.join(' / ') ?? s.segment;
    return [
      {
        segment: name,
        spellings,
        side: 'Reference',
        rate: s.reference.rate,
        lower: s.reference.lower,
        upper: s.reference.upper,
        n: s.reference.n,
        rank,
      },
      {
        segment: name,
        spellings,
        side: 'Current',
        rate: s.current.rate,
        lower: s.current.lower,
        upper: s.current.upper,
        n: s.current.n,
        rank,
      },
    ];
  });
  const y = {
    field: 'segment',
    type: 'nominal',
    sort: { field: 'rank', order: 'ascending' },
    title: null,
  } as const;
  const yOffset = { field: 'side', type: 'nominal', sort: ['Reference', 'Current'] } as const;
  const color = { field: 'side', type: 'nominal', scale: SIDE_COLORS, title: null } as const;
  return {
    ...BASE,
    title: 'Label rate by segment (95 % Wilson intervals)',
    height: { step: 18 },
    data: { values },
    layer: [
      {
        mark: { type: 'rule' },
        encoding: {
          y,
          yOffset,
          x: { field: 'lower', type: 'quantitative', title: 'Label rate', axis: { format: '%' } },
          x2: { field: 'upper' },
          color,
        },
      },
      {
        mark: { type: 'point', filled: true, tooltip: true },
        encoding: { y, yOffset, x: { field: 'rate', type: 'quantitative' }, color },
      },
    ],
  };
}

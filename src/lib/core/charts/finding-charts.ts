import type { TopLevelSpec } from 'vega-lite';
import { READINESS_THRESHOLDS } from '../thresholds';

/**
 * Vega-Lite specs for readiness findings, built from a finding's `details`
 * rows. As in the profile charts, data goes into `data.values` under fixed
 * field names (`group`, `value`, `part`…): column and class names from client
 * files travel only as data or plain titles, never as field names or inside
 * expressions.
 */

type Row = Record<string, unknown>;

/** A chart for a finding, with the text a screen reader announces for it. */
export interface FindingChart {
  spec: TopLevelSpec;
  label: string;
}

export interface CategoryBarOptions {
  title: string;
  valueTitle: string;
  /** Show values as percentages (values are shares 0–1). */
  percent?: boolean;
  /** A reference line at this value (a threshold, an overall rate). */
  reference?: number;
  referenceLabel?: string;
  /** Keep the input order instead of sorting by value. */
  keepOrder?: boolean;
}

export interface MonthlyOptions {
  title: string;
  valueTitle: string;
  mark: 'bar' | 'line';
  percent?: boolean;
  reference?: number;
  referenceLabel?: string;
}

const BASE = {
  $schema: 'https://vega.github.io/schema/vega-lite/v6.json',
  width: 'container',
  config: { view: { stroke: null }, axis: { labelLimit: 160 } },
} as const;

/** A finite number from a result value (DuckDB may return numbers as text), else null. */
export function num(value: unknown): number | null {
  if (typeof value === 'number') return Number.isFinite(value) ? value : null;
  if (typeof value === 'string' && value.trim() !== '') {
    const n = Number(value);
    return Number.isFinite(n) ? n : null;
  }
  return null;
}

function text(value: unknown): string {
  return value === null || value === undefined ? '(missing)' : String(value);
}

/** `2024-03` → `2024-03-01`, so Vega parses it as a UTC date; other texts pass through. */
function monthDate(value: unknown): string | null {
  if (typeof value !== 'string') return null;
  return /^\d{4}-\d{2}$/.test(value) ? `${value}-01` : value;
}

/** A fixed height for horizontal bars: a "step" height would make Vega-Lite drop the container width fit with a warning. */
function barsHeight(bars: number): number {
  return Math.max(40, bars * 20);
}

type Layer = Extract<TopLevelSpec, { layer: unknown }>['layer'][number];

function referenceLayer(reference: number | undefined, label: string | undefined, axis: 'x' | 'y'): Layer[] {
  if (reference === undefined || !Number.isFinite(reference)) return [];
  const position = { field: 'reference', type: 'quantitative' } as const;
  const tooltip = [
    { field: 'label', type: 'nominal', title: 'Reference' },
    { field: 'reference', type: 'quantitative', title: 'Value', format: '.4~r' },
  ] as const;
  return [
    {
      data: { values: [{ reference, label: label ?? '' }] },
      mark: { type: 'rule', strokeDash: [4, 3], color: '#b54708' },
      encoding:
        axis === 'x' ? { x: position, tooltip: [...tooltip] } : { y: position, tooltip: [...tooltip] },
    },
  ];
}

/** Horizontal bars of one value per category (source, class, segment, feature…). */
export function categoryBarSpec(
  values: readonly { group: string; value: number }[],
  options: CategoryBarOptions,
): TopLevelSpec | null {
  if (values.length === 0) return null;
  const format = options.percent ? '.1%' : ',.4~r';
  const data = values.map((v, rank) => ({ group: v.group, value: v.value, rank }));
  return {
    ...BASE,
    title: options.title,
    description: options.title,
    height: barsHeight(values.length),
    layer: [
      {
        data: { values: data },
        mark: { type: 'bar', tooltip: true },
        encoding: {
          y: {
            field: 'group',
            type: 'nominal',
            title: null,
            sort: options.keepOrder
              ? { field: 'rank', order: 'ascending' }
              : { field: 'value', order: 'descending' },
          },
          x: {
            field: 'value',
            type: 'quantitative',
            title: options.valueTitle,
            ...(options.percent ? { axis: { format: '%' } } : {}),
          },
          tooltip: [
            { field: 'group', type: 'nominal', title: 'Group' },
            { field: 'value', type: 'quantitative', title: options.valueTitle, format },
          ],
        },
      },
      ...referenceLayer(options.reference, options.referenceLabel, 'x'),
    ],
  };
}

/** One value per calendar month, as bars (volumes) or a line (rates). */
export function monthlySpec(
  values: readonly { month: string; value: number | null }[],
  options: MonthlyOptions,
): TopLevelSpec | null {
  if (values.every((v) => v.value === null)) return null;
  // A line drawn straight across missing months would hide the gap; a null breaks it.
  const points = options.mark === 'line' ? withMissingMonths(values) : values.filter((v) => v.value !== null);
  const format = options.percent ? '.1%' : ',.4~r';
  return {
    ...BASE,
    title: options.title,
    description: options.title,
    height: 160,
    layer: [
      {
        data: { values: points.map((v) => ({ month: v.month, value: v.value })) },
        mark:
          options.mark === 'line'
            ? { type: 'line', point: true, tooltip: true }
            : { type: 'bar', tooltip: true },
        encoding: {
          x: { field: 'month', type: 'temporal', timeUnit: 'utcyearmonth', title: null },
          y: {
            field: 'value',
            type: 'quantitative',
            title: options.valueTitle,
            ...(options.percent ? { axis: { format: '%' } } : {}),
          },
          tooltip: [
            { field: 'month', type: 'temporal', timeUnit: 'utcyearmonth', title: 'Month' },
            { field: 'value', type: 'quantitative', title: options.valueTitle, format },
          ],
        },
      },
      ...referenceLayer(options.reference, options.referenceLabel, 'y'),
    ],
  };
}

/** Stacked shares of parts (classes) within groups (sources, quarters), each bar summing to 100 %. */
export function stackedSharesSpec(
  values: readonly { group: string; part: string; value: number }[],
  options: { title: string; groupTitle: string },
): TopLevelSpec | null {
  if (values.length === 0) return null;
  const groups = [...new Set(values.map((v) => v.group))];
  return {
    ...BASE,
    title: options.title,
    description: options.title,
    height: barsHeight(groups.length),
    data: { values: values.map((v) => ({ ...v, rank: groups.indexOf(v.group) })) },
    mark: { type: 'bar', tooltip: true },
    encoding: {
      y: {
        field: 'group',
        type: 'nominal',
        title: options.groupTitle,
        sort: { field: 'rank', order: 'ascending' },
      },
      x: {
        field: 'value',
        type: 'quantitative',
        stack: 'normalize',
        axis: { format: '%' },
        title: 'Share of rows',
      },
      color: { field: 'part', type: 'nominal', title: null },
      tooltip: [
        { field: 'group', type: 'nominal', title: options.groupTitle },
        { field: 'part', type: 'nominal', title: 'Class' },
        { field: 'value', type: 'quantitative', title: 'Value', format: ',.4~r' },
      ],
    },
  };
}

/** Month rows → `{ month, value }` for one numeric field (null where a row lacks it). */
function monthlyValues(details: readonly Row[], field: string): { month: string; value: number | null }[] {
  return details.flatMap((row) => {
    const month = monthDate(row.month);
    return month !== null ? [{ month, value: num(row[field]) }] : [];
  });
}

const MONTH_START = /^(\d{4})-(\d{2})-01$/;

/** Every calendar month between the first and the last, with null for months without a value. */
function withMissingMonths(
  values: readonly { month: string; value: number | null }[],
): { month: string; value: number | null }[] {
  const index = (m: string): number | null => {
    const match = MONTH_START.exec(m);
    return match ? Number(match[1]) * 12 + Number(match[2]) - 1 : null;
  };
  const byIndex = new Map<number, number | null>();
  for (const v of values) {
    const i = index(v.month);
    if (i === null) return [...values];
    byIndex.set(i, v.value);
  }
  const keys = [...byIndex.keys()];
  const first = Math.min(...keys);
  const last = Math.max(...keys);
  // A sentinel date must not stretch the axis over centuries of empty months.
  if (last - first > 1200) return [...values];
  const out: { month: string; value: number | null }[] = [];
  for (let i = first; i <= last; i++)
    out.push({
      month: `${Math.floor(i / 12)}-${String((i % 12) + 1).padStart(2, '0')}-01`,
      value: byIndex.get(i) ?? null,
    });
  return out;
}

/** `{ group, value }` pairs from two fields of each details row (rows whose value is not a number are left out). */
export function groupValues(
  details: readonly Row[],
  groupField: string,
  valueField: string,
): { group: string; value: number }[] {
  return details.flatMap((row) => {
    const value = num(row[valueField]);
    return value !== null ? [{ group: text(row[groupField]), value }] : [];
  });
}

/** Rows per month (volume, gaps). */
export function rowsByMonthSpec(details: readonly Row[], title = 'Rows per month'): TopLevelSpec | null {
  return monthlySpec(monthlyValues(details, 'rows'), { title, valueTitle: 'Rows', mark: 'bar' });
}

/** Positive-label rate per month, with the overall rate as a reference line. */
export function labelRateByMonthSpec(
  details: readonly Row[],
  overall?: number | null,
  title = 'Label rate by month',
): TopLevelSpec | null {
  return monthlySpec(monthlyValues(details, 'rate'), {
    title,
    valueTitle: 'Positive rate',
    mark: 'line',
    percent: true,
    ...(overall !== null && overall !== undefined
      ? { reference: overall, referenceLabel: 'Overall rate' }
      : {}),
  });
}

/** Mean of a numeric target per month. */
export function targetMeanByMonthSpec(
  details: readonly Row[],
  title = 'Target mean by month',
): TopLevelSpec | null {
  return monthlySpec(monthlyValues(details, 'mean'), { title, valueTitle: 'Mean', mark: 'line' });
}

/** Positive-label rate per source system, with the overall rate as a reference line. */
export function labelRateBySourceSpec(
  details: readonly Row[],
  overall?: number | null,
  title = 'Label rate by source',
): TopLevelSpec | null {
  return categoryBarSpec(groupValues(details, 'source', 'positiveRate'), {
    title,
    valueTitle: 'Positive rate',
    percent: true,
    keepOrder: true,
    ...(overall !== null && overall !== undefined
      ? { reference: overall, referenceLabel: 'Overall rate' }
      : {}),
  });
}

/**
 * Shares of each class within each group, from rows that carry one field per
 * class: `share:<class>` (label rate by source) or the class name itself
 * (class balance by quarter). `groupField` names the group.
 */
export function classSharesSpec(
  details: readonly Row[],
  groupField: string,
  options: { title: string; groupTitle: string; prefix?: string },
): TopLevelSpec | null {
  const values = details.flatMap((row) =>
    Object.entries(row).flatMap(([key, value]) => {
      if (key === groupField) return [];
      if (options.prefix !== undefined && !key.startsWith(options.prefix)) return [];
      const n = num(value);
      return n === null
        ? []
        : [
            {
              group: text(row[groupField]),
              part: options.prefix ? key.slice(options.prefix.length) : key,
              value: n,
            },
          ];
    }),
  );
  return stackedSharesSpec(values, { title: options.title, groupTitle: options.groupTitle });
}

/** Single-feature AUC (or |ρ|, η for numeric targets) per feature, with the line at which a feature determines the label. */
export function featureStrengthSpec(
  details: readonly Row[],
  title = 'Single-feature predictive power',
): TopLevelSpec | null {
  const auc = details.some((r) => num(r.auc) !== null);
  const values = details.flatMap((row) => {
    const value = num(auc ? row.auc : row.strength);
    return value === null ? [] : [{ group: text(row.column), value: auc ? value : Math.abs(value) }];
  });
  return categoryBarSpec(values, {
    title,
    valueTitle: auc ? 'AUC' : 'Strength (|ρ| or η)',
    reference: auc ? READINESS_THRESHOLDS.nearPerfectAuc : READINESS_THRESHOLDS.nearPerfectRho,
    referenceLabel: 'Determines the label',
  });
}

/** Rows per hour of the day. */
export function rowsByHourSpec(details: readonly Row[], title = 'Rows by hour of day'): TopLevelSpec | null {
  const values = details.flatMap((row) => {
    const hour = num(row.hour);
    const rows = num(row.rows);
    return hour !== null && rows !== null ? [{ hour, rows }] : [];
  });
  if (values.length === 0) return null;
  return {
    ...BASE,
    title,
    description: title,
    height: 140,
    data: { values },
    mark: { type: 'bar', tooltip: true },
    encoding: {
      x: {
        field: 'hour',
        type: 'ordinal',
        title: 'Hour',
        scale: { domain: Array.from({ length: 24 }, (_, i) => i) },
      },
      y: { field: 'rows', type: 'quantitative', title: 'Rows' },
      tooltip: [
        { field: 'hour', type: 'ordinal', title: 'Hour' },
        { field: 'rows', type: 'quantitative', title: 'Rows', format: ',' },
      ],
    },
  };
}

import type { TopLevelSpec } from 'vega-lite';

/**
 * Chart helpers the profile screens need beyond `profile-charts.ts`: a bar
 * chart of counts under fixed labels (day of week, hour), and the checks the
 * chart component runs before it draws anything.
 */

/** One bar of a `labelledCountsSpec`. */
export interface LabelledCount {
  label: string;
  count: number;
}

/** Options of `labelledCountsSpec`. */
export interface LabelledCountsOptions {
  title: string;
  /** Axis title under the bars. */
  axisTitle?: string | null;
  height?: number;
}

/**
 * Vertical bars of counts in the given order, e.g. rows per day of the week
 * or per hour. Labels travel as data, never inside a field or expression.
 * Null when every count is zero or there are no bars.
 */
export function labelledCountsSpec(
  bars: readonly LabelledCount[],
  options: LabelledCountsOptions,
): TopLevelSpec | null {
  if (bars.length === 0 || bars.every((b) => b.count === 0)) return null;
  const total = bars.reduce((sum, b) => sum + b.count, 0);
  return {
    $schema: 'https://vega.github.io/schema/vega-lite/v6.json',
    width: 'container',
    height: options.height ?? 120,
    title: options.title,
    config: { view: { stroke: null } },
    data: {
      values: bars.map((b, order) => ({
        label: b.label,
        count: b.count,
        share: total > 0 ? b.count / total : 0,
        order,
      })),
    },
    mark: { type: 'bar', tooltip: true },
    encoding: {
      x: {
        field: 'label',
        type: 'ordinal',
        sort: { field: 'order', order: 'ascending' },
        title: options.axisTitle ?? null,
        axis: { labelAngle: 0 },
      },
      y: { field: 'count', type: 'quantitative', title: 'Rows' },
      tooltip: [
        { field: 'label', type: 'nominal', title: 'Bucket' },
        { field: 'count', type: 'quantitative', title: 'Rows', format: ',' },
        { field: 'share', type: 'quantitative', title: 'Share', format: '.1%' },
      ],
    },
  };
}

/**
 * Paths inside a spec that would make Vega fetch something: a `url` anywhere
 * (data, images, topojson) or an `image` mark. Charts in Sprint Zero embed
 * their rows in `data.values`; a non-empty result means the spec is refused.
 */
export function externalResourcePaths(spec: unknown): string[] {
  const found: string[] = [];
  const visit = (node: unknown, path: string): void => {
    if (Array.isArray(node)) {
      node.forEach((item, i) => visit(item, `${path}[${i}]`));
      return;
    }
    if (node === null || typeof node !== 'object') return;
    for (const [key, value] of Object.entries(node)) {
      const here = path === '' ? key : `${path}.${key}`;
      if (key === 'url') found.push(here);
      else if (key === 'mark' && (value === 'image' || (isRecord(value) && value['type'] === 'image')))
        found.push(here);
      // The data rows are plain values; nothing inside them is fetched.
      else if (key === 'values' && path.endsWith('data')) continue;
      else visit(value, here);
    }
  };
  visit(spec, '');
  return found;
}

/**
 * A tooltip's value as plain text lines, `Title: value` per field, for a
 * handler that writes `textContent` only (no HTML, no images).
 */
export function tooltipLines(value: unknown): string[] {
  if (value === null || value === undefined) return [];
  if (Array.isArray(value)) return [value.map(plainText).join(', ')];
  if (isRecord(value)) return Object.entries(value).map(([key, v]) => `${key}: ${plainText(v)}`);
  return [plainText(value)];
}

function plainText(value: unknown): string {
  if (value === null || value === undefined) return '';
  if (typeof value === 'object') {
    try {
      return JSON.stringify(value);
    } catch {
      return String(value);
    }
  }
  return String(value);
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}
